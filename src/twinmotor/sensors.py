"""The car's sensors: what a production ECU measures, and how it differs from the truth.

A production chassis ECU sees four wheel-speed sensors, an inertial measurement unit (IMU), the
steering-wheel angle, the motor controllers' speed and torque estimates, the battery's voltage and
current and the brake pressure. This module describes each with its imperfections; the compiled
loop (`twinmotor.simulation.core.sensor_model`) applies them every controller step:

- wheel speed: an active sensor on a toothed tone wheel gives an edge per tooth; the ECU computes
  the speed from the time between edges (period measurement), so below a few km/h the signal is
  coarse and late, and at standstill it falls to zero only after a time-out. Plus timing jitter
  (as speed noise).
- IMU: longitudinal and lateral acceleration (specific force, so the body's pitch and roll tilt
  gravity into it), yaw, roll and pitch rate; each with white noise and a constant offset drawn
  per seed within the stated bias; mounted at an offset from the centre of gravity (the
  accelerometers then also see yaw acceleration and centripetal terms).
- steering-wheel angle: quantised to the sensor's resolution, plus noise.
- motor speed (resolver) with noise; motor torque as the inverter estimates it from the phase
  currents: a relative error (flux-linkage uncertainty) and noise.
- battery voltage and current with noise; brake torque per wheel from the brake pressure with a
  relative error (pad friction coefficient uncertainty).
- all signals reach the controller after a transport delay (sensor filtering plus CAN bus).

The sets: `ideal` (the truth), `typical` (the default for every run: a current production ESC
sensor cluster) and `poor` (worn or low-cost sensors: for robustness checks). Every figure of
`typical` and `poor` is an *estimate* from the class of sensor, with the reasoning in
`SENSOR_FIGURES`; none is a measurement of the LEAF's own parts.

Noise is drawn in blocks by numpy's generator (PCG64) seeded with `seed` and read row by row in the
compiled loop (one row per controller step: the draws cost a few nanoseconds each there instead
of a generator call per value), so runs stay bit-identical for the same inputs, however the run
is cut into chunks; `seed` also draws the offsets within their bounds (from a separate stream).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from twinmotor.errors import ParameterError, range_error
from twinmotor.layout import name_index

#: the documents the sensor figures lean on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("kiencke2005automotive", "vanzanten2000bosch")

#: name -> (allowed low, high, unit, what it is, reasoning for the typical value)
SENSOR_FIGURES: dict[str, tuple[float, float, str, str, str]] = {
    "wheel_teeth": (0, 200, "-", "teeth of each wheel's tone wheel (0: ideal, continuous speed)",
                    "estimate: 48 teeth, the common ABS tone-wheel count (active Hall sensors on a 48-pole ring)"),
    "wheel_speed_noise_rad_s": (0.0, 10.0, "rad/s", "wheel-speed noise (edge-timing jitter) RMS",
                                "estimate: 0.05 rad/s, about 0.2 % of 25 rad/s from ~10 us jitter per edge"),
    "wheel_timeout_s": (0.01, 2.0, "s", "no edge for this long: the wheel counts as stopped",
                        "estimate: 0.15 s, about 1 km/h on a 48-tooth wheel (the usual ABS floor)"),
    "accel_noise_m_s2": (0.0, 5.0, "m/s^2", "accelerometer noise RMS at the controller rate",
                         "estimate: 0.05 m/s^2, a consumer ESC-grade MEMS sensor at 1 kHz bandwidth"),
    "accel_bias_m_s2": (0.0, 2.0, "m/s^2", "largest accelerometer offset (drawn per seed)",
                        "estimate: 0.05 m/s^2 residual offset after the ECU's standstill calibration"),
    "gyro_noise_rad_s": (0.0, 1.0, "rad/s", "gyroscope noise RMS (yaw, roll, pitch rate)",
                         "estimate: 0.003 rad/s, ESC yaw-rate sensor class"),
    "gyro_bias_rad_s": (0.0, 0.5, "rad/s", "largest gyroscope offset (drawn per seed)",
                        "estimate: 0.002 rad/s (0.1 deg/s) after offset compensation at standstill"),
    "imu_offset_x_m": (-3.0, 3.0, "m", "IMU position ahead of the centre of gravity",
                       "estimate: 0.10 m, ESC sensor clusters sit on the tunnel near the CG"),
    "imu_offset_y_m": (-1.0, 1.0, "m", "IMU position left of the centre of gravity",
                       "estimate: 0.0 m, on the centre line"),
    "steer_resolution_rad": (0.0, 0.05, "rad", "steering-wheel angle sensor resolution (at the steering wheel)",
                             "estimate: 0.1 deg (0.0017 rad), typical optical/magnetic steering-angle sensors"),
    "steer_noise_rad": (0.0, 0.05, "rad", "steering-wheel angle noise RMS (at the steering wheel)",
                        "estimate: 0.001 rad"),
    "motor_speed_noise_rad_s": (0.0, 50.0, "rad/s", "motor speed (resolver) noise RMS",
                                "estimate: 0.5 rad/s, resolver-to-digital conversion at 1 kHz"),
    "motor_torque_error": (0.0, 0.5, "-", "largest relative error of the inverter's torque estimate (drawn per seed)",
                           "estimate: 3 %, flux-linkage and current-sensor tolerance of a PMSM drive"),
    "motor_torque_noise_nm": (0.0, 100.0, "N*m", "motor torque estimate noise RMS", "estimate: 2 N*m"),
    "battery_voltage_noise_v": (0.0, 50.0, "V", "pack voltage noise RMS", "estimate: 0.5 V"),
    "battery_current_noise_a": (0.0, 100.0, "A", "pack current noise RMS", "estimate: 1 A"),
    "brake_torque_error": (0.0, 0.5, "-", "largest relative error of brake torque from pressure (drawn per seed)",
                           "estimate: 10 %, pad friction coefficient spread"),
    "delay_s": (0.0, 0.2, "s", "transport delay from the sensors to the controller",
                "estimate: 5 ms, sensor filtering plus one CAN frame"),
}


@dataclass(frozen=True)
class Sensors:
    """One sensor set; every field defaults to the ideal (the truth). See SENSOR_FIGURES for the
    meaning, range and unit of each field."""

    wheel_teeth: int = 0
    wheel_speed_noise_rad_s: float = 0.0
    wheel_timeout_s: float = 0.15
    accel_noise_m_s2: float = 0.0
    accel_bias_m_s2: float = 0.0
    gyro_noise_rad_s: float = 0.0
    gyro_bias_rad_s: float = 0.0
    imu_offset_x_m: float = 0.0
    imu_offset_y_m: float = 0.0
    steer_resolution_rad: float = 0.0
    steer_noise_rad: float = 0.0
    motor_speed_noise_rad_s: float = 0.0
    motor_torque_error: float = 0.0
    motor_torque_noise_nm: float = 0.0
    battery_voltage_noise_v: float = 0.0
    battery_current_noise_a: float = 0.0
    brake_torque_error: float = 0.0
    delay_s: float = 0.0
    seed: int = 0

    def __post_init__(self):
        for f in fields(self):
            if f.name == "seed":
                v = self.seed
                if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 0 <= int(v) < 2**31:
                    raise ParameterError(f"sensors.seed = {v!r} is out of range: allowed a whole number 0 to "
                                         f"{2**31 - 1}")
                continue
            low, high, unit, _, _ = SENSOR_FIGURES[f.name]
            v = getattr(self, f.name)
            if f.name == "wheel_teeth" and (isinstance(v, bool) or float(v) != int(v)):
                raise ParameterError(f"sensors.wheel_teeth = {v!r} must be a whole number of teeth (0 to 200)")
            try:
                ok = low <= float(v) <= high
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise range_error(f"sensors.{f.name}", v, low, high, unit)

    @classmethod
    def typical(cls, seed: int = 0) -> Sensors:
        """A current production ESC sensor cluster (estimates; see SENSOR_FIGURES)."""
        return cls(wheel_teeth=48, wheel_speed_noise_rad_s=0.05, wheel_timeout_s=0.15, accel_noise_m_s2=0.05,
                   accel_bias_m_s2=0.05, gyro_noise_rad_s=0.003, gyro_bias_rad_s=0.002, imu_offset_x_m=0.10,
                   imu_offset_y_m=0.0, steer_resolution_rad=0.0017, steer_noise_rad=0.001,
                   motor_speed_noise_rad_s=0.5, motor_torque_error=0.03, motor_torque_noise_nm=2.0,
                   battery_voltage_noise_v=0.5, battery_current_noise_a=1.0, brake_torque_error=0.10,
                   delay_s=0.005, seed=seed)

    @classmethod
    def poor(cls, seed: int = 0) -> Sensors:
        """Worn or low-cost sensors, for robustness checks: coarser tone wheels, four times the
        noise, larger offsets, an IMU far from the CG and twice the delay (estimates)."""
        return cls(wheel_teeth=29, wheel_speed_noise_rad_s=0.2, wheel_timeout_s=0.25, accel_noise_m_s2=0.2,
                   accel_bias_m_s2=0.15, gyro_noise_rad_s=0.012, gyro_bias_rad_s=0.008, imu_offset_x_m=0.5,
                   imu_offset_y_m=0.1, steer_resolution_rad=0.0035, steer_noise_rad=0.004,
                   motor_speed_noise_rad_s=2.0, motor_torque_error=0.08, motor_torque_noise_nm=8.0,
                   battery_voltage_noise_v=2.0, battery_current_noise_a=4.0, brake_torque_error=0.2,
                   delay_s=0.010, seed=seed)

    @property
    def ideal(self) -> bool:
        return self == Sensors(seed=self.seed)

    def with_seed(self, seed: int) -> Sensors:
        return replace(self, seed=int(seed))

    def arrays(self, controller_dt_s: float, steering_ratio: float = 15.0) -> tuple[np.ndarray, np.ndarray]:
        """(parameters and sensor state, history buffer) for the compiled loop; the delay is whole
        controller steps, and must fit the history buffer. steering_ratio [-]: steering-wheel angle
        per road-wheel angle (the angle sensor sits on the steering column)."""
        from twinmotor.layout import N_MEAS

        steps = int(round(self.delay_s / controller_dt_s))
        if self.delay_s > 0.0 and steps == 0:
            steps = 1
        if steps > MAX_DELAY_STEPS:
            raise ParameterError(
                f"sensors.delay_s = {self.delay_s!r} s is {steps} controller periods of {controller_dt_s:g} s; "
                f"the delay buffer holds at most {MAX_DELAY_STEPS}: allowed 0 to "
                f"{MAX_DELAY_STEPS * controller_dt_s:g} s at this controller rate")
        p = np.zeros(N_SENSOR)
        for name, idx in SP.items():
            if hasattr(self, name):
                p[idx] = float(getattr(self, name))
        p[SP["delay_steps"]] = steps
        p[SP["steer_ratio"]] = steering_ratio
        p[SP["active"]] = 0.0 if self.ideal else 1.0
        rng = np.random.default_rng(self.seed)
        # offsets and gain errors of this car's sensors: uniform within their bounds
        p[SP["accel_bias_x"]] = self.accel_bias_m_s2 * rng.uniform(-1.0, 1.0)
        p[SP["accel_bias_y"]] = self.accel_bias_m_s2 * rng.uniform(-1.0, 1.0)
        for k in range(3):
            p[SP["gyro_bias_r"] + k] = self.gyro_bias_rad_s * rng.uniform(-1.0, 1.0)
        for a in range(2):
            p[SP["torque_gain_f"] + a] = 1.0 + self.motor_torque_error * rng.uniform(-1.0, 1.0)
        for c in range(4):
            p[SP["brake_gain_fl"] + c] = 1.0 + self.brake_torque_error * rng.uniform(-1.0, 1.0)
        return p, np.zeros((steps + 1, N_MEAS))

    def noise_stream(self) -> NoiseStream:
        """The white noise of this set's analogue signals, drawn from the seed's own stream."""
        return NoiseStream(self.seed, active=not self.ideal)


#: the channels of one row of sensor noise (unit normal draws, scaled in the compiled loop)
NOISE_CHANNELS = ("wheel_fl", "wheel_fr", "wheel_rl", "wheel_rr", "accel_x", "accel_y", "gyro_yaw", "gyro_roll",
                  "gyro_pitch", "steer", "motor_speed_f", "motor_speed_r", "motor_torque_f", "motor_torque_r",
                  "battery_voltage", "battery_current")
N_NOISE = len(NOISE_CHANNELS)
NZ = name_index(NOISE_CHANNELS)
NZ_WHEEL, NZ_ACCEL, NZ_GYRO, NZ_STEER = NZ["wheel_fl"], NZ["accel_x"], NZ["gyro_yaw"], NZ["steer"]
NZ_WM, NZ_TM, NZ_V, NZ_I = NZ["motor_speed_f"], NZ["motor_torque_f"], NZ["battery_voltage"], NZ["battery_current"]


class NoiseStream:
    """Blocks of unit normal draws, one row (N_NOISE values) per controller step, from numpy's
    PCG64 generator seeded with (seed, 1). Consecutive blocks continue one stream, so a run cut into
    chunks draws exactly what one uncut run draws."""

    def __init__(self, seed: int, active: bool = True):
        self.active = active
        self._rng = np.random.default_rng([int(seed), 1])

    def block(self, rows: int) -> np.ndarray:
        """The next `rows` rows (a single row of zeros, never read, for ideal sensors)."""
        if not self.active:
            return np.zeros((1, N_NOISE))
        return self._rng.standard_normal((max(int(rows), 1), N_NOISE))


#: most controller periods of transport delay the compiled history buffer holds
MAX_DELAY_STEPS = 200

#: compiled sensor parameters and state, by name (indices looked up, never typed)
SP_NAMES = (
    [f.name for f in fields(Sensors) if f.name not in ("seed", "delay_s")]
    + ["seed", "delay_steps", "started", "pos", "accel_bias_x", "accel_bias_y",
       "gyro_bias_r", "gyro_bias_p", "gyro_bias_q", "torque_gain_f", "torque_gain_r",
       "brake_gain_fl", "brake_gain_fr", "brake_gain_rl", "brake_gain_rr", "yaw_rate_prev", "t_prev",
       "steer_ratio", "active", "noise_row"]
    # per wheel: tone-wheel angle [rad], time of the last edge [s], reported speed [rad/s]
    + [f"angle_{c}" for c in ("fl", "fr", "rl", "rr")]
    + [f"edge_t_{c}" for c in ("fl", "fr", "rl", "rr")]
    + [f"speed_{c}" for c in ("fl", "fr", "rl", "rr")]
)
SP = name_index(SP_NAMES)
N_SENSOR = len(SP_NAMES)
S_TEETH, S_NOISE_WHEEL, S_TIMEOUT = SP["wheel_teeth"], SP["wheel_speed_noise_rad_s"], SP["wheel_timeout_s"]
S_NOISE_ACCEL, S_NOISE_GYRO = SP["accel_noise_m_s2"], SP["gyro_noise_rad_s"]
S_IMU_X, S_IMU_Y = SP["imu_offset_x_m"], SP["imu_offset_y_m"]
S_STEER_RES, S_STEER_NOISE = SP["steer_resolution_rad"], SP["steer_noise_rad"]
S_NOISE_WM, S_NOISE_TM = SP["motor_speed_noise_rad_s"], SP["motor_torque_noise_nm"]
S_NOISE_V, S_NOISE_I = SP["battery_voltage_noise_v"], SP["battery_current_noise_a"]
S_SEED, S_DELAY, S_STARTED, S_POS = SP["seed"], SP["delay_steps"], SP["started"], SP["pos"]
S_BIAS_AX, S_BIAS_AY, S_BIAS_GYRO = SP["accel_bias_x"], SP["accel_bias_y"], SP["gyro_bias_r"]
S_TORQUE_GAIN, S_BRAKE_GAIN = SP["torque_gain_f"], SP["brake_gain_fl"]
S_YAW_RATE_PREV, S_T_PREV, S_STEER_RATIO, S_ACTIVE = SP["yaw_rate_prev"], SP["t_prev"], SP["steer_ratio"], SP["active"]
S_ANGLE, S_EDGE_T, S_SPEED = SP["angle_fl"], SP["edge_t_fl"], SP["speed_fl"]
#: the row of the noise block the next controller step reads
S_NOISE_ROW = SP["noise_row"]

#: the named sensor sets of `--sensors`
SENSOR_SETS = ("ideal", "typical", "poor")
#: the set every run uses unless told otherwise
DEFAULT_SENSORS = "typical"


def make_sensors(value=None, seed: int | None = None) -> Sensors:
    """A sensor set from a name ('ideal', 'typical', 'poor'; None: the default, typical) or a
    Sensors as it is; `seed` replaces its seed."""
    if value is None:
        value = DEFAULT_SENSORS
    if isinstance(value, Sensors):
        s = value
    elif value == "ideal":
        s = Sensors()
    elif value == "typical":
        s = Sensors.typical()
    elif value == "poor":
        s = Sensors.poor()
    else:
        raise ParameterError(f"sensors = {value!r} is unknown: choose one of {', '.join(SENSOR_SETS)}, "
                             "or pass a twinmotor.sensors.Sensors(...)")
    return s if seed is None else s.with_seed(seed)
