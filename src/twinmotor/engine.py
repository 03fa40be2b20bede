"""Where cases run: a Dask cluster (`dask.distributed`), local or remote, with a progress count.

By default a `LocalCluster` with one single-threaded worker process per core (a case is mostly
compiled code, but its set-up and KPIs are Python: processes, not threads); short cases travel in
chunks, several per task (`chunk_indices`); `scheduler="tcp://HOST:PORT"` uses a running cluster
(`dask scheduler` and `dask worker` on the machines; workers need twinmotor installed and, for a
study, the dataset folder at the same path). A worker that dies takes only its cases in flight:
the scheduler gives them to another worker.

`twinmotor compare` and `twinmotor study` both run here.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from twinmotor.errors import TwinmotorError


class EngineError(TwinmotorError, RuntimeError):
    """The cluster could not be reached or started."""


@dataclass
class Tally:
    """Progress of a run of cases: how many are done, failed and left, and when the rest should be done."""

    total: int
    done: int = 0
    failed: int = 0
    started_s: float = 0.0

    def __post_init__(self) -> None:
        self.started_s = time.perf_counter()

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed

    @property
    def eta_s(self) -> float:
        """Seconds to go at the throughput so far (NaN before the first case)."""
        finished = self.done + self.failed
        if finished == 0:
            return float("nan")
        return (time.perf_counter() - self.started_s) / finished * self.remaining

    def text(self) -> str:
        eta = self.eta_s
        eta_txt = "-" if eta != eta else f"{int(eta) // 60}:{int(eta) % 60:02d}"
        return f"done {self.done}, failed {self.failed}, remaining {self.remaining}, ETA {eta_txt}"


def default_workers() -> int:
    """Worker processes of the local cluster: the cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


#: Dask settings of the local cluster. A case is a long, compiled, single-threaded computation, and
#: the cluster has a worker on every core: what Dask does beside the cases takes its time from them.
#: Idle, a local cluster of two workers takes about 17 % of one core with Dask's defaults and 2.5 %
#: with these (bench/bench_realtime.py prints the throughput they give).
LOCAL_CLUSTER_CONFIG = {
    # each worker holds the task it runs and the next one (ceil(1.1 x 1 thread) = 2): no idle round
    # trip between two tasks, and the rest wait at the scheduler for whichever worker is free
    # first, so a worker slowed by the machine's other work does not hold a queue of its own
    "distributed.scheduler.worker-saturation": 1.1,
    # so nothing is to be stolen between workers: no rebalancing every 100 ms
    "distributed.scheduler.work-stealing": False,
    # no sampling of every worker's stack every 10 ms (the dashboard's profile; there is no dashboard)
    "distributed.worker.profile.enabled": False,
    # the event loops' watchdog (a warning when a loop is blocked) every second, not every 20 ms
    "distributed.admin.tick.interval": "1s",
    # memory and CPU readings of the workers every 1-2 s, not every 0.1-0.5 s (a case needs tens of MB)
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


class Engine:
    """A connection to a Dask cluster for running cases; a context manager.

    scheduler: address of a running scheduler (``tcp://host:8786``), or None for a local cluster
    of `workers` processes (default: every core).
    """

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        self.scheduler = scheduler
        self.workers = workers
        self.client = None
        self._cluster = None

    def __enter__(self) -> Engine:
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="20s")
            except OSError as err:
                raise EngineError(f"--scheduler {self.scheduler}: no Dask scheduler answers there ({err}); "
                                  "start one with `dask scheduler` and workers with `dask worker ADDRESS`") from None
        else:
            n = self.workers or default_workers()
            if n < 1:
                raise EngineError(f"workers = {n} is out of range: allowed 1 or more worker processes")
            import dask

            with dask.config.set(LOCAL_CLUSTER_CONFIG):
                self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self._cluster)
        return self

    @property
    def n_workers(self) -> int:
        """Workers of the cluster (at least 1): the local cluster's own, or those a running
        scheduler knows of now."""
        if self._cluster is not None:
            return len(self._cluster.workers)
        return max(len(self.client.scheduler_info()["workers"]), 1)

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def map(self, func: Callable, items: Sequence, *, keys: Sequence[str] | None = None,
            priorities: Sequence[int] | None = None, extra: tuple = (),
            chunks: Sequence[Sequence[int]] | None = None) -> Iterator[tuple[int, Any, str | None]]:
        """Run func(item, *extra) for every item on the cluster; yields (index, result, error) as
        each finishes. error is None, or the reason the case produced no result (for example its
        worker died more often than the scheduler allows).

        With `chunks` (lists of item indices, see `chunk_indices`), each chunk is one task and
        func(list_of_items, *extra) returns the list of their results: a short case then does not
        pay the scheduler's per-task round trip alone. The chunk's items are yielded together."""
        from distributed import as_completed

        groups = [[i] for i in range(len(items))] if chunks is None else [list(c) for c in chunks]
        futures = {}
        for g in groups:
            kw: dict[str, Any] = {"pure": False}
            if keys is not None:
                kw["key"] = keys[g[0]] if len(g) == 1 else f"{keys[g[0]]}+{len(g) - 1}"
            if priorities is not None:
                kw["priority"] = max(priorities[i] for i in g)
            arg = items[g[0]] if chunks is None else [items[i] for i in g]
            futures[self.client.submit(func, arg, *extra, **kw)] = g
        for fut in as_completed(list(futures)):
            g = futures.pop(fut)
            try:
                out = fut.result()
                results = [out] if chunks is None else list(out)
                for i, r in zip(g, results, strict=True):
                    yield i, r, None
            except Exception as err:  # the task itself, or the worker running it, failed
                for i in g:
                    yield i, None, f"{type(err).__name__}: {err}"
            fut.release()


#: guided chunking: a chunk holds at most 1/(workers * TASKS_PER_WORKER) of the cases still to
#: send, so the first chunks are large (the scheduler's per-task cost paid once for many cases) and the
#: last ones single cases (the workers finish together)
TASKS_PER_WORKER = 4
#: most cases in one task
MAX_CHUNK = 16


def chunk_indices(n: int, workers: int, alone: Sequence[bool] = ()) -> list[list[int]]:
    """Item indices 0..n-1 grouped into tasks: items marked `alone` (long cases) one per task and
    first, the others in consecutive chunks of decreasing size (guided self-scheduling, Polychronopoulos
    and Kuck 1987): each of up to MAX_CHUNK cases and at most the remaining cases / (workers *
    TASKS_PER_WORKER), down to one."""
    alone = list(alone) or [False] * n
    chunks = [[i] for i in range(n) if alone[i]]
    rest = [i for i in range(n) if not alone[i]]
    k = 0
    while k < len(rest):
        size = max(1, min(MAX_CHUNK, (len(rest) - k) // (max(workers, 1) * TASKS_PER_WORKER)))
        chunks.append(rest[k:k + size])
        k += size
    return chunks
