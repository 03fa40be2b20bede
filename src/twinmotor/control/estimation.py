"""State estimation from what the car measures: speed, sideslip, road friction, tire loads.

- Speed and sideslip: ideal measurements by default (the true values the simulator provides,
  standing in for a well-tuned kinematic estimator fusing wheel speeds, IMU and steering).
- Tire loads: estimated, as a real controller does, from the measured accelerations with the
  static load transfer formulas (Gillespie eqs. 2-4 and 2-11): axle loads
  Fz_f = m (g lr - ax h) / L, Fz_r = m (g lf + ax h) / L, each side +- m ay h / t times the axle's
  share of roll stiffness (taken as the axle's static load share).
- Road friction: the tire's peak friction at nominal load times the road's friction scale under
  the wheels (`mu_estimate` = 1, ideal friction estimation), or the dry value (`mu_estimate` = 0).
"""

from __future__ import annotations

import math

import numba

from twinmotor.control.params import (
    CP_G,
    CP_H,
    CP_LF,
    CP_LR,
    CP_MASS,
    CP_MU_EST,
    CP_MU_F,
    CP_MU_R,
    CP_TF,
    CP_TR,
    CP_WB,
)
from twinmotor.layout import M_AX, M_AY, M_TRUE_MU, M_TRUE_VX, M_TRUE_VY

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("gustafsson1997slip",)


@numba.njit(cache=True)
def speed_and_sideslip(meas) -> tuple[float, float, float]:
    """Longitudinal and lateral speed [m/s] and sideslip angle [rad] at the centre of gravity."""
    vx = meas[M_TRUE_VX]
    vy = meas[M_TRUE_VY]
    beta = math.atan2(vy, abs(vx)) if abs(vx) > 0.5 else 0.0
    return vx, vy, beta


@numba.njit(cache=True)
def road_friction(p, meas) -> float:
    """Peak friction coefficient of the road under the car [-] (lowest of the two axles' tires)."""
    mu_tire = min(p[CP_MU_F], p[CP_MU_R])
    if p[CP_MU_EST] < 0.5:
        return mu_tire
    scale = 0.25 * (meas[M_TRUE_MU] + meas[M_TRUE_MU + 1] + meas[M_TRUE_MU + 2] + meas[M_TRUE_MU + 3])
    return mu_tire * scale


@numba.njit(cache=True)
def side_friction(p, meas, left: bool) -> float:
    """Peak friction under the left or right wheels [-] (split-mu roads)."""
    mu_tire = min(p[CP_MU_F], p[CP_MU_R])
    if p[CP_MU_EST] < 0.5:
        return mu_tire
    k = 0 if left else 1
    return mu_tire * 0.5 * (meas[M_TRUE_MU + k] + meas[M_TRUE_MU + 2 + k])


@numba.njit(cache=True)
def axle_loads(p, ax: float) -> tuple[float, float]:
    """Front and rear axle loads [N] under longitudinal acceleration ax [m/s^2] (static formula)."""
    m = p[CP_MASS]
    g = p[CP_G]
    h = p[CP_H]
    wb = p[CP_WB]
    return m * (g * p[CP_LR] - ax * h) / wb, m * (g * p[CP_LF] + ax * h) / wb


@numba.njit(cache=True)
def wheel_loads(p, meas, out) -> None:
    """Estimated load [N] of each wheel (fl, fr, rl, rr) into `out` from the measured ax, ay."""
    ax = meas[M_AX]
    ay = meas[M_AY]
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
