"""The runner: executes one prescribed run (RunSpec) in the compiled core and gives back a Result.

It knows nothing of procedures: a procedure (twinmotor.procedures) builds RunSpecs and turns the
Results into KPIs; `twinmotor.api.simulate` ties the two together."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from twinmotor import chassis
from twinmotor.citations import register
from twinmotor.control.interface import CompiledController, DriverInput, Measurements, user_commands_to_array
from twinmotor.driver import pursuit
from twinmotor.errors import ControllerError, ParameterError, SimulationDiverged, TwinmotorError
from twinmotor.layout import (
    A_WM,
    CTL_HOLD,
    DP,
    DRIVER_TABLE,
    LOG_NAMES,
    N_AUX,
    N_CMD,
    N_DP,
    N_DRV,
    N_EST,
    N_LOG,
    N_MEAS,
    P_WHEEL_SUBSTEP,
    STATUS_DIVERGED,
    STATUS_END,
    VP,
    X_NAMES,
    X,
)
from twinmotor.layout import CITATIONS as layout_citations
from twinmotor.layout import VP as _VP
from twinmotor.powertrain import battery, gearbox, motor
from twinmotor.road import Road, make_road
from twinmotor.sensors import N_NOISE, S_NOISE_ROW
from twinmotor.simulation import core
from twinmotor.simulation.assemble import Model, assemble, initial_state
from twinmotor.simulation.plant import WORK_SIZE
from twinmotor.simulation.result import Result
from twinmotor.simulation.stability import MAX_PLANT_STEP_S, wheel_substep_s
from twinmotor.tire import classes as tire_classes
from twinmotor.tire import mf61
from twinmotor.vehicle import Vehicle, load_vehicle, vehicle_citations

#: most plant steps per call of the compiled loop: it returns to Python at least this often (about
#: 0.1 s of wall time at 500-600x real time) so that Ctrl-C stops a long run within a second; the
#: cost of a return is a few microseconds per 50,000 steps
CHUNK_STEPS = 50_000
#: plant steps of the first call; each next call takes twice as many, up to CHUNK_STEPS. A test that
#: ends early (0-100 km/h in 7 s of a 40 s limit) then draws the sensor noise of little more than
#: the time it ran, not of its whole limit (the draws continue one stream: the numbers are the same)
FIRST_CHUNK_STEPS = 2_000
#: a wheel is lifted when its load falls below this share of its static load
WHEEL_LIFT_SHARE = 0.01
#: backward travel [m] beyond which a run records backward motion (numerical creep at a stop is far less)
BACKWARD_TRAVEL_M = 0.1

VP_MASS, VP_G, VP_LF, VP_LR = _VP["mass"], _VP["g"], _VP["lf"], _VP["lr"]

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
    if isinstance(dt, bool) or not isinstance(dt, (int, float)) or not 1e-4 <= dt <= MAX_PLANT_STEP_S:
        raise ParameterError(f"dt = {dt!r} is out of range: allowed 0.0001 to {MAX_PLANT_STEP_S:g} s")
    if isinstance(controller_rate_hz, bool) or not isinstance(controller_rate_hz, (int, float)) \
            or not 1.0 <= controller_rate_hz <= 10000.0:
        raise ParameterError(f"controller_rate_hz = {controller_rate_hz!r} is out of range: allowed 1 to 10000 Hz")
    model: Model = assemble(vehicle)
    ctl_every = int(round(1.0 / (controller_rate_hz * dt)))
    if ctl_every < 1 or abs(ctl_every * dt * controller_rate_hz - 1.0) > 1e-6:
        raise ParameterError(
            f"controller_rate_hz = {controller_rate_hz!r} must divide the plant rate {1.0 / dt:g} Hz "
            f"(allowed: {1.0 / dt:g} Hz divided by a whole number, e.g. 1000, 500, 100 Hz)"
        )
    register_run_citations(vehicle, controller)
    road = spec.road if spec.road is not None else make_road(surface)
    road_tab = road.table()
    x = initial_state(model, spec.initial_speed_m_s)
    ctl = controller
    compiled = isinstance(ctl, CompiledController)
    if compiled:
        ctl.reset(vehicle)
    else:
        try:
            ctl.reset(vehicle)
        except TwinmotorError:
            raise
        except Exception as err:
            raise ControllerError(f"controller '{controller_label(ctl)}' raised {type(err).__name__} in reset(vehicle) "
                                  f"at t = 0.000 s (simulation time): {err}") from err
    drv_p = spec.driver_params()
    drv_p[DP["wheelbase_m"]] = vehicle.wheelbase_m
    path = path_with_arc_length(spec.path)
    drv_tab = np.ascontiguousarray(spec.driver_table, dtype=np.float64)
    n_total = int(np.ceil(spec.t_end_s / dt - 1e-9))
    n_rows = n_total // spec.log_every + 1
    log = np.zeros((n_rows, N_LOG))
    cmd = np.zeros(N_CMD)
    if compiled and ctl.kind == CTL_HOLD and getattr(ctl, "hold_commands", None) is not None:
        # a holding controller (benchmarks: the plant alone) keeps these commands the whole run
        cmd[:] = np.asarray(ctl.hold_commands, dtype=np.float64)
    drv = np.zeros(N_DRV)
    meas = np.zeros(N_MEAS)
    aux = np.zeros(N_AUX)
    # the motors' speeds before the first plant step (the resolvers read them from the start)
    for a, axle in enumerate(("f", "r")):
        gear = model.vp[VP[f"gear_{axle}"]]
        aux[A_WM + a] = gear * 0.5 * (x[X["omega_" + axle + "l"]] + x[X["omega_" + axle + "r"]])
    work = np.zeros(WORK_SIZE)
    est = np.zeros(N_EST)
    from twinmotor.sensors import make_sensors

    sensor_set = make_sensors(sensors)
    sensor_p, sensor_hist = sensor_set.arrays(dt * ctl_every, vehicle.steering.steering_ratio)
    noise_stream = sensor_set.noise_stream()

    def noise_for(step0: int, n: int) -> np.ndarray:
        """The noise block of the controller steps among plant steps step0 .. step0 + n - 1."""
        sensor_p[S_NOISE_ROW] = 0.0
        return noise_stream.block(-(-(step0 + n) // ctl_every) - (-(-step0 // ctl_every)))
    # the wheels' sub-step under this car's stiffest mode (simulation.stability; 0 in the assembled
    # arrays, which then take every step whole)
    vp = model.vp.copy()
    vp[P_WHEEL_SUBSTEP] = wheel_substep_s(model)
    args = (vp, model.tp_f, model.tp_r, model.mc_f, model.mc_r, model.bc, road_tab)
    # compile (or load from numba's cache) before timing: wall_time_s is the simulation alone
    core.run(x.copy(), *args, spec.driver_kind, drv_p.copy(), drv_tab, path, ctl.kind if compiled else CTL_HOLD,
             ctl._params if compiled else np.zeros(1), (ctl._state if compiled else np.zeros(1)).copy(),
             cmd.copy(), drv.copy(), meas.copy(), aux.copy(), est.copy(), work.copy(), dt, ctl_every, 0, 0, spec.log_every,
             log[:1].copy(), 0, _RUNAWAY_IDX, _RUNAWAY_LIM, sensor_p.copy(), sensor_hist.copy(), np.zeros((1, N_NOISE)))
    t0 = time.perf_counter()
    if compiled:
        ctl_p, ctl_s = ctl._params, ctl._state
        rows, status, bad, steps = 0, STATUS_END, -1, 0
        # in chunks: between two calls Python runs its signal handlers (Ctrl-C)
        chunk = min(FIRST_CHUNK_STEPS, CHUNK_STEPS)
        while steps < n_total:
            n = min(chunk, n_total - steps)
            chunk = min(2 * chunk, CHUNK_STEPS)
            rows, status, bad, done = core.run(
                x, *args, spec.driver_kind, drv_p, drv_tab, path, ctl.kind, ctl_p, ctl_s, cmd, drv, meas, aux, est, work,
                dt, ctl_every, steps, n, spec.log_every, log, rows, _RUNAWAY_IDX,
                _RUNAWAY_LIM, sensor_p, sensor_hist, noise_for(steps, n))
            steps += done
            if status != STATUS_END:
                break
    else:
        rows, status, steps = 0, STATUS_END, 0
        empty = np.zeros(1)
        no_noise = np.zeros((1, N_NOISE))  # the compiled loop does not measure between user steps
        bad = -1
        name = controller_label(ctl)
        while steps < n_total:
            core.measure(steps * dt, x, aux, meas, sensor_p, sensor_hist, noise_for(steps, 1))
            core.driver_step(spec.driver_kind, drv_p, drv_tab, path, steps * dt, meas, dt * ctl_every, drv)
            try:
                out = ctl.step(Measurements(meas.copy()), DriverInput.from_array(drv), dt * ctl_every)
            except TwinmotorError:
                raise
            except Exception as err:
                raise ControllerError(
                    f"controller '{name}' raised {type(err).__name__} at t = {steps * dt:.3f} s (simulation time): "
                    f"{err}") from err
            user_commands_to_array(out, cmd, name, steps * dt)
            n = min(ctl_every, n_total - steps)
            rows, status, bad, done = core.run(
                x, *args, spec.driver_kind, drv_p, drv_tab, path, CTL_HOLD, empty, empty, cmd, drv, meas, aux, est,
                work, dt, ctl_every, steps, n, spec.log_every, log, rows, _RUNAWAY_IDX, _RUNAWAY_LIM, sensor_p,
                sensor_hist, no_noise)
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
    by_channel = log[:rows].T.copy()  # one copy, each channel then contiguous
    channels = {name: by_channel[i] for i, name in enumerate(LOG_NAMES)}
    energy = {name[2:]: float(x[i]) for i, name in enumerate(X_NAMES) if name.startswith("e_")}
    res = Result(vehicle=vehicle.name, test=test_name, controller=controller_label(ctl), surface=road.name,
                 channels=channels, wall_time_s=wall, simulated_time_s=sim_time, energy_j=energy)
    res.info["final_state"] = x
    res.info["model"] = model
    res.info["events"] = run_events(channels, model)
    return res


def run_events(channels: dict[str, np.ndarray], model: Model) -> list[dict]:
    """What a run must not hide: wheel lift (a wheel's load below 1 % of its static load), tip-up
    (both wheels of one side lifted at once, the start of a rollover: NHTSA's two-wheel-lift
    criterion) and backward motion (more than 0.1 m travelled backwards). Each event: kind, first
    time [s], and what happened."""
    from twinmotor.models.single_track import static_tire_loads

    t = channels.get("time")
    if t is None or t.size == 0:
        return []
    vp = model.vp
    fz_f, fz_r = static_tire_loads(vp[VP_MASS], vp[VP_G], vp[VP_LF], vp[VP_LR], vp[VP_LF] + vp[VP_LR])
    events = []
    lifted = {}
    for c, static in (("fl", fz_f / 2), ("fr", fz_f / 2), ("rl", fz_r / 2), ("rr", fz_r / 2)):
        lifted[c] = channels[f"fz_{c}"] < WHEEL_LIFT_SHARE * static
        if lifted[c].any():
            k = int(np.argmax(lifted[c]))
            events.append({"kind": "wheel_lift", "time_s": float(t[k]), "wheel": c,
                           "message": f"wheel {c} lifted (load {channels[f'fz_{c}'][k]:.0f} N) at t = {t[k]:.2f} s"})
    for side, (a, b) in (("left", ("fl", "rl")), ("right", ("fr", "rr"))):
        both = lifted[a] & lifted[b]
        if both.any():
            k = int(np.argmax(both))
            roll_deg = float(np.degrees(channels["roll"][k]))
            events.append({"kind": "rollover", "time_s": float(t[k]), "side": side,
                           "message": f"both {side} wheels lifted at t = {t[k]:.2f} s (roll {roll_deg:.1f} deg): the car "
                                      "tips up, the start of a rollover"})
    soc0 = model.vehicle.battery.initial_soc
    if soc0 < battery.EMPTY_FADE_SOC:
        events.append({"kind": "battery_low", "time_s": 0.0,
                       "message": f"battery.initial_soc = {soc0:g}: below {battery.EMPTY_FADE_SOC:g} the pack's discharge "
                                  "power fades to 0 (empty at 0), so the motors give little or no drive and the drive "
                                  "KPIs may be empty (null)"})
    vx = channels["vx"]
    dt_log = np.diff(t, prepend=t[0] - (t[1] - t[0] if t.size > 1 else 0.0))
    backward = float(np.sum(np.maximum(-vx, 0.0) * dt_log))
    if backward > BACKWARD_TRAVEL_M:
        k = int(np.argmax(vx < 0.0))
        events.append({"kind": "backward", "time_s": float(t[k]), "distance_m": backward,
                       "message": f"the car moved backwards ({backward:.2f} m, from t = {t[k]:.2f} s)"})
    return events
