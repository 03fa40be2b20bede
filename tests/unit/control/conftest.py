"""Shared fixtures of the controller unit tests: parameter vectors of the shipped presets and a
synthetic measurement vector (the car driving straight at a given speed, no wheel slip)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import twinmotor
from twinmotor.control.params import IDX, N_PARAMS
from twinmotor.control.twin_motor import BaselineController, IntegratedController
from twinmotor.layout import (
    M_AX,
    M_AY,
    M_MOTOR_LIMIT,
    M_MOTOR_SPEED,
    M_P_CHG,
    M_P_DIS,
    M_TRUE_MU,
    M_TRUE_VX,
    M_TRUE_VY,
    M_WHEEL_SPEED,
    N_MEAS,
)
from twinmotor.powertrain.motor import N_MOTOR, torque_limit

AWD = "leaf-e-plus-awd"
FWD = "leaf-e-plus"

_CONTROLLERS = {"integrated": IntegratedController, "baseline": BaselineController}


@cache
def _vehicle(name: str):
    return twinmotor.load_vehicle(name)


@cache
def _params(name: str, controller: str, settings: tuple) -> np.ndarray:
    return _CONTROLLERS[controller](**dict(settings)).params(_vehicle(name))


def make_params(name: str = AWD, controller: str = "integrated", **settings) -> np.ndarray:
    """Controller parameter vector (controller_params + front and rear motor coefficients); a
    fresh copy, so a test may change it."""
    return _params(name, controller, tuple(sorted(settings.items()))).copy()


def motor_coeffs(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The front and rear motor coefficient arrays appended to a parameter vector."""
    return p[N_PARAMS:N_PARAMS + N_MOTOR], p[N_PARAMS + N_MOTOR:N_PARAMS + 2 * N_MOTOR]


def straight_meas(p: np.ndarray, v: float, ax: float = 0.0, ay: float = 0.0, mu: float = 1.0,
                  p_chg_w: float = 70e3, p_dis_w: float = 227e3) -> np.ndarray:
    """Measurements of a car at speed v [m/s] going straight, every wheel rolling without slip,
    motor torque limits from the motors' envelopes at their speeds, road friction scale `mu`."""
    meas = np.zeros(N_MEAS)
    rf, rr = p[IDX["radius_f"]], p[IDX["radius_r"]]
    meas[M_WHEEL_SPEED:M_WHEEL_SPEED + 4] = [v / rf, v / rf, v / rr, v / rr]
    meas[M_AX] = ax
    meas[M_AY] = ay
    mc_f, mc_r = motor_coeffs(p)
    for axle, (radius, gear, has, mc) in enumerate(
            ((rf, p[IDX["gear_f"]], p[IDX["has_motor_f"]], mc_f), (rr, p[IDX["gear_r"]], p[IDX["has_motor_r"]], mc_r))):
        wm = v / radius * gear
        meas[M_MOTOR_SPEED + axle] = wm
        meas[M_MOTOR_LIMIT + axle] = torque_limit(wm, mc) if has > 0.5 else 0.0
    meas[M_P_DIS] = p_dis_w
    meas[M_P_CHG] = p_chg_w
    meas[M_TRUE_VX] = v
    meas[M_TRUE_VY] = 0.0
    meas[M_TRUE_MU:M_TRUE_MU + 4] = mu
    return meas


@pytest.fixture(scope="session")
def vehicle_awd():
    return _vehicle(AWD)


@pytest.fixture(scope="session")
def vehicle_fwd():
    return _vehicle(FWD)


@pytest.fixture
def params():
    """Factory: params(name=AWD, controller='integrated', **settings) -> parameter vector."""
    return make_params


@pytest.fixture
def meas_factory():
    """Factory: meas_factory(p, v, ax=0, ay=0, mu=1, p_chg_w=70e3) -> measurement vector."""
    return straight_meas


@pytest.fixture
def motors():
    """Function: motors(p) -> (front, rear) motor coefficient arrays of a parameter vector."""
    return motor_coeffs
