"""Full braking from 100 km/h to standstill on a level road."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import G_M_S2, KMH
from twinmotor.procedures.base import Limit, Procedure, check_params, falling_time, interp_at
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec
from twinmotor.simulation.stability import ABS_MAX_PLANT_STEP_S

#: UN R13-H Annex 3, type-0 test with the engine disconnected (category M1): the least mean fully
#: developed deceleration [m/s^2] and the coefficients of s <= a v + b v^2 [m, v in km/h]
R13H_TYPE0_MFDD_M_S2 = 6.43
R13H_TYPE0_A = 0.1
R13H_TYPE0_B = 0.0060


def r13h_type0_distance_m(speed_kmh: float) -> float:
    """Longest stopping distance [m] UN R13-H's type-0 test (engine disconnected) allows from speed_kmh."""
    return R13H_TYPE0_A * speed_kmh + R13H_TYPE0_B * speed_kmh * speed_kmh


class Brake(Procedure):
    """Straight-line full braking: pedal applied in `pedal_ramp_s` at t = 0 from `speed_kmh`, held to
    a stop. Distance measured from pedal application (magazine practice, includes actuator lag).

    KPIs: stopping_distance_m; mean_decel_g, the mean fully developed deceleration (MFDD) of
    UN R13-H Annex 4: (vb^2 - ve^2) / (2 (se - sb)) between vb = 0.8 v0 and ve = 0.1 v0, in g;
    peak_pitch_deg (nose down positive); time_to_stop_s.
    Verdict: the UN R13-H type-0 service-brake requirement with the engine disconnected (Annex 3),
    s <= 0.1 v + 0.0060 v^2 (v in km/h, s in m) and MFDD >= 6.43 m/s^2. The two go together: the
    quadratic term is the distance of a stop at 6.43 m/s^2, v^2 / (2 * 3.6^2 * 6.43) = 0.0060 v^2, and
    0.1 v that of 0.36 s of reaction at the initial speed. (The engine-connected test pairs
    0.0067 v^2 = v^2 / 150 with 5.76 m/s^2.)
    """

    name = "brake"
    max_dt_s = ABS_MAX_PLANT_STEP_S  # ABS: see simulation.stability
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
        return {"stopping_distance_m": Limit("<=", r13h_type0_distance_m(self.speed_kmh), "m",
                                             "UN R13-H Annex 3, type-0 test"),
                "mean_decel_g": Limit(">=", R13H_TYPE0_MFDD_M_S2 / G_M_S2, "g", "UN R13-H Annex 3, type-0 test")}

    def verdict(self, k: dict[str, float]) -> bool | None:
        limit = r13h_type0_distance_m(self.speed_kmh)
        d, a = k["stopping_distance_m"], k["mean_decel_g"] * G_M_S2
        if not (np.isfinite(d) and np.isfinite(a)):
            return False
        return bool(d <= limit and a >= R13H_TYPE0_MFDD_M_S2)
