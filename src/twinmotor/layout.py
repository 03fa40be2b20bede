"""Index layout of the flat arrays shared by the compiled simulation core.

The hot loop works on float64 arrays, never on Python objects; these integer constants are the
contract between the Python assembly code and the numba-compiled plant, driver and controllers.
numba treats module-level ints as compile-time constants, so indexing by name costs nothing.

One source: each array has a list of names, and every integer index below is looked up in it
(never typed by hand), so adding a name never means renumbering. The logged channels name their
source (state, auxiliary output, driver input or command), and the core writes each row from that
table (`LOG_SOURCE`).

Corner order everywhere: 0 = front left, 1 = front right, 2 = rear left, 3 = rear right.
Axle order: 0 = front, 1 = rear.
"""

from __future__ import annotations

import numpy as np

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("iso8855_2011",)

CORNERS = ("fl", "fr", "rl", "rr")
AXLES = ("front", "rear")


def name_index(names) -> dict[str, int]:
    """Name -> position in a name list: how every compiled array's indices are looked up."""
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
    # disconnect unit per axle: fitted (0/1), engage and release times [s], actuation energy [J], drag when open [N*m]
    "disconnect_f", "disconnect_r", "engage_time_f", "engage_time_r", "release_time_f", "release_time_r",
    "actuation_j_f", "actuation_j_r", "open_drag_f", "open_drag_r",
    # drive-unit spin loss: loss [W] at the motor speed of 100 km/h, that speed [rad/s], speed exponent [-]
    "spin_w100_f", "spin_w100_r", "spin_speed100_f", "spin_speed100_r", "spin_exp_f", "spin_exp_r",
    # drag per wheel of bearings and released brakes [N*m]
    "wheel_drag_f", "wheel_drag_r",
    # longest sub-step [s] of the wheel-spin / tire-deflection mode (simulation.stability), set by the
    # runner: a longer plant step integrates the wheels in sub-steps no longer than this (0: none)
    "wheel_substep",
]
VP = name_index(VP_NAMES)
N_VP = len(VP_NAMES)
P_MASS, P_MS, P_LF, P_LR, P_H = VP["mass"], VP["sprung_mass"], VP["lf"], VP["lr"], VP["cg_height"]
P_TF, P_TR = VP["track_f"], VP["track_r"]
P_IXX, P_IYY, P_IZZ, P_G = VP["ixx"], VP["iyy"], VP["izz"], VP["g"]
P_MU_F, P_MU_R = VP["unsprung_f"], VP["unsprung_r"]
P_K_F, P_K_R, P_C_F, P_C_R = VP["spring_f"], VP["spring_r"], VP["damper_f"], VP["damper_r"]
P_ARB_F, P_ARB_R, P_RC_F, P_RC_R = VP["arb_f"], VP["arb_r"], VP["rc_f"], VP["rc_r"]
P_ANTI_BRAKE_F, P_ANTI_DRIVE_F = VP["anti_brake_f"], VP["anti_drive_f"]
P_ANTI_BRAKE_R, P_ANTI_DRIVE_R = VP["anti_brake_r"], VP["anti_drive_r"]
P_DRAG_K, P_LIFT_K_F, P_LIFT_K_R = VP["drag_k"], VP["lift_k_f"], VP["lift_k_r"]
P_RADIUS_F, P_RADIUS_R = VP["radius_f"], VP["radius_r"]
P_IW_F, P_IW_R = VP["wheel_inertia_f"], VP["wheel_inertia_r"]
P_RR_F, P_RR_R = VP["rr_coeff_f"], VP["rr_coeff_r"]
P_HAS_MOTOR_F, P_HAS_MOTOR_R = VP["has_motor_f"], VP["has_motor_r"]
P_GEAR_F, P_GEAR_R, P_GEAR_EFF_F, P_GEAR_EFF_R = VP["gear_f"], VP["gear_r"], VP["gear_eff_f"], VP["gear_eff_r"]
P_BRAKE_MAX_F, P_BRAKE_MAX_R, P_BRAKE_TAU = VP["brake_max_f"], VP["brake_max_r"], VP["brake_tau"]
P_STEER_RATIO, P_MAX_STEER = VP["steer_ratio"], VP["max_steer"]
P_AUX_W = VP["aux_w"]
P_DAMP_X_F, P_DAMP_X_R, P_DAMP_Y_F, P_DAMP_Y_R = VP["damp_x_f"], VP["damp_x_r"], VP["damp_y_f"], VP["damp_y_r"]
P_TIRE_SIDE_F, P_TIRE_SIDE_R = VP["tire_side_f"], VP["tire_side_r"]
# + axle
P_DISCONNECT, P_ENGAGE_T, P_RELEASE_T, P_ACTUATION_J = VP["disconnect_f"], VP["engage_time_f"], VP["release_time_f"], VP["actuation_j_f"]
P_OPEN_DRAG, P_SPIN_W100, P_SPIN_SPEED100, P_SPIN_EXP = VP["open_drag_f"], VP["spin_w100_f"], VP["spin_speed100_f"], VP["spin_exp_f"]
P_WHEEL_DRAG = VP["wheel_drag_f"]
P_WHEEL_SUBSTEP = VP["wheel_substep"]

# ---------------------------------------------------------------- state (x)
X_NAMES = (
    ["x", "y", "yaw", "vx", "vy", "yaw_rate",
     "roll", "roll_rate", "pitch", "pitch_rate", "heave", "heave_rate"]
    + [f"omega_{c}" for c in CORNERS]
    + [f"defl_x_{c}" for c in CORNERS]
    + [f"defl_y_{c}" for c in CORNERS]
    + ["motor_torque_front", "motor_torque_rear"]
    # disconnect travel (1 = engaged; an axle without a disconnect stays at 1) and motor flux (0-1)
    + ["coupling_front", "coupling_rear", "flux_front", "flux_rear"]
    + [f"brake_torque_{c}" for c in CORNERS]
    + ["soc", "distance"]
    # energy accumulators [J]
    + ["e_battery_chemical", "e_battery_loss", "e_battery_regen", "e_motor_copper", "e_motor_drag",
       "e_inverter", "e_gear", "e_brake", "e_tire_slip", "e_aero", "e_rolling", "e_aux", "e_damper",
       "e_grade",
       # excitation (magnetising / field) loss, driveline spin losses (drive units, wheel bearings, released
       # brakes, open disconnect), disconnect actuation and rotor synchronisation
       "e_excitation", "e_spin", "e_disconnect",
       # electrical energy [J] each motor drew (out) and gave back (regen), at the DC link
       "e_motor_out_front", "e_motor_out_rear", "e_motor_regen_front", "e_motor_regen_rear"]
)
X = name_index(X_NAMES)
N_X = len(X_NAMES)
X_X, X_Y, X_PSI, X_VX, X_VY, X_R = X["x"], X["y"], X["yaw"], X["vx"], X["vy"], X["yaw_rate"]
X_PHI, X_P, X_THETA, X_Q = X["roll"], X["roll_rate"], X["pitch"], X["pitch_rate"]
X_Z, X_W = X["heave"], X["heave_rate"]
X_OMEGA, X_UX, X_UY = X["omega_fl"], X["defl_x_fl"], X["defl_y_fl"]  # + corner
X_TM = X["motor_torque_front"]  # + axle
X_TB = X["brake_torque_fl"]  # + corner
X_SOC, X_S = X["soc"], X["distance"]
X_E0 = X["e_battery_chemical"]  # first energy accumulator
X_E_CHEM, X_E_BATT_LOSS, X_E_REGEN = X["e_battery_chemical"], X["e_battery_loss"], X["e_battery_regen"]
X_E_CU, X_E_DRAG, X_E_INV, X_E_GEAR = X["e_motor_copper"], X["e_motor_drag"], X["e_inverter"], X["e_gear"]
X_E_BRAKE, X_E_SLIP, X_E_AERO, X_E_ROLL = X["e_brake"], X["e_tire_slip"], X["e_aero"], X["e_rolling"]
X_E_AUX, X_E_DAMPER, X_E_GRADE = X["e_aux"], X["e_damper"], X["e_grade"]
X_E_MOTOR_OUT, X_E_MOTOR_REGEN = X["e_motor_out_front"], X["e_motor_regen_front"]  # + axle
X_E_EXC, X_E_SPIN, X_E_DISC = X["e_excitation"], X["e_spin"], X["e_disconnect"]
X_CPL, X_FLUX = X["coupling_front"], X["flux_front"]  # + axle

# ---------------------------------------------------------------- controller commands (cmd)
CMD_NAMES = (["motor_torque_front_nm", "motor_torque_rear_nm"] + [f"brake_torque_{c}_nm" for c in CORNERS]
             # 1: open the axle's disconnect unit (0, the default, keeps it engaged)
             + ["disconnect_front", "disconnect_rear"])
N_CMD = len(CMD_NAMES)
CMD = name_index(CMD_NAMES)
C_TM_F, C_TM_R, C_TB = CMD["motor_torque_front_nm"], CMD["motor_torque_rear_nm"], CMD["brake_torque_fl_nm"]
C_DISC = CMD["disconnect_front"]  # + axle

# ---------------------------------------------------------------- driver inputs (drv)
DRV_NAMES = ["throttle", "brake", "steer_rad", "target_speed_m_s"]
N_DRV = len(DRV_NAMES)
DRV = name_index(DRV_NAMES)
D_THROTTLE, D_BRAKE, D_STEER, D_TARGET_SPEED = DRV["throttle"], DRV["brake"], DRV["steer_rad"], DRV["target_speed_m_s"]

# ---------------------------------------------------------------- measurements (meas)
MEAS_NAMES = (
    ["time_s"]
    + [f"wheel_speed_{c}_rad_s" for c in CORNERS]
    + ["ax_m_s2", "ay_m_s2", "yaw_rate_rad_s", "roll_rate_rad_s", "pitch_rate_rad_s", "steer_rad",
       "motor_speed_front_rad_s", "motor_speed_rear_rad_s",
       "motor_torque_front_nm", "motor_torque_rear_nm",
       "motor_torque_limit_front_nm", "motor_torque_limit_rear_nm",
       "coupling_front", "coupling_rear",
       "battery_soc", "battery_voltage_v", "battery_current_a",
       "battery_discharge_limit_w", "battery_charge_limit_w"]
    # brake torque of each wheel as the ECU knows it (from the brake pressure)
    + [f"brake_torque_{c}_nm" for c in CORNERS]
    # the truth, for logging, KPIs and a user's own experiments: no built-in controller reads it
    # (except with the explicit `estimator = 1` oracle setting, for ablation)
    + ["true_vx_m_s", "true_vy_m_s"]
    + [f"true_fz_{c}_n" for c in CORNERS]
    + [f"true_mu_{c}" for c in CORNERS]
    # where the car is (what the driver sees; controllers do not need it)
    + ["true_x_m", "true_y_m", "true_yaw_rad"]
)
MEAS = name_index(MEAS_NAMES)
N_MEAS = len(MEAS_NAMES)
M_T = MEAS["time_s"]
M_WHEEL_SPEED = MEAS["wheel_speed_fl_rad_s"]  # + corner
M_AX, M_AY, M_YAW_RATE = MEAS["ax_m_s2"], MEAS["ay_m_s2"], MEAS["yaw_rate_rad_s"]
M_ROLL_RATE, M_PITCH_RATE, M_STEER = MEAS["roll_rate_rad_s"], MEAS["pitch_rate_rad_s"], MEAS["steer_rad"]
M_MOTOR_SPEED = MEAS["motor_speed_front_rad_s"]  # + axle
M_MOTOR_TORQUE = MEAS["motor_torque_front_nm"]  # + axle
M_MOTOR_LIMIT = MEAS["motor_torque_limit_front_nm"]  # + axle
M_COUPLING = MEAS["coupling_front"]  # + axle
M_SOC, M_VBATT, M_IBATT = MEAS["battery_soc"], MEAS["battery_voltage_v"], MEAS["battery_current_a"]
M_BRAKE_TORQUE = MEAS["brake_torque_fl_nm"]  # + corner
M_P_DIS, M_P_CHG = MEAS["battery_discharge_limit_w"], MEAS["battery_charge_limit_w"]
M_TRUE_VX, M_TRUE_VY = MEAS["true_vx_m_s"], MEAS["true_vy_m_s"]
M_TRUE_FZ = MEAS["true_fz_fl_n"]  # + corner
M_TRUE_MU = MEAS["true_mu_fl"]  # + corner
M_TRUE_X, M_TRUE_Y, M_TRUE_YAW = MEAS["true_x_m"], MEAS["true_y_m"], MEAS["true_yaw_rad"]

# ---------------------------------------------------------------- estimates (est), written by the controller
#: what the built-in controllers' estimation layer makes of the sensors (control/estimation.py);
#: logged beside the truth so their accuracy can be judged
EST_NAMES = (["speed_m_s", "vy_m_s", "sideslip_rad", "mu_left", "mu_right", "mu_confidence", "grade_rad"]
             + [f"fz_{c}_n" for c in CORNERS])
EST = name_index(EST_NAMES)
N_EST = len(EST_NAMES)
E_V, E_VY, E_BETA = EST["speed_m_s"], EST["vy_m_s"], EST["sideslip_rad"]
E_MU_LEFT, E_MU_RIGHT, E_MU_CONF, E_GRADE = EST["mu_left"], EST["mu_right"], EST["mu_confidence"], EST["grade_rad"]
E_FZ = EST["fz_fl_n"]  # + corner

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
AUX = name_index(AUX_NAMES)
N_AUX = len(AUX_NAMES)
A_AX, A_AY = AUX["ax"], AUX["ay"]
# + corner
A_FX, A_FY, A_FZ, A_KAPPA, A_ALPHA, A_MU = AUX["fx_fl"], AUX["fy_fl"], AUX["fz_fl"], AUX["kappa_fl"], AUX["alpha_fl"], AUX["mu_fl"]
A_WM, A_PM, A_TLIM = AUX["motor_speed_front"], AUX["motor_power_front"], AUX["motor_limit_front"]  # + axle
A_PBATT, A_IBATT, A_VBATT, A_VOC = AUX["battery_power"], AUX["battery_current"], AUX["battery_voltage"], AUX["battery_ocv"]
A_PDIS, A_PCHG, A_STEER, A_GRADE = AUX["p_dis_max"], AUX["p_chg_max"], AUX["steer"], AUX["grade"]
A_FXB, A_FYB = AUX["fxb_fl"], AUX["fyb_fl"]  # + corner
A_TDRIVE, A_TBRAKE = AUX["drive_torque_fl"], AUX["brake_torque_applied_fl"]  # + corner

# ---------------------------------------------------------------- logged channels (one row per log step)
# name, unit, source: "t" (time), or "ARRAY:NAME" with ARRAY one of x (state), aux (per-step outputs),
# drv (driver inputs), cmd (controller commands), est (the controller's estimates), meas (what the
# controller measured). core.write_log copies each row from this table.
LOG_TABLE = (
    [("time", "s", "t"), ("x", "m", "x:x"), ("y", "m", "x:y"), ("yaw", "rad", "x:yaw"), ("vx", "m/s", "x:vx"),
     ("vy", "m/s", "x:vy"), ("yaw_rate", "rad/s", "x:yaw_rate"), ("ax", "m/s^2", "aux:ax"), ("ay", "m/s^2", "aux:ay"),
     ("roll", "rad", "x:roll"), ("roll_rate", "rad/s", "x:roll_rate"), ("pitch", "rad", "x:pitch"),
     ("pitch_rate", "rad/s", "x:pitch_rate"), ("heave", "m", "x:heave"),
     ("distance", "m", "x:distance"), ("steer", "rad", "aux:steer"), ("throttle", "-", "drv:throttle"),
     ("brake_pedal", "-", "drv:brake")]
    + [(f"omega_{c}", "rad/s", f"x:omega_{c}") for c in CORNERS]
    + [(f"kappa_{c}", "-", f"aux:kappa_{c}") for c in CORNERS]
    + [(f"alpha_{c}", "rad", f"aux:alpha_{c}") for c in CORNERS]
    + [(f"fx_{c}", "N", f"aux:fx_{c}") for c in CORNERS]
    + [(f"fy_{c}", "N", f"aux:fy_{c}") for c in CORNERS]
    + [(f"fz_{c}", "N", f"aux:fz_{c}") for c in CORNERS]
    + [(f"mu_{c}", "-", f"aux:mu_{c}") for c in CORNERS]
    + [("motor_torque_cmd_front", "N*m", "cmd:motor_torque_front_nm"),
       ("motor_torque_cmd_rear", "N*m", "cmd:motor_torque_rear_nm"),
       ("motor_torque_front", "N*m", "x:motor_torque_front"), ("motor_torque_rear", "N*m", "x:motor_torque_rear"),
       ("motor_speed_front", "rad/s", "aux:motor_speed_front"), ("motor_speed_rear", "rad/s", "aux:motor_speed_rear"),
       ("motor_power_front", "W", "aux:motor_power_front"), ("motor_power_rear", "W", "aux:motor_power_rear"),
       ("coupling_front", "-", "x:coupling_front"), ("coupling_rear", "-", "x:coupling_rear"),
       ("flux_front", "-", "x:flux_front"), ("flux_rear", "-", "x:flux_rear"),
       ("disconnect_cmd_front", "-", "cmd:disconnect_front"), ("disconnect_cmd_rear", "-", "cmd:disconnect_rear")]
    + [(f"brake_torque_{c}", "N*m", f"x:brake_torque_{c}") for c in CORNERS]
    + [("battery_power", "W", "aux:battery_power"), ("battery_current", "A", "aux:battery_current"),
       ("battery_voltage", "V", "aux:battery_voltage"), ("soc", "-", "x:soc"),
       ("e_battery_chemical", "J", "x:e_battery_chemical"), ("e_battery_regen", "J", "x:e_battery_regen")]
    # the controller's estimates (zero for controllers without an estimation layer)
    + [("est_vx", "m/s", "est:speed_m_s"), ("est_vy", "m/s", "est:vy_m_s"), ("est_sideslip", "rad", "est:sideslip_rad"),
       ("est_mu_left", "-", "est:mu_left"), ("est_mu_right", "-", "est:mu_right"),
       ("est_mu_confidence", "-", "est:mu_confidence"), ("est_grade", "rad", "est:grade_rad")]
    + [(f"est_fz_{c}", "N", f"est:fz_{c}_n") for c in CORNERS]
    # what the controller measured (after the sensor model)
    + [("meas_ax", "m/s^2", "meas:ax_m_s2"), ("meas_ay", "m/s^2", "meas:ay_m_s2"),
       ("meas_yaw_rate", "rad/s", "meas:yaw_rate_rad_s"), ("meas_steer", "rad", "meas:steer_rad")]
    + [(f"meas_wheel_speed_{c}", "rad/s", f"meas:wheel_speed_{c}_rad_s") for c in CORNERS]
)
LOG_CHANNELS = [(name, unit) for name, unit, _ in LOG_TABLE]
LOG_NAMES = [n for n, _ in LOG_CHANNELS]
LOG_UNITS = dict(LOG_CHANNELS)
N_LOG = len(LOG_CHANNELS)
#: where each log column comes from: LOG_FROM_* source code and the index in that array
LOG_FROM_T, LOG_FROM_X, LOG_FROM_AUX, LOG_FROM_DRV, LOG_FROM_CMD, LOG_FROM_EST, LOG_FROM_MEAS = 0, 1, 2, 3, 4, 5, 6
_LOG_ARRAYS = {"x": (LOG_FROM_X, X), "aux": (LOG_FROM_AUX, AUX), "drv": (LOG_FROM_DRV, DRV), "cmd": (LOG_FROM_CMD, CMD),
               "est": (LOG_FROM_EST, EST), "meas": (LOG_FROM_MEAS, MEAS)}


def _log_source(source: str) -> tuple[int, int]:
    if source == "t":
        return LOG_FROM_T, 0
    array, _, name = source.partition(":")
    code, names = _LOG_ARRAYS[array]
    return code, names[name]


LOG_SOURCE = np.array([_log_source(src) for _, _, src in LOG_TABLE], dtype=np.int64)

# ---------------------------------------------------------------- driver and stop parameters (drv_p)
DP_NAMES = ["t_end", "stop_v_above", "stop_s_above", "stop_v_below", "stop_after_t",
            "kp_speed", "ki_speed", "throttle_ff", "brake_ff", "speed_int",
            "preview_s", "preview_min_m", "steer_rate_rad_s", "steer_state", "wheelbase_m", "path_index"]
DP = name_index(DP_NAMES)
N_DP = len(DP_NAMES)
DP_T_END, DP_STOP_V_ABOVE, DP_STOP_S_ABOVE = DP["t_end"], DP["stop_v_above"], DP["stop_s_above"]
DP_STOP_V_BELOW, DP_STOP_AFTER_T = DP["stop_v_below"], DP["stop_after_t"]
DP_KP, DP_KI, DP_THROTTLE_FF, DP_BRAKE_FF = DP["kp_speed"], DP["ki_speed"], DP["throttle_ff"], DP["brake_ff"]
DP_SPEED_INT, DP_PREVIEW_S, DP_PREVIEW_MIN = DP["speed_int"], DP["preview_s"], DP["preview_min_m"]
DP_STEER_RATE, DP_STEER_STATE = DP["steer_rate_rad_s"], DP["steer_state"]
DP_WHEELBASE, DP_PATH_INDEX = DP["wheelbase_m"], DP["path_index"]

# driver kinds
DRIVER_TABLE = 0      # open loop: throttle, brake, steer interpolated in time
DRIVER_SPEED = 1      # closed-loop speed tracking, steer from table
DRIVER_PATH = 2       # pedals from the table, steering follows the path (pure pursuit)
DRIVER_PATH_SPEED = 3 # speed tracking and path following

# status codes returned by the core
STATUS_RUNNING, STATUS_STOPPED, STATUS_DIVERGED, STATUS_END = 0, 1, 2, 3

# ---------------------------------------------------------------- controller kinds (compiled into the loop)
#: name -> integer kind of each built-in compiled controller; "hold" keeps the last commands (a
#: controller written in Python sets them between calls)
CONTROLLER_KINDS = {"hold": -1, "open": 0, "twin_motor": 1}
CTL_HOLD, CTL_OPEN, CTL_TWIN_MOTOR = CONTROLLER_KINDS["hold"], CONTROLLER_KINDS["open"], CONTROLLER_KINDS["twin_motor"]
