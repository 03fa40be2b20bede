"""Disconnect units and the new preset blocks: bad input gets a sentence naming field, value, range, unit."""

from __future__ import annotations

import pytest

from twinmotor.errors import ParameterError
from twinmotor.powertrain.charger import charger_efficiency
from twinmotor.tire.classes import friction_scale_for_class
from twinmotor.vehicle import load_vehicle


def test_disconnect_on_the_only_driven_axle_is_an_error():
    with pytest.raises(ParameterError, match=r"powertrain.front.disconnect = true: the front axle is the car's only driven axle"):
        load_vehicle("leaf-e-plus", ["powertrain.front.disconnect=true"])


def test_disconnect_on_both_axles_is_an_error():
    with pytest.raises(ParameterError, match="one axle must stay connected"):
        load_vehicle("leaf-e-plus-awd", ["powertrain.front.disconnect=true", "powertrain.rear.disconnect=true"])


def test_negative_engage_time_is_an_error():
    with pytest.raises(ParameterError, match=r"engage_time_s = -0.1 is out of range: allowed 0.0 to 5.0 s"):
        load_vehicle("leaf-e-plus-awd", ["powertrain.front.disconnect=true",
                                         "powertrain.front.disconnect_unit.engage_time_s=-0.1"])


def test_tire_class_scales_friction_by_stopping_distance():
    """Friction ~ 1 / stopping distance at equal speed: eco 34.6 / 39.5, touring 34.6 / 37.5."""
    assert friction_scale_for_class("performance") == 1.0
    assert friction_scale_for_class("eco") == pytest.approx(34.6 / 39.5)
    assert friction_scale_for_class("touring") == pytest.approx(34.6 / 37.5)
    with pytest.raises(ParameterError, match="tire_class = 'slick'"):
        friction_scale_for_class("slick")


def test_charger_efficiency_rises_with_power_to_one_minus_k():
    """eta = 1 - k - P0/P: reproduces the two owner measurements it was fitted to (73 % at 1.44 kW,
    84 % at 3.6 kW, within a point) and tends to 1 - k at high power."""
    assert charger_efficiency(1440.0, 260.0, 0.087) == pytest.approx(0.73, abs=0.01)
    assert charger_efficiency(3600.0, 260.0, 0.087) == pytest.approx(0.84, abs=0.01)
    assert charger_efficiency(1e9, 260.0, 0.087) == pytest.approx(0.913, abs=1e-6)
    with pytest.raises(ParameterError, match="take all of power_kw"):
        charger_efficiency(200.0, 260.0, 0.087)
