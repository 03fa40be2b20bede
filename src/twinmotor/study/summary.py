"""The study's answer as one self-contained HTML page (the comparison report's style): the Pareto
front of the objectives and its designs, Sobol indices when the design allows, and each KPI
against each factor. Every number comes from the dataset through `study_frame`; figures are inline
SVG; nothing is fetched when the page is opened.
"""

from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path

import numpy as np

from twinmotor.report.html import CSS
from twinmotor.report.tables import fmt
from twinmotor.study.plan import Plan, study_frame

DESIGN_KEYS = ["point", "vehicle", "controller"]
#: KPIs not plotted against the factors (bookkeeping, not results)
SKIP_KPIS = ("attempts", "completed", "followable", "distance_km", "cones_hit_")


def pareto_mask(values: np.ndarray, goals: list[str]) -> np.ndarray:
    """True for the non-dominated rows of `values` (rows: designs, columns: objectives; goals 'min'
    or 'max' per column). A row is dominated when another is at least as good in every objective
    and better in one. Rows with a NaN are never on the front."""
    v = np.asarray(values, dtype=float) * np.array([1.0 if g == "min" else -1.0 for g in goals])
    ok = np.all(np.isfinite(v), axis=1)
    mask = np.zeros(len(v), dtype=bool)
    for i in np.flatnonzero(ok):
        others = v[ok]
        dominated = np.any(np.all(others <= v[i], axis=1) & np.any(others < v[i], axis=1))
        mask[i] = not dominated
    return mask


def design_table(plan: Plan, df=None):
    """One row per design (design point x vehicle x controller): its factor values and its objectives."""
    import pandas as pd

    df = study_frame(plan) if df is None else df
    factor_cols = [c for c in df.columns if c.startswith("factor:")]
    designs = df[DESIGN_KEYS + factor_cols].drop_duplicates(DESIGN_KEYS).reset_index(drop=True)
    for o in plan.study.objectives:
        part = df[(df.test == o.procedure) & (df.surface == o.surface)]
        col = part[DESIGN_KEYS + ([o.kpi] if o.kpi in part else [])].copy()
        if o.kpi not in col:
            col[o.kpi] = np.nan
        col = col.rename(columns={o.kpi: o.label})
        designs = designs.merge(col, on=DESIGN_KEYS, how="left")
    if plan.study.objectives:
        designs["pareto"] = pareto_mask(designs[[o.label for o in plan.study.objectives]].to_numpy(float),
                                        [o.goal for o in plan.study.objectives])
    else:
        designs["pareto"] = False
    return pd.DataFrame(designs)


def sobol_indices(plan: Plan, df=None) -> list[dict]:
    """First-order and total Sobol indices of each objective (SALib.analyze.sobol) for a saltelli
    design, per vehicle and controller; [] for other designs. An objective with a missing or
    non-finite value at any point is left out (the estimator needs every point)."""
    if plan.study.method != "saltelli" or plan.design.problem is None:
        return []
    from SALib.analyze import sobol as salib_sobol

    table = design_table(plan, df)
    out = []
    for (vehicle, controller), part in table.groupby(["vehicle", "controller"], sort=False):
        part = part.sort_values("point")
        if len(part) != len(plan.design.points):
            continue
        for o in plan.study.objectives:
            y = part[o.label].to_numpy(float)
            if not np.all(np.isfinite(y)) or np.ptp(y) == 0.0:
                out.append({"vehicle": vehicle, "controller": controller, "objective": o.label, "result": None,
                            "why": "missing or non-finite values" if not np.all(np.isfinite(y)) else "does not vary"})
                continue
            res = salib_sobol.analyze(plan.design.problem, y, calc_second_order=False, seed=plan.study.seed,
                                      print_to_console=False)
            out.append({"vehicle": vehicle, "controller": controller, "objective": o.label, "result": {
                "S1": list(map(float, res["S1"])), "S1_conf": list(map(float, res["S1_conf"])),
                "ST": list(map(float, res["ST"])), "ST_conf": list(map(float, res["ST_conf"]))}, "why": ""})
    return out


def _numeric(values) -> bool:
    try:
        np.asarray(values, dtype=float)
        return True
    except (TypeError, ValueError):
        return False


def _kpi_columns(part) -> list[str]:
    from twinmotor.report.tables import META_COLUMNS

    skip = set(META_COLUMNS) | {"point", "key", "done"}
    cols = []
    for c in part.columns:
        if c in skip or c.startswith("factor:") or c.startswith("energy_j:") or any(s in c for s in SKIP_KPIS):
            continue
        v = part[c].to_numpy(float, na_value=np.nan) if _numeric(part[c].fillna(np.nan)) else None
        if v is not None and np.isfinite(v).sum() >= 2 and np.nanmax(v) > np.nanmin(v):
            cols.append(c)
    return cols


def kpi_factor_figure(part, factors: list[str], title: str) -> str | None:
    """Each KPI of one procedure and surface (rows) against each factor (columns), as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from twinmotor.plotting.svg import figure_svg

    kpis = _kpi_columns(part)
    if not kpis or not factors:
        return None
    fig, axes = plt.subplots(len(kpis), len(factors), figsize=(2.9 * len(factors) + 0.6, 1.75 * len(kpis) + 0.5),
                             squeeze=False)
    for i, k in enumerate(kpis):
        y = part[k].to_numpy(float, na_value=np.nan)
        for j, f in enumerate(factors):
            ax = axes[i][j]
            x = part[f"factor:{f}"]
            if _numeric(x):
                ax.scatter(x.to_numpy(float), y, s=10, color="#0969da", alpha=0.8)
            else:
                names = list(dict.fromkeys(x.astype(str)))
                ax.scatter([names.index(s) for s in x.astype(str)], y, s=10, color="#0969da", alpha=0.8)
                ax.set_xticks(range(len(names)), names, fontsize=6)
            ax.tick_params(labelsize=6)
            ax.grid(True, alpha=0.3)
            if j == 0:
                ax.set_ylabel(k, fontsize=6.5)
            if i == len(kpis) - 1:
                ax.set_xlabel(f, fontsize=7)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return figure_svg(fig)


def pareto_figure(table, objectives) -> str | None:
    """Each pair of objectives: every design in grey, the non-dominated ones in green (inline SVG)."""
    from twinmotor.plotting.svg import figure_svg

    fig = pareto_plot(table, objectives)
    return None if fig is None else figure_svg(fig)


def save_pareto_png(plan: Plan, path: Path, dpi: int = 80) -> Path:
    """The summary's Pareto figure as a PNG file (the README's picture)."""
    import matplotlib.pyplot as plt

    fig = pareto_plot(design_table(plan), plan.study.objectives)
    if fig is None:
        raise ValueError("a Pareto figure needs at least two objectives")
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return Path(path)


def pareto_plot(table, objectives):
    """The matplotlib figure behind pareto_figure (None with fewer than two objectives)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [o.label for o in objectives]
    pairs = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:]]
    if not pairs:
        return None
    fig, axes = plt.subplots(1, len(pairs), figsize=(4.2 * len(pairs), 3.6), squeeze=False)
    front = table["pareto"].to_numpy(bool)
    for ax, (a, b) in zip(axes[0], pairs):
        x, y = table[a].to_numpy(float), table[b].to_numpy(float)
        ax.scatter(x[~front], y[~front], s=14, color="#8c959f", label="dominated")
        ax.scatter(x[front], y[front], s=22, color="#1a7f37", label="non-dominated (Pareto)")
        ax.set_xlabel(f"{a} ({_goal(objectives, a)})", fontsize=7.5)
        ax.set_ylabel(f"{b} ({_goal(objectives, b)})", fontsize=7.5)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def _goal(objectives, label: str) -> str:
    return next(f"{o.goal}imise" for o in objectives if o.label == label)


def _design_rows(table, factor_names, objectives, only_front: bool) -> str:
    head = ("<tr><th>point</th><th class=\"l\">vehicle</th><th class=\"l\">controller</th>"
            + "".join(f"<th>{html.escape(f)}</th>" for f in factor_names)
            + "".join(f"<th>{html.escape(o.label)}<br>({o.goal})</th>" for o in objectives) + "</tr>")
    rows = []
    for r in table.itertuples(index=False):
        d = dict(zip(table.columns, r))
        if only_front and not d["pareto"]:
            continue
        cells = "".join(f'<td data-point="{d["point"]}" data-factor="{html.escape(f)}">{fmt(d[f"factor:{f}"])}</td>'
                        for f in factor_names)
        cells += "".join(f'<td data-point="{d["point"]}" data-vehicle="{html.escape(d["vehicle"])}" '
                         f'data-controller="{html.escape(d["controller"])}" data-test="{html.escape(o.procedure)}" '
                         f'data-surface="{html.escape(o.surface)}" data-kpi="{html.escape(o.kpi)}">{fmt(d[o.label])}</td>'
                         for o in objectives)
        rows.append(f'<tr><td>{d["point"]}</td><td class="l">{html.escape(d["vehicle"])}</td>'
                    f'<td class="l">{html.escape(d["controller"])}</td>{cells}</tr>')
    return f"<table>{head}{''.join(rows)}</table>"


def _sobol_section(plan: Plan, indices: list[dict]) -> str:
    if plan.study.method != "saltelli":
        return ('<p class="note">Sobol indices need a <code>method = "saltelli"</code> design (SALib); this study '
                f"uses <code>{html.escape(plan.study.method)}</code>.</p>")
    names = [f.name for f in plan.study.factors]
    parts = ['<p class="note">Share of each objective\'s variance due to each factor alone (S1) and with its '
             "interactions (ST), with 95 % confidence half-widths; Saltelli (2010) estimators by SALib.</p>"]
    for item in indices:
        title = f"{item['objective']} - {item['vehicle']} ({item['controller']})"
        if item["result"] is None:
            parts.append(f"<h3>{html.escape(title)}</h3><p class=\"note\">Not estimated: {item['why']}.</p>")
            continue
        r = item["result"]
        rows = "".join(f'<tr><td class="l">{html.escape(n)}</td><td>{r["S1"][j]:.3f} &plusmn; {r["S1_conf"][j]:.3f}</td>'
                       f'<td>{r["ST"][j]:.3f} &plusmn; {r["ST_conf"][j]:.3f}</td></tr>' for j, n in enumerate(names))
        parts.append(f"<h3>{html.escape(title)}</h3><table><tr><th class=\"l\">factor</th><th>S1</th><th>ST</th></tr>"
                     f"{rows}</table>")
    return "".join(parts)


def _factor_rows(plan: Plan) -> str:
    rows = []
    for f in plan.study.factors:
        if f.values is not None:
            what = "levels " + ", ".join(html.escape(str(v)) for v in f.values)
        elif f.distribution == "normal":
            what = f"normal, mean {f.mean:g}, sd {f.sd:g}"
        elif f.distribution == "triangular":
            what = f"triangular {f.low:g} to {f.high:g}, mode {f.mode:g}"
        else:
            what = f"uniform {f.low:g} to {f.high:g}" + (f", {f.levels} levels" if f.levels else "")
        kind = {"vehicle": "vehicle parameter", "controller": "controller setting", "choice": "choice"}[f.kind]
        rows.append(f'<tr><td class="l"><code>{html.escape(f.name)}</code></td><td class="l">{kind}</td>'
                    f'<td class="l">{what}</td></tr>')
    return ('<table><tr><th class="l">factor</th><th class="l">kind</th><th class="l">values</th></tr>'
            + "".join(rows) + "</table>")


def write_summary(plan: Plan, wall_time_s: float = 0.0) -> Path:
    """Write DIR/summary.html for the study's dataset as it stands; returns its path."""
    import twinmotor

    st = plan.study
    df = study_frame(plan)
    table = design_table(plan, df)
    factor_names = [f.name for f in st.factors]
    distinct = df.drop_duplicates("key")
    done = int(distinct["done"].sum())
    errors = distinct[distinct["done"] & distinct["error"].notna()] if "error" in distinct else distinct.iloc[0:0]
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = [f"<h1>{html.escape(st.name)}</h1>",
             f'<p class="sub">twinmotor {twinmotor.__version__} study <code>{html.escape(str(st.path))}</code> - '
             f"{st.method} design, {len(plan.design.points)} points, {len(df)} cases ({distinct.shape[0]} distinct), "
             f"{done} in the dataset, {len(errors)} failed - generated {now}"
             + (f", this run {wall_time_s:.0f} s" if wall_time_s else "") + "</p>",
             "<h2>Factors</h2>", _factor_rows(plan),
             f'<p class="note">Vehicles: {html.escape(", ".join(st.vehicles) or "(a factor)")}; controllers: '
             f'{html.escape(", ".join(st.controllers) or "each car default")}; procedures: '
             f'{html.escape(", ".join(st.procedures))}; surfaces: {html.escape(", ".join(st.surfaces))}.</p>']
    if st.objectives:
        n_front = int(table["pareto"].sum())
        parts += ["<h2>Pareto front of the objectives</h2>",
                  f"<p>{n_front} of {len(table)} designs are non-dominated: no other design is at least as good in "
                  "every objective and better in one. Objectives: "
                  + "; ".join(f"{html.escape(o.label)} ({o.goal})" for o in st.objectives) + ".</p>"]
        fig = pareto_figure(table, st.objectives)
        if fig:
            parts.append(f'<div class="fig">{fig}</div>')
        parts += ["<h3>Non-dominated designs</h3>", _design_rows(table, factor_names, st.objectives, True),
                  "<details><summary>All designs</summary>",
                  _design_rows(table, factor_names, st.objectives, False), "</details>"]
    parts += ["<h2>Sensitivity: Sobol indices</h2>", _sobol_section(plan, sobol_indices(plan, df))]
    parts.append("<h2>Each KPI against each factor</h2>")
    for (test, surface), part in df[df["done"]].groupby(["test", "surface"], sort=False):
        fig = kpi_factor_figure(part, factor_names, f"{test} - {surface}")
        if fig:
            parts.append(f'<h3>{html.escape(test)} - {html.escape(surface)}</h3><div class="fig">{fig}</div>')
    if len(errors):
        items = "".join(f"<li>{html.escape(r.vehicle)} / {html.escape(r.test)} / {html.escape(r.surface)} "
                        f"(point {r.point}): {html.escape(str(r.error))}</li>" for r in errors.itertuples())
        parts.append(f'<h2>Cases that failed</h2><ul class="bad">{items}</ul>')
    parts += ["<h2>How this summary was made</h2>",
              f"<p>Command: <code>twinmotor study {html.escape(str(st.path))}</code>. Data: one Parquet file per case in "
              f"<code>{html.escape(str(plan.dataset))}</code>, named by the hash of the case's inputs; "
              "<code>cases.parquet</code> maps design points to cases. Rerunning computes only missing cases.</p>"]
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>twinmotor study: '
            f"{html.escape(st.name)}</title><style>{CSS}</style></head><body><main>{''.join(parts)}</main></body></html>")
    path = plan.out / "summary.html"
    tmp = plan.out / ".summary.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
