"""Running a study: only the cases missing from the dataset go to the Dask engine; each is written
by its worker as it finishes; then the summary."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from twinmotor.report.cases import HEAVY_TESTS, Case
from twinmotor.study.dataset import case_key, done_keys, remove_temporaries, run_and_store
from twinmotor.study.plan import Plan


@dataclass
class Outcome:
    total: int
    distinct: int
    already_done: int
    ran: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)   # no result: the worker died more often than allowed
    #: cases a worker found written when it came to run them (a killed worker had finished and
    #: written them, but died before it could report): not run, not written again
    found_written: list[str] = field(default_factory=list)
    wall_time_s: float = 0.0
    summary: Path | None = None


def run_study(plan: Plan, scheduler: str | None = None, workers: int | None = None,
              progress: Callable[[bool, str], None] | None = None, on_start: Callable[[int, int], None] | None = None,
              summary: bool = True) -> Outcome:
    """Run the cases missing from the dataset on the Dask engine; write the summary. `progress(ok,
    label)` is called as each case finishes; `on_start(to_run, already_done)` before the first."""
    from twinmotor.engine import Engine, default_workers

    t0 = time.perf_counter()
    plan.dataset.mkdir(parents=True, exist_ok=True)
    if scheduler is None:
        remove_temporaries(plan.dataset)  # only this run writes here
    have = done_keys(plan.dataset)
    first: dict[str, Case] = {}
    for sc in plan.cases:
        first.setdefault(sc.key, sc.case)
    todo = [(k, c) for k, c in first.items() if k not in have]
    out = Outcome(total=len(plan.cases), distinct=len(first), already_done=len(first) - len(todo))
    if on_start:
        on_start(len(todo), out.already_done)
    _write_index(plan)
    if todo:
        n = workers or min(default_workers(), len(todo))
        folder = str(plan.dataset.resolve())
        with Engine(scheduler, n) as engine:
            items = [c for _, c in todo]
            for i, r, _err in engine.map(_run_item, items, keys=[f"case-{k}" for k, _ in todo],
                                        priorities=[1 if c.test in HEAVY_TESTS else 0 for c in items],
                                        extra=(folder,)):
                key = todo[i][0]
                if r is None:
                    out.lost.append(key)
                    ok = False
                else:
                    if r["ran"]:
                        out.ran.append(key)
                    else:
                        out.found_written.append(key)
                    ok = r["error"] is None
                    if not ok:
                        out.failed.append(key)
                if progress:
                    progress(ok, items[i].label)
    out.wall_time_s = time.perf_counter() - t0
    if summary:
        from twinmotor.study.summary import write_summary

        out.summary = write_summary(plan, out.wall_time_s)
    return out


def _run_item(case: Case, folder: str) -> dict:
    # the key is recomputed on the worker from the case itself: what is written is what ran
    return run_and_store(case, case_key(case), folder)


def _write_index(plan: Plan) -> None:
    """DIR/cases.parquet: every case of the study (design point, names, factor values, key); rewritten each run."""
    import os

    import pandas as pd

    rows = []
    for sc in plan.cases:
        row = {"point": sc.point, "vehicle": sc.case.vehicle, "controller": sc.case.controller, "test": sc.case.test,
               "surface": sc.case.surface, "key": sc.key}
        row.update({f"factor:{k}": v for k, v in plan.design.points[sc.point].items()})
        rows.append(row)
    df = pd.DataFrame(rows)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].astype(str)
    plan.out.mkdir(parents=True, exist_ok=True)
    tmp = plan.out / f".cases.parquet.tmp-{os.getpid()}"
    df.to_parquet(tmp, index=False)
    os.replace(tmp, plan.out / "cases.parquet")
