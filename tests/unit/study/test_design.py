"""Designs: sizes and properties of each method, reproducible from the seed."""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.study.design import make_design
from twinmotor.study.spec import Factor, Study


def _study(method, samples, factors, seed=3):
    return Study(name="t", path=None, vehicles=["leaf-e-plus-awd"], controllers=[], procedures=["brake"],
                 surfaces=["dry"], factors=factors, method=method, samples=samples, seed=seed, objectives=[])


def _uniform(name, lo, hi):
    return Factor(name, "vehicle", low=lo, high=hi)


def test_saltelli_gives_n_times_d_plus_2_points():
    d = make_design(_study("saltelli", 8, [_uniform("a", 0, 1), _uniform("b", 10, 20), _uniform("c", -1, 1)]))
    assert len(d.points) == 8 * (3 + 2)
    assert d.problem["names"] == ["a", "b", "c"]
    b = np.array([p["b"] for p in d.points])
    assert b.min() >= 10 and b.max() <= 20


def test_sobol_points_are_balanced():
    d = make_design(_study("sobol", 16, [_uniform("a", 0, 16)]))
    a = np.sort([p["a"] for p in d.points])
    assert np.array_equal(np.floor(a), np.arange(16))  # one point in each sixteenth (a (t, m, s)-net)


def test_monte_carlo_follows_the_stated_distribution():
    f = Factor("mass_kg", "vehicle", distribution="normal", mean=1900.0, sd=25.0)
    x = np.array([p["mass_kg"] for p in make_design(_study("montecarlo", 4000, [f])).points])
    assert abs(x.mean() - 1900.0) < 3 * 25.0 / np.sqrt(4000)
    assert x.std() == pytest.approx(25.0, rel=0.05)


def test_triangular_stays_within_its_bounds_and_peaks_at_its_mode():
    f = Factor("mass_kg", "vehicle", distribution="triangular", low=1800.0, high=2000.0, mode=1850.0)
    x = np.array([p["mass_kg"] for p in make_design(_study("lhs", 2000, [f])).points])
    assert x.min() >= 1800 and x.max() <= 2000
    assert x.mean() == pytest.approx((1800 + 2000 + 1850) / 3, abs=1.0)


def test_same_seed_same_points_other_seed_other_points():
    fs = [_uniform("a", 0, 1), Factor("v", "choice", values=["x", "y", "z"])]
    one, two = make_design(_study("lhs", 6, fs)).points, make_design(_study("lhs", 6, fs)).points
    assert one == two
    assert make_design(_study("lhs", 6, fs, seed=4)).points != one
    assert {p["v"] for p in one} == {"x", "y", "z"}
