"""Pedal interpretation: accelerator and brake pedal to the longitudinal force demand at the road.

Facts checked: full accelerator is the full available force at any speed; the e-Pedal (one-pedal
driving) asks for its deceleration at zero accelerator above 1 m/s, linearly less over the pedal
band and fading to zero at standstill; the brake pedal maps linearly to
BRAKE_PEDAL_FULL_DECEL_M_S2 and overrides the accelerator.
"""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.control.params import BRAKE_PEDAL_FULL_DECEL_M_S2, IDX
from twinmotor.control.pedal import EPEDAL_FADE_SPEED_M_S, longitudinal_demand

G = 9.80665
REL = 1e-12
SPEEDS = [0.0, 0.3, 1.0, 5.0, 20.0, 45.0]
MAX_FORCES = [800.0, 16000.0]


@pytest.fixture
def p_one(params):
    return params(one_pedal=1.0)


@pytest.fixture
def p_two(params):
    return params(one_pedal=0.0)


@pytest.mark.parametrize("one_pedal", [0.0, 1.0])
@pytest.mark.parametrize("v", SPEEDS)
@pytest.mark.parametrize("f_max", MAX_FORCES)
def test_full_accelerator_gives_full_available_force(params, one_pedal, v, f_max):
    p = params(one_pedal=one_pedal)
    assert longitudinal_demand(p, 1.0, 0.0, v, f_max) == pytest.approx(f_max, rel=REL)


@pytest.mark.parametrize("v", [1.0, 2.0, 20.0, 45.0])
def test_epedal_zero_accelerator_gives_0p2g_above_1m_s(p_one, v):
    mass = p_one[IDX["mass"]]
    assert p_one[IDX["epedal_decel_m_s2"]] == pytest.approx(0.2 * G, rel=REL)  # LEAF e-Pedal: up to 0.2 g
    assert longitudinal_demand(p_one, 0.0, 0.0, v, 16000.0) == pytest.approx(-0.2 * G * mass, rel=REL)


@pytest.mark.parametrize("v", [0.0, 0.1, 0.25, 0.5, 0.75, 1.0])
def test_epedal_fades_linearly_to_zero_at_standstill(p_one, v):
    mass = p_one[IDX["mass"]]
    expected = -0.2 * G * mass * v / EPEDAL_FADE_SPEED_M_S
    assert EPEDAL_FADE_SPEED_M_S == 1.0
    assert longitudinal_demand(p_one, 0.0, 0.0, v, 16000.0) == pytest.approx(expected, rel=REL, abs=1e-9)


def test_epedal_never_pulls_backwards_when_reversing(p_one):
    # at negative speed the fade is zero: the e-Pedal must not push a rolling-back car
    assert longitudinal_demand(p_one, 0.0, 0.0, -2.0, 16000.0) == 0.0


def test_epedal_band_is_linear_from_full_regen_to_coast(p_one):
    mass, band = p_one[IDX["mass"]], p_one[IDX["epedal_band"]]
    for share in (0.0, 0.25, 0.5, 0.75):
        f = longitudinal_demand(p_one, share * band, 0.0, 10.0, 16000.0)
        assert f == pytest.approx(-0.2 * G * mass * (1.0 - share), rel=REL)
    # the end of the band is the coast point: no force
    assert longitudinal_demand(p_one, band, 0.0, 10.0, 16000.0) == pytest.approx(0.0, abs=1e-9)


def test_accelerator_beyond_band_scales_linearly_to_full_force(p_one):
    band = p_one[IDX["epedal_band"]]
    f_max = 12000.0
    for throttle in np.linspace(band, 1.0, 7):
        expected = (throttle - band) / (1.0 - band) * f_max
        assert longitudinal_demand(p_one, throttle, 0.0, 15.0, f_max) == pytest.approx(expected, rel=REL, abs=1e-9)


def test_two_pedal_mode_coasts_at_zero_accelerator_and_is_proportional(p_two):
    assert longitudinal_demand(p_two, 0.0, 0.0, 20.0, 16000.0) == 0.0
    for throttle in (0.1, 0.37, 0.8):
        assert longitudinal_demand(p_two, throttle, 0.0, 20.0, 16000.0) == pytest.approx(throttle * 16000.0, rel=REL)


@pytest.mark.parametrize("x", [0.05, 0.2, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("v", [0.0, 5.0, 30.0])
def test_brake_pedal_maps_linearly_to_deceleration(p_two, x, v):
    mass = p_two[IDX["mass"]]
    expected = -x * BRAKE_PEDAL_FULL_DECEL_M_S2 * mass
    assert longitudinal_demand(p_two, 0.0, x, v, 16000.0) == pytest.approx(expected, rel=REL)


def test_full_brake_pedal_asks_for_more_than_any_preset_tire_gives():
    """Full pedal must reach ABS on every preset: above the highest peak friction of their tires
    (the NISMO RC's slicks, friction scale 1.3, reach about 1.36 g before downforce)."""
    import twinmotor as tm
    from twinmotor.control.params import vehicle_values

    mu_max = max(max(vehicle_values(tm.load_vehicle(n))["mu_peak_f"], vehicle_values(tm.load_vehicle(n))["mu_peak_r"])
                 for n in tm.list_presets())
    assert BRAKE_PEDAL_FULL_DECEL_M_S2 > 1.1 * mu_max * G


@pytest.mark.parametrize("one_pedal", [0.0, 1.0])
@pytest.mark.parametrize("throttle", [0.3, 0.6, 1.0])
def test_brake_pedal_overrides_accelerator(params, one_pedal, throttle):
    p = params(one_pedal=one_pedal)
    mass = p[IDX["mass"]]
    for x in (0.1, 0.4, 1.0):
        f = longitudinal_demand(p, throttle, x, 20.0, 16000.0)
        assert f == pytest.approx(-x * BRAKE_PEDAL_FULL_DECEL_M_S2 * mass, rel=REL)


def test_one_pedal_brake_and_epedal_take_the_stronger_deceleration(p_one):
    # with the accelerator released, a light brake touch must not weaken the e-Pedal deceleration
    mass = p_one[IDX["mass"]]
    light = 0.5 * 0.2 * G / BRAKE_PEDAL_FULL_DECEL_M_S2  # pedal asking for 0.1 g
    assert longitudinal_demand(p_one, 0.0, light, 20.0, 16000.0) == pytest.approx(-0.2 * G * mass, rel=REL)
    firm = 0.5
    assert longitudinal_demand(p_one, 0.0, firm, 20.0, 16000.0) == pytest.approx(
        -firm * BRAKE_PEDAL_FULL_DECEL_M_S2 * mass, rel=REL)


@pytest.mark.parametrize("one_pedal", [0.0, 1.0])
def test_demand_is_monotonic_in_both_pedals(params, one_pedal):
    p = params(one_pedal=one_pedal)
    pedal = np.linspace(0.0, 1.0, 41)
    drive = [longitudinal_demand(p, t, 0.0, 12.0, 15000.0) for t in pedal]
    brake = [longitudinal_demand(p, 0.0, b, 12.0, 15000.0) for b in pedal]
    assert np.all(np.diff(drive) >= -1e-9)
    assert np.all(np.diff(brake) <= 1e-9)
