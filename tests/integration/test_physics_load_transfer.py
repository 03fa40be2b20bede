"""Longitudinal load transfer and pitch: static axle loads, steady acceleration, braking, regeneration.

Analytic references (quasi-static, small angles, straight line, level road):

- At rest the axles carry m g lr / L (front) and m g lf / L (rear): the moment balance of the whole
  car about its centre of gravity.
- Under a steady longitudinal tire force Fx = sum of the four tire forces, the front axle load
  changes by  dFz_f = -h Fx / L - L_f  and the rear by  dFz_r = +h Fx / L - L_r, with L_f, L_r the
  aerodynamic lift on each axle. The model applies aerodynamic drag at the centre of gravity, so
  Fx = m a_x + F_drag: the textbook  -m a_x h / L  plus the drag's share (about 5 % at 60 km/h).
- Anti-geometry (Gillespie, Fundamentals of Vehicle Dynamics, 1992, sect. 7): the links of an
  axle take the fraction `a` of that axle's own share h Fx_axle / L, the springs the rest. `a` is
  anti_drive_fraction for torque reacted inboard (the axle's motor, drive and regeneration alike)
  and anti_brake_fraction for outboard friction brakes (chassis.anti_geometry_force). Spring force
  change per axle  dS_f = dFz_f + a_f h Fx_f / L,  dS_r = dFz_r - a_r h Fx_r / L;  body deflection
  dz = -dS / (2 k) at each axle's corners (k the wheel rate per corner); pitch (nose down positive)
  theta = (dz_r - dz_f) / L.

Changes are measured from the same car settled at rest (conftest.at_rest), so the references do not
depend on the static loads, which are checked on their own.
"""

from __future__ import annotations

import numpy as np
import pytest

import twinmotor as tm

SETTLED_FROM_S = 2.5  # the pitch mode (about 1.5 Hz, 30 % damping) has settled well before this
RUN_S = 4.0
V0_KMH = 40.0

CASES = [  # preset, front torque, rear torque [N m]: moderate, far from the tire limit
    ("leaf-e-plus", 150.0, 0.0),
    ("leaf-e-plus-awd", 100.0, 100.0),
    ("leaf-e-plus-awd", 0.0, 150.0),
    ("leaf-nismo-rc", 100.0, 100.0),
]


def axle_sums(res: tm.Result, prefix: str, sel) -> tuple[np.ndarray, np.ndarray]:
    return (res[f"{prefix}_fl"] + res[f"{prefix}_fr"])[sel], (res[f"{prefix}_rl"] + res[f"{prefix}_rr"])[sel]


def steady_run(sim, vehicle, front_nm: float, rear_nm: float, speed_kmh: float = V0_KMH):
    res = sim.run(vehicle, [(0.0, 0, 0, 0, 0), (10.0, 0, 0, 0, 0)], RUN_S, speed_m_s=speed_kmh * sim.KMH,
                  controller=sim.ConstantTorque(front_nm, rear_nm))
    return res, res["time"] >= SETTLED_FROM_S


def expected_changes(sim, res: tm.Result, sel) -> dict[str, np.ndarray]:
    """Analytic axle load and pitch changes (module docstring) from the run's own tire forces."""
    h, wb = sim.vp(res, "cg_height"), sim.vp(res, "lf") + sim.vp(res, "lr")
    vx = res["vx"][sel]
    fx_f, fx_r = axle_sums(res, "fx", sel)  # wheel-frame = body-frame forces at zero steer
    fx = fx_f + fx_r
    dfz_f = -h * fx / wb - sim.vp(res, "lift_k_f") * vx ** 2
    dfz_r = h * fx / wb - sim.vp(res, "lift_k_r") * vx ** 2
    # no friction brakes in these runs: an axle with a motor reacts its torque inboard
    a_f = sim.vp(res, "anti_drive_f") if sim.vp(res, "has_motor_f") > 0.5 else sim.vp(res, "anti_brake_f")
    a_r = sim.vp(res, "anti_drive_r") if sim.vp(res, "has_motor_r") > 0.5 else sim.vp(res, "anti_brake_r")
    ds_f = dfz_f + a_f * h * fx_f / wb
    ds_r = dfz_r - a_r * h * fx_r / wb
    dz_f = -ds_f / (2.0 * sim.vp(res, "spring_f"))
    dz_r = -ds_r / (2.0 * sim.vp(res, "spring_r"))
    return {"fx": fx, "dfz_f": dfz_f, "dfz_r": dfz_r, "pitch": (dz_r - dz_f) / wb}


@pytest.mark.parametrize("preset", ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"])
def test_static_axle_loads_at_rest(sim, preset):
    """A car at rest on a level road: front axle load m g lr / L and rear m g lf / L within 0.1 %
    (whole-car moment balance about the centre of gravity; the unsprung masses sit at the axles)."""
    res = sim.at_rest(tm.load_vehicle(preset))
    m, g = sim.vp(res, "mass"), sim.vp(res, "g")
    lf, lr = sim.vp(res, "lf"), sim.vp(res, "lr")
    front = res["fz_fl"][-1] + res["fz_fr"][-1]
    rear = res["fz_rl"][-1] + res["fz_rr"][-1]
    assert front + rear == pytest.approx(m * g, rel=1e-6)
    assert front == pytest.approx(m * g * lr / (lf + lr), rel=1e-3), (
        f"{preset}: front axle load at rest {front:.1f} N, expected m g lr / L = {m * g * lr / (lf + lr):.1f} N "
        f"(difference {front - m * g * lr / (lf + lr):+.1f} N)")
    assert rear == pytest.approx(m * g * lf / (lf + lr), rel=1e-3)


@pytest.mark.parametrize("preset,front_nm,rear_nm", CASES)
def test_longitudinal_load_transfer_under_steady_acceleration(sim, preset, front_nm, rear_nm):
    """Constant moderate motor torque (a plain-Python controller, no slip limiting) from 40 km/h:
    once the pitch transient has settled, the front axle load change equals -h (m a_x + F_drag) / L
    minus the front lift, from the measured a_x channel, within 2 %; the tires carry m a_x + F_drag."""
    car = tm.load_vehicle(preset)
    rest = sim.at_rest(car)
    res, sel = steady_run(sim, car, front_nm, rear_nm)
    m, h, wb = sim.vp(res, "mass"), sim.vp(res, "cg_height"), sim.vp(res, "lf") + sim.vp(res, "lr")
    vx, ax = res["vx"][sel], res["ax"][sel]
    drag = sim.vp(res, "drag_k") * vx ** 2
    assert np.min(ax) > 1.0  # a real acceleration, not a coast
    exp = expected_changes(sim, res, sel)
    np.testing.assert_allclose(exp["fx"], m * ax + drag, rtol=1e-3)
    fz_f, fz_r = axle_sums(res, "fz", sel)
    dfz_f = fz_f - (rest["fz_fl"][-1] + rest["fz_fr"][-1])
    dfz_r = fz_r - (rest["fz_rl"][-1] + rest["fz_rr"][-1])
    expected_f = -h * (m * ax + drag) / wb - sim.vp(res, "lift_k_f") * vx ** 2
    np.testing.assert_allclose(dfz_f, expected_f, rtol=0.02)
    np.testing.assert_allclose(dfz_r, exp["dfz_r"], rtol=0.02)


@pytest.mark.parametrize("preset,front_nm,rear_nm", CASES)
def test_steady_pitch_under_acceleration_from_springs_and_anti_geometry(sim, preset, front_nm, rear_nm):
    """Same runs: the settled pitch change equals (dz_r - dz_f) / L from the wheel rates and the
    anti-drive fractions (module docstring) within 5 %; nose up (negative) when accelerating."""
    car = tm.load_vehicle(preset)
    rest = sim.at_rest(car)
    res, sel = steady_run(sim, car, front_nm, rear_nm)
    expected = expected_changes(sim, res, sel)["pitch"]
    measured = res["pitch"][sel] - rest["pitch"][-1]
    assert np.all(expected < 0.0)
    np.testing.assert_allclose(measured, expected, rtol=0.05)


@pytest.mark.parametrize("preset,front_nm,rear_nm", [("leaf-e-plus", -100.0, 0.0), ("leaf-e-plus-awd", -60.0, -60.0)])
def test_regenerative_braking_pitch_follows_the_inboard_anti_geometry(sim, preset, front_nm, rear_nm):
    """Motor regeneration is torque reacted inboard: its pitch follows anti_drive_fraction, not
    anti_brake_fraction (the schema's contract). The two are set far apart (0.0 vs 0.8) so that the
    wrong one would be off by far more than the 5 % tolerance; nose down (positive) when slowing."""
    car = tm.load_vehicle(preset).with_(**{
        "battery.initial_soc": 0.5,  # full regen acceptance
        "suspension.front.anti_drive_fraction": 0.0, "suspension.front.anti_brake_fraction": 0.8,
        "suspension.rear.anti_drive_fraction": 0.0, "suspension.rear.anti_brake_fraction": 0.8,
    })
    rest = sim.at_rest(car)
    res, sel = steady_run(sim, car, front_nm, rear_nm, speed_kmh=90.0)
    assert np.max(res["ax"][sel]) < -1.0 and np.max(res["battery_power"][sel]) < 0.0  # regenerating
    expected = expected_changes(sim, res, sel)["pitch"]
    measured = res["pitch"][sel] - rest["pitch"][-1]
    assert np.all(expected > 0.0)
    np.testing.assert_allclose(measured, expected, rtol=0.05)


def test_more_anti_dive_means_less_pitch_under_braking(sim):
    """Full braking from 100 km/h (brake test, open controller): raising the front anti-dive
    (anti_brake_fraction) from the preset's 0.25 to 0.8 lowers the peak pitch, by roughly the share of
    the front spring load it takes away (at least 10 % here), and leaves the stopping distance
    within 1 % (anti-geometry moves load between springs and links, not between axles)."""
    car = tm.load_vehicle("leaf-e-plus")
    base = tm.simulate(car, "brake", "open", sensors="ideal")
    stiff = tm.simulate(car.with_(**{"suspension.front.anti_brake_fraction": 0.8}), "brake", "open", sensors="ideal")
    assert base.kpis["peak_pitch_deg"] > 1.0
    assert stiff.kpis["peak_pitch_deg"] < 0.9 * base.kpis["peak_pitch_deg"]
    assert stiff.kpis["stopping_distance_m"] == pytest.approx(base.kpis["stopping_distance_m"], rel=0.01)
