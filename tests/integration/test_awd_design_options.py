"""What AWD costs and the design options that cut it: physical facts of the disconnect unit, the
induction front motor, the coast-down and energy conservation with the new loss paths."""

from __future__ import annotations

import pytest

import twinmotor as tm
from twinmotor.procedures.drive_cycle import DriveCycle
from twinmotor.simulation.assemble import initial_state, kinetic_energy

LOSSES = ("battery_loss", "motor_copper", "inverter", "motor_drag", "gear", "brake", "tire_slip", "aero", "rolling",
          "damper", "grade", "aux", "excitation", "spin", "disconnect")


@pytest.fixture(scope="module")
def wltc():
    return {v: tm.simulate(v, DriveCycle("wltc", "fast")).kpis
            for v in ("leaf-e-plus", "leaf-e-plus-awd", "leaf-e-plus-awd-disconnect", "leaf-e-plus-awd-induction")}


def test_design_options_cut_the_awd_penalty_but_not_below_2wd(wltc):
    """Both options remove most of the idle front motor's drag: the consumption lies between the 2WD
    car (which is lighter and has one drive unit) and the always-connected AWD car."""
    two, awd = wltc["leaf-e-plus"]["energy_kwh_per_100km"], wltc["leaf-e-plus-awd"]["energy_kwh_per_100km"]
    for v in ("leaf-e-plus-awd-disconnect", "leaf-e-plus-awd-induction"):
        assert two < wltc[v]["energy_kwh_per_100km"] < awd
        assert wltc[v]["motor_drag_kwh"] < 0.7 * wltc["leaf-e-plus-awd"]["motor_drag_kwh"]


def test_disconnect_kpis_account_for_time(wltc):
    k = wltc["leaf-e-plus-awd-disconnect"]
    assert 0.0 < k["secondary_connected_pct"] < 100.0
    assert k["secondary_engagements"] >= 1.0
    assert "secondary_connected_pct" not in wltc["leaf-e-plus-awd"]


def test_disconnect_engages_for_a_full_throttle_launch():
    """At standstill the unit is engaged, so a full-throttle launch is as quick as the always-connected car."""
    t_awd = tm.simulate("leaf-e-plus-awd", "accel").kpis["t_0_100_kmh_s"]
    res = tm.simulate("leaf-e-plus-awd-disconnect", "accel")
    assert res.kpis["t_0_100_kmh_s"] == pytest.approx(t_awd, abs=0.05)
    assert res.kpis["secondary_connected_pct"] > 95.0


def test_induction_front_builds_flux_before_torque():
    """From rest the induction front motor is unexcited: it gives torque only as its flux builds
    (time constant 0.15 s), so the launch is at most slightly slower than with the EM57."""
    t_pm = tm.simulate("leaf-e-plus-awd", "accel").kpis["t_0_100_kmh_s"]
    res = tm.simulate("leaf-e-plus-awd-induction", "accel")
    assert t_pm <= res.kpis["t_0_100_kmh_s"] < t_pm + 0.3
    assert res["flux_front"][0] < 0.05 and res["flux_front"][-1] > 0.99


def test_energy_balance_with_excitation_spin_and_disconnect():
    """First law over a full-throttle run of the disconnect and induction variants, within 1 % of the
    chemical energy: the new loss paths (excitation, spin, disconnect) are counted exactly once."""
    for v in ("leaf-e-plus-awd-disconnect", "leaf-e-plus-awd-induction"):
        res = tm.simulate(v, "accel")
        model, x = res.info["model"], res.info["final_state"]
        ke0 = kinetic_energy(model, initial_state(model, 0.0))
        ke1 = kinetic_energy(model, x)
        losses = sum(res.energy_j[k] for k in LOSSES)
        assert res.energy_j["battery_chemical"] == pytest.approx(ke1 - ke0 + losses, rel=0.01), res.energy_j


def test_coastdown_recovers_the_analytic_road_load():
    """With the drivetrain's drag switched off, the fitted A and C are rolling resistance m g f_r and the
    aero term 0.5 rho Cd A / 3.6^2 (v in km/h), B near zero."""
    car = tm.load_vehicle("leaf-e-plus").with_(**{
        "powertrain.front.motor.iron_loss_at_max_speed_kw": 0.0, "powertrain.front.motor.friction_loss_at_max_speed_kw": 0.0,
        "powertrain.front.spin_losses.spin_loss_at_100_kmh_w": 0.0,
        "wheel_ends.front.bearing_drag_nm": 0.0, "wheel_ends.front.brake_residual_drag_nm": 0.0,
        "wheel_ends.rear.bearing_drag_nm": 0.0, "wheel_ends.rear.brake_residual_drag_nm": 0.0,
        "aero.lift_coefficient_front": 0.0, "aero.lift_coefficient_rear": 0.0})
    k = tm.simulate(car, "coastdown").kpis
    a = car.aero
    assert k["coastdown_a_n"] == pytest.approx(car.mass_kg * 9.80665 * 0.008, rel=0.05)
    assert k["coastdown_c_n_per_kmh2"] == pytest.approx(0.5 * a.air_density_kg_m3 * a.drag_coefficient * a.frontal_area_m2
                                                        / 3.6**2, rel=0.03)
    assert abs(k["coastdown_b_n_per_kmh"]) < 0.1


def test_idle_induction_front_stays_unexcited_while_cruising():
    """Cruising straight at 50 km/h with the production sensors the rear motor drives alone: the
    induction front motor is never asked for torque by sensor noise, so it stays unexcited (flux
    below 5 % after the first second) and, with no magnet drag, the car draws less battery power
    than the AWD car whose idle EM57 front drags."""
    from twinmotor.procedures import Cruise

    ind = tm.simulate("leaf-e-plus-awd-induction", Cruise(speed_kmh=50.0), "integrated")
    pm = tm.simulate("leaf-e-plus-awd", Cruise(speed_kmh=50.0), "integrated")
    t = ind["time"]
    assert float(ind["flux_front"][t > 1.0].max()) < 0.05
    assert ind.kpis["battery_power_kw"] < pm.kpis["battery_power_kw"]


def test_lane_change_reports_the_disconnect_unit():
    """The lane change (a procedure with its own run) reports the disconnect unit's KPIs of the run
    it keeps: the share of time engaged is the share of that run's samples with the unit closed
    (within one sample), and there are no more engagements than open-to-closed transitions."""
    import numpy as np

    from twinmotor.procedures import LaneChange

    res = tm.simulate("leaf-e-plus-awd-disconnect", LaneChange(entry_speed_kmh=50.0), "integrated")
    closed = np.asarray(res["coupling_front"]) >= 1.0
    share = 100.0 * float(np.mean(closed))
    assert res.kpis["secondary_connected_pct"] == pytest.approx(share, abs=100.0 / closed.size + 1e-9)
    assert res.kpis["secondary_engagements"] == float(np.sum(closed[1:] & ~closed[:-1]))
