"""Full braking from 100 km/h to standstill on a level road."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import G_M_S2, KMH
from twinmotor.procedures.base import Limit, Procedure, check_params, falling_time, interp_at
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec


class Brake(Procedure):
    """Straight-line full braking: pedal applied in `pedal_ramp_s` at t = 0 from `speed_kmh`, held to
    a stop. Distance measured from pedal application (magazine practice, includes actuator lag).

    KPIs: stopping_distance_m; mean_decel_g, the mean fully developed deceleration (MFDD) of
    UN R13-H Annex 4: (vb^2 - ve^2) / (2 (se - sb)) between vb = 0.8 v0 and ve = 0.1 v0, in g;
    peak_pitch_deg (nose down positive); time_to_stop_s.
    Verdict: the UN R13-H type-0 service-brake requirement, s <= 0.1 v + v^2/150 (v in km/h,
    s in m) and MFDD >= 6.43 m/s^2.
    """

    name = "brake"
    citations = ("unr13h_2017",)
    standard = "full braking 100-0 km/h; verdict per UN R13-H type-0 (engine disconnected)"
    summary = "stopping distance, mean deceleration, pitch"
    plot_channels = ["vx", "ax", "pitch", "brake_torque_fl", "brake_torque_rl", "kappa_fl", "kappa_rl"]

    def __init__(self, speed_kmh: float = 100.0, pedal_ramp_s: float = 0.05, t_max_s: float = 20.0):
        check_params("brake", speed_kmh=(speed_kmh, 5.0, 300.0, "km/h"), pedal_ramp_s=(pedal_ramp_s, 0.0, 2.0, "s"),
                     t_max_s=(t_max_s, 1.0, 120.0, "s"))
        self.speed_kmh = float(speed_kmh)
        self.pedal_ramp_s = float(pedal_ramp_s)
        self.t_max_s = float(t_max_s)

    def spec(self, vehicle, road: Road) -> RunSpec:
        table = np.array([[0.0, 0.0, 0.0, 0.0, 0.0], [self.pedal_ramp_s, 0.0, 1.0, 0.0, 0.0],
                          [self.t_max_s, 0.0, 1.0, 0.0, 0.0]])
        return RunSpec(t_end_s=self.t_max_s, driver_table=table, initial_speed_m_s=self.speed_kmh * KMH,
                       stop_v_below=0.01, stop_after_t=0.2, road=road, log_every=1)

    def kpis(self, r: Result) -> dict[str, float]:
        t, v, s = r["time"], r["vx"], r["distance"]
        v0 = self.speed_kmh * KMH
        t_stop = falling_time(t, v, 0.01)
        tb = falling_time(t, v, 0.8 * v0)
        te = falling_time(t, v, 0.1 * v0)
        sb, se = interp_at(t, s, tb), interp_at(t, s, te)
        mfdd = ((0.8 * v0) ** 2 - (0.1 * v0) ** 2) / (2.0 * (se - sb)) if se > sb else float("nan")
        return {
            "stopping_distance_m": interp_at(t, s, t_stop),
            "mean_decel_g": mfdd / G_M_S2,
            "peak_pitch_deg": float(np.degrees(np.max(r["pitch"]))),
            "time_to_stop_s": t_stop,
        }

    def limits(self) -> dict[str, Limit]:
        v = self.speed_kmh
        return {"stopping_distance_m": Limit("<=", 0.1 * v + v * v / 150.0, "m", "UN R13-H Annex 3, type-0 test"),
                "mean_decel_g": Limit(">=", 6.43 / G_M_S2, "g", "UN R13-H Annex 3, type-0 test")}

    def verdict(self, k: dict[str, float]) -> bool | None:
        v = self.speed_kmh
        limit = 0.1 * v + v * v / 150.0
        d, a = k["stopping_distance_m"], k["mean_decel_g"] * G_M_S2
        if not (np.isfinite(d) and np.isfinite(a)):
            return False
        return bool(d <= limit and a >= 6.43)
