"""Launch and braking with the left wheels on a low-friction surface (split-mu)."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import KMH
from twinmotor.layout import DRIVER_PATH
from twinmotor.procedures.base import Procedure, check_params, check_surface_name, crossing_time, falling_time, interp_at
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec

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
    """Full braking from `speed_kmh` with the left wheels on `low_surface`; the driver steers to hold
    the straight line, as ISO 14512 (split-mu straight-line braking) allows. KPIs:
    stopping_distance_m, yaw_deviation_deg, lateral_drift_m, max_steer_correction_deg."""

    name = "split-mu-brake"
    citations = ("iso14512_1999", "unr13h_2017")
    standard = "full braking from 100 km/h, left wheels on ice, driver holds the line (after ISO 14512)"
    summary = "stopping distance, yaw deviation, lateral drift"
    plot_channels = ["vx", "yaw", "y", "brake_torque_fl", "brake_torque_fr", "kappa_fl", "kappa_fr"]

    def __init__(self, speed_kmh: float = 100.0, low_surface: str = "ice", t_max_s: float = 40.0):
        check_surface_name("split-mu-brake", "low_surface", low_surface)
        check_params("split-mu-brake", speed_kmh=(speed_kmh, 5.0, 250.0, "km/h"), t_max_s=(t_max_s, 1.0, 120.0, "s"))
        self.speed_kmh = float(speed_kmh)
        self.low_surface = low_surface
        self.t_max_s = float(t_max_s)

    def spec(self, vehicle, road: Road) -> RunSpec:
        table = np.array([[0.0, 0.0, 0.0, 0.0, 0.0], [0.05, 0.0, 1.0, 0.0, 0.0], [self.t_max_s, 0.0, 1.0, 0.0, 0.0]])
        return RunSpec(t_end_s=self.t_max_s, driver_table=table, initial_speed_m_s=self.speed_kmh * KMH,
                       stop_v_below=0.01, stop_after_t=0.2, road=_split_road(road, self.low_surface), log_every=2,
                       driver_kind=DRIVER_PATH, path=STRAIGHT)

    def kpis(self, r: Result) -> dict[str, float]:
        t, v = r["time"], r["vx"]
        t_stop = falling_time(t, v, 0.01)
        return {
            "stopping_distance_m": interp_at(t, r["distance"], t_stop),
            "yaw_deviation_deg": float(np.degrees(np.max(np.abs(r["yaw"])))),
            "lateral_drift_m": float(np.max(np.abs(r["y"]))),
            "max_steer_correction_deg": float(np.degrees(np.max(np.abs(r["steer"])))),
        }
