"""Launch and braking with the left wheels on a low-friction surface (split-mu)."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import G_M_S2, KMH
from twinmotor.layout import DRIVER_PATH
from twinmotor.procedures.base import (
    Limit,
    Procedure,
    check_params,
    check_surface_name,
    crossing_time,
    falling_time,
    interp_at,
)
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec
from twinmotor.simulation.stability import ABS_MAX_PLANT_STEP_S, BRAKE_DIFFERENTIAL_MAX_PLANT_STEP_S

#: the straight line the driver holds: y = 0 for 0 <= x <= 10 km
STRAIGHT = np.array([[0.0, 0.0], [10000.0, 0.0]])


def _split_road(road: Road, low: str) -> Road:
    """Left wheels on `low`, right wheels on the chosen surface (dry if the road is already split)."""
    right = road.segments[0][2] if road.name not in ("split-mu",) and not road.name.startswith("split-mu") else "dry"
    return Road(name=f"split-mu ({low}/{right})", segments=((0.0, low, right),))


class SplitMuLaunch(Procedure):
    """Full-throttle launch with the left wheels on `low_surface` (ice) and the right wheels on the
    chosen surface (dry); the driver steers to hold the straight line (path-following driver with a
    human steering-rate limit), as in split-mu traction tests. No standard pass/fail.

    KPIs: t_0_50_kmh_s, distance_5s_m (distance covered in 5 s), yaw_deviation_deg (largest |yaw|),
    lateral_drift_m (largest |y|), max_steer_correction_deg (road wheel), max_wheel_slip.
    """

    name = "split-mu-launch"
    max_dt_s = BRAKE_DIFFERENTIAL_MAX_PLANT_STEP_S  # see simulation.stability
    standard = "full-throttle launch, left wheels on ice, driver holds the line (twinmotor procedure)"
    summary = "time to 50 km/h, yaw deviation, lateral drift"
    plot_channels = ["vx", "yaw", "y", "motor_torque_front", "motor_torque_rear", "kappa_fl", "kappa_fr"]

    def __init__(self, low_surface: str = "ice", t_max_s: float = 8.0):
        check_surface_name("split-mu-launch", "low_surface", low_surface)
        check_params("split-mu-launch", t_max_s=(t_max_s, 0.5, 120.0, "s"))
        self.low_surface = low_surface
        self.t_max_s = float(t_max_s)

    def spec(self, vehicle, road: Road) -> RunSpec:
        table = np.array([[0.0, 1.0, 0.0, 0.0, 0.0], [self.t_max_s, 1.0, 0.0, 0.0, 0.0]])
        return RunSpec(t_end_s=self.t_max_s, driver_table=table, road=_split_road(road, self.low_surface),
                       log_every=2, driver_kind=DRIVER_PATH, path=STRAIGHT)

    def kpis(self, r: Result) -> dict[str, float]:
        t, v = r["time"], r["vx"]
        slips = np.concatenate([r[f"kappa_{c}"] for c in ("fl", "fr", "rl", "rr")])
        return {
            "t_0_50_kmh_s": crossing_time(t, v, 50 * KMH),
            "distance_5s_m": interp_at(t, r["distance"], 5.0),
            "yaw_deviation_deg": float(np.degrees(np.max(np.abs(r["yaw"])))),
            "lateral_drift_m": float(np.max(np.abs(r["y"]))),
            "max_steer_correction_deg": float(np.degrees(np.max(np.abs(r["steer"])))),
            "max_wheel_slip": float(np.max(np.abs(slips))),
        }


class SplitMuBrake(Procedure):
    """Full braking on split friction, after UN R13-H Annex 6 (anti-lock systems), para. 5.3.5 as we
    read it: the left wheels on a low-adhesion surface (kL), the right on high adhesion (kH), with
    kH >= 0.5 and kH / kL >= 2; the brake suddenly applied at full force from 50 km/h; the car
    starts with its median plane on the boundary between the two surfaces. The driver steers to
    hold the line (path-following driver with a human steering-rate limit). Criteria checked:

    - 5.3.5: the steering correction (steering-wheel angle) within the first 2 s <= 120 deg, and
      overall <= 240 deg;
    - 5.3.5: no part of the tires crosses the boundary during the stop (each tire's contact patch
      stays on its own side of y = 0, with the car's yaw);
    - 5.3.5: the directly controlled wheels do not lock above 15 km/h (a wheel counts as locked when
      its slip stays below -0.95 for 0.1 s);
    - 5.3.4: the braking rate z (mean deceleration over the stop / g) >= 0.75 (4 kL + kH) / 5 and
      >= kL, with kL and kH the tire's peak friction on each surface.

    KPIs: stopping_distance_m, stopping_distance_limit_m (what the two friction levels allow with
    each side at its own peak: v^2 / (g (kL + kH))), braking_rate_z, braking_rate_min_z,
    steer_correction_2s_deg, steer_correction_total_deg, lateral_drift_m, yaw_deviation_deg,
    boundary_margin_m (smallest distance of a tire's inner edge from the boundary; negative: crossed),
    wheel_locked_above_15kmh (1/0), k_high, k_low. Verdict: every criterion above.
    """

    name = "split-mu-brake"
    max_dt_s = ABS_MAX_PLANT_STEP_S  # ABS: see simulation.stability
    citations = ("unr13h_2017", "iso14512_1999")
    standard = "UN R13-H Annex 6 split-friction ABS test: full braking from 50 km/h, left wheels on ice"
    summary = "steering correction in 2 s and overall, boundary, wheel lock, braking rate, stopping distance"
    plot_channels = ["vx", "yaw", "y", "steer", "brake_torque_fl", "brake_torque_fr", "kappa_fl", "kappa_fr"]

    #: UN R13-H Annex 6 para. 5.3.5 limits on the steering-wheel angle [deg]
    STEER_LIMIT_2S_DEG = 120.0
    STEER_LIMIT_TOTAL_DEG = 240.0
    #: no wheel may lock above this speed [km/h]
    LOCK_SPEED_KMH = 15.0
    #: a wheel is locked when its slip stays below this for LOCK_TIME_S
    LOCK_SLIP = -0.95
    LOCK_TIME_S = 0.1

    def __init__(self, speed_kmh: float = 50.0, low_surface: str = "ice", t_max_s: float = 30.0):
        check_surface_name("split-mu-brake", "low_surface", low_surface)
        check_params("split-mu-brake", speed_kmh=(speed_kmh, 10.0, 160.0, "km/h"), t_max_s=(t_max_s, 1.0, 120.0, "s"))
        self.speed_kmh = float(speed_kmh)
        self.low_surface = low_surface
        self.t_max_s = float(t_max_s)

    def spec(self, vehicle, road: Road) -> RunSpec:
        table = np.array([[0.0, 0.0, 0.0, 0.0, 0.0], [0.05, 0.0, 1.0, 0.0, 0.0], [self.t_max_s, 0.0, 1.0, 0.0, 0.0]])
        split = _split_road(road, self.low_surface)
        self._surfaces = split.segments[0][1:]
        return RunSpec(t_end_s=self.t_max_s, driver_table=table, initial_speed_m_s=self.speed_kmh * KMH,
                       stop_v_below=0.01, stop_after_t=0.2, road=split, log_every=2,
                       driver_kind=DRIVER_PATH, path=STRAIGHT)

    def limits(self) -> dict[str, Limit]:
        return {"steer_correction_2s_deg": Limit("<=", self.STEER_LIMIT_2S_DEG, "deg", "UN R13-H Annex 6, 5.3.5"),
                "steer_correction_total_deg": Limit("<=", self.STEER_LIMIT_TOTAL_DEG, "deg",
                                                    "UN R13-H Annex 6, 5.3.5"),
                "boundary_margin_m": Limit(">=", 0.0, "m", "UN R13-H Annex 6, 5.3.5")}

    def kpis(self, r: Result) -> dict[str, float]:
        model = r.info["model"]
        vehicle = model.vehicle
        t, v = r["time"], r["vx"]
        t_stop = falling_time(t, v, 0.01)
        dist = interp_at(t, r["distance"], t_stop)
        ratio = vehicle.steering.steering_ratio
        sw = np.degrees(np.abs(r["steer"])) * ratio
        first = t <= 2.0 + t[0]
        # tire contact patches: centre of each axle moved by the yaw, +- half track, inner edge
        lf, lr = vehicle.cg_to_front_axle_m, vehicle.cg_to_rear_axle_m
        yaw = r["yaw"]
        margins = []
        for dist_x, track, tire in ((lf, vehicle.track_front_m, vehicle.tires.front),
                                          (-lr, vehicle.track_rear_m, vehicle.tires.rear)):
            y_axle = r["y"] + dist_x * np.sin(yaw)
            half_in = 0.5 * track * np.cos(yaw) - 0.5 * _tire_width_m(tire)
            margins.append(np.min(y_axle + half_in))    # left tires stay left of y = 0
            margins.append(np.min(half_in - y_axle))    # right tires stay right of it
        locked = 0.0
        fast = v > self.LOCK_SPEED_KMH * KMH
        n_lock = max(1, int(round(self.LOCK_TIME_S / max(t[1] - t[0], 1e-9)))) if t.size > 1 else 1
        for c in ("fl", "fr", "rl", "rr"):
            bad = (r[f"kappa_{c}"] < self.LOCK_SLIP) & fast
            run = np.convolve(bad.astype(float), np.ones(n_lock), mode="valid") if bad.size >= n_lock else np.zeros(1)
            if np.any(run >= n_lock):
                locked = 1.0
        k_low, k_high = _side_peaks(model, *getattr(self, "_surfaces", (self.low_surface, "dry")))
        v0 = self.speed_kmh * KMH
        z = v0 * v0 / (2.0 * dist * G_M_S2) if dist > 0 else float("nan")
        return {
            "stopping_distance_m": dist,
            "stopping_distance_limit_m": v0 * v0 / (G_M_S2 * (k_low + k_high)),
            "braking_rate_z": z,
            "braking_rate_min_z": max(0.75 * (4.0 * k_low + k_high) / 5.0, k_low),
            "steer_correction_2s_deg": float(np.max(sw[first])),
            "steer_correction_total_deg": float(np.max(sw)),
            "lateral_drift_m": float(np.max(np.abs(r["y"]))),
            "yaw_deviation_deg": float(np.degrees(np.max(np.abs(yaw)))),
            "boundary_margin_m": float(min(margins)),
            "wheel_locked_above_15kmh": locked,
            "k_high": k_high,
            "k_low": k_low,
        }

    def verdict(self, k: dict[str, float]) -> bool | None:
        return bool(k["steer_correction_2s_deg"] <= self.STEER_LIMIT_2S_DEG
                    and k["steer_correction_total_deg"] <= self.STEER_LIMIT_TOTAL_DEG
                    and k["boundary_margin_m"] >= 0.0 and k["wheel_locked_above_15kmh"] == 0.0
                    and k["braking_rate_z"] >= k["braking_rate_min_z"]
                    and k["k_high"] >= 0.5 and k["k_high"] >= 2.0 * k["k_low"])


def _tire_width_m(tire) -> float:
    from twinmotor.tire import parse_size

    return parse_size(tire.size).width_m


def _side_peaks(model, low, high) -> tuple[float, float]:
    """Peak friction coefficients kL (left) and kH (right) of the tires on the two surfaces (names
    or friction scales): the front tire's peak at its static load times each surface's scale."""
    from twinmotor.control.params import vehicle_values
    from twinmotor.road import surface_mu

    mu = vehicle_values(model.vehicle)["mu_peak_f"]

    def scale(x):
        return surface_mu(x) if isinstance(x, str) else float(x)

    return mu * scale(low), mu * scale(high)
