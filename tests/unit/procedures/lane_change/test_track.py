"""ISO 3888-2 track geometry against the standard's formulas (table 1), and the footprint cone-strike
test against hand-worked cases and the symmetries of a rectangle."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.errors import ParameterError
from twinmotor.procedures.lane_change import (
    EXIT_WIDTH_MAX_M,
    LIMIT_NAMES,
    OFFSET_GAP_M,
    SECTION_LENGTHS_M,
    TRACK_LENGTH_M,
    cone_layout,
    cone_positions,
    footprint_corners,
    lane_intrusions,
)

# ---------------------------------------------------------------- track geometry


def test_sections_are_those_of_the_standard_and_sum_to_61_m():
    assert SECTION_LENGTHS_M == (12.0, 13.5, 11.0, 12.5, 12.0)
    assert TRACK_LENGTH_M == 61.0
    assert OFFSET_GAP_M == 1.0 and EXIT_WIDTH_MAX_M == 3.0
    assert len(LIMIT_NAMES) == 6 == 2 * len(cone_layout(1.8))


@pytest.mark.parametrize("w", [1.0, 1.5, 1.79, 1.95, 2.115, 2.3, 2.6])
def test_lane_widths_follow_table_1_for_every_width(w):
    """entry 1.1 w + 0.25, offset w + 1, exit min(1.3 w + 0.25, 3) [m]."""
    (e0, e1, el, er), (o0, o1, ol, orr), (x0, x1, xl, xr) = cone_layout(w)
    assert el - er == pytest.approx(1.1 * w + 0.25, abs=1e-12)
    assert ol - orr == pytest.approx(w + 1.0, abs=1e-12)
    assert xl - xr == pytest.approx(min(1.3 * w + 0.25, 3.0), abs=1e-12)
    assert x1 - e0 == pytest.approx(61.0, abs=1e-12)


# moved from tests/integration/test_lane_change.py (no simulation in them)


def test_cone_layout_for_a_1_79_m_car_follows_the_standard_formulas():
    """ISO 3888-2 table 1 with w = 1.79 m: entry 1.1 w + 0.25 = 2.219 m over 0-12 m; offset lane
    w + 1 = 2.79 m over 25.5-36.5 m, its near edge 1 m beyond the entry lane's far edge; exit lane
    1.3 w + 0.25 = 2.577 m over 49-61 m, right edge in line with the entry lane's."""
    w = 1.79
    (e0, e1, el, er), (o0, o1, ol, orr), (x0, x1, xl, xr) = cone_layout(w)
    assert (e0, e1, o0, o1, x0, x1) == (0.0, 12.0, 25.5, 36.5, 49.0, 61.0)
    assert el - er == pytest.approx(1.1 * w + 0.25, abs=1e-12)
    assert el == pytest.approx(-er, abs=1e-12)  # entry lane centred on the approach line
    assert ol - orr == pytest.approx(w + 1.0, abs=1e-12)
    assert orr - el == pytest.approx(1.0, abs=1e-12)
    assert xl - xr == pytest.approx(1.3 * w + 0.25, abs=1e-12)
    assert xr == pytest.approx(er, abs=1e-12)
    # section lengths 12, 13.5, 11, 12.5, 12 m: 61 m in all
    assert [e1 - e0, o0 - e1, o1 - o0, x0 - o1, x1 - x0] == [12.0, 13.5, 11.0, 12.5, 12.0]


def test_exit_lane_width_is_capped_at_3_m():
    """1.3 w + 0.25 m exceeds 3 m for w > 2.115 m; the standard caps the exit lane at 3 m."""
    _entry, _offset, (_x0, _x1, yl, yr) = cone_layout(2.4)
    assert yl - yr == pytest.approx(3.0, abs=1e-12)


def test_cones_stand_on_the_lane_limits_at_both_ends():
    w = 1.83
    cones = cone_positions(w)
    for xs, xe, yl, yr in cone_layout(w):
        for x in (xs, xe):
            for y in (yl, yr):
                assert np.min(np.hypot(cones[:, 0] - x, cones[:, 1] - y)) < 1e-12
    on_limit = [any(xs - 1e-9 <= cx <= xe + 1e-9 and (abs(cy - yl) < 1e-12 or abs(cy - yr) < 1e-12)
                    for xs, xe, yl, yr in cone_layout(w)) for cx, cy in cones]
    assert all(on_limit)


@pytest.mark.parametrize("width", [0.5, 3.0, float("nan")])
def test_cone_layout_rejects_impossible_widths(width):
    with pytest.raises(ParameterError, match="width_m"):
        cone_layout(width)


# ---------------------------------------------------------------- footprint and strikes


def test_footprint_at_zero_yaw_is_the_axis_aligned_rectangle():
    cx, cy = footprint_corners(10.0, 1.0, 0.0, 4.48, 1.79)
    # front-left, front-right, rear-right, rear-left
    assert np.allclose(cx[0], [12.24, 12.24, 7.76, 7.76], atol=1e-12)
    assert np.allclose(cy[0], [1.895, 0.105, 0.105, 1.895], atol=1e-12)


def test_footprint_turned_half_a_turn_maps_corners_onto_each_other():
    """Yaw + pi swaps front-left with rear-right and front-right with rear-left (point symmetry
    about the centre of gravity)."""
    x, y, psi = np.array([3.0, -7.5]), np.array([0.4, 2.0]), np.array([0.3, -1.1])
    cx, cy = footprint_corners(x, y, psi, 4.48, 1.79)
    cx2, cy2 = footprint_corners(x, y, psi + math.pi, 4.48, 1.79)
    assert np.allclose(cx2, cx[:, [2, 3, 0, 1]], atol=1e-12)
    assert np.allclose(cy2, cy[:, [2, 3, 0, 1]], atol=1e-12)
    # the centroid is the centre of gravity at any yaw
    assert np.allclose(cx.mean(axis=1), x, atol=1e-12) and np.allclose(cy.mean(axis=1), y, atol=1e-12)


def test_footprint_corners_keep_the_rectangle_and_turn_with_yaw():
    cx, cy = footprint_corners(10.0, 1.0, math.radians(90.0), 4.48, 1.79)
    # turned a quarter turn to the left: length along y, width along x
    assert np.ptp(cx[0]) == pytest.approx(1.79, abs=1e-12)
    assert np.ptp(cy[0]) == pytest.approx(4.48, abs=1e-12)
    assert cy[0, 0] == pytest.approx(1.0 + 2.24, abs=1e-12)  # front-left corner ahead, now at +y
    sides = np.hypot(np.diff(np.append(cx[0], cx[0, 0])), np.diff(np.append(cy[0], cy[0, 0])))
    assert np.allclose(sides, [1.79, 4.48, 1.79, 4.48], atol=1e-12)


def test_a_straight_car_in_the_entry_lane_clears_both_limits_by_half_the_spare_width():
    """Entry lane 1.1 w + 0.25 m wide: a straight, centred car clears each side by (0.1 w + 0.25)/2."""
    w, length = 1.79, 4.48
    cx, cy = footprint_corners(6.0, 0.0, 0.0, length, w)
    intr = lane_intrusions(cx, cy, w)
    assert intr[0] == pytest.approx(-(0.1 * w + 0.25) / 2, abs=1e-12)
    assert intr[1] == pytest.approx(-(0.1 * w + 0.25) / 2, abs=1e-12)
    assert np.all(np.isnan(intr[2:]))  # the car never overlaps the other lanes


@pytest.mark.parametrize("shift", [-0.4, -0.1, 0.0, 0.1, 0.4])
def test_intrusion_signs_positive_beyond_a_limit_negative_inside(shift):
    """A straight car moved `shift` to the left in the entry lane: the left intrusion grows by the
    shift, the right one shrinks by it; past a limit the sign turns positive."""
    w, length = 1.79, 4.48
    spare = (0.1 * w + 0.25) / 2
    cx, cy = footprint_corners(6.0, shift, 0.0, length, w)
    left, right = lane_intrusions(cx, cy, w)[:2]
    assert left == pytest.approx(-spare + shift, abs=1e-12)
    assert right == pytest.approx(-spare - shift, abs=1e-12)
    assert (left > 0.0) == (shift > spare) and (right > 0.0) == (-shift > spare)


def test_a_side_sweeping_the_first_cone_of_the_offset_lane_is_a_strike():
    """Car heading 20 deg left, front-right corner just inside the offset lane (x = 26 m, 9 cm
    inside its right limit): no corner is past a limit inside the lane's x-range, but the right
    side crosses x = 25.5 m at y = y_fr - 0.5 tan 20 deg, below the limit: a strike of the gate cone."""
    w, length = 1.79, 4.48
    psi = math.radians(20.0)
    y_right_limit = cone_layout(w)[1][3]
    fr = np.array([26.0, y_right_limit + 0.0905])  # front-right corner
    # centre of gravity from the front-right corner: back half a length, left half a width
    ahead, left = np.array([math.cos(psi), math.sin(psi)]), np.array([-math.sin(psi), math.cos(psi)])
    cg = fr - 0.5 * length * ahead + 0.5 * w * left
    cx, cy = footprint_corners(cg[0], cg[1], psi, length, w)
    inside = (cx >= 25.5) & (cx <= 36.5)
    assert np.all(cy[inside] >= y_right_limit)  # no corner past the limit
    expected = y_right_limit - (fr[1] - 0.5 * math.tan(psi))
    assert lane_intrusions(cx, cy, w)[3] == pytest.approx(expected, abs=1e-9)
    assert expected > 0.09


def test_intrusions_are_the_worst_over_all_samples():
    w, length = 1.79, 4.48
    ys = np.array([0.0, 0.2, -0.05])
    cx, cy = footprint_corners(np.full(3, 6.0), ys, np.zeros(3), length, w)
    spare = (0.1 * w + 0.25) / 2
    left, right = lane_intrusions(cx, cy, w)[:2]
    assert left == pytest.approx(-spare + 0.2, abs=1e-12)
    assert right == pytest.approx(-spare + 0.05, abs=1e-12)
