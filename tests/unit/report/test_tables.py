"""The report's one number format, its best-of rule, comparisons (margins to a standard's limit,
percentage points, percent only against a reference that is not near zero) and the Markdown table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from twinmotor.report.tables import (
    PERCENT_MIN_REFERENCE_SHARE,
    best_value,
    better,
    change_text,
    fmt,
    limit_for,
    to_markdown,
)


@pytest.mark.parametrize("x, text", [
    (123.456, "123.5"), (-150.26, "-150.3"), (1234.0, "1234.0"),  # >= 100: one decimal
    (12.3456, "12.35"), (-10.0, "-10.00"),                         # >= 10: two decimals
    (1.23456, "1.235"), (0.0, "0.000"), (-0.0004, "-0.000"),       # below: three decimals
    (np.float32(2.5), "2.500"), (7, "7.000"),
])
def test_fmt_digits_by_magnitude(x, text):
    assert fmt(x) == text


def test_fmt_of_missing_values_verdicts_and_text():
    for missing in (None, float("nan"), float("inf"), -float("inf")):
        assert fmt(missing) == "-"
    assert fmt(True) == "pass" and fmt(np.bool_(False)) == "fail"
    assert fmt("<b>") == "&lt;b&gt;"  # escaped for the HTML report


@pytest.mark.parametrize("kpi, direction", [
    ("t_0_100_kmh_s", -1), ("stopping_distance_m", -1), ("peak_jerk_m_s3", -1),
    ("max_entry_speed_kmh", 1), ("energy_recovered_wh", 1), ("wltp_range_km", 1), ("distance_5s_m", 1),
    ("distance_km", 0), ("regen_share_front", 0), ("understeer_gradient_deg_g", 0),
])
def test_better_direction(kpi, direction):
    assert better(kpi) == direction


def test_best_value_ignores_nan_and_ranks_by_direction():
    vals = [7.2, float("nan"), 6.9, 8.1]
    assert best_value("t_0_100_kmh_s", vals) == 6.9  # lower is better
    assert best_value("max_entry_speed_kmh", vals) == 8.1  # higher is better
    assert best_value("distance_km", vals) is None  # neutral: no ranking
    assert best_value("t_0_100_kmh_s", [7.2, float("nan")]) is None  # one finite value: nothing to compare
    assert best_value("t_0_100_kmh_s", [7.2, float("nan")], min_count=1) == 7.2
    assert best_value("t_0_100_kmh_s", []) is None


def test_a_kpi_with_a_limit_shows_both_margins_not_a_percentage():
    """FMVSS 126 yaw ratio at 1 s <= 35 %: 20 % -> 10 % is a margin of 15 -> 25 points."""
    lim = limit_for("sine-dwell", "worst_yaw_ratio_1s_pct")
    assert lim is not None and lim.relation == "<=" and lim.value == 35.0
    text, good = change_text("sine-dwell", "worst_yaw_ratio_1s_pct", 20.0, 10.0)
    assert text == "margin to <= 35.00 %: 15.00 -> 25.00 %"
    assert good is True
    text, good = change_text("sine-dwell", "worst_yaw_ratio_1s_pct", 20.0, 40.0)
    assert "15.00 -> -5.000" in text and good is False  # the other car fails: negative margin


def test_lower_limit_margin_in_change_text():
    """FMVSS 126 lateral displacement >= 1.83 m: 2.0 m -> 2.5 m is a margin of 0.17 -> 0.67 m."""
    text, good = change_text("sine-dwell", "min_lateral_displacement_m", 2.0, 2.5)
    assert text == "margin to >= 1.830 m: 0.170 -> 0.670 m" and good is True


def test_brake_limit_is_the_un_r13h_formula():
    """UN R13-H type-0 test (engine disconnected) from 100 km/h: s <= 0.1 v + 0.0060 v^2 = 70 m."""
    assert limit_for("brake", "stopping_distance_m").value == pytest.approx(0.1 * 100 + 0.0060 * 100 ** 2, rel=1e-12)


def test_percent_kpis_change_in_percentage_points():
    text, good = change_text("accel", "slip_share_pct", 12.5, 10.0)
    assert text == "-2.50 pt" and good is True


@pytest.mark.parametrize("ref, other", [(0.002, 0.018), (-0.001, 0.02), (0.0, 0.5)])
def test_near_zero_reference_gives_a_difference_not_a_percent(ref, other):
    """0.002 -> 0.018 would read '+800 %': the reference is below PERCENT_MIN_REFERENCE_SHARE of
    the larger value, so the difference in the KPI's unit is shown instead."""
    assert abs(ref) < PERCENT_MIN_REFERENCE_SHARE * max(abs(ref), abs(other))
    text, good = change_text("split-mu-launch", "yaw_deviation_deg", ref, other)
    assert "%" not in text
    assert float(text) == pytest.approx(other - ref, rel=1e-2)
    assert good is False  # lower is better, it rose


def test_a_sound_reference_gives_the_percent_change():
    text, good = change_text("accel", "t_0_100_kmh_s", 8.0, 6.0)
    assert text == "-25.0 %" and good is True
    text, good = change_text("accel", "t_0_100_kmh_s", -4.0, -5.0)  # relative to |reference|
    assert text == "-25.0 %"


def test_missing_values_and_neutral_kpis_have_no_verdict():
    assert change_text("accel", "t_0_100_kmh_s", float("nan"), 6.0) == ("-", None)
    assert change_text("accel", "t_0_100_kmh_s", 6.0, float("inf")) == ("-", None)
    assert change_text("range", "distance_km", 10.0, 12.0)[1] is None
    assert change_text("accel", "t_0_100_kmh_s", 6.0, 6.0)[1] is None  # no change


def test_markdown_table_puts_the_best_value_in_bold():
    df = pd.DataFrame([
        {"vehicle": "leaf-e-plus", "controller": "baseline", "test": "accel", "surface": "dry", "passed": None,
         "wall_time_s": 1.0, "error": None, "t_0_100_kmh_s": 7.3, "max_entry_speed_kmh": 66.0, "distance_km": 0.2},
        {"vehicle": "leaf-e-plus-awd", "controller": "integrated", "test": "accel", "surface": "dry", "passed": True,
         "wall_time_s": 1.0, "error": None, "t_0_100_kmh_s": 5.1, "max_entry_speed_kmh": 71.5, "distance_km": 0.3},
    ])
    md = to_markdown(df, "twinmotor compare")
    lines = md.splitlines()
    assert "## accel - dry" in lines
    assert "| KPI | leaf-e-plus baseline | leaf-e-plus-awd integrated |" in lines
    assert "| t_0_100_kmh_s | 7.300 | **5.100** |" in lines  # lower is better
    assert "| max_entry_speed_kmh | 66.00 | **71.50** |" in lines  # higher is better
    assert "| distance_km | 0.200 | 0.300 |" in lines  # neutral: nothing bold
    assert "| verdict | - | pass |" in lines
    assert "wall_time_s" not in md and "| error" not in md
    assert md.endswith("\n")
