"""Coast-down: the deceleration of a freely rolling car equals its road load over its effective mass.

Analytic reference (level road, still air, straight line, small slip):

    m_eff * a = -(F_aero + F_roll + F_motor)
    F_aero  = 0.5 rho Cd A v^2
    F_roll  = sum over axles f_rr * Fz_axle,   Fz_axle = static axle load - lift_axle (lift = 0.5 rho C_l A v^2)
    F_motor = sum over driven axles G (2 - eta) |T_drag(G v / R)| / R
    m_eff   = m + sum_i I_w,i / R_i^2 + sum over motors J_rotor G^2 / R^2

T_drag is the motor's iron + friction drag torque (twinmotor.powertrain.motor.drag_torque). It
reaches the wheels through the reduction gear, which charges (1 - eta) of the power it carries
whatever its direction (powertrain.gearbox.axle_torque): the wheels supply (2 - eta) |T_drag| G.
Rolling resistance is the same fraction f_rr of the load on each axle, so the longitudinal load
transfer while coasting does not change F_roll when f_rr is equal front and rear (all presets).
"""

from __future__ import annotations

import numpy as np
import pytest

import twinmotor as tm

V0_KMH = 100.0
TOL = 0.03  # relative, the brief's tolerance; the model meets it to ~0.1 %


def coast(sim, vehicle) -> tm.Result:
    """2 s from 100 km/h with no pedals, open controller, level dry road."""
    return sim.run(vehicle, [(0.0, 0, 0, 0, 0), (5.0, 0, 0, 0, 0)], 2.0, speed_m_s=V0_KMH * sim.KMH)


def mean_deceleration(result: tm.Result, t0: float = 0.2, t1: float = 1.2) -> tuple[float, np.ndarray]:
    """Measured speed change rate over [t0, t1] and the speeds in that window (the first 0.2 s,
    while the tire deflections and the body settle from the initial state, are left out)."""
    t, vx = result["time"], result["vx"]
    sel = (t >= t0) & (t <= t1)
    return (vx[sel][-1] - vx[sel][0]) / (t[sel][-1] - t[sel][0]), vx[sel]


@pytest.mark.parametrize("preset", ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"])
def test_coasting_deceleration_matches_road_load(sim, preset):
    """From 100 km/h, no pedals, level dry road, open controller: over ~1 s the measured
    deceleration equals the analytic road load / effective mass (module docstring) within 3 %."""
    res = coast(sim, tm.load_vehicle(preset))
    measured, speeds = mean_deceleration(res)
    expected = float(np.mean([sim.road_load(res, v) for v in speeds]))
    assert expected < 0.0
    assert measured == pytest.approx(expected, rel=TOL), (
        f"{preset}: measured {measured:.4f} m/s^2, analytic {expected:.4f} m/s^2")


@pytest.mark.parametrize("preset", ["leaf-e-plus", "leaf-e-plus-awd"])
def test_idle_motor_drag_isolated(sim, preset):
    """The part of the coast-down due to the idle motors alone: the same car with its motors' iron
    and friction losses set to zero decelerates less, by G (2 - eta) |T_drag| / (R m_eff) per
    motor, within 3 % of that difference (about 10 % of the whole road load at 100 km/h)."""
    car = tm.load_vehicle(preset)
    lossless = {}
    for axle in ("front", "rear"):
        if getattr(car.powertrain, axle) is not None:
            lossless[f"powertrain.{axle}.motor.iron_loss_at_max_speed_kw"] = 0.0
            lossless[f"powertrain.{axle}.motor.friction_loss_at_max_speed_kw"] = 0.0
    with_drag = coast(sim, car)
    without = coast(sim, car.with_(**lossless))
    a_with, v_with = mean_deceleration(with_drag)
    a_without, v_without = mean_deceleration(without)
    expected = float(np.mean([sim.road_load(with_drag, v) for v in v_with])
                     - np.mean([sim.road_load(with_drag, v, motor_drag=False) for v in v_without]))
    assert expected < -0.01  # the idle motors do brake the car
    assert a_with - a_without == pytest.approx(expected, rel=TOL), (
        f"{preset}: motor drag share measured {a_with - a_without:.5f} m/s^2, analytic {expected:.5f} m/s^2")


@pytest.mark.parametrize("name", ["leaf-e-plus", "leaf-e-plus-awd"])
def test_one_pedal_stop_stays_stopped(name):
    """Lifting into the e-Pedal band from walking pace on a level road, with the production sensors:
    the car stops and then stands (it moves back by less than 1 cm in 30 s). A motor cannot
    regenerate at standstill, and a braking torque asked of it at an estimated speed a hair above
    zero would drive the car backwards; the friction brakes, which only oppose motion, hold it."""
    import numpy as np

    from twinmotor.simulation.runner import RunSpec, run_spec

    v = tm.load_vehicle(name)
    table = np.array([[0.0, 0.15, 0.0, 0.0, 0.0], [40.0, 0.15, 0.0, 0.0, 0.0]])  # inside the 0.25 band
    r = run_spec(v, RunSpec(t_end_s=40.0, driver_table=table, initial_speed_m_s=3.0, log_every=10),
                 tm.make_controller(None, v))
    s = r["distance"]
    t = r["time"]
    stopped = t > 10.0
    assert float(np.max(np.abs(r["vx"][stopped]))) < 0.01
    assert float(np.max(s) - s[-1]) < 0.01
