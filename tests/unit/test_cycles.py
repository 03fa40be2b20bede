"""Shipped drive cycles against their published figures (durations and top speeds from the project's
REFERENCE table; WLTC phase distances from UNECE GTR No. 15; UDDS bag distances from 40 CFR 86), and
a user cycle whose distance is known in closed form. (The whole-cycle distances are checked in
tests/integration/test_cycles.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.constants import KM_PER_MILE
from twinmotor.cycles import ALIASES, load_cycle

#: name: (duration [s], max speed [km/h]) as the REFERENCE table gives them
REFERENCE = {"udds": (1369.0, 91.2), "hwfet": (765.0, 96.4), "wltc": (1800.0, 131.3), "nedc": (1179.0, 120.0),
             "us06": (600.0, 129.2)}


def _distance_m(cycle, t0: float, t1: float) -> float:
    m = (cycle.time_s >= t0) & (cycle.time_s <= t1)
    return float(np.trapezoid(cycle.speed_m_s[m], cycle.time_s[m]))


@pytest.mark.parametrize("name", list(REFERENCE))
def test_shipped_cycles_have_their_published_duration_and_top_speed(name):
    c = load_cycle(name)
    duration, v_max = REFERENCE[name]
    assert c.duration_s == duration
    assert c.max_speed_kmh == pytest.approx(v_max, abs=0.06)
    assert c.time_s[0] == 0.0 and np.all(np.diff(c.time_s) == 1.0)  # 1 Hz from zero
    assert c.speed_m_s[0] == 0.0 and c.speed_m_s[-1] == 0.0  # standing start and stop
    assert np.all(c.speed_m_s >= 0.0) and c.grade is None


def test_wltc_class_3b_phase_distances_match_gtr_15():
    """GTR No. 15, class 3b: low 3095 m (0-589 s), medium 4756 m (589-1022 s), high 7162 m
    (1022-1477 s), extra high 8254 m (1477-1800 s); the car stands still at each boundary."""
    c = load_cycle("wltc")
    for (t0, t1), published in zip([(0, 589), (589, 1022), (1022, 1477), (1477, 1800)], (3095, 4756, 7162, 8254)):
        assert c.speed_m_s[c.time_s == t1][0] == 0.0
        assert _distance_m(c, t0, t1) == pytest.approx(published, rel=1e-3)


def test_udds_bags_match_the_ftp_phase_distances():
    """FTP-72: the cold-start phase (bag 1, 0-505 s) is 3.59 mi, the stabilised phase 3.86 mi."""
    c = load_cycle("udds")
    assert _distance_m(c, 0, 505) / (1000.0 * KM_PER_MILE) == pytest.approx(3.59, abs=0.006)
    assert _distance_m(c, 505, 1369) / (1000.0 * KM_PER_MILE) == pytest.approx(3.86, abs=0.006)


def test_aliases_load_the_same_trace():
    for alias, name in ALIASES.items():
        a, b = load_cycle(alias), load_cycle(name)
        assert a.name == name and np.array_equal(a.speed_m_s, b.speed_m_s)
    assert load_cycle(" UDDS ").name == "udds"


def test_trapezoid_user_cycle_distance_is_exact(tmp_path):
    """0 -> 72 km/h (20 m/s) in 10 s, 20 s at 20 m/s, back to 0 in 10 s: 100 + 400 + 100 = 600 m.
    Time is shifted to start at zero."""
    path = tmp_path / "trap.csv"
    path.write_text("# a comment line\ntime_s,speed_kmh\n5,0\n15,72\n35,72\n45,0\n")
    c = load_cycle(path)
    assert c.name == "trap" and np.array_equal(c.time_s, [0.0, 10.0, 30.0, 40.0])
    assert c.distance_m == pytest.approx(600.0, rel=1e-12)
    assert c.duration_s == 40.0 and c.max_speed_kmh == pytest.approx(72.0, rel=1e-12)


@pytest.mark.parametrize("column, value", [("speed_m_s", 20.0), ("speed_mps", 20.0), ("speed_mph", 20.0 / 0.44704),
                                           ("speed_kmh", 72.0)])
def test_speed_columns_in_any_unit_give_the_same_m_s(tmp_path, column, value):
    path = tmp_path / "c.csv"
    path.write_text(f"time_s,{column}\n0,0\n1,{value!r}\n")
    assert load_cycle(path).speed_m_s[1] == pytest.approx(20.0, rel=1e-12)
