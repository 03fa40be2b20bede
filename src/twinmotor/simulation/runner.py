"""The runner: executes one prescribed run (RunSpec) in the compiled core and gives back a Result.

It knows nothing of procedures: a procedure (twinmotor.procedures) builds RunSpecs and turns the
Results into KPIs; `twinmotor.api.simulate` ties the two together."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from twinmotor import chassis
from twinmotor.citations import register
from twinmotor.control.interface import CompiledController, DriverInput, Measurements, commands_to_array
from twinmotor.driver import pursuit
from twinmotor.errors import ParameterError, SimulationDiverged
from twinmotor.layout import CITATIONS as layout_citations
from twinmotor.layout import (
    CTL_HOLD,
    DP,
    DRIVER_TABLE,
    LOG_NAMES,
    N_AUX,
    N_CMD,
    N_DP,
    N_DRV,
    N_LOG,
    N_MEAS,
    STATUS_DIVERGED,
    STATUS_END,
    X_NAMES,
)
from twinmotor.powertrain import battery, gearbox, motor
from twinmotor.road import Road, make_road
from twinmotor.simulation import core
from twinmotor.simulation.assemble import Model, assemble, initial_state
from twinmotor.simulation.result import Result
from twinmotor.tire import classes as tire_classes
from twinmotor.tire import mf61
from twinmotor.vehicle import Vehicle, load_vehicle, vehicle_citations

_RUNAWAY_IDX = np.array(sorted(core.RUNAWAY), dtype=np.int64)
_RUNAWAY_LIM = np.array([core.RUNAWAY[i] for i in sorted(core.RUNAWAY)], dtype=np.float64)

_HINTS = {
    "vx": "the car ran away: check power, mass and grade",
    "yaw_rate": "the car spun: lower the speed or steer, or use a stability controller",
    "roll": "the car rolled over its limit: check CG height, track and roll stiffness",
    "pitch": "the body pitched past its limit: check spring rates and anti-geometry",
}


@dataclass
class RunSpec:
    """One prescribed simulation run: initial speed, driver, road and when to stop.

    Driver table columns: time_s, throttle, brake, steer_rad, target_speed_m_s (see driver.py).
    Stop when t >= t_end_s, or when vx >= stop_v_above and distance >= stop_s_above, or when
    t >= stop_after_t and vx <= stop_v_below.
    """

    t_end_s: float
    driver_table: np.ndarray
    initial_speed_m_s: float = 0.0
    driver_kind: int = DRIVER_TABLE
    stop_v_above: float = np.inf
    stop_s_above: float = 0.0
    stop_v_below: float = -np.inf
    stop_after_t: float = np.inf
    road: Road | None = None
    log_every: int = 1
    driver_gains: dict = field(default_factory=dict)
    path: np.ndarray | None = None  # (n, 2): x_m, y_m polyline for the path-following driver kinds

    def driver_params(self) -> np.ndarray:
        p = np.zeros(N_DP)
        p[DP["t_end"]] = self.t_end_s
        p[DP["stop_v_above"]] = self.stop_v_above
        p[DP["stop_s_above"]] = self.stop_s_above
        p[DP["stop_v_below"]] = self.stop_v_below
        p[DP["stop_after_t"]] = self.stop_after_t
        p[DP["preview_s"]] = 1.0        # driver looks ~1 s ahead (estimate, typical of driver models)
        p[DP["preview_min_m"]] = 5.0
        p[DP["steer_rate_rad_s"]] = 0.6  # ~500 deg/s at the steering wheel with a 15:1 ratio
        for k, v in self.driver_gains.items():
            if k not in DP:
                raise ParameterError(f"driver gain '{k}' is unknown; known: {', '.join(DP)}")
            p[DP[k]] = v
        return p


def path_with_arc_length(path) -> np.ndarray:
    """(n, 3) array x_m, y_m, s_m (cumulative arc length) from an (n, 2) polyline, for the driver."""
    if path is None:
        return np.zeros((1, 3))
    xy = np.asarray(path, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] < 1 or not np.all(np.isfinite(xy)):
        raise ParameterError(f"path: expected an (n, 2) array of finite x_m, y_m points, got shape {xy.shape}")
    s = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(xy[:, 0]), np.diff(xy[:, 1])))])
    return np.ascontiguousarray(np.column_stack([xy, s]))


def register_run_citations(vehicle: Vehicle, controller=None) -> None:
    """Record the documents a run of the dynamic model relies on: the axes, the chassis, tire,
    motor, battery and gear models, the path-following driver, the vehicle's own parameter sources
    and the controller's (see twinmotor.citations)."""
    for keys in (layout_citations, chassis.CITATIONS, mf61.CITATIONS, motor.CITATIONS, battery.CITATIONS,
                 gearbox.CITATIONS, pursuit.CITATIONS, vehicle_citations(vehicle),
                 getattr(controller, "citations", ()), tire_classes.CITATIONS):
        register(*keys)


def resolve_vehicle(vehicle) -> Vehicle:
    if isinstance(vehicle, Vehicle):
        return vehicle
    return load_vehicle(vehicle)


def controller_label(ctl) -> str:
    return getattr(ctl, "name", type(ctl).__name__)


def run_spec(vehicle: Vehicle, spec: RunSpec, controller, surface: str | Road = "dry", *, test_name: str = "",
             dt: float = 1e-3, controller_rate_hz: float = 1000.0, sensors=None) -> Result:
    """Execute one RunSpec with the compiled core; the Result carries every channel."""
    if not 1e-4 <= dt <= 5e-3:
        raise ParameterError(f"dt = {dt!r} is out of range: allowed 0.0001 to 0.005 s")
    ctl_every = int(round(1.0 / (controller_rate_hz * dt)))
    if ctl_every < 1 or abs(ctl_every * dt * controller_rate_hz - 1.0) > 1e-6:
        raise ParameterError(
            f"controller_rate_hz = {controller_rate_hz!r} must divide the plant rate {1.0 / dt:g} Hz "
            f"(allowed: {1.0 / dt:g} Hz divided by a whole number, e.g. 1000, 500, 100 Hz)"
        )
    model: Model = assemble(vehicle)
    register_run_citations(vehicle, controller)
    road = spec.road if spec.road is not None else make_road(surface)
    road_tab = road.table()
    x = initial_state(model, spec.initial_speed_m_s)
    ctl = controller
    ctl.reset(vehicle)
    compiled = isinstance(ctl, CompiledController)
    drv_p = spec.driver_params()
    drv_p[DP["wheelbase_m"]] = vehicle.wheelbase_m
    path = path_with_arc_length(spec.path)
    drv_tab = np.ascontiguousarray(spec.driver_table, dtype=np.float64)
    n_total = int(np.ceil(spec.t_end_s / dt - 1e-9))
    n_rows = n_total // spec.log_every + 1
    log = np.zeros((n_rows, N_LOG))
    cmd = np.zeros(N_CMD)
    drv = np.zeros(N_DRV)
    meas = np.zeros(N_MEAS)
    aux = np.zeros(N_AUX)
    work = np.zeros(24)
    from twinmotor.sensors import make_sensors

    sensor_p, sensor_hist = make_sensors(sensors).arrays(dt * ctl_every)
    args = (model.vp, model.tp_f, model.tp_r, model.mc_f, model.mc_r, model.bc, road_tab)
    # compile (or load from numba's cache) before timing: wall_time_s is the simulation alone
    core.run(x.copy(), *args, spec.driver_kind, drv_p.copy(), drv_tab, path, ctl.kind if compiled else CTL_HOLD,
             ctl._params if compiled else np.zeros(1), (ctl._state if compiled else np.zeros(1)).copy(),
             cmd.copy(), drv.copy(), meas.copy(), aux.copy(), work.copy(), dt, ctl_every, 0, 0, spec.log_every,
             log[:1].copy(), 0, _RUNAWAY_IDX, _RUNAWAY_LIM, sensor_p.copy(), sensor_hist.copy())
    t0 = time.perf_counter()
    if compiled:
        ctl_p, ctl_s = ctl._params, ctl._state
        rows, status, bad, steps = core.run(
            x, *args, spec.driver_kind, drv_p, drv_tab, path, ctl.kind, ctl_p, ctl_s, cmd, drv, meas, aux, work,
            dt, ctl_every, 0, n_total, spec.log_every, log, 0, _RUNAWAY_IDX, _RUNAWAY_LIM, sensor_p, sensor_hist)
    else:
        rows, status, steps = 0, STATUS_END, 0
        empty = np.zeros(1)
        bad = -1
        while steps < n_total:
            core.measure(steps * dt, x, aux, meas, sensor_p, sensor_hist)
            core.driver_step(spec.driver_kind, drv_p, drv_tab, path, steps * dt, meas, dt * ctl_every, drv)
            out = ctl.step(Measurements(meas.copy()), DriverInput.from_array(drv), dt * ctl_every)
            commands_to_array(out, cmd)
            if not np.all(np.isfinite(cmd)):
                raise ParameterError(
                    f"controller '{controller_label(ctl)}' returned non-finite commands {cmd.tolist()} at "
                    f"t = {steps * dt:.3f} s: every torque must be a finite number in N*m")
            n = min(ctl_every, n_total - steps)
            rows, status, bad, done = core.run(
                x, *args, spec.driver_kind, drv_p, drv_tab, path, CTL_HOLD, empty, empty, cmd, drv, meas, aux,
                work, dt, ctl_every, steps, n, spec.log_every, log, rows, _RUNAWAY_IDX, _RUNAWAY_LIM, sensor_p,
                sensor_hist)
            steps += done
            if status != STATUS_END:
                break
    wall = time.perf_counter() - t0
    sim_time = steps * dt
    if status == STATUS_DIVERGED:
        name = X_NAMES[bad]
        raise SimulationDiverged(
            sim_time, name, float(x[bad]),
            _HINTS.get(name, "try a smaller step (dt), check the vehicle parameters for extreme values, "
                       "or a gentler test input"),
        )
    channels = {name: log[:rows, i].copy() for i, name in enumerate(LOG_NAMES)}
    energy = {name[2:]: float(x[i]) for i, name in enumerate(X_NAMES) if name.startswith("e_")}
    res = Result(vehicle=vehicle.name, test=test_name, controller=controller_label(ctl), surface=road.name,
                 channels=channels, wall_time_s=wall, simulated_time_s=sim_time, energy_j=energy)
    res.info["final_state"] = x
    res.info["model"] = model
    return res
