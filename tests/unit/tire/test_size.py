"""Tire size codes, generic coefficients scaled to a size, and load_tire."""

import math

import pytest

from twinmotor.errors import ParameterError
from twinmotor.tire import (
    PARAM_NAMES,
    generic_values,
    load_tire,
    mf61_forces,
    parse_size,
    peak_friction,
    read_tir,
)


def test_215_55r17_unloaded_radius():
    s = parse_size("215/55R17")
    # rim radius 17 * 0.0254 / 2 = 0.2159 m plus sidewall 0.215 * 0.55 = 0.11825 m
    assert s.unloaded_radius_m == pytest.approx(0.2159 + 0.215 * 0.55, abs=1e-12)
    assert s.unloaded_radius_m == pytest.approx(0.33415, abs=1e-12)
    assert (s.width_m, s.aspect_ratio, s.rim_diameter_m) == pytest.approx((0.215, 0.55, 0.4318), abs=1e-12)


@pytest.mark.parametrize(
    "code, radius_m",
    [
        ("235/50 R17", 0.2159 + 0.235 * 0.50),
        ("205/60ZR15", 0.1905 + 0.205 * 0.60),
        ("205/55r16", 0.2032 + 0.205 * 0.55),
        ("P215/50R17 91V", 0.2159 + 0.215 * 0.50),
    ],
)
def test_size_code_variants(code, radius_m):
    assert parse_size(code).unloaded_radius_m == pytest.approx(radius_m, abs=1e-12)


@pytest.mark.parametrize("code", ["", "215/55", "R17", "215-55R17", "21/55R17", "215/55R40",
                                  "215/10R17", "slick", "215/55X17", 215])
def test_bad_size_codes_raise(code):
    with pytest.raises(ParameterError, match="tire size"):
        parse_size(code)


def test_generic_values_scale_load_and_stiffness_with_size():
    base = generic_values("205/60R15")
    assert base["FNOMIN"] == pytest.approx(4000.0, rel=1e-12)  # the base tire itself
    v = generic_values("215/55R17")
    ratio = (0.215 / 0.205) * math.sqrt(0.33415 / 0.3135)  # width * sqrt(diameter), estimate
    assert v["FNOMIN"] == pytest.approx(4000.0 * ratio, rel=1e-12)  # 4331 N
    assert v["LONGITUDINAL_STIFFNESS"] == pytest.approx(3.5e5 * ratio, rel=1e-12)
    assert v["LATERAL_STIFFNESS"] == pytest.approx(1.5e5 * ratio, rel=1e-12)
    assert v["VERTICAL_STIFFNESS"] == pytest.approx(2.2e5 * ratio, rel=1e-12)
    assert (v["UNLOADED_RADIUS"], v["WIDTH"]) == pytest.approx((0.33415, 0.215), abs=1e-12)
    source = read_tir("builtin:pacejka2006_205_60r15.tir").values
    for key in ("PCX1", "PDX1", "PKX1", "PDY1", "PKY1", "QBZ1", "QDZ1", "RBX1"):
        assert v[key] == source[key]  # dimensionless coefficients unchanged


def test_generic_tire_keeps_its_friction_coefficient_at_its_own_nominal_load():
    small = load_tire("185/65R15")
    large = load_tire("275/40R20")
    assert large.nominal_load_n > 1.3 * small.nominal_load_n
    for tire in (small, large):
        fz = tire.nominal_load_n
        assert peak_friction(tire.params, fz, 1.0, 1.0) == pytest.approx((1.21, 0.99), rel=1e-12)


def test_load_tire_generic_and_from_file():
    t = load_tire("215/55R17")
    assert t.unloaded_radius_m == pytest.approx(0.33415, abs=1e-12)
    assert t.effective_radius_m == pytest.approx(0.98 * 0.33415, abs=1e-12)
    assert t.width_m == pytest.approx(0.215)
    assert "generic" in t.source
    f = load_tire("215/55R17", "builtin:mf61_example.tir")  # the file wins
    assert (f.unloaded_radius_m, f.width_m, f.nominal_load_n) == (0.3943, 0.255, 6752.0)
    assert "mf61_example.tir" in f.source


def test_friction_scale_multiplies_lmux_and_lmuy():
    t1 = load_tire("215/55R17")
    t07 = load_tire("215/55R17", friction_scale=0.7)
    i_x, i_y = PARAM_NAMES.index("LMUX"), PARAM_NAMES.index("LMUY")
    assert (t07.params[i_x], t07.params[i_y]) == pytest.approx((0.7 * t1.params[i_x], 0.7 * t1.params[i_y]))
    fz = t1.nominal_load_n
    peak1 = max(mf61_forces(t1.params, fz, k / 1000, 0.0, 0.0, 20.0, 1.0, 1.0)[0] for k in range(400))
    peak07 = max(mf61_forces(t07.params, fz, k / 1000, 0.0, 0.0, 20.0, 1.0, 1.0)[0] for k in range(400))
    assert peak07 / peak1 == pytest.approx(0.7, rel=0.01)


@pytest.mark.parametrize("scale", [0.0, -1.0, 5.0, float("nan")])
def test_bad_friction_scale_raises(scale):
    with pytest.raises(ParameterError, match="friction_scale"):
        load_tire("215/55R17", friction_scale=scale)


def test_coefficient_array_errors_name_the_key():
    from twinmotor.tire import coefficient_array

    values = dict(read_tir("builtin:pacejka2006_205_60r15.tir").values)
    with pytest.raises(ParameterError, match="FNOMIN"):
        coefficient_array({k: v for k, v in values.items() if k != "FNOMIN"})
    with pytest.raises(ParameterError, match="PDX1"):
        coefficient_array({**values, "PDX1": "high"})
    with pytest.raises(ParameterError, match="NOMPRES"):
        coefficient_array({**values, "NOMPRES": -1.0})
    with pytest.raises(ParameterError, match="FITTYP"):
        coefficient_array({**values, "FITTYP": 44})
