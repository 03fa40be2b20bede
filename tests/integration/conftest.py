"""Shared helpers of the integration tests: prescribed runs through the public API.

The helpers are handed out as fixtures (the suite runs with --import-mode=importlib, where a test
module cannot import this file by name).
"""

from __future__ import annotations

import math
from functools import lru_cache
from types import SimpleNamespace

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.control import Commands, OpenLoopController
from twinmotor.layout import VP
from twinmotor.powertrain.motor import M_INERTIA, drag_torque
from twinmotor.road import Road
from twinmotor.simulation.runner import RunSpec, run_spec

KMH = 1.0 / 3.6


class ConstantTorque:
    """A user controller (plain Python) that commands fixed motor torques [N m] and no brakes:
    no slip limiting, no pedal map, so the plant's response to a known torque can be checked."""

    name = "constant-torque"

    def __init__(self, front_nm: float = 0.0, rear_nm: float = 0.0):
        self.front_nm = front_nm
        self.rear_nm = rear_nm

    def reset(self, vehicle) -> None:
        pass

    def step(self, measurements, driver, dt) -> Commands:
        return Commands(self.front_nm, self.rear_nm)


def table(*rows) -> np.ndarray:
    """Driver table from rows (time_s, throttle, brake, steer_rad, target_speed_m_s)."""
    return np.array(rows, dtype=np.float64)


def run(vehicle, rows, t_end_s: float, *, speed_m_s: float = 0.0, controller=None, road: Road | None = None,
        **spec_options) -> tm.Result:
    """One prescribed run: driver table `rows`, start at `speed_m_s`, open controller by default, ideal
    sensors (these tests check the vehicle's physics: the sensors' offsets and noise would break its
    symmetries and conservation laws on purpose; tests/integration/test_sensors.py checks them)."""
    spec = RunSpec(t_end_s=t_end_s, driver_table=table(*rows), initial_speed_m_s=speed_m_s, road=road,
                   **spec_options)
    return run_spec(vehicle, spec, controller if controller is not None else OpenLoopController(), sensors="ideal")


@lru_cache(maxsize=16)
def _at_rest(vehicle_json: str) -> tm.Result:
    vehicle = tm.Vehicle.model_validate_json(vehicle_json)
    return run(vehicle, [(0.0, 0, 0, 0, 0), (10.0, 0, 0, 0, 0)], 4.0, controller=ConstantTorque())


def at_rest(vehicle) -> tm.Result:
    """The car left standing for 4 s on a level road: its settled loads and pitch are the reference
    from which load transfer and pitch changes are measured (cached per vehicle)."""
    return _at_rest(vehicle.model_dump_json())


def vp(result: tm.Result, name: str) -> float:
    """A compiled vehicle parameter of the run (see simulation.layout.VP_NAMES)."""
    return float(result.info["model"].vp[VP[name]])


def road_load(result: tm.Result, vx: float, grade_rad: float = 0.0, motor_drag: bool = True) -> float:
    """Analytic acceleration [m/s^2] of the car coasting straight at speed vx [m/s] on a road of
    grade grade_rad (positive uphill): gravity, aero drag, rolling resistance on the lift-reduced axle
    loads, wheel-bearing and released-brake drag, the drive units' spin losses and the idle motors'
    drag through the gear, over the effective mass with the wheels' and
    rotors' inertia (see test_physics_coasting for the equations)."""
    model = result.info["model"]
    m, g = vp(result, "mass"), vp(result, "g")
    lf, lr = vp(result, "lf"), vp(result, "lr")
    wb = lf + lr
    force = -m * g * math.sin(grade_rad) - vp(result, "drag_k") * vx * vx
    fz_front = m * g * math.cos(grade_rad) * lr / wb - vp(result, "lift_k_f") * vx * vx
    fz_rear = m * g * math.cos(grade_rad) * lf / wb - vp(result, "lift_k_r") * vx * vx
    force -= vp(result, "rr_coeff_f") * fz_front + vp(result, "rr_coeff_r") * fz_rear
    m_eff = m
    for axle, mc in (("f", model.mc_f), ("r", model.mc_r)):
        radius = vp(result, f"radius_{axle}")
        m_eff += 2.0 * vp(result, f"wheel_inertia_{axle}") / radius ** 2
        # wheel-bearing and released-brake drag on both wheels of the axle
        force -= 2.0 * vp(result, f"wheel_drag_{axle}") / radius
        if vp(result, f"has_motor_{axle}") > 0.5:
            ratio, eta = vp(result, f"gear_{axle}"), vp(result, f"gear_eff_{axle}")
            wm = ratio * vx / radius
            # the drive unit's spin loss P_100 (w / w_100)^n acts on the motor shaft like the motor's drag
            w100 = vp(result, f"spin_speed100_{axle}")
            t_spin = -vp(result, f"spin_w100_{axle}") / w100 * (wm / w100) ** (vp(result, f"spin_exp_{axle}") - 1.0)
            force += ratio * (2.0 - eta) * t_spin / radius
            if motor_drag:
                force += ratio * (2.0 - eta) * drag_torque(wm, mc) / radius
            m_eff += mc[M_INERTIA] * ratio ** 2 / radius ** 2
    return force / m_eff


@pytest.fixture(scope="session")
def sim() -> SimpleNamespace:
    """The helpers above as one namespace: sim.run, sim.table, sim.road_load, sim.at_rest, sim.vp,
    sim.ConstantTorque, sim.KMH."""
    return SimpleNamespace(run=run, table=table, road_load=road_load, at_rest=at_rest, vp=vp,
                           ConstantTorque=ConstantTorque, KMH=KMH)
