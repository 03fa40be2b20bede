"""The driver's line (a linear programme for the least peak curvature inside the lanes): straight
where nothing asks it to turn, its footprint inside the ISO 3888-2 lanes by the clearance, and the
curvature it reports equal to the line's own."""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.driver.line import optimal_line
from twinmotor.errors import ParameterError
from twinmotor.procedures.lane_change import cone_layout, driver_line, footprint_corners, lane_intrusions

W, LENGTH = 1.79, 4.48  # LEAF e+ body width and length [m]
STEP = 0.5


def _iso_line(lanes, clearance=0.07):
    half = 0.5 * LENGTH
    return optimal_line(lanes, W, LENGTH, clearance, -15.0, 61.0 + half + 15.0, -half - 3.0, STEP)


def test_a_single_straight_lane_gives_a_straight_line():
    """Nothing asks the car to turn: y = 0 everywhere and zero curvature."""
    xs, ys, k = optimal_line([(0.0, 20.0, 1.5, -1.5)], 1.8, 4.5, 0.1, -10.0, 30.0, -5.0, STEP)
    assert xs[0] == -10.0 and xs[-1] == pytest.approx(30.0) and np.allclose(np.diff(xs), STEP)
    assert np.max(np.abs(ys)) <= 1e-9
    assert k == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("clearance", [0.0, 0.07, 0.15])
def test_returned_peak_curvature_is_the_lines_largest_second_difference(clearance):
    xs, ys, k = _iso_line(cone_layout(W), clearance)
    assert k == pytest.approx(np.max(np.abs(np.diff(ys, 2))) / STEP ** 2, abs=1e-6)
    assert k > 0.0


def test_iso_line_keeps_the_footprint_inside_the_lanes_by_the_clearance():
    """optimal_line on the ISO 3888-2 lanes directly: the footprint (body along the path) stays the
    clearance inside every limit; 2 cm tolerance for the small-angle heading of the programme."""
    clearance = 0.1
    xs, ys, _k = _iso_line(cone_layout(W), clearance)
    yaw = np.arctan(np.gradient(ys, xs))
    cx, cy = footprint_corners(xs, ys, yaw, LENGTH, W)
    assert np.nanmax(lane_intrusions(cx, cy, W)) <= -clearance + 0.02


def test_mirrored_lanes_need_the_same_peak_curvature():
    """Reflecting the course in y = 0 reflects every constraint: the optimum (peak curvature) is the
    same, and the reflected line keeps inside the reflected lanes."""
    lanes = cone_layout(W)
    mirrored = [(xs, xe, -yr, -yl) for xs, xe, yl, yr in lanes]
    x, y, k = _iso_line(lanes)
    _, y_m, k_m = _iso_line(mirrored)
    assert k_m == pytest.approx(k, rel=1e-9)
    # the centre of gravity stays half a width inside each lane, the reflected line in the reflected lanes
    for lane_set, line in ((lanes, y), (mirrored, y_m), (mirrored, -y)):
        for xs_l, xe_l, yl, yr in lane_set:
            inside = (x >= xs_l) & (x <= xe_l)
            assert np.all(line[inside] <= yl - 0.5 * W + 1e-9) and np.all(line[inside] >= yr + 0.5 * W - 1e-9)


def test_driver_line_is_optimal_line_on_the_iso_lanes():
    xs, ys, k = driver_line(W, LENGTH, 0.07)
    xs2, ys2, k2 = _iso_line(cone_layout(W), 0.07)
    assert np.array_equal(xs, xs2) and np.array_equal(ys, ys2) and k == k2


def test_impossible_clearance_is_refused_with_the_field_named():
    """Lanes 2 m wide cannot hold a 1.8 m car 0.3 m in from each side."""
    with pytest.raises(ParameterError, match="clearance_m"):
        optimal_line([(0.0, 20.0, 1.0, -1.0)], 1.8, 4.5, 0.3, -10.0, 30.0, -5.0, STEP)


# moved from tests/integration/test_lane_change.py (no simulation in them)


@pytest.mark.parametrize("clearance", [0.0, 0.07, 0.15])
def test_driver_line_keeps_the_footprint_inside_the_lanes_by_the_clearance(clearance):
    """The line's footprint (body along the path) stays `clearance` inside every lane limit; 2 cm
    tolerance for the small-angle heading of the linear programme (headings reach ~19 deg)."""
    w, length = 1.79, 4.48
    xs, ys, _k = driver_line(w, length, clearance)
    yaw = np.arctan(np.gradient(ys, xs))
    cx, cy = footprint_corners(xs, ys, yaw, length, w)
    assert np.nanmax(lane_intrusions(cx, cy, w)) <= -clearance + 0.02
    assert np.all(ys[xs <= -0.5 * length - 3.0] == 0.0)  # straight on the approach line
    assert abs(ys[-1] - ys[-2]) < 1e-9 and abs(ys[-2] - ys[-3]) < 1e-9  # straight at the end


def test_driver_line_is_no_more_curved_with_less_clearance():
    """Less clearance relaxes every constraint of the linear programme, so its optimum (the peak
    curvature) cannot grow."""
    ks = [driver_line(1.79, 4.48, c)[2] for c in (0.0, 0.05, 0.1, 0.15)]
    assert all(a <= b + 1e-12 for a, b in zip(ks, ks[1:]))
    assert 1.0 / ks[0] > 30.0  # radius [m]: a manoeuvre for about 0.8 g at 55-60 km/h, not a hairpin
