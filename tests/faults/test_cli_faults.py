"""The command line refuses bad names, options, settings and test parameters before any simulation:
exit status 2, no traceback, a message naming the field and the value."""

from __future__ import annotations

import pytest

# (arguments, words the message must contain)
RUN_FAULTS = [
    (["run", "acel"], ["test", "'acel'", "accel"]),
    (["run", "accel", "--surface", "mud"], ["surface", "'mud'", "dry"]),
    (["run", "accel", "--surface", "split-mu:ice"], ["surface", "split-mu:ice", "split-mu:left:right"]),
    (["run", "accel", "--controller", "fuzzy"], ["controller", "'fuzzy'", "baseline"]),
    (["run", "accel", "--vehicle", "leaf-99"], ["preset", "'leaf-99'", "leaf-e-plus"]),
    (["run", "accel", "--vehicle", "no/such/car.toml"], ["no/such/car.toml", "not found"]),
    (["run", "accel", "--set", "mass_kg=abc"], ["mass_kg", "abc", "300", "5000", "kg"]),
    (["run", "accel", "--set", "mass_kg=-5"], ["mass_kg", "-5", "300", "5000", "kg"]),
    (["run", "accel", "--set", "mass_kg=true"], ["mass_kg", "true", "not a number"]),
    (["run", "accel", "--set", "battery.initial_soc=true"], ["battery.initial_soc", "true", "not a number"]),
    (["run", "accel", "--set", 'battery.initial_soc="0.5"'], ["battery.initial_soc", "'0.5'", "not a number"]),
    (["run", "accel", "--set", "battery.initial_soc=1.5"], ["battery.initial_soc", "1.5", "0.0 to 1.0"]),
    (["run", "accel", "--set", "battery.capacity_kwh=nan"], ["battery.capacity_kwh", "nan"]),
    (["run", "accel", "--set", "battery.capacity_kwh=inf"], ["battery.capacity_kwh", "inf"]),
    (["run", "accel", "--set", "aero.drag_coefficient=-0.3"], ["aero.drag_coefficient", "-0.3"]),
    (["run", "accel", "--set", "tires.front.size=215/55X17"], ["215/55X17"]),
    (["run", "accel", "--set", "warp.drive=1"], ["warp", "unknown parameter"]),
    (["run", "accel", "--set", "mass_kgg=1800"], ["mass_kgg", "unknown parameter"]),
    (["run", "accel", "--set", "esc=0.5"], ["esc", "0.5", "0 or 1"]),
    (["run", "accel", "--set", "esc=2"], ["esc", "2", "0 or 1"]),
    (["run", "accel", "--set", "regen=-1"], ["regen", "-1", "0 or 1"]),
    (["run", "accel", "--set", "one_pedal=0.99"], ["one_pedal", "0.99", "0 or 1"]),
    (["run", "accel", "--set", "tc_slip_target=0.9"], ["tc_slip_target", "0.9", "0.02", "0.4"]),
    (["run", "accel", "--set", "tc_slip_target=true"], ["tc_slip_target", "true", "not a number"]),
    (["run", "accel", "--set", "split_front=0.3"], ["split_front", "0.3", "does nothing", "FWD"]),
    (["run", "accel", "--set", "yaw_split=1"], ["yaw_split", "does nothing", "one motor"]),
    (["run", "accel", "-v", "leaf-40", "--set", "efficiency_split=1"], ["efficiency_split", "does nothing", "leaf 40"]),
    (["run", "accel", "-v", "leaf-e-plus-awd", "--set", "split_front=1.5"], ["split_front", "1.5", "0.0 to 1.0"]),
    (["run", "accel", "--controller", "open", "--set", "tc_kp=-1"], ["tc_kp", "-1", "0.0 to 100.0"]),
    (["run", "accel", "--controller", "open", "--set", "split_front=0.2"], ["split_front", "0.2", "does nothing"]),
    (["run", "accel", "--set", "noequals"], ["noequals", "key=value"]),
    (["run", "accel", "--set", "=5"], ["'=5'", "key"]),
    (["run", "accel", "--set", "mass_kg="], ["mass_kg=", "no value"]),
    (["run", "accel", "--sensors", "bogus"], ["sensors", "'bogus'", "ideal"]),
    (["run", "brake", "--param", "speed_kmh=-100"], ["brake", "speed_kmh", "-100", "5.0 to 300.0 km/h"]),
    (["run", "brake", "--param", "speed_kmh=abc"], ["brake", "speed_kmh", "'abc'", "km/h"]),
    (["run", "brake", "--param", "speed_kmh=true"], ["brake", "speed_kmh", "true", "km/h"]),
    (["run", "brake", "--param", "speed_kmh=nan"], ["brake", "speed_kmh", "nan", "km/h"]),
    (["run", "brake", "--param", "sped_kmh=96.6"], ["'sped_kmh'", "speed_kmh", "pedal_ramp_s"]),
    (["run", "brake", "--param", "pedal_ramp_s=-1"], ["pedal_ramp_s", "-1", "s"]),
    (["run", "brake", "--param", "t_max_s=1e9"], ["t_max_s", "1000000000", "120"]),
    (["run", "brake", "--param", "speed_kmh"], ["speed_kmh", "key=value"]),
    (["run", "accel", "--param", "t_max_s=0"], ["accel", "t_max_s", "0", "600"]),
    (["run", "accel", "--param", "end_speed_kmh=1e9"], ["accel", "end_speed_kmh", "400"]),
    (["run", "regen-stop", "--param", "decel_g=5"], ["regen-stop", "decel_g", "5", "g"]),
    (["run", "cruise", "--param", "duration_s=-1"], ["cruise", "duration_s", "-1", "s"]),
    (["run", "split-mu-launch", "--param", 'low_surface="lava"'], ["low_surface", "'lava'", "ice"]),
    (["run", "split-mu-brake", "--param", "speed_kmh=0"], ["split-mu-brake", "speed_kmh", "0", "km/h"]),
    (["run", "step-steer", "--param", "lat_accel_m_s2=100"], ["step-steer", "lat_accel_m_s2", "100", "m/s^2"]),
    (["run", "step-steer-limit", "--param", "ramp_s=0"], ["ramp_s", "0", "s"]),
    (["run", "lane-change", "--param", "entry_speed_kmh=500"], ["entry_speed_kmh", "500", "160", "km/h"]),
    (["run", "lane-change", "--param", 'release="hard"'], ["release", "'hard'", "coast"]),
    (["run", "sine-dwell", "--param", "frequency_hz=0"], ["frequency_hz", "0", "hz"]),
    (["run", "skidpad", "--param", "radius_m=1"], ["radius_m", "1", "m"]),
    (["run", "cycle-foo"], ["cycle", "'foo'", "udds"]),
    (["run", "cycle-wltc", "--param", 'fidelity="medium"'], ["fidelity", "'medium'", "dynamic"]),
    (["run", "range", "--param", 'fidelity="x"'], ["fidelity", "'x'"]),
    (["run", "accel", "--plot", "/no/such/folder/a.png"], ["--plot", "/no/such/folder", "does not exist"]),
    (["run", "accel", "--plot", "accel.xyz"], ["--plot", "'.xyz'", ".png"]),
    (["run", "accel", "--plot", "accel"], ["--plot", "(none)", ".png"]),
]

CYCLE_FAULTS = [
    (["cycle", "no-such-cycle"], ["cycle", "'no-such-cycle'", "udds"]),
    (["cycle", "wltc", "--fidelity", "medium"], ["fidelity", "'medium'", "fast"]),
    (["cycle", "wltc", "--param", "soc_start=2"], ["soc_start", "2", "0.0 to 1.0"]),
    (["cycle", "wltc", "--param", "soc_start=true"], ["soc_start", "true"]),
    (["cycle", "wltc", "--param", "gear=3"], ["'gear'", "soc_start"]),
    (["cycle", "wltc", "--param", 'fidelity="fast"'], ["fidelity", "--fidelity"]),
    (["cycle", "wltc", "--plot", "/no/such/folder/e.png"], ["--plot", "/no/such/folder"]),
    (["cycle", "wltc", "--set", "split_front=0.4"], ["split_front", "0.4", "does nothing"]),
    (["cycle", "wltc", "--controller", "nope"], ["controller", "'nope'"]),
    (["range", "--fidelity", "medium"], ["fidelity", "'medium'"]),
    (["range", "--vehicle", "nope"], ["preset", "'nope'"]),
    (["range", "--controller", "nope"], ["controller", "'nope'"]),
    (["cite", "no-such-key"], ["'no-such-key'", "bibliography"]),
    (["cite", "--vehicle", "nope"], ["preset", "'nope'"]),
    (["cite", "--test", "acel"], ["test", "'acel'"]),
]

COMPARE_FAULTS = [
    (["compare", "--tests", "acel"], ["test", "'acel'", "accel"]),
    (["compare", "--tests", "accel,brak"], ["'brak'", "brake"]),
    (["compare", "--tests", "cycle-nope"], ["cycle", "'nope'"]),
    (["compare", "--surfaces", "lava"], ["surface", "'lava'"]),
    (["compare", "--surfaces", "dry,wat"], ["surface", "'wat'"]),
    (["compare", "--controllers", "fuzzy"], ["controller", "'fuzzy'", "integrated"]),
    (["compare", "nope-car"], ["preset", "'nope-car'"]),
    (["compare", "leaf-e-plus", "missing.toml"], ["missing.toml", "not found"]),
    (["compare", "--set", "awd_extra_cost_eur=-1"], ["awd_extra_cost_eur", "-1", "eur"]),
    (["compare", "--set", "awd_extra_cost_eur=abc"], ["awd_extra_cost_eur", "'abc'", "eur"]),
    (["compare", "--set", "awd_extra_cost_eur=true"], ["awd_extra_cost_eur", "true", "eur"]),
    (["compare", "--set", "esc=0.5"], ["esc", "0.5", "0 or 1"]),
    (["compare", "--set", "no_such_setting=1"], ["no_such_setting", "unknown setting"]),
    (["compare", "--set", "tc_kp=-3"], ["tc_kp", "-3", "100"]),
    (["compare", "--param", "brake.speed_kmh=-1"], ["brake", "speed_kmh", "-1", "km/h"]),
    (["compare", "--param", "speed_kmh=500"], ["speed_kmh", "500", "km/h"]),
    (["compare", "--tests", "accel", "--param", "brake.speed_kmh=90"], ["'brake'", "not among the chosen tests"]),
    (["compare", "--tests", "accel", "--param", "speed_kmh=90"], ["'speed_kmh'", "none of the chosen tests"]),
    (["compare", "--param", "brake.sped=90"], ["'sped'", "speed_kmh"]),
    (["compare", "--workers", "0"], ["--workers", "0", "1 to 256"]),
    (["compare", "leaf-e-plus", "--controllers", "integrated"], ["no cases", "twin-motor"]),
]


def _id(value):
    return " ".join(value) if isinstance(value, list) and value and value[0] in ("run", "cycle", "range", "cite", "compare") else None


@pytest.mark.parametrize("args, needles", RUN_FAULTS + CYCLE_FAULTS, ids=_id)
def test_bad_command_line_exits_2_naming_field_and_value(cli, args, needles):
    cli.expect(cli.run(*args), 2, *needles)


@pytest.mark.parametrize("args, needles", COMPARE_FAULTS, ids=_id)
def test_bad_compare_is_refused_before_any_work(cli, tmp_path, args, needles):
    """A mistake in a comparison is found before the first simulation, and --out is left alone."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "results.csv").write_text("previous results\n")
    res = cli.run(*args, "--out", out)
    cli.expect(res, 2, *needles)
    assert (out / "results.csv").read_text() == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"], "nothing else may be left beside --out"


def test_plot_path_that_is_a_folder_is_refused(cli, tmp_path):
    folder = tmp_path / "plot.png"
    folder.mkdir()
    cli.expect(cli.run("run", "accel", "--plot", folder), 2, "--plot", str(folder), "is a folder")
