"""The Python API refuses nonsense with a ParameterError that names the field, the value, the
allowed range and the unit: procedure parameters, steps, roads, controller settings, and user
controllers that return the wrong thing or raise (named with the simulation time)."""

from __future__ import annotations

import numpy as np
import pytest

import twinmotor as tm
from twinmotor import procedures as P
from twinmotor.control.params import SETTINGS, check_settings
from twinmotor.errors import ControllerError, ParameterError
from twinmotor.road import Road

PROCEDURE_FAULTS = [
    (P.Brake, {"speed_kmh": -100}, ["brake", "speed_kmh", "-100", "km/h"]),
    (P.Brake, {"speed_kmh": 0}, ["speed_kmh", "0", "km/h"]),
    (P.Brake, {"speed_kmh": float("nan")}, ["speed_kmh", "nan"]),
    (P.Brake, {"speed_kmh": "100"}, ["speed_kmh", "'100'"]),
    (P.Brake, {"speed_kmh": True}, ["speed_kmh", "True"]),
    (P.Brake, {"pedal_ramp_s": -0.1}, ["pedal_ramp_s", "-0.1", "s"]),
    (P.Brake, {"t_max_s": 0}, ["t_max_s", "0", "s"]),
    (P.Accel, {"t_max_s": -1}, ["accel", "t_max_s", "-1", "s"]),
    (P.Accel, {"end_speed_kmh": 0}, ["end_speed_kmh", "0", "km/h"]),
    (P.Accel, {"end_speed_kmh": float("inf")}, ["end_speed_kmh", "inf"]),
    (P.Cruise, {"speed_kmh": 400}, ["cruise", "speed_kmh", "400", "km/h"]),
    (P.Cruise, {"duration_s": 10, "measure_s": 20}, ["measure_s", "20", "s"]),
    (P.RegenStop, {"decel_g": 0}, ["regen-stop", "decel_g", "0", "g"]),
    (P.RegenStop, {"speed_kmh": -60}, ["speed_kmh", "-60"]),
    (P.SplitMuLaunch, {"low_surface": "lava"}, ["low_surface", "'lava'", "ice"]),
    (P.SplitMuLaunch, {"t_max_s": 0}, ["t_max_s", "0"]),
    (P.SplitMuBrake, {"speed_kmh": 1000}, ["split-mu-brake", "speed_kmh", "1000"]),
    (P.StepSteer, {"speed_kmh": 5}, ["step-steer", "speed_kmh", "5", "km/h"]),
    (P.StepSteer, {"lat_accel_m_s2": -4}, ["lat_accel_m_s2", "-4", "m/s^2"]),
    (P.LimitStepSteer, {"hold_s": 0}, ["hold_s", "0", "s"]),
    (P.LaneChange, {"entry_speed_kmh": 10}, ["entry_speed_kmh", "10", "km/h"]),
    (P.LaneChange, {"attempts": 0}, ["attempts", "0"]),
    (P.LaneChange, {"clearance_m": "0.1"}, ["clearance_m", "'0.1'"]),
    (P.SineWithDwell, {"speed_kmh": 300}, ["speed_kmh", "300", "km/h"]),
    (P.SineWithDwell, {"frequency_hz": 0}, ["frequency_hz", "0", "hz"]),
    (P.Skidpad, {"radius_m": 5}, ["radius_m", "5", "m"]),
    (P.DriveCycle, {"fidelity": "medium"}, ["fidelity", "'medium'"]),
    (P.DriveCycle, {"soc_start": 1.5}, ["soc_start", "1.5"]),
    (P.Range, {"fidelity": "slow"}, ["fidelity", "'slow'"]),
]


@pytest.mark.parametrize("cls, kwargs, needles", PROCEDURE_FAULTS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_procedure_parameters_are_validated_in_the_api(cls, kwargs, needles):
    with pytest.raises(ParameterError) as err:
        cls(**kwargs)
    msg = str(err.value).lower()
    for n in needles:
        assert n.lower() in msg, msg


def test_unknown_procedure_parameter_lists_the_known_ones():
    with pytest.raises(ParameterError, match=r"unknown parameter 'speed'.*speed_kmh \(default 100.0\)"):
        P.make_procedure("brake", {"speed": 96.6})


def test_parameters_with_a_ready_procedure_object_are_refused():
    with pytest.raises(ParameterError, match="parameters \\['speed_kmh'\\] given with a ready Procedure"):
        P.make_procedure(P.Brake(), {"speed_kmh": 50})


def test_procedure_parameters_reach_the_procedure():
    b = P.make_procedure("brake", {"speed_kmh": 96.6})
    assert isinstance(b, P.Brake) and b.speed_kmh == 96.6


@pytest.mark.parametrize("dt, needles", [
    # braking rests on ABS: at most 2 ms (simulation.stability.ABS_MAX_PLANT_STEP_S)
    (0.005, ["dt = 0.005", "brake test", "wheel-slip control by the brakes", "allowed 0.0001 to 0.002 s"]),
    (0.003, ["dt = 0.003", "brake test", "allowed 0.0001 to 0.002 s"]),
    (0.0, ["dt = 0.0", "0.0001 to 0.005 s"]),
    (-1e-3, ["dt = -0.001"]),
    ("1ms", ["dt = '1ms'"]),
    (True, ["dt = True"]),
])
def test_a_step_too_large_or_nonsense_is_refused_with_the_reason(dt, needles):
    with pytest.raises(ParameterError) as err:
        tm.simulate("leaf-e-plus", P.Brake(), dt=dt)
    for n in needles:
        assert n in str(err.value), str(err.value)


def test_a_step_beyond_the_plant_limit_is_refused_for_any_test():
    with pytest.raises(ParameterError, match=r"dt = 0.006 is out of range: allowed 0.0001 to 0.005 s"):
        tm.simulate("leaf-e-plus", P.Accel(t_max_s=1.0), dt=0.006, controller_rate_hz=1000.0 / 6.0)


@pytest.mark.parametrize("rate", [333.0, 0.0, 1e9, "fast"])
def test_controller_rate_that_does_not_divide_the_plant_rate(rate):
    with pytest.raises(ParameterError, match="controller_rate_hz"):
        tm.simulate("leaf-e-plus", P.Brake(), controller_rate_hz=rate)


@pytest.mark.parametrize("kwargs, needles", [
    ({"grade_pct": 45}, ["grade_pct = 45", "-30 to 30 %"]),
    ({"grade_profile": ((0.0, 5.0), (100.0, 40.0))}, ["grade_pct = 40.0", "100.0 m"]),
    ({"grade_profile": ((100.0, 5.0), (0.0, 1.0))}, ["0.0 m is before 100.0 m"]),
    ({"segments": ((0.0, 5.0, 5.0),)}, ["friction scale = 5.0", "0.01 to 2.0"]),
    ({"segments": ((0.0, "lava", "dry"),)}, ["surface = 'lava'"]),
])
def test_bad_road(kwargs, needles):
    with pytest.raises(ParameterError) as err:
        Road(**kwargs)
    for n in needles:
        assert n in str(err.value)


@pytest.mark.parametrize("key, value, needles", [
    ("esc", 0.5, ["esc = 0.5", "0 or 1"]),
    ("esc", 2, ["esc = 2", "0 or 1"]),
    ("regen", "1", ["regen = '1'", "0 or 1"]),
    ("comfort", None, ["comfort = None", "0 or 1"]),
    ("split_front", True, ["split_front = True", "not a number"]),
    ("split_front", 1.2, ["split_front = 1.2", "0.0 to 1.0"]),
    ("tc_kp", float("nan"), ["tc_kp = nan"]),
    ("jerk_max_m_s3", "abc", ["jerk_max_m_s3 = 'abc'", "not a number"]),
    ("no_such", 1, ["unknown setting 'no_such'"]),
])
def test_controller_settings(key, value, needles):
    with pytest.raises(ParameterError) as err:
        check_settings("baseline", {key: value})
    for n in needles:
        assert n in str(err.value)


def test_switches_take_true_and_false_explicitly():
    out = check_settings("baseline", {"esc": True, "regen": False, "comfort": 1, "yaw_split": 0.0})
    assert (out["esc"], out["regen"], out["comfort"], out["yaw_split"]) == (1.0, 0.0, 1.0, 0.0)
    assert all(SETTINGS[k][3] == "0/1" for k in ("esc", "regen", "comfort", "yaw_split"))


def test_setting_that_does_nothing_on_this_car_is_an_error():
    ctl = tm.make_controller("baseline", None, split_front=0.3)
    with pytest.raises(ParameterError, match=r"split_front = 0.3 does nothing on 'LEAF e\+' \(FWD"):
        tm.simulate("leaf-e-plus", P.Brake(t_max_s=1.0), ctl)


# -------------------------------------------------------------------------------------- user controllers
class Returns:
    """A user controller that returns `value` from every step (after `after_s` seconds of zeros)."""

    def __init__(self, value, after_s: float = 0.0):
        self.value = value
        self.after_s = after_s

    def reset(self, vehicle):
        self.t = 0.0

    def step(self, m, driver, dt):
        self.t += dt
        if self.t > self.after_s + 1e-9:
            return self.value
        return tm.Commands()


BAD_OUTPUTS = [
    (None, ["None", "expected a twinmotor.Commands or 8"]),
    ("drive", ["'drive'", "expected"]),
    ({"front": 1}, ["{'front': 1}", "expected"]),
    ([1.0, 2.0, 3.0], ["3 values", "expected"]),
    (np.zeros((2, 3)) + 1.0, ["shape (2, 3)", "expected"]),
    ([0, 0, 0, 0, 0, 0, 0, float("nan")], ["non-finite", "nan"]),
    (tm.Commands(front_motor_torque_nm=float("inf")), ["non-finite", "inf"]),
    (tm.Commands(front_motor_torque_nm="100"), ["front_motor_torque_nm = '100'", "number"]),
    (tm.Commands(brake_torque_nm=[1.0, 2.0, 3.0]), ["brake_torque_nm", "3 values", "4 numbers"]),
    (tm.Commands(brake_torque_nm=5.0), ["brake_torque_nm = 5.0", "4 numbers"]),
    (object(), ["expected"]),
]


@pytest.mark.parametrize("value, needles", BAD_OUTPUTS, ids=lambda v: type(v).__name__)
def test_user_controller_wrong_output_names_time_and_expected_output(value, needles):
    with pytest.raises(ParameterError) as err:
        tm.simulate("leaf-e-plus", P.Accel(t_max_s=1.0), Returns(value, after_s=0.25))
    msg = str(err.value)
    assert "controller 'Returns'" in msg and "t = 0.250 s" in msg, msg
    for n in needles:
        assert n in msg, msg


class Raises:
    name = "my-controller"

    def reset(self, vehicle):
        pass

    def step(self, m, driver, dt):
        if m.time_s >= 0.5:
            return 1.0 / 0.0
        return tm.Commands()


def test_exception_in_a_user_controller_is_reraised_with_time_and_name():
    with pytest.raises(ControllerError) as err:
        tm.simulate("leaf-e-plus", P.Accel(t_max_s=1.0), Raises(), sensors="ideal")
    msg = str(err.value)
    assert "controller 'my-controller' raised ZeroDivisionError at t = 0.500 s" in msg
    assert isinstance(err.value.__cause__, ZeroDivisionError)


def test_exception_in_reset_is_reraised_with_the_name():
    class BadReset(Raises):
        def reset(self, vehicle):
            raise KeyError("gear_ratio")

    with pytest.raises(ControllerError, match=r"controller 'my-controller' raised KeyError in reset\(vehicle\) at t = 0.000 s"):
        tm.simulate("leaf-e-plus", P.Accel(t_max_s=1.0), BadReset())


def test_object_without_step_is_not_a_controller():
    class NoStep:
        def reset(self, vehicle):
            pass

    with pytest.raises(ParameterError, match="needs methods reset"):
        tm.simulate("leaf-e-plus", P.Accel(t_max_s=1.0), NoStep())


@pytest.mark.parametrize("name", ["fuzzy", "", "Baseline"])
def test_unknown_controller_name(name):
    with pytest.raises(ParameterError, match=f"controller = {name!r} is unknown"):
        tm.make_controller(name)


@pytest.mark.parametrize("test", ["acel", "cycle-", "BRAKE", ""])
def test_unknown_test_name(test):
    with pytest.raises(ParameterError, match="is unknown|cycle ="):
        P.make_procedure(test)
