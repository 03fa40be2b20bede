"""Road load (Gillespie ch. 4): aerodynamic drag 0.5 rho C_d A v^2 and rolling resistance C_rr m g."""

from __future__ import annotations

from functools import cache

import pytest

import twinmotor
from twinmotor.constants import G_M_S2
from twinmotor.models.road_load import aero_drag_factor, road_load_decel, rolling_resistance_coefficient


@cache
def _leaf():
    return twinmotor.load_vehicle("leaf-e-plus")


def test_aero_drag_factor_is_half_rho_cd_a():
    assert aero_drag_factor(1.2, 0.28, 2.3) == pytest.approx(0.3864, rel=1e-14)
    assert aero_drag_factor(1.225, 0.3, 2.0) == pytest.approx(0.3675, rel=1e-14)
    # linear in each factor
    assert aero_drag_factor(2.4, 0.28, 2.3) == pytest.approx(2.0 * aero_drag_factor(1.2, 0.28, 2.3), rel=1e-15)


def test_standstill_decel_is_rolling_resistance_times_g():
    v = _leaf()
    assert road_load_decel(v, 0.0) == pytest.approx(rolling_resistance_coefficient(v) * G_M_S2, rel=1e-14)


def test_rolling_resistance_is_weighted_by_the_static_axle_loads():
    v = _leaf().with_(**{"tires.front.rolling_resistance_coefficient": 0.006,
                         "tires.rear.rolling_resistance_coefficient": 0.012})
    f = v.front_axle_load_fraction
    assert rolling_resistance_coefficient(v) == pytest.approx(f * 0.006 + (1 - f) * 0.012, rel=1e-14)
    # equal tires front and rear: the car's coefficient is the tire's
    same = v.with_(**{"tires.rear.rolling_resistance_coefficient": 0.006})
    assert rolling_resistance_coefficient(same) == pytest.approx(0.006, rel=1e-14)


@pytest.mark.parametrize("speed", [5.0, 13.9, 27.8, 36.0])
def test_drag_part_grows_with_the_square_of_speed(speed):
    v = _leaf()
    base = road_load_decel(v, 0.0)
    extra = road_load_decel(v, speed) - base
    a = v.aero
    assert extra == pytest.approx(aero_drag_factor(a.air_density_kg_m3, a.drag_coefficient, a.frontal_area_m2)
                                  * speed ** 2 / v.mass_kg, rel=1e-12)
    assert road_load_decel(v, 2.0 * speed) - base == pytest.approx(4.0 * extra, rel=1e-12)
    assert road_load_decel(v, -speed) == pytest.approx(road_load_decel(v, speed), rel=1e-15)  # even in v


def test_leaf_coast_down_decel_at_100_kmh_is_plausible():
    """0.5 * 1.2 * 0.28 * 2.3 * 27.8^2 / 1823 kg + 0.008 g = 0.16 + 0.08 m/s^2: about 0.24 m/s^2."""
    v = _leaf()
    assert road_load_decel(v, 100.0 / 3.6) == pytest.approx(0.3864 * (100 / 3.6) ** 2 / 1823.0 + 0.008 * G_M_S2,
                                                            rel=1e-3)
