"""The self-contained HTML report of a comparison: the answer first, then the evidence.

Every number in the report comes from the comparison's table (the same DataFrame written to
results.parquet and results.csv), formatted by `fmt`; figures are inline SVG; styles are inline.
Nothing is fetched from the network when the page is opened.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from pathlib import Path

from twinmotor.report.cases import CaseResult
from twinmotor.report.tables import (
    CLAIMS,
    best_value,
    change_text,
    combos,
    fmt,
    kpi_columns,
    value,
    verdict_text,
)

E_PLUS, AWD = "leaf-e-plus", "leaf-e-plus-awd"
AWD_DISCONNECT, AWD_INDUCTION = "leaf-e-plus-awd-disconnect", "leaf-e-plus-awd-induction"
#: the columns of the answer: 2WD e+, AWD with a fixed split, AWD integrated (front EM57 always connected),
#: and the design options that cut what AWD costs: a front disconnect unit, an induction front motor
ANSWER_COLUMNS = [(E_PLUS, "baseline", "LEAF e+ 2WD (baseline)"),
                  (AWD, "baseline", "e+ AWD, fixed 50:50 (baseline)"),
                  (AWD, "integrated", "e+ AWD, integrated"),
                  (AWD_DISCONNECT, "integrated", "AWD integrated, front disconnect"),
                  (AWD_INDUCTION, "integrated", "AWD integrated, induction front motor")]
#: the columns the answer needs; the design options are shown when the comparison ran them
REQUIRED_ANSWER_COLUMNS = ANSWER_COLUMNS[:3]

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1b1f24;background:#fafbfc}
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:36px 0 10px;border-bottom:2px solid #e1e4e8;padding-bottom:4px}
h3{font-size:16px;margin:22px 0 8px}.sub{color:#57606a;margin:0 0 18px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px;background:#fff}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right}th{background:#f3f5f7}
td.l,th.l{text-align:left}td.best{background:#dafbe1;font-weight:600}td.err{color:#b42318}
.good{color:#116329;font-weight:600}.bad{color:#b42318;font-weight:600}
.fig{background:#fff;border:1px solid #d0d7de;padding:8px;margin:10px 0;overflow-x:auto}
.fig svg{max-width:100%;height:auto;display:block}
.note{color:#57606a;font-size:12.5px}code{background:#f0f2f4;padding:1px 4px;border-radius:3px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:200px}
.card b{font-size:20px;display:block}
"""


def _cell(df, vehicle, controller, test, surface, kpi, cls="") -> str:
    v = value(df, vehicle, controller, test, surface, kpi)
    attrs = (f' data-vehicle="{vehicle}" data-controller="{controller}" data-test="{test}" '
             f'data-surface="{surface}" data-kpi="{kpi}"')
    return f'<td class="{cls}"{attrs}>{fmt(v)}</td>'


def _answer_columns(df) -> list[tuple[str, str, str]]:
    return [col for col in ANSWER_COLUMNS
            if col in REQUIRED_ANSWER_COLUMNS or ((df.vehicle == col[0]) & (df.controller == col[1])).any()]


def _answer(df) -> str:
    columns = _answer_columns(df)
    head = "".join(f"<th>{html.escape(label)}</th>" for _, _, label in columns)
    rows = []
    for claim, what, test, surface, kpi in CLAIMS:
        vals = [value(df, v, c, test, surface, kpi) for v, c, _ in columns]
        best = best_value(kpi, vals, min_count=1)
        cells = "".join(_cell(df, v, c, test, surface, kpi, "best" if best is not None and val == best else "")
                        for (v, c, _), val in zip(columns, vals))
        text, good = change_text(test, kpi, vals[0], vals[2])
        cls = "good" if good else ("bad" if good is False else "")
        rows.append(f'<tr><td class="l">{claim}</td><td class="l">{html.escape(what)}</td>{cells}'
                    f'<td class="{cls}">{html.escape(text)}</td></tr>')
    return (f'<table><tr><th class="l">claim</th><th class="l">measured</th>{head}'
            f"<th>integrated AWD vs 2WD</th></tr>{''.join(rows)}</table>"
            '<p class="note">Last column: the change in percent where the 2WD value is not near zero; percentage '
            "points for KPIs in percent; for a KPI with a pass limit in its standard, the margin to that limit "
            "(2WD -> integrated AWD; positive passes).</p>")


def _value_section(df, extra_cost_eur: float) -> str:
    g = {}
    for key, test, surface, kpi in [("t_dry", "accel", "dry", "t_0_100_kmh_s"), ("t_wet", "accel", "wet", "t_0_100_kmh_s"),
                                    ("lc_wet", "lane-change", "wet", "max_entry_speed_kmh"),
                                    ("pitch", "regen-stop", "dry", "peak_pitch_deg"),
                                    ("range", "range", "dry", "epa_combined_label_km"),
                                    ("wltp", "range", "dry", "wltp_range_km")]:
        g[key] = (value(df, E_PLUS, "baseline", test, surface, kpi), value(df, AWD, "integrated", test, surface, kpi))
    items = []

    def card(title, gain, unit, per_unit_label):
        if not math.isfinite(gain):
            return f'<div class="card">{title}<b>-</b></div>'
        per = f"{extra_cost_eur / gain:,.0f} EUR {per_unit_label}" if gain > 0 else "no gain"
        return f'<div class="card">{title}<b>{gain:+.2f} {unit}</b>{per}</div>'

    items.append(card("0-100 km/h gained, dry", g["t_dry"][0] - g["t_dry"][1], "s", "per second gained"))
    items.append(card("0-100 km/h gained, wet", g["t_wet"][0] - g["t_wet"][1], "s", "per second gained"))
    items.append(card("Wet lane change, entry speed", g["lc_wet"][1] - g["lc_wet"][0], "km/h", "per km/h"))
    pitch = 100.0 * (g["pitch"][0] - g["pitch"][1]) / g["pitch"][0] if g["pitch"][0] else float("nan")
    items.append(card("Pitch in a 0.3 g stop, reduction", pitch, "%", "per % less pitch"))
    rng = g["range"][1] - g["range"][0]
    rng_pct = 100.0 * rng / g["range"][0] if g["range"][0] else float("nan")
    rng_txt = (f'<div class="card">EPA label range change<b>{rng:+.1f} km ({rng_pct:+.1f} %)</b>'
               f'WLTP: {g["wltp"][1] - g["wltp"][0]:+.1f} km</div>') if math.isfinite(rng) else ""
    rng_txt += _awd_cost_cards(df)
    return (f'<p>Extra price of the twin-motor car assumed: <b>{extra_cost_eur:,.0f} EUR</b> '
            f'(change with <code>--set awd_extra_cost_eur=...</code>). Gains of the e+ AWD prototype with integrated '
            f'control over the 2WD LEAF e+ with baseline control:</p><div class="cards">{"".join(items)}{rng_txt}</div>')


def _awd_cost_cards(df) -> str:
    """What AWD costs in energy for each design option, against the 2WD e+: WLTC consumption and EPA range."""
    base_wltc = value(df, E_PLUS, "baseline", "cycle-wltc", "dry", "energy_kwh_per_100km")
    base_epa = value(df, E_PLUS, "baseline", "range", "dry", "epa_combined_label_km")
    cards = []
    for v, c, label in ANSWER_COLUMNS[1:]:
        w = value(df, v, c, "cycle-wltc", "dry", "energy_kwh_per_100km")
        e = value(df, v, c, "range", "dry", "epa_combined_label_km")
        if not (math.isfinite(w) and math.isfinite(base_wltc)):
            continue
        epa = f"EPA range {100.0 * (e - base_epa) / base_epa:+.1f} %" if math.isfinite(e) and math.isfinite(base_epa) else ""
        cards.append(f'<div class="card">AWD energy cost: {html.escape(label)}<b>{100.0 * (w - base_wltc) / base_wltc:+.1f} % '
                     f"WLTC</b>{epa}</div>")
    return "".join(cards)


def _kpi_tables(df) -> str:
    cols = combos(df)
    out = []
    for (test, surface), part in df.groupby(["test", "surface"], sort=False):
        head = "".join(f"<th>{html.escape(v)}<br>{html.escape(c)}</th>" for v, c in cols)
        rows = []
        for k in kpi_columns(part):
            vals = [value(df, v, c, test, surface, k) for v, c in cols]
            best = best_value(k, vals)
            cells = "".join(_cell(df, v, c, test, surface, k, "best" if best is not None and x == best else "")
                            for (v, c), x in zip(cols, vals))
            rows.append(f'<tr><td class="l">{html.escape(k)}</td>{cells}</tr>')
        verdicts = []
        for v, c in cols:
            r = part[(part.vehicle == v) & (part.controller == c)]
            if r.empty:
                verdicts.append("<td>-</td>")
            elif isinstance(r.iloc[0]["error"], str) and r.iloc[0]["error"]:
                verdicts.append(f'<td class="err" title="{html.escape(r.iloc[0]["error"])}">error</td>')
            else:
                verdicts.append(f"<td>{verdict_text(r.iloc[0]['passed'])}</td>")
        rows.append(f'<tr><td class="l">verdict</td>{"".join(verdicts)}</tr>')
        out.append(f"<h3>{html.escape(test)} - {html.escape(surface)}</h3>"
                   f'<table><tr><th class="l">KPI</th>{head}</tr>{"".join(rows)}</table>')
    return "".join(out)


def _vehicles_section(vehicles: list[str]) -> str:
    from twinmotor.vehicle import load_vehicle, preset_sources

    out = []
    for name in vehicles:
        try:
            src = preset_sources(name)
            v = load_vehicle(name)
        except Exception:  # a user file without comments: values only
            continue
        flat = _flatten(v.model_dump())
        rows = "".join(f'<tr><td class="l">{html.escape(k)}</td><td>{html.escape(str(val))}</td>'
                       f'<td class="l">{html.escape(src.get(k, ""))}</td></tr>' for k, val in flat.items())
        out.append(f"<details><summary><b>{html.escape(name)}</b>: {html.escape(v.description)}</summary>"
                   f'<table><tr><th class="l">parameter</th><th>value</th><th class="l">source</th></tr>{rows}</table>'
                   "</details>")
    return "".join(out)


def _works_section(results: list[CaseResult]) -> str:
    """The bibliography of the run: every document a case's models, procedure or vehicle cited."""
    from twinmotor.citations import format_entry

    keys = list(dict.fromkeys(k for r in results for k in r.extra.get("citations", [])))
    if not keys:
        return '<p class="note">No case recorded its sources.</p>'
    items = "".join(f"<li>{html.escape(format_entry(k))}</li>" for k in keys)
    return (f'<p class="note">{len(keys)} documents, keyed as in the parameter sources above '
            f"(twinmotor/data/CITATIONS.bib; <code>twinmotor cite</code> prints them).</p><ol>{items}</ol>")


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        elif v is not None:
            out[key] = v
    return out


def _figures(results: list[CaseResult]) -> str:
    from twinmotor.report import figures

    def pick(test, surface=None, vehicles=None):
        return [r for r in results if r.case.test == test and (surface is None or r.case.surface == surface)
                and r.error is None and (vehicles is None or (r.case.vehicle, r.case.controller) in vehicles)]

    three = {(v, c) for v, c, _ in REQUIRED_ANSWER_COLUMNS}
    blocks = [
        ("Acceleration runs, dry", figures.accel_runs(pick("accel", "dry"))),
        ("Regenerative stop: body pitch", figures.regen_pitch(pick("regen-stop", "dry"))),
        ("Energy per WLTC: where it goes", figures.energy_bars(pick("cycle-wltc"))),
    ]
    for test, title in [("lane-change", "ISO 3888-2 lane change at the highest clean entry speed"),
                        ("sine-dwell", "FMVSS 126 sine with dwell: yaw rates"),
                        ("skidpad", "ISO 4138 handling diagram")]:
        for r in pick(test, vehicles=three):
            if "svg" in r.extra:
                blocks.append((f"{title}: {r.case.vehicle} ({r.case.controller}, {r.case.surface})", r.extra["svg"]))
    return "".join(f'<h3>{html.escape(t)}</h3><div class="fig">{svg}</div>' for t, svg in blocks if svg)


def write_report(df, results: list[CaseResult], out_dir: Path, command: str, extra_cost_eur: float = 3000.0,
                 wall_time_s: float = 0.0) -> Path:
    """Write DIR/report.html from the comparison table and case results; returns its path."""
    import twinmotor

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    vehicles = list(dict.fromkeys(df["vehicle"]))
    have_answer = all(((df.vehicle == v) & (df.controller == c)).any() for v, c, _ in REQUIRED_ANSWER_COLUMNS)
    errors = df[df["error"].notna() & (df["error"] != "")] if "error" in df else df.iloc[0:0]
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = [
        "<h1>What does the twin-motor system buy, and what does it cost?</h1>",
        f'<p class="sub">twinmotor {twinmotor.__version__} - {len(df)} cases - generated {now} in '
        f"{wall_time_s:.0f} s</p>",
    ]
    if have_answer:
        parts += ["<h2>The answer, claim by claim</h2>",
                  "<p>Nissan's claims for its twin-motor all-wheel control (acceleration, cornering, braking, "
                  "regeneration, ride comfort, safety on wet roads), each as a measured number: the 2WD LEAF e+, the "
                  "e+ AWD prototype with a fixed 50:50 split, the same car with the integrated controller, and two "
                  "design options that cut what AWD costs (a disconnect unit on the front axle that the integrated "
                  "controller opens when the front is not needed; an induction front motor, which does not drag when "
                  "unexcited). Green cells: best in the row.</p>", _answer(df),
                  "<h2>Value: is AWD worth the extra price?</h2>", _value_section(df, extra_cost_eur)]
    else:
        parts.append('<p class="note">The claim-by-claim answer needs the LEAF e+ (baseline) and the e+ AWD '
                     "(baseline and integrated) in the comparison.</p>")
    if len(errors):
        items = "".join(f"<li>{html.escape(r.vehicle)} / {html.escape(r.controller)} / {html.escape(r.test)} / "
                        f"{html.escape(r.surface)}: {html.escape(str(r.error))}</li>" for r in errors.itertuples())
        parts.append(f'<h2>Cases that failed to run</h2><ul class="bad">{items}</ul>')
    parts += ["<h2>Plots</h2>", _figures(results),
              "<h2>All KPIs</h2>", '<p class="note">Units are in the KPI names. Green: best in the row.</p>',
              _kpi_tables(df),
              "<h2>Vehicles and where their parameters come from</h2>", _vehicles_section(vehicles),
              "<h2>Works this comparison relied on</h2>", _works_section(results),
              "<h2>How this report was made</h2>",
              f"<p>Command: <code>{html.escape(command)}</code><br>Software: twinmotor {twinmotor.__version__} "
              "(numba-compiled 1 kHz vehicle model: MF 6.1 tires, roll/pitch/heave, per-axle PMSM, battery). "
              "Data: results.parquet and results.csv next to this file hold every number shown here.</p>"]
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>twinmotor compare</title>'
            f"<style>{CSS}</style></head><body><main>{''.join(parts)}</main></body></html>")
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
