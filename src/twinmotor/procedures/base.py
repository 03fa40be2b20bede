"""Base of the procedures: a procedure prescribes runs, and turns their channels into KPIs and a verdict."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from twinmotor.errors import ParameterError
from twinmotor.road import Road, make_road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec, run_spec
from twinmotor.simulation.stability import MAX_PLANT_STEP_S


@dataclass(frozen=True)
class Limit:
    """A pass limit of a standard on one KPI: the KPI must be `relation` ("<=" or ">=") `value`
    [unit]; `clause` says where the standard sets it."""

    relation: str
    value: float
    unit: str
    clause: str

    def margin(self, kpi_value: float) -> float:
        """How far inside the limit a KPI value is [unit]: positive passes, negative fails."""
        return self.value - kpi_value if self.relation == "<=" else kpi_value - self.value


class Procedure(ABC):
    """A standard manoeuvre or procedure (a "test" in the standards' own words). Subclasses set `name`, `standard` (what they follow and
    where they simplify), implement `spec()` and `kpis()`, and may override `run()` for tests made
    of several runs."""

    name = "test"
    #: keys of the documents (twinmotor/data/CITATIONS.bib) the procedure follows
    citations: tuple[str, ...] = ()
    standard = ""
    summary = ""
    plot_channels: list[str] = ["vx", "ax", "pitch"]
    #: longest plant step [s] the procedure's KPIs stay accurate with (simulation.stability)
    max_dt_s: float = MAX_PLANT_STEP_S

    @abstractmethod
    def spec(self, vehicle, road: Road) -> RunSpec:
        """The run this test prescribes for this vehicle on this road."""

    @abstractmethod
    def kpis(self, result: Result) -> dict[str, float]:
        """KPIs from the run's channels; every name carries its unit."""

    def verdict(self, kpis: dict[str, float]) -> bool | None:
        """Pass/fail where the standard has criteria, else None."""
        return None

    def limits(self) -> dict[str, Limit]:
        """The standard's pass limits on single KPIs (KPI name -> Limit), for margins in reports."""
        return {}

    def run(self, vehicle, controller, surface="dry", **options) -> Result:
        road = make_road(surface)
        t0 = time.perf_counter()
        res = run_spec(vehicle, self.spec(vehicle, road), controller, road, test_name=self.name, **options)
        res.kpis = self.kpis(res)
        res.kpis.update(disconnect_kpis(res))
        res.passed = self.verdict(res.kpis)
        res.info["plot_channels"] = self.plot_channels
        res.info["total_wall_time_s"] = time.perf_counter() - t0
        return res


#: events that fail a verdict (see simulation.runner.run_events), with the KPI (1/0) each sets
FAILING_EVENTS = {"wheel_lift": "wheel_lift", "rollover": "rollover", "backward": "backward_motion"}


def collect_events(res: Result) -> list[dict]:
    """The events of a result: its own run's, or, for a result made of several runs without its own
    (sine with dwell, range), those of every run it is made of."""
    if "events" in res.info:
        return list(res.info["events"])
    out: list[dict] = []
    for r in res.runs:
        out.extend(collect_events(r))
    return out


def apply_events(res: Result) -> Result:
    """Record the events in the Result (`info["events"]`, a KPI 1/0 per failing kind) and fail the
    verdict when a wheel lifted, the car tipped up or it moved backwards: a test "completed" that
    way is not a pass."""
    events = collect_events(res)
    res.info["events"] = events
    kinds = {e["kind"] for e in events}
    for kind, kpi in FAILING_EVENTS.items():
        res.kpis[kpi] = 1.0 if kind in kinds else 0.0
    if kinds & set(FAILING_EVENTS):
        res.passed = False
    return res


def check_params(test: str, **checks: tuple) -> None:
    """Validate a procedure's parameters: each `name=(value, low, high, unit)`; a ParameterError
    names the test, the parameter, the value, the allowed range and the unit."""
    for key, (value, low, high, unit) in checks.items():
        ok = (not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))
              and np.isfinite(value) and low <= value <= high)
        if not ok:
            raise ParameterError(f"{test}: {key} = {value!r} is out of range: allowed {low} to {high} {unit}".rstrip())


def check_surface_name(test: str, key: str, value) -> None:
    """A surface parameter (e.g. split-mu's low side) must name a known surface."""
    from twinmotor.road import SURFACES

    if value not in SURFACES:
        raise ParameterError(f"{test}: {key} = {value!r} is unknown: choose one of {', '.join(SURFACES)}")
def disconnect_kpis(res: Result) -> dict[str, float]:
    """KPIs of a secondary axle's disconnect unit (none for a car without one): share of the time it was
    engaged [%], engagements, and the time the controller waited for an engagement it asked for [s]
    (the delay an engage time costs)."""
    if "disconnect" in res.info:  # the fast energy model counts them itself
        d = res.info["disconnect"]
        total = max(res.simulated_time_s, 1e-9)
        return {"secondary_connected_pct": 100.0 * d["connected_time_s"] / total,
                "secondary_engagements": d["engagements"], "secondary_engage_wait_s": d["engage_wait_s"]}
    model = res.info.get("model")
    if model is None:
        return {}
    from twinmotor.layout import VP

    axles = [a for a, n in ((0, "front"), (1, "rear")) if model.vp[VP["disconnect_" + "fr"[a]]] > 0.5]
    if not axles or "time" not in res.channels:
        return {}
    name = "front" if axles[0] == 0 else "rear"
    t = np.asarray(res.channels["time"])
    c = np.asarray(res.channels[f"coupling_{name}"])
    want = np.asarray(res.channels[f"disconnect_cmd_{name}"]) < 0.5
    dt = np.diff(t, prepend=t[0])
    engaged = c >= 1.0
    return {
        "secondary_connected_pct": 100.0 * float(np.sum(dt[engaged])) / max(float(t[-1] - t[0]), 1e-9),
        "secondary_engagements": float(np.sum(engaged[1:] & ~engaged[:-1])),
        "secondary_engage_wait_s": float(np.sum(dt[want & ~engaged])),
    }


def crossing_time(t: np.ndarray, y: np.ndarray, level: float) -> float:
    """First time [s] at which y rises through `level`, linearly interpolated; NaN if never."""
    idx = np.flatnonzero(y >= level)
    if idx.size == 0:
        return float("nan")
    k = int(idx[0])
    if k == 0:
        return float(t[0])
    y0, y1 = y[k - 1], y[k]
    return float(t[k - 1] + (level - y0) / (y1 - y0) * (t[k] - t[k - 1]))


def falling_time(t: np.ndarray, y: np.ndarray, level: float) -> float:
    """First time [s] at which y falls through `level`, interpolated; NaN if never."""
    return crossing_time(t, -y, -level)


def interp_at(t: np.ndarray, y: np.ndarray, when: float) -> float:
    if not np.isfinite(when):
        return float("nan")
    return float(np.interp(when, t, y))


def speed_hold_gains() -> dict[str, float]:
    """Gains of the speed-tracking driver for holding a steady speed: pedal fraction per m/s of
    error (P) and per m of accumulated error (I), feed-forward per m/s^2 of trace slope, and the
    integrator's start (a pedal just past the one-pedal regeneration band)."""
    return {"kp_speed": 0.25, "ki_speed": 0.15, "throttle_ff": 0.15, "brake_ff": 0.1, "speed_int": 0.3}


#: the name the first release used; `Procedure` is the name to use
StandardTest = Procedure


def check_procedure_step(procedure: Procedure, dt) -> None:
    """Refuse a plant step beyond what the procedure's KPIs stay accurate with (its max_dt_s)."""
    if procedure.max_dt_s >= MAX_PLANT_STEP_S or not isinstance(dt, (int, float)) or isinstance(dt, bool):
        return  # the runner checks the step's type and the plant's own range
    if dt > procedure.max_dt_s * (1.0 + 1e-9):
        raise ParameterError(
            f"dt = {dt!r} s is out of range for the {procedure.name} test: allowed 0.0001 to {procedure.max_dt_s:g} s "
            f"(it rests on wheel-slip control by the brakes, which longer steps change: simulation.stability)")
