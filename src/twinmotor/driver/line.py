"""The line a competent driver aims for through a course of lanes: the least peak curvature that
keeps the car's footprint inside every lane (a linear programme).

Used by the ISO 3888-2 lane change (twinmotor.procedures.lane_change), and by any course given as
lanes (x_start_m, x_end_m, y_left_m, y_right_m).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from twinmotor.errors import ParameterError


@lru_cache(maxsize=32)
def _optimal_line_cached(lanes: tuple, width_m: float, length_m: float, clearance_m: float, x_start_m: float,
                         x_end_m: float, straight_until_m: float, step_m: float) -> tuple:
    from scipy import sparse
    from scipy.optimize import linprog

    w, half = width_m, 0.5 * length_m
    xs = np.arange(x_start_m, x_end_m + 1e-9, step_m)
    n = xs.size
    h = step_m
    rows, cols, vals, rhs = [], [], [], []

    def add(entries, b):
        r = len(rhs)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        rhs.append(b)

    k2 = 1.0 / (h * h)
    for i in range(1, n - 1):
        add([(i - 1, k2), (i, -2 * k2), (i + 1, k2), (n, -1.0)], 0.0)
        add([(i - 1, -k2), (i, 2 * k2), (i + 1, -k2), (n, -1.0)], 0.0)
        for xs_lane, xe_lane, yl, yr in lanes:
            d_lo, d_hi = max(-half, xs_lane - xs[i]), min(half, xe_lane - xs[i])
            if d_lo > d_hi:
                continue
            for d in {d_lo, d_hi}:
                side = [(i, 1.0), (i + 1, d / (2 * h)), (i - 1, -d / (2 * h))]
                add(side, yl - clearance_m - 0.5 * w)
                add([(c, -v) for c, v in side], -(yr + clearance_m + 0.5 * w))
    a_ub = sparse.csr_matrix((vals, (rows, cols)), shape=(len(rhs), n + 1))
    eq_rows, eq_cols, eq_vals, eq_rhs = [], [], [], []
    for i in np.flatnonzero(xs <= straight_until_m):
        eq_rows.append(len(eq_rhs))
        eq_cols.append(int(i))
        eq_vals.append(1.0)
        eq_rhs.append(0.0)
    for i in (n - 2, n - 1):
        r = len(eq_rhs)
        eq_rows += [r, r]
        eq_cols += [i, n - 3]
        eq_vals += [1.0, -1.0]
        eq_rhs.append(0.0)
    a_eq = sparse.csr_matrix((eq_vals, (eq_rows, eq_cols)), shape=(len(eq_rhs), n + 1))
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    res = linprog(cost, A_ub=a_ub, b_ub=np.array(rhs), A_eq=a_eq, b_eq=np.array(eq_rhs),
                  bounds=[(None, None)] * n + [(0.0, None)], method="highs")
    if res.status != 0:
        raise ParameterError(
            f"clearance_m = {clearance_m!r}: no line keeps a {length_m} m x {width_m} m car that far inside the "
            "lanes; use a smaller clearance (allowed 0 to 0.3 m)")
    return xs, res.x[:n].copy(), float(res.x[n])


def optimal_line(lanes, width_m: float, length_m: float, clearance_m: float, x_start_m: float, x_end_m: float,
                 straight_until_m: float, step_m: float = 0.5) -> tuple[np.ndarray, np.ndarray, float]:
    """The line a competent driver aims the centre of gravity along: the least peak curvature that
    keeps the car's footprint `clearance_m` [m] inside the lanes.

    Linear programme on nodes x_i every `step_m` [m] from `x_start_m` to `x_end_m` [m], unknowns the
    lateral positions y_i [m] and the peak curvature k [1/m]:

        minimise k  subject to  |y_(i-1) - 2 y_i + y_(i+1)| / dx^2 <= k
        y_i + d (y_(i+1) - y_(i-1)) / (2 dx) +- w/2  inside the lane limits, clearance_m in from them,
        for the body points at distance d ahead of the CG that lie in a lane's x-range (checked at the
        ends of that range: the side is straight), small-angle heading, the body along the path;
        y_i = 0 for x_i <= straight_until_m; straight over the last two nodes.

    lanes: (x_start_m, x_end_m, y_left_m, y_right_m) per lane. width_m, length_m: the car [m].
    Returns (x_m, y_m, peak_curvature_1_m).
    """
    lanes = tuple(tuple(float(v) for v in lane) for lane in lanes)
    xs, ys, k = _optimal_line_cached(lanes, float(width_m), float(length_m), float(clearance_m), float(x_start_m),
                                     float(x_end_m), float(straight_until_m), float(step_m))
    return xs.copy(), ys.copy(), k
