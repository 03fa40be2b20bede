"""Broken input files: vehicle TOML, cycle CSV and tire `.tir` files, through the command line
(exit status 2) and the Python API (a TwinmotorError), each message naming the file, the field and
the value. Nothing here simulates: every fault is found before the first step."""

from __future__ import annotations

import re

import pytest

import twinmotor as tm
from twinmotor.errors import ParameterError, TireFileError
from twinmotor.tire import load_tire, read_tir
from twinmotor.tire.coefficients import REQUIRED_IN_FILE


def _set_line(text: str, key: str, value: str) -> str:
    """The preset text with the first `key = ...` line's value replaced (or the line removed, value None)."""
    pattern = re.compile(rf"^{re.escape(key)} = .*$", re.M)
    assert pattern.search(text), key
    return pattern.sub("" if value is None else f"{key} = {value}", text, count=1)


# ------------------------------------------------------------------------------------------- vehicle TOML
TOML_FAULTS = [
    ("mass_kg", '"1800"', ["mass_kg", "'1800'", "not a number"]),
    ("mass_kg", "true", ["mass_kg", "true", "not a number"]),
    ("mass_kg", "-1.0", ["mass_kg", "-1.0", "300.0 to 5000.0 kg"]),
    ("mass_kg", "nan", ["mass_kg", "nan"]),
    ("mass_kg", "inf", ["mass_kg", "inf"]),
    ("mass_kg", None, ["mass_kg", "missing"]),
    ("cg_height_m", "5.0", ["cg_height_m", "5.0"]),
    ("wheelbase_m", "[2.7]", ["wheelbase_m", "[2.7]"]),
    ("capacity_kwh", "0.0", ["battery.capacity_kwh", "0.0"]),
    ("initial_soc", "1.2", ["battery.initial_soc", "1.2", "0.0 to 1.0"]),
    ("initial_soc", "false", ["battery.initial_soc", "false", "not a number"]),
    ("drag_coefficient", "-0.28", ["aero.drag_coefficient", "-0.28"]),
    ("size", '"215/50X17"', ["215/50X17"]),
    ("name", "42", ["name", "42"]),
]


@pytest.mark.parametrize("key, value, needles", TOML_FAULTS, ids=lambda v: str(v))
def test_bad_vehicle_value_in_toml(cli, write, preset_text, key, value, needles):
    path = write("car.toml", _set_line(preset_text(), key, value))
    out = cli.expect(cli.run("run", "accel", "--vehicle", path), 2, *needles)
    assert "car.toml" in out


def test_unknown_key_in_toml_is_named(cli, write, preset_text):
    path = write("car.toml", preset_text().replace("mass_kg = ", "warp_factor = 9\nmass_kg = ", 1))
    cli.expect(cli.run("run", "accel", "--vehicle", path), 2, "car.toml", "warp_factor", "9", "unknown parameter")


def test_unknown_section_in_toml_is_named(cli, write, preset_text):
    path = write("car.toml", preset_text() + "\n[flux_capacitor]\npower_gw = 1.21\n")
    cli.expect(cli.run("run", "accel", "--vehicle", path), 2, "flux_capacitor", "unknown parameter")


def test_toml_syntax_error_names_the_line(cli, write, preset_text):
    text = preset_text()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("mass_kg = 1823.0"))
    path = write("car.toml", text.replace("mass_kg = 1823.0", "mass_kg = = 1823.0", 1))
    cli.expect(cli.run("run", "accel", "--vehicle", path), 2, "car.toml", "not valid toml", f"line {line}")


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_toml_that_is_not_utf8_is_a_clear_error(cli, write, preset_text, encoding):
    text = preset_text().replace('description = "Nissan', 'description = "Voiture électrique Nissan', 1)
    path = write("car.toml", text.encode(encoding))
    cli.expect(cli.run("run", "accel", "--vehicle", path), 2, "car.toml", "not utf-8", "byte 0x", "line")


def test_empty_toml_names_the_missing_parameters(cli, write):
    path = write("car.toml", "")
    cli.expect(cli.run("run", "accel", "--vehicle", path), 2, "car.toml", "mass_kg", "missing")


def test_binary_garbage_as_toml(cli, write):
    path = write("car.toml", bytes(range(256)))
    cli.expect(cli.run("run", "accel", "--vehicle", path), 2, "car.toml", "not utf-8")


def test_folder_named_like_a_vehicle_file(cli, tmp_path):
    (tmp_path / "car.toml").mkdir()
    cli.expect(cli.run("run", "accel", "--vehicle", tmp_path / "car.toml"), 2, "car.toml", "not found")


def test_missing_tir_file_in_vehicle(cli, write, preset_text):
    text = preset_text().replace('[tires.front]\n', '[tires.front]\ntir_file = "no_such.tir"\n', 1)
    path = write("car.toml", text)
    cli.expect(cli.run("run", "accel", "--vehicle", path), 2, "no_such.tir", "not found")


def test_vehicle_toml_api_error_is_a_parameter_error(write, preset_text):
    path = write("car.toml", _set_line(preset_text(), "mass_kg", "true"))
    with pytest.raises(ParameterError, match=r"mass_kg = True.*not a number"):
        tm.load_vehicle(path)


# ---------------------------------------------------------------------------------------------- cycle CSV
CSV_FAULTS = [
    ("speed_kmh\n0\n10\n", ["missing column 'time_s'"]),
    ("time_s\n0\n1\n", ["speed column", "speed_kmh"]),
    ("time_s,speed_kmh,speed_mph\n0,0,0\n1,1,1\n", ["exactly one speed column"]),
    ("time_s,speed_kmh\n", ["at least 2 rows", "0"]),
    ("time_s,speed_kmh\n0,0\n", ["at least 2 rows", "1"]),
    ("", ["empty cycle file"]),
    ("# only a comment\n", ["empty cycle file"]),
    ("time_s,speed_kmh\n0,0\n1,fast\n", [":3", "speed_kmh", "'fast'", "not a number"]),
    ("time_s,speed_kmh\n0,0\nabc,10\n", [":3", "time_s", "'abc'", "not a number"]),
    ("time_s,speed_kmh\n0,0\n1,nan\n", [":3", "speed_kmh", "'nan'", "not a finite number"]),
    ("time_s,speed_kmh\n0,0\n1,inf\n", [":3", "speed_kmh", "'inf'", "not a finite number"]),
    ("time_s,speed_kmh\n0,0\n1\n", [":3", "speed_kmh", "missing"]),
    ("time_s,speed_kmh\n0,0\n0,10\n", [":3", "time_s = 0.0", "not after 0.0", "increase strictly"]),
    ("time_s,speed_kmh\n0,0\n2,10\n1,10\n", [":4", "time_s = 1.0", "not after 2.0"]),
    ("time_s,speed_kmh\n0,0\n1,-10\n", [":3", "speed_kmh = -10.0", "negative"]),
    ("time_s,speed_kmh\n0,0\n1,3000\n", [":3", "speed_kmh = 3000.0", "0 to 500 km/h"]),
    ("time_s,speed_mph\n0,0\n1,400\n", [":3", "speed_mph = 400.0", "500 km/h"]),
    ("time_s,speed_kmh,grade_pct\n0,0,0\n1,10,45\n", [":3", "grade_pct = 45.0", "-30 to 30 %"]),
    ("time_s,speed_kmh,grade_pct\n0,0,0\n1,10,-31\n", [":3", "grade_pct = -31.0", "-30 to 30 %"]),
    ("time_s,speed_kmh,grade_pct\n0,0,0\n1,10,nan\n", [":3", "grade_pct", "'nan'", "not a finite"]),
    ("time_s,speed_kmh,grade_pct\n0,0,0\n1,10,steep\n", [":3", "grade_pct", "'steep'"]),
]


@pytest.mark.parametrize("text, needles", CSV_FAULTS, ids=lambda v: repr(v)[:40])
def test_bad_cycle_csv(cli, write, text, needles):
    path = write("trace.csv", text)
    cli.expect(cli.run("cycle", path), 2, "trace.csv", *needles)


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_cycle_csv_that_is_not_utf8(cli, write, encoding):
    path = write("trace.csv", "# vitesse mesurée\ntime_s,speed_kmh\n0,0\n1,10\n".encode(encoding))
    cli.expect(cli.run("cycle", path), 2, "trace.csv", "not utf-8", "byte 0x")


def test_cycle_csv_with_bom_is_read(write):
    path = write("trace.csv", "\ufefftime_s,speed_kmh\n0,0\n1,36\n".encode())
    c = tm.cycles.load_cycle(path)
    assert c.speed_m_s.tolist() == [0.0, 10.0]


def test_cycle_path_that_is_a_folder(cli, tmp_path):
    (tmp_path / "trace.csv").mkdir()
    cli.expect(cli.run("cycle", tmp_path / "trace.csv"), 2, "trace.csv", "not a file")


# ------------------------------------------------------------------------------------------------ .tir
@pytest.fixture(scope="module")
def tir_text():
    return read_tir.__globals__["_read_text"]("builtin:mf61_example.tir")[1]


def _without(text: str, key: str) -> str:
    return re.sub(rf"^{key}\s*=.*\n", "", text, flags=re.M)


@pytest.mark.parametrize("key", list(REQUIRED_IN_FILE))
def test_tir_missing_a_required_coefficient_names_file_coefficient_and_meaning(write, tir_text, key):
    path = write("tire.tir", _without(tir_text, key))
    with pytest.raises(TireFileError) as err:
        load_tire("255/55R20", str(path))
    msg = str(err.value)
    assert "tire.tir" in msg and key in msg and REQUIRED_IN_FILE[key] in msg


def test_tir_missing_pdx1_through_the_cli(cli, write, preset_text, tir_text):
    tir = write("tire.tir", _without(tir_text, "PDX1"))
    car = write("car.toml", preset_text().replace("[tires.front]\n", f'[tires.front]\ntir_file = "{tir}"\n', 1))
    cli.expect(cli.run("run", "accel", "--vehicle", car), 2, "tire.tir", "PDX1", "longitudinal friction coefficient")


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_truncated_tir_is_a_clear_error_without_numpy_warnings(write, tir_text, fraction, recwarn):
    path = write("tire.tir", tir_text[: int(len(tir_text) * fraction)])
    with pytest.raises(TireFileError) as err:
        load_tire("255/55R20", str(path))
    assert "tire.tir" in str(err.value)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


TIR_TEXT_FAULTS = [
    ("PDX1", "PDX1 = abc", ["PDX1", "'abc'", "not a number"]),
    ("PDX1", "PDX1 = nan", ["PDX1", "'nan'", "not a finite number"]),
    ("PDX1", "PDX1 =", ["PDX1", "no value"]),
    ("FITTYP", "FITTYP = 99", ["FITTYP", "99", "not supported"]),
    ("FITTYP", "FITTYP = abc", ["FITTYP", "'abc'", "not a number"]),
    ("PCY1", "PCY1 = 1.3\nPCY1 = 1.4", ["PCY1", "given twice"]),
    ("PKY1", "PKY1 = 'x", ["PKY1", "no closing"]),
    ("PEX1", "P EX1 = 0.1", ["cannot read", "P EX1"]),
]


@pytest.mark.parametrize("key, line, needles", TIR_TEXT_FAULTS, ids=lambda v: str(v)[:30])
def test_bad_line_in_tir(write, tir_text, key, line, needles):
    text = re.sub(rf"^{key}\s*=.*$", line, tir_text, count=1, flags=re.M)
    path = write("tire.tir", text)
    with pytest.raises(TireFileError) as err:
        load_tire("255/55R20", str(path))
    msg = str(err.value)
    assert "tire.tir:" in msg
    for n in needles:
        assert n in msg, msg


def test_tir_that_is_not_utf8_names_line_and_byte(write, tir_text):
    text = tir_text.replace("[MODEL]", "$ Reifen für Prüfstand\n[MODEL]", 1)
    path = write("tire.tir", text.encode("latin-1"))
    with pytest.raises(TireFileError, match=r"tire\.tir:\d+: is not UTF-8 text: byte 0x"):
        read_tir(path)


def test_missing_tir_file(tmp_path):
    with pytest.raises(TireFileError, match="file not found"):
        read_tir(tmp_path / "none.tir")
