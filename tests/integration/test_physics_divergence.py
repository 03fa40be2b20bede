"""A run that leaves the model's valid range stops with SimulationDiverged, whose message says when,
which state and what to try; a step too large for the explicit plant is refused up front.

References: the runaway limits of simulation.core.RUNAWAY (|roll| <= 0.6 rad etc.) and the checks
for NaN/inf after every plant step; errors.SimulationDiverged.
"""

from __future__ import annotations

import math
import re

import pytest

import twinmotor as tm
from twinmotor.control import Commands


def rollover_car() -> tm.Vehicle:
    """A car that must tip over in a sharp turn: centre of gravity 1.5 m high on 1.0 m tracks
    (static stability factor t / 2h = 0.33 g), the softest springs the schema allows, no anti-roll bars."""
    return tm.load_vehicle("leaf-e-plus").with_(**{
        "cg_height_m": 1.5, "track_front_m": 1.0, "track_rear_m": 1.0,
        "suspension.front.spring_rate_n_m": 5e3, "suspension.rear.spring_rate_n_m": 5e3,
        "suspension.front.anti_roll_stiffness_nm_rad": 0.0, "suspension.rear.anti_roll_stiffness_nm_rad": 0.0,
    })


def test_rollover_raises_simulation_diverged_with_time_state_and_hint(sim):
    """A 0.1 rad steer step at 100 km/h (about 0.9 g demanded against a 0.33 g rollover threshold):
    the roll angle passes its 0.6 rad limit within a second and the run stops with a message naming
    the time, the state 'roll', its value and a hint about CG height, track and roll stiffness."""
    with pytest.raises(tm.SimulationDiverged) as info:
        sim.run(rollover_car(), [(0.0, 0, 0, 0.0, 0), (0.1, 0, 0, 0.1, 0), (5.0, 0, 0, 0.1, 0)], 3.0,
                speed_m_s=100.0 * sim.KMH)
    err = info.value
    assert err.state == "roll" and abs(err.value) > 0.6
    assert 0.1 < err.time_s < 1.0
    msg = str(err)
    assert re.search(rf"t = {err.time_s:.4f} s", msg)
    assert "'roll'" in msg and "CG height" in msg and "roll stiffness" in msg


def test_nan_from_a_user_controller_is_refused_naming_the_controller(sim):
    """A plain-Python controller that starts returning NaN torque at t = 0.5 s: the run stops at that
    controller step with an error that names the controller, the commands and the time, instead of
    returning NaN channels or blaming the plant."""

    class BrokenController:
        name = "broken"

        def reset(self, vehicle):
            pass

        def step(self, measurements, driver, dt):
            return Commands(math.nan if measurements.time_s >= 0.5 else 0.0, 0.0)

    with pytest.raises(tm.ParameterError) as info:
        sim.run(tm.load_vehicle("leaf-e-plus"), [(0.0, 0, 0, 0, 0), (5.0, 0, 0, 0, 0)], 2.0, speed_m_s=10.0,
                controller=BrokenController())
    msg = str(info.value)
    assert "controller 'broken'" in msg and "nan" in msg and "t = 0.500 s" in msg


@pytest.mark.parametrize("dt", [0.01, 5e-5])
def test_step_outside_the_stable_range_is_refused(dt):
    """dt outside 0.1-5 ms is refused before running, naming dt, the value and the allowed range."""
    with pytest.raises(tm.ParameterError, match=r"dt = .* out of range: allowed 0\.0001 to 0\.005 s"):
        tm.simulate("leaf-e-plus", "accel", "open", dt=dt)
