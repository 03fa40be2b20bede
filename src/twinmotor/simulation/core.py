"""The compiled simulation loop: driver, controller and plant at fixed steps, logging into a
preallocated array, with divergence checks. No Python objects are touched inside the loop.

The controller runs every `ctl_every` plant steps (1 kHz plant, controller at 1 kHz by default).
Built-in controllers are compiled into the loop and chosen by an integer kind; a controller
written in Python runs with kind CTL_HOLD, the Python side calling this loop one controller
period at a time and setting `cmd` in between.
"""

from __future__ import annotations

import math

import numba

from twinmotor.constants import G_M_S2
from twinmotor.control.open_loop import open_loop_step
from twinmotor.control.twin_motor import chassis_control_step
from twinmotor.driver.pursuit import driver_step
from twinmotor.layout import (
    A_AX,
    A_AY,
    A_FZ,
    A_IBATT,
    A_MU,
    A_PCHG,
    A_PDIS,
    A_STEER,
    A_TLIM,
    A_VBATT,
    A_WM,
    CTL_HOLD,
    CTL_OPEN,
    CTL_TWIN_MOTOR,
    D_STEER,
    DP_STOP_AFTER_T,
    DP_STOP_S_ABOVE,
    DP_STOP_V_ABOVE,
    DP_STOP_V_BELOW,
    DP_T_END,
    LOG_FROM_AUX,
    LOG_FROM_CMD,
    LOG_FROM_DRV,
    LOG_FROM_EST,
    LOG_FROM_MEAS,
    LOG_FROM_X,
    LOG_SOURCE,
    M_AX,
    M_AY,
    M_BRAKE_TORQUE,
    M_COUPLING,
    M_IBATT,
    M_MOTOR_LIMIT,
    M_MOTOR_SPEED,
    M_MOTOR_TORQUE,
    M_P_CHG,
    M_P_DIS,
    M_PITCH_RATE,
    M_ROLL_RATE,
    M_SOC,
    M_STEER,
    M_T,
    M_TRUE_FZ,
    M_TRUE_MU,
    M_TRUE_VX,
    M_TRUE_VY,
    M_TRUE_X,
    M_TRUE_Y,
    M_TRUE_YAW,
    M_VBATT,
    M_WHEEL_SPEED,
    M_YAW_RATE,
    N_LOG,
    N_X,
    STATUS_DIVERGED,
    STATUS_END,
    STATUS_STOPPED,
    X_CPL,
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
    X_VX,
    X_VY,
    X_X,
    X_Y,
    X_Z,
)
from twinmotor.sensors import (
    NZ_ACCEL,
    NZ_GYRO,
    NZ_I,
    NZ_STEER,
    NZ_TM,
    NZ_V,
    NZ_WHEEL,
    NZ_WM,
    S_ACTIVE,
    S_ANGLE,
    S_BIAS_AX,
    S_BIAS_AY,
    S_BIAS_GYRO,
    S_BRAKE_GAIN,
    S_EDGE_T,
    S_IMU_X,
    S_IMU_Y,
    S_NOISE_ACCEL,
    S_NOISE_GYRO,
    S_NOISE_I,
    S_NOISE_ROW,
    S_NOISE_TM,
    S_NOISE_V,
    S_NOISE_WHEEL,
    S_NOISE_WM,
    S_POS,
    S_SPEED,
    S_STARTED,
    S_STEER_NOISE,
    S_STEER_RATIO,
    S_STEER_RES,
    S_T_PREV,
    S_TEETH,
    S_TIMEOUT,
    S_TORQUE_GAIN,
    S_YAW_RATE_PREV,
)
from twinmotor.simulation.plant import plant_step

#: runaway limits per state index: |x[i]| beyond these stops the run (see SimulationDiverged)
RUNAWAY = {X_VX: 150.0, X_VY: 60.0, X_R: 12.0, X_PHI: 0.6, X_THETA: 0.5, X_Z: 0.5}
for _c in range(4):
    RUNAWAY[X_OMEGA + _c] = 1500.0


@numba.njit(cache=True)
def tone_wheel_speed(sp, i, omega_true, t, dt):
    """Speed [rad/s] of wheel i as an ABS sensor on a toothed tone wheel reports it: the tooth
    pitch divided by the time between the two latest edges (period measurement), held between
    edges, falling as 1/time once an edge is overdue, zero after the time-out."""
    pitch = 2.0 * math.pi / sp[S_TEETH]
    a0 = sp[S_ANGLE + i]
    a1 = a0 + omega_true * dt
    sp[S_ANGLE + i] = a1
    k0 = math.floor(a0 / pitch)
    k1 = math.floor(a1 / pitch)
    if k1 != k0:
        # the time of the latest edge crossed in this step, by linear interpolation
        edge_angle = (max(k0, k1) if a1 > a0 else min(k0, k1) + 1.0) * pitch
        frac = (edge_angle - a0) / (a1 - a0)
        t_edge = t - dt + frac * dt
        n_edges = abs(k1 - k0)
        t_prev = sp[S_EDGE_T + i]
        if t_edge > t_prev:
            speed = n_edges * pitch / (t_edge - t_prev)
            sp[S_SPEED + i] = speed if a1 > a0 else -speed
        sp[S_EDGE_T + i] = t_edge
    else:
        since = t - sp[S_EDGE_T + i]
        if since > sp[S_TIMEOUT]:
            sp[S_SPEED + i] = 0.0
        elif since > 0.0 and abs(sp[S_SPEED + i]) * since > pitch:
            # an edge is overdue: the wheel is at most one pitch per elapsed time fast
            sp[S_SPEED + i] = math.copysign(pitch / since, sp[S_SPEED + i])
    return sp[S_SPEED + i]


@numba.njit(cache=True)
def sensor_model(sp, hist, noise, meas, x, aux, t):
    """The production sensor set (twinmotor.sensors) applied to the true measurement vector:
    tone-wheel quantisation and jitter, IMU tilt, lever arm, offsets and noise, steering-angle
    quantisation, motor torque and brake torque gain errors, noise on every analogue signal (unit
    normal draws from the row sp[S_NOISE_ROW] of `noise`, channels sensors.NOISE_CHANNELS), then a
    transport delay of sp[S_DELAY] controller steps for the whole vector."""
    first = sp[S_STARTED] == 0.0
    dt = t - sp[S_T_PREV] if not first else 0.0
    if first:
        sp[S_STARTED] = 1.0
        for i in range(4):
            sp[S_ANGLE + i] = 0.0
            sp[S_EDGE_T + i] = t  # angle 0 is on an edge
            sp[S_SPEED + i] = x[X_OMEGA + i]
        sp[S_YAW_RATE_PREV] = x[X_R]
    sp[S_T_PREV] = t
    # the runner hands over a block with a row for every controller step of the chunk
    row = int(sp[S_NOISE_ROW]) % noise.shape[0]
    sp[S_NOISE_ROW] = row + 1
    z = noise[row]
    # wheel speeds
    if sp[S_TEETH] > 0.0 and dt > 0.0:
        for i in range(4):
            meas[M_WHEEL_SPEED + i] = tone_wheel_speed(sp, i, x[X_OMEGA + i], t, dt)
    elif sp[S_TEETH] > 0.0:
        for i in range(4):
            meas[M_WHEEL_SPEED + i] = sp[S_SPEED + i]
    if sp[S_NOISE_WHEEL] > 0.0:
        for i in range(4):
            if meas[M_WHEEL_SPEED + i] != 0.0:
                meas[M_WHEEL_SPEED + i] += sp[S_NOISE_WHEEL] * z[NZ_WHEEL + i]
    # IMU: the lever arm of a sensor off the centre of gravity (yaw acceleration and centripetal
    # terms), offsets, noise
    r = x[X_R]
    r_dot = (r - sp[S_YAW_RATE_PREV]) / dt if dt > 0.0 else 0.0
    sp[S_YAW_RATE_PREV] = r
    dx, dy = sp[S_IMU_X], sp[S_IMU_Y]
    meas[M_AX] += -r_dot * dy - r * r * dx + sp[S_BIAS_AX] + sp[S_NOISE_ACCEL] * z[NZ_ACCEL]
    meas[M_AY] += r_dot * dx - r * r * dy + sp[S_BIAS_AY] + sp[S_NOISE_ACCEL] * z[NZ_ACCEL + 1]
    meas[M_YAW_RATE] += sp[S_BIAS_GYRO] + sp[S_NOISE_GYRO] * z[NZ_GYRO]
    meas[M_ROLL_RATE] += sp[S_BIAS_GYRO + 1] + sp[S_NOISE_GYRO] * z[NZ_GYRO + 1]
    meas[M_PITCH_RATE] += sp[S_BIAS_GYRO + 2] + sp[S_NOISE_GYRO] * z[NZ_GYRO + 2]
    # steering-wheel angle sensor on the column: quantised at the steering wheel
    ratio = sp[S_STEER_RATIO]
    sw = meas[M_STEER] * ratio + sp[S_STEER_NOISE] * z[NZ_STEER]
    if sp[S_STEER_RES] > 0.0:
        sw = sp[S_STEER_RES] * math.floor(sw / sp[S_STEER_RES] + 0.5)
    meas[M_STEER] = sw / ratio
    for a in range(2):
        meas[M_MOTOR_SPEED + a] += sp[S_NOISE_WM] * z[NZ_WM + a]
        meas[M_MOTOR_TORQUE + a] = meas[M_MOTOR_TORQUE + a] * sp[S_TORQUE_GAIN + a] + sp[S_NOISE_TM] * z[NZ_TM + a]
    meas[M_VBATT] += sp[S_NOISE_V] * z[NZ_V]
    meas[M_IBATT] += sp[S_NOISE_I] * z[NZ_I]
    for i in range(4):
        meas[M_BRAKE_TORQUE + i] *= sp[S_BRAKE_GAIN + i]
    n = hist.shape[0]
    if first:
        for k in range(n):
            hist[k, :] = meas
    if n > 1:
        pos = int(sp[S_POS])
        hist[pos, :] = meas
        meas[:] = hist[(pos + 1) % n, :]
        sp[S_POS] = (pos + 1) % n


@numba.njit(cache=True)
def measure(t, x, aux, meas, sp, hist, noise):
    """What the controller sees: sensor values (ideal by default) and a few true values."""
    meas[M_T] = t
    for i in range(4):
        meas[M_WHEEL_SPEED + i] = x[X_OMEGA + i]
        meas[M_TRUE_FZ + i] = aux[A_FZ + i]
        meas[M_TRUE_MU + i] = aux[A_MU + i]
    # an accelerometer on the body measures specific force along the body's axes: gravity tilted by
    # the body's pitch (+ nose down) and roll comes in, with any sensor, ideal or not
    meas[M_AX] = aux[A_AX] - G_M_S2 * math.sin(x[X_THETA])
    meas[M_AY] = aux[A_AY] + G_M_S2 * math.sin(x[X_PHI])
    meas[M_YAW_RATE] = x[X_R]
    meas[M_ROLL_RATE] = x[X_P]
    meas[M_PITCH_RATE] = x[X_Q]
    meas[M_STEER] = aux[A_STEER]
    for a in range(2):
        meas[M_MOTOR_SPEED + a] = aux[A_WM + a]
        meas[M_MOTOR_TORQUE + a] = x[X_TM + a]
        meas[M_MOTOR_LIMIT + a] = aux[A_TLIM + a]
        meas[M_COUPLING + a] = x[X_CPL + a]
    meas[M_SOC] = x[X_SOC]
    meas[M_VBATT] = aux[A_VBATT]
    meas[M_IBATT] = aux[A_IBATT]
    for i in range(4):
        meas[M_BRAKE_TORQUE + i] = x[X_TB + i]
    meas[M_P_DIS] = aux[A_PDIS]
    meas[M_P_CHG] = aux[A_PCHG]
    meas[M_TRUE_VX] = x[X_VX]
    meas[M_TRUE_VY] = x[X_VY]
    meas[M_TRUE_X] = x[X_X]
    meas[M_TRUE_Y] = x[X_Y]
    meas[M_TRUE_YAW] = x[X_PSI]
    if sp[S_ACTIVE] != 0.0:
        sensor_model(sp, hist, noise, meas, x, aux, t)


@numba.njit(cache=True)
def controller_step(kind, ctl_p, ctl_s, meas, drv, dt, cmd, est):
    if kind == CTL_OPEN:
        open_loop_step(ctl_p, ctl_s, meas, drv, dt, cmd, est)
    elif kind == CTL_TWIN_MOTOR:
        chassis_control_step(ctl_p, ctl_s, meas, drv, dt, cmd, est)


@numba.njit(cache=True)
def write_log(row, t, x, aux, drv, cmd, est, meas):
    """One log row, each column copied from the array and index that layout.LOG_TABLE names."""
    for k in range(N_LOG):
        src = LOG_SOURCE[k, 0]
        i = LOG_SOURCE[k, 1]
        if src == LOG_FROM_X:
            row[k] = x[i]
        elif src == LOG_FROM_AUX:
            row[k] = aux[i]
        elif src == LOG_FROM_DRV:
            row[k] = drv[i]
        elif src == LOG_FROM_CMD:
            row[k] = cmd[i]
        elif src == LOG_FROM_EST:
            row[k] = est[i]
        elif src == LOG_FROM_MEAS:
            row[k] = meas[i]
        else:
            row[k] = t


@numba.njit(cache=True)
def check_state(x, runaway_idx, runaway_lim):
    """-1 if the state is finite and within its runaway limits, else the offending state index."""
    for i in range(N_X):
        if not math.isfinite(x[i]):
            return i
    for k in range(runaway_idx.shape[0]):
        if abs(x[runaway_idx[k]]) > runaway_lim[k]:
            return runaway_idx[k]
    return -1


#: the loop releases Python's GIL while it runs (it touches no Python object): other threads, a
#: Dask worker's heartbeat or a timer that sends Ctrl-C, keep running during a long chunk
@numba.njit(cache=True, nogil=True)
def run(x, vp, tp_f, tp_r, mc_f, mc_r, bc, road,
        drv_kind, drv_p, drv_tab, path, ctl_kind, ctl_p, ctl_s,
        cmd, drv, meas, aux, est, work, dt, ctl_every, step0, n_steps, log_every, log, row0,
        runaway_idx, runaway_lim, sp, hist, noise):
    """Run up to n_steps plant steps from step number step0. Returns (rows_logged, status,
    state_index, steps_done); status is STATUS_END (all steps done), STATUS_STOPPED (the test's
    stop condition met) or STATUS_DIVERGED (state_index says which state)."""
    row = row0
    ctl_dt = dt * ctl_every
    for k in range(n_steps):
        n = step0 + k
        t = n * dt
        if ctl_kind != CTL_HOLD and n % ctl_every == 0:
            measure(t, x, aux, meas, sp, hist, noise)
            driver_step(drv_kind, drv_p, drv_tab, path, t, meas, ctl_dt, drv)
            controller_step(ctl_kind, ctl_p, ctl_s, meas, drv, ctl_dt, cmd, est)
        plant_step(x, vp, tp_f, tp_r, mc_f, mc_r, bc, road, cmd, drv[D_STEER], dt, aux, work)
        bad = check_state(x, runaway_idx, runaway_lim)
        t_new = (n + 1) * dt
        logged = False
        if (n + 1) % log_every == 0 and row < log.shape[0]:
            write_log(log[row], t_new, x, aux, drv, cmd, est, meas)
            row += 1
            logged = True
        status = -1
        if bad >= 0:
            status = STATUS_DIVERGED
        elif (t_new >= drv_p[DP_T_END] - 0.5 * dt
              or (x[X_VX] >= drv_p[DP_STOP_V_ABOVE] and x[X_S] >= drv_p[DP_STOP_S_ABOVE])
              or (t_new >= drv_p[DP_STOP_AFTER_T] and x[X_VX] <= drv_p[DP_STOP_V_BELOW])):
            status = STATUS_STOPPED
        if status >= 0:
            if not logged and row < log.shape[0]:  # the last state is always logged
                write_log(log[row], t_new, x, aux, drv, cmd, est, meas)
                row += 1
            return row, status, bad, k + 1
    return row, STATUS_END, -1, n_steps
