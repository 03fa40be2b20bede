"""Helpers every procedure measures with: level crossings by linear interpolation, values at a
time, and a standard's limit as a signed margin."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.procedures.base import Limit, crossing_time, falling_time, interp_at


@pytest.mark.parametrize("level", [0.3, 1.0, 2.5, 7.77])
def test_crossing_time_is_exact_on_a_straight_line(level):
    """y = 2 t + 0.1 sampled every 0.1 s: the crossing of `level` is (level - 0.1) / 2, exactly."""
    t = np.arange(0.0, 5.0 + 1e-9, 0.1)
    y = 2.0 * t + 0.1
    assert crossing_time(t, y, level) == pytest.approx((level - 0.1) / 2.0, abs=1e-12)


def test_crossing_time_on_a_coarse_grid_interpolates_between_samples():
    """Speed 0, 10, 30 m/s at 0, 1, 2 s: 20 m/s is reached half-way between 1 and 2 s."""
    assert crossing_time(np.array([0.0, 1.0, 2.0]), np.array([0.0, 10.0, 30.0]), 20.0) == pytest.approx(1.5)


def test_crossing_time_first_crossing_start_and_never():
    t = np.linspace(0.0, 2.0 * math.pi, 2001)
    y = np.sin(t)
    assert crossing_time(t, y, 0.5) == pytest.approx(math.pi / 6.0, abs=1e-6)  # first of two crossings
    assert crossing_time(t, y + 1.0, 0.5) == 0.0  # already above at the start
    assert math.isnan(crossing_time(t, y, 1.5))


@pytest.mark.parametrize("level", [4.0, 1.0, -2.0])
def test_falling_time_is_exact_on_a_falling_line(level):
    """y = 5 - 3 t: falls through `level` at (5 - level) / 3."""
    t = np.linspace(0.0, 3.0, 31)
    y = 5.0 - 3.0 * t
    assert falling_time(t, y, level) == pytest.approx((5.0 - level) / 3.0, abs=1e-12)
    assert math.isnan(falling_time(t, y, -10.0))


def test_falling_time_is_crossing_time_of_the_mirrored_signal():
    t = np.linspace(0.0, 10.0, 401)
    y = np.exp(-t / 2.0) * 27.8
    for level in (20.0, 10.0, 1.0):
        assert falling_time(t, y, level) == crossing_time(t, -y, -level)
        assert falling_time(t, y, level) == pytest.approx(-2.0 * math.log(level / 27.8), abs=2e-3)


def test_interp_at_interpolates_and_passes_nan_through():
    t = np.array([0.0, 1.0, 2.0])
    y = np.array([0.0, 4.0, 6.0])
    assert interp_at(t, y, 0.25) == pytest.approx(1.0)
    assert interp_at(t, y, 1.5) == pytest.approx(5.0)
    assert math.isnan(interp_at(t, y, float("nan")))  # a crossing that never happened
    assert math.isnan(interp_at(t, y, float("inf")))
    # the chain a procedure uses: value of y when another channel crossed a level (never: NaN)
    assert math.isnan(interp_at(t, y, crossing_time(t, y, 100.0)))


@pytest.mark.parametrize("kpi, margin", [(20.0, 15.0), (35.0, 0.0), (50.0, -15.0)])
def test_margin_of_an_upper_limit(kpi, margin):
    """FMVSS 126 yaw ratio at 1 s <= 35 %: 20 % passes by 15, 50 % fails by 15."""
    lim = Limit("<=", 35.0, "%", "FMVSS 126 S5.2.1")
    assert lim.margin(kpi) == pytest.approx(margin, abs=1e-12)


@pytest.mark.parametrize("kpi, margin", [(2.5, 0.67), (1.83, 0.0), (1.5, -0.33)])
def test_margin_of_a_lower_limit(kpi, margin):
    """FMVSS 126 lateral displacement >= 1.83 m: 2.5 m passes by 0.67 m, 1.5 m fails by 0.33 m."""
    lim = Limit(">=", 1.83, "m", "FMVSS 126 S5.3")
    assert lim.margin(kpi) == pytest.approx(margin, abs=1e-12)


def test_margin_sign_says_pass_or_fail():
    for lim in (Limit("<=", 1.0, "-", ""), Limit(">=", 1.0, "-", "")):
        for v in (0.5, 1.5):
            passes = v <= 1.0 if lim.relation == "<=" else v >= 1.0
            assert (lim.margin(v) > 0.0) == passes
