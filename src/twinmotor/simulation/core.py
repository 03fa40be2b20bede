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
import numpy as np

from twinmotor.control.open_loop import open_loop_step
from twinmotor.control.twin_motor import chassis_control_step
from twinmotor.driver import driver_step
from twinmotor.sensors import S_DELAY, S_NOISE_ACCEL, S_NOISE_GYRO, S_NOISE_WHEEL, S_POS, S_SEED, S_STARTED
from twinmotor.simulation.layout import (
    A_AX, A_AY, A_FX, A_FY, A_FZ, A_IBATT, A_KAPPA, A_ALPHA, A_MU, A_PBATT, A_PCHG, A_PDIS, A_PM,
    A_STEER, A_TLIM, A_VBATT, A_WM,
    C_TB, C_TM_F, D_BRAKE, D_STEER, D_THROTTLE,
    DP_STOP_AFTER_T, DP_STOP_S_ABOVE, DP_STOP_V_ABOVE, DP_STOP_V_BELOW, DP_T_END,
    M_AX, M_AY, M_MOTOR_LIMIT, M_MOTOR_SPEED, M_MOTOR_TORQUE, M_P_CHG, M_P_DIS, M_PITCH_RATE,
    M_ROLL_RATE, M_SOC, M_STEER, M_T, M_TRUE_FZ, M_TRUE_MU, M_TRUE_VX, M_TRUE_VY, M_VBATT,
    M_TRUE_X, M_TRUE_Y, M_TRUE_YAW, M_WHEEL_SPEED, M_YAW_RATE,
    N_X, STATUS_DIVERGED, STATUS_END, STATUS_STOPPED,
    X_E_CHEM, X_E_REGEN, X_OMEGA, X_P, X_PHI, X_PSI, X_Q, X_R, X_S, X_SOC, X_TB, X_THETA, X_TM, X_VX,
    X_VY, X_X, X_Y, X_Z,
)
from twinmotor.simulation.plant import plant_step

CTL_HOLD = -1
CTL_OPEN = 0
CTL_TWIN_MOTOR = 1

#: runaway limits per state index: |x[i]| beyond these stops the run (see SimulationDiverged)
RUNAWAY = {X_VX: 150.0, X_VY: 60.0, X_R: 12.0, X_PHI: 0.6, X_THETA: 0.5, X_Z: 0.5}
for _c in range(4):
    RUNAWAY[X_OMEGA + _c] = 1500.0


@numba.njit(cache=True)
def sensor_model(sp, hist, meas):
    """Noise on wheel speeds, accelerations and rates, then a transport delay of sp[S_DELAY]
    controller steps for the whole measurement vector (see twinmotor.sensors)."""
    if sp[S_STARTED] == 0.0:
        np.random.seed(int(sp[S_SEED]))
        sp[S_STARTED] = 1.0
        for k in range(hist.shape[0]):
            hist[k, :] = meas
    if sp[S_NOISE_WHEEL] > 0.0:
        for i in range(4):
            meas[M_WHEEL_SPEED + i] += sp[S_NOISE_WHEEL] * np.random.normal()
    if sp[S_NOISE_ACCEL] > 0.0:
        meas[M_AX] += sp[S_NOISE_ACCEL] * np.random.normal()
        meas[M_AY] += sp[S_NOISE_ACCEL] * np.random.normal()
    if sp[S_NOISE_GYRO] > 0.0:
        meas[M_YAW_RATE] += sp[S_NOISE_GYRO] * np.random.normal()
        meas[M_ROLL_RATE] += sp[S_NOISE_GYRO] * np.random.normal()
        meas[M_PITCH_RATE] += sp[S_NOISE_GYRO] * np.random.normal()
    n = hist.shape[0]
    if n > 1:
        pos = int(sp[S_POS])
        hist[pos, :] = meas
        meas[:] = hist[(pos + 1) % n, :]
        sp[S_POS] = (pos + 1) % n


@numba.njit(cache=True)
def measure(t, x, aux, meas, sp, hist):
    """What the controller sees: sensor values (ideal by default) and a few true values."""
    meas[M_T] = t
    for i in range(4):
        meas[M_WHEEL_SPEED + i] = x[X_OMEGA + i]
        meas[M_TRUE_FZ + i] = aux[A_FZ + i]
        meas[M_TRUE_MU + i] = aux[A_MU + i]
    meas[M_AX] = aux[A_AX]
    meas[M_AY] = aux[A_AY]
    meas[M_YAW_RATE] = x[X_R]
    meas[M_ROLL_RATE] = x[X_P]
    meas[M_PITCH_RATE] = x[X_Q]
    meas[M_STEER] = aux[A_STEER]
    for a in range(2):
        meas[M_MOTOR_SPEED + a] = aux[A_WM + a]
        meas[M_MOTOR_TORQUE + a] = x[X_TM + a]
        meas[M_MOTOR_LIMIT + a] = aux[A_TLIM + a]
    meas[M_SOC] = x[X_SOC]
    meas[M_VBATT] = aux[A_VBATT]
    meas[M_P_DIS] = aux[A_PDIS]
    meas[M_P_CHG] = aux[A_PCHG]
    meas[M_TRUE_VX] = x[X_VX]
    meas[M_TRUE_VY] = x[X_VY]
    meas[M_TRUE_X] = x[X_X]
    meas[M_TRUE_Y] = x[X_Y]
    meas[M_TRUE_YAW] = x[X_PSI]
    if sp[S_NOISE_WHEEL] > 0.0 or sp[S_NOISE_ACCEL] > 0.0 or sp[S_NOISE_GYRO] > 0.0 or hist.shape[0] > 1:
        sensor_model(sp, hist, meas)


@numba.njit(cache=True)
def controller_step(kind, ctl_p, ctl_s, meas, drv, dt, cmd):
    if kind == CTL_OPEN:
        open_loop_step(ctl_p, ctl_s, meas, drv, dt, cmd)
    elif kind == CTL_TWIN_MOTOR:
        chassis_control_step(ctl_p, ctl_s, meas, drv, dt, cmd)


@numba.njit(cache=True)
def write_log(row, t, x, aux, drv, cmd):
    row[0] = t
    row[1] = x[X_X]
    row[2] = x[X_Y]
    row[3] = x[X_PSI]
    row[4] = x[X_VX]
    row[5] = x[X_VY]
    row[6] = x[X_R]
    row[7] = aux[A_AX]
    row[8] = aux[A_AY]
    row[9] = x[X_PHI]
    row[10] = x[X_P]
    row[11] = x[X_THETA]
    row[12] = x[X_Q]
    row[13] = x[X_Z]
    row[14] = x[X_S]
    row[15] = aux[A_STEER]
    row[16] = drv[D_THROTTLE]
    row[17] = drv[D_BRAKE]
    for i in range(4):
        row[18 + i] = x[X_OMEGA + i]
        row[22 + i] = aux[A_KAPPA + i]
        row[26 + i] = aux[A_ALPHA + i]
        row[30 + i] = aux[A_FX + i]
        row[34 + i] = aux[A_FY + i]
        row[38 + i] = aux[A_FZ + i]
        row[42 + i] = aux[A_MU + i]
    row[46] = cmd[C_TM_F]
    row[47] = cmd[C_TM_F + 1]
    row[48] = x[X_TM]
    row[49] = x[X_TM + 1]
    row[50] = aux[A_WM]
    row[51] = aux[A_WM + 1]
    row[52] = aux[A_PM]
    row[53] = aux[A_PM + 1]
    for i in range(4):
        row[54 + i] = x[X_TB + i]
    row[58] = aux[A_PBATT]
    row[59] = aux[A_IBATT]
    row[60] = aux[A_VBATT]
    row[61] = x[X_SOC]
    row[62] = x[X_E_CHEM]
    row[63] = x[X_E_REGEN]


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


@numba.njit(cache=True)
def run(x, vp, tp_f, tp_r, mc_f, mc_r, bc, road,
        drv_kind, drv_p, drv_tab, path, ctl_kind, ctl_p, ctl_s,
        cmd, drv, meas, aux, work, dt, ctl_every, step0, n_steps, log_every, log, row0,
        runaway_idx, runaway_lim, sp, hist):
    """Run up to n_steps plant steps from step number step0. Returns (rows_logged, status,
    state_index, steps_done); status is STATUS_END (all steps done), STATUS_STOPPED (the test's
    stop condition met) or STATUS_DIVERGED (state_index says which state)."""
    row = row0
    ctl_dt = dt * ctl_every
    for k in range(n_steps):
        n = step0 + k
        t = n * dt
        if ctl_kind != CTL_HOLD and n % ctl_every == 0:
            measure(t, x, aux, meas, sp, hist)
            driver_step(drv_kind, drv_p, drv_tab, path, t, meas, ctl_dt, drv)
            controller_step(ctl_kind, ctl_p, ctl_s, meas, drv, ctl_dt, cmd)
        plant_step(x, vp, tp_f, tp_r, mc_f, mc_r, bc, road, cmd, drv[D_STEER], dt, aux, work)
        bad = check_state(x, runaway_idx, runaway_lim)
        t_new = (n + 1) * dt
        logged = False
        if (n + 1) % log_every == 0 and row < log.shape[0]:
            write_log(log[row], t_new, x, aux, drv, cmd)
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
                write_log(log[row], t_new, x, aux, drv, cmd)
                row += 1
            return row, status, bad, k + 1
    return row, STATUS_END, -1, n_steps
