"""The flat-array layout: every index is its name's position in one list, the lists hold no name
twice, and each logged column carries the value its source in LOG_TABLE names."""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor import layout as L
from twinmotor.simulation.core import write_log

NAME_LISTS = {"VP": L.VP_NAMES, "X": L.X_NAMES, "CMD": L.CMD_NAMES, "DRV": L.DRV_NAMES, "MEAS": L.MEAS_NAMES,
              "AUX": L.AUX_NAMES, "DP": L.DP_NAMES, "LOG": L.LOG_NAMES}

#: (constant name, list, name it must index); "+ corner"/"+ axle" constants index the first of a block
INDEX_CONSTANTS = [
    ("P_MASS", "VP", "mass"), ("P_MS", "VP", "sprung_mass"), ("P_LF", "VP", "lf"), ("P_LR", "VP", "lr"),
    ("P_H", "VP", "cg_height"), ("P_TF", "VP", "track_f"), ("P_TR", "VP", "track_r"), ("P_IXX", "VP", "ixx"),
    ("P_IYY", "VP", "iyy"), ("P_IZZ", "VP", "izz"), ("P_G", "VP", "g"), ("P_MU_F", "VP", "unsprung_f"),
    ("P_MU_R", "VP", "unsprung_r"), ("P_K_F", "VP", "spring_f"), ("P_K_R", "VP", "spring_r"),
    ("P_C_F", "VP", "damper_f"), ("P_C_R", "VP", "damper_r"), ("P_ARB_F", "VP", "arb_f"), ("P_ARB_R", "VP", "arb_r"),
    ("P_RC_F", "VP", "rc_f"), ("P_RC_R", "VP", "rc_r"), ("P_ANTI_BRAKE_F", "VP", "anti_brake_f"),
    ("P_ANTI_DRIVE_F", "VP", "anti_drive_f"), ("P_ANTI_BRAKE_R", "VP", "anti_brake_r"),
    ("P_ANTI_DRIVE_R", "VP", "anti_drive_r"), ("P_DRAG_K", "VP", "drag_k"), ("P_LIFT_K_F", "VP", "lift_k_f"),
    ("P_LIFT_K_R", "VP", "lift_k_r"), ("P_RADIUS_F", "VP", "radius_f"), ("P_RADIUS_R", "VP", "radius_r"),
    ("P_IW_F", "VP", "wheel_inertia_f"), ("P_IW_R", "VP", "wheel_inertia_r"), ("P_RR_F", "VP", "rr_coeff_f"),
    ("P_RR_R", "VP", "rr_coeff_r"), ("P_HAS_MOTOR_F", "VP", "has_motor_f"), ("P_HAS_MOTOR_R", "VP", "has_motor_r"),
    ("P_GEAR_F", "VP", "gear_f"), ("P_GEAR_R", "VP", "gear_r"), ("P_GEAR_EFF_F", "VP", "gear_eff_f"),
    ("P_GEAR_EFF_R", "VP", "gear_eff_r"), ("P_BRAKE_MAX_F", "VP", "brake_max_f"),
    ("P_BRAKE_MAX_R", "VP", "brake_max_r"), ("P_BRAKE_TAU", "VP", "brake_tau"),
    ("P_STEER_RATIO", "VP", "steer_ratio"), ("P_MAX_STEER", "VP", "max_steer"), ("P_AUX_W", "VP", "aux_w"),
    ("P_DAMP_X_F", "VP", "damp_x_f"), ("P_DAMP_X_R", "VP", "damp_x_r"), ("P_DAMP_Y_F", "VP", "damp_y_f"),
    ("P_DAMP_Y_R", "VP", "damp_y_r"), ("P_TIRE_SIDE_F", "VP", "tire_side_f"), ("P_TIRE_SIDE_R", "VP", "tire_side_r"),
    ("X_X", "X", "x"), ("X_Y", "X", "y"), ("X_PSI", "X", "yaw"), ("X_VX", "X", "vx"), ("X_VY", "X", "vy"),
    ("X_R", "X", "yaw_rate"), ("X_PHI", "X", "roll"), ("X_P", "X", "roll_rate"), ("X_THETA", "X", "pitch"),
    ("X_Q", "X", "pitch_rate"), ("X_Z", "X", "heave"), ("X_W", "X", "heave_rate"), ("X_OMEGA", "X", "omega_fl"),
    ("X_UX", "X", "defl_x_fl"), ("X_UY", "X", "defl_y_fl"), ("X_TM", "X", "motor_torque_front"),
    ("X_TB", "X", "brake_torque_fl"), ("X_SOC", "X", "soc"), ("X_S", "X", "distance"),
    ("X_E0", "X", "e_battery_chemical"), ("X_E_CHEM", "X", "e_battery_chemical"),
    ("X_E_BATT_LOSS", "X", "e_battery_loss"), ("X_E_REGEN", "X", "e_battery_regen"), ("X_E_CU", "X", "e_motor_copper"),
    ("X_E_DRAG", "X", "e_motor_drag"), ("X_E_INV", "X", "e_inverter"), ("X_E_GEAR", "X", "e_gear"),
    ("X_E_BRAKE", "X", "e_brake"), ("X_E_SLIP", "X", "e_tire_slip"), ("X_E_AERO", "X", "e_aero"),
    ("X_E_ROLL", "X", "e_rolling"), ("X_E_AUX", "X", "e_aux"), ("X_E_DAMPER", "X", "e_damper"),
    ("X_E_GRADE", "X", "e_grade"), ("X_E_MOTOR_OUT", "X", "e_motor_out_front"),
    ("X_E_MOTOR_REGEN", "X", "e_motor_regen_front"),
    ("C_TM_F", "CMD", "motor_torque_front_nm"), ("C_TM_R", "CMD", "motor_torque_rear_nm"),
    ("C_TB", "CMD", "brake_torque_fl_nm"),
    ("D_THROTTLE", "DRV", "throttle"), ("D_BRAKE", "DRV", "brake"), ("D_STEER", "DRV", "steer_rad"),
    ("D_TARGET_SPEED", "DRV", "target_speed_m_s"),
    ("M_T", "MEAS", "time_s"), ("M_WHEEL_SPEED", "MEAS", "wheel_speed_fl_rad_s"), ("M_AX", "MEAS", "ax_m_s2"),
    ("M_AY", "MEAS", "ay_m_s2"), ("M_YAW_RATE", "MEAS", "yaw_rate_rad_s"), ("M_ROLL_RATE", "MEAS", "roll_rate_rad_s"),
    ("M_PITCH_RATE", "MEAS", "pitch_rate_rad_s"), ("M_STEER", "MEAS", "steer_rad"),
    ("M_MOTOR_SPEED", "MEAS", "motor_speed_front_rad_s"), ("M_MOTOR_TORQUE", "MEAS", "motor_torque_front_nm"),
    ("M_MOTOR_LIMIT", "MEAS", "motor_torque_limit_front_nm"), ("M_SOC", "MEAS", "battery_soc"),
    ("M_VBATT", "MEAS", "battery_voltage_v"), ("M_P_DIS", "MEAS", "battery_discharge_limit_w"),
    ("M_P_CHG", "MEAS", "battery_charge_limit_w"), ("M_TRUE_VX", "MEAS", "true_vx_m_s"),
    ("M_TRUE_VY", "MEAS", "true_vy_m_s"), ("M_TRUE_FZ", "MEAS", "true_fz_fl_n"), ("M_TRUE_MU", "MEAS", "true_mu_fl"),
    ("M_TRUE_X", "MEAS", "true_x_m"), ("M_TRUE_Y", "MEAS", "true_y_m"), ("M_TRUE_YAW", "MEAS", "true_yaw_rad"),
    ("A_AX", "AUX", "ax"), ("A_AY", "AUX", "ay"), ("A_FX", "AUX", "fx_fl"), ("A_FY", "AUX", "fy_fl"),
    ("A_FZ", "AUX", "fz_fl"), ("A_KAPPA", "AUX", "kappa_fl"), ("A_ALPHA", "AUX", "alpha_fl"), ("A_MU", "AUX", "mu_fl"),
    ("A_WM", "AUX", "motor_speed_front"), ("A_PM", "AUX", "motor_power_front"), ("A_TLIM", "AUX", "motor_limit_front"),
    ("A_PBATT", "AUX", "battery_power"), ("A_IBATT", "AUX", "battery_current"), ("A_VBATT", "AUX", "battery_voltage"),
    ("A_VOC", "AUX", "battery_ocv"), ("A_PDIS", "AUX", "p_dis_max"), ("A_PCHG", "AUX", "p_chg_max"),
    ("A_STEER", "AUX", "steer"), ("A_GRADE", "AUX", "grade"), ("A_FXB", "AUX", "fxb_fl"), ("A_FYB", "AUX", "fyb_fl"),
    ("A_TDRIVE", "AUX", "drive_torque_fl"), ("A_TBRAKE", "AUX", "brake_torque_applied_fl"),
    ("DP_T_END", "DP", "t_end"), ("DP_STOP_V_ABOVE", "DP", "stop_v_above"), ("DP_STOP_S_ABOVE", "DP", "stop_s_above"),
    ("DP_STOP_V_BELOW", "DP", "stop_v_below"), ("DP_STOP_AFTER_T", "DP", "stop_after_t"), ("DP_KP", "DP", "kp_speed"),
    ("DP_KI", "DP", "ki_speed"), ("DP_THROTTLE_FF", "DP", "throttle_ff"), ("DP_BRAKE_FF", "DP", "brake_ff"),
    ("DP_SPEED_INT", "DP", "speed_int"), ("DP_PREVIEW_S", "DP", "preview_s"), ("DP_PREVIEW_MIN", "DP", "preview_min_m"),
    ("DP_STEER_RATE", "DP", "steer_rate_rad_s"), ("DP_STEER_STATE", "DP", "steer_state"),
    ("DP_WHEELBASE", "DP", "wheelbase_m"), ("DP_PATH_INDEX", "DP", "path_index"),
]

#: blocks indexed as FIRST + k: the k-th corner (or axle) must follow the first in its list
CORNER_BLOCKS = [("X", "X_OMEGA", "omega_{}"), ("X", "X_UX", "defl_x_{}"), ("X", "X_UY", "defl_y_{}"),
                 ("X", "X_TB", "brake_torque_{}"), ("CMD", "C_TB", "brake_torque_{}_nm"),
                 ("MEAS", "M_WHEEL_SPEED", "wheel_speed_{}_rad_s"), ("MEAS", "M_TRUE_FZ", "true_fz_{}_n"),
                 ("MEAS", "M_TRUE_MU", "true_mu_{}"), ("AUX", "A_FX", "fx_{}"), ("AUX", "A_FY", "fy_{}"),
                 ("AUX", "A_FZ", "fz_{}"), ("AUX", "A_KAPPA", "kappa_{}"), ("AUX", "A_ALPHA", "alpha_{}"),
                 ("AUX", "A_MU", "mu_{}"), ("AUX", "A_FXB", "fxb_{}"), ("AUX", "A_FYB", "fyb_{}"),
                 ("AUX", "A_TDRIVE", "drive_torque_{}"), ("AUX", "A_TBRAKE", "brake_torque_applied_{}")]
AXLE_BLOCKS = [("X", "X_TM", "motor_torque_{}"), ("X", "X_E_MOTOR_OUT", "e_motor_out_{}"),
               ("X", "X_E_MOTOR_REGEN", "e_motor_regen_{}"), ("MEAS", "M_MOTOR_SPEED", "motor_speed_{}_rad_s"),
               ("MEAS", "M_MOTOR_TORQUE", "motor_torque_{}_nm"), ("MEAS", "M_MOTOR_LIMIT", "motor_torque_limit_{}_nm"),
               ("AUX", "A_WM", "motor_speed_{}"), ("AUX", "A_PM", "motor_power_{}"), ("AUX", "A_TLIM", "motor_limit_{}")]


@pytest.mark.parametrize("which", list(NAME_LISTS))
def test_name_lists_hold_each_name_once(which):
    names = NAME_LISTS[which]
    assert len(set(names)) == len(names), [n for n in names if names.count(n) > 1]


@pytest.mark.parametrize("const, which, name", INDEX_CONSTANTS)
def test_every_index_is_its_names_position_in_its_list(const, which, name):
    assert getattr(L, const) == NAME_LISTS[which].index(name)


def test_enum_dicts_and_counts_agree_with_the_lists():
    for enum, names, n in ((L.VP, L.VP_NAMES, L.N_VP), (L.X, L.X_NAMES, L.N_X), (L.CMD, L.CMD_NAMES, L.N_CMD),
                           (L.DRV, L.DRV_NAMES, L.N_DRV), (L.MEAS, L.MEAS_NAMES, L.N_MEAS), (L.AUX, L.AUX_NAMES, L.N_AUX),
                           (L.DP, L.DP_NAMES, L.N_DP)):
        assert n == len(names) == len(enum)
        assert all(names[i] == k for k, i in enum.items())


@pytest.mark.parametrize("which, const, pattern", CORNER_BLOCKS)
def test_corner_blocks_run_fl_fr_rl_rr_from_their_first_index(which, const, pattern):
    first = getattr(L, const)
    assert [NAME_LISTS[which][first + k] for k in range(4)] == [pattern.format(c) for c in L.CORNERS]


@pytest.mark.parametrize("which, const, pattern", AXLE_BLOCKS)
def test_axle_blocks_run_front_rear_from_their_first_index(which, const, pattern):
    first = getattr(L, const)
    assert [NAME_LISTS[which][first + k] for k in range(2)] == [pattern.format(a) for a in L.AXLES]


def test_energy_accumulators_are_one_block_from_x_e0():
    energy = [n for n in L.X_NAMES if n.startswith("e_")]
    assert L.X_NAMES[L.X_E0:L.X_E0 + len(energy)] == energy


def test_every_log_source_resolves_to_a_name_in_its_array():
    arrays = {"x": L.X_NAMES, "aux": L.AUX_NAMES, "drv": L.DRV_NAMES, "cmd": L.CMD_NAMES, "est": L.EST_NAMES,
              "meas": L.MEAS_NAMES}
    for name, unit, source in L.LOG_TABLE:
        assert isinstance(unit, str) and unit, name
        if source == "t":
            continue
        array, sep, target = source.partition(":")
        assert sep == ":" and array in arrays, source
        assert target in arrays[array], source


def test_log_source_has_one_code_and_index_per_channel():
    src = L.LOG_SOURCE
    assert src.shape == (L.N_LOG, 2) and src.dtype == np.int64
    sizes = {L.LOG_FROM_T: 1, L.LOG_FROM_X: L.N_X, L.LOG_FROM_AUX: L.N_AUX, L.LOG_FROM_DRV: L.N_DRV,
             L.LOG_FROM_CMD: L.N_CMD, L.LOG_FROM_EST: L.N_EST, L.LOG_FROM_MEAS: L.N_MEAS}
    assert len(sizes) == 7  # the seven source codes are distinct
    for code, idx in src:
        assert code in sizes and 0 <= idx < sizes[code]
    assert L.LOG_NAMES[0] == "time" and tuple(src[0]) == (L.LOG_FROM_T, 0)
    assert L.LOG_UNITS == {n: u for n, u, _ in L.LOG_TABLE}


def test_controller_kinds_are_distinct():
    kinds = list(L.CONTROLLER_KINDS.values())
    assert len(set(kinds)) == len(kinds)
    assert (L.CTL_HOLD, L.CTL_OPEN, L.CTL_TWIN_MOTOR) == (-1, 0, 1)


def test_driver_kinds_and_status_codes_are_distinct():
    assert len({L.DRIVER_TABLE, L.DRIVER_SPEED, L.DRIVER_PATH, L.DRIVER_PATH_SPEED}) == 4
    assert len({L.STATUS_RUNNING, L.STATUS_STOPPED, L.STATUS_DIVERGED, L.STATUS_END}) == 4


def test_write_log_copies_each_column_from_the_source_log_table_names():
    """Arrays filled with distinct values (x[i] = 1000 + i, aux 2000 + i, drv 3000 + i, cmd 4000 + i,
    est 5000 + i, meas 6000 + i):
    every logged column must equal the value at the array and name its LOG_TABLE source gives."""
    x = 1000.0 + np.arange(L.N_X, dtype=np.float64)
    aux = 2000.0 + np.arange(L.N_AUX, dtype=np.float64)
    drv = 3000.0 + np.arange(L.N_DRV, dtype=np.float64)
    cmd = 4000.0 + np.arange(L.N_CMD, dtype=np.float64)
    est = 5000.0 + np.arange(L.N_EST, dtype=np.float64)
    meas = 6000.0 + np.arange(L.N_MEAS, dtype=np.float64)
    t = 12.5
    row = np.full(L.N_LOG, np.nan)
    write_log(row, t, x, aux, drv, cmd, est, meas)
    offset = {"x": (1000.0, L.X_NAMES), "aux": (2000.0, L.AUX_NAMES), "drv": (3000.0, L.DRV_NAMES),
              "cmd": (4000.0, L.CMD_NAMES), "est": (5000.0, L.EST_NAMES), "meas": (6000.0, L.MEAS_NAMES)}
    for k, (name, _unit, source) in enumerate(L.LOG_TABLE):
        if source == "t":
            expected = t
        else:
            array, _, target = source.partition(":")
            base, names = offset[array]
            expected = base + names.index(target)
        assert row[k] == expected, (name, source, row[k])
