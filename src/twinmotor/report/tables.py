"""The comparison's numbers as tables: one number format, one best-of rule, one row lookup, margins
to the standards' limits, and the Markdown and console tables. The HTML report and the CLI both
format through this module."""

from __future__ import annotations

import html
import math

import numpy as np

#: columns of the comparison frame that are not KPIs
META_COLUMNS = ("vehicle", "test", "controller", "surface", "passed", "wall_time_s", "error")

#: KPI name fragments where a higher value is better; everything else: lower is better
HIGHER_IS_BETTER = ("max_entry_speed", "max_lat_accel", "energy_recovered", "regen_share", "range_km", "range_mi",
                    "distance_5s", "peak_power", "steady_lat_accel", "lateral_displacement", "unadjusted_km",
                    "label_km", "label_mi", "followable")
#: KPI name fragments that describe rather than rank (neither direction is better)
NEUTRAL = ("distance_km", "usable_energy", "secondary_", "charger_efficiency", "steady_yaw_gain", "front_motor", "regen_share_front", "time_to_stop",
           "steer_0_3g", "understeer_gradient", "exit_speed", "cones_hit_")

#: the claims of the twin-motor system, each a measured number: claim, what is measured, test, surface, KPI
CLAIMS = [
    ("Acceleration", "0-100 km/h, dry [s]", "accel", "dry", "t_0_100_kmh_s"),
    ("Acceleration", "0-100 km/h, wet [s]", "accel", "wet", "t_0_100_kmh_s"),
    ("Acceleration", "0-100 km/h, snow [s]", "accel", "snow", "t_0_100_kmh_s"),
    ("Cornering", "ISO 3888-2 lane change, max entry speed, dry [km/h]", "lane-change", "dry", "max_entry_speed_kmh"),
    ("Cornering", "ISO 4138 skidpad, max lateral acceleration [g]", "skidpad", "dry", "max_lat_accel_g"),
    ("Cornering", "Step steer beyond the wet limit: yaw-rate error RMS [deg/s]", "step-steer-limit", "wet",
     "yaw_rate_error_rms_deg_s"),
    ("Braking", "100-0 km/h, dry [m]", "brake", "dry", "stopping_distance_m"),
    ("Braking", "100-0 km/h, wet [m]", "brake", "wet", "stopping_distance_m"),
    ("Regeneration", "Energy back in a 0.3 g stop from 60 km/h [Wh]", "regen-stop", "dry", "energy_recovered_wh"),
    ("Regeneration", "Energy regenerated on the WLTC [kWh]", "cycle-wltc", "dry", "regen_recovered_kwh"),
    ("Ride comfort", "Peak pitch in a 0.3 g stop [deg]", "regen-stop", "dry", "peak_pitch_deg"),
    ("Ride comfort", "Peak pitch rate in a 0.3 g stop [deg/s]", "regen-stop", "dry", "peak_pitch_rate_deg_s"),
    ("Ride comfort", "Peak jerk in a 0.3 g stop [m/s^3]", "regen-stop", "dry", "peak_jerk_m_s3"),
    ("Wet-road safety", "ISO 3888-2 lane change, max entry speed, wet [km/h]", "lane-change", "wet", "max_entry_speed_kmh"),
    ("Wet-road safety", "Step steer beyond the wet limit: peak sideslip [deg]", "step-steer-limit", "wet",
     "max_sideslip_deg"),
    ("Wet-road safety", "Split-mu launch (left on ice): distance in 5 s [m]", "split-mu-launch", "dry", "distance_5s_m"),
    ("Wet-road safety", "Split-mu launch: yaw deviation [deg]", "split-mu-launch", "dry", "yaw_deviation_deg"),
    ("Wet-road safety", "FMVSS 126 sine with dwell: worst yaw ratio at 1 s [%]", "sine-dwell", "dry", "worst_yaw_ratio_1s_pct"),
    ("Braking", "UN R13-H split friction from 50 km/h: steering correction in 2 s [deg]", "split-mu-brake", "dry",
     "steer_correction_2s_deg"),
    ("Braking", "UN R13-H split friction: stopping distance [m]", "split-mu-brake", "dry", "stopping_distance_m"),
    ("Energy", "WLTC consumption at the battery [kWh/100 km]", "cycle-wltc", "dry", "energy_kwh_per_100km"),
    ("Energy", "EPA label range (2-cycle, x0.7) [km]", "range", "dry", "epa_combined_label_km"),
    ("Energy", "WLTP range [km]", "range", "dry", "wltp_range_km"),
    ("Energy", "WLTC at the wall, level 2 charging [kWh/100 km]", "cycle-wltc", "dry", "energy_wall_kwh_per_100km"),
    ("Energy", "WLTC: idle motor drag [kWh]", "cycle-wltc", "dry", "motor_drag_kwh"),
    ("Energy", "WLTC: secondary axle engaged [% of time]", "cycle-wltc", "dry", "secondary_connected_pct"),
]

#: a percentage change is shown only when the reference value is at least this share of the larger
#: of the two values: below it the ratio is dominated by a near-zero denominator
PERCENT_MIN_REFERENCE_SHARE = 0.2

SHORT_NAMES = {"leaf-40": "LEAF 40", "leaf-e-plus": "e+", "leaf-e-plus-awd": "e+ AWD", "leaf-nismo-rc": "NISMO RC",
               "leaf-e-plus-awd-disconnect": "AWD discon.", "leaf-e-plus-awd-induction": "AWD induct."}


def fmt(x) -> str:
    """The one number format of the reports (tests compare against it)."""
    if x is None:
        return "-"
    if isinstance(x, (bool, np.bool_)):
        return "pass" if x else "fail"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return html.escape(str(x))
    if not math.isfinite(v):
        return "-"
    if abs(v) >= 100:
        return f"{v:.1f}"
    if abs(v) >= 10:
        return f"{v:.2f}"
    return f"{v:.3f}"


def better(kpi: str) -> int:
    """+1 if higher is better, -1 if lower is better, 0 if neither."""
    if any(n in kpi for n in NEUTRAL):
        return 0
    return 1 if any(h in kpi for h in HIGHER_IS_BETTER) else -1


def best_value(kpi: str, values: list[float], min_count: int = 2) -> float | None:
    """The best of `values` for this KPI (NaN ignored), or None where there is no ranking (a neutral
    KPI, or fewer than `min_count` finite values)."""
    d = better(kpi)
    finite = [x for x in values if math.isfinite(x)]
    if not d or len(finite) < min_count:
        return None
    return max(finite) if d > 0 else min(finite)


def value(df, vehicle: str, controller: str, test: str, surface: str, kpi: str) -> float:
    """One KPI of one case from the comparison frame, as a float (NaN where missing)."""
    if kpi not in df:
        return float("nan")
    rows = df[(df.vehicle == vehicle) & (df.controller == controller) & (df.test == test) & (df.surface == surface)]
    if rows.empty:
        return float("nan")
    try:
        return float(rows.iloc[0][kpi])
    except (TypeError, ValueError):
        return float("nan")


def verdict_text(passed) -> str:
    """pass / fail / - for a verdict cell (None and pandas' NA are '-')."""
    if passed is None or passed is np.nan or str(passed) == "<NA>":
        return "-"
    return fmt(bool(passed))


def combos(df) -> list[tuple[str, str]]:
    """The (vehicle, controller) columns of a comparison, in order of appearance."""
    return [(v, c) for v, c in df[["vehicle", "controller"]].drop_duplicates().itertuples(index=False)]


def kpi_columns(part) -> list[str]:
    """The KPI columns with at least one value in this part of the frame."""
    return [k for k in part.columns if k not in META_COLUMNS and part[k].notna().any()]


def limit_for(test: str, kpi: str):
    """The standard's pass limit on this KPI of this test (a procedures.base.Limit), or None."""
    from twinmotor.procedures import PROCEDURES

    cls = PROCEDURES.get(test)
    return None if cls is None else cls().limits().get(kpi)


def change_text(test: str, kpi: str, reference: float, other: float) -> tuple[str, bool | None]:
    """How `other` compares with `reference` for this KPI, as a short text and whether it is better
    (None: neither). A KPI with a pass limit gives both margins to the limit; a KPI already in
    percent gives percentage points; otherwise the change in percent where the reference is not
    near zero (PERCENT_MIN_REFERENCE_SHARE), else the difference in the KPI's unit."""
    if not (math.isfinite(reference) and math.isfinite(other)):
        return "-", None
    d = better(kpi)
    diff = other - reference
    good = None if d == 0 or diff == 0 else (diff > 0) == (d > 0)
    limit = limit_for(test, kpi)
    if limit is not None:
        m0, m1 = limit.margin(reference), limit.margin(other)
        return (f"margin to {limit.relation} {fmt(limit.value)} {limit.unit}: {fmt(m0)} -> {fmt(m1)} {limit.unit}",
                good)
    if kpi.endswith("_pct"):
        return f"{diff:+.2f} pt", good
    if abs(reference) >= PERCENT_MIN_REFERENCE_SHARE * max(abs(reference), abs(other)) and reference != 0:
        return f"{100.0 * diff / abs(reference):+.1f} %", good
    return f"{diff:+.3g}", good


def to_markdown(df, command: str) -> str:
    """The comparison as Markdown: one table per test and surface, vehicles/controllers as columns,
    KPIs (units in their names) as rows, best value in bold (docs/test-table.md)."""
    cols = combos(df)
    lines = ["# twinmotor test table", "", f"Made by `{command}` (twinmotor's main job); units are in the KPI names.", ""]
    for (test, surface), part in df.groupby(["test", "surface"], sort=False):
        lines += [f"## {test} - {surface}", "", "| KPI | " + " | ".join(f"{v} {c}" for v, c in cols) + " |",
                  "|---|" + "---:|" * len(cols)]
        for k in kpi_columns(part):
            vals = [value(part, v, c, test, surface, k) for v, c in cols]
            best = best_value(k, vals)
            cells = [f"**{fmt(x)}**" if best is not None and x == best else fmt(x) for x in vals]
            lines.append(f"| {k} | " + " | ".join(cells) + " |")
        verdicts = []
        for v, c in cols:
            r = part[(part.vehicle == v) & (part.controller == c)]
            verdicts.append("-" if r.empty else verdict_text(r.iloc[0]["passed"]))
        lines += ["| verdict | " + " | ".join(verdicts) + " |", ""]
    return "\n".join(lines) + "\n"


def claim_rows(df) -> tuple[list[str], list[tuple[str, list[float], float | None]]]:
    """The claim KPIs for a console table: column labels, and per claim with any value its text,
    the values per (vehicle, controller) column, and the best of them."""
    cols = combos(df)
    labels = [f"{SHORT_NAMES.get(v, v)}\n{c[:5]}." for v, c in cols]
    rows = []
    for _claim, what, test, surface, kpi in CLAIMS:
        vals = [value(df, v, c, test, surface, kpi) for v, c in cols]
        if all(not math.isfinite(x) for x in vals):
            continue
        rows.append((what, vals, best_value(kpi, vals)))
    return labels, rows
