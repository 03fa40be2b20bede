"""Full-throttle acceleration from standstill (the magazine / manufacturer acceleration test)."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import KMH, MPH
from twinmotor.procedures.base import Procedure, check_params, crossing_time
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec

QUARTER_MILE_M = 402.336


class Accel(Procedure):
    """Standing start, accelerator floored at t = 0 and held, on a level road.

    Follows common practice of published figures (SAE J1491-style timing from first motion,
    no roll-out subtracted). KPIs: t_0_60_mph_s, t_0_100_kmh_s, t_80_120_kmh_s (measured in the
    same run), quarter_mile_s, peak_power_kw (battery DC output), max_wheel_slip. NaN where the car
    does not reach the speed or distance within `t_max_s`.
    """

    name = "accel"
    citations = ("sae-j1491_2006",)
    standard = "full-throttle standing start (SAE J1491-style timing, no roll-out)"
    summary = "0-60 mph, 0-100 km/h, 80-120 km/h, quarter mile, peak power"
    plot_channels = ["vx", "ax", "pitch", "motor_torque_front", "motor_torque_rear", "kappa_fl", "kappa_rl"]

    def __init__(self, t_max_s: float = 40.0, end_speed_kmh: float = 125.0):
        check_params("accel", t_max_s=(t_max_s, 0.5, 600.0, "s"), end_speed_kmh=(end_speed_kmh, 10.0, 400.0, "km/h"))
        self.t_max_s = float(t_max_s)
        self.end_speed_kmh = float(end_speed_kmh)

    def spec(self, vehicle, road: Road) -> RunSpec:
        table = np.array([[0.0, 1.0, 0.0, 0.0, 0.0], [self.t_max_s, 1.0, 0.0, 0.0, 0.0]])
        return RunSpec(t_end_s=self.t_max_s, driver_table=table, stop_v_above=self.end_speed_kmh * KMH,
                       stop_s_above=QUARTER_MILE_M, road=road, log_every=2)

    def kpis(self, r: Result) -> dict[str, float]:
        t, v, s = r["time"], r["vx"], r["distance"]
        t80 = crossing_time(t, v, 80 * KMH)
        t120 = crossing_time(t, v, 120 * KMH)
        slips = np.concatenate([r[f"kappa_{c}"] for c in ("fl", "fr", "rl", "rr")])
        return {
            "t_0_60_mph_s": crossing_time(t, v, 60 * MPH),
            "t_0_100_kmh_s": crossing_time(t, v, 100 * KMH),
            "t_80_120_kmh_s": t120 - t80,
            "quarter_mile_s": crossing_time(t, s, QUARTER_MILE_M),
            "peak_power_kw": float(np.max(r["battery_power"])) / 1000.0,
            "max_wheel_slip": float(np.max(np.abs(slips))) if slips.size else float("nan"),
        }
