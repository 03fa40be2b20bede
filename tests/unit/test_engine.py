"""How the engine groups cases into Dask tasks (twinmotor.engine.chunk_indices)."""

from __future__ import annotations

import pytest

from twinmotor.engine import MAX_CHUNK, TASKS_PER_WORKER, chunk_indices


@pytest.mark.parametrize("n, workers", [(1, 1), (7, 2), (24, 1), (48, 2), (1000, 2), (1000, 64)])
def test_every_case_in_exactly_one_chunk_and_work_for_every_worker(n, workers):
    chunks = chunk_indices(n, workers)
    assert sorted(i for c in chunks for i in c) == list(range(n))
    assert all(1 <= len(c) <= MAX_CHUNK for c in chunks)
    # enough tasks to balance the load: every worker gets several (or each case is its own task)
    assert len(chunks) >= min(n, workers * TASKS_PER_WORKER)
    # chunks are consecutive runs of cases (the order a study lists them in), large first and single
    # cases last (guided self-scheduling: the workers finish together)
    assert all(c == list(range(c[0], c[0] + len(c))) for c in chunks)
    sizes = [len(c) for c in chunks]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1


def test_long_cases_go_alone():
    alone = [i % 3 == 0 for i in range(30)]
    chunks = chunk_indices(30, 2, alone)
    for c in chunks:
        assert len(c) == 1 or not any(alone[i] for i in c)
    assert sum(len(c) == 1 and alone[c[0]] for c in chunks) == 10
    assert sorted(i for c in chunks for i in c) == list(range(30))


def test_the_local_clusters_workers_run_with_the_engines_settings():
    """LOCAL_CLUSTER_CONFIG reaches the worker processes (spawned, with their own Dask config),
    and the scheduler queues tasks for the first free worker instead of sharing them out at once."""
    import dask

    from twinmotor.engine import LOCAL_CLUSTER_CONFIG, Engine

    def settings():
        return {k: dask.config.get(k) for k in LOCAL_CLUSTER_CONFIG}

    with Engine(None, 2) as engine:
        assert engine.n_workers == 2
        for got in engine.client.run(settings).values():
            assert got == LOCAL_CLUSTER_CONFIG
        saturation = engine.client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.WORKER_SATURATION)
        assert saturation == LOCAL_CLUSTER_CONFIG["distributed.scheduler.worker-saturation"]


def test_longest_tests_start_first_and_go_alone():
    """Longest-processing-time first: a drive cycle (8-12 s a case) before a lane change (2-4 s),
    before sine with dwell and the circle (1.5-2 s), before every short test (< 0.6 s); the long
    ones are exactly those sent alone."""
    from twinmotor.procedures import PROCEDURES
    from twinmotor.report.cases import is_long_test, test_priority

    assert test_priority("cycle-wltc") > test_priority("lane-change") > test_priority("sine-dwell")
    assert test_priority("sine-dwell") == test_priority("skidpad") > 0
    short = [t for t in PROCEDURES if not t.startswith("cycle") and t not in ("range", "lane-change", "sine-dwell",
                                                                              "skidpad")]
    assert short and all(test_priority(t) == 0 and not is_long_test(t) for t in short)
    assert all(is_long_test(t) == (test_priority(t) > 0) for t in [*PROCEDURES, "cycle-udds", "range"])
