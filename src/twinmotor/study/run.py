"""Running a study: only the cases missing from the dataset go to the Dask engine; each is written
by its worker as it finishes; then the summary."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from twinmotor.report.cases import Case, is_long_test, test_priority
from twinmotor.study.dataset import done_keys, remove_temporaries, run_and_store_chunk
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
            for i, r, _err in run_cases(engine, todo, folder):
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


def run_cases(engine, todo: list[tuple[str, Case]], folder: str) -> Iterator[tuple[int, dict | None, str | None]]:
    """Run (key, case) pairs on the engine, each written to `folder` by its worker; yields (index,
    summary, error) as they finish (Engine.map). Short cases go to the workers in chunks (the
    scheduler's per-task latency, several milliseconds, is then paid once per chunk), long ones one
    by one and first, the longest first (test_priority)."""
    from twinmotor._cache import package_fingerprint
    from twinmotor.engine import chunk_indices

    long = [is_long_test(c.test) for _, c in todo]
    yield from engine.map(_run_chunk, todo, keys=[f"case-{k}" for k, _ in todo],
                          priorities=[test_priority(c.test) for _, c in todo], extra=(folder, package_fingerprint()),
                          chunks=chunk_indices(len(todo), engine.n_workers, long))


def _run_chunk(chunk: list[tuple[str, Case]], folder: str, fingerprint: str | None = None) -> list[dict]:
    """A chunk of (key, case) on a worker (run_and_store_chunk: the worker's package is checked
    against the client's fingerprint, so each key names what ran)."""
    return run_and_store_chunk([c for _, c in chunk], [k for k, _ in chunk], folder, fingerprint)


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
