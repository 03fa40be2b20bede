"""The open controller: what a simple single-purpose ECU does, enough to run the first tests end to end.

- accelerator pedal -> total wheel torque demand, as a share of what the motors can give at the
  present speed; a fixed front/rear split for AWD cars (`split_front`), all to the driven axle otherwise;
- simple traction control: per axle, torque cut by a PI loop on the axle's highest wheel slip;
- brake pedal -> deceleration demand -> brake torque with a fixed front/rear distribution, and a
  simple per-wheel ABS (PI loop on wheel slip). No regeneration on the brake pedal.

Measurements used: wheel speeds, motor torque limits, the true longitudinal speed (ideal
estimation). The real integrated controller lives in twinmotor.control (next layers).
"""

from __future__ import annotations

import numba
import numpy as np

from twinmotor.control.interface import CompiledController
from twinmotor.control.slip import slip_pi, wheel_slip
from twinmotor.layout import (
    C_TB,
    C_TM_F,
    CTL_OPEN,
    D_BRAKE,
    D_THROTTLE,
    E_V,
    M_MOTOR_LIMIT,
    M_WHEEL_SPEED,
    name_index,
)

OL_NAMES = [
    "split_front", "has_motor_f", "has_motor_r", "gear_f", "gear_r", "radius_f", "radius_r",
    "mass", "brake_max_f", "brake_max_r", "brake_front_share", "max_decel_m_s2",
    "slip_target", "abs_slip_target", "tc_kp", "tc_ki", "abs_kp", "abs_ki", "v_min_slip_m_s",
]
N_OL = len(OL_NAMES)
OL = name_index(OL_NAMES)
OL_SPLIT_FRONT = OL["split_front"]
OL_HAS_MOTOR_F = OL["has_motor_f"]
OL_HAS_MOTOR_R = OL["has_motor_r"]
OL_GEAR_F = OL["gear_f"]
OL_GEAR_R = OL["gear_r"]
OL_RADIUS_F = OL["radius_f"]
OL_RADIUS_R = OL["radius_r"]
OL_MASS = OL["mass"]
OL_BRAKE_MAX_F = OL["brake_max_f"]
OL_BRAKE_MAX_R = OL["brake_max_r"]
OL_BRAKE_FRONT_SHARE = OL["brake_front_share"]
OL_MAX_DECEL_M_S2 = OL["max_decel_m_s2"]
OL_SLIP_TARGET = OL["slip_target"]
OL_ABS_SLIP_TARGET = OL["abs_slip_target"]
OL_TC_KP = OL["tc_kp"]
OL_TC_KI = OL["tc_ki"]
OL_ABS_KP = OL["abs_kp"]
OL_ABS_KI = OL["abs_ki"]
OL_V_MIN_SLIP_M_S = OL["v_min_slip_m_s"]
N_OL_STATE = 6  # integrators: traction front, rear; ABS fl, fr, rl, rr


@numba.njit(cache=True)
def open_loop_step(p: np.ndarray, s: np.ndarray, meas: np.ndarray, drv: np.ndarray, dt: float,
                   cmd: np.ndarray, est: np.ndarray) -> None:
    """A simple controller from the measurements alone: its speed reference is the slowest wheel
    when the driver presses the accelerator and the fastest otherwise (the classic ABS/TCS
    reference, which fails when all driven wheels spin or lock: the integrated controller's
    estimator does not)."""
    rf, rr = p[OL_RADIUS_F], p[OL_RADIUS_R]
    w0, w1 = meas[M_WHEEL_SPEED] * rf, meas[M_WHEEL_SPEED + 1] * rf
    w2, w3 = meas[M_WHEEL_SPEED + 2] * rr, meas[M_WHEEL_SPEED + 3] * rr
    if drv[D_THROTTLE] > 0.0:
        v = min(min(w0, w1), min(w2, w3))
    else:
        v = max(max(w0, w1), max(w2, w3))
    est[E_V] = v
    v_min = p[OL_V_MIN_SLIP_M_S]
    # ---- drive torque
    lim_f = meas[M_MOTOR_LIMIT] if p[OL_HAS_MOTOR_F] > 0.5 else 0.0
    lim_r = meas[M_MOTOR_LIMIT + 1] if p[OL_HAS_MOTOR_R] > 0.5 else 0.0
    wheel_f = lim_f * p[OL_GEAR_F]
    wheel_r = lim_r * p[OL_GEAR_R]
    demand = drv[D_THROTTLE] * (wheel_f + wheel_r)
    if p[OL_HAS_MOTOR_F] > 0.5 and p[OL_HAS_MOTOR_R] > 0.5:
        split = p[OL_SPLIT_FRONT]
        want_f = demand * split
        want_r = demand * (1.0 - split)
    elif p[OL_HAS_MOTOR_F] > 0.5:
        want_f = demand
        want_r = 0.0
    else:
        want_f = 0.0
        want_r = demand
    for axle in range(2):
        radius = p[OL_RADIUS_F + axle]
        k1 = wheel_slip(meas[M_WHEEL_SPEED + 2 * axle], radius, v, v_min)
        k2 = wheel_slip(meas[M_WHEEL_SPEED + 2 * axle + 1], radius, v, v_min)
        cut, s[axle] = slip_pi(max(k1, k2) - p[OL_SLIP_TARGET], s[axle], p[OL_TC_KP], p[OL_TC_KI], dt)
        want = want_f if axle == 0 else want_r
        gear = p[OL_GEAR_F + axle]
        cmd[C_TM_F + axle] = want * (1.0 - cut) / gear if gear > 0.0 else 0.0
    # ---- friction brakes
    total = drv[D_BRAKE] * p[OL_MASS] * p[OL_MAX_DECEL_M_S2]  # [N] at the road
    share = p[OL_BRAKE_FRONT_SHARE]
    for i in range(4):
        front = i < 2
        radius = p[OL_RADIUS_F] if front else p[OL_RADIUS_R]
        t_dem = 0.5 * total * (share if front else 1.0 - share) * radius
        t_dem = min(t_dem, p[OL_BRAKE_MAX_F] if front else p[OL_BRAKE_MAX_R])
        k = wheel_slip(meas[M_WHEEL_SPEED + i], radius, v, v_min)
        if v > 2.0 and t_dem > 0.0:
            cut, s[2 + i] = slip_pi(-k - p[OL_ABS_SLIP_TARGET], s[2 + i], p[OL_ABS_KP], p[OL_ABS_KI], dt)
        else:
            cut = 0.0
            s[2 + i] = 0.0
        cmd[C_TB + i] = t_dem * (1.0 - cut)


# ---------------------------------------------------------------- Python side

OPEN_LOOP_DEFAULTS = {
    "split_front": 0.5,          # AWD fixed split (Nissan's production twin-motor default is 50:50)
    "brake_front_share": 0.7,    # fixed brake balance, typical of a front-heavy hatchback (estimate)
    "max_decel_m_s2": 11.0,      # decel demand at full pedal, above the tire limit so ABS decides
    "slip_target": 0.10,         # traction control slip target
    "abs_slip_target": 0.10,     # ABS slip target
    "tc_kp": 4.0, "tc_ki": 60.0, # PI gains of the torque cut (fraction per unit slip, per unit slip*s)
    "abs_kp": 4.0, "abs_ki": 60.0,
    "v_min_slip_m_s": 1.0,       # slip denominator floor
}

#: allowed range and unit of each open-loop setting
OPEN_LOOP_RANGES = {
    "split_front": (0.0, 1.0, "- (share of drive torque to the front axle)"),
    "brake_front_share": (0.3, 0.9, "-"),
    "max_decel_m_s2": (1.0, 20.0, "m/s^2"),
    "slip_target": (0.02, 0.4, "-"),
    "abs_slip_target": (0.02, 0.4, "-"),
    "tc_kp": (0.0, 100.0, "1/slip"), "tc_ki": (0.0, 2000.0, "1/(slip*s)"),
    "abs_kp": (0.0, 100.0, "1/slip"), "abs_ki": (0.0, 2000.0, "1/(slip*s)"),
    "v_min_slip_m_s": (0.1, 10.0, "m/s"),
}


class OpenLoopController(CompiledController):
    """Pedal map, fixed front/rear split, simple traction control and ABS (see module docstring)."""

    name = "open"
    kind = CTL_OPEN
    state_size = N_OL_STATE

    def __init__(self, **settings):
        unknown = set(settings) - set(OPEN_LOOP_DEFAULTS)
        if unknown:
            from twinmotor.errors import ParameterError

            raise ParameterError(
                f"controller 'open': unknown setting(s) {sorted(unknown)}; known: {sorted(OPEN_LOOP_DEFAULTS)}"
            )
        from twinmotor.errors import ParameterError

        for key, value in settings.items():
            low, high, unit = OPEN_LOOP_RANGES[key]
            if isinstance(value, (bool, str)) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise ParameterError(f"controller 'open': {key} = {value!r} is out of range: allowed {low} to {high} {unit}")
        merged = {**OPEN_LOOP_DEFAULTS, **{k: float(v) for k, v in settings.items()}}
        super().__init__(**merged)
        self.user_settings = dict(settings)

    def reset(self, vehicle) -> None:
        from twinmotor.control.params import check_settings_apply

        check_settings_apply(self.name, vehicle, self.user_settings)
        super().reset(vehicle)

    def params(self, vehicle) -> np.ndarray:
        from twinmotor.simulation.assemble import assemble

        model = assemble(vehicle)
        vp = model.vp
        from twinmotor.layout import VP

        p = np.zeros(N_OL)
        s = self.settings
        p[OL_SPLIT_FRONT] = s["split_front"]
        p[OL_HAS_MOTOR_F] = vp[VP["has_motor_f"]]
        p[OL_HAS_MOTOR_R] = vp[VP["has_motor_r"]]
        p[OL_GEAR_F] = vp[VP["gear_f"]]
        p[OL_GEAR_R] = vp[VP["gear_r"]]
        p[OL_RADIUS_F] = vp[VP["radius_f"]]
        p[OL_RADIUS_R] = vp[VP["radius_r"]]
        p[OL_MASS] = vp[VP["mass"]]
        p[OL_BRAKE_MAX_F] = vp[VP["brake_max_f"]]
        p[OL_BRAKE_MAX_R] = vp[VP["brake_max_r"]]
        p[OL_BRAKE_FRONT_SHARE] = s["brake_front_share"]
        p[OL_MAX_DECEL_M_S2] = s["max_decel_m_s2"]
        p[OL_SLIP_TARGET] = s["slip_target"]
        p[OL_ABS_SLIP_TARGET] = s["abs_slip_target"]
        p[OL_TC_KP] = s["tc_kp"]
        p[OL_TC_KI] = s["tc_ki"]
        p[OL_ABS_KP] = s["abs_kp"]
        p[OL_ABS_KI] = s["abs_ki"]
        p[OL_V_MIN_SLIP_M_S] = s["v_min_slip_m_s"]
        return p

    def compiled_step(self):
        return open_loop_step
