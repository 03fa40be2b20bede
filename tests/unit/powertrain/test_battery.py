"""Traction battery: OCV curve, Rint current/power, power limits, coulomb counting."""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.powertrain import (
    B_CAPACITY_AH,
    B_V_MAX,
    B_V_MIN,
    CELL_VOLTAGE_MAX,
    CELL_VOLTAGE_MIN,
    N_BATTERY,
    NOMINAL_CELL_VOLTAGE,
    battery_coefficients,
    cell_open_circuit_voltage,
    current_from_power,
    nominal_pack_voltage,
    open_circuit_voltage,
    power_limits,
    soc_rate,
    terminal_voltage,
)
from twinmotor.vehicle.schema import Battery


@pytest.fixture(scope="module")
def leaf_e_plus() -> Battery:
    # LEAF e+: 62 kWh, 288 cells 96s3p (Nissan); resistance and power limits: estimates
    return Battery(capacity_kwh=62.0, cells_in_series=96, cells_in_parallel=3, internal_resistance_ohm=0.08,
                   max_discharge_power_kw=160.0, max_charge_power_kw=70.0, charge_taper_start_soc=0.9)


@pytest.fixture(scope="module")
def c(leaf_e_plus) -> np.ndarray:
    return battery_coefficients(leaf_e_plus)


def test_coefficient_array_is_flat_float64(c):
    assert c.dtype == np.float64 and c.shape == (N_BATTERY,)


# --- open-circuit voltage -----------------------------------------------------------------------
def test_ocv_is_strictly_increasing_with_nmc_end_points():
    socs = np.linspace(0.0, 1.0, 2001)
    v = np.array([cell_open_circuit_voltage(s) for s in socs])
    assert np.all(np.diff(v) > 0.0)
    assert v[0] == pytest.approx(3.0, abs=1e-12)
    assert 4.15 <= v[-1] <= 4.2
    assert 3.65 <= NOMINAL_CELL_VOLTAGE <= 3.75
    assert CELL_VOLTAGE_MIN < v[0] and v[-1] <= CELL_VOLTAGE_MAX


def test_ocv_is_clipped_outside_zero_to_one():
    assert cell_open_circuit_voltage(-0.3) == cell_open_circuit_voltage(0.0)
    assert cell_open_circuit_voltage(1.4) == cell_open_circuit_voltage(1.0)


def test_leaf_pack_nominal_voltage_and_capacity(leaf_e_plus, c):
    v_nom = nominal_pack_voltage(leaf_e_plus)
    assert 340.0 <= v_nom <= 365.0  # Nissan: about 350 V
    assert c[B_CAPACITY_AH] == pytest.approx(62_000.0 / v_nom, rel=1e-12)
    assert open_circuit_voltage(0.5, c) == pytest.approx(96 * cell_open_circuit_voltage(0.5), rel=1e-15)


def test_slow_full_discharge_delivers_rated_energy(c):
    # integral of V_oc dQ from SOC 1 to 0 = Q * mean OCV = capacity_kwh (OCV piecewise linear: exact)
    socs = np.linspace(0.0, 1.0, 20 * 64 + 1)
    v = np.array([open_circuit_voltage(s, c) for s in socs])
    energy_wh = np.trapezoid(v, socs) * c[B_CAPACITY_AH]
    assert energy_wh == pytest.approx(62_000.0, rel=1e-12)


# --- current from power -------------------------------------------------------------------------
def test_current_satisfies_power_equation():
    v, r = 355.0, 0.08
    p_max = v * v / (4.0 * r)
    for p in np.concatenate((np.linspace(-300e3, 0.99 * p_max, 200), [1.0, -1.0, 1e-3])):
        i = current_from_power(p, v, r)
        assert v * i - r * i * i == pytest.approx(p, rel=1e-9, abs=1e-12)
        assert (i < 0.0) == (p < 0.0)  # charging current is negative
        assert i <= v / (2.0 * r)  # the physical root: below the max-power current


def test_power_beyond_max_gives_max_power_current():
    v, r = 355.0, 0.08
    i = current_from_power(1e6, v, r)  # 1 MW > 394 kW available
    assert i == pytest.approx(v / (2.0 * r), rel=1e-15)
    assert terminal_voltage(v, i, r) * i == pytest.approx(v * v / (4.0 * r), rel=1e-12)


def test_terminal_voltage_drops_on_discharge_rises_on_charge():
    v, r = 355.0, 0.08
    assert terminal_voltage(v, 100.0, r) == pytest.approx(347.0, rel=1e-15)
    assert terminal_voltage(v, -100.0, r) == pytest.approx(363.0, rel=1e-15)


# --- power limits -------------------------------------------------------------------------------
def test_regen_limit_zero_when_full_and_full_below_taper(c):
    assert power_limits(1.0, c)[1] == 0.0
    for soc in (0.2, 0.5, 0.89, 0.9):
        assert power_limits(soc, c)[1] == pytest.approx(70e3, rel=1e-12)
    assert power_limits(0.95, c)[1] == pytest.approx(35e3, rel=1e-9)  # linear taper


def test_discharge_limit_zero_when_empty_and_full_above_five_percent(c):
    assert power_limits(0.0, c)[0] == 0.0
    assert power_limits(0.025, c)[0] == pytest.approx(80e3, rel=1e-9)
    for soc in (0.05, 0.3, 1.0):
        assert power_limits(soc, c)[0] == pytest.approx(160e3, rel=1e-12)


def test_limits_keep_terminal_voltage_within_cell_limits():
    # high-resistance (cold or aged) pack: the voltage limits, not the kW ratings, set the power
    b = Battery(capacity_kwh=62.0, cells_in_series=96, internal_resistance_ohm=0.8,
                max_discharge_power_kw=160.0, max_charge_power_kw=70.0)
    c = battery_coefficients(b)
    assert c[B_V_MIN] == pytest.approx(96 * 2.5) and c[B_V_MAX] == pytest.approx(96 * 4.2)
    for soc in np.linspace(0.0, 1.0, 41):
        v_oc = open_circuit_voltage(soc, c)
        p_dis, p_chg = power_limits(soc, c)
        assert p_dis >= 0.0 and p_chg >= 0.0
        v_dis = terminal_voltage(v_oc, current_from_power(p_dis, v_oc, 0.8), 0.8)
        v_chg = terminal_voltage(v_oc, current_from_power(-p_chg, v_oc, 0.8), 0.8)
        assert v_dis >= c[B_V_MIN] * (1.0 - 1e-12)
        assert v_chg <= c[B_V_MAX] * (1.0 + 1e-12)
    # at mid SOC the voltage cap is the binding one: it sits exactly on the limit
    v_oc = open_circuit_voltage(0.5, c)
    p_chg = power_limits(0.5, c)[1]
    assert p_chg < 70e3
    assert terminal_voltage(v_oc, current_from_power(-p_chg, v_oc, 0.8), 0.8) == pytest.approx(c[B_V_MAX], rel=1e-12)


# --- coulomb counting ---------------------------------------------------------------------------
@pytest.mark.parametrize("current_a", [100.0, -50.0])
def test_one_hour_at_constant_current_moves_soc_by_i_over_capacity(c, current_a):
    soc = 0.5
    for _ in range(3600):  # explicit Euler, 1 s steps (exact for a constant rate)
        soc += soc_rate(current_a, c) * 1.0
    assert soc == pytest.approx(0.5 - current_a / c[B_CAPACITY_AH], rel=1e-12)
