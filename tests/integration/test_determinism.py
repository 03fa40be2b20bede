"""Reproducibility: the same case gives the same numbers, and a controller written in Python gives
what the same controller compiled into the loop gives.

References: the plant, driver and controllers are deterministic fixed-step code with no random
input, so two runs must agree bit for bit; a Python controller that returns the commands of the
compiled open controller feeds the plant the same numbers at the same instants, so KPIs must agree
to rounding (1e-6 relative is the brief's bound; they agree exactly here).
"""

from __future__ import annotations

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.control import OpenLoopController
from twinmotor.layout import DRIVER_SPEED


class PythonOpenLoop:
    """A user controller in plain Python that reproduces the open controller by calling its step."""

    name = "python-open"

    def __init__(self):
        self.inner = OpenLoopController()

    def reset(self, vehicle):
        self.inner.reset(vehicle)

    def step(self, measurements, driver, dt):
        return self.inner.step(measurements, driver, dt)


@pytest.mark.parametrize("controller", ["open", None])
@pytest.mark.parametrize("preset,test", [("leaf-e-plus", "accel"), ("leaf-e-plus-awd", "accel"),
                                         ("leaf-e-plus-awd", "brake"), ("leaf-nismo-rc", "brake")])
def test_same_case_twice_gives_bit_identical_channels(preset, test, controller):
    """Every logged channel, the KPIs and the energy accumulators: np.array_equal / ==."""
    first = tm.simulate(preset, test, controller)
    second = tm.simulate(preset, test, controller)
    assert first.channels.keys() == second.channels.keys()
    for name in first.channels:
        assert np.array_equal(first[name], second[name]), name
    assert first.energy_j == second.energy_j
    assert first.kpis.keys() == second.kpis.keys()
    for k in first.kpis:
        assert np.array_equal(first.kpis[k], second.kpis[k], equal_nan=True), k


@pytest.mark.parametrize("preset,test", [("leaf-e-plus", "accel"), ("leaf-e-plus-awd", "accel"),
                                         ("leaf-e-plus", "brake"), ("leaf-e-plus-awd", "brake")])
def test_python_controller_reproduces_the_compiled_controller(preset, test):
    """The standard tests through the Python-controller path (the plant stepped one controller period
    at a time) give the compiled path's KPIs within 1e-6 relative."""
    compiled = tm.simulate(preset, test, "open")
    python = tm.simulate(preset, test, PythonOpenLoop())
    assert python.controller == "python-open"
    for k, v in compiled.kpis.items():
        if k.startswith("est_"):
            continue  # a Python controller has no estimation layer to score
        assert python.kpis[k] == pytest.approx(v, rel=1e-6), k


def test_python_controller_with_the_speed_driver(sim):
    """The same equivalence with the closed-loop speed driver (driver kind 1, PI on speed): a step of
    the target speed from 60 to 70.8 km/h, speed and throttle within 1e-6 of the compiled path."""
    v0 = 60.0 * sim.KMH
    rows = [(0.0, 0, 0, 0.0, v0), (1.0, 0, 0, 0.0, v0 + 3.0), (10.0, 0, 0, 0.0, v0 + 3.0)]
    gains = {"kp_speed": 0.5, "ki_speed": 0.5}
    car = tm.load_vehicle("leaf-e-plus")
    compiled = sim.run(car, rows, 5.0, speed_m_s=v0, driver_kind=DRIVER_SPEED, driver_gains=gains)
    python = sim.run(car, rows, 5.0, speed_m_s=v0, driver_kind=DRIVER_SPEED, driver_gains=gains,
                     controller=PythonOpenLoop())
    np.testing.assert_allclose(python["vx"], compiled["vx"], rtol=1e-6,
                               err_msg="Python-controller path departs from the compiled path with the speed driver")
    np.testing.assert_allclose(python["throttle"], compiled["throttle"], rtol=1e-6, atol=1e-9)
