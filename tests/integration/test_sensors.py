"""The production sensor set: noise as configured, delay in whole controller steps, tone-wheel
quantisation (the period measurement is exact at constant speed, and a wheel slower than one tooth
per time-out reads zero), offsets within their bounds, repeatable per seed, typical by default."""

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
    ideal, _ = _record(Sensors())
    err = rows[:, 1:5] - ideal[:, 1:5]
    assert abs(err.mean()) < 0.02
    assert err.std() == pytest.approx(0.3, rel=0.1)


def test_delay_shifts_every_measurement_by_whole_controller_steps():
    """A 10 ms delay at a 1 kHz controller: each measurement equals the ideal one 10 samples earlier."""
    rows, _ = _record(Sensors(delay_s=0.010))
    ideal, _ = _record(Sensors())
    assert np.array_equal(rows[20:, 1:], ideal[10:-10, 1:])


def test_noise_is_repeatable_for_a_seed_and_differs_between_seeds():
    a, _ = _record(Sensors.typical(seed=4))
    b, _ = _record(Sensors.typical(seed=4))
    c, _ = _record(Sensors.typical(seed=5))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_typical_sensors_are_the_default():
    r0 = tm.simulate("leaf-e-plus-awd", tm.procedures.Brake(t_max_s=1.0), "integrated")
    r1 = tm.simulate("leaf-e-plus-awd", tm.procedures.Brake(t_max_s=1.0), "integrated", sensors="typical")
    r2 = tm.simulate("leaf-e-plus-awd", tm.procedures.Brake(t_max_s=1.0), "integrated", sensors="ideal")
    assert np.array_equal(r0["meas_ax"], r1["meas_ax"]) and np.array_equal(r0["vx"], r1["vx"])
    assert not np.array_equal(r0["meas_ax"], r2["meas_ax"])


def test_tone_wheel_period_measurement_is_exact_at_constant_speed():
    """At about 20 m/s (no torque, the car coasting) a 48-tooth wheel's period measurement reads the
    true speed within 0.02 % (the speed's change over a tooth period of ~2 ms)."""
    rows, _ = _record(Sensors(wheel_teeth=48))
    ideal, _ = _record(Sensors())
    assert np.max(np.abs(rows[50:, 1] - ideal[50:, 1]) / ideal[50:, 1]) < 2e-4


def test_a_slow_wheel_reads_zero_between_its_edges():
    """0.1 m/s on a 48-tooth wheel is one edge every ~0.4 s: after each edge the sensor reports the
    tooth pitch over the edge interval (the mean speed over it), and zero once the 0.15 s time-out has
    passed without a new edge, so it reads zero most of the time."""
    rows, _ = _record(Sensors(wheel_teeth=48, wheel_timeout_s=0.15), t_end=2.0, speed=0.1)
    ideal, _ = _record(Sensors(), t_end=2.0, speed=0.1)
    w, true = rows[:, 1], ideal[:, 1]
    assert np.mean(w == 0.0) > 0.5
    nonzero = (w != 0.0) & (rows[:, 0] > 0.5)
    # a mean over the last tooth interval, held while the coasting wheel slows: between the speed
    # now and the speed one edge interval (plus the time-out) earlier
    lag = int(round((2 * np.pi / 48 / true[-1] + 0.15) / 1e-3))
    for i in np.flatnonzero(nonzero):
        assert true[i] - 1e-12 <= w[i] <= true[max(i - lag, 0)] + 1e-12


def test_offsets_are_drawn_within_their_bounds_and_repeat_per_seed():
    from twinmotor.sensors import SP

    for seed in range(20):
        p, _ = Sensors.typical(seed=seed).arrays(1e-3)
        assert abs(p[SP["accel_bias_x"]]) <= 0.05 and abs(p[SP["gyro_bias_r"]]) <= 0.002
        assert abs(p[SP["torque_gain_f"]] - 1.0) <= 0.03 and abs(p[SP["brake_gain_fl"]] - 1.0) <= 0.10
    a, _ = Sensors.typical(seed=3).arrays(1e-3)
    b, _ = Sensors.typical(seed=3).arrays(1e-3)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("bad,match", [
    (dict(accel_noise_m_s2=-0.1), r"sensors.accel_noise_m_s2 = -0.1 is out of range: allowed 0.0 to 5.0 m/s\^2"),
    (dict(wheel_teeth=12.5), r"sensors.wheel_teeth = 12.5 must be a whole number"),
    (dict(seed=-1), r"sensors.seed = -1 is out of range"),
])
def test_bad_sensor_settings_are_refused_naming_the_setting(bad, match):
    with pytest.raises(ParameterError, match=match):
        Sensors(**bad)


def test_unknown_sensor_sets_and_too_long_delays_are_refused():
    from twinmotor.sensors import make_sensors

    with pytest.raises(ParameterError, match=r"sensors = 'perfect' is unknown: choose one of ideal, typical, poor"):
        make_sensors("perfect")
    with pytest.raises(ParameterError, match=r"sensors.delay_s = 0.2 s is 400 controller periods of 0.0005 s"):
        Sensors(delay_s=0.2).arrays(0.0005)


def test_out_of_range_sensor_values_are_refused():
    with pytest.raises(ParameterError, match=r"sensors.delay_s = 0.5 is out of range: allowed 0.0 to 0.2 s"):
        Sensors(delay_s=0.5)
