"""Loading, overriding, saving and error messages of vehicle files and presets."""

from __future__ import annotations

import pytest

from twinmotor.errors import ParameterError
from twinmotor.vehicle import (
    apply_overrides,
    list_presets,
    load_vehicle,
    parse_overrides,
    preset_sources,
    save_vehicle,
    vehicle_to_toml,
)
from twinmotor.vehicle.loading import PRESET_DIR

PRESETS = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"]


@pytest.mark.parametrize("name", PRESETS)
def test_toml_round_trip_gives_an_equal_vehicle(name, tmp_path):
    car = load_vehicle(name)
    path = save_vehicle(car, tmp_path / f"{name}.toml")
    assert load_vehicle(path) == car
    assert load_vehicle(str(path)) == car


def test_round_trip_keeps_optional_values_and_drops_unset_ones(tmp_path):
    car = load_vehicle("leaf-e-plus")
    text = vehicle_to_toml(car)
    assert "tir_file" not in text and "[powertrain.rear" not in text  # None values are left out
    with_file = car.with_(**{"tires.front.tir_file": "builtin:pacejka2006_205_60r15.tir"})
    back = load_vehicle(save_vehicle(with_file, tmp_path / "sub" / "car.toml"))
    assert back == with_file
    assert back.tires.front.tir_file == "builtin:pacejka2006_205_60r15.tir"
    assert back.tires.rear.tir_file is None


def test_with_changes_only_the_named_value():
    car = load_vehicle("leaf-e-plus")
    heavier = car.with_(mass_kg=1800)
    assert heavier.mass_kg == 1800.0
    assert car.mass_kg == 1823.0  # the original is unchanged
    before, after = car.model_dump(), heavier.model_dump()
    before.pop("mass_kg"), after.pop("mass_kg")
    assert before == after


def test_parse_overrides_reads_toml_values_and_dotted_keys():
    parsed = parse_overrides([
        "mass_kg=1800",
        "battery.capacity_kwh = 62.5",
        "aero.drag_coefficient=2.9e-1",
        "powertrain.front.motor.peak_power_kw=1_000",
        "flag=true",
        "other=false",
        'name="My LEAF"',
        "tires.front.size=215/55R17",
        "description=plain words",
    ])
    assert parsed == {
        "mass_kg": 1800,
        "battery.capacity_kwh": 62.5,
        "aero.drag_coefficient": 0.29,
        "powertrain.front.motor.peak_power_kw": 1000,
        "flag": True,
        "other": False,
        "name": "My LEAF",
        "tires.front.size": "215/55R17",
        "description": "plain words",
    }
    assert type(parsed["mass_kg"]) is int and type(parsed["battery.capacity_kwh"]) is float
    assert parse_overrides(["mass_kg=1", "mass_kg=2"]) == {"mass_kg": 2}  # the later item wins


@pytest.mark.parametrize("item", ["mass_kg", "=1800", "mass kg=1800", "battery..capacity_kwh=3", "mass_kg=", ".a=1"])
def test_parse_overrides_rejects_bad_syntax_quoting_the_item(item):
    with pytest.raises(ParameterError) as err:
        parse_overrides([item])
    assert repr(item) in str(err.value)


def test_overrides_change_the_loaded_vehicle():
    car = load_vehicle("leaf-e-plus", ["mass_kg=1900", "battery.initial_soc=0.5", "tires.rear.size=225/45R17"])
    assert car.mass_kg == 1900.0
    assert car.battery.initial_soc == 0.5
    assert car.tires.rear.size == "225/45R17"
    assert car.tires.front.size == "215/50R17"
    nested = load_vehicle("leaf-e-plus", {"battery": {"capacity_kwh": 50}, "aero.frontal_area_m2": 2.2})
    assert nested.battery.capacity_kwh == 50.0 and nested.battery.cells_in_series == 96
    assert nested.aero.frontal_area_m2 == 2.2
    assert apply_overrides(nested, {"battery__capacity_kwh": 40}).battery.capacity_kwh == 40.0


def test_an_override_can_add_a_whole_rear_drive():
    fwd = load_vehicle("leaf-e-plus")
    awd = apply_overrides(fwd, {"powertrain.rear": fwd.powertrain.front.model_dump()})
    assert fwd.drive == "FWD" and awd.drive == "AWD"
    assert awd.system_peak_power_kw == pytest.approx(227.0)  # 2 x 160 kW capped by the battery
    assert awd.system_peak_torque_nm == pytest.approx(680.0)


def test_unknown_override_key_is_rejected_naming_the_path():
    with pytest.raises(ParameterError) as err:
        load_vehicle("leaf-e-plus", ["battery.capacity_kw=50"])
    msg = str(err.value)
    assert "battery.capacity_kw'" in msg and "capacity_kwh" in msg  # the path, and the known names
    with pytest.raises(ParameterError, match="unknown parameter 'suspenson'"):
        load_vehicle("leaf-e-plus", ["suspenson.front.spring_rate_n_m=30000"])


def test_unknown_key_in_a_user_file_names_the_file_and_path(tmp_path):
    text = (PRESET_DIR / "leaf-e-plus.toml").read_text(encoding="utf-8")
    path = tmp_path / "typo.toml"
    path.write_text(text.replace("capacity_kwh = 62.0", "capacity_kw = 62.0"), encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_vehicle(path)
    msg = str(err.value)
    assert str(path) in msg
    assert "unknown parameter 'battery.capacity_kw'" in msg
    assert "required parameter 'battery.capacity_kwh' is missing" in msg


def test_out_of_range_message_gives_path_value_bounds_and_unit():
    with pytest.raises(ParameterError) as err:
        load_vehicle("leaf-e-plus", ["battery.capacity_kwh=-5"])
    msg = str(err.value)
    assert "battery.capacity_kwh = -5 is out of range: allowed 1.0 to 300.0 kWh" in msg
    assert "leaf-e-plus" in msg  # which car the override was applied to
    with pytest.raises(ParameterError) as err:
        load_vehicle("leaf-e-plus").with_(**{"suspension.front.spring_rate_n_m": 1e7})
    msg = str(err.value)
    assert "suspension.front.spring_rate_n_m = 10000000.0" in msg
    assert "5000.0" in msg and "500000.0" in msg and "N/m" in msg


def test_user_file_missing_a_required_field_names_the_file_and_field(tmp_path):
    lines = (PRESET_DIR / "leaf-e-plus.toml").read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith("cg_height_m")]
    assert len(kept) == len(lines) - 1
    path = tmp_path / "my_car.toml"
    path.write_text("\n".join(kept), encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_vehicle(path)
    msg = str(err.value)
    assert str(path) in msg and "required parameter 'cg_height_m' is missing" in msg


def test_invalid_toml_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\nmass_kg = = 3\n', encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_vehicle(path)
    assert str(path) in str(err.value) and "line 2" in str(err.value)


def test_unknown_preset_lists_the_available_ones():
    with pytest.raises(ParameterError) as err:
        load_vehicle("leaf-e")
    msg = str(err.value)
    assert "unknown vehicle preset 'leaf-e'" in msg
    assert all(name in msg for name in list_presets())


def test_missing_file_is_reported_with_its_path(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        load_vehicle(tmp_path / "nowhere.toml")


def test_preset_sources_maps_dotted_keys_to_comments():
    sources = preset_sources("leaf-e-plus")
    assert "1,748 kg" in sources["mass_kg"] and "75 kg driver" in sources["mass_kg"]
    assert sources["aero.drag_coefficient"].startswith("source:") and "0.28" in sources["aero.drag_coefficient"]
    assert sources["suspension.front.spring_rate_n_m"].startswith("estimate:")
    assert "227" in preset_sources("leaf-e-plus-awd")["battery.max_discharge_power_kw"]
    assert "powertrain.rear.motor.peak_torque_nm" in preset_sources("leaf-e-plus-awd")
    assert "powertrain.rear.motor.peak_torque_nm" not in sources


def test_preset_sources_of_a_saved_file_has_every_key_without_comments(tmp_path):
    path = save_vehicle(load_vehicle("leaf-e-plus"), tmp_path / "car.toml")
    saved = preset_sources(path)
    # every preset value is there (the saved file also spells out defaults the preset leaves out), no comments
    assert set(preset_sources("leaf-e-plus")) <= set(saved)
    assert set(saved.values()) == {""}


def test_a_file_rewritten_in_place_is_read_anew(tmp_path):
    """The parse of a vehicle file is kept per text: a file rewritten with the same size (and,
    on a coarse clock, the same modification time) still gives its new values."""
    path = save_vehicle(load_vehicle("leaf-e-plus").with_(mass_kg=1700.0), tmp_path / "car.toml")
    assert load_vehicle(path).mass_kg == 1700.0
    text = path.read_text()
    path.write_text(text.replace("mass_kg = 1700.0", "mass_kg = 1800.0"))
    assert path.stat().st_size == len(text.encode())
    assert load_vehicle(path).mass_kg == 1800.0
