"""ISO 4138 steady-state circular driving, constant radius: the understeer gradient and the most
lateral acceleration the car holds, with the handling diagram."""

from __future__ import annotations

import math

import numpy as np

from twinmotor.constants import G_M_S2, KMH
from twinmotor.errors import ParameterError
from twinmotor.layout import DRIVER_PATH_SPEED
from twinmotor.plotting.skidpad import plot_handling_diagram
from twinmotor.procedures.base import Procedure, speed_hold_gains
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec


def circle_path(radius_m: float, laps: float, spacing_m: float = 0.5) -> np.ndarray:
    """(n, 2) polyline [m] of `laps` turns of a left-hand (counter-clockwise) circle of radius
    `radius_m` [m], starting at the origin heading along +x; centre at (0, radius_m)."""
    n = max(int(math.ceil(2.0 * math.pi * radius_m * laps / spacing_m)), 8)
    theta = np.linspace(0.0, 2.0 * math.pi * laps, n + 1)
    return np.column_stack([radius_m * np.sin(theta), radius_m * (1.0 - np.cos(theta))])


def moving_average(y: np.ndarray, n: int) -> np.ndarray:
    """Centred moving average over n samples (n made odd), edges averaged over what exists."""
    n = max(int(n) | 1, 1)
    if n == 1 or y.size == 0:
        return y.astype(np.float64, copy=True)
    k = np.ones(n)
    return np.convolve(y, k, mode="same") / np.convolve(np.ones_like(y, dtype=np.float64), k, mode="same")


def understeer_gradient(ay_m_s2: np.ndarray, steer_rad: np.ndarray, ackermann_rad: np.ndarray) -> tuple[float, float]:
    """Understeer gradient [rad/(m/s^2)] and intercept [rad] by least squares of the road-wheel
    steer angle less the Ackermann angle against lateral acceleration:

        K_us = d(delta)/d(a_y) - d(L/R)/d(a_y)          (ISO 4138 / SAE J266 definition)

    `ackermann_rad` = L / R with R the radius of the path actually driven."""
    if ay_m_s2.size < 10:
        return float("nan"), float("nan")
    slope, intercept = np.polyfit(ay_m_s2, steer_rad - ackermann_rad, 1)
    return float(slope), float(intercept)


class Skidpad(Procedure):
    """ISO 4138 steady-state circular driving, constant-radius method with slowly increasing speed.

    The path-following driver (pure pursuit) holds a left-hand circle of `radius_m` (40 m; ISO 4138
    also names 100 m) while the speed-tracking driver raises the speed from `start_speed_kmh`
    (10 km/h) at `accel_m_s2` (0.15 m/s^2; slow enough to be quasi-steady) up to the speed at which
    the circle would need `max_lat_accel_g` (default: 1.3 x the smaller axle's peak tire friction
    on the road, past the limit). The driver looks `preview_s` (0.4 s) ahead, which keeps the car
    within about 1 m of the circle up to the limit. The car holds the circle while its distance
    from the centre stays within `hold_tolerance_m` (2 m) of the radius and its speed within
    `speed_tolerance_m_s` (1 m/s) of the ramp; nothing after it first fails either is evaluated
    (past the limit the car runs wide or the tires' drag stops it following the speed ramp).

    Channels are smoothed over `smoothing_s` (1 s) before evaluation. Path radius R = V / r
    (speed over yaw rate, exact in a steady turn), Ackermann angle L / R.

    KPIs: understeer_gradient_deg_g (road-wheel angle: slope of delta - L/R against a_y over
    `linear_range_g`, 0.1-0.4 g), understeer_gradient_low_deg_g (the same over 0.02-0.15 g, the
    near-linear tire range), max_lat_accel_g (largest smoothed a_y while the car holds the circle),
    speed_at_max_lat_accel_kmh, steer_at_0_3g_deg (road wheel), sideslip_gradient_deg_g
    (d beta / d a_y over the linear range). The handling diagram (a_y, delta, L/R, beta, speed)
    is in result.info["handling_diagram"]; `plot_handling_diagram` draws it.

    References: ISO 4138:2021 Passenger cars - Steady-state circular driving behaviour - Open-loop
    test methods; SAE J266 (steady-state directional control test procedures); Gillespie,
    Fundamentals of Vehicle Dynamics (1992), sect. 6 (understeer gradient, eq. 6-15).
    """

    name = "skidpad"
    citations = ("iso4138_2021", "sae-j266_1996", "gillespie1992fundamentals")
    standard = ("ISO 4138 steady-state circular driving, constant radius (40 m), speed raised slowly "
                "(path-following and speed-tracking driver)")
    summary = "understeer gradient, maximum lateral acceleration, handling diagram"
    plot_channels = ["vx", "ay", "steer", "yaw_rate"]

    def __init__(self, radius_m: float = 40.0, start_speed_kmh: float = 10.0, accel_m_s2: float = 0.15,
                 max_lat_accel_g: float | None = None, linear_range_g: tuple[float, float] = (0.1, 0.4),
                 low_range_g: tuple[float, float] = (0.02, 0.15), hold_tolerance_m: float = 2.0,
                 speed_tolerance_m_s: float = 1.0, smoothing_s: float = 1.0, preview_s: float = 0.4,
                 log_every: int = 10):
        checks = {"radius_m": (radius_m, 20.0, 500.0, "m"), "start_speed_kmh": (start_speed_kmh, 3.0, 100.0, "km/h"),
                  "accel_m_s2": (accel_m_s2, 0.01, 1.0, "m/s^2"), "hold_tolerance_m": (hold_tolerance_m, 0.1, 20.0, "m"),
                  "speed_tolerance_m_s": (speed_tolerance_m_s, 0.1, 10.0, "m/s"), "preview_s": (preview_s, 0.1, 3.0, "s"),
                  "smoothing_s": (smoothing_s, 0.0, 10.0, "s"), "log_every": (log_every, 1, 100, "steps")}
        if max_lat_accel_g is not None:
            checks["max_lat_accel_g"] = (max_lat_accel_g, 0.1, 3.0, "g")
        for key, (value, low, high, unit) in checks.items():
            if not (isinstance(value, (int, float)) and low <= value <= high):
                raise ParameterError(f"skidpad: {key} = {value!r} is out of range: allowed {low} to {high} {unit}")
        for key, (lo, hi) in (("linear_range_g", linear_range_g), ("low_range_g", low_range_g)):
            if not 0.0 <= lo < hi <= 3.0:
                raise ParameterError(f"skidpad: {key} = {(lo, hi)!r} must be (low, high) with 0 <= low < high <= 3 g")
        self.radius_m = float(radius_m)
        self.start_speed_kmh = float(start_speed_kmh)
        self.accel_m_s2 = float(accel_m_s2)
        self.max_lat_accel_g = max_lat_accel_g
        self.linear_range_g = (float(linear_range_g[0]), float(linear_range_g[1]))
        self.low_range_g = (float(low_range_g[0]), float(low_range_g[1]))
        self.hold_tolerance_m = float(hold_tolerance_m)
        self.smoothing_s = float(smoothing_s)
        self.log_every = int(log_every)
        self.preview_s = float(preview_s)
        self.speed_tolerance_m_s = float(speed_tolerance_m_s)
        self.settle_s = 8.0  # the driver's entry onto the circle at the start speed

    def end_lat_accel_g(self, vehicle, road: Road) -> float:
        """Lateral acceleration [g] at the end speed: max_lat_accel_g if given, else 1.3 x the
        smaller axle's peak tire friction x the road's friction scale (past the limit)."""
        if self.max_lat_accel_g is not None:
            return float(self.max_lat_accel_g)
        from twinmotor.control.params import vehicle_values

        vv = vehicle_values(vehicle)
        mu_road = float(np.max(road.table()[:, 1:3]))
        return 1.3 * min(vv["mu_peak_f"], vv["mu_peak_r"]) * mu_road

    def spec(self, vehicle, road: Road) -> RunSpec:
        v0 = self.start_speed_kmh * KMH
        v1 = max(math.sqrt(self.end_lat_accel_g(vehicle, road) * G_M_S2 * self.radius_m), v0 + 1.0)
        t0 = self.settle_s
        t1 = t0 + (v1 - v0) / self.accel_m_s2
        distance = v0 * t1 + 0.5 * (v1 - v0) * (t1 - t0) + 50.0
        path = circle_path(self.radius_m, distance / (2.0 * math.pi * self.radius_m) + 0.5)
        table = np.array([[0.0, 0, 0, 0.0, v0], [t0, 0, 0, 0.0, v0], [t1, 0, 0, 0.0, v1]])
        gains = {**speed_hold_gains(), "preview_s": self.preview_s}
        return RunSpec(t_end_s=t1, driver_table=table, initial_speed_m_s=v0, driver_kind=DRIVER_PATH_SPEED,
                       road=road, driver_gains=gains, path=path, log_every=self.log_every)

    def handling_diagram(self, r: Result) -> dict[str, np.ndarray]:
        """Smoothed steady-state data while the car holds the circle: a_y [m/s^2], road-wheel steer
        delta [rad], Ackermann angle L/R [rad] (R = V / r), sideslip beta [rad], speed V [m/s],
        path radius R [m], radial offset [m] (distance from the centre less the radius)."""
        t = r["time"]
        dt = float(np.median(np.diff(t))) if t.size > 1 else 1e-3
        n = int(round(self.smoothing_s / dt))
        vx, vy = r["vx"], r["vy"]
        speed = moving_average(np.hypot(vx, vy), n)
        yaw_rate = moving_average(r["yaw_rate"], n)
        ay = moving_average(r["ay"], n)
        steer = moving_average(r["steer"], n)
        beta = moving_average(np.arctan2(vy, np.abs(vx)), n)
        wheelbase = float(r.info["model"].vehicle.wheelbase_m)
        with np.errstate(divide="ignore", invalid="ignore"):
            radius = np.where(np.abs(yaw_rate) > 1e-6, speed / yaw_rate, np.inf)
        offset = np.hypot(r["x"], r["y"] - self.radius_m) - self.radius_m
        target = self.start_speed_kmh * KMH + self.accel_m_s2 * np.clip(t - self.settle_s, 0.0, None)
        holding = (np.abs(offset) <= self.hold_tolerance_m) & (target - speed <= self.speed_tolerance_m_s)
        lost = np.flatnonzero(~holding & (t > self.settle_s))
        usable = (t > self.settle_s) & (t < (t[lost[0]] if lost.size else np.inf))
        # the smoothing window must lie inside the usable span
        usable &= t <= (t[usable][-1] - 0.5 * self.smoothing_s if np.any(usable) else np.inf)
        return {"time_s": t[usable], "ay_m_s2": ay[usable], "steer_rad": steer[usable],
                "ackermann_rad": wheelbase / radius[usable], "sideslip_rad": beta[usable],
                "speed_m_s": speed[usable], "radius_m": radius[usable], "radial_offset_m": offset[usable]}

    def kpis(self, r: Result) -> dict[str, float]:
        """KPIs from the handling diagram (class docstring); the diagram is kept in
        r.info["handling_diagram"] for plots and further analysis."""
        hd = self.handling_diagram(r)
        r.info["handling_diagram"] = hd
        ay, steer, ack, beta = hd["ay_m_s2"], hd["steer_rad"], hd["ackermann_rad"], hd["sideslip_rad"]
        if ay.size == 0:
            nan = float("nan")
            return {"understeer_gradient_deg_g": nan, "understeer_gradient_low_deg_g": nan, "max_lat_accel_g": nan,
                    "speed_at_max_lat_accel_kmh": nan, "steer_at_0_3g_deg": nan, "sideslip_gradient_deg_g": nan}
        i_max = int(np.argmax(ay))
        # fit only up to the maximum: beyond it the car is at its limit, not in a steady state
        ay_g = ay / G_M_S2
        rising = np.arange(ay.size) <= i_max
        lin = rising & (ay_g >= self.linear_range_g[0]) & (ay_g <= self.linear_range_g[1])
        low = rising & (ay_g >= self.low_range_g[0]) & (ay_g <= self.low_range_g[1])
        k_lin, _ = understeer_gradient(ay[lin], steer[lin], ack[lin])
        k_low, _ = understeer_gradient(ay[low], steer[low], ack[low])
        beta_slope = float(np.polyfit(ay[lin], beta[lin], 1)[0]) if np.count_nonzero(lin) >= 10 else float("nan")
        deg_g = math.degrees(1.0) * G_M_S2
        above = np.flatnonzero(ay_g >= 0.3)
        if above.size and above[0] > 0:
            k = int(above[0])
            w = (0.3 - ay_g[k - 1]) / (ay_g[k] - ay_g[k - 1])
            steer_03 = math.degrees(steer[k - 1] + w * (steer[k] - steer[k - 1]))
        else:
            steer_03 = float("nan")
        return {
            "understeer_gradient_deg_g": k_lin * deg_g,
            "understeer_gradient_low_deg_g": k_low * deg_g,
            "max_lat_accel_g": float(ay_g[i_max]),
            "speed_at_max_lat_accel_kmh": float(hd["speed_m_s"][i_max]) * 3.6,
            "steer_at_0_3g_deg": steer_03,
            "sideslip_gradient_deg_g": beta_slope * deg_g,
        }

    def run(self, vehicle, controller, surface="dry", **options) -> Result:
        res = super().run(vehicle, controller, surface, **options)
        res.info["plot_function"] = plot_handling_diagram
        return res
