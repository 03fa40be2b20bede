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
    CP_BETA_GAIN, CP_BETA_LIM, CP_BMAX_F, CP_BMAX_R, CP_ESC_DB, CP_ESC_KP, CP_G, CP_KUS, CP_RF, CP_RR, CP_TF,
    CP_TR, CP_WB,
)

#: share of the friction limit the reference yaw rate may ask for (margin for the sideslip)
YAW_RATE_MU_MARGIN = 0.85


@numba.njit(cache=True)
def reference_yaw_rate(p, v: float, steer: float, mu: float) -> float:
    """Yaw rate [rad/s] the driver intends: steady-state single-track response
    r = v delta / (L + K_us v^2), limited to |r| <= 0.85 mu g / v (the lateral acceleration the
    road allows)."""
    den = p[CP_WB] + p[CP_KUS] * v * v
    r = v * steer / den if den > 1e-6 else 0.0
    if v > 1.0:
        r_max = YAW_RATE_MU_MARGIN * mu * p[CP_G] / v
        r = min(max(r, -r_max), r_max)
    return r


@numba.njit(cache=True)
def yaw_moment_demand(p, r_ref: float, r: float, beta: float) -> float:
    """Corrective yaw moment [N m]: proportional to the yaw-rate error beyond a dead band, plus a
    sideslip term that grows once |beta| exceeds its limit (it always turns the car back toward
    its direction of travel)."""
    err = r_ref - r
    db = p[CP_ESC_DB]
    mz = 0.0
    if abs(err) > db:
        mz = p[CP_ESC_KP] * (err - math.copysign(db, err))
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


@numba.njit(cache=True)
def yaw_split_shift(p, gain: float, r_ref: float, r: float) -> float:
    """Change of front share (-0.5..0.5) from the yaw-rate error: understeer (|r| < |r_ref|) moves
    drive torque rearward, freeing front grip for cornering; oversteer moves it forward."""
    if abs(r_ref) < 1e-3 and abs(r) < 1e-3:
        return 0.0
    direction = 1.0 if (r_ref if abs(r_ref) > 1e-3 else r) > 0.0 else -1.0
    under = (r_ref - r) * direction  # > 0: turning less than intended
    return min(max(-gain * under, -0.5), 0.5)
