"""Front/rear torque allocation: motor torques for a road force, the loss-minimising split with
hysteresis, and the load-following split.

Facts checked: the road force F = T_f G_f / R_f + T_r G_r / R_r is met exactly within the motor
limits and the excess of one motor goes to the other; the efficient split draws the least battery
power (motor model's electrical_power) of front alone, rear alone and both (the copper-loss optimum)
within the switching margin; one motor at light load, both at high load; the load split equals the
front share of the axle load, so both axles use the same share of their load (Wong sect. 3.4).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.control.allocation import (
    SPLIT_SWITCH_MARGIN_W,
    axle_torques,
    battery_power_for_split,
    efficient_split,
    load_split,
)
from twinmotor.control.estimation import axle_loads
from twinmotor.control.params import IDX
from twinmotor.powertrain.motor import M_ACTIVE_W, M_K_CU, M_K_INV_COND, electrical_power, torque_limit


@pytest.fixture
def p(params):
    return params()


def _c(p):
    """Motor torque per unit road force [m] of each axle: R / G."""
    return p[IDX["radius_f"]] / p[IDX["gear_f"]], p[IDX["radius_r"]] / p[IDX["gear_r"]]


def _road_force(p, tf, tr):
    cf, cr = _c(p)
    return tf / cf + tr / cr


# ---------------------------------------------------------------- axle_torques
@pytest.mark.parametrize("force", [500.0, 4000.0, -3000.0])
@pytest.mark.parametrize("split", [0.0, 0.3, 0.5, 0.8, 1.0])
def test_axle_torques_meet_force_exactly_within_limits(p, force, split):
    cf, cr = _c(p)
    tf, tr = axle_torques(p, force, split, 340.0, 340.0)
    assert tf == pytest.approx(force * split * cf, rel=1e-12, abs=1e-12)
    assert tr == pytest.approx(force * (1.0 - split) * cr, rel=1e-12, abs=1e-12)
    assert _road_force(p, tf, tr) == pytest.approx(force, rel=1e-12)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_excess_of_a_saturated_motor_moves_to_the_other(p, sign):
    cf, cr = _c(p)
    force = sign * 8000.0
    # front limited to 100 N m: the rear gives the rest
    tf, tr = axle_torques(p, force, 0.8, 100.0, 340.0)
    assert tf == pytest.approx(sign * 100.0, rel=1e-12)
    assert _road_force(p, tf, tr) == pytest.approx(force, rel=1e-12)
    # rear limited: the front gives the rest
    tf, tr = axle_torques(p, force, 0.2, 340.0, 100.0)
    assert tr == pytest.approx(sign * 100.0, rel=1e-12)
    assert _road_force(p, tf, tr) == pytest.approx(force, rel=1e-12)


def test_both_saturated_give_the_most_they_can(p):
    tf, tr = axle_torques(p, 30000.0, 0.5, 300.0, 250.0)
    assert (tf, tr) == (300.0, 250.0)
    tf, tr = axle_torques(p, -30000.0, 0.7, 300.0, 250.0)
    assert (tf, tr) == (-300.0, -250.0)


@pytest.mark.parametrize("split", [0.0, 0.4, 1.0])
def test_axle_torques_are_odd_in_force(p, split):
    a = axle_torques(p, 6000.0, split, 200.0, 150.0)
    b = axle_torques(p, -6000.0, split, 200.0, 150.0)
    assert a[0] == pytest.approx(-b[0], rel=1e-12) and a[1] == pytest.approx(-b[1], rel=1e-12)


def test_front_drive_car_never_commands_a_rear_motor(params):
    p = params("leaf-e-plus", "baseline")
    cf = p[IDX["radius_f"]] / p[IDX["gear_f"]]
    tf, tr = axle_torques(p, 3000.0, 1.0, 340.0, 0.0)
    assert tr == 0.0 and tf == pytest.approx(3000.0 * cf, rel=1e-12)
    tf, tr = axle_torques(p, 30000.0, 1.0, 340.0, 0.0)
    assert (tf, tr) == (340.0, 0.0)


# ---------------------------------------------------------------- efficient_split
def _speeds(p, v):
    return v / p[IDX["radius_f"]] * p[IDX["gear_f"]], v / p[IDX["radius_r"]] * p[IDX["gear_r"]]


def _candidates(p, mc_f, mc_r, force, wm_f, wm_r, lim_f, lim_r):
    """Battery power [W] of each feasible candidate (front alone, rear alone, copper optimum),
    computed here from the motor model."""
    cf, cr = _c(p)
    a_f = (mc_f[M_K_CU] + mc_f[M_K_INV_COND]) * cf * cf
    a_r = (mc_r[M_K_CU] + mc_r[M_K_INV_COND]) * cr * cr
    out = {}
    for s in (1.0, 0.0, a_r / (a_f + a_r)):
        tf, tr = axle_torques(p, force, s, lim_f, lim_r)
        if abs(_road_force(p, tf, tr) - force) > 1e-6 * max(abs(force), 1.0):
            continue  # this split cannot give the force
        out[s] = electrical_power(tf, wm_f, mc_f) + electrical_power(tr, wm_r, mc_r)
    return out


def test_copper_optimum_minimises_power_of_both_motors_sharing(p, motors):
    # among splits where both motors run, s* = a_r c_r^2 / (a_f c_f^2 + a_r c_r^2) draws the least
    mc_f, mc_r = motors(p)
    wm_f, wm_r = _speeds(p, 15.0)
    cand = _candidates(p, mc_f, mc_r, 5000.0, wm_f, wm_r, 340.0, 340.0)
    s_opt = [s for s in cand if 0.0 < s < 1.0][0]
    grid = np.linspace(0.05, 0.95, 181)
    powers = [battery_power_for_split(p, mc_f, mc_r, 5000.0, s, wm_f, wm_r, 340.0, 340.0) for s in grid]
    assert cand[s_opt] <= min(powers) + 1e-6
    assert abs(s_opt - 0.5) < 0.02  # two equal EM57s on near-equal wheels: nearly an even split


@pytest.mark.parametrize("v", [5.0, 15.0, 30.0])
@pytest.mark.parametrize("force", [100.0, 400.0, 1000.0, 2500.0, 5000.0, 9000.0, 14000.0])
def test_efficient_split_is_minimal_within_switching_margin(p, motors, v, force):
    mc_f, mc_r = motors(p)
    wm_f, wm_r = _speeds(p, v)
    lim_f, lim_r = torque_limit(wm_f, mc_f), torque_limit(wm_r, mc_r)
    cand = _candidates(p, mc_f, mc_r, force, wm_f, wm_r, lim_f, lim_r)
    if not cand:
        # beyond what both motors together can give: both at their limits, the most force there is
        s = efficient_split(p, mc_f, mc_r, force, wm_f, wm_r, lim_f, lim_r, 0.0)
        tf, tr = axle_torques(p, force, s, lim_f, lim_r)
        assert (tf, tr) == (lim_f, lim_r)
        return
    p_min = min(cand.values())
    for previous in (0.0, 1.0, 0.5):
        s = efficient_split(p, mc_f, mc_r, force, wm_f, wm_r, lim_f, lim_r, previous)
        assert s in cand, "the chosen split must give the whole force"
        assert cand[s] <= p_min + SPLIT_SWITCH_MARGIN_W + 1e-9
        # the power the chosen split draws, from the public helper, agrees with the motor model
        assert battery_power_for_split(p, mc_f, mc_r, force, s, wm_f, wm_r, lim_f, lim_r) == pytest.approx(
            cand[s], rel=1e-12)


def test_one_motor_at_light_load_both_at_high_load(p, motors):
    mc_f, mc_r = motors(p)
    v = 15.0
    wm_f, wm_r = _speeds(p, v)
    lim = 340.0
    cf, _ = _c(p)
    # both motors share T/2 each: copper + conduction a (T/2)^2 * 2 + two active losses; one motor:
    # a T^2 + one active loss. One motor pays below T* = sqrt(2 P_active / a).
    a = mc_f[M_K_CU] + mc_f[M_K_INV_COND]
    t_star = math.sqrt(2.0 * mc_f[M_ACTIVE_W] / a)
    assert 60.0 < t_star < 120.0  # EM57 figures: ~88 N m total motor torque
    light = 0.3 * t_star / cf
    heavy = 2.0 * t_star / cf
    for previous in (0.0, 0.5, 1.0):
        s_light = efficient_split(p, mc_f, mc_r, light, wm_f, wm_r, lim, lim, previous)
        assert s_light in (0.0, 1.0)
        s_heavy = efficient_split(p, mc_f, mc_r, heavy, wm_f, wm_r, lim, lim, previous)
        assert 0.3 < s_heavy < 0.7
    # the saving at light load is clearly more than the switching margin
    cand = _candidates(p, mc_f, mc_r, light, wm_f, wm_r, lim, lim)
    s_opt = [s for s in cand if 0.0 < s < 1.0][0]
    assert cand[s_opt] - min(cand[0.0], cand[1.0]) > SPLIT_SWITCH_MARGIN_W


def test_hysteresis_keeps_a_choice_within_the_margin(p, motors):
    mc_f, mc_r = motors(p)
    wm_f, wm_r = _speeds(p, 15.0)
    lim = 340.0
    checked = 0
    for force in np.linspace(200.0, 6000.0, 59):
        cand = _candidates(p, mc_f, mc_r, force, wm_f, wm_r, lim, lim)
        best = min(cand, key=cand.get)
        for previous, p_prev in cand.items():
            s = efficient_split(p, mc_f, mc_r, force, wm_f, wm_r, lim, lim, previous)
            if p_prev <= cand[best] + SPLIT_SWITCH_MARGIN_W:
                assert s == previous  # kept: switching would save less than the margin
                checked += previous != best
            else:
                assert s == best
    assert checked > 0, "the force grid must include cases where a worse choice is kept"


def test_single_motor_not_chosen_when_it_cannot_give_the_force(p, motors):
    mc_f, mc_r = motors(p)
    wm_f, wm_r = _speeds(p, 20.0)
    lim_f, lim_r = torque_limit(wm_f, mc_f), torque_limit(wm_r, mc_r)
    cf, cr = _c(p)
    force = 1.5 * lim_f / cf  # more than the front alone can give
    for previous in (0.0, 1.0):
        s = efficient_split(p, mc_f, mc_r, force, wm_f, wm_r, lim_f, lim_r, previous)
        assert 0.0 < s < 1.0


# ---------------------------------------------------------------- load_split
@pytest.mark.parametrize("ax", [-8.0, 0.0, 3.0, 6.0])
def test_load_split_is_front_load_share(p, ax):
    f, r = axle_loads(p, ax)
    s = load_split(f, r)
    mass, g, h, lr, wb = (p[IDX[k]] for k in ("mass", "g", "cg_height", "lr", "wheelbase"))
    assert s == pytest.approx((g * lr - ax * h) / (g * wb), rel=1e-12)
    # both axles then use the same share of their load: Fx_f / Fz_f = Fx_r / Fz_r
    force = mass * ax if ax > 0.0 else 5000.0
    assert force * s / f == pytest.approx(force * (1.0 - s) / r, rel=1e-12)


def test_load_split_without_load_is_even():
    assert load_split(0.0, 0.0) == 0.5
