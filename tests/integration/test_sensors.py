"""Sensor noise and delay: statistics as configured, repeatable, and ideal by default."""

from __future__ import annotations

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.errors import ParameterError
from twinmotor.sensors import Sensors
from twinmotor.simulation.runner import RunSpec, run_spec


class Recorder:
    """A plain-Python controller that records what it measures and commands nothing."""

    name = "recorder"

    def reset(self, vehicle):
        self.rows = []

    def step(self, m, driver, dt):
        self.rows.append((m.time_s, *m.wheel_speed_rad_s, m.yaw_rate_rad_s, m.true_vx_m_s))
        return tm.Commands()


def _record(sensors, t_end=2.0, speed=20.0):
    car = tm.load_vehicle("leaf-e-plus")
    table = np.array([[0.0, 0, 0, 0.0, 0], [t_end, 0, 0, 0.0, 0]])
    rec = Recorder()
    res = run_spec(car, RunSpec(t_end_s=t_end, driver_table=table, initial_speed_m_s=speed), rec, sensors=sensors)
    return np.array(rec.rows), res


def test_wheel_speed_noise_has_the_configured_rms():
    """Measured minus true wheel speed: zero mean, RMS equal to the configured 0.3 rad/s within 10 %."""
    rows, res = _record(Sensors(wheel_speed_noise_rad_s=0.3, seed=1))
    ideal, _ = _record(None)
    err = rows[:, 1:5] - ideal[:, 1:5]
    assert abs(err.mean()) < 0.02
    assert err.std() == pytest.approx(0.3, rel=0.1)


def test_delay_shifts_every_measurement_by_whole_controller_steps():
    """A 10 ms delay at a 1 kHz controller: each measurement equals the ideal one 10 samples earlier."""
    rows, _ = _record(Sensors(delay_s=0.010))
    ideal, _ = _record(None)
    assert np.array_equal(rows[20:, 1:], ideal[10:-10, 1:])


def test_noise_is_repeatable_for_a_seed_and_differs_between_seeds():
    a, _ = _record(Sensors.typical(seed=4))
    b, _ = _record(Sensors.typical(seed=4))
    c, _ = _record(Sensors.typical(seed=5))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_ideal_sensors_change_nothing():
    r0 = tm.simulate("leaf-e-plus-awd", "brake", "integrated")
    r1 = tm.simulate("leaf-e-plus-awd", "brake", "integrated", sensors=Sensors())
    assert r0.kpis == r1.kpis


def test_out_of_range_sensor_values_are_refused():
    with pytest.raises(ParameterError, match=r"sensors.delay_s = 0.5 is out of range: allowed 0.0 to 0.2 s"):
        Sensors(delay_s=0.5)
