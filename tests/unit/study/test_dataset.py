"""The dataset: keys from full inputs, one atomic write per case, and the Pareto front."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

import twinmotor
from twinmotor.report.cases import Case
from twinmotor.study.dataset import case_key, done_keys, read_dataset, remove_temporaries, write_case
from twinmotor.study.summary import pareto_mask

BASE = Case("leaf-e-plus-awd", "brake", "integrated", "dry")


def test_key_is_stable_and_follows_every_input(monkeypatch):
    k = case_key(BASE)
    assert k == case_key(Case("leaf-e-plus-awd", "brake", "integrated", "dry")) and len(k) == 24
    others = [
        Case("leaf-e-plus-awd", "brake", "integrated", "dry", overrides=(("mass_kg", 1950.0),)),
        Case("leaf-e-plus-awd", "brake", "integrated", "dry", settings=(("split_front", 0.4),)),
        Case("leaf-e-plus-awd", "brake", "integrated", "wet"),
        Case("leaf-e-plus-awd", "brake", "baseline", "dry"),
        Case("leaf-e-plus-awd", "brake", "integrated", "dry", sensors="typical", sensor_seed=1),
        Case("leaf-e-plus-awd", "brake", "integrated", "dry", sensors="typical", sensor_seed=2),
        Case("leaf-e-plus-awd", "cycle-udds", "integrated", "dry"),
        Case("leaf-e-plus-awd", "cycle-wltc", "integrated", "dry"),
    ]
    keys = [case_key(c) for c in others]
    assert len(set(keys + [k])) == len(keys) + 1
    # an override to the value the preset already has is the same car: the same case
    mass = twinmotor.load_vehicle("leaf-e-plus-awd").mass_kg
    assert case_key(Case("leaf-e-plus-awd", "brake", "integrated", "dry", overrides=(("mass_kg", mass),))) == k
    monkeypatch.setattr(twinmotor, "__version__", "9.9.9")
    assert case_key(BASE) != k


def test_a_case_is_written_once_and_atomically(tmp_path):
    t1 = pa.table({"key": ["abc"], "x": [1.0]})
    t2 = pa.table({"key": ["abc"], "x": [2.0]})
    assert write_case(tmp_path, "abc", t1) is True
    assert write_case(tmp_path, "abc", t2) is False
    df = read_dataset(tmp_path)
    assert df["x"].tolist() == [1.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abc.parquet"]  # no temporary left behind
    # a writer killed mid-write leaves a temporary: not a case, removed by the next run
    (tmp_path / ".def.tmp-123-0000").write_bytes(b"PAR1 half")
    assert done_keys(tmp_path) == {"abc"}
    assert remove_temporaries(tmp_path) == 1


def test_pareto_mask():
    v = np.array([[1.0, 5.0], [2.0, 4.0], [2.0, 6.0], [3.0, 3.0], [np.nan, 0.0], [1.0, 5.0]])
    # both minimised: (2, 6) is dominated by (1, 5); equal rows do not dominate each other
    assert pareto_mask(v, ["min", "min"]).tolist() == [True, True, False, True, False, True]
    # the second maximised: (2, 6) beats (2, 4) and (3, 3); (1, 5) still has the lowest first
    assert pareto_mask(v, ["min", "max"]).tolist() == [True, False, True, False, False, True]


def test_a_chunk_writes_each_case_once_and_skips_what_is_there(tmp_path):
    """run_and_store_chunk (a study's task of several short cases, each file written by a second
    thread while the next case runs): every case ends up in the dataset exactly once, with the KPIs
    of a case run on its own; a case already there is neither run nor written again."""
    from twinmotor.report.cases import run_case
    from twinmotor.study.dataset import run_and_store_chunk

    cases = [Case("leaf-e-plus", "accel", "open", "dry", overrides=(("mass_kg", 1700.0 + 10.0 * i),)) for i in range(3)]
    keys = [case_key(c) for c in cases]
    first = run_and_store_chunk(cases[:1], keys[:1], str(tmp_path))
    assert first[0]["ran"] and first[0]["written"]
    out = run_and_store_chunk(cases, keys, str(tmp_path))
    assert [(o["key"], o["ran"], o["written"]) for o in out] == [(keys[0], False, False), (keys[1], True, True),
                                                                   (keys[2], True, True)]
    assert done_keys(tmp_path) == set(keys)
    df = read_dataset(tmp_path).set_index("key")
    alone = run_case(cases[2])
    assert df.loc[keys[2], "t_0_100_kmh_s"] == alone.kpis["t_0_100_kmh_s"]


def test_a_worker_with_another_package_refuses_the_chunk(tmp_path):
    """The keys come from the client; a worker whose twinmotor differs (version or any file) would
    write results under keys that do not name what it ran: it refuses, saying why."""
    import pytest

    from twinmotor.errors import TwinmotorError
    from twinmotor.study.dataset import run_and_store_chunk

    with pytest.raises(TwinmotorError, match="install the same twinmotor on every worker"):
        run_and_store_chunk([BASE], [case_key(BASE)], str(tmp_path), fingerprint="0" * 16)
    assert done_keys(tmp_path) == set()
