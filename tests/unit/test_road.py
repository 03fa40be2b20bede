"""The road: friction scales per side and along the path, and grade as the angle whose tangent is
the percentage over 100."""

from __future__ import annotations

import math

import pytest

from twinmotor.errors import ParameterError
from twinmotor.road import ROAD_COLUMNS, SURFACES, Road, make_road, road_at, surface_mu


def test_surfaces_rank_dry_wet_snow_ice():
    assert SURFACES["dry"] == 1.0  # the tire data's own friction
    assert SURFACES["dry"] > SURFACES["wet"] > SURFACES["snow"] > SURFACES["ice"] > 0.0
    assert 0.5 <= SURFACES["wet"] <= 0.75  # wet asphalt: ~0.5-0.75 of dry (module docstring)


def test_split_mu_puts_ice_on_the_left_and_dry_on_the_right():
    table = make_road("split-mu").table()
    assert table.shape == (1, len(ROAD_COLUMNS))
    for s in (0.0, 10.0, 1e4):
        assert road_at(table, s, True) == (SURFACES["ice"], 0.0)
        assert road_at(table, s, False) == (SURFACES["dry"], 0.0)


def test_split_mu_with_named_sides():
    table = make_road("split-mu:snow:wet").table()
    assert road_at(table, 5.0, True)[0] == SURFACES["snow"]
    assert road_at(table, 5.0, False)[0] == SURFACES["wet"]


def test_mirrored_split_mu_swaps_the_sides():
    a, b = make_road("split-mu:ice:dry").table(), make_road("split-mu:dry:ice").table()
    assert road_at(a, 3.0, True) == road_at(b, 3.0, False)
    assert road_at(a, 3.0, False) == road_at(b, 3.0, True)


def test_uniform_surfaces_are_the_same_on_both_sides():
    for name, mu in SURFACES.items():
        table = make_road(name).table()
        assert road_at(table, 1.0, True) == road_at(table, 1.0, False) == (mu, 0.0)
    table = make_road(0.45).table()
    assert road_at(table, 1.0, True)[0] == road_at(table, 1.0, False)[0] == 0.45


@pytest.mark.parametrize("grade_pct", [-30.0, -5.0, 0.0, 2.0, 10.0, 30.0])
def test_grade_percent_is_rise_over_run(grade_pct):
    """A 10 % grade rises 10 m per 100 m horizontally: tan(angle) = 0.1, angle = 5.71 deg."""
    table = Road(grade_pct=grade_pct).table()
    _mu, grade = road_at(table, 50.0, True)
    assert math.tan(grade) == pytest.approx(grade_pct / 100.0, rel=1e-14, abs=1e-15)
    if grade_pct == 10.0:
        assert math.degrees(grade) == pytest.approx(5.7106, abs=1e-4)


def test_friction_changes_at_the_segment_start_distances():
    road = Road(name="patches", segments=((0.0, "dry", "dry"), (50.0, "ice", "wet"), (80.0, 0.5, 0.7)))
    table = road.table()
    assert road_at(table, 49.999, True)[0] == 1.0
    assert road_at(table, 50.0, True)[0] == SURFACES["ice"] and road_at(table, 50.0, False)[0] == SURFACES["wet"]
    assert road_at(table, 79.9, False)[0] == SURFACES["wet"]
    assert road_at(table, 80.0, True)[0] == 0.5 and road_at(table, 1e6, False)[0] == 0.7
    assert road_at(table, -1.0, True)[0] == 1.0  # before the first segment: the first surface


@pytest.mark.parametrize("make, message", [
    (lambda: Road(grade_pct=31.0), "grade_pct"),
    (lambda: Road(segments=((10.0, "dry", "dry"), (5.0, "ice", "ice"))), "sort them"),
    (lambda: Road(segments=((0.0, "gravel", "dry"),)), "surface = 'gravel'"),
    (lambda: Road(segments=((0.0, 3.0, "dry"),)), "friction scale"),
    (lambda: make_road("split-mu:ice"), "split-mu:LEFT:RIGHT"),
    (lambda: surface_mu("mud"), "choose one of dry, wet, snow, ice"),
])
def test_mistakes_are_refused_with_a_sentence_that_names_them(make, message):
    with pytest.raises(ParameterError, match=message):
        make()


def test_make_road_passes_a_road_through():
    road = Road(name="mine", grade_pct=3.0)
    assert make_road(road) is road
