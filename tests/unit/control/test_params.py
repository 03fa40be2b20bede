"""Controller parameter layout, settings validation and the vehicle-derived values.

Facts checked: check_settings rejects unknown names and out-of-range or non-numeric values with a
message naming setting, value, allowed range and unit; every default lies in its own range; the
compile-time indices agree with the name lists; the pitch-mode frequency is sqrt(K / Iyy) / (2 pi)
with K = 2 (k_f lf^2 + k_r lr^2) computed here from the preset's own numbers; the understeer
gradient is the single-track K_us = m / L (lr / C_f - lf / C_r) (Gillespie eq. 6-15) with C the
axle cornering stiffness of the MF 6.1 tire (finite difference here); the peak slip is the peak of
the tire's Fx curve.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.control import make_controller
from twinmotor.control import params as cp
from twinmotor.control.params import (
    IDX,
    N_PARAMS,
    N_STATE,
    N_VEH,
    PARAM_NAMES,
    SETTINGS,
    SHAPER_BUFFER,
    STATE_NAMES,
    VEHICLE_NAMES,
    check_settings,
    controller_params,
    pitch_mode,
    vehicle_values,
)
from twinmotor.control.twin_motor import BaselineController, IntegratedController
from twinmotor.errors import ParameterError
from twinmotor.powertrain.motor import N_MOTOR
from twinmotor.simulation.assemble import assemble
from twinmotor.tire.mf61 import mf61_forces


# ---------------------------------------------------------------- settings validation
def test_defaults_lie_within_their_ranges_and_have_units():
    for name, (default, low, high, unit, meaning) in SETTINGS.items():
        assert low <= default <= high, name
        assert low < high, name
        assert unit and meaning, name


def test_check_settings_returns_every_setting_with_defaults():
    out = check_settings("baseline", {})
    assert out == {k: v[0] for k, v in SETTINGS.items()}
    out = check_settings("baseline", {"split_front": "0.3", "esc": 0})
    assert out["split_front"] == 0.3 and out["esc"] == 0.0
    assert isinstance(out["esc"], float)


def test_unknown_setting_is_rejected_by_name():
    with pytest.raises(ParameterError) as e:
        check_settings("integrated", {"split_fornt": 0.3})
    msg = str(e.value)
    assert "split_fornt" in msg and "integrated" in msg and "split_front" in msg  # the known ones listed


@pytest.mark.parametrize("name,value", [("split_front", 1.5), ("split_front", -0.1), ("tc_slip_target", 0.9),
                                        ("jerk_max_m_s3", 0.0), ("epedal_decel_m_s2", 5.0)])
def test_out_of_range_names_setting_value_range_and_unit(name, value):
    _, low, high, unit, _ = SETTINGS[name]
    with pytest.raises(ParameterError) as e:
        check_settings("baseline", {name: value})
    msg = str(e.value)
    for part in (name, repr(value), str(low), str(high), unit, "baseline"):
        assert part in msg, (part, msg)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_values_are_rejected(value):
    with pytest.raises(ParameterError, match="tc_kp"):
        check_settings("baseline", {"tc_kp": value})


@pytest.mark.parametrize("value", ["fast", None, [1.0]])
def test_non_numbers_are_rejected_with_the_unit(value):
    with pytest.raises(ParameterError) as e:
        check_settings("baseline", {"esc_kp_nms_rad": value})
    assert "esc_kp_nms_rad" in str(e.value) and "N*m*s/rad" in str(e.value)


def test_controllers_validate_their_settings():
    with pytest.raises(ParameterError, match="split_front"):
        BaselineController(split_front=2.0)
    with pytest.raises(ParameterError, match="no_such_setting"):
        make_controller("integrated", no_such_setting=1.0)
    # a user setting overrides the controller's preset
    assert IntegratedController(comfort=0.0).settings["comfort"] == 0.0
    assert IntegratedController().settings["comfort"] == 1.0
    assert BaselineController().settings["comfort"] == 0.0


# ---------------------------------------------------------------- layout
def test_names_are_unique_and_indices_agree():
    assert len(set(PARAM_NAMES)) == len(PARAM_NAMES) == N_PARAMS
    assert N_PARAMS == N_VEH + len(SETTINGS)
    assert PARAM_NAMES[:N_VEH] == VEHICLE_NAMES
    assert all(IDX[n] == i for i, n in enumerate(PARAM_NAMES))
    assert N_STATE == len(STATE_NAMES) + SHAPER_BUFFER


# compile-time constant -> the name it must index (every CP_ and CS_ constant of params.py)
CONSTANTS = {
    "CP_MASS": "mass", "CP_WB": "wheelbase", "CP_LF": "lf", "CP_LR": "lr", "CP_H": "cg_height",
    "CP_TF": "track_f", "CP_TR": "track_r", "CP_RF": "radius_f", "CP_RR": "radius_r", "CP_GF": "gear_f",
    "CP_GR": "gear_r", "CP_HAS_F": "has_motor_f", "CP_HAS_R": "has_motor_r", "CP_BMAX_F": "brake_max_f",
    "CP_BMAX_R": "brake_max_r", "CP_KUS": "k_us", "CP_MU_F": "mu_peak_f", "CP_MU_R": "mu_peak_r",
    "CP_SLIP_PEAK": "slip_peak", "CP_G": "g", "CP_IZZ": "izz", "CP_CF": "cornering_stiffness_f",
    "CP_CR": "cornering_stiffness_r", "CP_ANTI_BRAKE_F": "anti_brake_f", "CP_ANTI_DRIVE_F": "anti_drive_f",
    "CP_ANTI_BRAKE_R": "anti_brake_r", "CP_ANTI_DRIVE_R": "anti_drive_r", "CP_SPRING_F": "spring_f",
    "CP_SPRING_R": "spring_r", "CP_PITCH_FREQ": "pitch_freq_hz", "CP_PITCH_ZETA": "pitch_damping_ratio",
    "CP_SPLIT": "split_front", "CP_BRAKE_SHARE": "brake_front_share", "CP_ONE_PEDAL": "one_pedal",
    "CP_EPEDAL_DECEL": "epedal_decel_m_s2", "CP_EPEDAL_BAND": "epedal_band", "CP_TC_SLIP": "tc_slip_target",
    "CP_TC_KP": "tc_kp", "CP_TC_KI": "tc_ki", "CP_ABS_SLIP": "abs_slip_target", "CP_ABS_KP": "abs_kp",
    "CP_ABS_KI": "abs_ki", "CP_VMIN": "v_min_slip_m_s", "CP_ESC": "esc", "CP_ESC_KP": "esc_kp_nms_rad",
    "CP_ESC_DB": "esc_deadband_rad_s", "CP_YAW_KI": "yaw_ki_nm_rad", "CP_GMA_RATE": "gma_rate_nm_s",
    "CP_BETA_LIM": "beta_limit_rad", "CP_BETA_GAIN": "beta_gain_nm_rad", "CP_YAW_SPLIT": "yaw_split",
    "CP_YAW_SPLIT_GAIN": "yaw_split_gain_s_rad", "CP_LSD": "brake_lsd", "CP_LSD_KP": "lsd_kp",
    "CP_LSD_MARGIN": "lsd_slip_margin", "CP_REGEN": "regen", "CP_REGEN_LEVEL": "regen_level",
    "CP_REGEN_REAR_UTIL": "regen_rear_util_max", "CP_REGEN_FADE": "regen_fade_speed_m_s",
    "CP_EFF_SPLIT": "efficiency_split", "CP_TRACTION_SPLIT": "traction_split", "CP_COMFORT": "comfort",
    "CP_JERK": "jerk_max_m_s3", "CP_PITCH_DAMP": "pitch_damp_gain_s", "CP_SOFT_STOP": "soft_stop_speed_m_s",
    "CP_MU_EST": "mu_estimate", "CP_ADAPTIVE_SLIP": "adaptive_slip", "CP_WHEEL_FILTER": "wheel_filter_s",
    "CP_ORACLE": "estimator", "CP_PITCH_GRAD_DRIVE": "pitch_grad_drive", "CP_PITCH_GRAD_BRAKE": "pitch_grad_brake",
    "CP_ROLL_GRAD": "roll_grad", "CP_WHEEL_INERTIA_F": "wheel_inertia_f", "CP_WHEEL_INERTIA_R": "wheel_inertia_r",
    "CP_DISC_F": "disconnect_f", "CP_ENGAGE_F": "engage_time_f", "CP_DISC_CONTROL": "disconnect_control",
    "CP_DISC_HOLD": "disconnect_hold_s",
}
STATE_CONSTANTS = {
    "CS_TC": "tc_f", "CS_ABS": "abs_fl", "CS_LSD": "lsd_f", "CS_FORCE_PREV": "force_prev", "CS_MU": "mu_est",
    "CS_VY": "vy_est", "CS_DECEL_PREV": "decel_prev", "CS_ESC_INT": "esc_int", "CS_GMA": "gma",
    "CS_SPLIT_PREV": "split_prev", "CS_SHAPER_POS": "shaper_pos", "CS_SCRATCH": "scratch0",
    "CS_WHEEL_F": "wheel_f0", "CS_WHEEL_F_ON": "wheel_filter_on",
    "CS_DISC_SINCE": "disc_since_need", "CS_DISC_RATE": "disc_force_rate", "CS_DISC_FPREV": "disc_force_prev",
}


def test_every_compile_time_index_points_at_its_name():
    found = {n for n in dir(cp) if n.startswith("CP_") and isinstance(getattr(cp, n), int)}
    assert found == set(CONSTANTS), "a CP_ constant was added or removed: update this table"
    for const, name in CONSTANTS.items():
        assert getattr(cp, const) == IDX[name], const
    for const, name in STATE_CONSTANTS.items():
        assert getattr(cp, const) == STATE_NAMES.index(name), const
    assert cp.CS_SHAPER_BUF == len(STATE_NAMES)
    assert STATE_NAMES[cp.CS_ABS:cp.CS_ABS + 4] == ["abs_fl", "abs_fr", "abs_rl", "abs_rr"]


def test_params_vector_is_controller_params_and_both_motors(vehicle_awd):
    ctl = IntegratedController()
    p = ctl.params(vehicle_awd)
    model = assemble(vehicle_awd)
    assert p.shape == (N_PARAMS + 2 * N_MOTOR,) and p.dtype == np.float64
    assert np.array_equal(p[:N_PARAMS], controller_params(vehicle_awd, ctl.settings))
    assert np.array_equal(p[N_PARAMS:N_PARAMS + N_MOTOR], model.mc_f)
    assert np.array_equal(p[N_PARAMS + N_MOTOR:], model.mc_r)
    for name, value in ctl.settings.items():
        assert p[IDX[name]] == value


# ---------------------------------------------------------------- vehicle-derived values
def test_vehicle_values_are_the_preset_geometry(vehicle_awd):
    v = vehicle_awd
    vals = vehicle_values(v)
    assert set(vals) == set(VEHICLE_NAMES)
    assert vals["mass"] == v.mass_kg and vals["wheelbase"] == pytest.approx(v.wheelbase_m, rel=1e-12)
    assert vals["lf"] == pytest.approx(v.wheelbase_m * (1.0 - v.front_axle_load_fraction), rel=1e-12)
    assert vals["lf"] + vals["lr"] == pytest.approx(v.wheelbase_m, rel=1e-12)
    assert vals["cg_height"] == v.cg_height_m
    assert vals["track_f"] == v.track_front_m and vals["track_r"] == v.track_rear_m
    assert vals["g"] == pytest.approx(9.80665, rel=1e-6)
    assert vals["has_motor_f"] == 1.0 and vals["has_motor_r"] == 1.0
    assert vals["brake_max_f"] == v.brakes.max_torque_front_nm


def test_front_drive_car_has_no_rear_motor(vehicle_fwd):
    vals = vehicle_values(vehicle_fwd)
    assert vals["has_motor_f"] == 1.0 and vals["has_motor_r"] == 0.0


@pytest.mark.parametrize("name", ["leaf-e-plus-awd", "leaf-40", "leaf-nismo-rc"])
def test_pitch_frequency_by_hand(params, name):
    import twinmotor

    v = twinmotor.load_vehicle(name)
    p = params(name)
    lf = v.wheelbase_m * (1.0 - v.front_axle_load_fraction)
    lr = v.wheelbase_m * v.front_axle_load_fraction
    kf, kr = v.suspension.front.spring_rate_n_m, v.suspension.rear.spring_rate_n_m
    cf, cr = v.suspension.front.damper_rate_n_s_m, v.suspension.rear.damper_rate_n_s_m
    k_pitch = 2.0 * (kf * lf ** 2 + kr * lr ** 2)  # [N m/rad], two corners per axle
    c_pitch = 2.0 * (cf * lf ** 2 + cr * lr ** 2)  # [N m s/rad]
    iyy = v.pitch_inertia_kg_m2
    f = math.sqrt(k_pitch / iyy) / (2.0 * math.pi)
    zeta = c_pitch / (2.0 * math.sqrt(k_pitch * iyy))
    assert p[IDX["pitch_freq_hz"]] == pytest.approx(f, rel=1e-12)
    assert p[IDX["pitch_damping_ratio"]] == pytest.approx(zeta, rel=1e-12)
    assert pitch_mode(assemble(v).vp) == pytest.approx({"pitch_freq_hz": f, "pitch_damping_ratio": zeta}, rel=1e-12)
    # a passenger car's body pitch mode: 1-3 Hz, damping 0.2-0.5
    assert 1.0 < f < 3.0 and 0.2 < zeta < 0.5


def test_pitch_frequency_of_the_awd_preset():
    # 38 kN/m front, 36 kN/m rear, lf 1.188 m, lr 1.512 m, Iyy 2510 kg m^2 (preset values):
    # K = 2 (38000 * 1.188^2 + 36000 * 1.512^2) = 271,865 N m/rad; f = sqrt(K / Iyy) / (2 pi)
    k = 2.0 * (38000.0 * 1.188 ** 2 + 36000.0 * 1.512 ** 2)
    assert k == pytest.approx(271865.0, rel=1e-5)
    import twinmotor

    vp = assemble(twinmotor.load_vehicle("leaf-e-plus-awd")).vp
    assert pitch_mode(vp)["pitch_freq_hz"] == pytest.approx(math.sqrt(k / 2510.0) / (2.0 * math.pi), rel=1e-6)
    assert pitch_mode(vp)["pitch_freq_hz"] == pytest.approx(1.656, abs=1e-3)


def _axle_cornering_stiffness(tp, fz_corner):
    """2 |dFy/dalpha| at alpha = 0 [N/rad] by central difference of the MF 6.1 model."""
    da = 1e-5
    fy_p = mf61_forces(tp, fz_corner, 0.0, da, 0.0, 20.0, 1.0, 1.0)[1]
    fy_m = mf61_forces(tp, fz_corner, 0.0, -da, 0.0, 20.0, 1.0, 1.0)[1]
    return 2.0 * abs(fy_p - fy_m) / (2.0 * da)


@pytest.mark.parametrize("name", ["leaf-e-plus-awd", "leaf-e-plus", "leaf-40", "leaf-nismo-rc"])
def test_understeer_gradient_is_single_track_formula(params, name):
    import twinmotor

    p = params(name)
    m = assemble(twinmotor.load_vehicle(name))
    mass, g, lf, lr, wb = (p[IDX[k]] for k in ("mass", "g", "lf", "lr", "wheelbase"))
    c_f, c_r = p[IDX["cornering_stiffness_f"]], p[IDX["cornering_stiffness_r"]]
    assert p[IDX["k_us"]] == pytest.approx(mass / wb * (lr / c_f - lf / c_r), rel=1e-12, abs=1e-15)
    # Gillespie's form: K = (W_f / C_f - W_r / C_r) / g with the static axle weights W
    w_f, w_r = mass * g * lr / wb, mass * g * lf / wb
    assert p[IDX["k_us"]] == pytest.approx((w_f / c_f - w_r / c_r) / g, rel=1e-12, abs=1e-15)
    # the axle cornering stiffness is the tire's slope at zero slip angle at the static corner load
    # (2e-3: the MF horizontal shift SHy puts the steepest point slightly off alpha = 0)
    fd_f = _axle_cornering_stiffness(m.tp_f, 0.5 * w_f)
    fd_r = _axle_cornering_stiffness(m.tp_r, 0.5 * w_r)
    assert c_f == pytest.approx(fd_f, rel=2e-3)
    assert c_r == pytest.approx(fd_r, rel=2e-3)
    # and K_us from those slopes agrees to 0.05 deg/g
    assert p[IDX["k_us"]] == pytest.approx(mass / wb * (lr / fd_f - lf / fd_r), abs=math.radians(0.05) / g)


def test_road_cars_understeer_and_the_balanced_racer_is_neutral(params):
    for name in ("leaf-40", "leaf-e-plus", "leaf-e-plus-awd"):
        k = params(name)[IDX["k_us"]]
        # about 1-4 deg/g of understeer, typical of a front-heavy hatchback
        assert 0.5 < math.degrees(k * 9.80665) < 4.0, (name, k)
    assert params("leaf-nismo-rc")[IDX["k_us"]] == pytest.approx(0.0, abs=1e-12)  # 50/50, same tires


@pytest.mark.parametrize("name", ["leaf-e-plus-awd", "leaf-nismo-rc"])
def test_slip_peak_is_the_peak_of_the_tire_fx_curve(params, name):
    import twinmotor

    p = params(name)
    tp = assemble(twinmotor.load_vehicle(name)).tp_f
    mass, g, lr, wb = (p[IDX[k]] for k in ("mass", "g", "lr", "wheelbase"))
    fz = 0.5 * mass * g * lr / wb
    k_peak = p[IDX["slip_peak"]]
    grid = np.arange(0.01, 0.4, 0.0005)
    fx = np.array([mf61_forces(tp, fz, k, 0.0, 0.0, 20.0, 1.0, 1.0)[0] for k in grid])
    k_true = grid[int(np.argmax(fx))]
    # the stored value comes from a 0.005 grid: within one step of the true peak, and as much force
    assert abs(k_peak - k_true) <= 0.005 + 1e-12
    assert mf61_forces(tp, fz, k_peak, 0.0, 0.0, 20.0, 1.0, 1.0)[0] >= 0.999 * fx.max()
    assert 0.05 < k_peak < 0.3  # road and racing tires peak at 5-30 % slip
