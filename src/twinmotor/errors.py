"""Errors that are part of twinmotor's interface.

Every error a user can cause says which field or input is wrong, the value given, the allowed
range and the unit, so that the message alone is enough to fix the input.
"""

from __future__ import annotations


class TwinmotorError(Exception):
    """Base class of every error twinmotor raises on purpose."""


class ParameterError(TwinmotorError, ValueError):
    """A vehicle, controller, surface or test parameter is missing, unknown or out of range."""


class TireFileError(TwinmotorError, ValueError):
    """A `.tir` property file cannot be read: the message names the file, the line and the key."""

    def __init__(self, path: str, line: int | None, message: str):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class ControllerError(TwinmotorError, RuntimeError):
    """A user controller raised an exception: the message names the controller and the simulation
    time, the original exception is the cause (`__cause__`)."""


class OutputError(TwinmotorError, OSError):
    """An output file or folder cannot be written, or another run is writing into it."""


class SimulationDiverged(TwinmotorError, RuntimeError):
    """The integration produced NaN/inf or a runaway state; says when, which state and what to try."""

    def __init__(self, time_s: float, state: str, value: float, hint: str):
        super().__init__(
            f"simulation diverged at t = {time_s:.4f} s: state '{state}' = {value!r}. {hint}"
        )
        self.time_s = time_s
        self.state = state
        self.value = value


def range_error(field: str, value, low, high, unit: str) -> ParameterError:
    """A ParameterError in the project's standard wording."""
    return ParameterError(
        f"{field} = {value!r} is out of range: allowed {low} to {high} {unit}".rstrip()
    )
