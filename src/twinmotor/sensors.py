"""Sensor models: what the controller's measurements add to the truth.

Ideal by default. `Sensors` adds white Gaussian noise to the wheel-speed, accelerometer and
gyroscope signals and delays every measurement by a transport delay (sensor filtering plus CAN
bus), to test a controller's robustness. Noise is drawn from numba's generator seeded with `seed`,
so runs stay bit-identical for the same inputs.

Typical production values (`Sensors.typical()`, estimates): wheel-speed sensors ~0.3 rad/s RMS
after differentiation of a 48-tooth tone wheel at 1 kHz; MEMS accelerometer ~0.05 m/s^2 and yaw-rate
gyro ~0.003 rad/s RMS (consumer ESC-grade IMU data sheets); 10 ms from sensor to controller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twinmotor.errors import range_error

#: layout of the compiled sensor parameters
S_NOISE_WHEEL, S_NOISE_ACCEL, S_NOISE_GYRO, S_DELAY, S_SEED, S_STARTED, S_POS = range(7)
N_SENSOR = 7


@dataclass(frozen=True)
class Sensors:
    wheel_speed_noise_rad_s: float = 0.0
    accel_noise_m_s2: float = 0.0
    gyro_noise_rad_s: float = 0.0
    delay_s: float = 0.0
    seed: int = 0

    def __post_init__(self):
        for name, hi, unit in (("wheel_speed_noise_rad_s", 10.0, "rad/s"), ("accel_noise_m_s2", 5.0, "m/s^2"),
                               ("gyro_noise_rad_s", 1.0, "rad/s"), ("delay_s", 0.2, "s")):
            v = getattr(self, name)
            if not 0.0 <= v <= hi:
                raise range_error(f"sensors.{name}", v, 0.0, hi, unit)

    @classmethod
    def typical(cls, seed: int = 0) -> Sensors:
        return cls(0.3, 0.05, 0.003, 0.010, seed)

    @property
    def ideal(self) -> bool:
        return self == Sensors(seed=self.seed)

    def arrays(self, controller_dt_s: float) -> tuple[np.ndarray, np.ndarray]:
        """(parameters, history buffer) for the compiled loop; the delay is rounded to controller steps."""
        from twinmotor.layout import N_MEAS

        p = np.zeros(N_SENSOR)
        p[S_NOISE_WHEEL] = self.wheel_speed_noise_rad_s
        p[S_NOISE_ACCEL] = self.accel_noise_m_s2
        p[S_NOISE_GYRO] = self.gyro_noise_rad_s
        steps = int(round(self.delay_s / controller_dt_s))
        p[S_DELAY] = steps
        p[S_SEED] = self.seed
        return p, np.zeros((steps + 1, N_MEAS))


def make_sensors(value) -> Sensors:
    """None or 'ideal' -> ideal sensors; 'typical' -> Sensors.typical(); a Sensors as it is."""
    if value is None or value == "ideal":
        return Sensors()
    if value == "typical":
        return Sensors.typical()
    if isinstance(value, Sensors):
        return value
    from twinmotor.errors import ParameterError

    raise ParameterError(f"sensors = {value!r}: choose 'ideal', 'typical' or a twinmotor.sensors.Sensors(...)")
