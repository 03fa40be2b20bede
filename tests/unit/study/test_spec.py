"""Study files: the shipped example reads as written; every mistake is refused before any run,
naming the file's line, the field, the value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinmotor.study import StudyFileError, load_study, plan_study

ROOT = Path(__file__).resolve().parents[3]

GOOD = """\
name = "t"
vehicles = ["leaf-e-plus-awd"]
controllers = ["integrated"]
procedures = ["brake"]
surfaces = ["dry"]

[factors]
"mass_kg" = { range = [1850, 2000] }
"split_front" = { values = [0.3, 0.5] }

[design]
method = "lhs"
samples = 4
seed = 1
"""


def _write(tmp_path, text: str) -> Path:
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def _error(tmp_path, text: str) -> str:
    p = _write(tmp_path, text)
    with pytest.raises(StudyFileError) as e:
        plan_study(load_study(p), tmp_path / "out")
    return str(e.value)


def test_shipped_example_reads_as_written(tmp_path):
    st = load_study(ROOT / "studies" / "front-motor-size.toml")
    assert st.method == "lhs" and st.samples == 12 and st.seed == 1
    assert st.procedures == ["accel", "lane-change", "cycle-wltc"] and st.surfaces == ["dry", "wet"]
    plan = plan_study(st, tmp_path)
    assert len(plan.design.points) == 12
    assert len(plan.cases) == 12 * 3 * 2
    torques = {p["powertrain.front.motor.peak_torque_nm"] for p in plan.design.points}
    assert torques == {170, 255, 340}  # LHS strata cover every level of a 3-level factor in 12 points
    masses = sorted(p["mass_kg"] for p in plan.design.points)
    assert 1850 <= masses[0] and masses[-1] <= 2000
    # Latin hypercube: exactly one mass in each twelfth of the range
    strata = sorted(int((m - 1850) / 150 * 12) for m in masses)
    assert strata == list(range(12))


def test_unknown_parameter_path_names_the_line(tmp_path):
    msg = _error(tmp_path, GOOD.replace('"mass_kg" = { range', '"chassis.masss_kg" = { range'))
    assert "s.toml:8:" in msg and 'factors."chassis.masss_kg"' in msg and "masss_kg" in msg


def test_empty_range_names_the_line(tmp_path):
    msg = _error(tmp_path, GOOD.replace("range = [1850, 2000]", "range = [2000, 1850]"))
    assert "s.toml:8:" in msg and "range = [2000, 1850] is empty" in msg


def test_factor_beyond_the_schema_names_line_value_range_and_unit(tmp_path):
    msg = _error(tmp_path, GOOD.replace("range = [1850, 2000]", "range = [100, 2000]"))
    assert "s.toml:8:" in msg and 'factors."mass_kg"' in msg
    assert "100" in msg and "300" in msg and "5000" in msg and "kg" in msg


def test_controller_setting_beyond_its_range(tmp_path):
    msg = _error(tmp_path, GOOD.replace("values = [0.3, 0.5]", "values = [0.3, 1.5]"))
    assert "s.toml:9:" in msg and "split_front" in msg and "1.5" in msg and "allowed 0.0 to 1.0" in msg


def test_unknown_method_names_the_line(tmp_path):
    msg = _error(tmp_path, GOOD.replace('method = "lhs"', 'method = "latin"'))
    assert "s.toml:12:" in msg and "design.method" in msg and "'latin'" in msg and "saltelli" in msg


@pytest.mark.parametrize("change, line, words", [
    (('procedures = ["brake"]', 'procedures = ["brakes"]'), 4, ["procedures", "'brakes'"]),
    (('surfaces = ["dry"]', 'surfaces = ["mud"]'), 5, ["surfaces", "mud"]),
    (('vehicles = ["leaf-e-plus-awd"]', 'vehicles = ["leaf-x"]'), 2, ["vehicles", "leaf-x"]),
    (("samples = 4", "samples = 0"), 13, ["design.samples", "= 0", "1 to"]),
    (('"split_front" = { values = [0.3, 0.5] }', '"split_front" = { values = [] }'), 9, ["empty"]),
    (('name = "t"', 'name = "t"\nrepeat = 3'), 2, ["repeat", "unknown field"]),
])
def test_other_mistakes_name_line_and_field(tmp_path, change, line, words):
    msg = _error(tmp_path, GOOD.replace(*change))
    assert f"s.toml:{line}:" in msg, msg
    for w in words:
        assert w in msg, msg


def test_sobol_needs_a_power_of_two(tmp_path):
    msg = _error(tmp_path, GOOD.replace('method = "lhs"', 'method = "sobol"').replace("samples = 4", "samples = 12"))
    assert "s.toml:13:" in msg and "power of two" in msg and "8 or 16" in msg


def test_grid_range_needs_levels(tmp_path):
    text = GOOD.replace('method = "lhs"\nsamples = 4\n', 'method = "grid"\n')
    msg = _error(tmp_path, text)
    assert "s.toml:8:" in msg and "levels" in msg
    ok = _write(tmp_path, text.replace("range = [1850, 2000]", "range = [1850, 2000], levels = 3"))
    plan = plan_study(load_study(ok), tmp_path / "out")
    assert [(p["mass_kg"], p["split_front"]) for p in plan.design.points] == [
        (m, s) for m in (1850.0, 1925.0, 2000.0) for s in (0.3, 0.5)]


def test_bad_toml_is_refused_with_its_line(tmp_path):
    p = _write(tmp_path, GOOD.replace("seed = 1", "seed = = 1"))
    with pytest.raises(StudyFileError, match=r"not valid TOML.*line 14"):
        load_study(p)


STEP = GOOD + """
[step]
dt_s = 0.002
controller_rate_hz = 500
"""


def test_step_table_reaches_every_case_and_its_key(tmp_path):
    """[step] sets the plant step and controller rate of every case, and the case key changes with
    them (a 2 ms run is another result than a 1 ms run); without [step] the keys are the default's."""
    plain = plan_study(load_study(_write(tmp_path, GOOD)), tmp_path / "a")
    stepped = plan_study(load_study(_write(tmp_path, STEP)), tmp_path / "b")
    assert all((sc.case.dt_s, sc.case.controller_rate_hz) == (0.002, 500.0) for sc in stepped.cases)
    assert all((sc.case.dt_s, sc.case.controller_rate_hz) == (0.001, 1000.0) for sc in plain.cases)
    assert {sc.key for sc in plain.cases}.isdisjoint({sc.key for sc in stepped.cases})


@pytest.mark.parametrize("change, line, words", [
    (("dt_s = 0.002", "dt_s = 0.02"), 17, ["step.dt_s", "0.02", "0.0001 to 0.005 s"]),
    (("controller_rate_hz = 500", "controller_rate_hz = 300"), 18, ["step.controller_rate_hz", "300",
                                                                     "does not divide", "500 Hz"]),
    (("dt_s = 0.002", "dt_s = 0.002\nsubsteps = 2"), 18, ["step.substeps", "unknown key"]),
    # 4 ms is within the plant's range but not for a test that rests on ABS: refused before any run
    (("dt_s = 0.002\ncontroller_rate_hz = 500", "dt_s = 0.004\ncontroller_rate_hz = 250"), 17,
     ["step.dt_s", "'brake'", "allowed 0.0001 to 0.002 s", "wheel-slip control"]),
])
def test_step_mistakes_name_line_and_field(tmp_path, change, line, words):
    msg = _error(tmp_path, STEP.replace(*change))
    assert f"s.toml:{line}:" in msg, msg
    for w in words:
        assert w in msg, msg
