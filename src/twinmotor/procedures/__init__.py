"""The standard procedures (manoeuvres and drive cycles): each follows a named standard, computes
the KPIs it defines (units in every name) and gives a verdict where the standard has criteria.

"Procedure", not "test": the test suite lives in the repository's tests/ folder; these are the
tests a car is put through."""

from __future__ import annotations

import inspect

from twinmotor.errors import ParameterError
from twinmotor.procedures.accel import Accel
from twinmotor.procedures.base import Procedure, StandardTest
from twinmotor.procedures.brake import Brake
from twinmotor.procedures.coastdown import Coastdown
from twinmotor.procedures.cruise import Cruise
from twinmotor.procedures.drive_cycle import DriveCycle
from twinmotor.procedures.lane_change import LaneChange
from twinmotor.procedures.range import Range
from twinmotor.procedures.regen_stop import RegenStop
from twinmotor.procedures.sine_dwell import SineWithDwell
from twinmotor.procedures.skidpad import Skidpad
from twinmotor.procedures.split_mu import SplitMuBrake, SplitMuLaunch
from twinmotor.procedures.step_steer import LimitStepSteer, StepSteer

PROCEDURES: dict[str, type[Procedure]] = {
    "accel": Accel,
    "brake": Brake,
    "regen-stop": RegenStop,
    "split-mu-launch": SplitMuLaunch,
    "split-mu-brake": SplitMuBrake,
    "step-steer": StepSteer,
    "step-steer-limit": LimitStepSteer,
    "cruise": Cruise,
    "lane-change": LaneChange,
    "sine-dwell": SineWithDwell,
    "skidpad": Skidpad,
    "range": Range,
    "coastdown": Coastdown,
}
#: the name the first release used
TESTS = PROCEDURES


def procedure_class(test: str) -> type[Procedure]:
    """The Procedure class behind a test name ('accel', 'cycle-wltc', ...)."""
    if str(test).startswith("cycle-"):
        return DriveCycle
    try:
        return PROCEDURES[str(test)]
    except KeyError:
        raise ParameterError(f"test = {test!r} is unknown: choose one of {', '.join(PROCEDURES)}, "
                             "or cycle-NAME (udds, hwfet, wltc, nedc, us06, or a CSV file)") from None


def procedure_parameters(test: str) -> dict[str, object]:
    """The parameters a test takes (name -> default), as `--param name=value` sets them."""
    cls = procedure_class(test)
    sig = inspect.signature(cls.__init__)
    skip = {"self", "cycle"} if cls is DriveCycle else {"self"}
    return {n: p.default for n, p in sig.parameters.items()
            if n not in skip and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def make_procedure(test, params: dict | None = None) -> Procedure:
    """A procedure object from a name ('accel', 'brake', 'cycle-wltc', ...) with optional parameters
    (`{"speed_kmh": 96.6}`, each validated by the procedure), or a Procedure as it is."""
    if isinstance(test, Procedure):
        if params:
            raise ParameterError(f"parameters {sorted(params)} given with a ready Procedure object {test.name!r}: "
                                 "set them when making the object")
        return test
    params = dict(params or {})
    known = procedure_parameters(test)
    unknown = [k for k in params if k not in known]
    if unknown:
        raise ParameterError(
            f"test {test!r}: unknown parameter {', '.join(repr(k) for k in unknown)}; its parameters: "
            + (", ".join(f"{k} (default {v!r})" for k, v in known.items()) or "none"))
    if str(test).startswith("cycle-"):
        return DriveCycle(str(test)[len("cycle-"):], **params)
    return procedure_class(test)(**params)


make_test = make_procedure  # the name the first release used

__all__ = ["Accel", "Brake", "Coastdown", "Cruise", "DriveCycle", "LaneChange", "LimitStepSteer", "PROCEDURES", "Procedure",
           "Range", "RegenStop", "SineWithDwell", "Skidpad", "SplitMuBrake", "SplitMuLaunch", "StandardTest",
           "StepSteer", "TESTS", "make_procedure", "make_test", "procedure_class", "procedure_parameters"]
