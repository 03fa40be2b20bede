"""`twinmotor compare`: the seed cars through every test, side by side.

A comparison is a list of cases (vehicle, test, controller, surface) run in parallel on the local
cores, collected into one table (one row per case, one column per KPI) that the console table, the
CSV/Parquet files and the HTML report are all made from.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

DEFAULT_VEHICLES = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"]
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


def figure_svg(fig) -> str:
    """A matplotlib figure as an inline SVG string (closed afterwards)."""
    import io

    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


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
        if case.test == "range":
            from twinmotor.range_estimate import estimate_range

            kpis = estimate_range(vehicle, ctl, "fast")
            return CaseResult(case, kpis, None, time.perf_counter() - t0)
        res = tm.simulate(vehicle, case.test, ctl, case.surface)
        extra: dict[str, Any] = {}
        channels = _thin(res.channels, PLOT_CHANNELS.get(case.test, []))
        if case.test in OWN_PLOT_TESTS and res.info.get("plot_function"):
            extra["svg"] = figure_svg(res.plot())
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


#: KPI name fragments where a higher value is better; everything else: lower is better
HIGHER_IS_BETTER = ("max_entry_speed", "max_lat_accel", "energy_recovered", "regen_share", "range_km", "range_mi",
                    "distance_5s", "peak_power", "steady_lat_accel", "lateral_displacement", "unadjusted_km",
                    "label_km", "label_mi", "followable")
NEUTRAL = ("distance_km", "usable_energy", "steady_yaw_gain", "front_motor", "regen_share_front", "time_to_stop",
           "steer_0_3g", "understeer_gradient", "exit_speed", "cones_hit_")


def better(kpi: str) -> int:
    """+1 if higher is better, -1 if lower is better, 0 if neither."""
    if any(n in kpi for n in NEUTRAL):
        return 0
    return 1 if any(h in kpi for h in HIGHER_IS_BETTER) else -1


def to_markdown(df, command: str) -> str:
    """The comparison as Markdown: one table per test and surface, vehicles/controllers as columns,
    KPIs (units in their names) as rows, best value in bold (docs/test-table.md)."""
    import math

    from twinmotor.report.html import fmt

    combos = [(v, c) for v, c in df[["vehicle", "controller"]].drop_duplicates().itertuples(index=False)]
    lines = ["# twinmotor test table", "", f"Made by `{command}` (twinmotor's main job); units are in the KPI names.", ""]
    for (test, surface), part in df.groupby(["test", "surface"], sort=False):
        kpis = [k for k in part.columns if k not in ("vehicle", "test", "controller", "surface", "passed", "wall_time_s",
                                                      "error") and part[k].notna().any()]
        lines += [f"## {test} - {surface}", "", "| KPI | " + " | ".join(f"{v} {c}" for v, c in combos) + " |",
                  "|---|" + "---:|" * len(combos)]
        for k in kpis:
            vals = []
            for v, c in combos:
                r = part[(part.vehicle == v) & (part.controller == c)]
                x = r.iloc[0][k] if not r.empty else float("nan")
                vals.append(float(x) if x is not None and x == x else float("nan"))
            d = better(k)
            finite = [x for x in vals if math.isfinite(x)]
            best = (max(finite) if d > 0 else min(finite)) if d and len(finite) > 1 else None
            cells = [f"**{fmt(x)}**" if best is not None and x == best else fmt(x) for x in vals]
            lines.append(f"| {k} | " + " | ".join(cells) + " |")
        verdicts = []
        for v, c in combos:
            r = part[(part.vehicle == v) & (part.controller == c)]
            p = None if r.empty else r.iloc[0]["passed"]
            verdicts.append("-" if p is None or str(p) == "<NA>" else ("pass" if bool(p) else "fail"))
        lines += ["| verdict | " + " | ".join(verdicts) + " |", ""]
    return "\n".join(lines) + "\n"
