"""Property-based tests (Hypothesis) of the parsers and the schema: whatever the input, the
result is either a correct value or the package's own error, never another exception; and what is
written in a valid form is read back exactly."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinmotor as tm
from twinmotor.control.params import SETTINGS, check_settings
from twinmotor.cycles import _parse, load_cycle
from twinmotor.errors import ParameterError, TireFileError, TwinmotorError
from twinmotor.tire.coefficients import PARAM_NAMES
from twinmotor.tire.tir_file import read_tir
from twinmotor.vehicle import apply_overrides, load_vehicle, vehicle_to_toml

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = load_vehicle("leaf-e-plus")

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
anything = st.one_of(st.floats(), st.integers(-10**6, 10**6), st.booleans(), st.text(max_size=8), st.none(),
                     st.lists(st.floats(), max_size=3))


# ------------------------------------------------------------------------------------------- cycle CSV
@st.composite
def cycles(draw):
    n = draw(st.integers(2, 30))
    steps = draw(st.lists(st.floats(0.01, 100.0), min_size=n - 1, max_size=n - 1))
    t = np.concatenate([[0.0], np.cumsum(steps)])
    v = draw(st.lists(st.floats(0.0, 500.0), min_size=n, max_size=n))
    g = draw(st.none() | st.lists(st.floats(-30.0, 30.0), min_size=n, max_size=n))
    return t, np.array(v), None if g is None else np.array(g)


@FAST
@given(cycles())
def test_a_valid_cycle_csv_is_read_back_exactly(c):
    t, v, g = c
    header = "time_s,speed_kmh" + (",grade_pct" if g is not None else "")
    rows = [f"{float(t[i])!r},{float(v[i])!r}" + (f",{float(g[i])!r}" if g is not None else "") for i in range(t.size)]
    cyc = _parse("\n".join([header, *rows]), "p", "prop.csv", "", "")
    assert np.array_equal(cyc.time_s, t - t[0])
    assert np.allclose(cyc.speed_m_s * 3.6, v, rtol=1e-12, atol=1e-12)
    if g is not None:
        assert np.allclose(cyc.grade * 100.0, g, rtol=1e-12, atol=1e-12)


@FAST
@given(st.text(alphabet=st.sampled_from(list("0123456789.,-+eE \n#abtime_sspeedkmhgradepctnaif")), max_size=200))
def test_any_cycle_text_gives_a_cycle_or_a_parameter_error(text):
    try:
        c = _parse(text, "p", "fuzz.csv", "", "")
    except ParameterError as err:
        assert "fuzz.csv" in str(err)
        return
    assert c.time_s.size >= 2 and np.all(np.diff(c.time_s) > 0) and np.all(np.isfinite(c.speed_m_s))
    assert np.all((c.speed_m_s >= 0) & (c.speed_m_s <= 500 / 3.6 + 1e-9))


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_as_a_cycle_file_give_a_cycle_or_a_parameter_error(data):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.csv"
        p.write_bytes(data)
        try:
            load_cycle(p)
        except ParameterError as err:
            assert "fuzz.csv" in str(err)


# ------------------------------------------------------------------------------------------ vehicle TOML
NUMERIC_PATHS = ["mass_kg", "cg_height_m", "wheelbase_m", "battery.capacity_kwh", "battery.initial_soc",
                 "aero.drag_coefficient", "brakes.max_torque_front_nm", "suspension.front.spring_rate_n_m",
                 "battery.cells_in_parallel"]


@FAST
@given(st.sampled_from(NUMERIC_PATHS), anything)
def test_any_override_gives_that_exact_value_or_a_parameter_error_naming_it(path, value):
    try:
        car = apply_overrides(BASE, {path: value})
    except ParameterError as err:
        assert path in str(err)
        return
    got = car.model_dump()
    for part in path.split("."):
        got = got[part]
    # accepted: a real number (never a bool or text taken for one), finite, kept as given
    assert isinstance(value, (int, float)) and not isinstance(value, bool)
    assert math.isfinite(got) and got == value


@FAST
@given(st.fixed_dictionaries({"mass_kg": st.floats(1000.0, 5000.0), "cg_height_m": st.floats(0.1, 1.5),
                              "battery.initial_soc": st.floats(0.0, 1.0)}))
def test_a_valid_vehicle_round_trips_through_toml(changes):
    car = apply_overrides(BASE, changes)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "car.toml"
        p.write_text(vehicle_to_toml(car), encoding="utf-8")
        assert load_vehicle(p) == car


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_a_vehicle_file_give_a_parameter_error(data):
    """(No byte string of this size is a whole vehicle.)"""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.toml"
        p.write_bytes(data)
        with pytest.raises(ParameterError, match="fuzz.toml"):
            load_vehicle(p)


# ------------------------------------------------------------------------------------------------- .tir
names = st.sampled_from([n for n in PARAM_NAMES if n != "FITTYP"])


@FAST
@given(st.dictionaries(names, finite, min_size=1, max_size=20), st.sampled_from([6, 21, 52, 61, 62]))
def test_a_valid_tir_file_is_read_back_exactly(values, fittyp):
    lines = ["[MODEL]", f"FITTYP = {fittyp}", "[MF_COEFFICIENTS]"]
    lines += [f"{k:<24} = {v!r}   $ comment" for k, v in values.items()]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "prop.tir"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tir = read_tir(p)
    assert tir.fittyp == fittyp
    for k, v in values.items():
        assert tir.values[k] == v


@FAST
@given(st.text(alphabet=st.sampled_from(list("[]=$!'\"{} \n.-+0123456789eEABCDFIMOPTXY_")), max_size=200))
def test_any_tir_text_gives_a_file_or_a_tire_file_error(text):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.tir"
        p.write_text(text, encoding="utf-8")
        try:
            tir = read_tir(p)
        except TireFileError as err:
            assert "fuzz.tir" in str(err)
            return
    assert tir.fittyp in (6, 21, 52, 61, 62)


# ----------------------------------------------------------------------------------- controller settings
@FAST
@given(st.sampled_from(list(SETTINGS)), anything)
def test_any_setting_value_is_in_range_or_a_parameter_error(key, value):
    default, low, high, unit, _ = SETTINGS[key]
    try:
        out = check_settings("baseline", {key: value})
    except ParameterError as err:
        assert key in str(err)
        return
    assert low <= out[key] <= high
    if unit == "0/1":
        assert out[key] in (0.0, 1.0)
    else:
        assert not isinstance(value, bool)


@FAST
@given(st.sampled_from(["brake", "accel", "regen-stop", "cruise", "step-steer", "split-mu-brake"]),
       st.sampled_from(["speed_kmh", "t_max_s", "duration_s", "decel_g", "lat_accel_m_s2", "hold_s"]), anything)
def test_any_procedure_parameter_is_accepted_or_refused_by_name(test, name, value):
    try:
        proc = tm.procedures.make_procedure(test, {name: value})
    except TwinmotorError as err:
        assert name in str(err)
        return
    assert getattr(proc, name) == value and not isinstance(value, bool)


@FAST
@given(st.floats(300.0, 5000.0))
def test_a_car_too_light_for_its_parts_is_refused_in_one_readable_line(mass):
    """A check across fields (unsprung masses against the car's mass) names the fields, not the
    whole vehicle."""
    try:
        apply_overrides(BASE, {"mass_kg": mass})
    except ParameterError as err:
        msg = str(err)
        assert "mass_kg" in msg and len(msg) < 400 and "'description'" not in msg
