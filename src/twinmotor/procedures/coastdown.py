"""Coast-down: the road-load coefficients A, B, C the model implies, as a test track measures them.

SAE J2263 and UN GTR 15 (Annex 4) let the car coast in neutral on a level road from above the
highest reference speed and fit the road load F = A + B v + C v^2 to the measured deceleration,
F = -(m + m_r) dv/dt with m_r the equivalent mass of the rotating parts. An electric car coasts
with its motors at zero torque ("coast-down mode": no regeneration), so the idle motors' drag,
the drive units' spin losses, wheel-bearing and released-brake drag are part of what it measures,
as on the track. Here the full vehicle model coasts from 130 km/h to 15 km/h with the open-loop
controller at zero pedal, and A [N], B [N/(km/h)], C [N/(km/h)^2] are fitted by least squares over
20-125 km/h, v in km/h as in published test-car lists. Where the car states published coefficients
(`road_load`), the road load of both at 50 and 100 km/h and their difference are reported.
Simplified: no wind, a single run (the standards average runs in both directions).
"""

from __future__ import annotations

import numpy as np

from twinmotor.constants import KMH
from twinmotor.procedures.base import Procedure
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec

#: speeds [km/h]: start, end of the coast, and the fitted band (GTR 15 reference speeds 20-125 km/h)
START_KMH, END_KMH, FIT_LOW_KMH, FIT_HIGH_KMH = 130.0, 15.0, 20.0, 125.0


def equivalent_mass_kg(model) -> float:
    """Test mass plus the rotating parts' equivalent mass [kg]: wheels (I / r^2) and each coupled
    motor rotor (J G^2 / r^2)."""
    from twinmotor.layout import VP
    from twinmotor.powertrain.motor import M_INERTIA

    vp = model.vp
    m = vp[VP["mass"]]
    for a, mc in (("f", model.mc_f), ("r", model.mc_r)):
        r = vp[VP[f"radius_{a}"]]
        m += 2.0 * vp[VP[f"wheel_inertia_{a}"]] / r**2
        if vp[VP[f"has_motor_{a}"]] > 0.5:
            m += mc[M_INERTIA] * vp[VP[f"gear_{a}"]] ** 2 / r**2
    return float(m)


def fit_road_load(t: np.ndarray, v_m_s: np.ndarray, mass_kg: float) -> tuple[float, float, float]:
    """Least-squares A [N], B [N/(km/h)], C [N/(km/h)^2] of F = A + B v + C v^2 (v in km/h) from a
    coast-down's speed trace, F = -mass dv/dt (central differences), within FIT_LOW..FIT_HIGH km/h."""
    a = np.gradient(v_m_s, t)
    v_kmh = v_m_s / KMH
    use = (v_kmh >= FIT_LOW_KMH) & (v_kmh <= FIT_HIGH_KMH)
    f = -mass_kg * a[use]
    x = v_kmh[use]
    coef, *_ = np.linalg.lstsq(np.column_stack([np.ones_like(x), x, x * x]), f, rcond=None)
    return float(coef[0]), float(coef[1]), float(coef[2])


class Coastdown(Procedure):
    """Coast-down from 130 to 15 km/h on a level road and the road-load coefficients it gives
    (SAE J2263 / UN GTR 15 style, see the module docstring).

    KPIs: coastdown_a_n, coastdown_b_n_per_kmh, coastdown_c_n_per_kmh2, coastdown_time_s (130-15 km/h),
    road_load_50_kmh_n and road_load_100_kmh_n from the fit; with published coefficients on the car,
    published_road_load_50_kmh_n, published_road_load_100_kmh_n and their differences in percent."""

    name = "coastdown"
    citations = ("sae-j2263_2008", "gtr15_2014")
    standard = "coast-down road load (SAE J2263 / UN GTR 15 Annex 4), one run, no wind"
    summary = "road-load coefficients A, B, C"
    plot_channels = ["vx", "motor_torque_front", "motor_torque_rear"]

    def spec(self, vehicle, road: Road) -> RunSpec:
        t_max = 400.0
        table = np.array([[0.0, 0.0, 0.0, 0.0, 0.0], [t_max, 0.0, 0.0, 0.0, 0.0]])
        return RunSpec(t_end_s=t_max, driver_table=table, initial_speed_m_s=START_KMH * KMH,
                       stop_v_below=END_KMH * KMH, stop_after_t=0.0, road=road, log_every=100)

    def run(self, vehicle, controller=None, surface="dry", **options) -> Result:
        # coast-down mode: motors at zero torque, no regeneration, whatever controller the car has
        from twinmotor.control import make_controller
        from twinmotor.simulation.runner import resolve_vehicle

        v = resolve_vehicle(vehicle)
        return super().run(v, make_controller("open", v), surface, **options)

    def kpis(self, r: Result) -> dict[str, float]:
        t, v = np.asarray(r["time"]), np.asarray(r["vx"])
        model = r.info["model"]
        a, b, c = fit_road_load(t, v, equivalent_mass_kg(model))
        out = {"coastdown_a_n": a, "coastdown_b_n_per_kmh": b, "coastdown_c_n_per_kmh2": c,
               "coastdown_time_s": float(t[-1] - t[0]),
               "road_load_50_kmh_n": a + 50.0 * b + 2500.0 * c, "road_load_100_kmh_n": a + 100.0 * b + 1e4 * c}
        pub = model.vehicle.road_load
        if pub is not None:
            for kmh in (50, 100):
                f_pub = pub.a_n + kmh * pub.b_n_per_kmh + kmh * kmh * pub.c_n_per_kmh2
                out[f"published_road_load_{kmh}_kmh_n"] = f_pub
                out[f"road_load_{kmh}_kmh_vs_published_pct"] = 100.0 * (out[f"road_load_{kmh}_kmh_n"] - f_pub) / f_pub
        return out
