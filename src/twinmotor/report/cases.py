"""The cases of a comparison (`twinmotor compare`): the seed cars through every procedure.

A comparison is a list of cases (vehicle, procedure, controller, surface) run in parallel on a Dask
cluster (twinmotor.engine: the local cores by default), collected into one frame (one row per case, one column per KPI) that the console table,
the CSV/Parquet/Markdown files and the HTML report are all made from (report.tables, report.html).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinmotor.plotting.svg import figure_svg

DEFAULT_VEHICLES = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-e-plus-awd-disconnect", "leaf-e-plus-awd-induction",
                    "leaf-nismo-rc"]
#: design variants of the AWD car (what AWD costs when built well): run with the integrated controller only,
#: which decides when a disconnect engages (a baseline run would only repeat the fixed-split AWD)
DESIGN_VARIANTS = ("leaf-e-plus-awd-disconnect", "leaf-e-plus-awd-induction")
#: test -> surfaces it runs on in the default comparison
DEFAULT_TESTS: dict[str, list[str]] = {
    "accel": ["dry", "wet", "snow"],
    "brake": ["dry", "wet"],
    "regen-stop": ["dry"],
    "step-steer": ["dry"],
    "step-steer-limit": ["wet"],
    "split-mu-launch": ["dry"],
    "split-mu-brake": ["dry"],
    "lane-change": ["dry", "wet"],
    "sine-dwell": ["dry"],
    "skidpad": ["dry"],
    "cycle-wltc": ["dry"],
    "range": ["dry"],
}
DEFAULT_CONTROLLERS = ["baseline", "integrated"]

#: channels kept for the report's plots (downsampled), by test
PLOT_CHANNELS = {
    "accel": ["time", "vx", "ax", "pitch"],
    "regen-stop": ["time", "vx", "pitch", "pitch_rate", "ax"],
    "lane-change": ["time", "x", "y", "yaw", "vx"],
    "sine-dwell": ["time", "yaw_rate", "steer", "ay"],
    "skidpad": ["time", "ay", "steer", "vx"],
    "cycle-wltc": ["time", "vx", "battery_power"],
    "step-steer": ["time", "yaw_rate", "ay", "steer"],
    "step-steer-limit": ["time", "yaw_rate", "ay", "steer"],
}
MAX_POINTS = 1500
#: tests whose own plot (lane change with cones, yaw-rate series, handling diagram) goes in the report
OWN_PLOT_TESTS = ("lane-change", "sine-dwell", "skidpad")


#: manoeuvres that run for seconds, by how long (larger: longer); drive cycles and range come before
#: them all. Wall times of one case at 1 ms on the 2-core development machine: WLTC 8-12 s, lane
#: change 1.8-3.7 s, sine with dwell 1.9 s, steady-state circle 1.5 s, every other manoeuvre < 0.6 s
HEAVY_TESTS = {"lane-change": 2, "sine-dwell": 1, "skidpad": 1}


def test_priority(test: str) -> int:
    """The order cases start in on the engine (larger first): the longest first (Graham's
    longest-processing-time rule, 1969), so that the workers finish together rather than one
    running a drive cycle alone at the end. 0 for the short tests."""
    if test.startswith("cycle-") or test == "range":
        return 3
    return HEAVY_TESTS.get(test, 0)


def is_long_test(test: str) -> bool:
    """Whether a test runs for seconds rather than a fraction of one: started first (test_priority)
    and sent to a worker on its own (not in a chunk of short cases)."""
    return test_priority(test) > 0


@dataclass(frozen=True)
class Case:
    """One run: a vehicle (preset or file) with `overrides` (parameter path, value) applied, a
    procedure, a controller with `settings` (name, value), a surface and the sensors."""

    vehicle: str
    test: str
    controller: str
    surface: str
    #: the test's parameters, (name, value) pairs (`--param`); empty: the standard's defaults
    params: tuple = ()
    overrides: tuple[tuple[str, Any], ...] = ()
    settings: tuple[tuple[str, Any], ...] = ()
    sensors: str = "typical"
    sensor_seed: int = 0
    #: plant step [s] and controller rate [Hz]
    dt_s: float = 1e-3
    controller_rate_hz: float = 1000.0

    @property
    def label(self) -> str:
        return f"{self.vehicle} / {self.controller} / {self.test} / {self.surface}"


@dataclass
class CaseResult:
    """What comes back from a worker: KPIs, verdict, timing and a light copy of the channels."""

    case: Case
    kpis: dict[str, float]
    passed: bool | None
    wall_time_s: float
    channels: dict[str, np.ndarray] = field(default_factory=dict)
    energy_j: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def default_cases(vehicles=None, tests=None, controllers=None, surfaces=None) -> list[Case]:
    """The default comparison, optionally narrowed: baseline for every car, integrated for twin-motor cars."""
    from twinmotor.vehicle import load_vehicle

    vehicles = vehicles or DEFAULT_VEHICLES
    tests = tests or list(DEFAULT_TESTS)
    controllers = controllers or DEFAULT_CONTROLLERS
    cases = []
    for v in vehicles:
        drive = load_vehicle(v).drive
        for ctl in controllers:
            if ctl == "integrated" and drive != "AWD":
                continue
            if ctl != "integrated" and v in DESIGN_VARIANTS and "integrated" in controllers:
                continue
            for t in tests:
                for s in (surfaces or DEFAULT_TESTS.get(t, ["dry"])):
                    cases.append(Case(v, t, ctl, s))
    return cases


def _thin(channels: dict[str, np.ndarray], names: list[str]) -> dict[str, np.ndarray]:
    out = {}
    for n in names:
        if n in channels:
            a = np.asarray(channels[n])
            step = max(1, int(np.ceil(a.size / MAX_POINTS)))
            out[n] = a[::step].copy()
    return out


#: set in a worker process once Ctrl-C reached it
_WORKER_INTERRUPTED = False


def case_sensors(case: Case):
    """The Sensors of a case (twinmotor.sensors): its named set (typical by default) with its seed."""
    from twinmotor.sensors import make_sensors

    return make_sensors(case.sensors, seed=case.sensor_seed)


def plot_channels(test: str) -> list[str]:
    """The channels kept of a case (thinned to MAX_POINTS) for plots."""
    if test in PLOT_CHANNELS:
        return PLOT_CHANNELS[test]
    if test.startswith("cycle-"):
        return PLOT_CHANNELS["cycle-wltc"]
    return ["time", "vx", "ax"]


def run_case(case: Case, settings: dict | None = None) -> CaseResult:
    """Run one case (in a worker process); never raises: errors come back in .error. `settings`:
    controller name -> settings for every case (compare's --set); the case's own settings win."""
    import matplotlib

    matplotlib.use("Agg")
    global _WORKER_INTERRUPTED
    import twinmotor as tm

    t0 = time.perf_counter()
    if _WORKER_INTERRUPTED:
        return CaseResult(case, {}, None, 0.0, error="KeyboardInterrupt: interrupted")
    try:
        from twinmotor.control.params import settings_without_effect
        from twinmotor.procedures import make_procedure

        vehicle = tm.load_vehicle(case.vehicle, dict(case.overrides) or None)
        chosen = {**(settings or {}).get(case.controller, {}), **dict(case.settings)}
        for key in settings_without_effect(vehicle, chosen):  # the comparison warned about these up front
            del chosen[key]
        ctl = tm.make_controller(case.controller, vehicle, **chosen)
        res = tm.simulate(vehicle, make_procedure(case.test, dict(case.params)), ctl, case.surface,
                          sensors=case_sensors(case), dt=case.dt_s, controller_rate_hz=case.controller_rate_hz)
        extra: dict[str, Any] = {}
        channels = _thin(res.channels, plot_channels(case.test))
        if case.test in OWN_PLOT_TESTS and res.info.get("plot_function"):
            extra["svg"] = figure_svg(res.plot())
        extra["citations"] = list(res.info.get("citations", []))
        kpis = {k: float(v) for k, v in res.kpis.items() if isinstance(v, (int, float, np.floating, np.integer))}
        return CaseResult(case, kpis, res.passed, time.perf_counter() - t0, channels, dict(res.energy_j), extra)
    except Exception as err:  # a failing case is reported in the table, not fatal to the comparison
        return CaseResult(case, {}, None, time.perf_counter() - t0, error=f"{type(err).__name__}: {err}")
    except KeyboardInterrupt:
        import multiprocessing

        if multiprocessing.parent_process() is None:
            raise  # in the main process: the user's Ctrl-C stops the comparison
        # in a worker: the parent stops the comparison; every case still queued here returns at once
        _WORKER_INTERRUPTED = True
        return CaseResult(case, {}, None, time.perf_counter() - t0, error="KeyboardInterrupt: interrupted")


def run_cases(cases: list[Case], workers: int | None = None, settings: dict | None = None,
              progress: Callable[[CaseResult], None] | None = None, scheduler: str | None = None) -> list[CaseResult]:
    """Run cases on a Dask cluster (twinmotor.engine): a local one of `workers` processes (default:
    every core, at most one per case), or the running one at `scheduler`. Results come back in the
    order of `cases`; `progress` is called with each as it finishes."""
    from twinmotor.engine import Engine, default_workers

    workers = workers or min(default_workers(), max(len(cases), 1))
    results: list[CaseResult] = [None] * len(cases)  # type: ignore[list-item]
    priorities = [test_priority(c.test) for c in cases]
    with Engine(scheduler, workers) as engine:
        for i, r, err in engine.map(run_case, cases, priorities=priorities, extra=(settings,)):
            if r is None:  # the worker died more often than the scheduler retries
                r = CaseResult(cases[i], {}, None, 0.0, error=err)
            results[i] = r
            if progress:
                progress(r)
    return results


def to_frame(results: list[CaseResult]):
    """One row per case: vehicle, test, controller, surface, passed, wall_time_s, error, every KPI."""
    import pandas as pd

    rows = []
    for r in results:
        row = {"vehicle": r.case.vehicle, "test": r.case.test, "controller": r.case.controller,
               "surface": r.case.surface, "passed": None if r.passed is None else bool(r.passed),
               "wall_time_s": r.wall_time_s, "error": r.error}
        row.update({k: v for k, v in r.kpis.items() if k not in row})
        rows.append(row)
    df = pd.DataFrame(rows)
    df["passed"] = df["passed"].astype("boolean")
    return df
