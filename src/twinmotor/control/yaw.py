"""Yaw control: the driver's intended yaw rate, the corrective yaw moment, and how to make it
with single-wheel braking and with the front/rear torque split.

References:
- Rajamani, Vehicle Dynamics and Control, 2nd ed. (2012), sect. 8.2-8.5 (reference yaw rate
  from the single-track model, saturated by friction; differential braking).
- van Zanten, Bosch ESP Systems: 5 Years of Experience, SAE 2000-01-1633 (brake the outer front
  wheel against oversteer, the inner rear against understeer; limit sideslip).
"""

from __future__ import annotations

import math

import numba

from twinmotor.control.params import (
    CP_BETA_GAIN,
    CP_BETA_LIM,
    CP_BMAX_F,
    CP_BMAX_R,
    CP_ESC_DB,
    CP_ESC_KP,
    CP_G,
    CP_KUS,
    CP_RF,
    CP_RR,
    CP_TF,
    CP_TR,
    CP_WB,
    CP_YAW_KI,
)
from twinmotor.models.single_track import steady_yaw_rate

#: share of the friction limit the reference yaw rate may ask for (margin for the sideslip)
YAW_RATE_MU_MARGIN = 0.85


@numba.njit(cache=True)
def reference_yaw_rate(p, v: float, steer: float, mu: float) -> float:
    """Yaw rate [rad/s] the driver intends: steady-state single-track response
    r = v delta / (L + K_us v^2), limited to |r| <= 0.85 mu g / v (the lateral acceleration the
    road allows)."""
    r = steady_yaw_rate(p[CP_WB], p[CP_KUS], v, steer)
    if v > 1.0:
        r_max = YAW_RATE_MU_MARGIN * mu * p[CP_G] / v
        r = min(max(r, -r_max), r_max)
    return r


#: largest accumulated yaw-rate error [rad] the heading-hold integrator keeps (anti-windup)
YAW_INTEGRAL_LIMIT = 0.2
#: the heading hold (integral) works only while the driver asks for (nearly) straight running [rad/s]
HEADING_HOLD_MAX_YAW_RATE = 0.02
#: time constant [s] with which the heading hold lets go when the driver turns
HEADING_HOLD_RELEASE_S = 0.3


@numba.njit(cache=True)
def yaw_moment_demand(p, s, i_int: int, r_ref: float, r: float, beta: float, dt: float) -> float:
    """Corrective yaw moment [N m]: proportional to the yaw-rate error beyond a dead band, plus an
    integral of the error while the driver asks for straight running (heading hold, with
    `yaw_ki_nm_rad`; its state in s[i_int]) and a
    sideslip term that grows once |beta| exceeds its limit (it always turns the car back toward its
    direction of travel)."""
    err = r_ref - r
    db = p[CP_ESC_DB]
    mz = 0.0
    if abs(err) > db:
        mz = p[CP_ESC_KP] * (err - math.copysign(db, err))
    if p[CP_YAW_KI] > 0.0:
        if abs(r_ref) < HEADING_HOLD_MAX_YAW_RATE:
            s[i_int] = min(max(s[i_int] + err * dt, -YAW_INTEGRAL_LIMIT), YAW_INTEGRAL_LIMIT)
        else:  # cornering: the heading hold lets go
            s[i_int] *= 1.0 - min(dt / HEADING_HOLD_RELEASE_S, 1.0)
        mz += p[CP_YAW_KI] * s[i_int]
    lim = p[CP_BETA_LIM]
    if abs(beta) > lim:
        mz += p[CP_BETA_GAIN] * (beta - math.copysign(lim, beta))
    return mz


@numba.njit(cache=True)
def yaw_brake_torques(p, mz: float, r: float, out) -> None:
    """Brake torques [N m] on single wheels (fl, fr, rl, rr, added into `out`) making yaw moment
    `mz`: against oversteer (mz opposing r) brake the outer front wheel, against understeer the
    inner rear wheel. A braking force dF on one side gives dF * t / 2 of yaw moment."""
    if mz == 0.0:
        return
    oversteer = mz * r < 0.0
    left = mz > 0.0  # a positive (left) moment needs braking on the left side
    if oversteer:
        i = 0 if left else 1
        half_track = 0.5 * p[CP_TF]
        torque = abs(mz) / half_track * p[CP_RF]
        out[i] += min(torque, p[CP_BMAX_F])
    else:
        i = 2 if left else 3
        half_track = 0.5 * p[CP_TR]
        torque = abs(mz) / half_track * p[CP_RR]
        out[i] += min(torque, p[CP_BMAX_R])


#: yaw-rate error [rad/s] the split shift ignores: about three times the typical gyroscope's noise
#: (0.003 rad/s RMS, twinmotor.sensors), so running straight the secondary motor is not handed
#: crumbs of torque by sensor noise (an induction or wound-rotor motor would stay excited for them)
YAW_SPLIT_DEADBAND_RAD_S = 0.01


@numba.njit(cache=True)
def yaw_split_shift(p, gain: float, r_ref: float, r: float) -> float:
    """Change of front share (-0.5..0.5) from the yaw-rate error beyond YAW_SPLIT_DEADBAND_RAD_S:
    understeer (|r| < |r_ref|) moves drive torque rearward, freeing front grip for cornering;
    oversteer moves it forward."""
    if abs(r_ref) < 1e-3 and abs(r) < 1e-3:
        return 0.0
    direction = 1.0 if (r_ref if abs(r_ref) > 1e-3 else r) > 0.0 else -1.0
    under = (r_ref - r) * direction  # > 0: turning less than intended
    if abs(under) <= YAW_SPLIT_DEADBAND_RAD_S:
        return 0.0
    under -= math.copysign(YAW_SPLIT_DEADBAND_RAD_S, under)
    return min(max(-gain * under, -0.5), 0.5)


@numba.njit(cache=True)
def yaw_brake_release(p, mz: float, brakes) -> float:
    """While braking, make yaw moment `mz` [N m] by releasing brake torque on the side that pushes
    the car the wrong way (the high-friction side on split-mu), front wheel first, but never below
    the other side's torque (equal braking makes no yaw moment): a released braking force dF on one
    side gives dF * t / 2 of yaw moment. `brakes` (fl, fr, rl, rr) in place. Returns the yaw moment
    [N m] still wanted (same sign as mz), for single-wheel braking to supply."""
    if mz == 0.0:
        return 0.0
    # a positive (left) moment needs less braking on the right
    i_front = 1 if mz > 0.0 else 0
    need_f = abs(mz) / (0.5 * p[CP_TF]) * p[CP_RF]
    room_f = max(brakes[i_front] - brakes[1 - i_front], 0.0)
    take = min(need_f, room_f)
    brakes[i_front] -= take
    left_over = (need_f - take) / p[CP_RF] * (0.5 * p[CP_TF])  # [N m] of yaw moment still wanted
    if left_over > 0.0:
        i_rear = i_front + 2
        need_r = left_over / (0.5 * p[CP_TR]) * p[CP_RR]
        room_r = max(brakes[i_rear] - brakes[5 - i_rear], 0.0)
        take_r = min(need_r, room_r)
        brakes[i_rear] -= take_r
        left_over = (need_r - take_r) / p[CP_RR] * (0.5 * p[CP_TR])
    return math.copysign(left_over, mz)
