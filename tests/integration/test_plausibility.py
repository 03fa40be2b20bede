"""Plausibility against published figures (the project's REFERENCE notes), with each car's default
controller, i.e. what `twinmotor run` gives.

Figures and where they come from:
- LEAF e+: "sub-7-second 0-60 mph" (Nissan); accepted band 6.0-7.5 s (the published figure is a
  bound, the band allows for test mass and surface).
- LEAF NISMO RC (2018): 0-100 km/h in 3.4 s (Nissan); within 10 %.
- LEAF e+ AWD prototype: twice the torque of the e+ behind a 227 kW battery cap; it must be quicker
  0-100 km/h than the e+ on every surface, most of all where the e+'s front tires limit it.
- 100-0 km/h braking of current passenger cars on dry asphalt: 35-42 m (magazine test range;
  UN R13-H requires at most 70 m). The NISMO RC race car on slicks is held to "shorter than the road
  cars", and every car to the friction limit of its tires.
- AWD prototype system output 227 kW (Nissan): the battery's discharge cap, so the DC power never
  exceeds it by more than the 1 % of the cap's fixed-point iteration and actuator lag.
"""

from __future__ import annotations

import math

import pytest

import twinmotor as tm
from twinmotor.layout import VP
from twinmotor.tire import peak_friction

PRESETS = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"]


def test_leaf_e_plus_0_60_mph():
    t = tm.simulate("leaf-e-plus", "accel").kpis["t_0_60_mph_s"]
    assert 6.0 <= t <= 7.5, f"LEAF e+ 0-60 mph {t:.2f} s, published: under 7 s"


def test_nismo_rc_0_100_kmh():
    t = tm.simulate("leaf-nismo-rc", "accel").kpis["t_0_100_kmh_s"]
    assert t == pytest.approx(3.4, rel=0.10), f"NISMO RC 0-100 km/h {t:.2f} s, published 3.4 s"


@pytest.mark.parametrize("surface", ["dry", "wet", "snow"])
def test_awd_prototype_is_quicker_than_the_e_plus(surface):
    awd = tm.simulate("leaf-e-plus-awd", "accel", surface=surface).kpis["t_0_100_kmh_s"]
    fwd = tm.simulate("leaf-e-plus", "accel", surface=surface).kpis["t_0_100_kmh_s"]
    assert math.isfinite(awd) and math.isfinite(fwd)
    assert awd < fwd, f"{surface}: AWD 0-100 km/h {awd:.2f} s, e+ {fwd:.2f} s"


@pytest.mark.parametrize("preset", ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd"])
def test_road_cars_brake_100_0_kmh_in_35_to_42_m(preset):
    res = tm.simulate(preset, "brake")
    d = res.kpis["stopping_distance_m"]
    assert 35.0 <= d <= 42.0, f"{preset}: 100-0 km/h in {d:.1f} m, expected 35-42 m"
    assert res.passed is True


def test_race_car_on_slicks_brakes_shorter_than_the_road_cars():
    """The NISMO RC (slicks with 1.3 x the road tire's friction, downforce) is no road car: it must stop
    within the road cars' 42 m and shorter than the e+; its lower bound is the friction limit below."""
    race = tm.simulate("leaf-nismo-rc", "brake").kpis["stopping_distance_m"]
    road = tm.simulate("leaf-e-plus", "brake").kpis["stopping_distance_m"]
    assert race < min(road, 42.0), f"NISMO RC 100-0 km/h {race:.1f} m, LEAF e+ {road:.1f} m"


@pytest.mark.parametrize("preset", PRESETS)
def test_no_car_stops_shorter_than_its_tires_allow(preset):
    """Friction limit: d >= v0^2 / (2 a_max), a_max = mu_x,peak g (1 + F_down / m g) + F_drag / m, with
    downforce and drag taken at 100 km/h (their largest) and mu_x,peak the higher of the two axles' peak
    friction at half the static wheel load (load sensitivity makes a lighter tire grip more): a
    bound no controller can beat."""
    res = tm.simulate(preset, "brake")
    model = res.info["model"]
    car = tm.load_vehicle(preset)
    m, g, v0 = car.mass_kg, 9.80665, 100.0 / 3.6
    wheel_load = 0.25 * m * g
    mu = max(peak_friction(model.tp_f, 0.5 * wheel_load, 1.0, 1.0)[0],
             peak_friction(model.tp_r, 0.5 * wheel_load, 1.0, 1.0)[0])
    downforce = max(-(model.vp[VP["lift_k_f"]] + model.vp[VP["lift_k_r"]]) * v0 ** 2, 0.0)
    a_max = mu * g * (1.0 + downforce / (m * g)) + model.vp[VP["drag_k"]] * v0 ** 2 / m
    d_min = v0 ** 2 / (2.0 * a_max)
    d = res.kpis["stopping_distance_m"]
    assert d >= d_min, f"{preset}: {d:.1f} m, shorter than the friction limit {d_min:.1f} m"


def test_awd_battery_power_stays_at_the_system_cap():
    res = tm.simulate("leaf-e-plus-awd", "accel")
    cap_kw = tm.load_vehicle("leaf-e-plus-awd").battery.max_discharge_power_kw
    assert cap_kw == 227.0
    assert res.kpis["peak_power_kw"] <= 227.0 * 1.01
    assert res.kpis["peak_power_kw"] >= 0.95 * 227.0  # and it does use the power it has
