"""Facts about the shipped vehicle presets: provenance of every value, published figures, and
physical consistency of the estimates (ride frequencies, brake capacity, top speed)."""

from __future__ import annotations

import math
import tomllib

import pytest

from twinmotor.vehicle import DEFAULT_VEHICLE, Vehicle, list_presets, load_vehicle, preset_sources
from twinmotor.vehicle.loading import PRESET_DIR
from twinmotor.vehicle.schema import SIZE_CODE

PRESETS = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-e-plus-awd-disconnect", "leaf-e-plus-awd-induction",
           "leaf-nismo-rc"]
DRIVER_KG = 75.0  # mass convention of the presets: test mass = curb mass + 75 kg driver
G = 9.81


def _flat_keys(data: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, value in data.items():
        if isinstance(value, dict):
            keys |= _flat_keys(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def _tire_radius_m(size: str) -> float:
    """Unloaded radius from an ISO size code: rim/2 + section width x aspect ratio."""
    width_mm, aspect, rim_in = SIZE_CODE.match(size).groups()
    return float(rim_in) * 0.0254 / 2 + float(width_mm) * float(aspect) / 100 / 1000


@pytest.fixture(scope="module")
def cars() -> dict[str, Vehicle]:
    return {name: load_vehicle(name) for name in PRESETS}


def test_the_presets_are_shipped_and_the_default_is_the_e_plus():
    assert list_presets() == PRESETS
    assert DEFAULT_VEHICLE == "leaf-e-plus"
    assert load_vehicle().name == load_vehicle("leaf-e-plus").name == "LEAF e+"


@pytest.mark.parametrize("name", PRESETS)
def test_every_value_line_has_a_source_or_estimate_comment(name):
    text = (PRESET_DIR / f"{name}.toml").read_text(encoding="utf-8")
    value_lines = [ln.strip() for ln in text.splitlines()
                   if ln.strip() and not ln.strip().startswith(("#", "["))]
    assert value_lines
    for line in value_lines:
        assert "#" in line, f"{name}: no trailing comment on {line!r}"
        comment = line.split("#", 1)[1].lower()
        assert "source" in comment or "estimate" in comment, f"{name}: comment lacks provenance: {line!r}"
        assert len(comment.split(":", 1)[-1].strip()) > 5, f"{name}: provenance without reasoning: {line!r}"


@pytest.mark.parametrize("name", PRESETS)
def test_preset_sources_covers_exactly_the_keys_of_the_file(name):
    with (PRESET_DIR / f"{name}.toml").open("rb") as fh:
        keys = _flat_keys(tomllib.load(fh))
    sources = preset_sources(name)
    assert set(sources) == keys
    assert all(("source" in s) or ("estimate" in s) for s in sources.values())


def test_published_power_and_torque(cars):
    e_plus, awd, nismo, leaf40 = cars["leaf-e-plus"], cars["leaf-e-plus-awd"], cars["leaf-nismo-rc"], cars["leaf-40"]
    assert e_plus.drive == "FWD" and leaf40.drive == "FWD"
    assert awd.drive == "AWD" and nismo.drive == "AWD"
    assert e_plus.system_peak_power_kw == pytest.approx(160.0, abs=1e-9)
    assert e_plus.system_peak_torque_nm == pytest.approx(340.0, abs=1e-9)
    assert leaf40.system_peak_power_kw == pytest.approx(110.0, abs=1e-9)
    assert leaf40.system_peak_torque_nm == pytest.approx(320.0, abs=1e-9)
    # AWD prototype: two 160 kW motors, but the system output is the battery's 227 kW
    assert awd.powertrain.front.motor.peak_power_kw + awd.powertrain.rear.motor.peak_power_kw == pytest.approx(320.0)
    assert awd.system_peak_power_kw == pytest.approx(227.0, abs=1e-9)
    assert awd.system_peak_torque_nm == pytest.approx(680.0, abs=1e-9)
    # the pack is the same as the e+'s, so the e+ battery carries the same discharge limit
    assert e_plus.battery.max_discharge_power_kw == pytest.approx(awd.battery.max_discharge_power_kw)
    assert nismo.system_peak_power_kw == pytest.approx(240.0, abs=1e-9)
    assert nismo.system_peak_torque_nm == pytest.approx(640.0, abs=1e-9)
    assert nismo.powertrain.front.motor.peak_power_kw == pytest.approx(120.0)
    assert nismo.powertrain.rear.motor.peak_power_kw == pytest.approx(120.0)


def test_published_masses_with_the_driver_convention(cars):
    assert cars["leaf-e-plus"].mass_kg - DRIVER_KG == pytest.approx(1748.0, abs=0.5)  # US SL Plus
    assert cars["leaf-nismo-rc"].mass_kg - DRIVER_KG == pytest.approx(1220.0, abs=0.5)
    assert cars["leaf-40"].mass_kg - DRIVER_KG == pytest.approx(1580.0, abs=0.5)
    assert cars["leaf-e-plus-awd"].mass_kg - cars["leaf-e-plus"].mass_kg == pytest.approx(100.0, abs=0.5)


def test_published_dimensions_and_tires(cars):
    for name in ("leaf-40", "leaf-e-plus", "leaf-e-plus-awd"):
        assert cars[name].wheelbase_m == pytest.approx(2.70, abs=1e-9)
        assert cars[name].length_m == pytest.approx(4.48, abs=1e-9)
    assert cars["leaf-nismo-rc"].wheelbase_m == pytest.approx(2.75, abs=1e-9)
    assert cars["leaf-nismo-rc"].length_m == pytest.approx(4.546, abs=1e-9)
    assert cars["leaf-e-plus"].width_m == pytest.approx(1.79, abs=1e-9)
    awd = cars["leaf-e-plus-awd"]
    assert awd.width_m == pytest.approx(1.83, abs=1e-9)
    assert awd.track_front_m > cars["leaf-e-plus"].track_front_m
    assert awd.tires.front.size == "215/55R17"
    assert awd.tires.rear.size == "235/50R17"
    assert cars["leaf-e-plus"].tires.front.size == "215/50R17"
    assert cars["leaf-nismo-rc"].tires.front.friction_scale == pytest.approx(1.3)
    assert cars["leaf-e-plus"].aero.drag_coefficient == pytest.approx(0.28, abs=1e-9)
    assert cars["leaf-40"].aero.drag_coefficient == pytest.approx(0.28, abs=1e-9)
    assert 0.28 <= cars["leaf-e-plus-awd"].aero.drag_coefficient <= 0.29


def test_battery_cell_counts_and_nominal_voltage(cars):
    for name, capacity, cells in [("leaf-40", 40.0, 192), ("leaf-e-plus", 62.0, 288),
                                  ("leaf-e-plus-awd", 62.0, 288), ("leaf-nismo-rc", 40.0, 192)]:
        b = cars[name].battery
        assert b.capacity_kwh == pytest.approx(capacity)
        assert b.cells_in_series * b.cells_in_parallel == cells
        # ~350 V nominal pack with ~3.65 V nominal lithium-ion cells
        assert b.cells_in_series * 3.65 == pytest.approx(350.0, rel=0.02)


def test_leaf40_base_speed_matches_the_published_3283_rpm(cars):
    motor = cars["leaf-40"].powertrain.front.motor
    base_rpm = motor.peak_power_kw * 1e3 / motor.peak_torque_nm * 30.0 / math.pi
    assert base_rpm == pytest.approx(3283.0, rel=0.005)


def test_max_motor_speed_reaches_the_published_top_speeds(cars):
    def top_kmh(car: Vehicle) -> float:
        drive = car.powertrain.front
        wheel_rad_s = drive.motor.max_speed_rpm * math.pi / 30.0 / drive.gear_ratio
        return wheel_rad_s * _tire_radius_m(car.tires.front.size) * 3.6

    assert top_kmh(cars["leaf-e-plus"]) == pytest.approx(157.0, rel=0.02)
    assert top_kmh(cars["leaf-40"]) >= 144.0  # 144 km/h is a software limit below the motor limit


@pytest.mark.parametrize("name", PRESETS)
def test_ride_frequencies_and_damping_ratios(name):
    car = load_vehicle(name)
    low, high = (1.5, 3.0) if name == "leaf-nismo-rc" else (1.0, 2.0)  # race car: stiffer springs
    freqs = {}
    for axle, share in (("front", car.front_axle_load_fraction), ("rear", 1.0 - car.front_axle_load_fraction)):
        s = getattr(car.suspension, axle)
        corner_kg = (share * car.mass_kg - 2.0 * s.unsprung_mass_kg) / 2.0  # sprung mass per corner
        freqs[axle] = math.sqrt(s.spring_rate_n_m / corner_kg) / (2.0 * math.pi)
        zeta = s.damper_rate_n_s_m / (2.0 * math.sqrt(s.spring_rate_n_m * corner_kg))
        assert low <= freqs[axle] <= high, f"{name} {axle} ride frequency {freqs[axle]:.2f} Hz"
        assert 0.25 <= zeta <= 0.45, f"{name} {axle} damping ratio {zeta:.2f}"
    assert freqs["rear"] >= freqs["front"]  # flat-ride tuning


@pytest.mark.parametrize("name", PRESETS)
def test_full_brake_pressure_exceeds_the_tire_limit(name):
    """Per-wheel brake torque > mu Fz r at a deceleration of mu g, with mu = 1.1 x friction_scale."""
    car = load_vehicle(name)
    mu = 1.1 * car.tires.front.friction_scale
    weight = car.mass_kg * G
    transfer = car.cg_height_m / car.wheelbase_m * mu
    fz_front = weight * (car.front_axle_load_fraction + transfer) / 2.0
    fz_rear = weight * (1.0 - car.front_axle_load_fraction - transfer) / 2.0
    assert car.brakes.max_torque_front_nm > mu * fz_front * _tire_radius_m(car.tires.front.size)
    assert car.brakes.max_torque_rear_nm > mu * fz_rear * _tire_radius_m(car.tires.rear.size)


@pytest.mark.parametrize("name", PRESETS)
def test_inertias_have_plausible_radii_of_gyration(name):
    car = load_vehicle(name)
    unsprung = 2.0 * (car.suspension.front.unsprung_mass_kg + car.suspension.rear.unsprung_mass_kg)
    sprung = car.mass_kg - unsprung
    assert 1.1 <= math.sqrt(car.yaw_inertia_kg_m2 / car.mass_kg) <= 1.35
    assert 1.0 <= math.sqrt(car.pitch_inertia_kg_m2 / sprung) <= 1.3
    assert 0.4 <= math.sqrt(car.roll_inertia_kg_m2 / sprung) <= 0.6
