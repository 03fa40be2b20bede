"""Ride comfort: jerk limit, soft stop, the zero-vibration input shaper of the pitch mode and the
pitch-damping split shift.

Facts checked: the rate limit bounds the change per step by max_rate dt; the ZV shaper
(Singer & Seering, ASME J. Dyn. Sys. Meas. Control 112, 1990) applies A1 = 1/(1+K) at once and the
rest half a damped period pi/omega_d later (K = exp(-zeta pi / sqrt(1 - zeta^2)), A1 + A2 = 1);
its step, applied to the damped second-order pitch mode, leaves almost no residual oscillation
(< 5 % of the unshaped overshoot); soft stop eases only gentle stops; the split shift moves force
so that the change of the anti-geometry pitch moment opposes the pitch rate.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal

from twinmotor.control.comfort import (
    COMFORT_MAX_ACCEL_M_S2,
    SOFT_STOP_FLOOR,
    pitch_input_shaper,
    pitch_split_shift,
    rate_limit,
    shaped_force,
    soft_stop,
)
from twinmotor.control.params import CS_SHAPER_POS, IDX, N_STATE, SHAPER_BUFFER

G = 9.80665
DT = 1e-3


@pytest.fixture
def p(params):
    return params(controller="integrated")


# ---------------------------------------------------------------- rate limit and jerk
def test_rate_limit_bounds_each_step_and_reaches_the_target():
    rate, dt = 500.0, 1e-3
    assert rate_limit(100.0, 0.0, rate, dt) == pytest.approx(0.5, rel=1e-12)
    assert rate_limit(-100.0, 0.0, rate, dt) == pytest.approx(-0.5, rel=1e-12)
    assert rate_limit(0.3, 0.0, rate, dt) == 0.3  # within reach: the target itself
    x, n = 0.0, 0
    while x != 100.0:
        nxt = rate_limit(100.0, x, rate, dt)
        assert abs(nxt - x) <= rate * dt * (1 + 1e-12)
        x, n = nxt, n + 1
    assert n == math.ceil(100.0 / (rate * dt) - 1e-9)


def test_shaped_force_limits_jerk_for_comfort_demands(p):
    mass, jerk = p[IDX["mass"]], p[IDX["jerk_max_m_s3"]]
    demand = 0.3 * G * mass  # a brisk but ordinary tip-in
    prev, forces = 0.0, []
    for _ in range(2000):
        prev = shaped_force(p, demand, prev, DT)
        forces.append(prev)
    jerks = np.diff(np.concatenate([[0.0], forces])) / DT / mass
    assert np.max(np.abs(jerks)) <= jerk * (1 + 1e-9)
    # it gets there in demand / (jerk m) seconds
    t_reach = (np.argmax(np.array(forces) >= demand) + 1) * DT
    assert t_reach == pytest.approx(0.3 * G / jerk, abs=2 * DT)


def test_performance_demands_pass_unshaped(p):
    mass = p[IDX["mass"]]
    assert COMFORT_MAX_ACCEL_M_S2 == pytest.approx(0.4 * G, rel=1e-12)
    for demand in (0.41 * G * mass, -0.9 * G * mass):
        assert shaped_force(p, demand, 0.0, DT) == demand


# ---------------------------------------------------------------- soft stop
def test_soft_stop_eases_gentle_stops_linearly(p):
    vs = p[IDX["soft_stop_speed_m_s"]]
    decel = 1.5
    assert soft_stop(p, decel, vs) == decel
    assert soft_stop(p, decel, 3.0 * vs) == decel
    assert soft_stop(p, decel, 0.0) == pytest.approx(SOFT_STOP_FLOOR * decel, rel=1e-12)
    assert soft_stop(p, decel, 0.5 * vs) == pytest.approx(decel * (SOFT_STOP_FLOOR + 0.5 * (1 - SOFT_STOP_FLOOR)),
                                                          rel=1e-12)


def test_soft_stop_leaves_hard_stops_and_drive_alone(p):
    vs = p[IDX["soft_stop_speed_m_s"]]
    for decel in (0.41 * G, 0.8 * G, 0.0, -1.0):
        assert soft_stop(p, decel, 0.3 * vs) == decel


# ---------------------------------------------------------------- ZV input shaper
def _zv(p):
    f, zeta = p[IDX["pitch_freq_hz"]], p[IDX["pitch_damping_ratio"]]
    wn = 2.0 * math.pi * f
    wd = wn * math.sqrt(1.0 - zeta * zeta)
    k = math.exp(-zeta * math.pi / math.sqrt(1.0 - zeta * zeta))
    return wn, wd, zeta, k


def _shape(p, demand_series):
    s = np.zeros(N_STATE)
    return np.array([pitch_input_shaper(p, s, d, DT) for d in demand_series])


def test_shaper_impulses_and_delay(p):
    wn, wd, zeta, k = _zv(p)
    assert 1.0 < p[IDX["pitch_freq_hz"]] < 3.0 and 0.1 < zeta < 0.6  # a passenger car's pitch mode
    step = 0.2 * G * p[IDX["mass"]]
    n = 2000
    out = _shape(p, np.full(n, step))
    a1 = 1.0 / (1.0 + k)
    a2 = k / (1.0 + k)
    assert a1 + a2 == pytest.approx(1.0, rel=1e-15)
    assert out[0] == pytest.approx(a1 * step, rel=1e-12)
    i_full = int(np.argmax(out >= step * (1 - 1e-12)))
    # the full step arrives half a damped period later, to within one sample
    assert i_full * DT == pytest.approx(math.pi / wd, abs=DT)
    assert np.all(out[:i_full] == pytest.approx(a1 * step, rel=1e-12))
    assert np.all(out[i_full:] == pytest.approx(step, rel=1e-12))


def _second_order_response(wn, zeta, u, dt):
    """Response of x'' + 2 zeta wn x' + wn^2 x = wn^2 u to a piecewise-constant input (exact ZOH)."""
    sys_c = signal.StateSpace([[0.0, 1.0], [-wn * wn, -2.0 * zeta * wn]], [[0.0], [wn * wn]], [[1.0, 0.0]], [[0.0]])
    sys_d = sys_c.to_discrete(dt, method="zoh")
    _, y, _ = signal.dlsim(sys_d, u.reshape(-1, 1))
    return y[:, 0]


@pytest.mark.parametrize("vehicle", ["leaf-e-plus-awd", "leaf-40", "leaf-nismo-rc"])
def test_shaped_step_leaves_no_residual_pitch_oscillation(params, vehicle):
    p = params(vehicle, "integrated")
    wn, wd, zeta, k = _zv(p)
    step = 0.25 * G * p[IDX["mass"]]
    n = 4000
    u = np.full(n, step)
    x_plain = _second_order_response(wn, zeta, u / step, DT)
    x_zv = _second_order_response(wn, zeta, _shape(p, u) / step, DT)
    overshoot_plain = x_plain.max() - 1.0
    assert overshoot_plain == pytest.approx(k, rel=0.01)  # the classical peak overshoot of the mode
    after = int(math.ceil(math.pi / wd / DT)) + 1
    residual = np.max(np.abs(x_zv[after:] - 1.0))
    assert residual < 0.05 * overshoot_plain
    assert x_zv.max() - 1.0 < 0.05 * overshoot_plain
    # and the body still reaches its steady pitch: the shaper delays, it does not weaken
    assert x_zv[-1] == pytest.approx(1.0, abs=1e-3)


def test_shaper_ring_buffer_wraps(p):
    wn, wd, zeta, k = _zv(p)
    delay = int(round(math.pi / wd / DT))
    a, b = 0.1 * G * p[IDX["mass"]], 0.2 * G * p[IDX["mass"]]
    n_switch = SHAPER_BUFFER + 500  # the change comes after the buffer has wrapped
    u = np.where(np.arange(n_switch + 2 * delay) < n_switch, a, b)
    s = np.zeros(N_STATE)
    out = np.array([pitch_input_shaper(p, s, d, DT) for d in u])
    assert s[CS_SHAPER_POS] == len(u) % SHAPER_BUFFER
    assert out[n_switch - 1] == pytest.approx(a, rel=1e-12)
    assert out[n_switch] == pytest.approx((b + k * a) / (1.0 + k), rel=1e-12)
    assert out[n_switch + delay] == pytest.approx(b, rel=1e-12)


def test_shaper_passes_performance_demands(p):
    mass = p[IDX["mass"]]
    s = np.zeros(N_STATE)
    for d in (0.5 * G * mass, -1.0 * G * mass):
        assert pitch_input_shaper(p, s, d, DT) == d


# ---------------------------------------------------------------- pitch-damping split shift
def _pitch_moment_per_unit_split(p, force):
    """d(pitch moment)/d(front share) [N m] of the motor forces through the anti-geometry,
    nose-down positive: front anti-lift pulls the front of the body down (lf a_f F_f h / L), rear
    anti-squat lifts the rear (lr a_r F_r h / L), both nose-down; F_f = s F, F_r = (1 - s) F."""
    h, wb = p[IDX["cg_height"]], p[IDX["wheelbase"]]
    lf, lr = p[IDX["lf"]], p[IDX["lr"]]
    return h / wb * force * (lf * p[IDX["anti_drive_f"]] - lr * p[IDX["anti_drive_r"]])


@pytest.mark.parametrize("force", [3000.0, -3000.0])
@pytest.mark.parametrize("q", [-0.2, -0.02, 0.0, 0.02, 0.2])
def test_pitch_split_shift_opposes_pitch_rate(p, force, q):
    ds = pitch_split_shift(p, force, q)
    gain = p[IDX["pitch_damp_gain_s"]]
    assert abs(ds) == pytest.approx(min(gain * abs(q), 0.3), rel=1e-12)
    # the change of pitch moment it makes has the opposite sign to the pitch rate: it damps
    assert ds * _pitch_moment_per_unit_split(p, force) * q <= 0.0
    if q != 0.0:
        assert ds * _pitch_moment_per_unit_split(p, force) * q < 0.0


def test_pitch_split_shift_zero_without_anti_geometry_lever(p):
    q = p.copy()
    q[IDX["anti_drive_f"]] = 0.0  # no anti-geometry: moving force between axles makes no pitch moment
    q[IDX["anti_drive_r"]] = 0.0
    assert pitch_split_shift(q, 3000.0, 0.1) == 0.0
    assert pitch_split_shift(p, 0.0, 0.1) == 0.0
