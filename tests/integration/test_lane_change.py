"""ISO 3888-2 double lane change (moose test): track geometry against the standard's formulas, the
footprint cone-strike test against hand-worked cases, the driver's line, and runs of the LEAF e+ and
the AWD prototype (issue requirement: the AWD prototype with integrated control is at least as fast
through the moose test as the 2WD e+ with baseline control, on dry and on wet)."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.constants import G_M_S2 as G
from twinmotor.control import make_controller
from twinmotor.errors import ParameterError
from twinmotor.plotting.lane_change import plot_lane_change
from twinmotor.procedures.lane_change import (
    LaneChange,
    coasting_pedal,
    cone_layout,
    cone_positions,
    driver_line,
    footprint_corners,
    lane_intrusions,
)

AWD, FWD = "leaf-e-plus-awd", "leaf-e-plus"


@functools.cache
def search(vehicle: str, controller: str, surface: str) -> tm.Result:
    return tm.simulate(vehicle, LaneChange(), controller, surface)


@functools.cache
def single(vehicle: str, controller: str, surface: str, speed_kmh: float, release: str = "coast") -> tm.Result:
    return tm.simulate(vehicle, LaneChange(speed_kmh, release=release), controller, surface)


# ---------------------------------------------------------------- track geometry


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


# ---------------------------------------------------------------- the driver's line


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


def test_bad_settings_are_refused_with_the_field_named():
    for kwargs, field in (({"entry_speed_kmh": 5.0}, "entry_speed_kmh"), ({"release": "half"}, "release"),
                          ({"clearance_m": -0.1}, "clearance_m"), ({"preview_s": 0.0}, "preview_s"),
                          ({"attempts": 0}, "attempts")):
        with pytest.raises(ParameterError, match=field):
            LaneChange(**kwargs)
    with pytest.raises(ParameterError, match="clearance_m"):
        driver_line(1.79, 4.48, 0.5)


# ---------------------------------------------------------------- runs


def test_coasting_point_is_the_top_of_the_epedal_band():
    """One-pedal controllers regenerate over the first part of the accelerator travel: the pedal
    that asks for neither drive nor regeneration is the top of that band; without one-pedal
    driving it is the released pedal."""
    ctl = make_controller("baseline")
    assert coasting_pedal(ctl) == pytest.approx(ctl.settings["epedal_band"]) and coasting_pedal(ctl) > 0.0
    assert coasting_pedal(make_controller("baseline", one_pedal=0.0)) == 0.0
    assert coasting_pedal(make_controller("open")) == 0.0


def test_slow_run_on_dry_is_clean_for_the_leaf_e_plus():
    """50 km/h on dry: well below the limit. The car crosses the gate at the entry speed (start
    speed raised for road load over the approach), coasts (no drive, no regeneration: the
    accelerator sits at the coasting point throughout), strikes no cone and stays well below the
    tire's friction limit."""
    r = single(FWD, "baseline", "dry", 50.0)
    k = r.kpis
    assert r.passed is True
    assert k["cones_hit"] == 0.0 and k["spun"] == 0.0 and k["completed"] == 1.0
    assert k["min_clearance_m"] > 0.0
    assert k["gate_speed_kmh"] == pytest.approx(50.0, abs=0.2)
    assert np.allclose(r["throttle"], coasting_pedal(make_controller("baseline", None)), atol=1e-9)
    assert np.all(r["brake_pedal"] == 0.0)
    assert 35.0 < k["exit_speed_kmh"] < 50.0  # coasting and tire scrub slow the car, nothing drives it
    assert k["max_lateral_accel_g"] < 0.75  # dry road tires give ~0.85 g in this model
    assert k["max_sideslip_deg"] < 3.0


def test_zero_accelerator_with_the_epedal_stops_a_slow_car_before_the_exit():
    """With release='zero' the e-Pedal brakes at 0.2 g from the gate: from 50 km/h the car stops
    after about v^2 / (2 * 0.2 g) = 49 m (a little less with road load and cornering drag), before
    the end of the 61 m track: not completed, so not passed (why the default is the coasting point)."""
    r = single(FWD, "baseline", "dry", 50.0, "zero")
    x0 = r.info["track_x0_m"]
    stop_after_gate = float(np.max(r["x"])) - x0 + 0.5 * 4.48  # front past the gate
    v = 50.0 / 3.6
    assert r.kpis["completed"] == 0.0 and r.passed is False
    assert stop_after_gate == pytest.approx(v * v / (2 * 0.2 * G), rel=0.2)


@pytest.mark.parametrize("surface", ["dry", "wet"])
def test_awd_prototype_with_integrated_control_is_at_least_as_fast_as_the_2wd_e_plus(surface):
    """Issue requirement. In the moose test nothing drives (coasting), so the twin motors' torque
    does not help; the AWD prototype brings wider rear tires (235 vs 215 mm) and track against 100 kg
    more mass and a wider (harder) cone layout, and integrated control brakes single wheels on a
    tighter yaw-rate deadband. Its highest clean entry speed must not be below the e+'s."""
    awd = search(AWD, "integrated", surface).kpis["max_entry_speed_kmh"]
    fwd = search(FWD, "baseline", surface).kpis["max_entry_speed_kmh"]
    assert np.isfinite(awd) and np.isfinite(fwd)
    assert awd >= fwd, (surface, awd, fwd)


def test_search_brackets_the_highest_clean_speed_to_half_a_km_h():
    r = search(FWD, "baseline", "dry")
    v = r.kpis["max_entry_speed_kmh"]
    clean, failed = r.runs
    assert clean.passed is True and failed.passed is False
    assert clean.info["entry_speed_kmh"] == v
    assert 0.0 < failed.info["entry_speed_kmh"] - v <= 0.5
    assert r.kpis["cones_hit"] == 0.0 and r.passed is True
    # every speed tried below the result was clean, every one above it was not
    for speed, passed, _attempts in r.info["bisection"]:
        assert passed == (speed <= v)


def test_wet_road_lowers_the_highest_clean_speed():
    """Friction 0.6 of dry: lower lateral acceleration at the clean limit and a lower entry speed
    (steady state would scale the speed by sqrt(0.6) = 0.77; the speed lost through the course
    softens that)."""
    dry, wet = search(FWD, "baseline", "dry"), search(FWD, "baseline", "wet")
    assert wet.kpis["max_entry_speed_kmh"] < 0.92 * dry.kpis["max_entry_speed_kmh"]
    assert wet.kpis["max_entry_speed_kmh"] > 0.7 * dry.kpis["max_entry_speed_kmh"]
    assert wet.kpis["max_lateral_accel_g"] < 0.7 * dry.kpis["max_lateral_accel_g"] + 0.05


def test_highest_clean_speed_is_plausible_against_published_moose_tests():
    """Published ISO 3888-2 results for compact EVs: about 70-80 km/h (e.g. km77: Renault Megane
    E-Tech 74, Nissan Ariya 77 km/h). This model's LEAF e+ reaches about 0.87 g, and its driver
    keeps 7 cm from the cones, so it lands somewhat below; a band of 55-85 km/h on dry."""
    v = search(FWD, "baseline", "dry").kpis["max_entry_speed_kmh"]
    assert 55.0 <= v <= 85.0


def test_search_is_deterministic():
    first = search(FWD, "baseline", "dry")
    again = tm.simulate(FWD, LaneChange(), "baseline", "dry")
    assert again.kpis["max_entry_speed_kmh"] == first.kpis["max_entry_speed_kmh"]
    assert again.kpis == first.kpis
    assert again.info["bisection"] == first.info["bisection"]


def test_plot_draws_the_lanes_and_the_trajectory():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = single(FWD, "baseline", "dry", 50.0)
    assert r.info["plot_function"] is plot_lane_change
    fig = r.plot()
    ax = fig.axes[0]
    ys = {round(float(y), 9) for line in ax.lines for y in np.unique(line.get_ydata()) if len(line.get_ydata()) == 2}
    for _xs, _xe, yl, yr in cone_layout(1.79):
        assert round(yl, 9) in ys and round(yr, 9) in ys
    traj = [line for line in ax.lines if line.get_label() == "centre of gravity"][0]
    assert np.allclose(traj.get_xdata(), r["x"] - r.info["track_x0_m"])
    plt.close(fig)
    fig2 = plot_lane_change(search(FWD, "baseline", "dry"))
    assert "highest clean entry speed" in fig2.axes[0].get_title()
    plt.close(fig2)
