"""Unit factors against their exact SI definitions (BIPM SI brochure, 9th ed.; NIST SP 811)."""

from __future__ import annotations

import math

import pytest

from twinmotor.constants import DEG_PER_RAD, G_M_S2, J_PER_KWH, KM_PER_MILE, KMH, MPH


def test_standard_gravity_is_the_3rd_cgpm_value():
    assert G_M_S2 == 9.80665


def test_mile_is_exactly_1609_344_m():
    assert KM_PER_MILE * 1000.0 == pytest.approx(1609.344, rel=1e-15)


def test_mile_per_hour_is_one_mile_in_3600_s():
    assert MPH * 3600.0 / 1609.344 == pytest.approx(1.0, rel=1e-15)
    assert MPH * 3.6 == pytest.approx(KM_PER_MILE, rel=1e-15)  # 1 mph in km/h


def test_km_per_hour_is_1000_m_in_3600_s():
    assert KMH * 3600.0 / 1000.0 == pytest.approx(1.0, rel=1e-15)
    assert 100.0 * KMH == pytest.approx(27.7777777777, rel=1e-10)


def test_a_full_turn_is_360_degrees():
    assert 2.0 * math.pi * DEG_PER_RAD == pytest.approx(360.0, rel=1e-15)
    assert DEG_PER_RAD == pytest.approx(57.29577951308232, rel=1e-15)


def test_kwh_is_1000_w_for_3600_s():
    assert J_PER_KWH == 1000.0 * 3600.0
