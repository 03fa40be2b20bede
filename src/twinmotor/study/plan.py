"""A study's plan: its design and cases (design point x vehicle x controller x procedure x surface),
each checked against the vehicle schema and the controller settings' ranges before anything runs,
with its key; and what the dataset holds of it (study_frame, status)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from twinmotor.errors import ParameterError
from twinmotor.report.cases import Case
from twinmotor.study.dataset import case_key, done_keys, read_dataset
from twinmotor.study.design import Design, make_design
from twinmotor.study.spec import Study, StudyFileError, line_of


@dataclass
class StudyCase:
    point: int          # index of the design point
    case: Case
    key: str = ""


@dataclass
class Plan:
    """A checked study: its design, its cases (point x vehicle x controller x procedure x surface) and their keys."""

    study: Study
    design: Design
    cases: list[StudyCase]
    out: Path

    @property
    def dataset(self) -> Path:
        return self.out / "dataset"

    @property
    def keys(self) -> list[str]:
        """The distinct case keys, in the order of first appearance."""
        return list(dict.fromkeys(c.key for c in self.cases))


def _factor_error(study: Study, factor, err: Exception) -> StudyFileError:
    where = f"{study.path}:{factor.line}" if factor.line else str(study.path)
    return StudyFileError(f'{where}: factors."{factor.name}": {err}')


def plan_study(study: Study, out: Path) -> Plan:
    """The study's cases, each checked against the vehicle schema and the controller settings'
    ranges (StudyFileError naming the factor's line), with their keys."""
    from twinmotor.control import default_controller, make_controller
    from twinmotor.control.open_loop import OPEN_LOOP_DEFAULTS
    from twinmotor.vehicle import load_vehicle

    design = make_design(study)
    base_vehicles = study.vehicles or next(f.values for f in study.factors if f.name == "vehicle")
    base_controllers = study.controllers or (next((f.values for f in study.factors if f.name == "controller"), None)
                                             or sorted({default_controller(load_vehicle(v)) for v in base_vehicles}))
    # each factor alone, at its extremes, on every car and controller: the error names its line
    for f in study.factors:
        if f.kind == "vehicle":
            for v in base_vehicles:
                for x in f.extremes():
                    try:
                        load_vehicle(v, {f.name: x})
                    except ParameterError as err:
                        raise _factor_error(study, f, err) from None
        elif f.kind == "controller":
            for c in base_controllers:
                if c == "open" and f.name not in OPEN_LOOP_DEFAULTS:
                    raise _factor_error(study, f, f"'{f.name}' is not a setting of controller 'open' "
                                        f"(its settings: {', '.join(OPEN_LOOP_DEFAULTS)})")
                for x in f.extremes():
                    try:
                        make_controller(c, None, **{f.name: x})
                    except ParameterError as err:
                        raise _factor_error(study, f, err) from None
    cases: list[StudyCase] = []
    for i, point in enumerate(design.points):
        overrides = tuple(sorted((k, v) for k, v in point.items() if _kind(study, k) == "vehicle"))
        settings = tuple(sorted((k, v) for k, v in point.items() if _kind(study, k) == "controller"))
        vehicles = [point["vehicle"]] if "vehicle" in point else study.vehicles
        for v in vehicles:
            if "controller" in point:
                controllers = [point["controller"]]
            elif study.controllers:
                controllers = study.controllers
            else:
                controllers = [default_controller(load_vehicle(v))]
            for c in controllers:
                for p in study.procedures:
                    for s in study.surfaces:
                        cases.append(StudyCase(i, Case(v, p, c, s, overrides=overrides, settings=settings,
                                                         sensors=study.sensors, sensor_seed=study.sensor_seed,
                                                         dt_s=study.dt_s, controller_rate_hz=study.controller_rate_hz)))
    keys: dict[Case, str] = {}
    for sc in cases:
        if sc.case not in keys:
            try:
                keys[sc.case] = case_key(sc.case)
            except ParameterError as err:  # factors that are each fine but not together (e.g. masses)
                line = line_of(study.text, "", "factors")
                where = f"{study.path}:{line}" if line else str(study.path)
                raise StudyFileError(f"{where}: factors: design point {sc.point} "
                                     f"({json.dumps(design.points[sc.point])}): {err}") from None
        sc.key = keys[sc.case]
    return Plan(study, design, cases, Path(out))


def _kind(study: Study, name: str) -> str:
    for f in study.factors:
        if f.name == name:
            return f.kind
    return ""


def study_frame(plan: Plan):
    """One row per case of the study (design point, factor values, names, key) with its KPIs from
    the dataset (NaN where not run yet); `done` says whether the case is in the dataset."""
    import pandas as pd

    data = read_dataset(plan.dataset, set(plan.keys))
    kpis = data.drop(columns=[c for c in ("vehicle", "test", "controller", "surface", "sensors", "sensor_seed",
                                          "overrides", "settings", "twinmotor_version") if c in data.columns])
    rows = []
    for sc in plan.cases:
        row = {"point": sc.point, "vehicle": sc.case.vehicle, "controller": sc.case.controller, "test": sc.case.test,
               "surface": sc.case.surface, "key": sc.key}
        row.update({f"factor:{k}": v for k, v in plan.design.points[sc.point].items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    merged = frame.merge(kpis, on="key", how="left")
    merged["done"] = merged["key"].isin(set(data["key"]) if len(data) else set())
    return merged


def status(plan: Plan) -> dict:
    """What is done: cases and distinct cases in the study, done, failed and missing (per procedure too)."""
    have = done_keys(plan.dataset)
    df = study_frame(plan)
    failed_keys = set(df.loc[df["done"] & df["error"].notna(), "key"]) if "error" in df else set()
    per = {}
    for (test, surface), part in df.groupby(["test", "surface"], sort=False):
        keys = set(part["key"])
        per[f"{test} / {surface}"] = {"distinct": len(keys), "done": len(keys & have),
                                      "failed": len(keys & failed_keys), "missing": len(keys - have)}
    keys = set(plan.keys)
    return {"study": plan.study.name, "file": str(plan.study.path), "dataset": str(plan.dataset),
            "design": plan.study.method, "points": len(plan.design.points), "cases": len(plan.cases),
            "distinct": len(keys), "done": len(keys & have), "failed": len(keys & failed_keys),
            "missing": len(keys - have), "per_procedure": per}
