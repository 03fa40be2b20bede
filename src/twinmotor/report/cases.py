"""The cases of a comparison (`twinmotor compare`): the seed cars through every procedure.

A comparison is a list of cases (vehicle, procedure, controller, surface) run in parallel on the
local cores, collected into one frame (one row per case, one column per KPI) that the console table,
the CSV/Parquet/Markdown files and the HTML report are all made from (report.tables, report.html).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
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


@dataclass(frozen=True)
class Case:
    vehicle: str
    test: str
    controller: str
    surface: str

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


def run_case(case: Case, settings: dict | None = None) -> CaseResult:
    """Run one case (in a worker process); never raises: errors come back in .error."""
    import matplotlib

    matplotlib.use("Agg")
    import twinmotor as tm

    t0 = time.perf_counter()
    try:
        vehicle = tm.load_vehicle(case.vehicle)
        ctl = tm.make_controller(case.controller, vehicle, **(settings or {}).get(case.controller, {}))
        res = tm.simulate(vehicle, case.test, ctl, case.surface)
        extra: dict[str, Any] = {}
        channels = _thin(res.channels, PLOT_CHANNELS.get(case.test, []))
        if case.test in OWN_PLOT_TESTS and res.info.get("plot_function"):
            extra["svg"] = figure_svg(res.plot())
        extra["citations"] = list(res.info.get("citations", []))
        kpis = {k: float(v) for k, v in res.kpis.items() if isinstance(v, (int, float, np.floating, np.integer))}
        return CaseResult(case, kpis, res.passed, time.perf_counter() - t0, channels, dict(res.energy_j), extra)
    except Exception as err:  # a failing case is reported in the table, not fatal to the comparison
        return CaseResult(case, {}, None, time.perf_counter() - t0, error=f"{type(err).__name__}: {err}")


def run_cases(cases: list[Case], workers: int | None = None, settings: dict | None = None,
              progress: Callable[[CaseResult], None] | None = None) -> list[CaseResult]:
    """Run cases in parallel on the local cores (in the order given back as they finish, then sorted)."""
    workers = workers or min(os.cpu_count() or 1, max(len(cases), 1))
    results: list[CaseResult] = []
    if workers <= 1:
        for c in cases:
            r = run_case(c, settings)
            results.append(r)
            if progress:
                progress(r)
    else:
        # heavy cases first so the pool stays busy to the end
        order = sorted(cases, key=lambda c: c.test not in ("lane-change", "sine-dwell", "cycle-wltc", "skidpad"))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_case, c, settings) for c in order]
            for f in as_completed(futures):
                r = f.result()
                results.append(r)
                if progress:
                    progress(r)
    index = {c: i for i, c in enumerate(cases)}
    return sorted(results, key=lambda r: index[r.case])


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
