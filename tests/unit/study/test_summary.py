"""The summary's analysis on a dataset of known answers: Sobol indices of an additive function, the
Pareto front of two objectives, and the page that shows them."""

from __future__ import annotations

import pyarrow as pa
import pytest

from twinmotor.study import load_study, plan_study
from twinmotor.study.dataset import write_case
from twinmotor.study.summary import design_table, sobol_indices, write_summary

STUDY = """\
name = "known answers"
vehicles = ["leaf-e-plus-awd"]
controllers = ["integrated"]
procedures = ["accel", "brake"]
surfaces = ["dry"]

[factors]
"mass_kg" = { range = [1800, 2000] }
"split_front" = { range = [0.2, 0.8] }

[design]
method = "saltelli"
samples = 64
seed = 3

[[objectives]]
procedure = "accel"
kpi = "t_0_100_kmh_s"
goal = "min"

[[objectives]]
procedure = "brake"
kpi = "stopping_distance_m"
goal = "min"
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """A saltelli plan whose 'results' are written by hand: 0-100 km/h = 4 + 0.01 (mass - 1800)
    + 0.1 split (mass dominates), stopping distance = 40 - 0.01 (mass - 1800) (a trade-off)."""
    tmp = tmp_path_factory.mktemp("summary")
    f = tmp / "s.toml"
    f.write_text(STUDY)
    plan = plan_study(load_study(f), tmp / "out")
    plan.dataset.mkdir(parents=True)
    for sc in plan.cases:
        pt = plan.design.points[sc.point]
        if sc.case.test == "accel":
            kpi = {"t_0_100_kmh_s": 4.0 + 0.01 * (pt["mass_kg"] - 1800.0) + 0.1 * pt["split_front"]}
        else:
            kpi = {"stopping_distance_m": 40.0 - 0.01 * (pt["mass_kg"] - 1800.0)}
        write_case(plan.dataset, sc.key, pa.table({"key": [sc.key], "error": pa.array([None], pa.string()),
                                                   "passed": pa.array([None], pa.bool_()),
                                                   **{k: [v] for k, v in kpi.items()}}))
    return plan


def test_sobol_indices_of_an_additive_function(plan):
    (accel, brake) = sobol_indices(plan)
    s1, st = accel["result"]["S1"], accel["result"]["ST"]
    # variance shares of 0.01 m and 0.1 s with m ~ U(0, 200), s ~ U(0.2, 0.8): 4 / (4 + 0.0003)
    assert s1[0] == pytest.approx(1.0, abs=0.05) and s1[1] == pytest.approx(0.0, abs=0.02)
    assert st[0] == pytest.approx(1.0, abs=0.05)
    assert brake["result"]["S1"][0] == pytest.approx(1.0, abs=0.05)


def test_pareto_front_of_a_trade_off(plan):
    t = design_table(plan)
    assert len(t) == 64 * (2 + 2)
    front = t[t["pareto"]]
    acc, stop = "accel dry: t_0_100_kmh_s", "brake dry: stopping_distance_m"
    # lighter is faster but stops longer: a trade-off, so the front has many designs, among them
    # the fastest and the one that stops shortest
    assert 1 < len(front) < len(t)
    assert t.loc[t[acc].idxmin(), "pareto"]
    shortest = t[t[stop] == t[stop].min()]  # the heaviest car, at several splits: the fastest of them
    assert shortest.loc[shortest[acc].idxmin(), "pareto"]
    # on the front, no design is beaten by one at least as heavy (stops no longer) and faster
    for _, row in front.iterrows():
        better = t[(t["factor:mass_kg"] >= row["factor:mass_kg"]) & (t[acc] < row[acc])]
        assert better.empty
    # and every design off the front is beaten by such a design
    for _, row in t[~t["pareto"]].iterrows():
        assert not t[(t[stop] <= row[stop]) & (t[acc] <= row[acc]) & ((t[stop] < row[stop]) | (t[acc] < row[acc]))].empty


def test_summary_page_shows_the_indices_and_the_front(plan):
    page = write_summary(plan).read_text()
    assert "Sobol indices" in page and "S1" in page and "ST" in page
    assert "Non-dominated designs" in page and page.count("<svg") >= 2
