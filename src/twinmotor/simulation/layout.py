"""Index layout of the flat arrays shared by the compiled simulation core.

The hot loop works on float64 arrays, never on Python objects; these integer constants are the
contract between the Python assembly code and the numba-compiled plant, driver and controllers.
numba treats module-level ints as compile-time constants, so indexing by name costs nothing.

Corner order everywhere: 0 = front left, 1 = front right, 2 = rear left, 3 = rear right.
Axle order: 0 = front, 1 = rear.
"""

from __future__ import annotations

CORNERS = ("fl", "fr", "rl", "rr")
AXLES = ("front", "rear")


def _enum(names: list[str]) -> dict[str, int]:
    return {n: i for i, n in enumerate(names)}


# ---------------------------------------------------------------- vehicle parameters (vp)
VP_NAMES = [
    "mass", "sprung_mass", "lf", "lr", "cg_height", "track_f", "track_r",
    "ixx", "iyy", "izz", "g",
    "unsprung_f", "unsprung_r", "spring_f", "spring_r", "damper_f", "damper_r",
    "arb_f", "arb_r", "rc_f", "rc_r",
    "anti_brake_f", "anti_drive_f", "anti_brake_r", "anti_drive_r",
    "drag_k",            # 0.5 * rho * Cd * A           [N/(m/s)^2]
    "lift_k_f", "lift_k_r",  # 0.5 * rho * Cl * A per axle  [N/(m/s)^2]
    "radius_f", "radius_r", "wheel_inertia_f", "wheel_inertia_r", "rr_coeff_f", "rr_coeff_r",
    "has_motor_f", "has_motor_r", "gear_f", "gear_r", "gear_eff_f", "gear_eff_r",
    "brake_max_f", "brake_max_r", "brake_tau",
    "steer_ratio", "max_steer",
    "aux_w",
    "damp_x_f", "damp_x_r", "damp_y_f", "damp_y_r",  # low-speed tire damping [N*s/m]
    "tire_side_f", "tire_side_r",  # side the tire data describe: 0 = left, 1 = right (the other side is mirrored)
]
VP = _enum(VP_NAMES)
N_VP = len(VP_NAMES)
P_MASS, P_MS, P_LF, P_LR, P_H, P_TF, P_TR = 0, 1, 2, 3, 4, 5, 6
P_IXX, P_IYY, P_IZZ, P_G = 7, 8, 9, 10
P_MU_F, P_MU_R, P_K_F, P_K_R, P_C_F, P_C_R = 11, 12, 13, 14, 15, 16
P_ARB_F, P_ARB_R, P_RC_F, P_RC_R = 17, 18, 19, 20
P_ANTI_BRAKE_F, P_ANTI_DRIVE_F, P_ANTI_BRAKE_R, P_ANTI_DRIVE_R = 21, 22, 23, 24
P_DRAG_K, P_LIFT_K_F, P_LIFT_K_R = 25, 26, 27
P_RADIUS_F, P_RADIUS_R, P_IW_F, P_IW_R, P_RR_F, P_RR_R = 28, 29, 30, 31, 32, 33
P_HAS_MOTOR_F, P_HAS_MOTOR_R, P_GEAR_F, P_GEAR_R, P_GEAR_EFF_F, P_GEAR_EFF_R = 34, 35, 36, 37, 38, 39
P_BRAKE_MAX_F, P_BRAKE_MAX_R, P_BRAKE_TAU = 40, 41, 42
P_STEER_RATIO, P_MAX_STEER = 43, 44
P_AUX_W = 45
P_DAMP_X_F, P_DAMP_X_R, P_DAMP_Y_F, P_DAMP_Y_R = 46, 47, 48, 49
P_TIRE_SIDE_F, P_TIRE_SIDE_R = 50, 51
assert VP["damp_y_r"] == P_DAMP_Y_R and VP["aux_w"] == P_AUX_W and VP["tire_side_r"] == P_TIRE_SIDE_R

# ---------------------------------------------------------------- state (x)
X_NAMES = (
    ["x", "y", "yaw", "vx", "vy", "yaw_rate",
     "roll", "roll_rate", "pitch", "pitch_rate", "heave", "heave_rate"]
    + [f"omega_{c}" for c in CORNERS]
    + [f"defl_x_{c}" for c in CORNERS]
    + [f"defl_y_{c}" for c in CORNERS]
    + ["motor_torque_front", "motor_torque_rear"]
    + [f"brake_torque_{c}" for c in CORNERS]
    + ["soc", "distance"]
    # energy accumulators [J]
    + ["e_battery_chemical", "e_battery_loss", "e_battery_regen", "e_motor_copper", "e_motor_drag",
       "e_inverter", "e_gear", "e_brake", "e_tire_slip", "e_aero", "e_rolling", "e_aux", "e_damper",
       "e_grade",
       # electrical energy [J] each motor drew (out) and gave back (regen), at the DC link
       "e_motor_out_front", "e_motor_out_rear", "e_motor_regen_front", "e_motor_regen_rear"]
)
X = _enum(X_NAMES)
N_X = len(X_NAMES)
X_X, X_Y, X_PSI, X_VX, X_VY, X_R = 0, 1, 2, 3, 4, 5
X_PHI, X_P, X_THETA, X_Q, X_Z, X_W = 6, 7, 8, 9, 10, 11
X_OMEGA, X_UX, X_UY = 12, 16, 20
X_TM = 24
X_TB = 26
X_SOC, X_S = 30, 31
X_E0 = 32
(X_E_CHEM, X_E_BATT_LOSS, X_E_REGEN, X_E_CU, X_E_DRAG, X_E_INV, X_E_GEAR, X_E_BRAKE, X_E_SLIP,
 X_E_AERO, X_E_ROLL, X_E_AUX, X_E_DAMPER, X_E_GRADE) = range(32, 46)
X_E_MOTOR_OUT, X_E_MOTOR_REGEN = 46, 48  # + axle
assert X["e_grade"] == X_E_GRADE and X["soc"] == X_SOC and X["brake_torque_fl"] == X_TB

# ---------------------------------------------------------------- controller commands (cmd)
CMD_NAMES = ["motor_torque_front_nm", "motor_torque_rear_nm"] + [f"brake_torque_{c}_nm" for c in CORNERS]
N_CMD = len(CMD_NAMES)
C_TM_F, C_TM_R, C_TB = 0, 1, 2

# ---------------------------------------------------------------- driver inputs (drv)
DRV_NAMES = ["throttle", "brake", "steer_rad", "target_speed_m_s"]
N_DRV = len(DRV_NAMES)
D_THROTTLE, D_BRAKE, D_STEER, D_TARGET_SPEED = 0, 1, 2, 3

# ---------------------------------------------------------------- measurements (meas)
MEAS_NAMES = (
    ["time_s"]
    + [f"wheel_speed_{c}_rad_s" for c in CORNERS]
    + ["ax_m_s2", "ay_m_s2", "yaw_rate_rad_s", "roll_rate_rad_s", "pitch_rate_rad_s", "steer_rad",
       "motor_speed_front_rad_s", "motor_speed_rear_rad_s",
       "motor_torque_front_nm", "motor_torque_rear_nm",
       "motor_torque_limit_front_nm", "motor_torque_limit_rear_nm",
       "battery_soc", "battery_voltage_v",
       "battery_discharge_limit_w", "battery_charge_limit_w",
       # true values, for ideal state estimation (a real car does not measure these directly)
       "true_vx_m_s", "true_vy_m_s"]
    + [f"true_fz_{c}_n" for c in CORNERS]
    + [f"true_mu_{c}" for c in CORNERS]
    # where the car is (what the driver sees; controllers do not need it)
    + ["true_x_m", "true_y_m", "true_yaw_rad"]
)
MEAS = _enum(MEAS_NAMES)
N_MEAS = len(MEAS_NAMES)
M_T = 0
M_WHEEL_SPEED = 1
M_AX, M_AY, M_YAW_RATE, M_ROLL_RATE, M_PITCH_RATE, M_STEER = 5, 6, 7, 8, 9, 10
M_MOTOR_SPEED = 11
M_MOTOR_TORQUE = 13
M_MOTOR_LIMIT = 15
M_SOC, M_VBATT, M_P_DIS, M_P_CHG = 17, 18, 19, 20
M_TRUE_VX, M_TRUE_VY = 21, 22
M_TRUE_FZ = 23
M_TRUE_MU = 27
M_TRUE_X, M_TRUE_Y, M_TRUE_YAW = 31, 32, 33
assert MEAS["true_yaw_rad"] == M_TRUE_YAW and MEAS["true_mu_fl"] == M_TRUE_MU and MEAS["battery_charge_limit_w"] == M_P_CHG

# ---------------------------------------------------------------- per-step auxiliary outputs (aux)
AUX_NAMES = (
    ["ax", "ay"]
    + [f"fx_{c}" for c in CORNERS] + [f"fy_{c}" for c in CORNERS] + [f"fz_{c}" for c in CORNERS]
    + [f"kappa_{c}" for c in CORNERS] + [f"alpha_{c}" for c in CORNERS] + [f"mu_{c}" for c in CORNERS]
    + ["motor_speed_front", "motor_speed_rear", "motor_power_front", "motor_power_rear",
       "motor_limit_front", "motor_limit_rear",
       "battery_power", "battery_current", "battery_voltage", "battery_ocv",
       "p_dis_max", "p_chg_max", "steer", "grade"]
    + [f"fxb_{c}" for c in CORNERS] + [f"fyb_{c}" for c in CORNERS]
    + [f"drive_torque_{c}" for c in CORNERS] + [f"brake_torque_applied_{c}" for c in CORNERS]
)
AUX = _enum(AUX_NAMES)
N_AUX = len(AUX_NAMES)
A_AX, A_AY = 0, 1
A_FX, A_FY, A_FZ, A_KAPPA, A_ALPHA, A_MU = 2, 6, 10, 14, 18, 22
A_WM, A_PM, A_TLIM = 26, 28, 30
A_PBATT, A_IBATT, A_VBATT, A_VOC, A_PDIS, A_PCHG, A_STEER, A_GRADE = 32, 33, 34, 35, 36, 37, 38, 39
A_FXB, A_FYB = 40, 44
A_TDRIVE, A_TBRAKE = 48, 52
assert AUX["grade"] == A_GRADE and AUX["fxb_fl"] == A_FXB and AUX["brake_torque_applied_fl"] == A_TBRAKE
assert N_AUX == 56

# ---------------------------------------------------------------- logged channels (one row per log step)
# name, unit. Filled by core.write_log in this order.
LOG_CHANNELS = (
    [("time", "s"), ("x", "m"), ("y", "m"), ("yaw", "rad"), ("vx", "m/s"), ("vy", "m/s"),
     ("yaw_rate", "rad/s"), ("ax", "m/s^2"), ("ay", "m/s^2"),
     ("roll", "rad"), ("roll_rate", "rad/s"), ("pitch", "rad"), ("pitch_rate", "rad/s"), ("heave", "m"),
     ("distance", "m"), ("steer", "rad"), ("throttle", "-"), ("brake_pedal", "-")]
    + [(f"omega_{c}", "rad/s") for c in CORNERS]
    + [(f"kappa_{c}", "-") for c in CORNERS]
    + [(f"alpha_{c}", "rad") for c in CORNERS]
    + [(f"fx_{c}", "N") for c in CORNERS]
    + [(f"fy_{c}", "N") for c in CORNERS]
    + [(f"fz_{c}", "N") for c in CORNERS]
    + [(f"mu_{c}", "-") for c in CORNERS]
    + [("motor_torque_cmd_front", "N*m"), ("motor_torque_cmd_rear", "N*m"),
       ("motor_torque_front", "N*m"), ("motor_torque_rear", "N*m"),
       ("motor_speed_front", "rad/s"), ("motor_speed_rear", "rad/s"),
       ("motor_power_front", "W"), ("motor_power_rear", "W")]
    + [(f"brake_torque_{c}", "N*m") for c in CORNERS]
    + [("battery_power", "W"), ("battery_current", "A"), ("battery_voltage", "V"), ("soc", "-"),
       ("e_battery_chemical", "J"), ("e_battery_regen", "J")]
)
LOG_NAMES = [n for n, _ in LOG_CHANNELS]
LOG_UNITS = dict(LOG_CHANNELS)
N_LOG = len(LOG_CHANNELS)

# ---------------------------------------------------------------- driver and stop parameters (drv_p)
DP_NAMES = ["t_end", "stop_v_above", "stop_s_above", "stop_v_below", "stop_after_t",
            "kp_speed", "ki_speed", "throttle_ff", "brake_ff", "speed_int",
            "preview_s", "preview_min_m", "steer_rate_rad_s", "steer_state", "wheelbase_m", "path_index"]
DP = _enum(DP_NAMES)
N_DP = len(DP_NAMES)
DP_T_END, DP_STOP_V_ABOVE, DP_STOP_S_ABOVE, DP_STOP_V_BELOW, DP_STOP_AFTER_T = 0, 1, 2, 3, 4

# driver kinds
DRIVER_TABLE = 0      # open loop: throttle, brake, steer interpolated in time
DRIVER_SPEED = 1      # closed-loop speed tracking, steer from table
DRIVER_PATH = 2       # pedals from the table, steering follows the path (pure pursuit)
DRIVER_PATH_SPEED = 3 # speed tracking and path following

# status codes returned by the core
STATUS_RUNNING, STATUS_STOPPED, STATUS_DIVERGED, STATUS_END = 0, 1, 2, 3
