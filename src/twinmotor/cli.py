"""The `twinmotor` command line."""

from __future__ import annotations

import dataclasses
import json
import sys
from contextlib import contextmanager
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


#: exit statuses (see README, "What you can rely on")
EXIT_OK = 0
EXIT_FAILED = 1        # a simulation failed (diverged, a controller raised), or a compare case failed
EXIT_INPUT = 2         # bad input: a name, path, value or setting; nothing was simulated or written
EXIT_BUSY = 3          # the output folder is in use by another run
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)

PLOT_SUFFIXES = ("png", "svg", "pdf", "jpg", "jpeg", "eps", "ps", "tif", "tiff", "webp")


def _fail(err: Exception) -> None:
    # escape: messages quote user text and .tir section names like [MODEL], which rich would eat as
    # markup; soft_wrap: no line breaks inserted inside the message (it stays greppable)
    from twinmotor.errors import ControllerError, OutputError, SimulationDiverged

    err_console.print(f"[bold red]error:[/] {escape(str(err))}", soft_wrap=True)
    if isinstance(err, (SimulationDiverged, ControllerError)):
        raise typer.Exit(code=EXIT_FAILED)
    if isinstance(err, OutputError) and "is in use" in str(err):
        raise typer.Exit(code=EXIT_BUSY)
    raise typer.Exit(code=EXIT_INPUT)


def _interrupted(kept: str) -> None:
    err_console.print(f"[bold yellow]interrupted[/] (Ctrl-C): {escape(kept)}", soft_wrap=True)
    raise typer.Exit(code=EXIT_INTERRUPTED)


def _warn(text: str) -> None:
    err_console.print(f"[bold yellow]warning:[/] {escape(text)}", soft_wrap=True)


def parse_params(items: list[str] | None) -> dict:
    """`--param name=value` items as {name: value} (values read as TOML: 96.6, true, "ice")."""
    from twinmotor.vehicle import parse_overrides

    return parse_overrides(items or [], what="--param", example="speed_kmh=96.6")


def _save_plot(fig, path: Path) -> None:
    """Write a figure atomically: into a temporary file beside it, then renamed over it."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, format=path.suffix.lstrip(".").lower())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _print_events(res) -> None:
    for e in res.info.get("events", []):
        _warn(e["message"])


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
    ctl = make_controller(name, v, **ctl_settings)
    if hasattr(ctl, "user_settings"):
        from twinmotor.control.params import check_settings_apply

        check_settings_apply(name, v, ctl.user_settings)
    return v, ctl


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
    param: Optional[list[str]] = typer.Option(None, "--param", "-p",
                                              help="name=value: a parameter of the test (e.g. speed_kmh=96.6 for brake)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object and nothing else"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="save the test's plot to this file (png, svg, pdf)"),
    sensors: str = typer.Option("typical", "--sensors", help="sensor set: ideal (the truth), typical (production ESC cluster, default) or poor"),
    seeds: int = typer.Option(1, "--seeds", help="repeat over this many sensor seeds and report median and 5-95th percentiles"),
) -> None:
    """Run one standard test on one vehicle."""
    try:
        from twinmotor.api import simulate
        from twinmotor.procedures import make_procedure
        from twinmotor.road import make_road
        from twinmotor.sensors import make_sensors

        procedure = make_procedure(test, parse_params(param))
        make_road(surface)
        if plot is not None:
            from twinmotor.report.output import check_output_file

            plot = check_output_file(plot, "--plot", PLOT_SUFFIXES)
        v, ctl = vehicle_and_controller(vehicle, controller, set_)
        sensor_set = make_sensors(sensors)
        if seeds != 1:
            from twinmotor.api import simulate_seeds

            runs, summary = simulate_seeds(v, procedure, ctl, surface, seeds=seeds, sensors=sensor_set)
            _print_ensemble(test, v.name, seeds, runs, summary, as_json)
            return
        res = simulate(v, procedure, ctl, surface, sensors=sensor_set)
    except TwinmotorError as e:
        _fail(e)
        return
    except KeyboardInterrupt:
        _interrupted("the run was stopped; nothing was written")
        return
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        _save_plot(res.plot(), plot)
    if as_json:
        sys.stdout.write(res.to_json() + "\n")
        _print_events(res)
        return
    _print_result(res)
    _print_events(res)
    if plot is not None:
        console.print(f"plot saved to {plot}")


@app.command()
def cycle(
    name: str = typer.Argument(..., help="udds, hwfet, wltc, nedc, us06, or a CSV file (time_s, speed_kmh[, grade_pct])"),
    vehicle: str = typer.Option("leaf-e-plus", "--vehicle", "-v", help="preset name or TOML file"),
    controller: Optional[str] = typer.Option(None, "--controller", "-c", help="open, baseline or integrated"),
    fidelity: str = typer.Option("dynamic", "--fidelity", help="dynamic (full model) or fast (quasi-static)"),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="key=value: vehicle parameter path or controller setting"),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="name=value: soc_start=0.5"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object and nothing else"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="save the energy breakdown plot to this file"),
    sensors: str = typer.Option("typical", "--sensors", help="sensor set: ideal (the truth), typical (production ESC cluster, default) or poor"),
) -> None:
    """Drive a cycle: energy per 100 km, regeneration, losses, trace error."""
    try:
        from twinmotor.api import simulate
        from twinmotor.procedures.drive_cycle import DriveCycle

        params = parse_params(param)
        if "fidelity" in params:
            raise TwinmotorError("--param fidelity: use the --fidelity option")
        procedure = DriveCycle(name, fidelity, **{k: v for k, v in params.items() if k == "soc_start"})
        unknown = [k for k in params if k != "soc_start"]
        if unknown:
            raise TwinmotorError(f"cycle: unknown parameter {', '.join(map(repr, unknown))}; its parameters: soc_start "
                                 "(state of charge at the start, 0 to 1)")
        if plot is not None:
            from twinmotor.report.output import check_output_file

            plot = check_output_file(plot, "--plot", PLOT_SUFFIXES)
        v, ctl = vehicle_and_controller(vehicle, controller, set_)
        from twinmotor.sensors import make_sensors

        res = simulate(v, procedure, ctl, sensors=make_sensors(sensors))
    except TwinmotorError as e:
        _fail(e)
        return
    except KeyboardInterrupt:
        _interrupted("the run was stopped; nothing was written")
        return
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        from twinmotor.plotting.energy import energy_breakdown

        _save_plot(energy_breakdown([res]), plot)
    if as_json:
        sys.stdout.write(res.to_json() + "\n")
        _print_events(res)
        return
    _print_result(res)
    _print_events(res)


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
        if controller is not None:
            from twinmotor.control import make_controller

            make_controller(controller, v)
        from twinmotor.sensors import make_sensors

        out = estimate_range(v, controller, fidelity, sensors=make_sensors(sensors))
    except TwinmotorError as e:
        _fail(e)
        return
    except KeyboardInterrupt:
        _interrupted("the run was stopped; nothing was written")
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
    param: Optional[list[str]] = typer.Option(None, "--param", "-p",
                                              help="TEST.name=value (brake.speed_kmh=96.6), or name=value for every "
                                                   "chosen test that has that parameter"),
    allow_failures: bool = typer.Option(False, "--allow-failures",
                                        help="exit 0 even when some cases failed (they are in the results' error column)"),
    workers: Optional[int] = typer.Option(None, "--workers", help="worker processes of the local Dask cluster "
                                                                  "(default: all cores)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="tcp://HOST:PORT of a running Dask scheduler "
                                                                      "(default: a local cluster)"),
    sensors: str = typer.Option("typical", "--sensors", help="sensor set of every case: ideal, typical (default) or poor"),
    as_json: bool = typer.Option(False, "--json", help="print the results as one JSON object and nothing else"),
) -> None:
    """The cars through every test, side by side: console table, results files and an HTML report.

    Everything is checked before the first simulation; the results are written into a staging folder
    beside --out and moved into place in one step, so --out holds either the previous complete
    results or the new ones. Exit status 1 when a case failed (unless --allow-failures)."""
    import time as _time

    from twinmotor.report import write_comparison
    from twinmotor.report.cases import run_cases
    from twinmotor.report.output import check_output_folder, discard, output_lock, publish, staging_folder

    try:
        cases, settings, cost, notes = _compare_plan(vehicles, tests, controllers, surfaces, set_, param, workers)
        out = check_output_folder(out)
        from dataclasses import replace as _replace

        from twinmotor.sensors import make_sensors

        make_sensors(sensors)
        cases = [_replace(c, sensors=sensors) for c in cases]
    except TwinmotorError as e:
        _fail(e)
        return
    for note in notes:
        _warn(note)
    t0 = _time.perf_counter()
    staging = None
    try:
        with output_lock(out):
            if as_json:
                results = run_cases(cases, workers, settings, scheduler=scheduler)
            else:
                with progress_display("compare", len(cases)) as tick:
                    results = run_cases(cases, workers, settings, scheduler=scheduler,
                                        progress=lambda r: tick(r.error is None, r.case.label))
            wall = _time.perf_counter() - t0
            command = "twinmotor compare " + " ".join(sys.argv[2:]) if len(sys.argv) > 1 else "twinmotor compare"
            staging = staging_folder(out)
            df, _report = write_comparison(results, staging, command, cost, wall)
            publish(staging, out)
            staging = None
    except TwinmotorError as e:
        if staging is not None:
            discard(staging)
        _fail(e)
        return
    except KeyboardInterrupt:
        if staging is not None:
            discard(staging)
        _interrupted(f"no new results were written; {out} holds the previous results, if any, unchanged")
        return
    except OSError as e:
        if staging is not None:
            discard(staging)
        _fail(TwinmotorError(f"--out = '{out}': writing the results failed: {e.strerror or e}; the previous results "
                             "are kept"))
        return
    report = out / "report.html"
    errors = int(df["error"].notna().sum())
    if as_json:
        records = json.loads(df.to_json(orient="records"))
        sys.stdout.write(json.dumps({"cases": len(df), "failed": errors, "wall_time_s": round(wall, 3),
                                     "report": str(report), "results": records}) + "\n")
    else:
        _print_comparison(df)
        console.print(f"{len(df)} cases in {wall:.1f} s ({errors} failed). Report: [bold]{report}[/]; "
                      f"data: {out / 'results.parquet'}, {out / 'results.csv'}")
    if errors:
        for _, row in df[df["error"].notna()].iterrows():
            err_console.print(f"[red]failed:[/] {escape(row['vehicle'])} / {escape(row['controller'])} / "
                              f"{escape(row['test'])} / {escape(row['surface'])}: {escape(str(row['error']))}",
                              soft_wrap=True)
        if not allow_failures:
            raise typer.Exit(code=EXIT_FAILED)


def _compare_plan(vehicles, tests, controllers, surfaces, set_, param, workers):
    """Check every name, path and setting of a comparison before any simulation; returns the cases,
    the controller settings, the AWD extra cost and notes for the user."""
    from twinmotor.control import CONTROLLERS, make_controller
    from twinmotor.control.params import TWIN_MOTOR_ONLY
    from twinmotor.procedures import make_procedure, procedure_class, procedure_parameters
    from twinmotor.report.cases import DEFAULT_TESTS, default_cases
    from twinmotor.road import make_road
    from twinmotor.vehicle import load_vehicle, parse_overrides

    if workers is not None and not 1 <= workers <= 256:
        raise TwinmotorError(f"--workers = {workers!r} is out of range: allowed 1 to 256 processes")
    extra = parse_overrides(set_ or [])
    cost = extra.pop("awd_extra_cost_eur", 3000.0)
    if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not 0.0 <= cost <= 1e6:
        raise TwinmotorError(f"awd_extra_cost_eur = {cost!r} is out of range: allowed 0 to 1000000 EUR")
    test_list = _split(tests) or list(DEFAULT_TESTS)
    for t in test_list:
        procedure_class(t)
    ctl_list = _split(controllers) or None
    for c in ctl_list or []:
        if c not in CONTROLLERS:
            raise TwinmotorError(f"--controllers: controller = {c!r} is unknown: choose from {', '.join(CONTROLLERS)}")
    surface_list = _split(surfaces)
    for sname in surface_list or []:
        make_road(sname)
    # test parameters: TEST.name=value for one test, name=value for every chosen test that has it
    per_test: dict[str, dict] = {t: {} for t in test_list}
    for key, value in parse_params(param).items():
        test, _, name = key.rpartition(".")
        if test:
            if test not in per_test:
                raise TwinmotorError(f"--param {key}={value!r}: test {test!r} is not among the chosen tests "
                                     f"({', '.join(test_list)})")
            per_test[test][name] = value
        else:
            takers = [t for t in test_list if name in procedure_parameters(t)]
            if not takers:
                raise TwinmotorError(f"--param {key}={value!r}: none of the chosen tests ({', '.join(test_list)}) has a "
                                     f"parameter {name!r}")
            for t in takers:
                per_test[t][name] = value
    for t, params in per_test.items():
        make_procedure(t, params)  # validates each value, naming the test and the range
    cases = default_cases(vehicles or None, test_list, ctl_list, surface_list)
    cases = [dataclasses.replace(c, params=tuple(sorted(per_test[c.test].items()))) for c in cases]
    if not cases:
        raise TwinmotorError("compare: no cases to run (the integrated controller runs only on twin-motor cars; "
                             "choose --controllers baseline or an AWD car)")
    notes = []
    settings = None
    if extra:
        names = sorted({c.controller for c in cases})
        settings = {name: dict(extra) for name in names}
        for name in names:
            make_controller(name, None, **extra)  # unknown setting or value out of range: an error now
        idle = [k for k in extra if k in TWIN_MOTOR_ONLY]
        one_motor = sorted({c.vehicle for c in cases
                            if load_vehicle(c.vehicle).powertrain.front is None or load_vehicle(c.vehicle).powertrain.rear is None})
        if idle and one_motor:
            notes.append(f"--set {', '.join(idle)} does nothing on the one-motor car(s) {', '.join(one_motor)}: "
                         "it is applied to the twin-motor cars only")
    return cases, settings, float(cost), notes


@app.command()
def study(
    file: Path = typer.Argument(..., help="study file (TOML), e.g. studies/front-motor-size.toml"),
    out: Optional[Path] = typer.Option(None, "--out", help="folder for the dataset and summary.html "
                                                           "(default: out/study/FILE-NAME)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="tcp://HOST:PORT of a running Dask scheduler "
                                                                      "(default: a local cluster on every core)"),
    workers: Optional[int] = typer.Option(None, "--workers", help="worker processes of the local cluster"),
    show_status: bool = typer.Option(False, "--status", help="say what is done and what is missing; run nothing"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object and nothing else"),
) -> None:
    """Run a design study: every missing case on Dask, each written as it finishes; then the summary."""
    from twinmotor.study import load_study, plan_study, run_study, status

    try:
        spec = load_study(file)
        plan = plan_study(spec, out or Path("out/study") / spec.slug)
        if show_status:
            st = status(plan)
            if as_json:
                sys.stdout.write(json.dumps(st) + "\n")
                return
            _print_status(st)
            return
        if as_json:
            outcome = run_study(plan, scheduler, workers)
        else:
            console.print(f"[bold]{escape(spec.name)}[/]: {spec.method} design, {len(plan.design.points)} points, "
                          f"{len(plan.cases)} cases ({len(plan.keys)} distinct); dataset {plan.dataset}")
            state = {}

            def start(to_run: int, done: int) -> None:
                console.print(f"{done} cases already in the dataset, {to_run} to run")
                if to_run:
                    state["cm"] = progress_display("study", to_run)
                    state["tick"] = state["cm"].__enter__()

            try:
                outcome = run_study(plan, scheduler, workers, progress=lambda ok, label: state["tick"](ok, label),
                                    on_start=start)
            finally:
                if "cm" in state:
                    state["cm"].__exit__(None, None, None)
    except TwinmotorError as e:
        _fail(e)
        return
    if as_json:
        sys.stdout.write(json.dumps({"study": spec.name, "cases": outcome.total, "distinct": outcome.distinct,
                                     "already_done": outcome.already_done, "computed": len(outcome.ran),
                                     "computed_keys": outcome.ran, "found_written": len(outcome.found_written),
                                     "failed": len(outcome.failed),
                                     "lost": len(outcome.lost), "wall_time_s": round(outcome.wall_time_s, 3),
                                     "dataset": str(plan.dataset), "summary": str(outcome.summary)}) + "\n")
        return
    console.print(f"computed {len(outcome.ran)} cases ({len(outcome.failed)} failed, {len(outcome.lost)} lost with "
                  f"their worker) in {outcome.wall_time_s:.1f} s; {outcome.already_done} were already done. "
                  f"Summary: [bold]{outcome.summary}[/]")
    if outcome.lost:
        console.print("run the study again to compute the lost cases")


def _print_status(st: dict) -> None:
    table = Table(title=f"study {st['study']}: {st['done']} of {st['distinct']} distinct cases done "
                        f"({st['cases']} cases, {st['points']} design points)")
    for col in ("procedure / surface", "distinct", "done", "failed", "missing"):
        table.add_column(col, justify="left" if col.startswith("procedure") else "right")
    for name, c in st["per_procedure"].items():
        table.add_row(escape(name), str(c["distinct"]), str(c["done"]), str(c["failed"]), str(c["missing"]))
    console.print(table)
    verdict = "all cases done" if st["missing"] == 0 else f"{st['missing']} cases missing"
    console.print(f"{verdict}; dataset {st['dataset']}")


@contextmanager
def progress_display(title: str, total: int, done: int = 0):
    """A progress bar on the console for a run of cases: done, failed, remaining and ETA; yields
    tick(ok, label), to call as each case finishes."""
    from rich.progress import BarColumn, Progress, TextColumn

    from twinmotor.engine import Tally

    tally = Tally(total)
    columns = [TextColumn(f"[bold]{escape(title)}"), BarColumn(), TextColumn("{task.fields[tally]}"),
               TextColumn("{task.fields[last]}")]
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(title, total=total, tally=tally.text(), last="")

        def tick(ok: bool, label: str) -> None:
            if ok:
                tally.done += 1
            else:
                tally.failed += 1
            bar.update(task, advance=1, tally=tally.text(), last=escape(label[:48]))

        yield tick


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
