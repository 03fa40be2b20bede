"""ISO 7401 step steer: lateral transient response at constant speed."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import KMH
from twinmotor.layout import DRIVER_SPEED
from twinmotor.procedures.base import Procedure, check_params, crossing_time, speed_hold_gains
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec


class StepSteer(Procedure):
    """ISO 7401 step steer input: at `speed_kmh` (80 km/h by the standard) the road-wheel angle is
    ramped in `ramp_s` (the standard asks for 0.15 s or less) to the angle that gives
    `lat_accel_m_s2` (4 m/s^2) in the linear single-track model of the same car, then held.
    Speed is held by the speed-tracking driver (the standard holds the accelerator; both keep the
    speed within its tolerance). Steer to the left.

    KPIs (times from the instant the steer reaches 50 % of its final value, as the standard defines):
    yaw_rate_response_time_s (to 90 % of steady state), yaw_rate_peak_time_s, yaw_rate_overshoot_pct,
    lat_accel_response_time_s, steady_yaw_gain_1_s (steady yaw rate / road-wheel angle),
    steady_lat_accel_m_s2, max_sideslip_deg, yaw_rate_error_rms_deg_s (against the reference yaw
    rate of the single-track model saturated by road friction, after the steer input).
    """

    name = "step-steer"
    citations = ("iso7401_2011",)
    standard = "ISO 7401 step steer, 80 km/h, steer for 4 m/s^2 (speed held by the driver model)"
    summary = "yaw-rate response and peak times, overshoot, steady gain"
    plot_channels = ["yaw_rate", "ay", "steer", "vx", "roll"]

    def __init__(self, speed_kmh: float = 80.0, lat_accel_m_s2: float = 4.0, ramp_s: float = 0.1,
                 hold_s: float = 4.0):
        check_params(self.name, speed_kmh=(speed_kmh, 10.0, 250.0, "km/h"),
                     lat_accel_m_s2=(lat_accel_m_s2, 0.1, 15.0, "m/s^2"), ramp_s=(ramp_s, 0.01, 2.0, "s"),
                     hold_s=(hold_s, 0.5, 60.0, "s"))
        self.speed_kmh = float(speed_kmh)
        self.lat_accel_m_s2 = float(lat_accel_m_s2)
        self.ramp_s = float(ramp_s)
        self.hold_s = float(hold_s)
        self.t0_s = 1.0

    def steer_angle_rad(self, vehicle) -> float:
        from twinmotor.control.params import vehicle_values
        from twinmotor.models.single_track import steer_for_lat_accel

        vv = vehicle_values(vehicle)
        v = self.speed_kmh * KMH
        return steer_for_lat_accel(self.lat_accel_m_s2, vv["wheelbase"], vv["k_us"], v)

    def spec(self, vehicle, road: Road) -> RunSpec:
        v = self.speed_kmh * KMH
        d = self.steer_angle_rad(vehicle)
        t0, t1 = self.t0_s, self.t0_s + self.ramp_s
        t_end = t1 + self.hold_s
        table = np.array([[0.0, 0, 0, 0.0, v], [t0, 0, 0, 0.0, v], [t1, 0, 0, d, v], [t_end, 0, 0, d, v]])
        return RunSpec(t_end_s=t_end, driver_table=table, initial_speed_m_s=v, driver_kind=DRIVER_SPEED,
                       road=road, driver_gains=speed_hold_gains(), log_every=1)

    def kpis(self, r: Result) -> dict[str, float]:
        from twinmotor.control.params import IDX, N_PARAMS, vehicle_values
        from twinmotor.control.yaw import reference_yaw_rate

        t, yr, ay, steer = r["time"], r["yaw_rate"], r["ay"], r["steer"]
        d_final = float(steer[-1])
        t50 = crossing_time(t, steer, 0.5 * d_final)
        last = t >= t[-1] - 1.0
        r_ss = float(np.mean(yr[last]))
        ay_ss = float(np.mean(ay[last]))
        after = t >= t50
        i_peak = int(np.argmax(yr * (1 if r_ss >= 0 else -1) * after))
        # reference yaw rate of the single-track model, saturated by the road's friction
        vv = vehicle_values(r.info["model"].vehicle)
        p = np.zeros(N_PARAMS)
        for k, val in vv.items():
            p[IDX[k]] = val
        mu = np.minimum(vv["mu_peak_f"], vv["mu_peak_r"]) * np.mean([r[f"mu_{c}"] for c in ("fl", "fr", "rl", "rr")], axis=0)
        ref = np.array([reference_yaw_rate(p, vx, d, m) for vx, d, m in zip(r["vx"], steer, mu)])
        err = (yr - ref)[after]
        beta = np.degrees(np.arctan2(r["vy"], np.abs(r["vx"])))
        return {
            "yaw_rate_response_time_s": crossing_time(t[after], np.abs(yr[after]), 0.9 * abs(r_ss)) - t50,
            "yaw_rate_peak_time_s": float(t[i_peak]) - t50,
            "yaw_rate_overshoot_pct": 100.0 * (abs(yr[i_peak]) - abs(r_ss)) / abs(r_ss) if r_ss else float("nan"),
            "lat_accel_response_time_s": crossing_time(t[after], np.abs(ay[after]), 0.9 * abs(ay_ss)) - t50,
            "steady_yaw_gain_1_s": r_ss / d_final if d_final else float("nan"),
            "steady_lat_accel_m_s2": ay_ss,
            "max_sideslip_deg": float(np.max(np.abs(beta[after]))),
            "yaw_rate_error_rms_deg_s": float(np.degrees(np.sqrt(np.mean(err ** 2)))) if err.size else float("nan"),
        }


class LimitStepSteer(StepSteer):
    """The ISO 7401 procedure asking for more than the road gives: the road-wheel angle of the
    linear model for 7 m/s^2 (beyond the wet limit of about 5 m/s^2), to see how closely the car
    follows the friction-limited reference yaw rate and how far its sideslip grows."""

    name = "step-steer-limit"
    standard = "ISO 7401 step steer at 80 km/h asking for 7 m/s^2 (beyond the limit on wet)"
    summary = "yaw-rate error against the friction-limited reference, peak sideslip"

    def __init__(self, speed_kmh: float = 80.0, lat_accel_m_s2: float = 7.0, ramp_s: float = 0.1,
                 hold_s: float = 4.0):
        super().__init__(speed_kmh, lat_accel_m_s2, ramp_s, hold_s)
