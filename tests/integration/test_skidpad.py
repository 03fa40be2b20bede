"""ISO 4138 constant-radius skidpad (twinmotor.procedures.skidpad).

Analytic comparison used: the linear single-track model of the same car at static axle loads,
cornering stiffnesses from twinmotor.control.params.vehicle_values (the tire data's slope at
zero slip), WITH the tires' aligning moments in the yaw balance:

    K = m (b - a) / (C_f b + C_r a),   a = lf C_f - N_f,   b = lr C_r + N_r

(N: axle aligning stiffness from the same MF 6.1 data; twinmotor.models.single_track.vehicle_understeer_gradient).
The simulated plant adds every tire's aligning moment to the yaw moment, so the textbook form
K = m / L (lr / C_f - lf / C_r), which leaves them out, is 25-30 % low for the road cars (pneumatic
trails of about 40 mm front and 28 mm rear). Against the model with aligning moments, the
gradient at the lowest lateral accelerations (0.02-0.15 g) agrees within 10 %; over 0.1-0.4 g it
is higher still, because lateral load transfer lowers the axles' cornering stiffness (tire load
sensitivity, more roll stiffness at the front).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.constants import G_M_S2 as G
from twinmotor.control.params import vehicle_values
from twinmotor.errors import ParameterError
from twinmotor.models.single_track import vehicle_understeer_gradient
from twinmotor.plotting.skidpad import plot_handling_diagram
from twinmotor.procedures.skidpad import (
    Skidpad,
    circle_path,
    moving_average,
    understeer_gradient,
)

PRESETS = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"]
ROAD_CARS = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd"]
DEG_G = math.degrees(1.0) * G  # rad/(m/s^2) -> deg/g


@functools.cache
def skidpad(preset: str, surface: str = "dry", radius_m: float = 40.0) -> tm.Result:
    """The car's own default controller (integrated for the AWD cars, baseline for the FWD ones)."""
    return tm.simulate(preset, Skidpad(radius_m=radius_m), None, surface)


# ---------------------------------------------------------------- the evaluation's pieces
def test_understeer_gradient_fit_removes_the_ackermann_angle():
    """delta = L/R + K a_y with a radius that drifts: the fit gives K back exactly."""
    ay = np.linspace(0.5, 4.0, 200)
    radius = np.linspace(40.0, 41.5, 200)
    ack = 2.7 / radius
    k, intercept = understeer_gradient(ay, ack + 0.002 * ay, ack)
    assert k == pytest.approx(0.002, rel=1e-9) and intercept == pytest.approx(0.0, abs=1e-12)


def test_circle_path_lies_on_the_circle():
    xy = circle_path(40.0, 2.0)
    r = np.hypot(xy[:, 0], xy[:, 1] - 40.0)
    np.testing.assert_allclose(r, 40.0, rtol=1e-12)
    assert np.sum(np.hypot(*np.diff(xy, axis=0).T)) == pytest.approx(4.0 * math.pi * 40.0, rel=1e-4)
    np.testing.assert_allclose(moving_average(np.full(50, 3.0), 9), 3.0)


def test_aligning_moments_add_understeer_to_the_single_track_model():
    """A positive pneumatic trail on both axles moves both axle forces rearward: more understeer
    than the textbook single-track form; for the symmetric NISMO RC (50:50, equal tires) the
    textbook form gives neutral steer."""
    for preset in PRESETS:
        v = tm.load_vehicle(preset)
        k0 = vehicle_understeer_gradient(v, aligning_moment=False)
        assert k0 == pytest.approx(vehicle_values(v)["k_us"], rel=1e-12)
        assert vehicle_understeer_gradient(v) > k0
    assert vehicle_understeer_gradient(tm.load_vehicle("leaf-nismo-rc"), aligning_moment=False) == \
        pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------- the cars
@pytest.mark.parametrize("preset", PRESETS)
def test_low_lateral_acceleration_gradient_agrees_with_the_single_track_model(preset):
    """Gradient over 0.02-0.15 g within 10 % of the single-track model with aligning moments
    (module docstring); for the near-neutral NISMO RC the 10 % is taken of 1 deg/g (0.1 deg/g),
    since a relative error of a value near zero means nothing."""
    k_sim = skidpad(preset).kpis["understeer_gradient_low_deg_g"]
    k_lin = vehicle_understeer_gradient(tm.load_vehicle(preset)) * DEG_G
    assert abs(k_sim - k_lin) <= 0.1 * max(abs(k_lin), 1.0), (k_sim, k_lin)


@pytest.mark.parametrize("preset", ROAD_CARS)
def test_textbook_single_track_form_misses_the_aligning_moments(preset):
    """The textbook gradient m/L (lr/C_f - lf/C_r) is at least 20 % below the simulated low-ay
    gradient, and the aligning moments account for at least 75 % of the gap."""
    v = tm.load_vehicle(preset)
    k_sim = skidpad(preset).kpis["understeer_gradient_low_deg_g"]
    k0 = vehicle_understeer_gradient(v, aligning_moment=False) * DEG_G
    k1 = vehicle_understeer_gradient(v) * DEG_G
    assert k_sim > 1.2 * k0, (k_sim, k0)
    assert k1 - k0 >= 0.75 * (k_sim - k0), (k_sim, k0, k1)


@pytest.mark.parametrize("preset", PRESETS)
def test_understeer_grows_with_lateral_acceleration(preset):
    """Lateral load transfer lowers the axles' cornering stiffness (tire load sensitivity), more at
    the front, which carries the larger share of roll stiffness: the 0.1-0.4 g gradient exceeds the
    0.02-0.15 g one."""
    k = skidpad(preset).kpis
    assert k["understeer_gradient_deg_g"] > k["understeer_gradient_low_deg_g"] + 0.03, k


@pytest.mark.parametrize("preset", PRESETS)
def test_steer_equals_the_ackermann_angle_as_lateral_acceleration_vanishes(preset):
    """Kinematics: at a_y -> 0 the road-wheel angle is L / R (intercept of the fit within
    0.02 deg)."""
    hd = skidpad(preset).info["handling_diagram"]
    sel = (hd["ay_m_s2"] >= 0.02 * G) & (hd["ay_m_s2"] <= 0.15 * G)
    _, intercept = understeer_gradient(hd["ay_m_s2"][sel], hd["steer_rad"][sel], hd["ackermann_rad"][sel])
    assert abs(math.degrees(intercept)) < 0.02


@pytest.mark.parametrize("preset", ROAD_CARS)
def test_road_cars_reach_0_8_to_1_1_g_on_dry(preset):
    """Maximum steady lateral acceleration of a road car on dry asphalt: 0.8-1.1 g on performance
    tires, scaled by the tire class's friction (eco tires: x 0.876, 0.70-0.96 g), and at most the
    tire's peak friction (load transfer keeps it below)."""
    from twinmotor.tire.classes import friction_scale_for_class

    v = tm.load_vehicle(preset)
    k = skidpad(preset).kpis
    vv = vehicle_values(v)
    scale = friction_scale_for_class(v.tires.front.tire_class)
    assert 0.8 * scale <= k["max_lat_accel_g"] <= 1.1 * scale
    assert k["max_lat_accel_g"] <= max(vv["mu_peak_f"], vv["mu_peak_r"])


def test_racing_slicks_hold_more_than_road_tires():
    """The NISMO RC on slicks (peak friction ~1.36) holds more than any road car, below its peak
    friction."""
    rc = skidpad("leaf-nismo-rc").kpis["max_lat_accel_g"]
    mu = vehicle_values(tm.load_vehicle("leaf-nismo-rc"))["mu_peak_f"]
    assert max(skidpad(p).kpis["max_lat_accel_g"] for p in ROAD_CARS) + 0.2 < rc <= mu


@pytest.mark.parametrize("preset", ["leaf-e-plus", "leaf-e-plus-awd"])
def test_wet_road_scales_the_limit_with_friction(preset):
    """Wet asphalt (friction 0.6 of dry): the lateral limit falls with the friction, to between
    0.6 x the dry limit and 0.6 x the tire's peak friction. It stays above 0.6 x dry because the
    lower limit brings less lateral load transfer, so the tires lose less to load sensitivity."""
    dry = skidpad(preset).kpis["max_lat_accel_g"]
    wet = skidpad(preset, "wet").kpis["max_lat_accel_g"]
    vv = vehicle_values(tm.load_vehicle(preset))
    assert 0.6 * dry <= wet <= 0.6 * max(vv["mu_peak_f"], vv["mu_peak_r"]), (dry, wet)


def test_100_m_radius_gives_the_same_low_gradient():
    """The understeer gradient is a property of the car: on the 100 m circle (higher speeds for
    the same a_y) the low-a_y gradient matches the 40 m one within 10 %."""
    k40 = skidpad("leaf-e-plus").kpis["understeer_gradient_low_deg_g"]
    k100 = skidpad("leaf-e-plus", "dry", 100.0).kpis["understeer_gradient_low_deg_g"]
    assert k100 == pytest.approx(k40, rel=0.1)


def test_plot_hook_draws_the_handling_diagram():
    """Result.plot() goes to plot_handling_diagram: steer angle [deg] against a_y [g]."""
    import matplotlib

    matplotlib.use("Agg")
    res = skidpad("leaf-e-plus")
    assert res.info["plot_function"] is plot_handling_diagram
    fig = res.plot()
    line = fig.axes[0].lines[0]
    hd = res.info["handling_diagram"]
    np.testing.assert_allclose(line.get_xdata(), hd["ay_m_s2"] / G)
    np.testing.assert_allclose(line.get_ydata(), np.degrees(hd["steer_rad"]))
    assert fig.axes[-1].get_xlabel() == "lateral acceleration [g]"


def test_bad_radius_is_refused_with_its_range():
    with pytest.raises(ParameterError, match="radius_m"):
        Skidpad(radius_m=5.0)
