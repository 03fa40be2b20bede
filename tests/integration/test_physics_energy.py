"""Energy conservation over whole runs: what the battery's chemistry gives equals what the car gains
in kinetic energy plus everything lost on the way.

Reference (first law, over a run):

    E_chemical = dE_kinetic + E_battery_loss + E_motor_copper + E_inverter + E_motor_drag + E_gear
                 + E_brake + E_tire_slip + E_aero + E_rolling + E_damper + E_grade + E_aux

E_chemical is the open-circuit voltage times the current integrated (negative when regeneration
charges the battery); the kinetic energy counts translation, yaw, roll, pitch and heave of the body,
wheel spin and the motor rotors (assemble.kinetic_energy). Not counted: the elastic energy in the
springs and tire deflections, which is small and bounded (about 0.2 kJ here).
"""

from __future__ import annotations

import pytest

import twinmotor as tm
from twinmotor.simulation.assemble import initial_state, kinetic_energy

LOSSES = ("battery_loss", "motor_copper", "inverter", "motor_drag", "gear", "brake", "tire_slip", "aero", "rolling",
          "damper", "grade", "aux")
PRESETS = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"]
CONTROLLERS = ["open", None]  # None: the vehicle's default controller


def balance(res: tm.Result, initial_speed_m_s: float) -> tuple[float, float, float, float]:
    """(chemical energy, initial and final kinetic energy, sum of the losses) [J]."""
    model, x = res.info["model"], res.info["final_state"]
    ke0 = kinetic_energy(model, initial_state(model, initial_speed_m_s))
    ke1 = kinetic_energy(model, x)
    # dissipation is never negative (1 J of slack for the elastic energy in the tire deflections)
    assert all(res.energy_j[k] >= -1.0 for k in LOSSES if k != "grade"), res.energy_j
    return res.energy_j["battery_chemical"], ke0, ke1, sum(res.energy_j[k] for k in LOSSES)


@pytest.mark.parametrize("controller", CONTROLLERS)
@pytest.mark.parametrize("preset", PRESETS)
def test_energy_balance_full_throttle(preset, controller):
    """Full-throttle acceleration to 125 km/h: chemical energy = kinetic energy gained + losses, within
    1 % of the chemical energy."""
    res = tm.simulate(preset, "accel", controller)
    chem, ke0, ke1, losses = balance(res, 0.0)
    assert ke1 - ke0 > 0.5 * chem > 0.0  # most of the energy went into motion
    assert chem == pytest.approx(ke1 - ke0 + losses, rel=0.01), res.energy_j


@pytest.mark.parametrize("controller", CONTROLLERS)
@pytest.mark.parametrize("preset", PRESETS)
def test_energy_balance_full_braking(preset, controller):
    """Full braking 100-0 km/h: initial kinetic energy = final kinetic energy + losses - chemical
    energy (regeneration makes the last term positive), within 1 % of the initial kinetic energy."""
    res = tm.simulate(preset, "brake", controller)
    chem, ke0, ke1, losses = balance(res, 100.0 / 3.6)
    assert ke1 < 0.001 * ke0  # stopped
    assert ke0 == pytest.approx(ke1 + losses - chem, rel=0.01), res.energy_j


@pytest.mark.parametrize("preset,front_nm,rear_nm", [("leaf-e-plus", -100.0, 0.0), ("leaf-e-plus-awd", -60.0, -60.0)])
def test_energy_balance_regeneration(sim, preset, front_nm, rear_nm):
    """Motor regeneration only (constant negative torque, no friction brakes) from 90 km/h for 4 s:
    the battery is charged (negative chemical energy) and the balance holds within 1 % of the kinetic
    energy given up."""
    car = tm.load_vehicle(preset).with_(**{"battery.initial_soc": 0.5})
    v0 = 90.0 * sim.KMH
    res = sim.run(car, [(0.0, 0, 0, 0, 0), (10.0, 0, 0, 0, 0)], 4.0, speed_m_s=v0,
                  controller=sim.ConstantTorque(front_nm, rear_nm))
    chem, ke0, ke1, losses = balance(res, v0)
    assert res.energy_j["brake"] == 0.0
    assert chem < -0.3 * (ke0 - ke1)  # a good part of the kinetic energy went back into the battery
    assert ke0 - ke1 == pytest.approx(losses - chem, rel=0.01), res.energy_j


@pytest.mark.parametrize("test, dt, rate_hz, speed_kmh", [("accel", 5e-3, 200.0, 0.0), ("brake", 2e-3, 500.0, 100.0)])
def test_energy_balance_with_wheel_substeps(test, dt, rate_hz, speed_kmh):
    """A plant step longer than 1 ms integrates the wheels in sub-steps (simulation.plant): brake and
    tire-slip energies are summed over the sub-steps, and the balance still closes within 1 %."""
    res = tm.simulate("leaf-e-plus-awd", test, "integrated", dt=dt, controller_rate_hz=rate_hz)
    chem, ke0, ke1, losses = balance(res, speed_kmh / 3.6)
    scale = chem if test == "accel" else ke0
    assert (ke1 - ke0 + losses - chem) == pytest.approx(0.0, abs=0.01 * scale), res.energy_j
