"""The brake procedure's verdict: UN R13-H's type-0 requirement with the engine disconnected.

Fact checked: the regulation's stopping-distance formula s <= 0.1 v + 0.0060 v^2 [m, v in km/h] and
its mean fully developed deceleration 6.43 m/s^2 describe the same stop: a stop at 6.43 m/s^2 from
v km/h takes (v / 3.6)^2 / (2 * 6.43) = 0.0060 v^2 metres, and 0.1 v is 0.36 s at the initial speed.
"""

from __future__ import annotations

import pytest

from twinmotor.constants import G_M_S2, KMH
from twinmotor.procedures.brake import R13H_TYPE0_B, R13H_TYPE0_MFDD_M_S2, Brake, r13h_type0_distance_m


def test_distance_term_is_the_stop_at_the_regulations_deceleration():
    assert R13H_TYPE0_B == pytest.approx(KMH ** 2 / (2.0 * R13H_TYPE0_MFDD_M_S2), rel=1e-4)


@pytest.mark.parametrize("speed_kmh", [50.0, 100.0, 130.0])
def test_distance_limit_is_reaction_plus_braking(speed_kmh):
    v = speed_kmh * KMH
    reaction = 0.36 * v
    braking = v * v / (2.0 * R13H_TYPE0_MFDD_M_S2)
    assert r13h_type0_distance_m(speed_kmh) == pytest.approx(reaction + braking, rel=1e-4)


def test_verdict_needs_both_the_distance_and_the_deceleration():
    b = Brake(speed_kmh=100.0)
    limit = r13h_type0_distance_m(100.0)  # 70 m
    ok_decel = 6.5 / G_M_S2
    assert limit == pytest.approx(70.0, rel=1e-12)
    assert b.verdict({"stopping_distance_m": limit - 0.01, "mean_decel_g": ok_decel})
    assert not b.verdict({"stopping_distance_m": limit + 0.01, "mean_decel_g": ok_decel})
    assert not b.verdict({"stopping_distance_m": 40.0, "mean_decel_g": 6.4 / G_M_S2})
    assert not b.verdict({"stopping_distance_m": float("nan"), "mean_decel_g": ok_decel})
