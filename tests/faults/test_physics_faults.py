"""Physics that refuses nonsense: a cycle's grade reaches the dynamic model; the fast energy mode
applies the motor, battery and traction limits, stops at an empty battery and agrees with the
dynamic mode on whether a trace can be followed; distance is forward travel; backward motion,
wheel lift and tip-up are events that fail the verdict."""

from __future__ import annotations

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.constants import G_M_S2, J_PER_KWH, KMH
from twinmotor.cycles import Cycle
from twinmotor.procedures import Accel, DriveCycle, StepSteer
from twinmotor.road import Road


def trace(name: str, points, grade_pct: float | None = None) -> Cycle:
    """A 1 Hz trace through (time_s, speed_kmh) points, optionally on a constant grade."""
    t = np.array([p[0] for p in points], dtype=float)
    v = np.array([p[1] for p in points], dtype=float) * KMH
    tt = np.arange(0.0, t[-1] + 1.0)
    grade = None if grade_pct is None else np.full_like(tt, grade_pct / 100.0)
    return Cycle(name, tt, np.interp(tt, t, v), grade)


@pytest.mark.parametrize("fidelity", ["dynamic", "fast"])
def test_cycle_grade_reaches_the_model(fidelity):
    """50 km/h for 50 s on -6 %, 0 and +6 %: energy rises with grade, and the uphill-downhill
    difference is the potential energy m g (h_up + h_down) passed through the drivetrain
    (between 0.8 and 1.6 times it: motor efficiency one way, regeneration the other)."""
    car = tm.load_vehicle("leaf-e-plus")
    pts = [(0, 50), (50, 50)]
    kwh = {}
    for g in (-6.0, 0.0, 6.0):
        r = tm.simulate(car, DriveCycle(trace(f"g{g}", pts, g), fidelity))
        kwh[g] = r.kpis["energy_kwh_per_100km"] * r.kpis["distance_km"] / 100.0
    assert kwh[-6.0] < kwh[0.0] < kwh[6.0]
    rise_m = 2 * (50 / 3.6 * 50) * np.sin(np.arctan(0.06))
    potential_kwh = car.mass_kg * G_M_S2 * rise_m / J_PER_KWH
    assert 0.8 * potential_kwh < kwh[6.0] - kwh[-6.0] < 1.6 * potential_kwh


#: (name, points, grade) -> can a LEAF e+ follow it within the EPA tolerance?
TRACES = {
    "gentle city": ([(0, 0), (20, 50), (40, 50), (55, 0), (60, 0)], None, True),
    "brisk 0-100 in 15 s": ([(0, 0), (15, 100), (30, 100), (45, 0), (50, 0)], None, True),
    "10 % hill at 50 km/h": ([(0, 0), (20, 50), (50, 50), (60, 0)], 10.0, True),
    "0-100 km/h in 1 s": ([(0, 0), (5, 0), (6, 100), (20, 100), (30, 0)], None, False),
    "200 km/h (beyond top speed)": ([(0, 0), (60, 200), (80, 200), (100, 0)], None, False),
    "30 % hill at 140 km/h": ([(0, 0), (20, 60), (60, 140), (80, 140)], 30.0, False),
    "10 % downhill at 80 km/h": ([(0, 0), (20, 80), (60, 80), (75, 0)], -10.0, True),
    "0-130 km/h in 5 s": ([(0, 0), (5, 0), (10, 130), (30, 130), (45, 0)], None, False),
}


@pytest.mark.parametrize("name", list(TRACES))
def test_fast_and_dynamic_agree_on_followable(name):
    points, grade, possible = TRACES[name]
    c = trace(name, points, grade)
    fast = tm.simulate("leaf-e-plus", DriveCycle(c, "fast"))
    dyn = tm.simulate("leaf-e-plus", DriveCycle(c, "dynamic"))
    assert fast.kpis["followable"] == dyn.kpis["followable"] == (1.0 if possible else 0.0), (
        fast.kpis["trace_violation_s"], dyn.kpis["trace_violation_s"])
    for r in (fast, dyn):
        assert r.kpis["rolling_kwh"] >= 0.0 and r.kpis["aero_kwh"] >= 0.0


def test_fast_mode_stops_at_an_empty_battery():
    """130 km/h on the motorway until the 62 kWh pack is empty: the run stops there (about 250-320
    km at ~20-25 kWh/100 km), not at the end of a 4 h trace (520 km)."""
    c = trace("motorway", [(0, 0), (30, 130), (4 * 3600, 130)])
    r = tm.simulate("leaf-e-plus", DriveCycle(c, "fast"))
    assert r.kpis["followable"] == 0.0
    kinds = [e["kind"] for e in r.info["events"]]
    assert kinds == ["battery_empty"]
    assert 200.0 < r.kpis["distance_km"] < 350.0
    assert r["soc"][-1] <= 1e-3


def test_fast_mode_with_an_empty_battery_stops_at_once():
    r = tm.simulate(tm.load_vehicle("leaf-e-plus").with_(battery__initial_soc=0.0), DriveCycle("udds", "fast"))
    assert r.kpis["followable"] == 0.0 and r.kpis["distance_km"] < 0.01
    assert "battery ran empty" in r.info["events"][0]["message"]


def test_empty_battery_at_the_start_of_a_dynamic_run_is_explained():
    r = tm.simulate(tm.load_vehicle("leaf-e-plus").with_(battery__initial_soc=0.0), Accel(t_max_s=1.0))
    assert np.isnan(r.kpis["t_0_100_kmh_s"])
    messages = [e["message"] for e in r.info["events"] if e["kind"] == "battery_low"]
    assert messages and "battery.initial_soc = 0" in messages[0] and "null" in messages[0]


def test_sliding_backwards_down_an_icy_hill_is_backward_motion_not_distance():
    """A FWD car at full throttle on a 30 % icy grade slides back: distance is negative (forward
    travel), no acceleration KPI is reported, and the verdict fails with a backward-motion event."""
    icy_hill = Road(name="ice-30", segments=((0.0, "ice", "ice"),), grade_pct=30.0)
    r = tm.simulate("leaf-e-plus", Accel(t_max_s=3.0), surface=icy_hill, sensors="ideal")
    assert r["distance"][-1] < -1.0
    assert np.isnan(r.kpis["quarter_mile_s"]) and np.isnan(r.kpis["t_0_100_kmh_s"])
    assert r.kpis["backward_motion"] == 1.0 and r.passed is False
    assert any(e["kind"] == "backward" and "moved backwards" in e["message"] for e in r.info["events"])


def test_wheel_lift_and_tip_up_are_events_that_fail_the_verdict():
    """A 1.5 m high centre of gravity in a hard step steer lifts both inner wheels."""
    tall = tm.load_vehicle("leaf-e-plus").with_(cg_height_m=1.5)
    r = tm.simulate(tall, StepSteer(speed_kmh=80, lat_accel_m_s2=9.0, hold_s=2.0))
    kinds = {e["kind"] for e in r.info["events"]}
    assert {"wheel_lift", "rollover"} <= kinds
    assert r.kpis["wheel_lift"] == 1.0 and r.kpis["rollover"] == 1.0 and r.passed is False


def test_a_normal_car_in_the_same_manoeuvre_has_no_events():
    r = tm.simulate("leaf-e-plus", StepSteer(speed_kmh=80, lat_accel_m_s2=4.0, hold_s=2.0))
    assert r.info["events"] == [] and r.kpis["wheel_lift"] == r.kpis["rollover"] == r.kpis["backward_motion"] == 0.0
