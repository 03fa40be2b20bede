"""Single reduction gear: torque multiplication, loss = (1 - eta)|P| both ways, never negative."""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.powertrain import axle_torque

RATIO = 8.193  # LEAF reduction gear (Nissan)
ETA = 0.97


@pytest.mark.parametrize("w", [50.0, 400.0, 1000.0])
def test_motoring_output_is_ratio_times_torque_times_efficiency(w):
    for t in (10.0, 150.0, 340.0):
        t_axle, loss = axle_torque(t, w, RATIO, ETA)
        assert t_axle == pytest.approx(RATIO * t * ETA, rel=1e-12)
        assert loss == pytest.approx((1.0 - ETA) * t * w, rel=1e-12)
        # reversing: negative torque, negative speed is motoring too
        t_axle_r, loss_r = axle_torque(-t, -w, RATIO, ETA)
        assert t_axle_r == pytest.approx(-RATIO * t * ETA, rel=1e-12)
        assert loss_r == pytest.approx(loss, rel=1e-12)


@pytest.mark.parametrize("w", [50.0, 400.0, 1000.0, -300.0])
def test_generating_loss_is_the_same_fraction_of_power(w):
    for t in (10.0, 150.0, 340.0):
        t_regen = -t if w > 0.0 else t  # torque opposing rotation
        t_axle, loss = axle_torque(t_regen, w, RATIO, ETA)
        assert loss == pytest.approx((1.0 - ETA) * abs(t_regen * w), rel=1e-12)
        # the wheels supply the motor's braking power plus the gear loss
        assert abs(t_axle) * abs(w) / RATIO == pytest.approx(abs(t_regen * w) + loss, rel=1e-12)


def test_power_balance_and_nonnegative_loss_at_every_speed():
    for w in np.concatenate((np.linspace(-50.0, 50.0, 201), [-1e-9, 1e-9, 0.0])):
        for t in (-340.0, -20.0, 0.0, 20.0, 340.0):
            t_axle, loss = axle_torque(t, w, RATIO, ETA)
            assert loss >= 0.0
            assert t * w - t_axle * w / RATIO == pytest.approx(loss, abs=1e-12 * (abs(t * w) + 1.0))


def test_loss_torque_is_smooth_through_zero_speed():
    # at standstill no power flows, so no loss: the gear passes ratio * T
    t_axle, loss = axle_torque(200.0, 0.0, RATIO, ETA)
    assert t_axle == pytest.approx(RATIO * 200.0, rel=1e-15) and loss == 0.0
    ws = np.linspace(-2.0, 2.0, 401)
    t_out = np.array([axle_torque(200.0, w, RATIO, ETA)[0] for w in ws])
    assert np.all(np.diff(t_out) < 0.0)  # monotonic, no jump between regen and drive
    assert np.max(np.abs(np.diff(t_out))) < RATIO * 200.0 * (1.0 - ETA) * 0.011  # step 0.01 rad/s


def test_ideal_gear_is_lossless():
    t_axle, loss = axle_torque(-123.0, 700.0, RATIO, 1.0)
    assert t_axle == pytest.approx(-123.0 * RATIO, rel=1e-15) and loss == 0.0
