"""Driver models, compiled: what the test's driver does with the pedals and the steering wheel.

- table driver: throttle, brake pedal and road-wheel steer angle interpolated in time (open loop);
  used by the standard tests whose procedure prescribes the inputs (full throttle, full brake,
  sine-with-dwell steering).
- speed driver: follows a target speed with feed-forward plus PI feedback, the way a test driver
  follows a drive-cycle trace; steer from the table.
- path driver: steers along a path (a polyline x, y with its arc length) by pure pursuit (Coulter, Implementation of the Pure
  Pursuit Path Tracking Algorithm, CMU-RI-TR-92-01, 1992): aim at the path point a preview
  distance ahead, steer delta = atan(2 L sin(alpha) / L_d), with the steering rate limited as a
  human driver's is. Combined with the table's pedals or with speed tracking.

Table columns: time_s, throttle (0-1), brake (0-1), steer_rad (road wheel), target_speed_m_s.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from twinmotor.layout import (
    D_BRAKE,
    D_STEER,
    D_TARGET_SPEED,
    D_THROTTLE,
    DP_BRAKE_FF,
    DP_KI,
    DP_KP,
    DP_PATH_INDEX,
    DP_PREVIEW_MIN,
    DP_PREVIEW_S,
    DP_SPEED_INT,
    DP_STEER_RATE,
    DP_STEER_STATE,
    DP_THROTTLE_FF,
    DP_WHEELBASE,
    DRIVER_PATH,
    DRIVER_SPEED,
    M_TRUE_VX,
    M_TRUE_X,
    M_TRUE_Y,
    M_TRUE_YAW,
)

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("coulter1992implementation",)

TABLE_COLUMNS = ("time_s", "throttle", "brake", "steer_rad", "target_speed_m_s")


@numba.njit(cache=True)
def table_index(tab: np.ndarray, t: float) -> tuple[int, float]:
    """Row k and weight a such that time t [s] lies between rows k and k+1 (a in [0, 1]), held
    at the ends of the table."""
    n = tab.shape[0]
    if t <= tab[0, 0] or n == 1:
        return 0, 0.0
    if t >= tab[n - 1, 0]:
        return n - 2, 1.0
    k = np.searchsorted(tab[:, 0], t) - 1
    t0 = tab[k, 0]
    t1 = tab[k + 1, 0]
    return k, ((t - t0) / (t1 - t0) if t1 > t0 else 1.0)


@numba.njit(cache=True, inline="always")
def table_value(tab: np.ndarray, k: int, a: float, col: int) -> float:
    if tab.shape[0] == 1:
        return tab[0, col]
    return tab[k, col] + a * (tab[k + 1, col] - tab[k, col])


@numba.njit(cache=True)
def interp_row(tab: np.ndarray, t: float, col: int) -> float:
    """Linear interpolation of column `col` of a time table at time t [s], held at the ends."""
    k, a = table_index(tab, t)
    return table_value(tab, k, a, col)


@numba.njit(cache=True)
def path_point(path: np.ndarray, s: float, k0: int) -> tuple[float, float, int]:
    """Point (x, y) [m] of the polyline path at arc length s [m] (held at the ends), searching
    forward from segment k0; returns the segment index too. Path columns: x_m, y_m, s_m."""
    n = path.shape[0]
    if n == 1 or s <= path[0, 2]:
        return path[0, 0], path[0, 1], 0
    k = min(max(k0, 0), n - 2)
    while k > 0 and path[k, 2] > s:
        k -= 1
    while k < n - 2 and path[k + 1, 2] < s:
        k += 1
    ds = path[k + 1, 2] - path[k, 2]
    a = min(max((s - path[k, 2]) / ds, 0.0), 1.0) if ds > 0.0 else 0.0
    return path[k, 0] + a * (path[k + 1, 0] - path[k, 0]), path[k, 1] + a * (path[k + 1, 1] - path[k, 1]), k


@numba.njit(cache=True)
def closest_arc_length(path: np.ndarray, x: float, y: float, k0: int) -> tuple[float, int]:
    """Arc length [m] of the path point closest to (x, y), searching the segments near k0 (the car
    moves along the path, so the search window follows it); returns the segment index too."""
    n = path.shape[0]
    if n == 1:
        return 0.0, 0
    best_d = 1e300
    best_s = 0.0
    best_k = k0
    lo = max(k0 - 2, 0)
    hi = min(k0 + 50, n - 1)
    for k in range(lo, hi):
        x0, y0 = path[k, 0], path[k, 1]
        dx, dy = path[k + 1, 0] - x0, path[k + 1, 1] - y0
        l2 = dx * dx + dy * dy
        a = min(max(((x - x0) * dx + (y - y0) * dy) / l2, 0.0), 1.0) if l2 > 0.0 else 0.0
        px, py = x0 + a * dx, y0 + a * dy
        d = (x - px) ** 2 + (y - py) ** 2
        if d < best_d:
            best_d = d
            best_s = path[k, 2] + a * (path[k + 1, 2] - path[k, 2])
            best_k = k
    return best_s, best_k


@numba.njit(cache=True)
def pure_pursuit_steer(p: np.ndarray, path: np.ndarray, meas: np.ndarray, dt: float) -> float:
    """Road-wheel steer [rad] toward the path point a preview distance ahead along the path,
    rate-limited like a human driver's hands."""
    x = meas[M_TRUE_X]
    y = meas[M_TRUE_Y]
    yaw = meas[M_TRUE_YAW]
    ld = max(p[DP_PREVIEW_S] * abs(meas[M_TRUE_VX]), p[DP_PREVIEW_MIN])
    s_c, k = closest_arc_length(path, x, y, int(p[DP_PATH_INDEX]))
    p[DP_PATH_INDEX] = k
    xt, yt, _k = path_point(path, s_c + ld, k)
    alpha = math.atan2(yt - y, xt - x) - yaw
    alpha = math.atan2(math.sin(alpha), math.cos(alpha))
    dist = max(math.hypot(xt - x, yt - y), 1e-3)
    target = math.atan(2.0 * p[DP_WHEELBASE] * math.sin(alpha) / dist)
    step = p[DP_STEER_RATE] * dt
    prev = p[DP_STEER_STATE]
    steer = prev + min(max(target - prev, -step), step)
    p[DP_STEER_STATE] = steer
    return steer


@numba.njit(cache=True)
def driver_step(kind: int, p: np.ndarray, tab: np.ndarray, path: np.ndarray, t: float, meas: np.ndarray,
                dt: float, out: np.ndarray) -> None:
    """Write the driver's inputs at time t [s] into `out` (throttle, brake, steer_rad, target speed)."""
    k, a = table_index(tab, t)
    if kind >= DRIVER_PATH:
        out[D_STEER] = pure_pursuit_steer(p, path, meas, dt)
    else:
        out[D_STEER] = table_value(tab, k, a, 3)
    out[D_TARGET_SPEED] = table_value(tab, k, a, 4)
    if kind == DRIVER_SPEED or kind == DRIVER_PATH + DRIVER_SPEED:
        v_ref = out[D_TARGET_SPEED]
        v_next = interp_row(tab, t + 1.0, 4)
        a_ff = v_next - v_ref  # look one second ahead: the driver sees the trace coming
        err = v_ref - meas[M_TRUE_VX]
        p[DP_SPEED_INT] = min(max(p[DP_SPEED_INT] + p[DP_KI] * err * dt, -1.0), 1.0)
        u = p[DP_KP] * err + p[DP_SPEED_INT] + (p[DP_THROTTLE_FF] if a_ff >= 0 else p[DP_BRAKE_FF]) * a_ff
        out[D_THROTTLE] = min(max(u, 0.0), 1.0)
        out[D_BRAKE] = min(max(-u, 0.0), 1.0)
    else:
        out[D_THROTTLE] = min(max(table_value(tab, k, a, 1), 0.0), 1.0)
        out[D_BRAKE] = min(max(table_value(tab, k, a, 2), 0.0), 1.0)
