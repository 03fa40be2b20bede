"""Benchmark: real-time factor of the full vehicle model with its controller at 1 kHz.

Prints ratios, not pass/fail: simulated seconds per wall-clock second for each preset and
controller, the cost of the controller relative to the plant alone, and the start-up time of a
second process (numba's on-disk cache). Run: `make bench` or `.venv/bin/python bench/bench_realtime.py`.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

import twinmotor as tm
from twinmotor.simulation.runner import RunSpec, run_spec

SIM_SECONDS = 20.0
REPEATS = 5


def realtime_factor(vehicle, controller, repeats: int = REPEATS) -> float:
    """Best of `repeats`: simulated time / wall time of a full-throttle run of SIM_SECONDS."""
    table = np.array([[0.0, 1.0, 0.0, 0.0, 0.0], [SIM_SECONDS, 1.0, 0.0, 0.0, 0.0]])
    spec = RunSpec(t_end_s=SIM_SECONDS, driver_table=table, log_every=10)
    best = 0.0
    for _ in range(repeats):
        r = run_spec(vehicle, spec, tm.make_controller(controller, vehicle))
        best = max(best, r.simulated_time_s / r.wall_time_s)
    return best


def plant_alone_factor(vehicle, repeats: int = REPEATS) -> float:
    """The same run with the controller replaced by constant commands inside the compiled loop."""
    from twinmotor.control.interface import CompiledController
    from twinmotor.layout import CTL_HOLD

    class Hold(CompiledController):
        name = "hold"
        kind = CTL_HOLD

        def params(self, v):
            return np.zeros(1)

        def compiled_step(self):
            return None

    table = np.array([[0.0, 1.0, 0.0, 0.0, 0.0], [SIM_SECONDS, 1.0, 0.0, 0.0, 0.0]])
    spec = RunSpec(t_end_s=SIM_SECONDS, driver_table=table, log_every=10)
    best = 0.0
    for _ in range(repeats):
        ctl = Hold()
        r = run_spec(vehicle, spec, ctl)
        best = max(best, r.simulated_time_s / r.wall_time_s)
    return best


def second_process_start_s() -> float:
    """Wall time of a fresh process that imports twinmotor and runs a 1 s test (cache warm)."""
    code = ("import twinmotor as tm; tm.simulate('leaf-e-plus', tm.procedures.Accel(t_max_s=1.0))")
    subprocess.run([sys.executable, "-c", code], check=True)  # make sure the cache is populated
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def main() -> None:
    print(f"twinmotor {tm.__version__}: real-time factor at 1 kHz plant step, {SIM_SECONDS:.0f} s full-throttle runs,"
          f" best of {REPEATS}")
    for name in tm.list_presets():
        v = tm.load_vehicle(name)
        plant = plant_alone_factor(v)
        line = f"  {name:16s} plant alone {plant:5.0f}x"
        for ctl in ["open", "baseline", "integrated"] if v.drive == "AWD" else ["open", "baseline"]:
            f = realtime_factor(v, ctl)
            line += f" | {ctl} {f:5.0f}x ({plant / f:4.2f}x plant)"
        print(line)
    print(f"  second process: import + compile-cache load + 1 s run = {second_process_start_s():.2f} s wall")
    print("  target: >= 1000x real time (1 simulated s in <= 1 ms); second process start well under 2 s")


if __name__ == "__main__":
    main()
