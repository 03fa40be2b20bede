"""What the integrated twin-motor controller buys, as numbers against the same car with baseline
control (fixed 50:50 split) and against the 2WD LEAF e+ with baseline control (issue 3's evidence).

Each test states the physical reason behind the expected ordering; tolerances are margins on
differences that are several times larger in the measured results (see the closing note).

The comparisons run with ideal sensors and the oracle estimator: they test the controller's design
layers given the car's state (the upper bound of what the design can do). With the production
sensor set and the estimation layer (the default of every run) several of these orderings are not
yet met (the launch on wet and ice against the fixed split, the 100-0 km/h stop, the wet limit step
steer, the cruise energy): issue 10's closing note gives the numbers."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.procedures import Accel, Brake, Cruise, RegenStop, SplitMuLaunch, StepSteer

AWD, FWD = "leaf-e-plus-awd", "leaf-e-plus"


@functools.cache
def run(vehicle: str, test_key: tuple, controller: str, surface: str = "dry"):
    name, kwargs = test_key[0], dict(test_key[1:])
    test = {"accel": Accel, "brake": Brake, "cruise": Cruise, "regen": RegenStop, "splitmu": SplitMuLaunch,
            "step": StepSteer}[name](**kwargs)
    v = tm.load_vehicle(vehicle)
    ctl = tm.make_controller(controller, v, estimator="oracle") if controller in ("baseline", "integrated") else controller
    return tm.simulate(v, test, ctl, surface, sensors="ideal")


@pytest.mark.parametrize("surface", ["snow", "ice"])
def test_launch_on_low_friction_integrated_beats_fixed_split_and_2wd(surface):
    """Snow and ice: the adaptive slip target sits at the tire's peak slip on that road (which
    falls with friction), the split follows the dynamic axle load, and what traction control takes
    from one axle goes to the other. 0-100 km/h: integrated AWD < fixed-split AWD < 2WD."""
    t_int = run(AWD, ("accel",), "integrated", surface).kpis["t_0_100_kmh_s"]
    t_fix = run(AWD, ("accel",), "baseline", surface).kpis["t_0_100_kmh_s"]
    t_2wd = run(FWD, ("accel",), "baseline", surface).kpis["t_0_100_kmh_s"]
    assert np.isfinite(t_int)
    # a car that never reaches 100 km/h (NaN) is beaten by one that does
    assert not np.isfinite(t_fix) or t_int < 0.97 * t_fix, (t_int, t_fix)
    assert not np.isfinite(t_2wd) or t_int < 0.7 * t_2wd, (t_int, t_2wd)


def test_launch_on_wet_integrated_no_slower_than_fixed_split_and_far_ahead_of_2wd():
    """Wet: with a 50:50 split the rear EM57 already runs at its 340 N m limit while the front is at
    its traction limit, so no split can add force: integrated equals fixed split (within 1 %) and
    both beat the 2WD car by more than 30 %."""
    t_int = run(AWD, ("accel",), "integrated", "wet").kpis["t_0_100_kmh_s"]
    t_fix = run(AWD, ("accel",), "baseline", "wet").kpis["t_0_100_kmh_s"]
    t_2wd = run(FWD, ("accel",), "baseline", "wet").kpis["t_0_100_kmh_s"]
    assert t_int <= 1.01 * t_fix
    assert t_int < 0.7 * t_2wd


def test_launch_slip_held_near_the_adaptive_target_on_snow():
    """Driven-wheel slip while traction limits (1-4 s on snow) averages within 35 % of the
    controller's target (0.9 x the tire's peak slip scaled by the road's friction)."""
    from twinmotor.control.params import vehicle_values
    from twinmotor.control.twin_motor import ADAPTIVE_SLIP_SHARE

    r = run(AWD, ("accel",), "integrated", "snow")
    vv = vehicle_values(tm.load_vehicle(AWD))
    target = ADAPTIVE_SLIP_SHARE * vv["slip_peak"] * tm.road.SURFACES["snow"]
    t = r["time"]
    w = (t > 1.0) & (t < 4.0)
    mean_slip = np.mean([np.mean(r[f"kappa_{c}"][w]) for c in ("fl", "fr", "rl", "rr")])
    assert abs(mean_slip - target) < 0.35 * target, (mean_slip, target)


def test_regen_stop_pitch_lower_and_energy_at_least_as_high_as_front_only_regen():
    """Stop from 60 km/h at 0.3 g: rear regeneration pulls the rear down through the rear
    anti-squat geometry and the pitch input shaper removes the overshoot, so peak pitch is lower
    than the e+ with front-only regeneration (>= 5 %), peak pitch rate much lower (>= 40 %), and at
    least as much energy comes back."""
    e = run(FWD, ("regen",), "baseline").kpis
    i = run(AWD, ("regen",), "integrated").kpis
    assert i["peak_pitch_deg"] < 0.95 * e["peak_pitch_deg"]
    assert i["peak_pitch_rate_deg_s"] < 0.6 * e["peak_pitch_rate_deg_s"]
    assert i["peak_jerk_m_s3"] < 0.5 * e["peak_jerk_m_s3"]
    assert i["energy_recovered_wh"] >= e["energy_recovered_wh"]


def test_braking_from_100_no_longer_and_more_energy_than_2wd():
    """Full braking: the stopping distance is within 1 % of either baseline (on the eco tires the
    integrated ABS target, 0.9 x peak slip, gives away about 0.6 %: a known gap, issue 11's note), and
    more energy comes back than with the 2WD car's front-only regeneration. (Against the fixed-split
    AWD car the shorter stop recovers less: the battery's 70 kW charge limit binds for most of the
    stop, so energy follows stopping time.)"""
    i = run(AWD, ("brake",), "integrated")
    b = run(AWD, ("brake",), "baseline")
    e = run(FWD, ("brake",), "baseline")
    assert i.kpis["stopping_distance_m"] <= 1.01 * b.kpis["stopping_distance_m"]
    assert i.kpis["stopping_distance_m"] <= 1.01 * e.kpis["stopping_distance_m"]
    assert i.energy_j["battery_regen"] > e.energy_j["battery_regen"]


@pytest.mark.parametrize("lat_accel", [7.0, 9.0])
def test_wet_limit_cornering_follows_reference_better_with_less_sideslip(lat_accel):
    """Step steer on wet asking for more than the road gives: the integrated controller's tighter
    yaw loop (motor split and single-wheel braking) keeps the yaw rate closer to the friction-
    limited reference (RMS error >= 5 % lower) and the sideslip angle >= 5 % lower than baseline."""
    b = run(AWD, ("step", ("lat_accel_m_s2", lat_accel)), "baseline", "wet").kpis
    i = run(AWD, ("step", ("lat_accel_m_s2", lat_accel)), "integrated", "wet").kpis
    assert i["yaw_rate_error_rms_deg_s"] < 0.95 * b["yaw_rate_error_rms_deg_s"]
    assert i["max_sideslip_deg"] < 0.95 * b["max_sideslip_deg"]


def test_split_mu_launch_straight_and_faster():
    """Left wheels on ice: the brake-based limited slip lets the dry-side wheels drive, the driver
    keeps the car straight: yaw deviation < 1 deg, drift < 0.1 m, and more
    distance in 5 s than the fixed-split car (whose open differentials are limited by the ice). With
    the production sensors, as in the comparison: the brake LSD is tuned for them (issue 10)."""
    i = tm.simulate(AWD, SplitMuLaunch(), "integrated").kpis
    b = tm.simulate(AWD, SplitMuLaunch(), "baseline").kpis
    assert i["yaw_deviation_deg"] < 1.0
    assert i["lateral_drift_m"] < 0.1
    assert i["distance_5s_m"] > 1.3 * b["distance_5s_m"]


@pytest.mark.parametrize("speed", [50.0, 100.0])
def test_cruise_uses_less_battery_power_than_fixed_50_50(speed):
    """Steady cruise: one motor alone saves the other inverter's torque-independent switching loss
    (0.3 kW) for a little extra copper loss, so the integrated split draws less battery power than
    a fixed 50:50 split (by at least 0.5 % at 100 km/h and 3 % at 50 km/h)."""
    b = run(AWD, ("cruise", ("speed_kmh", speed)), "baseline").kpis["battery_power_kw"]
    i = run(AWD, ("cruise", ("speed_kmh", speed)), "integrated").kpis["battery_power_kw"]
    margin = 0.03 if speed <= 50 else 0.005
    assert i < (1.0 - margin) * b, (i, b)


def test_every_preset_runs_every_controller_it_can():
    """The defaults work for every preset: each car completes accel and brake with baseline and
    (for twin-motor cars) integrated control, within the tires' friction limit."""
    for name in tm.list_presets():
        v = tm.load_vehicle(name)
        for ctl in (["baseline", "integrated"] if v.drive == "AWD" else ["baseline"]):
            a = tm.simulate(v, "accel", ctl)
            b = tm.simulate(v, "brake", ctl)
            assert 2.5 < a.kpis["t_0_100_kmh_s"] < 12.0
            # 100-0 km/h: modern road cars 35-42 m; the NISMO RC on slicks shorter
            assert 25.0 < b.kpis["stopping_distance_m"] < 45.0
