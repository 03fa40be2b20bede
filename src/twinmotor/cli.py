"""The `twinmotor` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from twinmotor.errors import TwinmotorError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Simulate, control and evaluate twin-motor all-wheel-drive electric cars.")
console = Console()
err_console = Console(stderr=True)


def _fail(err: Exception) -> None:
    # escape: messages quote user text and .tir section names like [MODEL], which rich would eat as
    # markup; soft_wrap: no line breaks inserted inside the message (it stays greppable)
    err_console.print(f"[bold red]error:[/] {escape(str(err))}", soft_wrap=True)
    raise typer.Exit(code=2)


def split_settings(controller_name: str | None, items: list[str]) -> tuple[dict, dict]:
    """Split `--set key=value` items into controller settings and vehicle overrides: a key the chosen
    controller knows is a controller setting, anything else a vehicle parameter path."""
    from twinmotor.control.open_loop import OPEN_LOOP_DEFAULTS
    from twinmotor.control.params import SETTINGS
    from twinmotor.vehicle import parse_overrides

    values = parse_overrides(items)
    known = set(OPEN_LOOP_DEFAULTS) if controller_name == "open" else set(SETTINGS)
    ctl = {k: v for k, v in values.items() if k in known}
    veh = {k: v for k, v in values.items() if k not in known}
    return ctl, veh


def vehicle_and_controller(vehicle: str, controller: str | None, items: list[str] | None):
    """The vehicle (preset or file, with `--set` overrides) and the named controller (or the car's
    default) with its `--set` settings."""
    from twinmotor.control import default_controller, make_controller
    from twinmotor.vehicle import load_vehicle

    name = controller or default_controller(load_vehicle(vehicle))
    ctl_settings, veh_overrides = split_settings(name, items or [])
    v = load_vehicle(vehicle, veh_overrides or None)
    return v, make_controller(name, v, **ctl_settings)


def _print_ensemble(test, vehicle, seeds, runs, summary, as_json) -> None:
    if as_json:
        out = {"vehicle": vehicle, "test": test, "seeds": seeds, "passed_share": float(runs["passed"].astype(float).mean()),
               "kpis": {k: {c: (None if v != v else round(float(v), 6)) for c, v in row.items()}
                        for k, row in summary.iterrows()}}
        sys.stdout.write(json.dumps(out) + "\n")
        return
    table = Table(title=f"{test}: {vehicle} over {seeds} sensor seeds")
    for col in ("KPI", "median", "5th pct", "95th pct"):
        table.add_column(col, justify="right" if col != "KPI" else "left")
    for k, row in summary.iterrows():
        table.add_row(k, f"{row['median']:.3f}", f"{row['p05']:.3f}", f"{row['p95']:.3f}")
    console.print(table)
    console.print(f"passed in {int(runs['passed'].fillna(False).astype(bool).sum())} of {seeds} seeds")


def _print_result(res) -> None:
    console.print(f"[bold]{res.test}[/]: {res.vehicle}, controller {res.controller}, surface {res.surface}")
    table = Table()
    table.add_column("KPI")
    table.add_column("value", justify="right")
    for k, val in res.kpis.items():
        table.add_row(k, f"{val:.3f}" if isinstance(val, float) else str(val))
    console.print(table)
    verdict = {True: "[green]pass[/]", False: "[red]fail[/]", None: "- (no pass/fail criterion)"}[res.passed]
    console.print(f"verdict: {verdict}; simulated {res.simulated_time_s:.2f} s in {res.wall_time_s * 1000:.1f} ms "
                  f"({res.simulated_time_s / max(res.wall_time_s, 1e-9):.0f}x real time)")


@app.command()
def vehicles() -> None:
    """List the vehicle presets."""
    from twinmotor.vehicle import list_presets, load_vehicle

    names = list_presets()
    cars = [load_vehicle(name) for name in names]
    table = Table(title="twinmotor vehicle presets")
    # the preset name is what a user types next: never truncate it, whatever the terminal width
    table.add_column("name", no_wrap=True, min_width=max(len(n) for n in names))
    table.add_column("drive", no_wrap=True)
    for header in ("mass\nkg", "power\nkW", "torque\nNm", "battery\nkWh"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("tires\nfront, rear", no_wrap=True)
    for name, v in zip(names, cars):
        table.add_row(name, v.drive, f"{v.mass_kg:.0f}", f"{v.system_peak_power_kw:.0f}", f"{v.system_peak_torque_nm:.0f}",
                      f"{v.battery.capacity_kwh:.0f}", f"{v.tires.front.size}\n{v.tires.rear.size}")
    console.print(table)
    for name, v in zip(names, cars):
        console.print(f"[bold]{escape(name)}[/]: {escape(v.description)}")


@app.command()
def controllers() -> None:
    """List the built-in controllers and their settings (for --set)."""
    from twinmotor.control.params import SETTINGS
    from twinmotor.control.twin_motor import BASELINE_SETTINGS, INTEGRATED_SETTINGS

    table = Table(title="controllers: baseline / integrated settings (change with --set name=value)")
    for col in ("setting", "baseline", "integrated", "range", "unit", "meaning"):
        table.add_column(col)
    for name, (default, low, high, unit, meaning) in SETTINGS.items():
        table.add_row(name, f"{BASELINE_SETTINGS.get(name, default):g}", f"{INTEGRATED_SETTINGS.get(name, default):g}",
                      f"{low:g}-{high:g}", unit, meaning)
    console.print(table)
    console.print("open: pedal map, fixed split, simple traction control and ABS, no regeneration "
                  "(twinmotor.control.open_loop)")


@app.command("tests")
def list_tests() -> None:
    """List the standard tests."""
    from twinmotor.procedures import PROCEDURES

    table = Table(title="twinmotor standard tests (procedures)")
    table.add_column("name")
    table.add_column("standard")
    table.add_column("KPIs")
    for name, cls in PROCEDURES.items():
        table.add_row(name, cls.standard, cls.summary)
    console.print(table)


@app.command()
def cite(
    keys: Optional[list[str]] = typer.Argument(None, help="bibliography keys to format (default: as chosen below)"),
    vehicle: Optional[str] = typer.Option(None, "--vehicle", "-v", help="the works a run of this car relies on"),
    test: Optional[str] = typer.Option(None, "--test", "-t", help="... in this test (default: accel)"),
    controller: Optional[str] = typer.Option(None, "--controller", "-c", help="... with this controller"),
) -> None:
    """List the works twinmotor relies on: all of them, the given keys, or those a run uses."""
    try:
        from twinmotor import citations

        if keys:
            chosen = list(keys)
        elif vehicle or test or controller:
            from twinmotor.procedures import make_procedure
            from twinmotor.simulation.runner import register_run_citations

            v, ctl = vehicle_and_controller(vehicle or "leaf-e-plus", controller, None)
            with citations.collect() as chosen:
                citations.register(*make_procedure(test or "accel").citations)
                register_run_citations(v, ctl)
        else:
            chosen = list(citations.load_bibliography())
        text = citations.format_citations(chosen)
    except TwinmotorError as e:
        _fail(e)
        return
    sys.stdout.write(text + "\n")


@app.command()
def run(
    test: str = typer.Argument(..., help="test name, see `twinmotor tests`"),
    vehicle: str = typer.Option("leaf-e-plus", "--vehicle", "-v", help="preset name or TOML file"),
    controller: Optional[str] = typer.Option(None, "--controller", "-c",
                                             help="open, baseline or integrated (default: integrated for AWD cars, "
                                                  "baseline otherwise)"),
    surface: str = typer.Option("dry", "--surface", "-s", help="dry, wet, snow, ice, split-mu"),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="key=value: vehicle parameter path or controller setting"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object and nothing else"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="save the test's plot to this file (png, svg, pdf)"),
    sensors: str = typer.Option("typical", "--sensors", help="sensor set: ideal (the truth), typical (production ESC cluster, default) or poor"),
    seeds: int = typer.Option(1, "--seeds", help="repeat over this many sensor seeds and report median and 5-95th percentiles"),
) -> None:
    """Run one standard test on one vehicle."""
    try:
        from twinmotor.api import simulate
        from twinmotor.sensors import make_sensors

        v, ctl = vehicle_and_controller(vehicle, controller, set_)
        sensor_set = make_sensors(sensors)
        if seeds != 1:
            from twinmotor.api import simulate_seeds

            runs, summary = simulate_seeds(v, test, ctl, surface, seeds=seeds, sensors=sensor_set)
            _print_ensemble(test, v.name, seeds, runs, summary, as_json)
            return
        res = simulate(v, test, ctl, surface, sensors=sensor_set)
    except TwinmotorError as e:
        _fail(e)
        return
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        res.plot().savefig(plot)
    if as_json:
        sys.stdout.write(res.to_json() + "\n")
        return
    _print_result(res)
    if plot is not None:
        console.print(f"plot saved to {plot}")


@app.command()
def cycle(
    name: str = typer.Argument(..., help="udds, hwfet, wltc, nedc, us06, or a CSV file (time_s, speed_kmh[, grade_pct])"),
    vehicle: str = typer.Option("leaf-e-plus", "--vehicle", "-v", help="preset name or TOML file"),
    controller: Optional[str] = typer.Option(None, "--controller", "-c", help="open, baseline or integrated"),
    fidelity: str = typer.Option("dynamic", "--fidelity", help="dynamic (full model) or fast (quasi-static)"),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="key=value: vehicle parameter path or controller setting"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object and nothing else"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="save the energy breakdown plot to this file"),
    sensors: str = typer.Option("typical", "--sensors", help="sensor set: ideal (the truth), typical (production ESC cluster, default) or poor"),
) -> None:
    """Drive a cycle: energy per 100 km, regeneration, losses, trace error."""
    try:
        from twinmotor.api import simulate
        from twinmotor.procedures.drive_cycle import DriveCycle

        v, ctl = vehicle_and_controller(vehicle, controller, set_)
        from twinmotor.sensors import make_sensors

        res = simulate(v, DriveCycle(name, fidelity), ctl, sensors=make_sensors(sensors))
    except TwinmotorError as e:
        _fail(e)
        return
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        from twinmotor.plotting.energy import energy_breakdown

        energy_breakdown([res]).savefig(plot)
    if as_json:
        sys.stdout.write(res.to_json() + "\n")
        return
    _print_result(res)


@app.command("range")
def range_(
    vehicle: str = typer.Option("leaf-e-plus", "--vehicle", "-v", help="preset name or TOML file"),
    controller: Optional[str] = typer.Option(None, "--controller", "-c", help="open, baseline or integrated"),
    fidelity: str = typer.Option("dynamic", "--fidelity", help="dynamic or fast"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object and nothing else"),
    sensors: str = typer.Option("typical", "--sensors", help="sensor set: ideal (the truth), typical (production ESC cluster, default) or poor"),
) -> None:
    """EPA 2-cycle (label, 0.7-adjusted) and WLTP ranges from simulated consumption."""
    try:
        from twinmotor.procedures.range import estimate_range
        from twinmotor.vehicle import load_vehicle

        v = load_vehicle(vehicle)
        from twinmotor.sensors import make_sensors

        out = estimate_range(v, controller, fidelity, sensors=make_sensors(sensors))
    except TwinmotorError as e:
        _fail(e)
        return
    if as_json:
        sys.stdout.write(json.dumps({"vehicle": v.name, "controller": controller, "fidelity": fidelity,
                                     "range": {k: round(x, 3) for k, x in out.items()}}) + "\n")
        return
    table = Table(title=f"range: {v.name}")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for k, x in out.items():
        table.add_row(k, f"{x:.1f}")
    console.print(table)


@app.command()
def compare(
    vehicles: Optional[list[str]] = typer.Argument(None, help="presets or TOML files (default: the four LEAF presets)"),
    tests: Optional[str] = typer.Option(None, "--tests", help="comma-separated tests (default: all)"),
    controllers: Optional[str] = typer.Option(None, "--controllers", help="comma-separated (default: baseline,integrated)"),
    surfaces: Optional[str] = typer.Option(None, "--surfaces", help="comma-separated surfaces for every test "
                                                                    "(default: each test's own list)"),
    out: Path = typer.Option(Path("out/compare"), "--out",
                             help="folder for report.html, results.parquet, results.csv, results.md"),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="awd_extra_cost_eur=3000, or a controller setting"),
    workers: Optional[int] = typer.Option(None, "--workers", help="parallel processes (default: all cores)"),
    sensors: str = typer.Option("typical", "--sensors", help="sensor set of every case: ideal, typical (default) or poor"),
    as_json: bool = typer.Option(False, "--json", help="print the results as one JSON object and nothing else"),
) -> None:
    """The cars through every test, side by side: console table, results files and an HTML report."""
    import time as _time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from twinmotor.report import write_comparison
    from twinmotor.report.cases import CaseResult, default_cases, run_cases

    try:
        from twinmotor.vehicle import parse_overrides

        extra = parse_overrides(set_ or [])
        cost = float(extra.pop("awd_extra_cost_eur", 3000.0))
        if not 0.0 <= cost <= 1e6:
            raise TwinmotorError(f"awd_extra_cost_eur = {cost!r} is out of range: allowed 0 to 1000000 EUR")
        settings = {"baseline": dict(extra), "integrated": dict(extra)} if extra else None
        if extra:
            from twinmotor.control.params import check_settings

            check_settings("compare --set", extra)
        from twinmotor.sensors import make_sensors

        make_sensors(sensors)
        cases = default_cases(vehicles or None, _split(tests), _split(controllers), _split(surfaces))
    except TwinmotorError as e:
        _fail(e)
        return
    t0 = _time.perf_counter()
    if as_json:
        results = run_cases(cases, workers, settings, sensors=sensors)
    else:
        columns = [TextColumn("[bold]compare"), BarColumn(), MofNCompleteColumn(), TextColumn("cases"),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), TextColumn("{task.fields[last]}")]
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("compare", total=len(cases), rate="", last="")

            def tick(r: CaseResult) -> None:
                done = bar.tasks[0].completed + 1
                rate = done / max(_time.perf_counter() - t0, 1e-9)
                bar.update(task, advance=1, rate=f"{rate:.1f} cases/s", last=r.case.label[:48])

            results = run_cases(cases, workers, settings, progress=tick, sensors=sensors)
    wall = _time.perf_counter() - t0
    command = "twinmotor compare " + " ".join(sys.argv[2:]) if len(sys.argv) > 1 else "twinmotor compare"
    df, report = write_comparison(results, out, command, cost, wall)
    if as_json:
        records = json.loads(df.to_json(orient="records"))
        sys.stdout.write(json.dumps({"cases": len(df), "wall_time_s": round(wall, 3), "report": str(report),
                                     "results": records}) + "\n")
        return
    _print_comparison(df)
    errors = int(df["error"].notna().sum())
    console.print(f"{len(df)} cases in {wall:.1f} s ({errors} failed). Report: [bold]{report}[/]; "
                  f"data: {out / 'results.parquet'}, {out / 'results.csv'}")


def _split(text: Optional[str]) -> Optional[list[str]]:
    return [t.strip() for t in text.split(",") if t.strip()] if text else None


def _print_comparison(df) -> None:
    """Vehicles (and controllers) as columns, the claim KPIs as rows (units in the row names), the
    best value in bold green."""
    from twinmotor.report.tables import claim_rows, fmt

    labels, rows = claim_rows(df)
    table = Table(title="twinmotor compare: key KPIs (every KPI is in the report)")
    table.add_column("KPI [unit]")
    for label in labels:
        table.add_column(label, justify="right")
    for what, vals, best in rows:
        table.add_row(escape(what), *[f"[bold green]{fmt(x)}[/]" if best is not None and x == best else fmt(x)
                                      for x in vals])
    console.print(table)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
