"""Motor kinds, the efficiency map as a table, and their bad-input errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.errors import ParameterError
from twinmotor.powertrain.motor import (
    RPM_TO_RAD_S,
    drag_loss,
    drag_torque_at_flux,
    efficiency_map,
    electrical_power,
    excitation_power,
    flux_rate,
    motor_coefficients,
    table_efficiency,
)
from twinmotor.vehicle import load_vehicle
from twinmotor.vehicle.schema import Motor


@pytest.fixture(scope="module")
def em57():
    return load_vehicle("leaf-e-plus").powertrain.front.motor


@pytest.fixture(scope="module")
def induction():
    return load_vehicle("leaf-e-plus-awd-induction").powertrain.front.motor


def test_pmsm_drags_at_zero_torque_whatever_the_flux(em57):
    """Magnets are always there: the idle PMSM loses its iron + friction loss (2.0 + 0.3 kW at max speed)."""
    c = motor_coefficients(em57)
    w = em57.max_speed_rpm * RPM_TO_RAD_S
    assert -drag_torque_at_flux(w, c, 0.0) * w == pytest.approx(drag_loss(w, c), rel=1e-12)
    assert drag_loss(w, c) == pytest.approx(2300.0, rel=1e-9)


def test_unexcited_induction_machine_loses_only_its_bearings_and_windage(induction):
    """No magnets: at flux 0 the drag is the friction loss alone (0.3 kW at max speed); at full flux
    iron loss is back (2.3 kW), at half flux a quarter of the iron loss (Bertotti: ~B^2)."""
    c = motor_coefficients(induction)
    w = induction.max_speed_rpm * RPM_TO_RAD_S
    assert -drag_torque_at_flux(w, c, 0.0) * w == pytest.approx(300.0, rel=1e-9)
    assert -drag_torque_at_flux(w, c, 1.0) * w == pytest.approx(2300.0, rel=1e-9)
    assert -drag_torque_at_flux(w, c, 0.5) * w == pytest.approx(300.0 + 0.25 * 2000.0, rel=1e-9)
    assert excitation_power(c, 1.0) == pytest.approx(600.0)
    assert excitation_power(c, 0.0) == 0.0


def test_flux_builds_with_the_rotor_time_constant(induction):
    """First order: from 0 the flux reaches 1 - 1/e after one time constant (0.15 s)."""
    c = motor_coefficients(induction)
    flux, dt = 0.0, 1e-4
    for _ in range(int(round(induction.excitation_time_constant_s / dt))):
        flux += dt * flux_rate(c, flux, 100.0)
    assert flux == pytest.approx(1.0 - math.exp(-1.0), abs=2e-3)
    assert flux_rate(motor_coefficients(load_vehicle("leaf-e-plus").powertrain.front.motor), 1.0, 0.0) == 0.0


def test_induction_peak_efficiency_lower_than_pmsm(em57, induction):
    """Rotor copper and magnetising losses cost the induction machine peak efficiency (0.5-4 points)."""
    def peak(m):
        speeds = np.linspace(1000, 9000, 33) * RPM_TO_RAD_S
        return float(np.nanmax(efficiency_map(motor_coefficients(m), speeds, np.linspace(10, 340, 67))))
    p_pm, p_im = peak(em57), peak(induction)
    assert 0.94 < p_pm < 0.975
    assert 0.005 < p_pm - p_im < 0.04


def _grid_csv(path, eta_fn, speeds, torques, hole=None):
    rows = ["speed_rpm,torque_nm,efficiency"]
    for s in speeds:
        for t in torques:
            e = "" if (s, t) == hole else f"{eta_fn(s, t):.6f}"
            rows.append(f"{s},{t},{e}")
    path.write_text("\n".join(rows) + "\n")


def test_map_table_is_interpolated_bilinearly(tmp_path, em57):
    """A map linear in speed and torque is reproduced exactly between its grid points."""
    def eta(s, t):
        return 0.80 + 1e-5 * s + 2e-4 * t
    _grid_csv(tmp_path / "m.csv", eta, [1000.0, 3000.0, 5000.0], [20.0, 100.0, 200.0])
    c = motor_coefficients(Motor(**{**em57.model_dump(), "efficiency_map_csv": str(tmp_path / "m.csv")}))
    for s, t in [(2000.0, 60.0), (4321.0, 150.0), (1000.0, 200.0)]:
        assert table_efficiency(c, s * RPM_TO_RAD_S, t) == pytest.approx(eta(s, t), abs=1e-6)


def test_map_table_power_balance_is_exact(tmp_path, em57):
    """With the table: electrical power = shaft power / efficiency when motoring."""
    _grid_csv(tmp_path / "m.csv", lambda s, t: 0.9, [1000.0, 3000.0, 5000.0], [20.0, 100.0, 200.0])
    c = motor_coefficients(Motor(**{**em57.model_dump(), "efficiency_map_csv": str(tmp_path / "m.csv"),
                                    "inverter_active_loss_kw": 0.0}))
    w = 2500.0 * RPM_TO_RAD_S
    # a constant efficiency has zero loss at zero torque: no drag
    assert drag_loss(w, c) == pytest.approx(0.0, abs=1e-9)
    assert electrical_power(120.0, w, c) == pytest.approx(120.0 * w / 0.9, rel=1e-9)


def test_map_with_a_hole_is_a_clear_error(tmp_path, em57):
    _grid_csv(tmp_path / "h.csv", lambda s, t: 0.9, [1000.0, 3000.0, 5000.0], [20.0, 100.0, 200.0], hole=(3000.0, 100.0))
    with pytest.raises(ParameterError, match=r"hole.*speed_rpm = 3000, torque_nm = 100.*inside the motor's envelope"):
        motor_coefficients(Motor(**{**em57.model_dump(), "efficiency_map_csv": str(tmp_path / "h.csv")}))


def test_map_efficiency_above_one_is_a_clear_error(tmp_path, em57):
    _grid_csv(tmp_path / "b.csv", lambda s, t: 1.2 if s == 3000.0 else 0.9, [1000.0, 3000.0], [20.0, 100.0])
    with pytest.raises(ParameterError, match=r"efficiency = 1.2 is out of range: allowed more than 0 to 1"):
        motor_coefficients(Motor(**{**em57.model_dump(), "efficiency_map_csv": str(tmp_path / "b.csv")}))


def test_unknown_motor_kind_is_a_clear_error():
    with pytest.raises(ParameterError, match=r"kind = 'dc'.*allowed: pmsm, induction, eesm"):
        load_vehicle("leaf-e-plus", ["powertrain.front.motor.kind=dc"])


def test_switching_kind_gives_the_kind_defaults():
    """--set motor.kind=induction on the EM57: rotor copper 0.7 x and magnetising loss 0.09 x the stator
    copper loss (7 kW), 0.15 s rotor time constant; eesm: 0.5 kW field, 0.08 s."""
    m = load_vehicle("leaf-e-plus", ["powertrain.front.motor.kind=induction"]).powertrain.front.motor
    assert (m.rotor_copper_loss_at_peak_torque_kw, m.excitation_loss_kw, m.excitation_time_constant_s) == \
        pytest.approx((4.9, 0.63, 0.15))
    e = load_vehicle("leaf-e-plus", ["powertrain.front.motor.kind=eesm"]).powertrain.front.motor
    assert (e.excitation_loss_kw, e.excitation_time_constant_s) == pytest.approx((0.5, 0.08))


def test_pmsm_with_excitation_loss_is_a_clear_error():
    with pytest.raises(ParameterError, match=r"kind = 'pmsm' has magnets.*excitation_loss_kw = 0.5"):
        load_vehicle("leaf-e-plus", ["powertrain.front.motor.excitation_loss_kw=0.5"])
