"""Wheel-slip control: the slip ratio and the PI loop that turns slip error into a torque cut.

Facts checked: kappa = (omega R - v) / max(|v|, v_min) with the SAE J670 / ISO 8855 signs (driving
positive, braking negative, locked wheel -1), the same sign as the tire force of the MF 6.1 model;
the PI cut stays in [0, 1], its integrator is clamped to [0, 1], it is zero below the target and
full for a large error, and the integrator bleeds off once the slip is below target.
"""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.control.slip import slip_pi, wheel_slip
from twinmotor.simulation.assemble import assemble
from twinmotor.tire.mf61 import mf61_forces

R = 0.33
V_MIN = 1.0


# ---------------------------------------------------------------- wheel_slip
@pytest.mark.parametrize("v", [2.0, 10.0, 40.0, -5.0])
def test_free_rolling_wheel_has_zero_slip(v):
    assert wheel_slip(v / R, R, v, V_MIN) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("kappa", [0.02, 0.1, 0.5, 1.0])
def test_driving_slip_is_positive_and_exact(kappa):
    v = 20.0
    assert wheel_slip((1.0 + kappa) * v / R, R, v, V_MIN) == pytest.approx(kappa, rel=1e-12)


@pytest.mark.parametrize("kappa", [-0.02, -0.1, -0.5])
def test_braking_slip_is_negative_and_exact(kappa):
    v = 20.0
    assert wheel_slip((1.0 + kappa) * v / R, R, v, V_MIN) == pytest.approx(kappa, rel=1e-12)


def test_locked_wheel_has_slip_minus_one():
    assert wheel_slip(0.0, R, 25.0, V_MIN) == pytest.approx(-1.0, rel=1e-15)


def test_denominator_floor_below_v_min():
    # a spinning wheel at standstill has finite slip: (omega R - v) / v_min
    assert wheel_slip(3.0 / R, R, 0.0, V_MIN) == pytest.approx(3.0, rel=1e-12)
    assert wheel_slip(1.0 / R, R, 0.5, V_MIN) == pytest.approx(0.5, rel=1e-12)


def test_reversing_wheel_spinning_backwards_has_negative_slip():
    # going backwards, a wheel turning faster backwards drives the car backwards: negative force
    assert wheel_slip(-11.0 / R, R, -10.0, V_MIN) == pytest.approx(-0.1, rel=1e-12)


@pytest.mark.parametrize("omega_over_v", [1.08, 0.92, 0.0])
@pytest.mark.parametrize("v", [15.0, -6.0])
def test_slip_sign_matches_the_tire_force(vehicle_awd, omega_over_v, v):
    # the controller's slip and the plant's tire model agree: positive slip pushes the car forward
    tp = assemble(vehicle_awd).tp_f
    kappa = wheel_slip(omega_over_v * v / R, R, v, V_MIN)
    fx = mf61_forces(tp, 4500.0, kappa, 0.0, 0.0, v, 1.0, 1.0)[0]
    assert np.sign(fx) == np.sign(kappa)


# ---------------------------------------------------------------- slip_pi
KP, KI, DT = 4.0, 60.0, 1e-3


@pytest.mark.parametrize("err", [-0.5, -0.1, -1e-4])
def test_no_cut_below_target(err):
    cut, integ = slip_pi(err, 0.0, KP, KI, DT)
    assert (cut, integ) == (0.0, 0.0)


def test_proportional_cut_for_small_error():
    err = 0.05
    cut, integ = slip_pi(err, 0.0, KP, KI, DT)
    assert integ == pytest.approx(KI * err * DT, rel=1e-12)
    assert cut == pytest.approx(KP * err + KI * err * DT, rel=1e-12)


@pytest.mark.parametrize("err", [0.3, 1.0, 5.0])
def test_full_cut_for_large_error(err):
    cut, _ = slip_pi(err, 0.0, KP, KI, DT)
    assert cut == 1.0


@pytest.mark.parametrize("integ0,err", [(0.999, 5.0), (0.5, 100.0), (0.001, -5.0), (0.3, -100.0)])
def test_integrator_is_clamped_to_unit_interval(integ0, err):
    cut, integ = slip_pi(err, integ0, KP, KI, DT)
    assert 0.0 <= integ <= 1.0
    assert 0.0 <= cut <= 1.0
    assert integ == (1.0 if err > 0 else 0.0)


def test_integrator_winds_up_linearly_then_saturates():
    err = 0.02
    integ = 0.0
    steps = int(round(1.0 / (KI * err * DT)))  # time to reach 1: 1 / (ki err)
    for _ in range(steps - 10):
        _, integ = slip_pi(err, integ, KP, KI, DT)
    assert integ == pytest.approx((steps - 10) * KI * err * DT, rel=1e-9)
    for _ in range(20):
        _, integ = slip_pi(err, integ, KP, KI, DT)
    assert integ == 1.0


def test_integrator_bleeds_off_when_slip_falls_below_target():
    # after a spin the wheel grips again: the cut must end, at rate ki * |err|
    err = -0.05
    integ = 0.6
    t_release = integ / (KI * abs(err))  # 0.2 s
    n_release = int(round(t_release / DT))
    cuts = []
    for _ in range(n_release + 5):
        cut, integ = slip_pi(err, integ, KP, KI, DT)
        cuts.append(cut)
    assert np.all(np.diff(cuts) <= 1e-15)
    assert integ == 0.0 and cuts[-1] == 0.0
    # half way, the integrator has bled half way (linear decay)
    integ = 0.6
    for _ in range(n_release // 2):
        _, integ = slip_pi(err, integ, KP, KI, DT)
    assert integ == pytest.approx(0.3, abs=KI * abs(err) * DT)
