"""Controllers: the interface a user implements, and the built-in controllers by name."""

from __future__ import annotations

from twinmotor.control.interface import Commands, CompiledController, Controller, DriverInput, Measurements
from twinmotor.control.open_loop import OpenLoopController
from twinmotor.control.twin_motor import BaselineController, IntegratedController
from twinmotor.errors import ParameterError

CONTROLLERS = {
    "open": OpenLoopController,
    "baseline": BaselineController,
    "integrated": IntegratedController,
}


def default_controller(vehicle) -> str:
    """The controller a car gets when none is named: `integrated` for twin-motor cars, else `baseline`."""
    return "integrated" if vehicle is not None and vehicle.drive == "AWD" else "baseline"


def make_controller(name_or_obj=None, vehicle=None, **settings):
    """A controller from a name ('open', ...) or a user object with reset() and step()."""
    if name_or_obj is None:
        name_or_obj = default_controller(vehicle)
    if isinstance(name_or_obj, str):
        try:
            cls = CONTROLLERS[name_or_obj]
        except KeyError:
            raise ParameterError(
                f"controller = {name_or_obj!r} is unknown: choose one of {', '.join(CONTROLLERS)} "
                "or pass an object with reset(vehicle) and step(measurements, driver, dt)"
            ) from None
        return cls(**settings)
    if not (hasattr(name_or_obj, "reset") and hasattr(name_or_obj, "step")):
        raise ParameterError(
            f"controller {name_or_obj!r} needs methods reset(vehicle) and step(measurements, driver, dt)"
        )
    return name_or_obj


__all__ = ["Commands", "CompiledController", "Controller", "DriverInput", "Measurements",
           "OpenLoopController", "BaselineController", "IntegratedController", "CONTROLLERS",
           "default_controller", "make_controller"]
