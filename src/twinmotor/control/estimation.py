"""State estimation from what the car's sensors measure: speed, sideslip, road friction, grade and
tire loads. The built-in controllers read these estimates, never the simulator's truth.

- Vehicle speed: the accelerometer integrated (its reading corrected for the road grade and for the
  body's pitch), pulled toward a wheel-based reference when the wheels can be trusted. The
  reference is the slowest wheel when driving and the fastest when braking, each wheel's speed
  moved to the centre of gravity with the measured yaw rate; a wheel whose acceleration departs
  from the car's, or whose speed is off the estimate in the direction a spinning (driving) or
  locking (braking) wheel goes, is not trusted. So the estimate holds when all four wheels spin
  or lock at once, which is exactly when "the slowest wheel" fails on an AWD car (Kiencke and
  Nielsen 2005, ch. 9; van Zanten 2000).
- Sideslip: a kinematic observer (dv_y/dt = a_y - r v_x, a_y corrected for body roll) blended with
  the linear single-track model's steady-state sideslip; the model's weight falls as the car uses
  more of the road's friction, where the linear model stops holding.
- Tire loads: from the measured accelerations with the static load transfer formulas
  (Gillespie eqs. 2-4 and 2-11).
- Road friction, left and right: the friction each side actually uses (longitudinal force from the
  wheel's torque balance, lateral from a_y, over the estimated load) bounds it from below; a wheel
  slipping past the tire's linear range says the side is at its peak, so the estimate falls there
  fast; without such evidence it creeps back up toward the tire's dry peak (rising slowly,
  falling fast; Gustafsson 1997). Its confidence is 1 right after a wheel showed the peak and
  decays with time.
- Road grade: the difference between the accelerometer and the wheel-based acceleration, when the
  wheels can be trusted, low-pass filtered.

With the setting `estimator` = 1 ("oracle", for ablation only) speed, sideslip and friction are
read from the simulator's truth instead.
"""

from __future__ import annotations

import math

import numba

from twinmotor.control.params import (
    CP_CR,
    CP_G,
    CP_GF,
    CP_GR,
    CP_H,
    CP_HAS_F,
    CP_HAS_R,
    CP_KUS,
    CP_LF,
    CP_LR,
    CP_MASS,
    CP_MU_F,
    CP_MU_R,
    CP_ORACLE,
    CP_PITCH_GRAD_BRAKE,
    CP_PITCH_GRAD_DRIVE,
    CP_RF,
    CP_ROLL_GRAD,
    CP_RR,
    CP_TF,
    CP_TR,
    CP_WB,
    CP_WHEEL_INERTIA_F,
    CP_WHEEL_INERTIA_R,
    CS_ABS,
    CS_EST,
    CS_EST_ON,
    CS_TC,
)
from twinmotor.layout import (
    E_BETA,
    E_FZ,
    E_GRADE,
    E_MU_CONF,
    E_MU_LEFT,
    E_MU_RIGHT,
    E_V,
    E_VY,
    M_AX,
    M_AY,
    M_BRAKE_TORQUE,
    M_MOTOR_SPEED,
    M_MOTOR_TORQUE,
    M_STEER,
    M_TRUE_MU,
    M_TRUE_VX,
    M_TRUE_VY,
    M_WHEEL_SPEED,
    M_YAW_RATE,
)

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("gustafsson1997slip", "kiencke2005automotive", "vanzanten2000bosch", "gillespie1992fundamentals")

# estimator state inside the controller state (offsets from CS_EST)
_V, _GRADE, _VY, _MU_L, _MU_R, _CONF, _WPREV, _WACC, _EV_L, _EV_R, _WFUSED, _R_OFF = (
    0, 1, 2, 3, 4, 5, 6, 10, 14, 15, 16, 20)
#: controller-state floats the estimator keeps
N_EST_STATE = 21
#: offset of the yaw-rate sensor's estimated offset [rad/s] in the estimator state
YAW_RATE_OFFSET = _R_OFF
#: the gyro's offset is learnt while the car runs straight (steer and lateral acceleration below
#: these, above GYRO_LEARN_SPEED_M_S) with this time constant [s]: a heading hold that integrated
#: an uncorrected offset of 0.1 deg/s would brake single wheels after a few seconds
GYRO_LEARN_STEER_RAD = 0.005
GYRO_LEARN_AY_M_S2 = 0.3
GYRO_LEARN_SPEED_M_S = 5.0
GYRO_LEARN_TAU_S = 3.0
GYRO_STANDSTILL_TAU_S = 0.3
#: offset of the fused wheel speeds [rad/s] (fl, fr, rl, rr) in the estimator state, for the slip control
WHEEL_SPEEDS = _WFUSED
#: a tone wheel below this speed [rad/s] is too coarse to split its axle's speed left and right
TONE_WHEEL_MIN_RAD_S = 2.0

#: time constant [s] with which a trusted wheel reference corrects the speed estimate
SPEED_TAU_S = 0.05
#: below this speed [m/s] the wheels correct the estimate only with LOW_SPEED_TAU_S [s]
LOW_SPEED_M_S = 3.0
LOW_SPEED_TAU_S = 0.3
#: ... and when the reference is above the estimate while driving (a wheel may be spinning slowly)
SPEED_TAU_SLOW_S = 0.5
#: a wheel reference within this of the estimate is trusted [m/s] plus SPEED_TOL_SHARE of the speed
SPEED_TOL_M_S = 0.1
SPEED_TOL_SHARE = 0.02
#: a wheel whose acceleration departs from the car's by more than this is spinning or locking [m/s^2]
WHEEL_ACC_TOL_M_S2 = 2.0
#: filter time constant of the wheel accelerations [s]
WHEEL_ACC_TAU_S = 0.02
#: net wheel torque below this share of weight x wheel radius is a light load: the tires slip little
LIGHT_LOAD_SHARE = 0.1
#: net wheel torque [N*m] beyond which the car is driving (or braking): the reference wheel's choice
DRIVE_TORQUE_THRESHOLD_NM = 50.0
#: sum of the four wheel speeds [rad/s] below which the car stands still
STANDSTILL_RAD_S = 0.5
#: sideslip: time constant [s] of the pull toward the single-track model where it holds
SIDESLIP_TAU_S = 0.3
#: the model's weight falls from 1 to 0 as the used friction goes from 0.4 to 0.8 of the estimate
SIDESLIP_MODEL_USE = (0.4, 0.8)
#: road friction: time constants [s] to move to the evidence of a wheel held at its slip target,
#: and to creep back up toward the dry peak without it
MU_FALL_TAU_S = 0.15
MU_RISE_TAU_S = 1.5
#: filter time constant [s] of that evidence (about one ABS cycle)
MU_EVIDENCE_TAU_S = 0.05
#: a wheel held at its slip target uses about this share of the peak (slip targets sit just below
#: the peak, and ABS cycles around it)
MU_PEAK_SHARE = 0.9
#: the estimate never goes below this [-]
MU_MIN = 0.05
#: time constant [s] of the friction estimate's confidence decay
MU_CONF_TAU_S = 2.0
#: grade is estimated above this speed [m/s] and below this acceleration [m/s^2]
GRADE_MIN_SPEED_M_S = 3.0
GRADE_MAX_ACCEL_M_S2 = 1.5
#: ... while the wheels' accelerations agree within this [m/s^2] and the net wheel torque is below
#: this share of the car's weight times the wheel radius (light load: small slip)
GRADE_WHEEL_SPREAD_M_S2 = 0.3
GRADE_MAX_TORQUE_SHARE = 0.15
#: largest |sin(grade)| the estimate takes (a 30 % grade)
GRADE_MAX_SIN = 0.29
#: grade: low-pass time constant [s]
GRADE_TAU_S = 2.0


@numba.njit(cache=True)
def compensated_accelerations(p, meas) -> tuple[float, float]:
    """Longitudinal and lateral acceleration [m/s^2] of the car from the accelerometer: its reading
    includes gravity tilted by the body's pitch and roll, which grow with the accelerations
    themselves (quasi-static pitch and roll gradients of the suspension), so the reading is
    a (1 + g * gradient) and is divided by that factor."""
    ax = meas[M_AX]
    ay = meas[M_AY]
    g = p[CP_G]
    kp = p[CP_PITCH_GRAD_DRIVE] if ax > 0.0 else p[CP_PITCH_GRAD_BRAKE]
    return ax / (1.0 + g * kp), ay / (1.0 + g * p[CP_ROLL_GRAD])


@numba.njit(cache=True)
def fused_wheel_speeds(p, meas, out) -> None:
    """Wheel speeds [rad/s] (fl, fr, rl, rr): on a driven axle the motor's resolver gives the
    axle's mean wheel speed finely at any speed (open differential: omega_motor = G (omega_l +
    omega_r) / 2) and the tone wheels split it left and right once they turn fast enough to
    be read; an undriven axle has its tone wheels alone."""
    for axle in range(2):
        i = 2 * axle
        wl, wr = meas[M_WHEEL_SPEED + i], meas[M_WHEEL_SPEED + i + 1]
        has = p[CP_HAS_F] if axle == 0 else p[CP_HAS_R]
        if has > 0.5:
            mean = meas[M_MOTOR_SPEED + axle] / (p[CP_GF] if axle == 0 else p[CP_GR])
            half = 0.5 * (wl - wr) if max(abs(wl), abs(wr)) > TONE_WHEEL_MIN_RAD_S else 0.0
            out[i] = mean + half
            out[i + 1] = mean - half
        else:
            out[i] = wl
            out[i + 1] = wr


@numba.njit(cache=True)
def wheel_speeds_at_cg(p, meas, omega, out) -> None:
    """Each wheel's speed [m/s] moved to the centre of gravity: omega R, plus (left) or minus
    (right) the yaw rate times half the track, divided by the cosine of the steer angle for the
    front wheels."""
    r = meas[M_YAW_RATE]
    c = math.cos(meas[M_STEER])
    for i in range(4):
        front = i < 2
        radius = p[CP_RF] if front else p[CP_RR]
        half_track = 0.5 * (p[CP_TF] if front else p[CP_TR])
        v = omega[i] * radius
        if front and c > 0.5:
            v /= c
        out[i] = v + r * half_track if i % 2 == 0 else v - r * half_track


@numba.njit(cache=True)
def net_wheel_torque(p, meas) -> float:
    """Drive torque at the wheels minus brake torque [N*m], from the inverters' torque estimates
    and the brake pressures: the sign says whether the car is driving or braking."""
    t = 0.0
    if p[CP_HAS_F] > 0.5:
        t += meas[M_MOTOR_TORQUE] * p[CP_GF]
    if p[CP_HAS_R] > 0.5:
        t += meas[M_MOTOR_TORQUE + 1] * p[CP_GR]
    for i in range(4):
        t -= meas[M_BRAKE_TORQUE + i]
    return t


@numba.njit(cache=True)
def axle_loads(p, ax: float) -> tuple[float, float]:
    """Front and rear axle loads [N] under longitudinal acceleration ax [m/s^2] (static formula)."""
    m = p[CP_MASS]
    g = p[CP_G]
    h = p[CP_H]
    wb = p[CP_WB]
    return m * (g * p[CP_LR] - ax * h) / wb, m * (g * p[CP_LF] + ax * h) / wb


@numba.njit(cache=True)
def wheel_loads_from(p, ax: float, ay: float, out) -> None:
    """Estimated load [N] of each wheel (fl, fr, rl, rr) into `out` from the accelerations [m/s^2]."""
    f_axle, r_axle = axle_loads(p, ax)
    total = f_axle + r_axle
    dlat = p[CP_MASS] * ay * p[CP_H]  # total lateral transfer moment [N m]
    share_f = f_axle / total if total > 0.0 else 0.5
    d_f = dlat * share_f / p[CP_TF]
    d_r = dlat * (1.0 - share_f) / p[CP_TR]
    # ay > 0 (turning left) loads the right-hand wheels
    out[0] = max(0.5 * f_axle - d_f, 0.0)
    out[1] = max(0.5 * f_axle + d_f, 0.0)
    out[2] = max(0.5 * r_axle - d_r, 0.0)
    out[3] = max(0.5 * r_axle + d_r, 0.0)


@numba.njit(cache=True)
def wheel_loads(p, meas, out) -> None:
    """Estimated load [N] of each wheel (fl, fr, rl, rr) into `out` from the measured ax, ay."""
    wheel_loads_from(p, meas[M_AX], meas[M_AY], out)


@numba.njit(cache=True)
def model_sideslip(p, v: float, steer: float) -> float:
    """Steady-state sideslip [rad] of the linear single-track model at speed v [m/s] and road-wheel
    steer [rad]: beta = delta (l_r - m l_f v^2 / (C_r L)) / (L + K v^2) (Gillespie ch. 6), with
    C_r from the understeer gradient's parameters."""
    m, lf, lr, wb = p[CP_MASS], p[CP_LF], p[CP_LR], p[CP_WB]
    c_r = p[CP_CR]
    den = wb + p[CP_KUS] * v * v
    if den < 0.2 * wb or c_r <= 0.0:
        return 0.0
    return steer * (lr - m * lf * v * v / (c_r * wb)) / den


@numba.njit(cache=True)
def estimate(p, s, meas, dt, est) -> None:
    """One estimator step: reads the measurements, updates the estimator's state in the controller
    state `s` and writes the estimates (layout.EST_NAMES) into `est`."""
    e = CS_EST
    g = p[CP_G]
    ax, ay = compensated_accelerations(p, meas)
    omega = s[e + _WFUSED:e + _WFUSED + 4]
    if s[CS_EST_ON] == 0.0:
        # first call: the motors' speeds are not yet known (no plant step has run): tone wheels alone
        for i in range(4):
            omega[i] = meas[M_WHEEL_SPEED + i]
    else:
        fused_wheel_speeds(p, meas, omega)
    vw = est[E_FZ:E_FZ + 4]  # scratch: wheel speeds at the CG, overwritten by the loads below
    wheel_speeds_at_cg(p, meas, omega, vw)
    if s[CS_EST_ON] == 0.0:
        v0 = min(min(vw[0], vw[1]), min(vw[2], vw[3]))  # the slowest wheel: the least likely to spin
        s[e + _V] = v0
        s[e + _GRADE] = 0.0
        s[e + _VY] = 0.0
        s[e + _MU_L] = min(p[CP_MU_F], p[CP_MU_R])
        s[e + _MU_R] = s[e + _MU_L]
        s[e + _CONF] = 0.0
        for i in range(4):
            s[e + _WPREV + i] = vw[i]
            s[e + _WACC + i] = 0.0
        s[e + _EV_L] = 0.0
        s[e + _EV_R] = 0.0
        s[CS_EST_ON] = 1.0
    v = s[e + _V]
    sin_grade = s[e + _GRADE]
    a_car = ax - g * sin_grade
    # ---- speed: predict with the accelerometer
    v += a_car * dt
    # wheel accelerations, filtered
    k_acc = dt / (WHEEL_ACC_TAU_S + dt)
    for i in range(4):
        acc = (vw[i] - s[e + _WPREV + i]) / dt if dt > 0.0 else 0.0
        s[e + _WACC + i] += k_acc * (acc - s[e + _WACC + i])
        s[e + _WPREV + i] = vw[i]
    torque = net_wheel_torque(p, meas)
    drive = 1 if torque > DRIVE_TORQUE_THRESHOLD_NM else (-1 if torque < -DRIVE_TORQUE_THRESHOLD_NM else 0)
    tol = SPEED_TOL_M_S + SPEED_TOL_SHARE * abs(v)
    light_load = abs(torque) < LIGHT_LOAD_SHARE * p[CP_MASS] * g * 0.5 * (p[CP_RF] + p[CP_RR])
    # the reference works axle by axle: through an open differential the two wheels of an axle can
    # swing against each other (one above the car's speed while braking) and their mean does not;
    # a wheel whose acceleration departs from the car's (spinning up, locking, or recovering from
    # either) is left out, and then its partner alone stands for the axle
    ref = 0.0
    n_ok = 0
    for axle in range(2):
        i = 2 * axle
        ok_l = abs(s[e + _WACC + i] - a_car) <= WHEEL_ACC_TOL_M_S2
        ok_r = abs(s[e + _WACC + i + 1] - a_car) <= WHEEL_ACC_TOL_M_S2
        if ok_l and ok_r:
            cand = 0.5 * (vw[i] + vw[i + 1])
        elif ok_l:
            cand = vw[i]
        elif ok_r:
            cand = vw[i + 1]
        else:
            continue
        # off the estimate the way a spinning (driving) or locking (braking) wheel goes, under load
        # and beyond the tolerance: left out (under light load a tire cannot slip that much, so
        # then the estimate is what is off)
        bad_way = (drive > 0 and cand > v) or (drive < 0 and cand < v)
        if bad_way and abs(cand - v) > tol and not light_load:
            continue
        if n_ok == 0:
            ref = cand
        elif drive > 0:
            ref = min(ref, cand)
        else:
            # braking or coasting: the faster axle (a wheel recovering from a lock is slow)
            ref = max(ref, cand)
        n_ok += 1
    if n_ok > 0:
        err = ref - v
        tau = SPEED_TAU_SLOW_S if (drive > 0 and err > 0.0) or (drive < 0 and err < 0.0) else SPEED_TAU_S
        if abs(v) < LOW_SPEED_M_S:
            # at walking pace a tone wheel reads late and coarse: the accelerometer carries the estimate
            tau = max(tau, LOW_SPEED_TAU_S)
        v += err * dt / (tau + dt)
        # ---- grade: the accelerometer against the wheels' acceleration, only in light, steady running
        # (all four wheels agree, little torque at the wheels, moderate acceleration): a slipping
        # tire's slip grows with its force, and its wheel outruns or lags the car by more than any grade
        a_lo, a_hi = s[e + _WACC], s[e + _WACC]
        a_wheels = 0.0
        for i in range(4):
            a_wheels += s[e + _WACC + i]
            a_lo = min(a_lo, s[e + _WACC + i])
            a_hi = max(a_hi, s[e + _WACC + i])
        a_wheels *= 0.25
        light = abs(torque) < GRADE_MAX_TORQUE_SHARE * p[CP_MASS] * g * (p[CP_RF] + p[CP_RR]) * 0.5
        if (abs(err) < tol and abs(v) > GRADE_MIN_SPEED_M_S and abs(ax) < GRADE_MAX_ACCEL_M_S2
                and a_hi - a_lo < GRADE_WHEEL_SPREAD_M_S2 and light):
            target = min(max((ax - a_wheels) / g, -GRADE_MAX_SIN), GRADE_MAX_SIN)
            sin_grade += (target - sin_grade) * dt / (GRADE_TAU_S + dt)
    # standing still: every wheel (resolver or tone wheel) at rest and no torque at the wheels
    if drive == 0 and abs(omega[0]) + abs(omega[1]) + abs(omega[2]) + abs(omega[3]) < STANDSTILL_RAD_S:
        v += -v * dt / (SPEED_TAU_S + dt)
    s[e + _V] = v
    s[e + _GRADE] = sin_grade

    # ---- loads
    fz = est[E_FZ:E_FZ + 4]
    wheel_loads_from(p, ax, ay, fz)

    # ---- road friction, left and right
    # Evidence of the peak: a wheel the ABS or traction control is holding at its slip target (its
    # slip integrator active) transmits about the peak force; the friction it uses then, filtered
    # over the control cycle, sets the estimate. Without it the estimate creeps back up toward the
    # tire's dry peak; the friction in use is always a lower bound.
    mu_dry = min(p[CP_MU_F], p[CP_MU_R])
    fx_side_l, fx_side_r = 0.0, 0.0
    ev_l, ev_r = -1.0, -1.0
    for i in range(4):
        front = i < 2
        radius = p[CP_RF] if front else p[CP_RR]
        inertia = p[CP_WHEEL_INERTIA_F] if front else p[CP_WHEEL_INERTIA_R]
        has = p[CP_HAS_F] if front else p[CP_HAS_R]
        gear = p[CP_GF] if front else p[CP_GR]
        t_drive = 0.5 * meas[M_MOTOR_TORQUE + (0 if front else 1)] * gear if has > 0.5 else 0.0
        t_brake = meas[M_BRAKE_TORQUE + i] if omega[i] >= 0.0 else -meas[M_BRAKE_TORQUE + i]
        fx = (t_drive - t_brake - inertia * s[e + _WACC + i] / radius) / radius
        left = i % 2 == 0
        if left:
            fx_side_l += fx
        else:
            fx_side_r += fx
        axle = 0 if front else 1
        regulating = s[CS_ABS + i] > 0.0 or s[CS_TC + axle] > 0.0
        if regulating and abs(v) > 2.0 and fz[i] > 0.0:
            used = abs(fx) / fz[i]
            if left:
                ev_l = max(ev_l, used)
            else:
                ev_r = max(ev_r, used)
    m_side = 0.5 * p[CP_MASS]
    fz_l, fz_r = fz[0] + fz[2], fz[1] + fz[3]
    used_l = math.sqrt(fx_side_l * fx_side_l + (m_side * ay) ** 2) / fz_l if fz_l > 0.0 else 0.0
    used_r = math.sqrt(fx_side_r * fx_side_r + (m_side * ay) ** 2) / fz_r if fz_r > 0.0 else 0.0
    k_ev = dt / (MU_EVIDENCE_TAU_S + dt)
    s[e + _EV_L] += k_ev * (max(ev_l, 0.0) - s[e + _EV_L]) if ev_l >= 0.0 else -s[e + _EV_L]
    s[e + _EV_R] += k_ev * (max(ev_r, 0.0) - s[e + _EV_R]) if ev_r >= 0.0 else -s[e + _EV_R]
    conf = s[e + _CONF] * (1.0 - dt / (MU_CONF_TAU_S + dt))
    rise = dt / (MU_RISE_TAU_S + dt)
    fall = dt / (MU_FALL_TAU_S + dt)
    mu_l, mu_r = s[e + _MU_L], s[e + _MU_R]
    if ev_l >= 0.0:
        mu_l += (min(max(s[e + _EV_L] / MU_PEAK_SHARE, MU_MIN), mu_dry) - mu_l) * fall
        conf = 1.0
    else:
        mu_l += (mu_dry - mu_l) * rise
    if ev_r >= 0.0:
        mu_r += (min(max(s[e + _EV_R] / MU_PEAK_SHARE, MU_MIN), mu_dry) - mu_r) * fall
        conf = 1.0
    else:
        mu_r += (mu_dry - mu_r) * rise
    mu_l = max(mu_l, min(used_l, mu_dry))
    mu_r = max(mu_r, min(used_r, mu_dry))
    s[e + _MU_L], s[e + _MU_R], s[e + _CONF] = mu_l, mu_r, conf

    # ---- yaw-rate sensor offset, learnt while running straight
    standing = abs(omega[0]) + abs(omega[1]) + abs(omega[2]) + abs(omega[3]) < STANDSTILL_RAD_S
    if standing or (abs(meas[M_STEER]) < GYRO_LEARN_STEER_RAD and abs(ay) < GYRO_LEARN_AY_M_S2
                    and v > GYRO_LEARN_SPEED_M_S):
        # at standstill the car cannot yaw (the ECU's standstill calibration): learn fast there
        tau = GYRO_STANDSTILL_TAU_S if standing else GYRO_LEARN_TAU_S
        s[e + _R_OFF] += (meas[M_YAW_RATE] - s[e + _R_OFF]) * dt / (tau + dt)

    # ---- sideslip: kinematic, pulled toward the single-track model where it holds
    r = meas[M_YAW_RATE] - s[e + _R_OFF]
    vy = s[e + _VY] + (ay - r * v) * dt
    mu = max(min(mu_l, mu_r), 0.05)
    use = abs(ay) / (mu * g)
    lo, hi = SIDESLIP_MODEL_USE
    w = 1.0 - min(max((use - lo) / (hi - lo), 0.0), 1.0)
    if abs(v) > 2.0:
        vy_model = model_sideslip(p, abs(v), meas[M_STEER]) * abs(v)
        vy += w * (vy_model - vy) * dt / (SIDESLIP_TAU_S + dt)
    else:
        vy += -vy * dt / (SIDESLIP_TAU_S + dt)
    s[e + _VY] = vy

    if p[CP_ORACLE] > 0.5:
        # ablation only: the simulator's truth in place of the estimates
        v = meas[M_TRUE_VX]
        vy = meas[M_TRUE_VY]
        mu_l = mu_dry * 0.5 * (meas[M_TRUE_MU] + meas[M_TRUE_MU + 2])
        mu_r = mu_dry * 0.5 * (meas[M_TRUE_MU + 1] + meas[M_TRUE_MU + 3])
    est[E_V] = v
    est[E_VY] = vy
    est[E_BETA] = math.atan2(vy, abs(v)) if abs(v) > 0.5 else 0.0
    est[E_MU_LEFT] = mu_l
    est[E_MU_RIGHT] = mu_r
    est[E_MU_CONF] = conf
    est[E_GRADE] = math.asin(min(max(sin_grade, -1.0), 1.0))


@numba.njit(cache=True)
def road_friction(est) -> float:
    """Peak friction of the road under the car [-]: the mean of the two sides' estimates."""
    return 0.5 * (est[E_MU_LEFT] + est[E_MU_RIGHT])

