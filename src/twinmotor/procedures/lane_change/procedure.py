"""ISO 3888-2 obstacle-avoidance double lane change (the "moose test"): the procedure.

The track, its lanes and the cone-strike geometry are in `track.py` beside this module.

Procedure followed here, and where it simplifies the standard:

- The car starts with its front `approach_m` (5 m) before the entry gate, on the entry lane's centre
  line, at the entry speed raised by what road load (aerodynamic drag and rolling resistance) takes
  over the approach, so that it crosses the gate at the entry speed (KPI `gate_speed_kmh`).
- Accelerator: the standard has the driver release the accelerator at the entry gate. The test
  releases it to the *coasting point*: no drive and no regenerative torque (pedal at the top of the
  e-Pedal band for a one-pedal controller, zero otherwise), from the start line. Reason: with the
  e-Pedal on, a fully released accelerator regenerates at up to 0.2 g, and at that deceleration a car
  entering below about 57 km/h stops before the exit lane (v^2 = 2 a s over the 61 m track plus the
  approach); the test would then measure the e-Pedal, not the car's obstacle avoidance, and would not
  compare with published results of cars whose released throttle gives only engine drag.
  `release="zero"` asks for zero accelerator from the gate instead (the e-Pedal then brakes).
- The driver follows a line with the path-following driver (pure pursuit, twinmotor.driver.pursuit) with a
  human steering-rate limit (0.6 rad/s at the road wheel, about 500 deg/s at the steering wheel)
  and a preview of 0.55 s (at least 3 m): of 0.45-0.7 s, the preview that gave the highest clean
  speeds, for both the LEAF e+ and the AWD prototype, on dry and on wet (a competent driver's).
  The line is not the lane centres: joining the lane centres with a blend inside the 13.5 m gap asks
  for more than 2 g at 60 km/h. It is the line a competent test driver aims for: the least peak
  curvature that keeps the footprint `clearance_m` inside every lane limit (`driver_line`).
- Like a test driver, who makes practice runs at each speed, the driver gets up to `attempts`
  attempts per speed and learns from each: the lateral error of the centre of gravity against the
  line, measured along the track (twinmotor.driver.learning), is added (times `learning_gain`) to the path it steers for next
  (iterative learning control). The speed is clean when one attempt is clean; the KPIs are those of
  the last attempt (the clean one, or the last failed one).
- Cone strike from the footprint: a rectangle of length_m x width_m centred on the centre of gravity
  (simplification: the CG is taken at mid-length) and turned by the yaw angle. A lane limit is
  struck when any part of the rectangle inside the x-range of sections 1, 3 or 5 lies beyond the
  limit: its corners and the points where its sides cross the section's ends (so a side sweeping
  over the first cone of a lane counts).

References
----------
ISO 3888-2:2011, Passenger cars - Test track for a severe lane-change manoeuvre - Part 2: Obstacle
avoidance. Coulter, R. C., Implementation of the Pure Pursuit Path Tracking Algorithm,
CMU-RI-TR-92-01, 1992. Arimoto, S., Kawamura, S., Miyazaki, F., Bettering operation of robots by
learning, J. Robotic Systems 1(2), 1984 (iterative learning control).
"""

from __future__ import annotations

import time

import numpy as np

from twinmotor.constants import G_M_S2, KMH
from twinmotor.driver.learning import learn_path
from twinmotor.driver.line import optimal_line
from twinmotor.errors import ParameterError, SimulationDiverged
from twinmotor.layout import DRIVER_PATH
from twinmotor.models.road_load import road_load_decel
from twinmotor.plotting.lane_change import plot_lane_change
from twinmotor.procedures.base import Procedure, check_params, crossing_time, disconnect_kpis
from twinmotor.procedures.lane_change.track import (
    TRACK_LENGTH_M,
    check_width,
    cone_layout,
    footprint_corners,
    lane_intrusions,
)
from twinmotor.road import Road, make_road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec, controller_label, run_spec

#: a car whose body slips more than this at its centre of gravity, or turns more than a quarter
#: turn, has spun (twinmotor convention: ESC-equipped road cars stay within a few degrees)
SPIN_SIDESLIP_DEG = 15.0
SPIN_YAW_DEG = 90.0

#: bisection bounds and tolerance [km/h] of the search for the highest clean entry speed
SEARCH_LOW_KMH, SEARCH_HIGH_KMH, SEARCH_TOL_KMH = 40.0, 120.0, 0.5

#: spacing [m] of the driver line's nodes
LINE_STEP_M = 0.5
#: the line runs straight on the entry lane's centre until the front is this far [m] before the gate
LINE_STRAIGHT_BEFORE_M = 3.0
#: the line is straight again this far [m] after the rear of the car has left the exit lane
LINE_SETTLE_AFTER_M = 15.0



def driver_line(width_m: float, length_m: float, clearance_m: float = 0.07,
                x_start_m: float = -15.0) -> tuple[np.ndarray, np.ndarray, float]:
    """The line a competent driver aims the centre of gravity along through the ISO 3888-2 lanes
    (`cone_layout(width_m)`): the least peak curvature that keeps the car's footprint `clearance_m`
    [m] inside the lane limits (twinmotor.driver.line.optimal_line).

    Linear programme on nodes x_i every LINE_STEP_M (0.5 m) from `x_start_m` [m] (track x, 0 at
    the entry gate) to 15 m past the exit, unknowns the lateral positions y_i [m] and the peak
    curvature k [1/m]:

        minimise k  subject to  |y_(i-1) - 2 y_i + y_(i+1)| / dx^2 <= k
        y_i + d (y_(i+1) - y_(i-1)) / (2 dx) +- w/2  inside the lane limits, clearance_m in from them,
        for the body points at distance d ahead of the CG that lie in a lane's x-range (checked at the
        ends of that range: the side is straight), small-angle heading, the body along the path;
        y_i = 0 until the front is 3 m before the gate; straight at the end.

    Returns (x_m, y_m, peak_curvature_1_m). length_m [m], width_m [m].
    """
    if not 0.0 <= clearance_m <= 0.3:
        raise ParameterError(f"clearance_m = {clearance_m!r} is out of range: allowed 0 to 0.3 m")
    if not 2.0 <= length_m <= 6.5:
        raise ParameterError(f"length_m = {length_m!r} is out of range: allowed 2.0 to 6.5 m")
    if x_start_m > -0.5 * length_m - LINE_STRAIGHT_BEFORE_M - LINE_STEP_M:
        raise ParameterError(f"x_start_m = {x_start_m!r} must be at least {0.5 * length_m + 3.5:.2f} m before the gate")
    half = 0.5 * length_m
    return optimal_line(cone_layout(width_m), float(check_width(width_m)), float(length_m), float(clearance_m),
                        float(x_start_m), TRACK_LENGTH_M + half + LINE_SETTLE_AFTER_M, -half - LINE_STRAIGHT_BEFORE_M,
                        LINE_STEP_M)


def coasting_pedal(controller) -> float:
    """Accelerator position [0-1] that asks for neither drive nor regeneration: the top of the
    e-Pedal band for a controller with one-pedal driving on (`settings` one_pedal, epedal_band, as the
    built-in controllers have), else zero (a released pedal)."""
    settings = getattr(controller, "settings", None) or {}
    if float(settings.get("one_pedal", 0.0)) > 0.5:
        return float(settings.get("epedal_band", 0.0))
    return 0.0


class LaneChange(Procedure):
    """ISO 3888-2 obstacle-avoidance double lane change (moose test); see the module docstring for the
    track, the procedure and its simplifications.

    `entry_speed_kmh` given: the driver's attempts at that speed (one Result). None: the highest clean
    entry speed, by bisection between 40 and 120 km/h to 0.5 km/h (KPI max_entry_speed_kmh, plus the
    KPIs of the fastest clean run; `runs` holds the fastest clean and the slowest failed run).

    KPIs of a run: cones_hit (how many of the six lane limits, left and right of sections 1, 3, 5,
    the footprint struck: each stands for its row of cones), min_clearance_m (smallest distance
    between footprint and a lane limit, negative = how deep the deepest strike), max_lateral_accel_g,
    max_yaw_rate_deg_s, max_sideslip_deg (at the CG), max_steer_deg (road wheel), gate_speed_kmh (as
    the front crosses the entry gate), exit_speed_kmh (as the CG crosses the end of the exit lane),
    spun (1 if sideslip passed 15 deg or yaw 90 deg, or the simulation ran away), completed (1 if the
    rear left the exit lane), attempts (the driver's attempts at that speed). Verdict: no cone struck,
    no spin, course completed.
    """

    name = "lane-change"
    citations = ("iso3888-2_2011", "coulter1992implementation", "arimoto1984bettering")
    standard = ("ISO 3888-2 obstacle avoidance (moose test); accelerator at the coasting point, learning "
                "path-following driver, footprint cone strikes")
    summary = "highest clean entry speed, cones hit, lateral acceleration, yaw rate, sideslip"
    plot_channels = ["y", "steer", "yaw_rate", "ay", "vx"]

    def __init__(self, entry_speed_kmh: float | None = None, release: str = "coast", clearance_m: float = 0.07,
                 preview_s: float = 0.55, preview_min_m: float = 3.0, steer_rate_rad_s: float = 0.6,
                 attempts: int = 8, learning_gain: float = 0.6, approach_m: float = 5.0):
        if entry_speed_kmh is not None:
            check_params("lane-change", entry_speed_kmh=(entry_speed_kmh, 20.0, 160.0, "km/h"))
        if release not in ("coast", "zero"):
            raise ParameterError(f"release = {release!r} is unknown: choose 'coast' (coasting point) or 'zero' "
                                 "(accelerator fully released)")
        checks = (("clearance_m", clearance_m, 0.0, 0.3, "m"), ("preview_s", preview_s, 0.1, 2.0, "s"),
                  ("preview_min_m", preview_min_m, 1.0, 20.0, "m"),
                  ("steer_rate_rad_s", steer_rate_rad_s, 0.1, 3.0, "rad/s"), ("attempts", attempts, 1, 20, "-"),
                  ("learning_gain", learning_gain, 0.0, 1.5, "-"), ("approach_m", approach_m, 2.0, 50.0, "m"))
        check_params("lane-change", **{field: (value, low, high, unit) for field, value, low, high, unit in checks})
        self.entry_speed_kmh = entry_speed_kmh
        self.release = release
        self.clearance_m = clearance_m
        self.preview_s = preview_s
        self.preview_min_m = preview_min_m
        self.steer_rate_rad_s = steer_rate_rad_s
        self.attempts = int(attempts)
        self.learning_gain = learning_gain
        self.approach_m = approach_m

    # ------------------------------------------------------------------ geometry of one run
    def track_x0_m(self, vehicle) -> float:
        """Distance [m] from the car's start position (CG) to the entry gate."""
        return self.approach_m + 0.5 * vehicle.length_m

    def line(self, vehicle) -> tuple[np.ndarray, np.ndarray]:
        """The driver's line in track coordinates: x_m (from the gate), y_m."""
        xs, ys, _k = driver_line(vehicle.width_m, vehicle.length_m, self.clearance_m,
                                 -self.track_x0_m(vehicle) - 5.0)
        return xs, ys

    def spec(self, vehicle, road: Road, speed_kmh: float | None = None, path_y_m: np.ndarray | None = None,
             coast_pedal: float | None = None) -> RunSpec:
        """One attempt at `speed_kmh` (default: the test's entry speed, or the search's lower bound)
        steering along `path_y_m` on the line's nodes (default: the line itself); `coast_pedal` is the
        accelerator's coasting point (default: that of the vehicle's default controller)."""
        if coast_pedal is None:
            from twinmotor.control import make_controller

            coast_pedal = coasting_pedal(make_controller(None, vehicle))
        speed = speed_kmh if speed_kmh is not None else (self.entry_speed_kmh or SEARCH_LOW_KMH)
        v = speed * KMH
        x0 = self.track_x0_m(vehicle)
        xs, ys = self.line(vehicle)
        y_path = ys if path_y_m is None else path_y_m
        # the path runs on, straight, well past the track so that the driver's preview stays on it
        path = np.vstack([np.column_stack([xs + x0, y_path]), [xs[-1] + x0 + 200.0, y_path[-1]]])
        # start fast enough that road load leaves the entry speed at the gate: v0^2 = v^2 + 2 a s
        v0 = float(np.sqrt(v * v + 2.0 * road_load_decel(vehicle, v) * self.approach_m))
        t_gate = self.approach_m / v
        after = coast_pedal if self.release == "coast" else 0.0
        t_end = 3.0 * (x0 + TRACK_LENGTH_M + vehicle.length_m) / v + 2.0
        table = np.array([[0.0, coast_pedal, 0.0, 0.0, 0.0], [t_gate, coast_pedal, 0.0, 0.0, 0.0],
                          [t_gate + 0.1, after, 0.0, 0.0, 0.0], [t_end, after, 0.0, 0.0, 0.0]])
        return RunSpec(
            t_end_s=t_end, driver_table=table, initial_speed_m_s=v0, driver_kind=DRIVER_PATH, path=path,
            road=road, log_every=5,
            # stop once the rear has left the exit lane (distance runs a little ahead of x), or the car stopped
            stop_v_above=0.0, stop_s_above=x0 + TRACK_LENGTH_M + vehicle.length_m + 2.0,
            stop_v_below=0.05, stop_after_t=t_gate + 0.5,
            driver_gains={"preview_s": self.preview_s, "preview_min_m": self.preview_min_m,
                          "steer_rate_rad_s": self.steer_rate_rad_s},
        )

    # ------------------------------------------------------------------ KPIs and verdict
    def kpis(self, r: Result) -> dict[str, float]:
        vehicle = r.info["model"].vehicle
        w, length = vehicle.width_m, vehicle.length_m
        x0 = r.info.get("track_x0_m", self.track_x0_m(vehicle))
        xt = r["x"] - x0
        cx, cy = footprint_corners(xt, r["y"], r["yaw"], length, w)
        intr = lane_intrusions(cx, cy, w)
        beta = np.degrees(np.arctan2(r["vy"], np.abs(r["vx"])))
        on_track = (xt >= -0.5 * length) & (xt <= TRACK_LENGTH_M + 0.5 * length)
        if not np.any(on_track):
            on_track = np.ones_like(xt, dtype=bool)
        spun = bool(np.max(np.abs(beta)) > SPIN_SIDESLIP_DEG or np.max(np.abs(np.degrees(r["yaw"]))) > SPIN_YAW_DEG)
        return {
            "cones_hit": float(np.sum(intr > 0.0)),
            "min_clearance_m": float(-np.nanmax(intr)) if np.any(np.isfinite(intr)) else float("nan"),
            "max_lateral_accel_g": float(np.max(np.abs(r["ay"][on_track]))) / G_M_S2,
            "max_yaw_rate_deg_s": float(np.degrees(np.max(np.abs(r["yaw_rate"][on_track])))),
            "max_sideslip_deg": float(np.max(np.abs(beta[on_track]))),
            "max_steer_deg": float(np.degrees(np.max(np.abs(r["steer"][on_track])))),
            "gate_speed_kmh": _speed_at(xt, r["vx"], -0.5 * length),
            "exit_speed_kmh": _speed_at(xt, r["vx"], TRACK_LENGTH_M),
            "spun": float(spun),
            "completed": float(np.max(xt) >= TRACK_LENGTH_M + 0.5 * length),
        }

    def verdict(self, k: dict[str, float]) -> bool | None:
        return bool(k.get("cones_hit", 1.0) == 0.0 and k.get("spun", 1.0) == 0.0 and k.get("completed", 0.0) == 1.0)

    # ------------------------------------------------------------------ running
    def run_speed(self, vehicle, controller, road: Road, speed_kmh: float, **options) -> Result:
        """The driver's attempts at one entry speed (see the module docstring); the Result is the first
        clean attempt, or the last one. `options` go to run_spec (dt, controller_rate_hz)."""
        x0 = self.track_x0_m(vehicle)
        xs, line = self.line(vehicle)
        coast = coasting_pedal(controller)
        path_y = line.copy()
        res = None
        wall = sim = 0.0
        for attempt in range(1, self.attempts + 1):
            spec = self.spec(vehicle, road, speed_kmh, path_y, coast)
            try:
                res = run_spec(vehicle, spec, controller, road, test_name=self.name, **options)
            except SimulationDiverged as err:
                res = _diverged_result(vehicle, controller, road, self.name, err)
                res.info["attempts"] = attempt
                break
            wall += res.wall_time_s
            sim += res.simulated_time_s
            res.info["track_x0_m"] = x0
            res.kpis = self.kpis(res)
            res.kpis["attempts"] = float(attempt)
            res.passed = self.verdict(res.kpis)
            res.info["path_y_m"] = path_y
            if res.passed or attempt == self.attempts:
                break
            path_y = learn_path(path_y, xs, line, res["x"] - x0, res["y"], self.learning_gain)
        res.info["entry_speed_kmh"] = float(speed_kmh)
        res.info["line_x_m"], res.info["line_y_m"] = xs, line
        res.info["lane_limits"] = cone_layout(vehicle.width_m)
        res.info["plot_function"] = plot_lane_change
        res.info["plot_channels"] = self.plot_channels
        res.info["attempts_wall_time_s"] = wall
        res.info["attempts_simulated_time_s"] = sim
        return res

    def run(self, vehicle, controller, surface="dry", **options) -> Result:
        road = surface if isinstance(surface, Road) else make_road(surface)
        t0 = time.perf_counter()
        if self.entry_speed_kmh is not None:
            res = self.run_speed(vehicle, controller, road, self.entry_speed_kmh, **options)
            res.wall_time_s = res.info["attempts_wall_time_s"]
            res.simulated_time_s = res.info["attempts_simulated_time_s"]
            res.info["total_wall_time_s"] = time.perf_counter() - t0
            res.kpis.update(disconnect_kpis(res))
            return res
        res = self.search(vehicle, controller, road, **options)
        res.info["total_wall_time_s"] = time.perf_counter() - t0
        res.kpis.update(disconnect_kpis(res))  # of the best clean run (whose channels it carries)
        return res

    def search(self, vehicle, controller, road: Road, **options) -> Result:
        """Highest clean entry speed by bisection between SEARCH_LOW_KMH and SEARCH_HIGH_KMH to
        SEARCH_TOL_KMH. Assumes that a car clean at one speed is clean at every lower one (the
        bisection's premise; a speed that happens to pass above a failed one is not looked for)."""
        evaluated: list[tuple[float, bool, float]] = []
        wall = sim = 0.0

        def attempt(speed):
            nonlocal wall, sim
            r = self.run_speed(vehicle, controller, road, speed, **options)
            wall += r.info.get("attempts_wall_time_s", 0.0)
            sim += r.info.get("attempts_simulated_time_s", 0.0)
            evaluated.append((speed, bool(r.passed), r.kpis.get("attempts", float("nan"))))
            return r

        lo, hi = SEARCH_LOW_KMH, SEARCH_HIGH_KMH
        best = attempt(lo)
        worst = None
        if best.passed:
            while hi - lo > SEARCH_TOL_KMH:
                mid = 0.5 * (lo + hi)
                r = attempt(mid)
                if r.passed:
                    lo, best = mid, r
                else:
                    hi, worst = mid, r
            if worst is None:  # never failed: try the upper bound itself
                r = attempt(hi)
                if r.passed:
                    lo, best = hi, r
                else:
                    worst = r
        if best.passed:
            out = Result(vehicle=best.vehicle, test=self.name, controller=best.controller, surface=best.surface,
                         channels=best.channels, energy_j=best.energy_j, info=dict(best.info))
            out.kpis = {"max_entry_speed_kmh": lo, **best.kpis}
            out.passed = True
            out.runs = [best] + ([worst] if worst is not None else [])
        else:
            out = Result(vehicle=best.vehicle, test=self.name, controller=best.controller, surface=best.surface,
                         channels=best.channels, energy_j=best.energy_j, info=dict(best.info))
            out.kpis = {"max_entry_speed_kmh": float("nan"), **best.kpis}
            out.passed = False
            out.runs = [best]
            out.info["note"] = f"no clean run at the search's lower bound {SEARCH_LOW_KMH:g} km/h"
        out.info["bisection"] = evaluated
        out.wall_time_s = wall
        out.simulated_time_s = sim
        return out


def _speed_at(xt: np.ndarray, vx: np.ndarray, x_m: float) -> float:
    """Speed [km/h] as the track coordinate passes x_m (first crossing), NaN if never."""
    return crossing_time(vx, xt, x_m) / KMH


def _diverged_result(vehicle, controller, road: Road, test_name: str, err: SimulationDiverged) -> Result:
    """A failed attempt whose simulation ran away (spin or rollover): no channels, the verdict False."""
    nan = float("nan")
    res = Result(vehicle=vehicle.name, test=test_name, controller=controller_label(controller), surface=road.name,
                 simulated_time_s=err.time_s)
    res.kpis = {"cones_hit": nan, "min_clearance_m": nan, "max_lateral_accel_g": nan, "max_yaw_rate_deg_s": nan,
                "max_sideslip_deg": nan, "max_steer_deg": nan, "gate_speed_kmh": nan, "exit_speed_kmh": nan,
                "spun": 1.0, "completed": 0.0}
    res.passed = False
    res.info["diverged"] = str(err)
    return res
