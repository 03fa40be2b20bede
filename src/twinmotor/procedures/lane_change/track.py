"""ISO 3888-2 obstacle-avoidance track: the lanes, the cones and the footprint that strikes them.

The track (ISO 3888-2, section 4 and table 1) is five sections, 61 m in all, their widths set by the
vehicle width w:

====  ===============  ======  ====================================================================
 no.   section          length  width and position
====  ===============  ======  ====================================================================
 1     entry lane       12 m    1.1 w + 0.25 m (centred on the approach line, y = 0)
 2     gap              13.5 m  -
 3     offset lane      11 m    w + 1 m; its near (right) edge 1 m left of the entry lane's left edge
 4     gap              12.5 m  -
 5     exit lane        12 m    1.3 w + 0.25 m, at most 3 m; right edge in line with the entry lane's
====  ===============  ======  ====================================================================

Axes as everywhere in twinmotor (ISO 8855): x along the track from the entry gate, y to the left;
the car swerves to the left. Cones stand outside the lane limits, which are tangent to the cone bases,
so a lane limit is where a cone is touched. Cone strike from the footprint: a rectangle of
length_m x width_m centred on the centre of gravity (simplification: the CG is taken at mid-length)
and turned by the yaw angle.

References
----------
ISO 3888-2:2011, Passenger cars - Test track for a severe lane-change manoeuvre - Part 2: Obstacle
avoidance.
"""

from __future__ import annotations

import numpy as np

from twinmotor.errors import ParameterError

#: section lengths [m] of ISO 3888-2: entry lane, gap, offset lane, gap, exit lane
SECTION_LENGTHS_M = (12.0, 13.5, 11.0, 12.5, 12.0)
TRACK_LENGTH_M = sum(SECTION_LENGTHS_M)  # 61 m
#: lateral distance [m] between the entry lane's left edge and the offset lane's right edge
OFFSET_GAP_M = 1.0
#: most width [m] of the exit lane
EXIT_WIDTH_MAX_M = 3.0
#: names of the six lane limits, in the order of `lane_intrusions`
LIMIT_NAMES = ("entry_left", "entry_right", "offset_left", "offset_right", "exit_left", "exit_right")


def check_width(width_m: float) -> float:
    w = float(width_m)
    if not (1.0 <= w <= 2.6) or not np.isfinite(w):
        raise ParameterError(f"width_m = {width_m!r} is out of range: allowed 1.0 to 2.6 m (vehicle body width)")
    return w


def cone_layout(width_m: float) -> list[tuple[float, float, float, float]]:
    """Lane limits of the ISO 3888-2 track for a car of body width `width_m` [m].

    Returns the three lanes (entry, offset, exit) as (x_start_m, x_end_m, y_left_m, y_right_m), x
    from the entry gate, y to the left, the entry lane centred on y = 0. With w the width:
    entry 1.1 w + 0.25 m wide over 0-12 m; offset lane w + 1 m wide over 25.5-36.5 m with its right
    edge 1 m left of the entry lane's left edge; exit lane min(1.3 w + 0.25, 3) m wide over 49-61 m
    with its right edge in line with the entry lane's right edge.

    References: ISO 3888-2:2011, table 1.
    """
    w = check_width(width_m)
    w_entry = 1.1 * w + 0.25
    w_offset = w + 1.0
    w_exit = min(1.3 * w + 0.25, EXIT_WIDTH_MAX_M)
    x = np.concatenate([[0.0], np.cumsum(SECTION_LENGTHS_M)])
    right_entry = -0.5 * w_entry
    left_entry = 0.5 * w_entry
    right_offset = left_entry + OFFSET_GAP_M
    return [
        (float(x[0]), float(x[1]), left_entry, right_entry),
        (float(x[2]), float(x[3]), right_offset + w_offset, right_offset),
        (float(x[4]), float(x[5]), right_entry + w_exit, right_entry),
    ]


def cone_positions(width_m: float, spacing_m: float = 3.0) -> np.ndarray:
    """Cone positions (n, 2) [m] along the lane limits, for plots: a cone at each end of every lane
    limit and evenly between, at most `spacing_m` apart. The standard's own cone count per lane is
    not modelled; strikes are judged on the continuous lane limits (`lane_intrusions`)."""
    if not 0.5 <= spacing_m <= 12.0:
        raise ParameterError(f"spacing_m = {spacing_m!r} is out of range: allowed 0.5 to 12 m")
    pts = []
    for xs, xe, yl, yr in cone_layout(width_m):
        n = int(np.ceil((xe - xs) / spacing_m)) + 1
        for x in np.linspace(xs, xe, n):
            pts.append((x, yl))
            pts.append((x, yr))
    return np.array(pts)


def footprint_corners(x_m, y_m, yaw_rad, length_m: float, width_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Corners of the car's footprint: a length_m x width_m rectangle centred on (x_m, y_m) [m] and
    turned by yaw_rad [rad]. Returns (cx, cy), each (n, 4) [m], corners in the order front-left,
    front-right, rear-right, rear-left (a closed outline when followed in order)."""
    x = np.atleast_1d(np.asarray(x_m, dtype=float))[:, None]
    y = np.atleast_1d(np.asarray(y_m, dtype=float))[:, None]
    psi = np.atleast_1d(np.asarray(yaw_rad, dtype=float))[:, None]
    dx = 0.5 * length_m * np.array([1.0, 1.0, -1.0, -1.0])
    dy = 0.5 * width_m * np.array([1.0, -1.0, -1.0, 1.0])
    c, s = np.cos(psi), np.sin(psi)
    return x + c * dx - s * dy, y + s * dx + c * dy


def lane_intrusions(cx: np.ndarray, cy: np.ndarray, width_m: float) -> np.ndarray:
    """How far [m] the footprint reaches beyond each of the six lane limits (LIMIT_NAMES order), the
    largest over all samples; positive = the limit is struck, negative = the smallest clearance;
    NaN for a lane the footprint never overlaps in x.

    cx, cy: (n, 4) footprint corners in track coordinates (x from the entry gate) [m], in outline
    order. For each lane (x from xs to xe) the part of the rectangle inside the lane's x-range is a
    convex polygon whose highest and lowest points are corners inside the range or points where a
    side crosses x = xs or x = xe, so those points are all that is checked.
    """
    cx = np.asarray(cx, dtype=float)
    cy = np.asarray(cy, dtype=float)
    nx, ny = np.roll(cx, -1, axis=1), np.roll(cy, -1, axis=1)
    ddx = nx - cx
    out = np.full(6, np.nan)
    for k, (xs, xe, yl, yr) in enumerate(cone_layout(width_m)):
        cand = [np.where((cx >= xs) & (cx <= xe), cy, np.nan)]
        for xb in (xs, xe):
            with np.errstate(divide="ignore", invalid="ignore"):
                u = (xb - cx) / ddx
            ok = (ddx != 0.0) & (u >= 0.0) & (u <= 1.0)
            cand.append(np.where(ok, cy + u * (ny - cy), np.nan))
        pts = np.concatenate(cand, axis=1)
        if np.all(np.isnan(pts)):
            continue
        out[2 * k] = np.nanmax(pts) - yl
        out[2 * k + 1] = yr - np.nanmin(pts)
    return out
