"""Steady cruise: the battery power a car needs to hold a constant speed on a level road."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import J_PER_KWH, KMH
from twinmotor.layout import DRIVER_SPEED
from twinmotor.procedures.base import Procedure, check_params, speed_hold_gains
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec


class Cruise(Procedure):
    """Constant `speed_kmh` held by the speed-tracking driver for `duration_s`; KPIs averaged over
    the last `measure_s`: battery_power_kw (at the terminals), energy_kwh_per_100km,
    front_motor_share_pct (front share of positive motor shaft power), speed_error_kmh (RMS).
    The road-load power check of SAE J2263 coast-down practice in reverse: what it costs to cruise."""

    name = "cruise"
    citations = ("sae-j2263_2008",)
    standard = "steady speed on a level road (road-load power, after SAE J2263 / J1634 practice)"
    summary = "battery power and energy per 100 km at constant speed"
    plot_channels = ["vx", "battery_power", "motor_torque_front", "motor_torque_rear"]

    def __init__(self, speed_kmh: float = 100.0, duration_s: float = 20.0, measure_s: float = 10.0):
        check_params("cruise", speed_kmh=(speed_kmh, 5.0, 250.0, "km/h"), duration_s=(duration_s, 1.0, 3600.0, "s"),
                     measure_s=(measure_s, 0.5, duration_s if isinstance(duration_s, (int, float)) else 0.5, "s"))
        self.speed_kmh = float(speed_kmh)
        self.duration_s = float(duration_s)
        self.measure_s = float(measure_s)

    def spec(self, vehicle, road: Road) -> RunSpec:
        v = self.speed_kmh * KMH
        table = np.array([[0.0, 0, 0, 0.0, v], [self.duration_s, 0, 0, 0.0, v]])
        return RunSpec(t_end_s=self.duration_s, driver_table=table, initial_speed_m_s=v, driver_kind=DRIVER_SPEED,
                       road=road, driver_gains=speed_hold_gains(), log_every=10)

    def kpis(self, r: Result) -> dict[str, float]:
        t = r["time"]
        w = t >= t[-1] - self.measure_s
        p = float(np.mean(r["battery_power"][w]))
        v = float(np.mean(r["vx"][w]))
        pf = np.clip(r["motor_torque_front"][w] * r["motor_speed_front"][w], 0, None).sum()
        pr = np.clip(r["motor_torque_rear"][w] * r["motor_speed_rear"][w], 0, None).sum()
        return {
            "battery_power_kw": p / 1000.0,
            "energy_kwh_per_100km": p / v * 1e5 / J_PER_KWH if v > 0 else float("nan"),
            "front_motor_share_pct": 100.0 * pf / (pf + pr) if pf + pr > 0 else float("nan"),
            "speed_error_kmh": float(np.sqrt(np.mean((r["vx"][w] - self.speed_kmh * KMH) ** 2)) * 3.6),
        }
