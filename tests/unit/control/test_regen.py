"""Regenerative braking blended with the friction brakes.

Facts checked: the four outputs (regen front, regen rear, friction front, friction rear) are
non-negative and sum to the demanded braking force; regeneration stays within each motor's
envelope and the battery's charge limit (electrical power = F v * wheel/car speed * chain
efficiency <= P_charge); 'level' blending puts more of a 0.3 g stop on the rear motor than the
fixed 50/50 split, and keeps the rear within its stability margin; hard braking follows the
load-proportional (ideal) distribution; regeneration fades linearly below the fade speed.
"""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.control.estimation import axle_loads
from twinmotor.control.params import IDX
from twinmotor.control.regen import (
    BRAKING_SLIP_ALLOWANCE,
    LEVEL_MAX_DECEL_M_S2,
    REGEN_CHAIN_EFFICIENCY,
    REGEN_MIN_SPEED_M_S,
    blend,
    regen_capacity,
)

G = 9.80665
P_CHG = 70e3  # LEAF e+ AWD preset: regen acceptance at mid state of charge [W]
LIM = 340.0  # EM57 peak torque [N m], below base speed


@pytest.fixture
def p_level(params):
    return params(controller="integrated")


@pytest.fixture
def p_fixed(params):
    return params(controller="baseline", split_front=0.5)


def _blend(p, decel, v, lim=LIM, p_chg=P_CHG, mu=0.95):
    force = p[IDX["mass"]] * decel
    fz_f, fz_r = axle_loads(p, -decel)
    return force, np.array(blend(p, force, v, lim, lim, p_chg, fz_f, fz_r, mu)), (fz_f, fz_r)


def _motor_cap(p, v, lim=LIM):
    fade = min(v / p[IDX["regen_fade_speed_m_s"]], 1.0)
    return (lim * p[IDX["gear_f"]] / p[IDX["radius_f"]] * fade * p[IDX["has_motor_f"]],
            lim * p[IDX["gear_r"]] / p[IDX["radius_r"]] * fade * p[IDX["has_motor_r"]])


DECELS = [0.0, 0.05 * G, 0.2 * G, 0.3 * G, 0.4 * G, 0.6 * G, 1.0 * G, 1.25 * G]
SPEEDS = [0.0, 0.5, 1.5, 5.0, 20.0, 40.0]


MODES = {"level": ("leaf-e-plus-awd", "integrated"), "fixed": ("leaf-e-plus-awd", "baseline"),
         "fwd": ("leaf-e-plus", "baseline")}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("decel", DECELS)
def test_blend_conserves_force_and_is_non_negative(params, mode, decel):
    p = params(*MODES[mode])
    for v in SPEEDS:
        for mu in (0.95, 0.3):
            force, out, _ = _blend(p, decel, v, mu=mu)
            assert np.all(out >= 0.0), (v, mu, out)
            assert out.sum() == pytest.approx(force, rel=1e-12, abs=1e-9), (v, mu, out)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("decel", DECELS)
def test_regen_within_motor_and_battery_limits(params, mode, decel):
    p = params(*MODES[mode])
    for v in SPEEDS:
        for p_chg in (5e3, 70e3, 200e3):
            _, out, _ = _blend(p, decel, v, p_chg=p_chg)
            cap_f, cap_r = _motor_cap(p, v)
            assert out[0] <= cap_f * (1 + 1e-12) and out[1] <= cap_r * (1 + 1e-12), (v, p_chg, out)
            # electrical power into the battery: road force x wheel speed x chain efficiency
            p_elec = (out[0] + out[1]) * v * BRAKING_SLIP_ALLOWANCE * REGEN_CHAIN_EFFICIENCY
            assert p_elec <= p_chg * (1 + 1e-12), (v, p_chg, out)


def test_front_drive_car_regenerates_on_the_front_only(params):
    p = params("leaf-e-plus", "baseline")
    _, out, _ = _blend(p, 0.2 * G, 20.0)
    assert out[1] == 0.0 and out[0] > 0.0


def test_regen_off_leaves_all_to_friction_at_the_hydraulic_balance(params):
    p = params(controller="baseline", regen=0.0)
    force, out, _ = _blend(p, 0.3 * G, 20.0)
    assert out[0] == 0.0 and out[1] == 0.0
    share = p[IDX["brake_front_share"]]
    assert out[2] == pytest.approx(share * force, rel=1e-12)
    assert out[3] == pytest.approx((1.0 - share) * force, rel=1e-12)


def test_gentle_stop_is_all_regeneration_when_it_fits(p_level, p_fixed):
    # 0.1 g at 20 m/s: 1.9 kN, ~37 kW at the wheels, within the 70 kW charge limit and one motor
    for p in (p_level, p_fixed):
        force, out, _ = _blend(p, 0.1 * G, 20.0)
        assert out[0] + out[1] == pytest.approx(force, rel=1e-12)
        assert out[2] == 0.0 and out[3] == 0.0


@pytest.mark.parametrize("v", [10.0, 20.0, 30.0])
def test_level_puts_more_regeneration_on_the_rear_than_fixed_at_0p3g(p_level, p_fixed, v):
    _, level, _ = _blend(p_level, 0.3 * G, v)
    _, fixed, _ = _blend(p_fixed, 0.3 * G, v)
    assert level[1] > fixed[1] + 100.0
    # and gives up no regeneration in total
    assert level[0] + level[1] >= fixed[0] + fixed[1] - 1e-6


@pytest.mark.parametrize("decel", [0.05 * G, 0.2 * G, 0.3 * G, 0.39 * G])
@pytest.mark.parametrize("mu", [0.95, 0.5, 0.2])
def test_level_rear_braking_within_stability_margin(p_level, decel, mu):
    force, out, (fz_f, fz_r) = _blend(p_level, decel, 20.0, mu=mu)
    rear_max = p_level[IDX["regen_rear_util_max"]] * mu * fz_r
    assert out[1] + out[3] <= rear_max * (1 + 1e-12) + 1e-9


@pytest.mark.parametrize("decel", [0.5 * G, 0.8 * G, 1.1 * G])
@pytest.mark.parametrize("v", [5.0, 20.0, 35.0])
def test_hard_braking_uses_load_proportional_distribution(p_level, decel, v):
    assert decel > LEVEL_MAX_DECEL_M_S2
    force, out, (fz_f, fz_r) = _blend(p_level, decel, v)
    front = out[0] + out[2]
    assert front / force == pytest.approx(fz_f / (fz_f + fz_r), rel=1e-9)


def test_fixed_mode_friction_follows_hydraulic_balance(p_fixed):
    force, out, _ = _blend(p_fixed, 0.8 * G, 20.0)
    assert out[0] == pytest.approx(out[1], rel=0.02)  # 50/50 regeneration (wheel radii differ by 0.2 %)
    share = p_fixed[IDX["brake_front_share"]]
    assert out[2] / (out[2] + out[3]) == pytest.approx(share, rel=1e-12)


# ---------------------------------------------------------------- capacity and fade
def test_regen_fades_linearly_below_fade_speed(p_level):
    """Linear from nothing at REGEN_MIN_SPEED_M_S (rest, for the motors) to everything at the fade speed."""
    v_fade = p_level[IDX["regen_fade_speed_m_s"]]
    v0 = REGEN_MIN_SPEED_M_S
    full_f, full_r, _ = regen_capacity(p_level, v_fade, LIM, LIM, P_CHG)
    cap_f0, cap_r0 = _motor_cap(p_level, v_fade)
    assert full_f == pytest.approx(cap_f0, rel=1e-12) and full_r == pytest.approx(cap_r0, rel=1e-12)
    for share in (0.0, 0.1, 0.25, 0.5, 0.9, 1.0, 2.0, 10.0):
        v = v0 + share * (v_fade - v0)
        cap_f, cap_r, total = regen_capacity(p_level, v, LIM, LIM, P_CHG)
        assert cap_f == pytest.approx(full_f * min(share, 1.0), rel=1e-9, abs=1e-9)
        assert cap_r == pytest.approx(full_r * min(share, 1.0), rel=1e-9, abs=1e-9)
        if share > 0.0:
            # the battery limit as a force: P / (eta s v), faded the same way
            expected = P_CHG / (REGEN_CHAIN_EFFICIENCY * BRAKING_SLIP_ALLOWANCE * v) * min(share, 1.0)
            assert total == pytest.approx(expected, rel=1e-9)


def test_no_regeneration_at_standstill_or_reversing(p_level):
    assert regen_capacity(p_level, 0.0, LIM, LIM, P_CHG) == (0.0, 0.0, 0.0)
    assert regen_capacity(p_level, -3.0, LIM, LIM, P_CHG) == (0.0, 0.0, 0.0)
    # an estimate a hair above zero is standstill too: a braking torque there would reverse the car
    assert regen_capacity(p_level, 0.5 * REGEN_MIN_SPEED_M_S, LIM, LIM, P_CHG) == (0.0, 0.0, 0.0)
    assert regen_capacity(p_level, 2.0 * REGEN_MIN_SPEED_M_S, LIM, LIM, P_CHG)[0] > 0.0
    force, out, _ = _blend(p_level, 0.2 * G, 0.0)
    assert out[0] == 0.0 and out[1] == 0.0 and out[2] + out[3] == pytest.approx(force, rel=1e-12)


def test_regen_setting_off_gives_no_capacity(params):
    p = params(controller="integrated", regen=0.0)
    assert regen_capacity(p, 20.0, LIM, LIM, P_CHG) == (0.0, 0.0, 0.0)
