"""The plant: one fixed step of the full vehicle model (chassis, suspension, tires, wheels,
powertrain, brakes and battery), compiled with numba and working in place on flat arrays.

Degrees of freedom: longitudinal, lateral and yaw motion of the car; roll, pitch and heave of the
sprung mass; spin of the four wheels; first-order tire deflection (relaxation) in x and y at each
corner; first-order motor torque and brake torque actuators; battery state of charge.

Integration is semi-implicit (symplectic) Euler: forces from the current state, velocities
updated first, positions and tire deflections from the new velocities. Tire deflections use an
implicit update of their decay term (unconditionally stable at any speed), and friction brakes use
an exact stick-slip (proximal) update, so a braked wheel stops at zero instead of chattering.

The load on each tire comes out of the dynamics: sprung-mass suspension forces (springs, dampers,
anti-roll bars) plus the forces the links take through anti-dive/anti-squat geometry and the roll
centres, plus the unsprung weight. Link forces use the tire forces of the previous step (1 ms).

References:
- Pacejka, Tyre and Vehicle Dynamics, 2nd ed. (2006): ch. 4 (MF), sect. 7.2 and 8.6 (transient slip,
  low-speed damping).
- Gillespie, Fundamentals of Vehicle Dynamics (1992): ch. 7 (anti-geometry), ch. 8 (roll).
- Kiencke & Nielsen, Automotive Control Systems, 2nd ed. (2005): ch. 7 (four-wheel vehicle model).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from twinmotor.chassis import (
    aero_loads,
    anti_geometry_force,
    corner_displacement,
    corner_position,
    low_speed_weight,
    open_differential_accelerations,
    roll_centre_force,
    wheel_plane_velocity,
)
from twinmotor.layout import (
    A_ALPHA,
    A_AX,
    A_AY,
    A_FX,
    A_FXB,
    A_FY,
    A_FYB,
    A_FZ,
    A_GRADE,
    A_IBATT,
    A_KAPPA,
    A_MU,
    A_PBATT,
    A_PCHG,
    A_PDIS,
    A_PM,
    A_STEER,
    A_TBRAKE,
    A_TDRIVE,
    A_TLIM,
    A_VBATT,
    A_VOC,
    A_WM,
    C_DISC,
    C_TB,
    C_TM_F,
    P_ACTUATION_J,
    P_ANTI_BRAKE_F,
    P_ANTI_BRAKE_R,
    P_ANTI_DRIVE_F,
    P_ANTI_DRIVE_R,
    P_ARB_F,
    P_ARB_R,
    P_AUX_W,
    P_BRAKE_MAX_F,
    P_BRAKE_MAX_R,
    P_BRAKE_TAU,
    P_C_F,
    P_C_R,
    P_DAMP_X_F,
    P_DAMP_X_R,
    P_DAMP_Y_F,
    P_DAMP_Y_R,
    P_DISCONNECT,
    P_DRAG_K,
    P_ENGAGE_T,
    P_G,
    P_GEAR_EFF_F,
    P_GEAR_F,
    P_H,
    P_HAS_MOTOR_F,
    P_IW_F,
    P_IW_R,
    P_IXX,
    P_IYY,
    P_IZZ,
    P_K_F,
    P_K_R,
    P_LF,
    P_LIFT_K_F,
    P_LIFT_K_R,
    P_LR,
    P_MASS,
    P_MAX_STEER,
    P_MS,
    P_MU_F,
    P_MU_R,
    P_OPEN_DRAG,
    P_RADIUS_F,
    P_RADIUS_R,
    P_RC_F,
    P_RC_R,
    P_RELEASE_T,
    P_RR_F,
    P_RR_R,
    P_SPIN_EXP,
    P_SPIN_SPEED100,
    P_SPIN_W100,
    P_TF,
    P_TIRE_SIDE_F,
    P_TIRE_SIDE_R,
    P_TR,
    P_WHEEL_DRAG,
    P_WHEEL_SUBSTEP,
    X_CPL,
    X_E_AERO,
    X_E_AUX,
    X_E_BATT_LOSS,
    X_E_BRAKE,
    X_E_CHEM,
    X_E_CU,
    X_E_DAMPER,
    X_E_DISC,
    X_E_DRAG,
    X_E_EXC,
    X_E_GEAR,
    X_E_GRADE,
    X_E_INV,
    X_E_MOTOR_OUT,
    X_E_MOTOR_REGEN,
    X_E_REGEN,
    X_E_ROLL,
    X_E_SLIP,
    X_E_SPIN,
    X_FLUX,
    X_OMEGA,
    X_P,
    X_PHI,
    X_PSI,
    X_Q,
    X_R,
    X_S,
    X_SOC,
    X_TB,
    X_THETA,
    X_TM,
    X_UX,
    X_UY,
    X_VX,
    X_VY,
    X_W,
    X_X,
    X_Y,
    X_Z,
)
from twinmotor.models.single_track import static_tire_loads
from twinmotor.powertrain.battery import B_R_OHM, current_from_power, open_circuit_voltage, power_limits, soc_rate
from twinmotor.powertrain.gearbox import axle_torque as gear_axle_torque
from twinmotor.powertrain.motor import (
    M_INERTIA,
    M_KIND,
    M_TAU,
    drag_torque_at_flux,
    electrical_losses,
    electrical_power,
    excitation_power,
    flux_rate,
    torque_limit,
)
from twinmotor.road import road_at
from twinmotor.tire.mf61 import I_PDX1, I_PDY1, I_VXLOW, transient_tire

#: wheel speed [rad/s] over which rolling resistance and drag torques fade in through zero
OMEGA_SMOOTH = 1.0


#: release lag of the friction brakes as a share of their build-up lag (estimate: ABS outlet valves
#: dump to a low-pressure accumulator in 10-20 ms against 50-80 ms of build-up; Kiencke and Nielsen
#: 2005, ch. 9)
BRAKE_RELEASE_SHARE = 0.25


@numba.njit(cache=True)
def motor_speeds(x: np.ndarray, vp: np.ndarray, axle: int) -> float:
    """Motor shaft speed [rad/s] of an axle: gear ratio times the mean wheel speed (open diff)."""
    return vp[P_GEAR_F + axle] * 0.5 * (x[X_OMEGA + 2 * axle] + x[X_OMEGA + 2 * axle + 1])


@numba.njit(cache=True, inline="always")
def is_coupled(x, vp, cmd, axle: int) -> bool:
    """Whether the axle's drive unit turns with its wheels: always without a disconnect unit; with one,
    once fully engaged, and still while the dog is moving out (release; the motor holds zero torque)."""
    if vp[P_DISCONNECT + axle] < 0.5:
        return True
    c = x[X_CPL + axle]
    return c >= 1.0 or (c > 0.0 and cmd[C_DISC + axle] > 0.5)


@numba.njit(cache=True)
def spin_loss_torque(wm: float, vp, axle: int) -> float:
    """No-load drag torque [N m] of the axle's reduction gear and differential on the motor shaft:
    P = P_100 (|w| / w_100)^n (churning and bearing drag, Niemann & Winter), smoothed through zero."""
    w100 = vp[P_SPIN_SPEED100 + axle]
    if w100 <= 0.0 or vp[P_SPIN_W100 + axle] <= 0.0:
        return 0.0
    k = vp[P_SPIN_W100 + axle] / w100
    return -k * (abs(wm) / w100) ** (vp[P_SPIN_EXP + axle] - 1.0) * math.tanh(wm / OMEGA_SMOOTH)


@numba.njit(cache=True, inline="always")
def inboard_share(aux: np.ndarray, i: int) -> float:
    """The motor's share (0-1) of corner i's wheel torque in the last step (the rest is brakes)."""
    td = abs(aux[A_TDRIVE + i])
    tb = abs(aux[A_TBRAKE + i])
    return td / (td + tb) if td + tb > 1e-9 else 0.0


#: projected Gauss-Seidel sweeps of the brake stick-slip solve (converges as ((J)/(J + 4 I))^n)
BRAKE_SWEEPS = 12


@numba.njit(cache=True)
def brake_torques(om_l, om_r, tmax_l, tmax_r, carrier, iw, dt):
    """Brake torques [N m] of the two wheels of an axle for one step, given their speeds without
    brakes [rad/s] and the brakes' capacities [N m].

    Coulomb friction: a sliding wheel gets its full brake torque against its motion, a wheel the
    brake can stop is held at zero speed. Through an open differential one wheel's torque also
    turns the other, so the pair is a small linear complementarity problem,
    omega_new = omega + dt * Minv @ T with |T_i| <= Tmax_i, solved by projected Gauss-Seidel
    (each wheel: the torque that stops it given the other's, clipped to the capacity). Minv is
    the open differential's [[a+b, a-b], [a-b, a+b]], a = 1/(J + 2 I), b = 1/(2 I).
    """
    if tmax_l == 0.0 and tmax_r == 0.0:
        return 0.0, 0.0  # brakes released (what the sweeps would give, without them)
    a = 1.0 / (carrier + 2.0 * iw)
    b = 0.5 / iw
    d = a + b
    o = a - b
    tl = 0.0
    tr = 0.0
    for _ in range(BRAKE_SWEEPS):
        tl_new = min(max(-(om_l / dt + o * tr) / d, -tmax_l), tmax_l)
        tr_new = min(max(-(om_r / dt + o * tl_new) / d, -tmax_r), tmax_r)
        if tl_new == tl and tr_new == tr:
            break  # a fixed point: every further sweep gives the same
        tl = tl_new
        tr = tr_new
    return tl, tr


@numba.njit(cache=True)
def limit_motor_commands(x, vp, mc_f, mc_r, bc, tcmd_f, tcmd_r, aux, cmd):
    """Clip the motor torque commands [N m] to each motor's envelope at its present speed and scale
    them so the battery's discharge and charge power limits hold together (the shared DC link caps
    the sum, which is why the AWD prototype has 227 kW and not 2 x 160 kW)."""
    g_f = vp[P_HAS_MOTOR_F]
    g_r = vp[P_HAS_MOTOR_F + 1]
    wm_f = motor_speeds(x, vp, 0)
    wm_r = motor_speeds(x, vp, 1)
    cpl_f = g_f > 0.5 and is_coupled(x, vp, cmd, 0)
    cpl_r = g_r > 0.5 and is_coupled(x, vp, cmd, 1)
    lim_f = torque_limit(wm_f, mc_f) if cpl_f else 0.0
    lim_r = torque_limit(wm_r, mc_r) if cpl_r else 0.0
    p_dis, p_chg = power_limits(x[X_SOC], bc)
    aux[A_PDIS] = p_dis
    aux[A_PCHG] = p_chg
    # the controller sees the envelope of a coupled motor; torque follows the flux it has built, and a
    # disconnect that is not fully engaged carries none
    aux[A_TLIM] = lim_f
    aux[A_TLIM + 1] = lim_r
    for a in range(2):
        if vp[P_DISCONNECT + a] > 0.5 and x[X_CPL + a] < 1.0:
            if a == 0:
                lim_f = 0.0
            else:
                lim_r = 0.0
    if mc_f[M_KIND] > 0.5:
        lim_f *= x[X_FLUX]
    if mc_r[M_KIND] > 0.5:
        lim_r *= x[X_FLUX + 1]
    tf = min(max(tcmd_f, -lim_f), lim_f)
    tr = min(max(tcmd_r, -lim_r), lim_r)
    p_aux = vp[P_AUX_W]
    for _ in range(3):  # losses are nonlinear in torque: a few fixed-point passes
        p = p_aux
        if g_f > 0.5:
            p += electrical_power(tf, wm_f, mc_f)
        if g_r > 0.5:
            p += electrical_power(tr, wm_r, mc_r)
        if p > p_dis and p - p_aux > 1e-9:
            k = max((p_dis - p_aux) / (p - p_aux), 0.0)
            tf = tf * k if tf * wm_f > 0.0 else tf
            tr = tr * k if tr * wm_r > 0.0 else tr
        elif p < -p_chg and p - p_aux < -1e-9:
            k = max((-p_chg - p_aux) / (p - p_aux), 0.0)
            tf = tf * k if tf * wm_f < 0.0 else tf
            tr = tr * k if tr * wm_r < 0.0 else tr
        else:
            break
    return tf, tr


#: scratch layout of plant_step's `work` array: per corner (4 each) the torque on the wheel other
#: than drive and brake, then the relaxation lengths, then what the wheel sub-steps use
W_SIG_K, W_SIG_A = 8, 12
W_FX_TIRE, W_FX_SLOPE, W_FX_LIM, W_DAMP, W_VWX, W_T_OTHER, W_FX_STEP, W_FX_MEAN = 16, 20, 24, 28, 32, 36, 40, 44
WORK_SIZE = 48


@numba.njit(cache=True, inline="always")
def wheel_substeps(dt: float, substep_max: float) -> int:
    """Number of wheel sub-steps in a plant step of dt [s]: 1 up to the longest sub-step."""
    if substep_max <= 0.0 or dt <= substep_max * (1.0 + 1e-9):
        return 1
    return int(math.ceil(dt / substep_max - 1e-9))


@numba.njit(cache=True, inline="always")
def lag_step(value: float, target: float, tau: float, dt: float, n_sub: int) -> float:
    """A first-order lag of time constant tau [s] after a step dt [s] toward `target`, taken as
    n_sub backward-Euler sub-steps with the target held: value + (target - value) dt / (tau + dt)
    for one, and 1 - (tau / (tau + h))^n of the way for n of h = dt / n (a 2 ms motor lag under a
    5 ms step responds as under five 1 ms steps)."""
    if n_sub == 1:
        return value + (target - value) * dt / (tau + dt)
    h = dt / n_sub
    return value + (target - value) * (1.0 - (tau / (tau + h)) ** n_sub)


@numba.njit(cache=True, inline="always")
def brake_actuator_step(tb: float, tb_cmd: float, tau_b: float, h: float) -> float:
    """The brake torque [N m] after a step h [s] of its actuator's first-order lag toward the
    command (backward Euler). An ABS modulator dumps pressure through its outlet valve faster than
    the pump or booster builds it: the release lag is a share of the build-up lag tau_b [s]."""
    tau = tau_b if tb_cmd >= tb else BRAKE_RELEASE_SHARE * tau_b
    return tb + (tb_cmd - tb) * h / (tau + h)


@numba.njit(cache=True, inline="always")
def substep_tire_force(work, i: int, dux: float, om: float, radius: float) -> float:
    """Longitudinal force [N] of corner i's tire within a sub-step: the MF 6.1 force of the step
    carried along its slope in the deflection (dux [m] since the step began), the low-speed damping
    at the wheel's present speed om [rad/s], bounded like the step's force."""
    f = work[W_FX_TIRE + i] + work[W_FX_SLOPE + i] * dux - work[W_DAMP + i] * (work[W_VWX + i] - om * radius)
    lim = work[W_FX_LIM + i]
    return min(max(f, -lim), lim)


@numba.njit(cache=True)
def wheel_substeps_axle(x, vp, work, cmd, axle: int, t_axle: float, carrier: float, iw: float, dt: float, n_sub: int):
    """Spin of an axle's two wheels and their tires' longitudinal deflections over one plant step
    in n_sub sub-steps (see plant_step): drive torque and wheel-centre speeds are held; the tire
    force follows the deflection, the brakes are solved each sub-step and their actuators' lag
    advances with it (an ABS valve dumps in ~15 ms). Writes the tires' deflections and the brake
    torques' states to x and the mean tire forces to work; returns (omega_l, omega_r [rad/s], mean
    brake torques left, right [N m], brake energy [J], longitudinal slip energy [J])."""
    il = 2 * axle
    ir = il + 1
    radius = vp[P_RADIUS_F] if axle == 0 else vp[P_RADIUS_R]
    h = dt / n_sub
    om_l = x[X_OMEGA + il]
    om_r = x[X_OMEGA + ir]
    ux0_l = x[X_UX + il]
    ux0_r = x[X_UX + ir]
    ux_l = ux0_l
    ux_r = ux0_r
    v_l = work[W_VWX + il]
    v_r = work[W_VWX + ir]
    # the deflections' decay over a sub-step (implicit, as in plant_step), the same in each
    keep_l = 1.0 / (1.0 + h * abs(v_l) / work[W_SIG_K + il])
    keep_r = 1.0 / (1.0 + h * abs(v_r) / work[W_SIG_K + ir])
    tq_l = -work[W_T_OTHER + il]
    tq_r = -work[W_T_OTHER + ir]
    tmax = vp[P_BRAKE_MAX_F] if axle == 0 else vp[P_BRAKE_MAX_R]
    tau_b = vp[P_BRAKE_TAU]
    tb_cmd_l = min(max(cmd[C_TB + il], 0.0), tmax)
    tb_cmd_r = min(max(cmd[C_TB + ir], 0.0), tmax)
    tbc_l = x[X_TB + il]
    tbc_r = x[X_TB + ir]
    f_sum_l = 0.0
    f_sum_r = 0.0
    tb_sum_l = 0.0
    tb_sum_r = 0.0
    e_brake = 0.0
    e_slip = 0.0
    for _ in range(n_sub):
        f_l = substep_tire_force(work, il, ux_l - ux0_l, om_l, radius)
        f_r = substep_tire_force(work, ir, ux_r - ux0_r, om_r, radius)
        a_l, a_r = open_differential_accelerations(t_axle, tq_l - radius * f_l, tq_r - radius * f_r, carrier, iw)
        om_l += h * a_l
        om_r += h * a_r
        tbl, tbr = brake_torques(om_l, om_r, tbc_l, tbc_r, carrier, iw, h)
        b_l, b_r = open_differential_accelerations(0.0, tbl, tbr, carrier, iw)
        om_l += h * b_l
        om_r += h * b_r
        e_brake -= (tbl * om_l + tbr * om_r) * h
        e_slip -= (f_l * (v_l - om_l * radius) + f_r * (v_r - om_r * radius)) * h
        tbc_l = brake_actuator_step(tbc_l, tb_cmd_l, tau_b, h)
        tbc_r = brake_actuator_step(tbc_r, tb_cmd_r, tau_b, h)
        ux_l = (ux_l + h * (om_l * radius - v_l)) * keep_l
        ux_r = (ux_r + h * (om_r * radius - v_r)) * keep_r
        f_sum_l += f_l
        f_sum_r += f_r
        tb_sum_l += tbl
        tb_sum_r += tbr
    x[X_TB + il] = tbc_l
    x[X_TB + ir] = tbc_r
    x[X_UX + il] = ux_l
    x[X_UX + ir] = ux_r
    work[W_FX_MEAN + il] = f_sum_l / n_sub
    work[W_FX_MEAN + ir] = f_sum_r / n_sub
    return om_l, om_r, tb_sum_l / n_sub, tb_sum_r / n_sub, e_brake, e_slip


@numba.njit(cache=True)
def plant_step(x, vp, tp_f, tp_r, mc_f, mc_r, bc, road, cmd, steer, dt, aux, work):
    """Advance the state `x` by `dt` [s] in place under commands `cmd` and road-wheel steer [rad].

    `aux` receives this step's forces, slips and powers (and keeps last step's tire forces for the
    link forces); `work` is scratch space of at least WORK_SIZE floats.

    A step longer than the wheels' sub-step vp[P_WHEEL_SUBSTEP] (simulation.stability) integrates
    the wheel-spin / tire-deflection mode in sub-steps: the tires are evaluated once, each wheel's
    longitudinal force is carried through the sub-steps linearised in its deflection (the MF 6.1
    slope dFx/dux from transient_tire) with the low-speed damping at the sub-step's wheel speed, and
    the body receives the mean force. With one sub-step (the default 1 ms step) the step is the
    plain semi-implicit Euler step.
    """
    g = vp[P_G]
    m = vp[P_MASS]
    ms = vp[P_MS]
    lf = vp[P_LF]
    lr = vp[P_LR]
    h = vp[P_H]
    tf = vp[P_TF]
    tr = vp[P_TR]
    wb = lf + lr
    fz_static_f, fz_static_r = static_tire_loads(m, g, lf, lr, wb)
    n_sub = wheel_substeps(dt, vp[P_WHEEL_SUBSTEP])

    vx = x[X_VX]
    vy = x[X_VY]
    r = x[X_R]
    phi = x[X_PHI]
    p = x[X_P]
    theta = x[X_THETA]
    q = x[X_Q]
    z = x[X_Z]
    w = x[X_W]
    s = x[X_S]

    max_steer = vp[P_MAX_STEER]
    delta = min(max(steer, -max_steer), max_steer)
    cd = math.cos(delta)
    sd = math.sin(delta)
    mu_c, grade = road_at(road, s, True)
    cg = math.cos(grade)
    sg = math.sin(grade)
    f_drag, lift_f, lift_r = aero_loads(vx, vp[P_DRAG_K], vp[P_LIFT_K_F], vp[P_LIFT_K_R])

    # ---- previous step's axle lateral forces, for the roll-centre link forces
    fy_prev_f = aux[A_FYB] + aux[A_FYB + 1]
    fy_prev_r = aux[A_FYB + 2] + aux[A_FYB + 3]

    # ---- vertical: suspension forces on the body and tire loads
    fsum_v = 0.0
    mx_v = 0.0
    my_v = 0.0
    e_damp = 0.0
    for i in range(4):
        front = i < 2
        left = (i % 2) == 0
        xi, yi = corner_position(i, lf, lr, tf, tr)
        zi = corner_displacement(z, phi, theta, xi, yi)
        zdi = corner_displacement(w, p, q, xi, yi)
        if front:
            k = vp[P_K_F]
            c = vp[P_C_F]
            karb = vp[P_ARB_F]
            track = tf
            static = fz_static_f - vp[P_MU_F] * g
            unsprung_w = vp[P_MU_F] * g
            f_link = anti_geometry_force(aux[A_FXB + i], inboard_share(aux, i), True, vp[P_ANTI_BRAKE_F],
                                         vp[P_ANTI_DRIVE_F], h, wb)
            f_link += roll_centre_force(fy_prev_f, left, vp[P_RC_F], tf)
        else:
            k = vp[P_K_R]
            c = vp[P_C_R]
            karb = vp[P_ARB_R]
            track = tr
            static = fz_static_r - vp[P_MU_R] * g
            unsprung_w = vp[P_MU_R] * g
            f_link = anti_geometry_force(aux[A_FXB + i], inboard_share(aux, i), False, vp[P_ANTI_BRAKE_R],
                                         vp[P_ANTI_DRIVE_R], h, wb)
            f_link += roll_centre_force(fy_prev_r, left, vp[P_RC_R], tr)
        f_arb = -karb * phi / track if left else karb * phi / track
        f_v = static * cg - k * zi - c * zdi + f_arb + f_link
        e_damp += c * zdi * zdi * dt
        fsum_v += f_v
        mx_v += yi * f_v
        my_v += -xi * f_v
        fz = f_v + unsprung_w * cg
        aux[A_FZ + i] = fz if fz > 0.0 else 0.0

    # ---- tires
    fx_sum = 0.0
    fy_sum = 0.0
    mz_sum = 0.0
    e_slip = 0.0
    e_roll = 0.0
    e_spin = 0.0
    for i in range(4):
        front = i < 2
        left = (i % 2) == 0
        xi, yi = corner_position(i, lf, lr, tf, tr)
        fz = aux[A_FZ + i]
        mu, _g = road_at(road, s + xi, left)
        if front:
            vwx, vwy = wheel_plane_velocity(vx, vy, r, xi, yi, delta)
            tp = tp_f
            radius = vp[P_RADIUS_F]
            dampx = vp[P_DAMP_X_F]
            dampy = vp[P_DAMP_Y_F]
            rr = vp[P_RR_F]
        else:
            vwx, vwy = wheel_plane_velocity(vx, vy, r, xi, yi, 0.0)
            tp = tp_r
            radius = vp[P_RADIUS_R]
            dampx = vp[P_DAMP_X_R]
            dampy = vp[P_DAMP_Y_R]
            rr = vp[P_RR_R]
        om = x[X_OMEGA + i]
        # the tire data describe one side; the wheel on the other side runs the mirror image
        # (TNO MF-Tyre convention), so conicity and ply-steer cancel across the axle
        side = vp[P_TIRE_SIDE_F] if front else vp[P_TIRE_SIDE_R]
        sig_k, sig_a, kap, alp, fxw, fyw, mz, dfx_dux = transient_tire(tp, fz, x[X_UX + i], x[X_UY + i], vwx, mu,
                                                                       (side < 0.5) != left, n_sub > 1)
        wl = low_speed_weight(vwx, tp[I_VXLOW])
        vsx = vwx - om * radius
        # low-speed damping (the tire's standstill behaviour), bounded like any tire force by the
        # friction the road can give: without the bound a slowly spinning wheel on ice would push
        # the car up a hill no tire could climb
        fx_lim = max(abs(fxw), mu * abs(tp[I_PDX1]) * fz)
        fy_lim = max(abs(fyw), mu * abs(tp[I_PDY1]) * fz)
        if n_sub > 1:  # what the wheel sub-steps need (see the docstring)
            work[W_FX_TIRE + i] = fxw
            work[W_FX_SLOPE + i] = dfx_dux
            work[W_FX_LIM + i] = fx_lim
            work[W_DAMP + i] = dampx * wl
            work[W_VWX + i] = vwx
        fxw = min(max(fxw - dampx * wl * vsx, -fx_lim), fx_lim)
        fyw = min(max(fyw - dampy * wl * vwy, -fy_lim), fy_lim)
        if front:
            fxb = fxw * cd - fyw * sd
            fyb = fxw * sd + fyw * cd
        else:
            fxb = fxw
            fyb = fyw
        fx_sum += fxb
        fy_sum += fyb
        mz_sum += xi * fyb - yi * fxb + mz
        spin_sign = math.tanh(om / OMEGA_SMOOTH)  # the direction of rotation, smoothed through zero
        t_rr = rr * fz * radius * spin_sign
        # wheel bearing and released-brake drag, on every wheel whether driven or not
        t_wd = vp[P_WHEEL_DRAG + (0 if front else 1)] * spin_sign
        e_spin += t_wd * om * dt
        work[i] = -radius * fxw - t_rr - t_wd   # wheel torque other than drive and brake
        if n_sub > 1:
            work[W_T_OTHER + i] = t_rr + t_wd
            work[W_FX_STEP + i] = fxw
            e_slip -= fyw * vwy * dt  # the longitudinal part in the sub-steps
        else:
            e_slip -= (fxw * vsx + fyw * vwy) * dt
        e_roll += t_rr * om * dt
        aux[A_FX + i] = fxw
        aux[A_FY + i] = fyw
        aux[A_FXB + i] = fxb
        aux[A_FYB + i] = fyb
        aux[A_KAPPA + i] = kap
        aux[A_ALPHA + i] = alp
        aux[A_MU + i] = mu
        work[W_SIG_K + i] = sig_k
        work[W_SIG_A + i] = sig_a

    # ---- powertrain: motors, gears, open differentials, brakes, wheel spin
    p_elec = vp[P_AUX_W]
    e_cu = 0.0
    e_inv = 0.0
    e_drag = 0.0
    e_gear = 0.0
    e_brake = 0.0
    e_exc = 0.0
    e_disc = 0.0
    for axle in range(2):
        il = 2 * axle
        ir = il + 1
        iw = vp[P_IW_F] if axle == 0 else vp[P_IW_R]
        mc = mc_f if axle == 0 else mc_r
        wm = motor_speeds(x, vp, axle)
        aux[A_WM + axle] = wm
        if vp[P_HAS_MOTOR_F + axle] > 0.5 and is_coupled(x, vp, cmd, axle):
            ratio = vp[P_GEAR_F + axle]
            t_em = x[X_TM + axle]
            flux = x[X_FLUX + axle]
            t_drag = drag_torque_at_flux(wm, mc, flux)
            t_spin = spin_loss_torque(wm, vp, axle)
            t_axle, gear_loss = gear_axle_torque(t_em + t_drag + t_spin, wm, ratio, vp[P_GEAR_EFF_F + axle])
            carrier = mc[M_INERTIA] * ratio * ratio
            cu, inv = electrical_losses(t_em, wm, mc)
            exc = excitation_power(mc, flux)
            pm = t_em * wm + cu + inv + exc  # electrical_power_at_flux, its losses computed once
            p_elec += pm
            if pm > 0.0:
                x[X_E_MOTOR_OUT + axle] += pm * dt
            else:
                x[X_E_MOTOR_REGEN + axle] -= pm * dt
            aux[A_PM + axle] = pm
            e_cu += cu * dt
            e_inv += inv * dt
            e_exc += exc * dt
            e_drag -= t_drag * wm * dt
            e_spin -= t_spin * wm * dt
            e_gear += gear_loss * dt
        elif vp[P_HAS_MOTOR_F + axle] > 0.5:
            # disconnected: the drive unit stands still; what still turns drags at the axle
            om_axle = 0.5 * (x[X_OMEGA + il] + x[X_OMEGA + ir])
            t_axle = -vp[P_OPEN_DRAG + axle] * math.tanh(om_axle / OMEGA_SMOOTH)
            e_spin -= t_axle * om_axle * dt
            carrier = 0.0
            pm = 0.0
            if cmd[C_DISC + axle] < 0.5 and vp[P_ENGAGE_T + axle] > 0.0:
                # engaging: the motor brings its rotor up to the axle's speed and the actuator moves
                p_sync = (0.5 * mc[M_INERTIA] * wm * wm + vp[P_ACTUATION_J + axle]) / vp[P_ENGAGE_T + axle]
                pm = p_sync
                e_disc += p_sync * dt
            p_elec += pm
            aux[A_PM + axle] = pm
        else:
            t_axle = 0.0
            carrier = 0.0
            aux[A_PM + axle] = 0.0
        if n_sub == 1:
            a_l, a_r = open_differential_accelerations(t_axle, work[il], work[ir], carrier, iw)
            om_l = x[X_OMEGA + il] + dt * a_l
            om_r = x[X_OMEGA + ir] + dt * a_r
            # friction brakes: Coulomb torques of both wheels solved together through the differential
            tbl, tbr = brake_torques(om_l, om_r, x[X_TB + il], x[X_TB + ir], carrier, iw, dt)
            b_l, b_r = open_differential_accelerations(0.0, tbl, tbr, carrier, iw)
            om_l += dt * b_l
            om_r += dt * b_r
            e_brake -= (tbl * om_l + tbr * om_r) * dt
        else:
            om_l, om_r, tbl, tbr, e_b, e_s = wheel_substeps_axle(x, vp, work, cmd, axle, t_axle, carrier, iw, dt, n_sub)
            e_brake += e_b
            e_slip += e_s
        aux[A_TDRIVE + il] = 0.5 * t_axle
        aux[A_TDRIVE + ir] = 0.5 * t_axle
        aux[A_TBRAKE + il] = tbl
        aux[A_TBRAKE + ir] = tbr
        x[X_OMEGA + il] = om_l
        x[X_OMEGA + ir] = om_r

    # ---- battery
    soc = x[X_SOC]
    voc = open_circuit_voltage(soc, bc)
    r_b = bc[B_R_OHM]
    i_b = current_from_power(p_elec, voc, r_b)
    x[X_SOC] = soc + dt * soc_rate(i_b, bc)
    p_term = voc * i_b - r_b * i_b * i_b
    x[X_E_CHEM] += voc * i_b * dt
    x[X_E_BATT_LOSS] += r_b * i_b * i_b * dt
    if p_term < 0.0:
        x[X_E_REGEN] -= p_term * dt
    aux[A_PBATT] = p_term
    aux[A_IBATT] = i_b
    aux[A_VOC] = voc
    aux[A_VBATT] = voc - r_b * i_b

    # ---- actuators: motor torque and brake torque lags, commands limited first
    tcf, tcr = limit_motor_commands(x, vp, mc_f, mc_r, bc, cmd[C_TM_F], cmd[C_TM_F + 1], aux, cmd)
    x[X_TM] = lag_step(x[X_TM], tcf, mc_f[M_TAU], dt, n_sub)
    x[X_TM + 1] = lag_step(x[X_TM + 1], tcr, mc_r[M_TAU], dt, n_sub)
    for a in range(2):
        mc = mc_f if a == 0 else mc_r
        coupled = is_coupled(x, vp, cmd, a)
        t_req = cmd[C_TM_F + a] if coupled else 0.0
        fl = x[X_FLUX + a] + dt * flux_rate(mc, x[X_FLUX + a], t_req)
        x[X_FLUX + a] = min(max(fl, 0.0), 1.0)
        if vp[P_DISCONNECT + a] > 0.5:
            c_old = x[X_CPL + a]
            wm = motor_speeds(x, vp, a)
            j_rotor = mc[M_INERTIA]
            if cmd[C_DISC + a] > 0.5 and c_old > 0.0:
                t_rel = vp[P_RELEASE_T + a]
                c_new = c_old - dt / t_rel if t_rel > 0.0 else 0.0
                if c_new <= 0.0:
                    c_new = 0.0
                    # out: the rotor spins down on its own drag; its kinetic energy is lost
                    e_disc += 0.5 * j_rotor * wm * wm + vp[P_ACTUATION_J + a]
                    p_elec_extra = vp[P_ACTUATION_J + a] / dt
                    x[X_E_CHEM] += p_elec_extra * dt  # the actuator draws from the battery (via the DC/DC)
                x[X_CPL + a] = c_new
            elif cmd[C_DISC + a] < 0.5 and c_old < 1.0:
                t_eng = vp[P_ENGAGE_T + a]
                c_new = c_old + dt / t_eng if t_eng > 0.0 else 1.0
                if c_new >= 1.0:
                    c_new = 1.0
                    # engaged: the synchronised rotor's kinetic energy is now part of the car's
                    e_disc -= 0.5 * j_rotor * wm * wm
                x[X_CPL + a] = c_new
    tau_b = vp[P_BRAKE_TAU]
    for i in range(4 if n_sub == 1 else 0):  # (sub-steps have moved the brakes already)
        tmax = vp[P_BRAKE_MAX_F] if i < 2 else vp[P_BRAKE_MAX_R]
        tb_cmd = min(max(cmd[C_TB + i], 0.0), tmax)
        x[X_TB + i] = brake_actuator_step(x[X_TB + i], tb_cmd, tau_b, dt)

    if n_sub > 1:
        # the body takes the wheels' mean longitudinal force over the sub-steps
        for i in range(4):
            xi, yi = corner_position(i, lf, lr, tf, tr)
            dfx = work[W_FX_MEAN + i] - work[W_FX_STEP + i]
            dfxb = dfx * cd if i < 2 else dfx
            dfyb = dfx * sd if i < 2 else 0.0
            fx_sum += dfxb
            fy_sum += dfyb
            mz_sum += xi * dfyb - yi * dfxb
            aux[A_FX + i] = work[W_FX_MEAN + i]
            aux[A_FXB + i] += dfxb
            aux[A_FYB + i] += dfyb

    # ---- chassis: planar motion of the car, roll, pitch and heave of the sprung mass
    ax_imu = (fx_sum + f_drag) / m
    ay_imu = fy_sum / m
    vx_n = vx + dt * (ax_imu - g * sg + r * vy)
    vy_n = vy + dt * (ay_imu - r * vx)
    r_n = r + dt * mz_sum / vp[P_IZZ]
    p_n = p + dt * (mx_v + h * fy_sum) / vp[P_IXX]
    # the sprung mass's weight acts off the whole car's CG by the unsprung masses' offset: its
    # moment balances that of the static corner preloads, so the body rests level
    my_weight = 2.0 * g * cg * (vp[P_MU_R] * lr - vp[P_MU_F] * lf)
    q_n = q + dt * (my_v + my_weight - h * fx_sum - lf * lift_f + lr * lift_r) / vp[P_IYY]
    w_n = w + dt * (fsum_v + lift_f + lift_r - ms * g * cg) / ms
    psi = x[X_PSI]
    x[X_X] += dt * (vx_n * math.cos(psi) - vy_n * math.sin(psi))
    x[X_Y] += dt * (vx_n * math.sin(psi) + vy_n * math.cos(psi))
    x[X_PSI] = psi + dt * r_n
    x[X_VX] = vx_n
    x[X_VY] = vy_n
    x[X_R] = r_n
    x[X_PHI] = phi + dt * p_n
    x[X_P] = p_n
    x[X_THETA] = theta + dt * q_n
    x[X_Q] = q_n
    x[X_Z] = z + dt * w_n
    x[X_W] = w_n
    # forward travel along the path: sliding backwards takes distance away (distance KPIs, road position)
    ds = dt * math.sqrt(vx_n * vx_n + vy_n * vy_n)
    x[X_S] = s + ds if vx_n >= 0.0 else s - ds

    # ---- tire deflections from the new velocities (implicit in their decay term)
    for i in range(4):
        front = i < 2
        xi, yi = corner_position(i, lf, lr, tf, tr)
        if front:
            vwx, vwy = wheel_plane_velocity(vx_n, vy_n, r_n, xi, yi, delta)
            radius = vp[P_RADIUS_F]
        else:
            vwx, vwy = wheel_plane_velocity(vx_n, vy_n, r_n, xi, yi, 0.0)
            radius = vp[P_RADIUS_R]
        avx = abs(vwx)
        if n_sub == 1:  # (sub-steps have moved the longitudinal deflection already)
            x[X_UX + i] = (x[X_UX + i] + dt * (x[X_OMEGA + i] * radius - vwx)) / (1.0 + dt * avx / work[W_SIG_K + i])
        x[X_UY + i] = (x[X_UY + i] + dt * vwy) / (1.0 + dt * avx / work[W_SIG_A + i])

    # ---- energy bookkeeping [J]
    x[X_E_EXC] += e_exc
    x[X_E_SPIN] += e_spin
    x[X_E_DISC] += e_disc
    x[X_E_CU] += e_cu
    x[X_E_INV] += e_inv
    x[X_E_DRAG] += e_drag
    x[X_E_GEAR] += e_gear
    x[X_E_BRAKE] += e_brake
    x[X_E_SLIP] += e_slip
    x[X_E_ROLL] += e_roll
    x[X_E_DAMPER] += e_damp
    x[X_E_AERO] += -f_drag * vx_n * dt
    x[X_E_AUX] += vp[P_AUX_W] * dt
    x[X_E_GRADE] += m * g * sg * vx_n * dt

    aux[A_AX] = ax_imu
    aux[A_AY] = ay_imu
    aux[A_STEER] = delta
    aux[A_GRADE] = grade
