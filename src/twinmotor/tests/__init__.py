"""The standard test library: each test follows a named procedure, computes the KPIs it defines
(units in every name) and gives a verdict where the standard has criteria."""

from __future__ import annotations

from twinmotor.errors import ParameterError
from twinmotor.tests.accel import Accel
from twinmotor.tests.base import StandardTest
from twinmotor.tests.brake import Brake
from twinmotor.tests.cruise import Cruise
from twinmotor.tests.drive_cycle import DriveCycle
from twinmotor.tests.lane_change import LaneChange
from twinmotor.tests.regen_stop import RegenStop
from twinmotor.tests.sine_dwell import SineWithDwell
from twinmotor.tests.skidpad import Skidpad
from twinmotor.tests.split_mu import SplitMuBrake, SplitMuLaunch
from twinmotor.tests.step_steer import LimitStepSteer, StepSteer

TESTS: dict[str, type[StandardTest]] = {
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
}


def make_test(test) -> StandardTest:
    """A test object from a name ('accel', 'brake', ...) or a StandardTest as it is."""
    if isinstance(test, StandardTest):
        return test
    if str(test).startswith("cycle-"):
        return DriveCycle(str(test)[len("cycle-"):])
    try:
        return TESTS[str(test)]()
    except KeyError:
        raise ParameterError(f"test = {test!r} is unknown: choose one of {', '.join(TESTS)}, "
                             "or cycle-NAME (udds, hwfet, wltc, nedc, us06)") from None


__all__ = ["Accel", "Brake", "Cruise", "DriveCycle", "LaneChange", "SineWithDwell", "Skidpad", "LimitStepSteer", "RegenStop", "SplitMuBrake", "SplitMuLaunch", "StandardTest", "StepSteer",
           "TESTS", "make_test"]
