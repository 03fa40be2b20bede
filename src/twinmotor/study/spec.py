"""The study file (TOML): what to vary, over which cars, controllers, procedures and surfaces, and how.

    name = "front motor size and mass"
    vehicles = ["leaf-e-plus-awd"]            # presets or vehicle files
    controllers = ["integrated"]              # default: each car's own default
    procedures = ["accel", "lane-change", "cycle-wltc"]
    surfaces = ["dry", "wet"]                 # every procedure on every surface (default: dry)
    cycles = ["udds"]                         # optional: same as procedures "cycle-udds"
    sensors = "typical"                       # or "ideal" (the truth) or "poor", with sensor_seed = 0

    [step]                                    # optional: the plant step and the controller's rate
    dt_s = 0.002                              # (default 0.001 s and 1000 Hz; 2 ms halves the cost,
    controller_rate_hz = 500                  #  KPIs within the tolerances of tests/integration/test_step.py)

    [factors]                                 # any vehicle parameter path or controller setting,
    "powertrain.front.motor.peak_torque_nm" = { values = [170, 255, 340] }   # levels
    "mass_kg" = { range = [1850, 2000] }      # uniform; a grid needs levels = N
    "split_front" = { distribution = "normal", mean = 0.5, sd = 0.05 }       # or uniform, triangular
    vehicle = { values = ["leaf-e-plus-awd", "leaf-nismo-rc"] }   # a choice among presets

    [design]
    method = "lhs"                            # grid, lhs, sobol, montecarlo, saltelli
    samples = 12                              # lhs/sobol/montecarlo: points; saltelli: base samples N
    seed = 1

    [[objectives]]                            # optional: default from the procedures
    procedure = "accel"
    surface = "wet"
    kpi = "t_0_100_kmh_s"
    goal = "min"

Every mistake is refused before any run with the file, the line, the field, the value given and
what is allowed (`StudyFileError`).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twinmotor.errors import ParameterError
from twinmotor.simulation.stability import MAX_PLANT_STEP_S

METHODS = ("grid", "lhs", "sobol", "montecarlo", "saltelli")
DISTRIBUTIONS = ("uniform", "normal", "triangular")
#: samples of a design, at most (a study of more cases is better split)
MAX_SAMPLES = 100_000
TOP_KEYS = {"name", "vehicles", "controllers", "procedures", "surfaces", "cycles", "sensors", "sensor_seed", "factors",
            "design", "objectives", "step"}
#: the plant step [s] and controller rate [Hz] of every run unless the study's [step] says otherwise
DEFAULT_DT_S = 1e-3
DEFAULT_CONTROLLER_RATE_HZ = 1000.0
FACTOR_KEYS = {"values", "range", "levels", "distribution", "mean", "sd", "mode"}
#: factors that choose among names rather than set a parameter
CHOICE_FACTORS = ("vehicle", "controller")


class StudyFileError(ParameterError):
    """A study file is wrong: the message names the file, the line, the field, the value and what is allowed."""


@dataclass
class Factor:
    """One factor of a study: a vehicle parameter path, a controller setting, or a choice (vehicle, controller)."""

    name: str
    kind: str            # "vehicle", "controller" (a setting), "choice"
    values: list | None = None               # discrete levels
    low: float | None = None                 # uniform range (or triangular bounds)
    high: float | None = None
    levels: int | None = None                # grid points of a range
    distribution: str = "uniform"
    mean: float | None = None
    sd: float | None = None
    mode: float | None = None
    line: int = 0

    @property
    def discrete(self) -> bool:
        return self.values is not None

    def from_unit(self, u: float):
        """The factor's value at u in [0, 1): a level (discrete), or the inverse of its distribution."""
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        from scipy import stats

        u = min(max(u, 1e-12), 1.0 - 1e-12)
        if self.distribution == "normal":
            return float(stats.norm(self.mean, self.sd).ppf(u))
        if self.distribution == "triangular":
            c = (self.mode - self.low) / (self.high - self.low)
            return float(stats.triang(c, loc=self.low, scale=self.high - self.low).ppf(u))
        return float(self.low + u * (self.high - self.low))

    def grid_values(self) -> list:
        """The levels of a full grid."""
        if self.values is not None:
            return list(self.values)
        n = self.levels or 0
        if self.distribution == "uniform":
            return [float(self.low + (self.high - self.low) * k / (n - 1)) for k in range(n)] if n > 1 else [self.low]
        return [self.from_unit((k + 1) / (n + 1)) for k in range(n)]

    def extremes(self) -> list:
        """Values to check against the schema before any run: every level, or the ends of the range
        (a normal distribution: mean +- 4 sd)."""
        if self.values is not None:
            return list(self.values)
        if self.distribution == "normal":
            return [self.mean - 4.0 * self.sd, self.mean + 4.0 * self.sd]
        return [self.low, self.high]


@dataclass
class Objective:
    procedure: str
    surface: str
    kpi: str
    goal: str  # "min" or "max"
    line: int = 0

    @property
    def label(self) -> str:
        return f"{self.procedure} {self.surface}: {self.kpi}"


@dataclass
class Study:
    """A parsed and checked study file."""

    name: str
    path: Path
    vehicles: list[str]
    controllers: list[str]           # empty: each vehicle's default controller
    procedures: list[str]
    surfaces: list[str]
    factors: list[Factor]
    method: str
    samples: int
    seed: int
    objectives: list[Objective]
    sensors: str = "typical"
    sensor_seed: int = 0
    dt_s: float = DEFAULT_DT_S
    controller_rate_hz: float = DEFAULT_CONTROLLER_RATE_HZ
    text: str = field(default="", repr=False)

    @property
    def slug(self) -> str:
        return self.path.stem


# ---------------------------------------------------------------------------------------- lines

def _key_pattern(key: str) -> re.Pattern:
    return re.compile(r'^\s*(?:"' + re.escape(key) + r'"|\'' + re.escape(key) + r'\'|' + re.escape(key) + r')\s*=')


def line_of(text: str, key: str, section: str | None = None, nth: int = 0) -> int:
    """1-based line of `key = ...` in `[section]` (None: the top level; `[[section]]` tables count
    from 0 by nth), or of the section header when the key is not there; 0 when not found."""
    lines = text.splitlines()
    current: str | None = None
    count = -1
    header_line = 0
    pat = _key_pattern(key) if key else None
    for no, raw in enumerate(lines, start=1):
        s = raw.strip()
        m = re.match(r"^\[\[\s*([^\]]+?)\s*\]\]", s) or re.match(r"^\[\s*([^\]]+?)\s*\]", s)
        if m:
            current = m.group(1).strip().strip('"')
            if current == section:
                count += 1
                if count == nth:
                    header_line = no
            continue
        if current == section and (section is None or count == nth) and pat is not None and pat.match(raw):
            return no
    return header_line


class _Where:
    """Says where a field is, for messages."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def error(self, field_name: str, message: str, key: str, section: str | None = None, nth: int = 0,
              line: int | None = None) -> StudyFileError:
        no = line if line is not None else line_of(self.text, key, section, nth)
        where = f"{self.path}:{no}" if no else str(self.path)
        return StudyFileError(f"{where}: {field_name}: {message}")


# ---------------------------------------------------------------------------------------- parsing

def _names(data: dict, key: str, w: _Where, required: bool, default: list[str] | None = None) -> list[str]:
    if key not in data:
        if required:
            raise w.error(key, f"missing: give a list of names, e.g. {key} = [...]", "")
        return list(default or [])
    v = data[key]
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise w.error(key, f"= {v!r} is not a list of names", key)
    if required and not v:
        raise w.error(key, "= [] is empty: name at least one", key)
    return list(dict.fromkeys(v))


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def load_study(path: str | Path) -> Study:
    """Read and check a study file; raises StudyFileError naming the line and field of any mistake,
    before anything runs. Factor values are checked against the vehicle schema and the controller
    settings' ranges (twinmotor.study.cases does that: see check_study)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise StudyFileError(f"study file '{path}' cannot be read: {err.strerror or err}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise StudyFileError(f"{path}: not valid TOML: {err}") from None
    w = _Where(path, text)
    for key in data:
        if key not in TOP_KEYS:
            raise w.error(key, f"unknown field; allowed: {', '.join(sorted(TOP_KEYS))}", key)
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise w.error("name", f"= {name!r} is not a non-empty text", "name")

    factors = _factors(data.get("factors", {}), w)
    choice = {f.name for f in factors if f.kind == "choice"}
    vehicles = _names(data, "vehicles", w, required="vehicle" not in choice)
    if "vehicle" in choice and vehicles:
        raise w.error("vehicles", "give the vehicles either here or as the factor `vehicle`, not both", "vehicles")
    controllers = _names(data, "controllers", w, required=False)
    if "controller" in choice and controllers:
        raise w.error("controllers", "give the controllers either here or as the factor `controller`, not both",
                      "controllers")
    procedures = _names(data, "procedures", w, required=False)
    cycles = _names(data, "cycles", w, required=False)
    procedures += [f"cycle-{c}" for c in cycles if f"cycle-{c}" not in procedures]
    if not procedures:
        raise w.error("procedures", "no procedure: name at least one in procedures (or cycles)", "procedures")
    surfaces = _names(data, "surfaces", w, required=False, default=["dry"]) or ["dry"]
    _check_names(vehicles, controllers, procedures, cycles, surfaces, factors, w)

    sensors = data.get("sensors", "typical")
    if sensors not in ("ideal", "typical", "poor"):
        raise w.error("sensors", f"= {sensors!r} is unknown: choose 'ideal', 'typical' or 'poor'", "sensors")
    sensor_seed = data.get("sensor_seed", 0)
    if not isinstance(sensor_seed, int) or isinstance(sensor_seed, bool) or not 0 <= sensor_seed < 2**31:
        raise w.error("sensor_seed", f"= {sensor_seed!r} is out of range: allowed a whole number 0 to 2147483647",
                      "sensor_seed")

    dt_s, rate_hz = _step(data.get("step"), procedures, w)
    method, samples, seed = _design(data.get("design"), factors, w)
    objectives = _objectives(data.get("objectives"), procedures, surfaces, w)
    return Study(name=name, path=path, vehicles=vehicles, controllers=controllers, procedures=procedures,
                 surfaces=surfaces, factors=factors, method=method, samples=samples, seed=seed,
                 objectives=objectives, sensors=sensors, sensor_seed=sensor_seed, dt_s=dt_s,
                 controller_rate_hz=rate_hz, text=text)


def _step(table: Any, procedures: list[str], w: _Where) -> tuple[float, float]:
    """The [step] table: plant step dt_s [s] and controller rate [Hz], the rate a whole divisor of
    the plant's, the step no longer than each procedure allows (its max_dt_s: shorter for the
    tests that rest on wheel-slip control by the brakes, simulation.stability)."""
    if table is None:
        return DEFAULT_DT_S, DEFAULT_CONTROLLER_RATE_HZ
    if not isinstance(table, dict):
        raise w.error("step", "must be a table [step] with dt_s and controller_rate_hz", "step")
    unknown = set(table) - {"dt_s", "controller_rate_hz"}
    if unknown:
        k = sorted(unknown)[0]
        raise w.error(f"step.{k}", "unknown key; allowed: dt_s, controller_rate_hz", k, "step")
    dt = table.get("dt_s", DEFAULT_DT_S)
    if isinstance(dt, bool) or not isinstance(dt, (int, float)) or not 1e-4 <= dt <= MAX_PLANT_STEP_S:
        raise w.error("step.dt_s", f"= {dt!r} is out of range: allowed 0.0001 to {MAX_PLANT_STEP_S:g} s", "dt_s", "step")
    from twinmotor.procedures import make_procedure
    from twinmotor.procedures.base import check_procedure_step

    for name in procedures:
        try:
            check_procedure_step(make_procedure(name), float(dt))
        except ParameterError as err:
            raise w.error("step.dt_s", f"procedure {name!r}: {err}", "dt_s", "step") from None
    rate = table.get("controller_rate_hz", min(DEFAULT_CONTROLLER_RATE_HZ, 1.0 / dt))
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 1.0 <= rate <= 10000.0:
        raise w.error("step.controller_rate_hz", f"= {rate!r} is out of range: allowed 1 to 10000 Hz",
                      "controller_rate_hz", "step")
    every = round(1.0 / (rate * dt))
    if every < 1 or abs(every * dt * rate - 1.0) > 1e-6:
        raise w.error("step.controller_rate_hz", f"= {rate!r} Hz does not divide the plant rate {1.0 / dt:g} Hz "
                      f"(dt_s = {dt!r}): allowed {1.0 / dt:g} Hz divided by a whole number", "controller_rate_hz",
                      "step")
    return float(dt), float(rate)


def _check_names(vehicles, controllers, procedures, cycles, surfaces, factors, w: _Where) -> None:
    from twinmotor.control import CONTROLLERS
    from twinmotor.cycles import list_cycles, load_cycle
    from twinmotor.procedures import PROCEDURES
    from twinmotor.road import make_road
    from twinmotor.vehicle import load_vehicle

    for v in vehicles:
        try:
            load_vehicle(v)
        except ParameterError as err:
            raise w.error("vehicles", str(err), "vehicles") from None
    for c in controllers:
        if c not in CONTROLLERS:
            raise w.error("controllers", f"{c!r} is unknown: choose among {', '.join(CONTROLLERS)}", "controllers")
    shipped = list_cycles()
    for p in procedures:
        if p.startswith("cycle-"):
            cyc = p[len("cycle-"):]
            try:
                load_cycle(cyc)
            except ParameterError as err:
                key = "cycles" if cyc in cycles else "procedures"
                raise w.error(key, f"cycle {cyc!r}: {err} (shipped: {', '.join(shipped)})", key) from None
        elif p not in PROCEDURES:
            raise w.error("procedures", f"{p!r} is unknown: choose among {', '.join(PROCEDURES)} or cycle-NAME",
                          "procedures")
    for s in surfaces:
        try:
            make_road(s)
        except ParameterError as err:
            raise w.error("surfaces", str(err), "surfaces") from None
    for f in factors:
        if f.name == "vehicle":
            for v in f.values:
                try:
                    load_vehicle(v)
                except ParameterError as err:
                    raise w.error('factors."vehicle".values', str(err), "", line=f.line) from None
        if f.name == "controller":
            for c in f.values:
                if c not in CONTROLLERS:
                    raise w.error('factors."controller".values', f"{c!r} is unknown: choose among "
                                  f"{', '.join(CONTROLLERS)}", "", line=f.line)


def _factors(table: Any, w: _Where) -> list[Factor]:
    from twinmotor.control.params import SETTINGS

    if not isinstance(table, dict):
        raise w.error("factors", "must be a table [factors] of name = { ... }", "factors")
    out = []
    for name, spec in table.items():
        line = line_of(w.text, name, "factors")
        fld = f'factors."{name}"'

        def err(msg: str, fld=fld, line=line) -> StudyFileError:
            return w.error(fld, msg, "", line=line)

        if not isinstance(spec, dict):
            raise err(f"= {spec!r}: give an inline table, e.g. {{ values = [1, 2] }} or {{ range = [1, 2] }}")
        unknown = set(spec) - FACTOR_KEYS
        if unknown:
            raise err(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(FACTOR_KEYS))}")
        kind = "choice" if name in CHOICE_FACTORS else ("controller" if name in SETTINGS else "vehicle")
        f = Factor(name=name, kind=kind, line=line)
        if kind == "choice" and "values" not in spec:
            raise err(f"a choice among {name}s takes values = [...] (names)")
        if "values" in spec:
            vals = spec["values"]
            if not isinstance(vals, list) or not vals:
                raise err(f"values = {vals!r} is empty: give at least one value")
            if set(spec) - {"values"}:
                raise err("values = [...] takes no other keys (range, distribution, ...)")
            if kind == "choice" and not all(isinstance(v, str) for v in vals):
                raise err(f"values = {vals!r}: a choice of {name} takes names")
            f.values = list(dict.fromkeys(vals)) if all(isinstance(v, (str, int, float)) for v in vals) else vals
        else:
            dist = spec.get("distribution", "uniform")
            if dist not in DISTRIBUTIONS:
                raise err(f"distribution = {dist!r} is unknown: choose among {', '.join(DISTRIBUTIONS)}")
            f.distribution = dist
            if dist == "normal":
                mean, sd = spec.get("mean"), spec.get("sd")
                if not _number(mean):
                    raise err(f"mean = {mean!r}: a normal distribution needs a finite number mean (the factor's unit)")
                if not (_number(sd) and sd > 0):
                    raise err(f"sd = {sd!r} is out of range: allowed a number > 0 (the factor's unit)")
                f.mean, f.sd = float(mean), float(sd)
            else:
                rng = spec.get("range")
                if not (isinstance(rng, list) and len(rng) == 2 and all(_number(x) for x in rng)):
                    raise err(f"range = {rng!r}: give two finite numbers [low, high]")
                if not rng[0] < rng[1]:
                    raise err(f"range = {rng!r} is empty: the low end must be below the high end")
                f.low, f.high = float(rng[0]), float(rng[1])
                if dist == "triangular":
                    mode = spec.get("mode")
                    if not (_number(mode) and f.low <= mode <= f.high):
                        raise err(f"mode = {mode!r} is out of range: allowed {f.low:g} to {f.high:g}")
                    f.mode = float(mode)
            if "levels" in spec:
                lv = spec["levels"]
                if not isinstance(lv, int) or isinstance(lv, bool) or not 2 <= lv <= 1000:
                    raise err(f"levels = {lv!r} is out of range: allowed a whole number 2 to 1000")
                f.levels = lv
        out.append(f)
    return out


def _design(table: Any, factors: list[Factor], w: _Where) -> tuple[str, int, int]:
    if table is None:
        table = {"method": "grid"}
    if not isinstance(table, dict):
        raise w.error("design", "must be a table [design] with method, samples, seed", "design")
    unknown = set(table) - {"method", "samples", "seed"}
    if unknown:
        k = sorted(unknown)[0]
        raise w.error(f"design.{k}", "unknown key; allowed: method, samples, seed", k, "design")
    method = table.get("method", "grid")
    if method not in METHODS:
        raise w.error("design.method", f"= {method!r} is unknown: choose among {', '.join(METHODS)}", "method", "design")
    seed = table.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise w.error("design.seed", f"= {seed!r} is out of range: allowed a whole number 0 to 4294967295", "seed",
                      "design")
    samples = table.get("samples")
    if method == "grid":
        if samples is not None:
            raise w.error("design.samples", "a full grid has no samples: it takes every level of every factor",
                          "samples", "design")
        for f in factors:
            if not f.discrete and f.levels is None:
                raise w.error(f'factors."{f.name}".levels', "a range or distribution in a grid design needs "
                              "levels = N (grid points, 2 to 1000)", "", line=f.line)
        n = 1
        for f in factors:
            n *= len(f.grid_values())
        if n > MAX_SAMPLES:
            raise w.error("design", f"the full grid has {n} points: allowed at most {MAX_SAMPLES}", "method", "design")
        return method, n, seed
    if not factors:
        raise w.error("design.method", f"= {method!r} samples factors, but [factors] is empty", "method", "design")
    if not (isinstance(samples, int) and not isinstance(samples, bool)) or not 1 <= samples <= MAX_SAMPLES:
        raise w.error("design.samples", f"= {samples!r} is out of range: allowed a whole number 1 to {MAX_SAMPLES}",
                      "samples", "design")
    if method in ("sobol", "saltelli") and samples & (samples - 1):
        low = 1 << (samples.bit_length() - 1)
        raise w.error("design.samples", f"= {samples} is not a power of two, which a {method} design needs for its "
                      f"balance properties: use {low} or {low * 2}", "samples", "design")
    if method == "saltelli" and len(factors) < 2:
        raise w.error("design.method", "a saltelli design (Sobol indices) needs at least two factors", "method", "design")
    for f in factors:
        if f.levels is not None:
            raise w.error(f'factors."{f.name}".levels', f"levels is for grid designs; a {method} design samples "
                          "the range", "", line=f.line)
    return method, samples, seed


GOALS = ("min", "max")


def default_objectives(procedures: list[str], surfaces: list[str]) -> list[Objective]:
    """What a study optimises when the file names no objectives: 0-100 km/h (min), energy on each
    cycle (min), the highest clean lane-change entry speed (max), 100-0 km/h stopping distance (min),
    on the last surface listed for the dynamic tests (wet when given after dry) and the first for cycles."""
    wettest = surfaces[-1]
    out = []
    for p in procedures:
        if p == "accel":
            out.append(Objective(p, wettest, "t_0_100_kmh_s", "min"))
        elif p == "lane-change":
            out.append(Objective(p, wettest, "max_entry_speed_kmh", "max"))
        elif p == "brake":
            out.append(Objective(p, wettest, "stopping_distance_m", "min"))
        elif p.startswith("cycle-"):
            out.append(Objective(p, surfaces[0], "energy_kwh_per_100km", "min"))
    return out


def _objectives(items: Any, procedures: list[str], surfaces: list[str], w: _Where) -> list[Objective]:
    if items is None:
        return default_objectives(procedures, surfaces)
    if not isinstance(items, list):
        raise w.error("objectives", "give [[objectives]] tables with procedure, surface, kpi, goal", "objectives")
    out = []
    for n, o in enumerate(items):
        line = line_of(w.text, "", "objectives", n)
        fld = f"objectives[{n}]"
        missing = [k for k in ("procedure", "kpi", "goal") if k not in o]
        if missing:
            raise w.error(fld, f"missing {', '.join(missing)}", "", line=line)
        if o["procedure"] not in procedures:
            raise w.error(f"{fld}.procedure", f"= {o['procedure']!r} is not one of the study's procedures "
                          f"({', '.join(procedures)})", "procedure", "objectives", n)
        surface = o.get("surface", surfaces[0])
        if surface not in surfaces:
            raise w.error(f"{fld}.surface", f"= {surface!r} is not one of the study's surfaces ({', '.join(surfaces)})",
                          "surface", "objectives", n)
        if o["goal"] not in GOALS:
            raise w.error(f"{fld}.goal", f"= {o['goal']!r} is unknown: choose 'min' or 'max'", "goal", "objectives", n)
        if not isinstance(o["kpi"], str):
            raise w.error(f"{fld}.kpi", f"= {o['kpi']!r} is not a KPI name", "kpi", "objectives", n)
        out.append(Objective(o["procedure"], surface, o["kpi"], o["goal"], line))
    return out
