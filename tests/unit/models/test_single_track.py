"""The linear single-track model (Gillespie ch. 6): static loads from the force and moment balance,
the understeer gradient with and without aligning moments, steady-state steer and yaw gain."""

from __future__ import annotations

import math
from functools import cache

import pytest

import twinmotor
from twinmotor.constants import G_M_S2
from twinmotor.models.single_track import (
    single_track_values,
    static_tire_loads,
    steer_for_lat_accel,
    understeer_gradient,
    vehicle_understeer_gradient,
    yaw_rate_gain,
)

# a LEAF-sized car: mass [kg], lf, lr [m], axle cornering stiffnesses [N/rad]
M, LF, LR = 1823.0, 1.107, 1.593
L = LF + LR
CF, CR = 110e3, 88e3


@cache
def _leaf():
    return twinmotor.load_vehicle("leaf-e-plus")


@pytest.mark.parametrize("lf, lr", [(LF, LR), (1.35, 1.35), (1.6, 1.0)])
def test_static_loads_carry_the_weight_and_balance_the_moment_about_the_cg(lf, lr):
    f, r = static_tire_loads(M, G_M_S2, lf, lr, lf + lr)
    assert 2.0 * (f + r) == pytest.approx(M * G_M_S2, rel=1e-14)  # vertical force balance
    assert f + r == pytest.approx(M * G_M_S2 / 2.0, rel=1e-14)  # one side carries half
    assert 2.0 * f * lf == pytest.approx(2.0 * r * lr, rel=1e-14)  # pitch moment about the CG


def test_gillespie_form():
    assert understeer_gradient(M, L, LF, LR, CF, CR) == pytest.approx(M / L * (LR / CF - LF / CR), rel=1e-15)


def test_neutral_steer_when_the_axle_moments_of_cornering_stiffness_balance():
    """l_f C_f = l_r C_r: the lateral force of both axles acts through the CG, K = 0."""
    cr = LF * CF / LR
    assert understeer_gradient(M, L, LF, LR, CF, cr) == pytest.approx(0.0, abs=1e-18)
    assert understeer_gradient(M, L, LF, LR, CF, cr * 1.1) > 0.0  # stiffer rear: understeer
    assert understeer_gradient(M, L, LF, LR, CF, cr * 0.9) < 0.0  # softer rear: oversteer


@pytest.mark.parametrize("cf, cr", [(CF, CR), (CF, LF * CF / LR), (80e3, 120e3)])
def test_aligning_form_reduces_to_gillespie_as_n_goes_to_zero(cf, cr):
    k0 = understeer_gradient(M, L, LF, LR, cf, cr)
    # dK/dN is of order m / (C l C): about 1e-7 per N*m/rad for a car, so the gap closes linearly in N
    for n in (1e-3, 1e-6, 1e-9):
        k = understeer_gradient(M, L, LF, LR, cf, cr, n, n)
        assert k == pytest.approx(k0, abs=1e-6 * n + 1e-17)
    # the aligning form's algebra at N = 0 exactly, bypassing the Gillespie branch
    a, b = LF * cf, LR * cr
    assert M * (b - a) / (cf * b + cr * a) == pytest.approx(k0, rel=1e-12, abs=1e-15)


def test_aligning_moments_act_as_pneumatic_trails_moving_the_axle_forces_rearward():
    """N = C t: the same K as Gillespie's form with the front force at l_f - t_f ahead of the CG and
    the rear one at l_r + t_r behind it (wheelbase L - t_f + t_r)."""
    tf, tr = 0.04, 0.03
    k = understeer_gradient(M, L, LF, LR, CF, CR, CF * tf, CR * tr)
    lf, lr = LF - tf, LR + tr
    assert k == pytest.approx(M / (lf + lr) * (lr / CF - lf / CR), rel=1e-12)


def test_aligning_moments_always_add_understeer():
    k0 = understeer_gradient(M, L, LF, LR, CF, CR)
    ks = [understeer_gradient(M, L, LF, LR, CF, CR, n, n) for n in (1e3, 2e3, 4e3, 8e3)]
    assert all(k > k0 for k in ks)
    assert all(b > a for a, b in zip(ks, ks[1:]))


@pytest.mark.parametrize("v, ay", [(10.0, 2.0), (20.0, 4.0), (30.0, 8.0)])
def test_neutral_steer_needs_the_ackermann_angle(v, ay):
    radius = v * v / ay
    assert steer_for_lat_accel(ay, L, 0.0, v) == pytest.approx(L / radius, rel=1e-14)


@pytest.mark.parametrize("k_us", [-0.002, 0.0, 0.0017, 0.004])
@pytest.mark.parametrize("v, ay", [(10.0, 2.0), (25.0, 5.0)])
def test_yaw_rate_from_gain_times_steer_is_v_over_r(k_us, v, ay):
    """In a steady turn r = v / R = a_y / v, whatever the understeer gradient."""
    delta = steer_for_lat_accel(ay, L, k_us, v)
    assert yaw_rate_gain(L, k_us, v) * delta == pytest.approx(ay / v, rel=1e-12)


def test_steer_grows_by_k_ay_above_ackermann():
    """delta = L / R + K a_y (Gillespie eq. 6-15)."""
    k_us, v, ay = 0.0025, 22.0, 3.0
    assert steer_for_lat_accel(ay, L, k_us, v) == pytest.approx(L * ay / v ** 2 + k_us * ay, rel=1e-14)


def test_oversteer_gain_diverges_at_the_critical_speed():
    k_us = -0.003
    v_crit = math.sqrt(-L / k_us)
    assert L + k_us * v_crit ** 2 == pytest.approx(0.0, abs=1e-12)
    gains = [yaw_rate_gain(L, k_us, f * v_crit) for f in (0.5, 0.9, 0.99, 0.999, 0.9999)]
    assert all(b > a for a, b in zip(gains, gains[1:]))
    assert gains[-1] > 1e3 * gains[0]
    assert yaw_rate_gain(L, k_us, 1.01 * v_crit) < 0.0  # beyond it the steady state is unstable


def test_understeer_gain_peaks_at_the_characteristic_speed():
    """K > 0: r / delta = v / (L + K v^2) is largest at v_char = sqrt(L / K), where it is v_char / (2 L)."""
    k_us = 0.0025
    v_char = math.sqrt(L / k_us)
    peak = yaw_rate_gain(L, k_us, v_char)
    assert peak == pytest.approx(v_char / (2.0 * L), rel=1e-14)
    for f in (0.5, 0.9, 0.99, 1.01, 1.1, 2.0):
        assert yaw_rate_gain(L, k_us, f * v_char) < peak


def test_neutral_steer_gain_is_v_over_l():
    for v in (5.0, 20.0, 40.0):
        assert yaw_rate_gain(L, 0.0, v) == pytest.approx(v / L, rel=1e-15)


def test_preset_single_track_values_are_consistent_with_the_vehicle():
    v = _leaf()
    st = single_track_values(v)
    assert st["mass"] == pytest.approx(v.mass_kg)
    assert st["wheelbase"] == pytest.approx(v.wheelbase_m, rel=1e-12)
    assert st["lf"] == pytest.approx(v.cg_to_front_axle_m, rel=1e-12)
    assert st["g"] == pytest.approx(G_M_S2, rel=1e-12)
    assert st["c_f"] > 0.0 and st["c_r"] > 0.0 and st["n_f"] > 0.0 and st["n_r"] > 0.0


def test_preset_understeers_and_more_so_with_aligning_moments():
    """A production car understeers (typically 1-4 deg/g on the road wheels); the tires' aligning
    moments add to it."""
    v = _leaf()
    k_with, k_without = vehicle_understeer_gradient(v), vehicle_understeer_gradient(v, aligning_moment=False)
    assert k_without > 0.0
    assert k_with > k_without
    deg_per_g = math.degrees(k_with) * G_M_S2
    assert 0.2 < deg_per_g < 5.0
