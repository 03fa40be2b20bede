"""Yaw control: reference yaw rate, corrective yaw moment, single-wheel braking, split shift and
brake release on split friction.

Facts checked: r_ref = v delta / (L + K_us v^2) in the linear range (Rajamani sect. 8.2), with its
largest gain at the characteristic speed sqrt(L / K_us) for an understeering car, saturated at
0.85 mu g / v; the moment demand is zero inside the dead band and proportional outside, turning the
car toward the reference; a braking force F on one side gives F t / 2 of yaw moment, so the brake
torque is |Mz| / (t / 2) * R on the outer front wheel (oversteer) or the inner rear (understeer)
(van Zanten, SAE 2000-01-1633); releasing brakes never drops a wheel below its axle partner.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.control.params import IDX
from twinmotor.control.yaw import (
    HEADING_HOLD_MAX_YAW_RATE,
    HEADING_HOLD_RELEASE_S,
    YAW_INTEGRAL_LIMIT,
    YAW_RATE_MU_MARGIN,
    YAW_SPLIT_DEADBAND_RAD_S,
    reference_yaw_rate,
    yaw_brake_release,
    yaw_brake_torques,
    yaw_moment_demand,
    yaw_split_shift,
)


@pytest.fixture
def p(params):
    # baseline: no heading-hold integral, so the demand is the proportional law alone
    return params(controller="baseline")


def _yaw_moment_of_brakes(p, torques):
    """Yaw moment [N m] of brake torques (fl, fr, rl, rr): Mz = sum y_i Fx_i with Fx_i = -T_i / R,
    y = +t/2 on the left, -t/2 on the right (ISO 8855)."""
    tf, tr, rf, rr = (p[IDX[k]] for k in ("track_f", "track_r", "radius_f", "radius_r"))
    y = np.array([tf / 2, -tf / 2, tr / 2, -tr / 2])
    radius = np.array([rf, rf, rr, rr])
    fx = -np.asarray(torques) / radius
    return float(-np.sum(y * fx))  # Mz = sum (x Fy - y Fx), no lateral forces here


# ---------------------------------------------------------------- reference yaw rate
@pytest.mark.parametrize("v,steer", [(5.0, 0.1), (10.0, 0.02), (20.0, 0.01), (30.0, -0.005)])
def test_reference_yaw_rate_is_single_track_steady_state(p, v, steer):
    wb, k_us, g = p[IDX["wheelbase"]], p[IDX["k_us"]], p[IDX["g"]]
    expected = v * steer / (wb + k_us * v * v)
    assert abs(expected) * v < YAW_RATE_MU_MARGIN * g  # within the linear range on a dry road
    assert reference_yaw_rate(p, v, steer, 1.0) == pytest.approx(expected, rel=1e-12)


def test_yaw_gain_peaks_at_the_characteristic_speed(p):
    wb, k_us = p[IDX["wheelbase"]], p[IDX["k_us"]]
    assert k_us > 0.0  # the LEAF e+ AWD understeers
    v_char = math.sqrt(wb / k_us)
    speeds = np.linspace(5.0, 120.0, 2301)
    gain = [reference_yaw_rate(p, v, 1e-4, 10.0) / 1e-4 for v in speeds]
    v_peak = speeds[int(np.argmax(gain))]
    assert v_peak == pytest.approx(v_char, abs=0.1)
    # at the characteristic speed the gain is half the neutral-steer gain v / L
    assert reference_yaw_rate(p, v_char, 1e-4, 10.0) / 1e-4 == pytest.approx(0.5 * v_char / wb, rel=1e-9)


@pytest.mark.parametrize("mu", [1.0, 0.5, 0.15])
@pytest.mark.parametrize("v", [10.0, 25.0, 40.0])
def test_reference_yaw_rate_saturates_at_friction_limit(p, mu, v):
    g = p[IDX["g"]]
    r_max = 0.85 * mu * g / v
    assert YAW_RATE_MU_MARGIN == 0.85
    for steer in (0.5, -0.5):
        r = reference_yaw_rate(p, v, steer, mu)
        assert r == pytest.approx(math.copysign(r_max, steer), rel=1e-12)
        assert abs(r * v) == pytest.approx(0.85 * mu * g, rel=1e-12)  # lateral acceleration v r


def test_reference_yaw_rate_is_odd_in_steer(p):
    for v in (3.0, 15.0, 35.0):
        for steer in (0.003, 0.05, 0.3):
            assert reference_yaw_rate(p, v, -steer, 0.8) == -reference_yaw_rate(p, v, steer, 0.8)


# ---------------------------------------------------------------- yaw moment demand
def test_no_moment_inside_dead_band(p):
    s = np.zeros(4)
    db = p[IDX["esc_deadband_rad_s"]]
    for err in (0.0, 0.5 * db, -0.99 * db):
        assert yaw_moment_demand(p, s, 0, 0.2, 0.2 - err, 0.0, 1e-3) == 0.0


@pytest.mark.parametrize("err", [0.08, 0.3, -0.08, -0.3])
def test_moment_is_proportional_beyond_dead_band_and_turns_toward_reference(p, err):
    s = np.zeros(4)
    kp, db = p[IDX["esc_kp_nms_rad"]], p[IDX["esc_deadband_rad_s"]]
    r_ref = 0.25
    mz = yaw_moment_demand(p, s, 0, r_ref, r_ref - err, 0.0, 1e-3)
    assert mz == pytest.approx(kp * (err - math.copysign(db, err)), rel=1e-12)
    # turning less to the left than asked (err > 0): a positive (left) moment
    assert np.sign(mz) == np.sign(err)


def test_sideslip_term_turns_the_car_back_to_its_travel_direction(p):
    s = np.zeros(4)
    lim, gain = p[IDX["beta_limit_rad"]], p[IDX["beta_gain_nm_rad"]]
    assert yaw_moment_demand(p, s, 0, 0.0, 0.0, 0.9 * lim, 1e-3) == 0.0
    # beta < 0: the velocity points right of the nose (the tail swings out in a left turn):
    # the moment must yaw the car right (negative)
    beta = -(lim + 0.05)
    assert yaw_moment_demand(p, s, 0, 0.0, 0.0, beta, 1e-3) == pytest.approx(-gain * 0.05, rel=1e-9)
    assert yaw_moment_demand(p, s, 0, 0.0, 0.0, -beta, 1e-3) == pytest.approx(gain * 0.05, rel=1e-9)


def test_heading_hold_integral_is_clamped(params):
    p = params(controller="integrated", yaw_ki_nm_rad=40000.0)
    ki = p[IDX["yaw_ki_nm_rad"]]
    assert ki > 0.0
    s = np.zeros(4)
    dt = 1e-3
    # driving straight (r_ref = 0), a small drift inside the dead band still accumulates, linearly
    for _ in range(100):
        mz = yaw_moment_demand(p, s, 2, 0.0, -0.01, 0.0, dt)
    assert s[2] == pytest.approx(100 * 0.01 * dt, rel=1e-9)
    assert mz == pytest.approx(ki * s[2], rel=1e-9)
    for _ in range(400):
        yaw_moment_demand(p, s, 2, 0.0, -1.0, 0.0, dt)
    assert s[2] == YAW_INTEGRAL_LIMIT
    assert s[[0, 1, 3]].tolist() == [0.0, 0.0, 0.0]  # only its own state slot is used


def test_heading_hold_lets_go_when_the_driver_turns(params):
    p = params(controller="integrated", yaw_ki_nm_rad=40000.0)
    s = np.zeros(4)
    s[2] = 0.1
    dt = 1e-3
    r_ref = 2.0 * HEADING_HOLD_MAX_YAW_RATE  # the driver steers: no heading to hold
    n = int(round(HEADING_HOLD_RELEASE_S / dt))
    for _ in range(n):
        yaw_moment_demand(p, s, 2, r_ref, r_ref, 0.0, dt)
    # first-order release: after one time constant about 1/e of the integral is left
    assert s[2] == pytest.approx(0.1 * (1.0 - dt / HEADING_HOLD_RELEASE_S) ** n, rel=1e-9)
    assert s[2] == pytest.approx(0.1 / math.e, rel=2e-3)


# ---------------------------------------------------------------- single-wheel braking
@pytest.mark.parametrize("r", [0.3, -0.3])
def test_oversteer_brakes_the_outer_front_wheel(p, r):
    mz = -math.copysign(800.0, r)  # opposing the yaw rate: oversteer
    out = np.zeros(4)
    yaw_brake_torques(p, mz, r, out)
    outer_front = 1 if r > 0 else 0  # turning left, the right wheels are outside
    expected = abs(mz) / (0.5 * p[IDX["track_f"]]) * p[IDX["radius_f"]]
    assert out[outer_front] == pytest.approx(expected, rel=1e-12)
    assert np.count_nonzero(out) == 1
    assert _yaw_moment_of_brakes(p, out) == pytest.approx(mz, rel=1e-12)


@pytest.mark.parametrize("r", [0.3, -0.3])
def test_understeer_brakes_the_inner_rear_wheel(p, r):
    mz = math.copysign(500.0, r)  # with the yaw rate: understeer
    out = np.zeros(4)
    yaw_brake_torques(p, mz, r, out)
    inner_rear = 2 if r > 0 else 3
    expected = abs(mz) / (0.5 * p[IDX["track_r"]]) * p[IDX["radius_r"]]
    assert out[inner_rear] == pytest.approx(expected, rel=1e-12)
    assert np.count_nonzero(out) == 1
    assert _yaw_moment_of_brakes(p, out) == pytest.approx(mz, rel=1e-12)


def test_brake_torque_is_capped_and_added(p):
    out = np.array([100.0, 0.0, 0.0, 0.0])
    yaw_brake_torques(p, 1e6, -0.3, out)  # huge left moment against a right yaw: oversteer
    assert out[0] == pytest.approx(100.0 + p[IDX["brake_max_f"]], rel=1e-12)
    out = np.zeros(4)
    yaw_brake_torques(p, 1e6, 0.3, out)
    assert out[2] == p[IDX["brake_max_r"]]


def test_no_moment_no_braking(p):
    out = np.zeros(4)
    yaw_brake_torques(p, 0.0, 0.4, out)
    assert not out.any()


# ---------------------------------------------------------------- split shift
def test_split_shift_moves_drive_rearward_on_understeer(p):
    db = YAW_SPLIT_DEADBAND_RAD_S
    assert yaw_split_shift(p, 2.0, 0.3, 0.2) == pytest.approx(-2.0 * (0.1 - db), rel=1e-12)  # turning too little
    assert yaw_split_shift(p, 2.0, 0.3, 0.4) == pytest.approx(2.0 * (0.1 - db), rel=1e-12)  # turning too much
    assert yaw_split_shift(p, 2.0, 0.3, 0.3) == 0.0
    # an error inside the dead band (sensor noise) moves nothing
    assert yaw_split_shift(p, 2.0, 0.3, 0.3 - 0.9 * db) == 0.0
    assert yaw_split_shift(p, 2.0, 0.3, 0.3 + 0.9 * db) == 0.0
    assert yaw_split_shift(p, 2.0, 0.0, 0.0) == 0.0


def test_split_shift_is_mirror_symmetric_and_bounded(p):
    for r_ref, r in ((0.3, 0.1), (0.2, 0.5), (0.05, -0.1)):
        assert yaw_split_shift(p, 2.0, -r_ref, -r) == pytest.approx(yaw_split_shift(p, 2.0, r_ref, r), rel=1e-12)
    assert yaw_split_shift(p, 50.0, 0.5, 0.0) == -0.5
    assert yaw_split_shift(p, 50.0, 0.1, 0.6) == 0.5


# ---------------------------------------------------------------- brake release (split friction)
def test_release_on_split_mu_makes_the_asked_moment(p):
    # right wheels on asphalt brake harder: the car pulls right, a left moment is wanted
    brakes = np.array([600.0, 2200.0, 300.0, 900.0])
    before = brakes.copy()
    mz = 1500.0
    yaw_brake_release(p, mz, brakes)
    made = _yaw_moment_of_brakes(p, brakes) - _yaw_moment_of_brakes(p, before)
    assert made == pytest.approx(mz, rel=1e-9)
    assert brakes[0] == before[0] and brakes[2] == before[2]  # the left side is left alone
    assert brakes[1] < before[1] and brakes[3] == before[3]  # front wheel first, enough room there


def test_release_goes_to_the_rear_when_the_front_runs_out(p):
    brakes = np.array([600.0, 800.0, 300.0, 900.0])
    before = brakes.copy()
    yaw_brake_release(p, 3000.0, brakes)
    assert brakes[1] == pytest.approx(brakes[0], rel=1e-12)  # front released down to its partner
    assert brakes[3] == pytest.approx(brakes[2], rel=1e-12)  # and the rear too
    made = _yaw_moment_of_brakes(p, brakes) - _yaw_moment_of_brakes(p, before)
    assert 0.0 < made < 3000.0  # all it could, less than asked


def test_release_never_drops_a_wheel_below_its_partner(p):
    rng = np.random.default_rng(7)
    for _ in range(500):
        brakes = rng.uniform(0.0, 2500.0, 4)
        before = brakes.copy()
        mz = rng.uniform(-6000.0, 6000.0)
        yaw_brake_release(p, mz, brakes)
        assert np.all(brakes <= before + 1e-12)  # only releases
        for i, j in ((0, 1), (1, 0), (2, 3), (3, 2)):
            if brakes[i] < before[i]:
                assert brakes[i] >= brakes[j] - 1e-9
        made = _yaw_moment_of_brakes(p, brakes) - _yaw_moment_of_brakes(p, before)
        assert made * mz >= -1e-9 and abs(made) <= abs(mz) + 1e-6
