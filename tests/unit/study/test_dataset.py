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
