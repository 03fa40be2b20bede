"""The composed chassis controller (baseline and integrated) on synthetic measurements.

Facts checked, one controller step at a time (no plant): motor torques stay within the measured
limits; full accelerator asks for all the motors can give; the road force of the commands
(T G / R for the motors, T_b / R for the brakes) equals the demand; the front share is the one the
configuration sets (fixed split, load-following split, one motor off at light load); braking gives
non-negative brake torques, regenerative (negative) motor torques and none without regeneration;
traction control cuts a spinning axle by its PI law; stability control brakes the outer front wheel
against oversteer; the adaptive slip target scales with the road's friction.
"""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.control import DriverInput, Measurements
from twinmotor.control.params import BRAKE_PEDAL_FULL_DECEL_M_S2, CS_FORCE_PREV, IDX, N_STATE
from twinmotor.control.twin_motor import (
    ADAPTIVE_SLIP_MIN_RATIO,
    ADAPTIVE_SLIP_SHARE,
    ADAPTIVE_SLIP_SHARE_BRAKE,
    BaselineController,
    IntegratedController,
    adaptive_slip_target,
    chassis_control_step,
)
from twinmotor.layout import (
    C_TB,
    C_TM_F,
    M_AY,
    M_MOTOR_LIMIT,
    M_MOTOR_SPEED,
    M_MOTOR_TORQUE,
    M_STEER,
    M_WHEEL_SPEED,
    M_YAW_RATE,
    N_CMD,
    N_DRV,
    N_EST,
)

G = 9.80665
DT = 1e-3
V = 20.0


def _step(p, meas, throttle=0.0, brake=0.0, steer=0.0, s=None, n=1):
    """Run the controller n steps on fixed measurements; return (commands, state)."""
    s = np.zeros(N_STATE) if s is None else s
    drv = np.zeros(N_DRV)
    drv[:3] = throttle, brake, steer
    meas = meas.copy()
    meas[M_STEER] = steer  # the controller reads the steering-angle sensor, not the driver
    cmd = np.zeros(N_CMD)
    est = np.zeros(N_EST)
    for _ in range(n):
        chassis_control_step(p, s, meas, drv, DT, cmd, est)
    return cmd, s


def _axle_forces(p, cmd):
    """Road force [N] of each motor: T G / R (0 for a missing motor)."""
    f = cmd[C_TM_F] * p[IDX["gear_f"]] / p[IDX["radius_f"]]
    r = cmd[C_TM_F + 1] * p[IDX["gear_r"]] / p[IDX["radius_r"]] if p[IDX["has_motor_r"]] > 0.5 else 0.0
    return f, r


def _brake_force(p, cmd):
    radius = np.array([p[IDX["radius_f"]]] * 2 + [p[IDX["radius_r"]]] * 2)
    return cmd[C_TB:C_TB + 4] / radius


def _max_drive(p, meas):
    f = meas[M_MOTOR_LIMIT] * p[IDX["gear_f"]] / p[IDX["radius_f"]]
    r = meas[M_MOTOR_LIMIT + 1] * p[IDX["gear_r"]] / p[IDX["radius_r"]] if p[IDX["has_motor_r"]] > 0.5 else 0.0
    return f + r


def _within_limits(cmd, meas):
    return (abs(cmd[C_TM_F]) <= meas[M_MOTOR_LIMIT] * (1 + 1e-12)
            and abs(cmd[C_TM_F + 1]) <= meas[M_MOTOR_LIMIT + 1] * (1 + 1e-12))


# ---------------------------------------------------------------- driving
@pytest.mark.parametrize("controller", ["baseline", "integrated"])
def test_full_throttle_gives_both_motors_at_their_limit(params, meas_factory, controller):
    p = params(controller=controller)
    meas = meas_factory(p, V)
    cmd, s = _step(p, meas, throttle=1.0)
    assert _within_limits(cmd, meas)
    # 20 m/s is above the EM57's base speed: each motor at its power-limited torque
    assert cmd[C_TM_F] == pytest.approx(meas[M_MOTOR_LIMIT], rel=1e-9)
    assert cmd[C_TM_F + 1] == pytest.approx(meas[M_MOTOR_LIMIT + 1], rel=1e-9)
    assert sum(_axle_forces(p, cmd)) == pytest.approx(_max_drive(p, meas), rel=1e-9)
    assert not cmd[C_TB:C_TB + 4].any()
    assert s[CS_FORCE_PREV] == pytest.approx(_max_drive(p, meas), rel=1e-12)


def test_fixed_split_baseline_keeps_its_front_share(params, meas_factory):
    p = params(controller="baseline", split_front=0.3, one_pedal=0.0)
    meas = meas_factory(p, V)
    cmd, _ = _step(p, meas, throttle=0.5)
    f, r = _axle_forces(p, cmd)
    assert f + r == pytest.approx(0.5 * _max_drive(p, meas), rel=1e-12)
    assert f / (f + r) == pytest.approx(0.3, rel=1e-12)
    assert _within_limits(cmd, meas)


@pytest.mark.parametrize("ax", [0.0, 2.0, 4.0])
def test_integrated_follows_dynamic_axle_load_when_traction_limits(params, meas_factory, ax):
    p = params(controller="integrated")
    meas = meas_factory(p, V, ax=ax)
    cmd, s = _step(p, meas, throttle=0.9)
    demand = s[CS_FORCE_PREV]
    mu = min(p[IDX["mu_peak_f"]], p[IDX["mu_peak_r"]])
    assert demand / (mu * p[IDX["mass"]] * G) > 0.5  # beyond the blend: load-following split alone
    f, r = _axle_forces(p, cmd)
    assert f + r == pytest.approx(demand, rel=1e-12)
    g, h, lr, wb = (p[IDX[k]] for k in ("g", "cg_height", "lr", "wheelbase"))
    ax_car = ax / (1.0 + g * p[IDX["pitch_grad_drive"]])  # the accelerometer's reading less the body's tilt
    assert f / (f + r) == pytest.approx((g * lr - ax_car * h) / (g * wb), rel=1e-9)
    assert _within_limits(cmd, meas)


def test_integrated_switches_one_motor_off_when_cruising(params, meas_factory):
    p = params(controller="integrated")
    meas = meas_factory(p, V)
    band = p[IDX["epedal_band"]]
    throttle = band + 0.02 * (1.0 - band)  # 2 % of the drive force: ~320 N, a light cruise
    cmd, s = _step(p, meas, throttle=throttle, n=1500)  # let the jerk limit and the shaper settle
    demand = s[CS_FORCE_PREV]
    assert demand == pytest.approx(0.02 * _max_drive(p, meas), rel=1e-9)
    f, r = _axle_forces(p, cmd)
    assert f + r == pytest.approx(demand, rel=1e-9)
    assert (cmd[C_TM_F] == 0.0) != (cmd[C_TM_F + 1] == 0.0)  # exactly one motor works


def test_front_drive_car_drives_the_front_only(params, meas_factory):
    p = params("leaf-e-plus", "baseline", one_pedal=0.0)
    meas = meas_factory(p, V)
    cmd, _ = _step(p, meas, throttle=0.6)
    assert cmd[C_TM_F + 1] == 0.0
    assert _axle_forces(p, cmd)[0] == pytest.approx(0.6 * _max_drive(p, meas), rel=1e-12)


# ---------------------------------------------------------------- braking
@pytest.mark.parametrize("controller", ["baseline", "integrated"])
@pytest.mark.parametrize("pedal", [0.3, 0.5, 1.0])
def test_brake_pedal_gives_non_negative_brakes_and_meets_the_demand(params, meas_factory, controller, pedal):
    p = params(controller=controller)
    decel = pedal * BRAKE_PEDAL_FULL_DECEL_M_S2
    meas = meas_factory(p, V, ax=-min(decel, G))
    cmd, s = _step(p, meas, brake=pedal, n=400)
    brakes = cmd[C_TB:C_TB + 4]
    assert np.all(brakes >= 0.0)
    assert cmd[C_TM_F] <= 0.0 and cmd[C_TM_F + 1] <= 0.0  # motors regenerate, never drive
    assert _within_limits(cmd, meas)
    assert brakes[0] == pytest.approx(brakes[1], rel=1e-12) and brakes[2] == pytest.approx(brakes[3], rel=1e-12)
    demand = -s[CS_FORCE_PREV]
    assert demand == pytest.approx(decel * p[IDX["mass"]], rel=1e-9)  # shaping has settled or stepped aside
    force = -sum(_axle_forces(p, cmd)) + _brake_force(p, cmd).sum()
    brake_cap = 2 * (p[IDX["brake_max_f"]] / p[IDX["radius_f"]] + p[IDX["brake_max_r"]] / p[IDX["radius_r"]])
    if demand < 0.5 * brake_cap:  # the friction brakes are not at their hardware limit
        assert force == pytest.approx(demand, rel=1e-9)


def test_baseline_without_regeneration_brakes_on_friction_alone(params, meas_factory):
    p = params(controller="baseline", regen=0.0)
    meas = meas_factory(p, V, ax=-4.0)
    for throttle, brake in ((0.0, 0.4), (0.0, 0.0), (0.6, 0.4)):  # brake pedal, e-Pedal, both pedals
        cmd, s = _step(p, meas, throttle=throttle, brake=brake)
        assert cmd[C_TM_F] == 0.0 and cmd[C_TM_F + 1] == 0.0
        fb = _brake_force(p, cmd)
        demand = -s[CS_FORCE_PREV]
        assert fb.sum() == pytest.approx(demand, rel=1e-12)
        assert (fb[0] + fb[1]) / fb.sum() == pytest.approx(p[IDX["brake_front_share"]], rel=1e-12)


def test_standstill_braking_holds_on_friction(params, meas_factory):
    p = params(controller="integrated")
    meas = meas_factory(p, 0.0)
    cmd, _ = _step(p, meas, brake=0.6, n=300)
    assert cmd[C_TM_F] == 0.0 and cmd[C_TM_F + 1] == 0.0  # no regeneration at rest
    assert np.all(cmd[C_TB:C_TB + 4] > 0.0)


# ---------------------------------------------------------------- slip and yaw control
def test_traction_control_cuts_a_spinning_front_axle_by_its_pi_law(params, meas_factory):
    p = params(controller="baseline", one_pedal=0.0, split_front=0.5)
    meas = meas_factory(p, V)
    free, _ = _step(p, meas, throttle=0.5)
    slip = 0.3
    meas[M_WHEEL_SPEED:M_WHEEL_SPEED + 2] *= 1.0 + slip
    meas[M_MOTOR_SPEED] *= 1.0 + slip  # the front motor's resolver turns with its wheels
    meas[M_MOTOR_TORQUE:M_MOTOR_TORQUE + 2] = free[C_TM_F:C_TM_F + 2]  # driving: the spinning axle is no speed reference
    cmd, s = _step(p, meas, throttle=0.5)
    err = slip - p[IDX["tc_slip_target"]]
    cut = min(p[IDX["tc_kp"]] * err + p[IDX["tc_ki"]] * err * DT, 1.0)
    assert cmd[C_TM_F] == pytest.approx(free[C_TM_F] * (1.0 - cut), rel=1e-9)
    assert cmd[C_TM_F + 1] == pytest.approx(free[C_TM_F + 1], rel=1e-12)  # the rear grips


@pytest.mark.parametrize("slip", [0.15, 0.3])  # beyond the adaptive target 0.9 x 0.14
def test_integrated_moves_the_cut_torque_to_the_gripping_axle(params, meas_factory, slip):
    p = params(controller="integrated")
    meas = meas_factory(p, V)
    free, _ = _step(p, meas, throttle=0.9)  # a 0.7 g demand: both motors, load-following split
    meas[M_WHEEL_SPEED:M_WHEEL_SPEED + 2] *= 1.0 + slip
    meas[M_MOTOR_SPEED] *= 1.0 + slip  # the front motor's resolver turns with its wheels
    cmd, _ = _step(p, meas, throttle=0.9)
    assert 0.0 < cmd[C_TM_F] < free[C_TM_F]
    lost = _axle_forces(p, free)[0] - _axle_forces(p, cmd)[0]
    gained = _axle_forces(p, cmd)[1] - _axle_forces(p, free)[1]
    rear_room = (meas[M_MOTOR_LIMIT + 1] - free[C_TM_F + 1]) * p[IDX["gear_r"]] / p[IDX["radius_r"]]
    assert gained == pytest.approx(min(lost, rear_room), rel=1e-9)
    assert _within_limits(cmd, meas)


def test_stability_control_brakes_the_outer_front_wheel_against_oversteer(params, meas_factory):
    p = params(controller="baseline", one_pedal=0.0)
    meas = meas_factory(p, V)
    meas[M_YAW_RATE] = 0.3  # yawing left while the driver steers straight ahead: a spin
    meas[M_AY] = 0.3 * V  # which the accelerometer sees (so the estimator does not take it for gyro offset)
    cmd, _ = _step(p, meas, throttle=0.2)
    kp, db = p[IDX["esc_kp_nms_rad"]], p[IDX["esc_deadband_rad_s"]]
    mz = kp * (0.3 - db)
    expected = min(mz / (0.5 * p[IDX["track_f"]]) * p[IDX["radius_f"]], p[IDX["brake_max_f"]])
    brakes = cmd[C_TB:C_TB + 4]
    assert brakes[1] == pytest.approx(expected, rel=1e-12)  # right front: outside of the left yaw
    assert brakes[0] == 0.0 and brakes[2] == 0.0 and brakes[3] == 0.0


def test_python_step_equals_the_compiled_step(vehicle_awd, params, meas_factory):
    ctl = IntegratedController()
    ctl.reset(vehicle_awd)
    p = params(controller="integrated")
    meas = meas_factory(p, V, ax=1.0)
    meas[M_STEER] = 0.01
    out = ctl.step(Measurements(meas), DriverInput(0.7, 0.0, 0.01), DT)
    cmd, _ = _step(p, meas, throttle=0.7, steer=0.01)
    assert out.front_motor_torque_nm == cmd[C_TM_F] and out.rear_motor_torque_nm == cmd[C_TM_F + 1]
    assert tuple(out.brake_torque_nm) == tuple(cmd[C_TB:C_TB + 4])
    assert BaselineController().name == "baseline" and ctl.name == "integrated"


# ---------------------------------------------------------------- adaptive slip target
def test_adaptive_slip_target_scales_with_road_friction(params):
    p = params(controller="integrated")
    mu_tire = min(p[IDX["mu_peak_f"]], p[IDX["mu_peak_r"]])
    peak = p[IDX["slip_peak"]]
    assert adaptive_slip_target(p, mu_tire) == pytest.approx(ADAPTIVE_SLIP_SHARE * peak, rel=1e-12)
    assert adaptive_slip_target(p, 0.5 * mu_tire) == pytest.approx(0.5 * ADAPTIVE_SLIP_SHARE * peak, rel=1e-12)
    assert adaptive_slip_target(p, 2.0 * mu_tire) == pytest.approx(ADAPTIVE_SLIP_SHARE * peak, rel=1e-12)
    assert adaptive_slip_target(p, 0.0) == pytest.approx(ADAPTIVE_SLIP_MIN_RATIO * ADAPTIVE_SLIP_SHARE * peak, rel=1e-12)
    # ABS aims lower than traction control, by the ratio of the two shares, on every road
    for mu in (0.2 * mu_tire, 0.6 * mu_tire, mu_tire):
        brake = adaptive_slip_target(p, mu, ADAPTIVE_SLIP_SHARE_BRAKE)
        assert brake == pytest.approx(ADAPTIVE_SLIP_SHARE_BRAKE / ADAPTIVE_SLIP_SHARE * adaptive_slip_target(p, mu), rel=1e-12)
        assert brake < adaptive_slip_target(p, mu)
