"""ISO 3888-2 double lane change (moose test): settings checks and runs of the LEAF e+ and the AWD
prototype (issue requirement: the AWD prototype with integrated control is at least as fast
through the moose test as the 2WD e+ with baseline control, on dry and on wet)."""

from __future__ import annotations

import functools

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
    driver_line,
)

AWD, FWD = "leaf-e-plus-awd", "leaf-e-plus"


@functools.cache
def search(vehicle: str, controller: str, surface: str) -> tm.Result:
    return tm.simulate(vehicle, LaneChange(), controller, surface)


@functools.cache
def single(vehicle: str, controller: str, surface: str, speed_kmh: float, release: str = "coast") -> tm.Result:
    return tm.simulate(vehicle, LaneChange(speed_kmh, release=release), controller, surface)


# track geometry, footprint strikes and the driver's line: tests/unit/procedures/lane_change/test_track.py
# and tests/unit/driver/test_line.py


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
