"""Regenerative stop: a steady stop from 60 km/h at a comfortable deceleration."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import G_M_S2, KMH
from twinmotor.control.params import BRAKE_PEDAL_FULL_DECEL_M_S2
from twinmotor.procedures.base import Procedure, check_params, falling_time, interp_at
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec


class RegenStop(Procedure):
    """Stop from `speed_kmh` with the accelerator released and the brake pedal held at the
    position that asks for `decel_g` in twinmotor's standard pedal map (full pedal =
    BRAKE_PEDAL_FULL_DECEL_M_S2), to standstill. With one-pedal driving the e-Pedal adds nothing
    above its own 0.2 g. No standard prescribes this test; it measures what Nissan claims for
    twin-motor regeneration: less pitch and nose-dive in stop-and-go traffic, energy back.

    KPIs: peak_pitch_deg (nose down +), peak_pitch_rate_deg_s, peak_jerk_m_s3 (largest |d ax/dt|,
    ax filtered with a 10 Hz first-order low-pass as an accelerometer for comfort would be),
    energy_recovered_wh (into the battery), regen_share_pct (regenerated / kinetic energy at start),
    stopping_distance_m.
    """

    name = "regen-stop"
    citations = ("nissan2019leafeplusawd",)
    standard = "steady stop from 60 km/h at 0.3 g (twinmotor procedure; comfort and energy KPIs)"
    summary = "pitch, pitch rate, jerk, energy recovered"
    plot_channels = ["vx", "ax", "pitch", "pitch_rate", "motor_torque_front", "motor_torque_rear", "brake_torque_fl"]

    def __init__(self, speed_kmh: float = 60.0, decel_g: float = 0.3, t_max_s: float = 15.0):
        check_params("regen-stop", speed_kmh=(speed_kmh, 5.0, 200.0, "km/h"), decel_g=(decel_g, 0.02, 1.5, "g"),
                     t_max_s=(t_max_s, 1.0, 120.0, "s"))
        self.speed_kmh = float(speed_kmh)
        self.decel_g = float(decel_g)
        self.t_max_s = float(t_max_s)

    def spec(self, vehicle, road: Road) -> RunSpec:
        pedal = self.decel_g * G_M_S2 / BRAKE_PEDAL_FULL_DECEL_M_S2
        table = np.array([[0.0, 0.0, 0.0, 0.0, 0.0], [0.3, 0.0, pedal, 0.0, 0.0], [self.t_max_s, 0.0, pedal, 0.0, 0.0]])
        return RunSpec(t_end_s=self.t_max_s, driver_table=table, initial_speed_m_s=self.speed_kmh * KMH,
                       stop_v_below=-1.0, stop_after_t=self.t_max_s, road=road, log_every=1)

    def kpis(self, r: Result) -> dict[str, float]:
        t, v = r["time"], r["vx"]
        dt = float(t[1] - t[0]) if t.size > 1 else 1e-3
        tau = 1.0 / (2.0 * np.pi * 10.0)
        ax_f = np.empty_like(r["ax"])
        acc = r["ax"][0]
        k = dt / (tau + dt)
        for i, a in enumerate(r["ax"]):
            acc += k * (a - acc)
            ax_f[i] = acc
        jerk = np.diff(ax_f) / dt
        v0 = self.speed_kmh * KMH
        model = r.info["model"]
        ke0 = 0.5 * model.vehicle.mass_kg * v0 * v0
        regen_j = r.energy_j["battery_regen"]
        t_stop = falling_time(t, v, 0.01)
        return {
            "peak_pitch_deg": float(np.degrees(np.max(r["pitch"]))),
            "peak_pitch_rate_deg_s": float(np.degrees(np.max(np.abs(r["pitch_rate"])))),
            "peak_jerk_m_s3": float(np.max(np.abs(jerk))) if jerk.size else float("nan"),
            "energy_recovered_wh": regen_j / 3600.0,
            "regen_share_pct": 100.0 * regen_j / ke0,
            "stopping_distance_m": interp_at(t, r["distance"], t_stop),
        }
