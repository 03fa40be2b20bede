"""Parameter and state layout of the compiled controllers (baseline and integrated).

Both controllers take one flat float64 array: values derived from the vehicle (masses, geometry,
tire properties, the linear single-track model) followed by the controller's settings. Settings
are what a user may change (`--set split_front=0.3`); defaults work for every preset.
"""

from __future__ import annotations

import math

import numpy as np

from twinmotor.constants import G_M_S2
from twinmotor.errors import ParameterError
from twinmotor.layout import name_index

#: brake pedal map shared by every controller: deceleration demand [m/s^2] at full pedal, above
#: any tire's limit so that full pedal means "as hard as the tires allow" (ABS decides)
BRAKE_PEDAL_FULL_DECEL_M_S2 = 1.6 * G_M_S2

VEHICLE_NAMES = [
    "mass", "wheelbase", "lf", "lr", "cg_height", "track_f", "track_r", "radius_f", "radius_r",
    "gear_f", "gear_r", "has_motor_f", "has_motor_r", "brake_max_f", "brake_max_r",
    "k_us", "mu_peak_f", "mu_peak_r", "slip_peak", "g", "izz", "cornering_stiffness_f", "cornering_stiffness_r",
    "anti_brake_f", "anti_drive_f", "anti_brake_r", "anti_drive_r", "spring_f", "spring_r",
    "pitch_freq_hz", "pitch_damping_ratio",
    "pitch_grad_drive", "pitch_grad_brake", "roll_grad", "wheel_inertia_f", "wheel_inertia_r",
    "disconnect_f", "disconnect_r", "engage_time_f", "engage_time_r",
]

#: settings: name -> (default, low, high, unit, meaning). The slip-control gains are tuned with the
#: typical production sensor set (twinmotor.sensors): wheel speeds that arrive 5-10 ms late call
#: for about a quarter of the gain that ideal sensors would stand.
SETTINGS: dict[str, tuple[float, float, float, str, str]] = {
    "split_front": (0.5, 0.0, 1.0, "-", "fixed front share of drive (and, in baseline, of regeneration) torque"),
    "brake_front_share": (0.7, 0.3, 0.9, "-", "front share of friction-brake force (fixed hydraulic balance)"),
    "one_pedal": (1.0, 0.0, 1.0, "0/1", "e-Pedal: lifting the accelerator regenerates"),
    "epedal_decel_m_s2": (0.2 * G_M_S2, 0.0, 3.0, "m/s^2", "e-Pedal deceleration at zero accelerator (LEAF: up to 0.2 g)"),
    "epedal_band": (0.25, 0.05, 0.5, "-", "accelerator travel over which the e-Pedal regenerates"),
    "tc_slip_target": (0.10, 0.02, 0.4, "-", "traction control slip target"),
    "tc_kp": (1.0, 0.0, 100.0, "1/slip", "traction control proportional gain (torque cut per unit slip)"),
    "tc_ki": (20.0, 0.0, 2000.0, "1/(slip*s)", "traction control integral gain"),
    "abs_slip_target": (0.10, 0.02, 0.4, "-", "ABS slip target"),
    "abs_kp": (1.0, 0.0, 100.0, "1/slip", "ABS proportional gain"),
    "abs_ki": (20.0, 0.0, 2000.0, "1/(slip*s)", "ABS integral gain"),
    "v_min_slip_m_s": (2.0, 0.1, 10.0, "m/s", "slip denominator floor: below it, slip is judged on the absolute speed difference "
                       "(tone wheels are coarse at walking pace)"),
    "esc": (1.0, 0.0, 1.0, "0/1", "stability control by single-wheel braking"),
    "esc_kp_nms_rad": (8000.0, 0.0, 1e5, "N*m*s/rad", "yaw moment per unit yaw-rate error"),
    "esc_deadband_rad_s": (0.05, 0.0, 1.0, "rad/s", "yaw-rate error ignored by the brakes"),
    "yaw_ki_nm_rad": (0.0, 0.0, 1e6, "N*m/rad", "yaw moment per rad of accumulated yaw-rate error (heading hold; off in both presets)"),
    "gma_rate_nm_s": (1000.0, 100.0, 1e5, "N*m/s", "how fast the front high-friction brake may exceed the low side (yaw-moment build-up delay)"),
    "beta_limit_rad": (0.08, 0.01, 0.5, "rad", "sideslip angle beyond which the stability layer intervenes"),
    "beta_gain_nm_rad": (40000.0, 0.0, 1e6, "N*m/rad", "yaw moment per rad of sideslip beyond the limit"),
    "yaw_split": (0.0, 0.0, 1.0, "0/1", "shift front/rear torque for yaw (integrated)"),
    "yaw_split_gain_s_rad": (2.0, 0.0, 50.0, "1/(rad/s)", "split shift per unit yaw-rate error"),
    "brake_lsd": (0.0, 0.0, 1.0, "0/1", "brake a spinning wheel so its partner can drive (integrated)"),
    "lsd_kp": (3000.0, 0.0, 1e5, "N*m/slip", "brake torque per unit slip difference"),
    "lsd_slip_margin": (0.03, 0.0, 0.5, "-", "slip difference tolerated before braking"),
    "regen": (1.0, 0.0, 1.0, "0/1", "regenerative braking on the brake pedal and e-Pedal"),
    "regen_level": (0.0, 0.0, 1.0, "0/1", "share regeneration front/rear to keep the body level (integrated)"),
    "regen_rear_util_max": (0.6, 0.1, 0.9, "-", "most rear braking force as a share of rear friction (stability margin)"),
    "regen_fade_speed_m_s": (1.5, 0.1, 5.0, "m/s", "below this speed friction brakes take over from regeneration"),
    "efficiency_split": (0.0, 0.0, 1.0, "0/1", "choose the split that minimises electrical loss (integrated)"),
    "traction_split": (0.0, 0.0, 1.0, "0/1", "follow dynamic axle load when traction limits (integrated)"),
    "comfort": (0.0, 0.0, 1.0, "0/1", "jerk limit, pitch damping and soft stop (integrated)"),
    "jerk_max_m_s3": (12.0, 1.0, 200.0, "m/s^3", "largest rate of change of the longitudinal force demand / mass"),
    "pitch_damp_gain_s": (3.0, 0.0, 50.0, "1/(rad/s)", "split shift per unit pitch rate"),
    "soft_stop_speed_m_s": (1.5, 0.0, 5.0, "m/s", "below this speed a gentle stop eases the deceleration"),
    "mu_estimate": (1.0, 0.0, 1.0, "0/1", "1: road friction from the estimator; 0: assume dry"),
    "wheel_filter_s": (0.0, 0.0, 0.1, "s", "time constant of a wheel-speed low-pass filter against sensor noise (0: off)"),
    "adaptive_slip": (0.0, 0.0, 1.0, "0/1", "slip targets follow the tire's peak slip on the estimated road (integrated)"),
    "estimator": (0.0, 0.0, 1.0, "0/1",
                  "0: speed, sideslip and friction estimated from the sensors; 1: oracle, the simulator's truth "
                  "(ablation only)"),
    "disconnect_control": (0.0, 0.0, 1.0, "0/1",
                           "open the secondary axle's disconnect unit when it is not needed (integrated); 0: always engaged"),
    "disconnect_hold_s": (2.0, 0.0, 30.0, "s", "the secondary axle stays engaged this long after it was last needed"),
}

N_VEH = len(VEHICLE_NAMES)
SETTING_NAMES = list(SETTINGS)
PARAM_NAMES = VEHICLE_NAMES + SETTING_NAMES
N_PARAMS = len(PARAM_NAMES)
IDX = name_index(PARAM_NAMES)

# compile-time constants for the njit code: each index looked up by its name
CP_MASS = IDX["mass"]
CP_WB = IDX["wheelbase"]
CP_LF = IDX["lf"]
CP_LR = IDX["lr"]
CP_H = IDX["cg_height"]
CP_TF = IDX["track_f"]
CP_TR = IDX["track_r"]
CP_RF = IDX["radius_f"]
CP_RR = IDX["radius_r"]
CP_GF = IDX["gear_f"]
CP_GR = IDX["gear_r"]
CP_HAS_F = IDX["has_motor_f"]
CP_HAS_R = IDX["has_motor_r"]
CP_BMAX_F = IDX["brake_max_f"]
CP_BMAX_R = IDX["brake_max_r"]
CP_KUS = IDX["k_us"]
CP_MU_F = IDX["mu_peak_f"]
CP_MU_R = IDX["mu_peak_r"]
CP_SLIP_PEAK = IDX["slip_peak"]
CP_G = IDX["g"]
CP_IZZ = IDX["izz"]
CP_CF = IDX["cornering_stiffness_f"]
CP_CR = IDX["cornering_stiffness_r"]
CP_ANTI_BRAKE_F = IDX["anti_brake_f"]
CP_ANTI_DRIVE_F = IDX["anti_drive_f"]
CP_ANTI_BRAKE_R = IDX["anti_brake_r"]
CP_ANTI_DRIVE_R = IDX["anti_drive_r"]
CP_SPRING_F = IDX["spring_f"]
CP_SPRING_R = IDX["spring_r"]
CP_PITCH_FREQ = IDX["pitch_freq_hz"]
CP_PITCH_ZETA = IDX["pitch_damping_ratio"]
CP_PITCH_GRAD_DRIVE = IDX["pitch_grad_drive"]
CP_PITCH_GRAD_BRAKE = IDX["pitch_grad_brake"]
CP_ROLL_GRAD = IDX["roll_grad"]
CP_WHEEL_INERTIA_F = IDX["wheel_inertia_f"]
CP_WHEEL_INERTIA_R = IDX["wheel_inertia_r"]
CP_SPLIT = IDX["split_front"]
CP_BRAKE_SHARE = IDX["brake_front_share"]
CP_ONE_PEDAL = IDX["one_pedal"]
CP_EPEDAL_DECEL = IDX["epedal_decel_m_s2"]
CP_EPEDAL_BAND = IDX["epedal_band"]
CP_TC_SLIP = IDX["tc_slip_target"]
CP_TC_KP = IDX["tc_kp"]
CP_TC_KI = IDX["tc_ki"]
CP_ABS_SLIP = IDX["abs_slip_target"]
CP_ABS_KP = IDX["abs_kp"]
CP_ABS_KI = IDX["abs_ki"]
CP_VMIN = IDX["v_min_slip_m_s"]
CP_ESC = IDX["esc"]
CP_ESC_KP = IDX["esc_kp_nms_rad"]
CP_ESC_DB = IDX["esc_deadband_rad_s"]
CP_YAW_KI = IDX["yaw_ki_nm_rad"]
CP_GMA_RATE = IDX["gma_rate_nm_s"]
CP_BETA_LIM = IDX["beta_limit_rad"]
CP_BETA_GAIN = IDX["beta_gain_nm_rad"]
CP_YAW_SPLIT = IDX["yaw_split"]
CP_YAW_SPLIT_GAIN = IDX["yaw_split_gain_s_rad"]
CP_LSD = IDX["brake_lsd"]
CP_LSD_KP = IDX["lsd_kp"]
CP_LSD_MARGIN = IDX["lsd_slip_margin"]
CP_REGEN = IDX["regen"]
CP_REGEN_LEVEL = IDX["regen_level"]
CP_REGEN_REAR_UTIL = IDX["regen_rear_util_max"]
CP_REGEN_FADE = IDX["regen_fade_speed_m_s"]
CP_EFF_SPLIT = IDX["efficiency_split"]
CP_TRACTION_SPLIT = IDX["traction_split"]
CP_COMFORT = IDX["comfort"]
CP_JERK = IDX["jerk_max_m_s3"]
CP_PITCH_DAMP = IDX["pitch_damp_gain_s"]
CP_SOFT_STOP = IDX["soft_stop_speed_m_s"]
CP_MU_EST = IDX["mu_estimate"]
CP_WHEEL_FILTER = IDX["wheel_filter_s"]
CP_ADAPTIVE_SLIP = IDX["adaptive_slip"]
CP_ORACLE = IDX["estimator"]
CP_DISC_F, CP_ENGAGE_F = IDX["disconnect_f"], IDX["engage_time_f"]  # + axle
CP_DISC_CONTROL, CP_DISC_HOLD = IDX["disconnect_control"], IDX["disconnect_hold_s"]

# controller state (integrators and filters)
STATE_NAMES = (["tc_f", "tc_r", "abs_fl", "abs_fr", "abs_rl", "abs_rr", "lsd_f", "lsd_r", "force_prev",
               "mu_est", "vy_est", "decel_prev", "esc_int", "gma", "split_prev",
               "scratch0", "scratch1", "scratch2", "scratch3", "scratch4", "scratch5",
               "wheel_f0", "wheel_f1", "wheel_f2", "wheel_f3", "wheel_filter_on",
               "disc_since_need", "disc_force_rate", "disc_force_prev", "shaper_pos", "est_on"]
              + [f"est{k}" for k in range(21)])
#: samples of force-demand history kept for the pitch input shaper (4 s at 1 kHz)
SHAPER_BUFFER = 4096
N_STATE = len(STATE_NAMES) + SHAPER_BUFFER
STATE = name_index(STATE_NAMES)
CS_SHAPER_POS = STATE["shaper_pos"]
CS_SHAPER_BUF = len(STATE_NAMES)
CS_TC = STATE["tc_f"]
CS_ABS = STATE["abs_fl"]
CS_LSD = STATE["lsd_f"]
CS_FORCE_PREV = STATE["force_prev"]
CS_MU = STATE["mu_est"]
CS_VY = STATE["vy_est"]
CS_DECEL_PREV = STATE["decel_prev"]
CS_ESC_INT = STATE["esc_int"]
CS_GMA = STATE["gma"]
CS_SPLIT_PREV = STATE["split_prev"]
CS_SCRATCH = STATE["scratch0"]
CS_WHEEL_F = STATE["wheel_f0"]
CS_WHEEL_F_ON = STATE["wheel_filter_on"]
CS_DISC_SINCE, CS_DISC_RATE, CS_DISC_FPREV = STATE["disc_since_need"], STATE["disc_force_rate"], STATE["disc_force_prev"]
CS_EST_ON = STATE["est_on"]
CS_EST = STATE["est0"]  # + estimator state (control/estimation.py)


#: the estimator setting's named values
ESTIMATOR_MODES = {"estimated": 0.0, "oracle": 1.0}


def check_settings(controller: str, settings: dict) -> dict:
    """Validate user settings against SETTINGS (name, range, unit); return the full set."""
    out = {k: v[0] for k, v in SETTINGS.items()}
    for key, value in settings.items():
        if key == "estimator" and isinstance(value, str):
            if value not in ESTIMATOR_MODES:
                raise ParameterError(f"controller '{controller}': estimator = {value!r} is unknown: choose "
                                     f"{' or '.join(repr(m) for m in ESTIMATOR_MODES)}")
            value = ESTIMATOR_MODES[value]
        if key not in SETTINGS:
            raise ParameterError(
                f"controller '{controller}': unknown setting '{key}'; known settings: {', '.join(SETTINGS)}"
            )
        low, high, unit = SETTINGS[key][1], SETTINGS[key][2], SETTINGS[key][3]
        if unit == "0/1":
            # a switch: on or off, nothing between; true/false name them explicitly
            if isinstance(value, bool):
                out[key] = 1.0 if value else 0.0
                continue
            if isinstance(value, (int, float)) and value in (0, 1):
                out[key] = float(value)
                continue
            raise ParameterError(
                f"controller '{controller}': {key} = {value!r} is a switch: allowed 0 or 1 (or false/true), "
                f"nothing between ({SETTINGS[key][4]})")
        if isinstance(value, bool) or value is None:
            raise ParameterError(f"controller '{controller}': {key} = {value!r} is not a number: allowed {low} to {high} {unit}")
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"controller '{controller}': {key} = {value!r} is not a number ({unit})") from None
        if not (low <= v <= high) or not math.isfinite(v):
            raise ParameterError(
                f"controller '{controller}': {key} = {value!r} is out of range: allowed {low} to {high} {unit}"
            )
        out[key] = v
    return out


#: settings that act only on a car with a motor on each axle (the front/rear split of drive or
#: regeneration torque): on a one-motor car they do nothing
TWIN_MOTOR_ONLY = ("split_front", "yaw_split", "yaw_split_gain_s_rad", "efficiency_split", "traction_split",
                   "regen_level", "pitch_damp_gain_s")


def settings_without_effect(vehicle, settings: dict) -> list[str]:
    """The given settings that do nothing on this car (see TWIN_MOTOR_ONLY)."""
    if vehicle is None or (vehicle.powertrain.front is not None and vehicle.powertrain.rear is not None):
        return []
    return [k for k in settings if k in TWIN_MOTOR_ONLY]


def check_settings_apply(controller: str, vehicle, settings: dict) -> None:
    """A ParameterError for a setting that would do nothing on this car, naming it and why."""
    idle = settings_without_effect(vehicle, settings)
    if idle:
        axle = "front" if vehicle.powertrain.front is not None else "rear"
        raise ParameterError(
            f"controller '{controller}': {', '.join(f'{k} = {settings[k]!r}' for k in idle)} does nothing on "
            f"'{vehicle.name}' ({vehicle.drive}, one motor on the {axle} axle): it shares torque between two motors. "
            "Leave it out, or use a twin-motor car")


def vehicle_values(vehicle) -> dict[str, float]:
    """The vehicle-derived controller parameters: geometry, tire peak friction and slip, the
    linear single-track model's understeer gradient (Gillespie eq. 6-15)."""
    from twinmotor.layout import VP
    from twinmotor.models.single_track import static_tire_loads, understeer_gradient
    from twinmotor.simulation.assemble import assemble
    from twinmotor.tire.mf61 import mf61_forces, peak_friction, slip_stiffness

    m = assemble(vehicle)
    vp = m.vp
    g = vp[VP["g"]]
    mass, lf, lr = vp[VP["mass"]], vp[VP["lf"]], vp[VP["lr"]]
    wb = lf + lr
    fz_f, fz_r = static_tire_loads(mass, g, lf, lr, wb)
    c_f = 2.0 * slip_stiffness(m.tp_f, fz_f)[1]
    c_r = 2.0 * slip_stiffness(m.tp_r, fz_r)[1]
    k_us = understeer_gradient(mass, wb, lf, lr, c_f, c_r)  # [rad/(m/s^2)]
    mu_f = min(peak_friction(m.tp_f, fz_f, 1.0, 1.0))
    mu_r = min(peak_friction(m.tp_r, fz_r, 1.0, 1.0))
    kappas = np.linspace(0.01, 0.4, 79)
    fx = np.array([mf61_forces(m.tp_f, fz_f, k, 0.0, 0.0, 20.0, 1.0, 1.0)[0] for k in kappas])
    slip_peak = float(kappas[int(np.argmax(fx))])
    return {
        "mass": mass, "wheelbase": wb, "lf": lf, "lr": lr, "cg_height": vp[VP["cg_height"]],
        "track_f": vp[VP["track_f"]], "track_r": vp[VP["track_r"]],
        "radius_f": vp[VP["radius_f"]], "radius_r": vp[VP["radius_r"]],
        "gear_f": vp[VP["gear_f"]], "gear_r": vp[VP["gear_r"]],
        "has_motor_f": vp[VP["has_motor_f"]], "has_motor_r": vp[VP["has_motor_r"]],
        "brake_max_f": vp[VP["brake_max_f"]], "brake_max_r": vp[VP["brake_max_r"]],
        "k_us": k_us, "mu_peak_f": mu_f, "mu_peak_r": mu_r, "slip_peak": slip_peak, "g": g,
        "izz": vp[VP["izz"]], "cornering_stiffness_f": c_f, "cornering_stiffness_r": c_r,
        "anti_brake_f": vp[VP["anti_brake_f"]], "anti_drive_f": vp[VP["anti_drive_f"]],
        "anti_brake_r": vp[VP["anti_brake_r"]], "anti_drive_r": vp[VP["anti_drive_r"]],
        "spring_f": vp[VP["spring_f"]], "spring_r": vp[VP["spring_r"]],
        "disconnect_f": vp[VP["disconnect_f"]], "disconnect_r": vp[VP["disconnect_r"]],
        "engage_time_f": vp[VP["engage_time_f"]], "engage_time_r": vp[VP["engage_time_r"]],
        **pitch_mode(vp),
        **body_gradients(vp),
        "wheel_inertia_f": vp[VP["wheel_inertia_f"]] + _rotor_share(m, 0),
        "wheel_inertia_r": vp[VP["wheel_inertia_r"]] + _rotor_share(m, 1),
    }


def _rotor_share(model, axle: int) -> float:
    """Inertia [kg m^2] of the motor rotor seen at one wheel of the axle: I_rotor G^2 / 2."""
    from twinmotor.layout import VP
    from twinmotor.powertrain.motor import M_INERTIA

    vp = model.vp
    name = "front" if axle == 0 else "rear"
    if vp[VP[f"has_motor_{name[0]}"]] < 0.5:
        return 0.0
    mc = model.mc_f if axle == 0 else model.mc_r
    return 0.5 * mc[M_INERTIA] * vp[VP[f"gear_{name[0]}"]] ** 2


def body_gradients(vp) -> dict[str, float]:
    """Quasi-static body attitude per unit acceleration, for reading the accelerometer: pitch
    [rad per m/s^2] when driving and when braking (springs and anti-geometry: the links carry
    the share `anti` of the load transfer), and roll [rad per m/s^2] (springs, anti-roll bars and
    roll centres: phi / a_y = m_s h_r / (K_phi - m_s g h_r), Gillespie eq. 10-4).

    K_theta = 2 (k_f l_f^2 + k_r l_r^2), theta / a_x = m h (1 - anti) / K_theta."""
    from twinmotor.layout import VP

    lf, lr, h = vp[VP["lf"]], vp[VP["lr"]], vp[VP["cg_height"]]
    m, ms, g = vp[VP["mass"]], vp[VP["sprung_mass"]], vp[VP["g"]]
    k_theta = 2.0 * (vp[VP["spring_f"]] * lf * lf + vp[VP["spring_r"]] * lr * lr)
    anti_drive = 0.5 * (vp[VP["anti_drive_f"]] + vp[VP["anti_drive_r"]])
    anti_brake = 0.5 * (vp[VP["anti_brake_f"]] + vp[VP["anti_brake_r"]])
    wb = lf + lr
    h_rc = (vp[VP["rc_f"]] * lr + vp[VP["rc_r"]] * lf) / wb
    h_r = max(h - h_rc, 0.0)
    k_phi = (0.5 * vp[VP["spring_f"]] * vp[VP["track_f"]] ** 2 + vp[VP["arb_f"]]
             + 0.5 * vp[VP["spring_r"]] * vp[VP["track_r"]] ** 2 + vp[VP["arb_r"]])
    return {"pitch_grad_drive": m * h * (1.0 - anti_drive) / k_theta,
            "pitch_grad_brake": m * h * (1.0 - anti_brake) / k_theta,
            "roll_grad": ms * h_r / max(k_phi - ms * g * h_r, 1.0)}


def pitch_mode(vp) -> dict[str, float]:
    """Natural frequency [Hz] and damping ratio of the body's pitch mode from the springs and
    dampers (per corner, at the wheel) and the pitch inertia: K = 2 (k_f lf^2 + k_r lr^2),
    C = 2 (c_f lf^2 + c_r lr^2), omega = sqrt(K / Iyy), zeta = C / (2 sqrt(K Iyy))
    (Gillespie sect. 5, heave coupling neglected)."""
    from twinmotor.layout import VP

    lf, lr = vp[VP["lf"]], vp[VP["lr"]]
    k = 2.0 * (vp[VP["spring_f"]] * lf * lf + vp[VP["spring_r"]] * lr * lr)
    c = 2.0 * (vp[VP["damper_f"]] * lf * lf + vp[VP["damper_r"]] * lr * lr)
    iyy = vp[VP["iyy"]]
    return {"pitch_freq_hz": math.sqrt(k / iyy) / (2.0 * math.pi), "pitch_damping_ratio": c / (2.0 * math.sqrt(k * iyy))}


def controller_params(vehicle, settings: dict) -> np.ndarray:
    values = {**vehicle_values(vehicle), **settings}
    return np.array([float(values[n]) for n in PARAM_NAMES], dtype=np.float64)
