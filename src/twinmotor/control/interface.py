"""The controller interface: what a controller sees and what it commands.

A controller is any object with

    reset(vehicle) -> None
    step(measurements: Measurements, driver: DriverInput, dt: float) -> Commands

`step` is called every controller period `dt` [s]. Plain Python classes work (the simulator then
steps the compiled plant one controller period at a time); built-in controllers are compiled into
the simulation loop and run at full speed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from twinmotor.layout import (
    C_TB,
    C_TM_F,
    CMD_NAMES,
    CTL_HOLD,
    D_BRAKE,
    D_STEER,
    D_TARGET_SPEED,
    D_THROTTLE,
    MEAS,
    MEAS_NAMES,
    N_CMD,
    N_EST,
)


class Measurements:
    """A read-only view of the measurement vector. Scalars by name (`m.yaw_rate_rad_s`), corner
    values as arrays in order fl, fr, rl, rr (`m.wheel_speed_rad_s`), axle values front, rear
    (`m.motor_speed_rad_s`). `m.array` is the raw vector (see layout.MEAS_NAMES)."""

    __slots__ = ("array",)
    _GROUPS = {
        "wheel_speed_rad_s": "wheel_speed_{}_rad_s",
        "true_fz_n": "true_fz_{}_n",
        "true_mu": "true_mu_{}",
    }
    _AXLE_GROUPS = {
        "motor_speed_rad_s": "motor_speed_{}_rad_s",
        "motor_torque_nm": "motor_torque_{}_nm",
        "motor_torque_limit_nm": "motor_torque_limit_{}_nm",
    }

    def __init__(self, array: np.ndarray):
        self.array = array

    def __getattr__(self, name: str):
        if name in Measurements._GROUPS:
            i = MEAS[Measurements._GROUPS[name].format("fl")]
            return self.array[i:i + 4]
        if name in Measurements._AXLE_GROUPS:
            i = MEAS[Measurements._AXLE_GROUPS[name].format("front")]
            return self.array[i:i + 2]
        try:
            return float(self.array[MEAS[name]])
        except KeyError:
            known = ", ".join(list(self._GROUPS) + list(self._AXLE_GROUPS) + MEAS_NAMES)
            raise AttributeError(f"no measurement '{name}'; available: {known}") from None


@dataclass(frozen=True)
class DriverInput:
    """The driver's inputs: pedals 0-1, steer as road-wheel angle [rad], the target speed [m/s]
    when the test has one."""

    throttle: float
    brake: float
    steer_rad: float
    target_speed_m_s: float = 0.0

    @classmethod
    def from_array(cls, a: np.ndarray) -> DriverInput:
        return cls(float(a[D_THROTTLE]), float(a[D_BRAKE]), float(a[D_STEER]), float(a[D_TARGET_SPEED]))


@dataclass
class Commands:
    """Motor torques at the motor shafts [N m] (positive drives forward) and friction-brake torque per
    wheel [N m] (>= 0, order fl, fr, rl, rr). The plant clips them to what the hardware can do."""

    front_motor_torque_nm: float = 0.0
    rear_motor_torque_nm: float = 0.0
    brake_torque_nm: Sequence[float] = field(default_factory=lambda: (0.0, 0.0, 0.0, 0.0))

    def to_array(self, out: np.ndarray | None = None) -> np.ndarray:
        a = np.zeros(N_CMD) if out is None else out
        a[C_TM_F] = self.front_motor_torque_nm
        a[C_TM_F + 1] = self.rear_motor_torque_nm
        b = list(self.brake_torque_nm)
        if len(b) != 4:
            raise ValueError(f"Commands.brake_torque_nm needs 4 values (fl, fr, rl, rr), got {len(b)}")
        a[C_TB:C_TB + 4] = b
        return a

    @classmethod
    def from_array(cls, a: np.ndarray) -> Commands:
        return cls(float(a[C_TM_F]), float(a[C_TM_F + 1]), tuple(float(v) for v in a[C_TB:C_TB + 4]))


@runtime_checkable
class Controller(Protocol):
    def reset(self, vehicle) -> None: ...

    def step(self, measurements: Measurements, driver: DriverInput, dt: float) -> Commands: ...


def commands_to_array(value, out: np.ndarray) -> np.ndarray:
    """Accept Commands, or any sequence of 6 numbers in CMD_NAMES order."""
    if isinstance(value, Commands):
        return value.to_array(out)
    a = np.asarray(value, dtype=np.float64).ravel()
    if a.shape != (N_CMD,):
        raise ValueError(
            f"controller step() returned {value!r}: expected Commands or {N_CMD} numbers ({', '.join(CMD_NAMES)})"
        )
    out[:] = a
    return out


def user_commands_to_array(value, out: np.ndarray, controller: str, time_s: float) -> np.ndarray:
    """`commands_to_array` for a user controller's output, with every mistake a ParameterError that
    names the controller, the simulation time and what was expected."""
    from twinmotor.errors import ParameterError

    expected = (f"expected a twinmotor.Commands or {N_CMD} finite numbers ({', '.join(CMD_NAMES)}; torques in N*m, "
                "brake torques >= 0)")
    where = f"controller '{controller}' step() at t = {time_s:.3f} s (simulation time)"
    if isinstance(value, Commands):
        fields = {"front_motor_torque_nm": value.front_motor_torque_nm, "rear_motor_torque_nm": value.rear_motor_torque_nm}
        try:
            brakes = list(value.brake_torque_nm)
        except TypeError:
            raise ParameterError(f"{where} returned Commands.brake_torque_nm = {value.brake_torque_nm!r}: "
                                 "expected 4 numbers (fl, fr, rl, rr) in N*m") from None
        if len(brakes) != 4:
            raise ParameterError(f"{where} returned Commands.brake_torque_nm = {value.brake_torque_nm!r} "
                                 f"({len(brakes)} values): expected 4 numbers (fl, fr, rl, rr) in N*m")
        for name, v in [*fields.items(), *((f"brake_torque_nm[{i}]", b) for i, b in enumerate(brakes))]:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise ParameterError(f"{where} returned Commands.{name} = {v!r} ({type(v).__name__}): expected a number in N*m")
        value.to_array(out)
        if not np.all(np.isfinite(out)):
            raise ParameterError(f"{where} returned non-finite commands {out.tolist()}: {expected}")
        return out
    if value is None or isinstance(value, (str, bytes, dict)):
        raise ParameterError(f"{where} returned {value!r} ({type(value).__name__}): {expected}")
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(f"{where} returned {value!r} ({type(value).__name__}): {expected}") from None
    if a.ndim != 1:
        raise ParameterError(f"{where} returned an array of shape {a.shape}: {expected}")
    if a.shape != (N_CMD,):
        raise ParameterError(f"{where} returned {a.size} values {value!r}: {expected}")
    if not np.all(np.isfinite(a)):
        raise ParameterError(f"{where} returned non-finite commands {a.tolist()}: {expected}")
    out[:] = a
    return out


class CompiledController(ABC):
    """Base of the built-in controllers: compiled into the simulation loop (kind, params, state).

    Their `step` also works from Python, so a user class can wrap or extend a built-in one.
    """

    name = "compiled"
    kind = CTL_HOLD
    state_size = 0

    def __init__(self, **settings):
        self.settings = dict(settings)
        self._params: np.ndarray | None = None
        self._state: np.ndarray | None = None

    @abstractmethod
    def params(self, vehicle) -> np.ndarray:
        """The flat parameter array of the compiled step for this vehicle."""

    def reset(self, vehicle) -> None:
        self._params = self.params(vehicle)
        self._state = np.zeros(max(self.state_size, 1))

    @abstractmethod
    def compiled_step(self):
        """The njit function step(p, s, meas, drv, dt, cmd, est) that the loop calls."""

    def step(self, measurements: Measurements, driver: DriverInput, dt: float) -> Commands:
        if self._params is None:
            raise RuntimeError(f"controller '{self.name}': call reset(vehicle) before step()")
        drv = np.array([driver.throttle, driver.brake, driver.steer_rad, driver.target_speed_m_s])
        cmd = np.zeros(N_CMD)
        est = np.zeros(N_EST)
        self.compiled_step()(self._params, self._state, measurements.array, drv, dt, cmd, est)
        return Commands.from_array(cmd)
