"""The `twinmotor` command line: its JSON contract, and errors a user can act on (exit code 2 and a
message that names the field, the value and what is allowed)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import twinmotor as tm
from twinmotor.cli import app

JSON_KEYS = {"vehicle", "test", "controller", "surface", "kpis", "passed", "simulated_time_s", "wall_time_s"}


@pytest.fixture(scope="module")
def cli():
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_run_json_prints_one_json_object_and_nothing_else(cli):
    res = cli("run", "accel", "--json")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert set(summary) == JSON_KEYS
    assert summary["test"] == "accel" and summary["surface"] == "dry"
    assert summary["vehicle"] == tm.load_vehicle("leaf-e-plus").name
    assert 6.0 < summary["kpis"]["t_0_60_mph_s"] < 7.5
    assert summary["simulated_time_s"] > 5.0 and summary["wall_time_s"] > 0.0


def test_run_json_with_vehicle_surface_and_override(cli):
    """Options reach the run: a heavier car on a wet road is slower than the preset on dry."""
    base = json.loads(cli("run", "accel", "--json", "-v", "leaf-e-plus-awd").stdout)
    heavy = json.loads(cli("run", "accel", "--json", "-v", "leaf-e-plus-awd", "-s", "wet",
                           "--set", "mass_kg=2300").stdout)
    assert heavy["surface"] == "wet"
    assert heavy["kpis"]["t_0_100_kmh_s"] > base["kpis"]["t_0_100_kmh_s"]


@pytest.mark.parametrize("value", ["abc", "-5"])
def test_bad_override_exits_2_naming_field_value_and_range(cli, value):
    """`--set mass_kg=abc` (not a number) and `--set mass_kg=-5` (out of range): exit code 2, nothing
    on stdout, and one message with the field, the value given and the allowed range 300-5000 kg."""
    res = cli("run", "accel", "--json", "--set", f"mass_kg={value}")
    assert res.exit_code == 2
    assert res.stdout == ""
    msg = res.stderr
    assert "mass_kg" in msg and value in msg
    assert "300" in msg and "5000" in msg and "kg" in msg, f"no allowed range in: {msg!r}"


def test_unknown_surface_is_a_clear_error(cli):
    res = cli("run", "accel", "--surface", "mud")
    assert res.exit_code == 2
    assert "'mud'" in res.stderr and all(s in res.stderr for s in ("dry", "wet", "snow", "ice"))


def test_vehicles_lists_every_preset(cli):
    """All six presets by their full names (what the user types next), whatever the terminal width."""
    res = cli("vehicles")
    assert res.exit_code == 0
    names = tm.list_presets()
    assert len(names) == 6
    for name in names:
        assert name in res.stdout
