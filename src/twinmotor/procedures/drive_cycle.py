"""Drive cycles: energy, losses and how well the car follows the trace."""

from __future__ import annotations

import dataclasses

import numpy as np

from twinmotor.constants import J_PER_KWH, MPH
from twinmotor.cycles import Cycle, load_cycle
from twinmotor.layout import DRIVER_SPEED
from twinmotor.procedures.base import Procedure, check_params
from twinmotor.road import Road, make_road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec

#: charger efficiency from the wall to the battery when the run does not say which car (typical level 2)
CHARGER_EFFICIENCY = 0.88
#: EPA trace tolerance: +-2 mph of the trace within +-1 s (40 CFR 86.115-78(b)(1))
TRACE_TOLERANCE_M_S = 2.0 * MPH
TRACE_TOLERANCE_S = 1.0


def cycle_driver_gains() -> dict[str, float]:
    """Speed-tracking driver for drive cycles: pedal per m/s of error, integral, feed-forward per
    m/s^2 of the trace's slope one second ahead, and the integrator's start (one-pedal band)."""
    return {"kp_speed": 0.4, "ki_speed": 0.3, "throttle_ff": 0.12, "brake_ff": 0.1, "speed_int": 0.25}


def trace_violation_s(t: np.ndarray, v: np.ndarray, tc: np.ndarray, vc: np.ndarray) -> float:
    """Seconds during which the speed is outside the trace's band: above the highest or below the
    lowest trace speed within +-1 s, widened by +-2 mph (the EPA's speed tolerance)."""
    hi = np.interp(t, tc, np.maximum.reduce([np.interp(tc + d, tc, vc) for d in (-1.0, 0.0, 1.0)]))
    lo = np.interp(t, tc, np.minimum.reduce([np.interp(tc + d, tc, vc) for d in (-1.0, 0.0, 1.0)]))
    out = (v > hi + TRACE_TOLERANCE_M_S) | (v < lo - TRACE_TOLERANCE_M_S)
    dt = np.diff(t, prepend=t[0])
    return float(np.sum(dt[out]))


def cycle_grade_profile(c: Cycle) -> tuple[tuple[float, float], ...]:
    """The cycle's grade (given per time point) as pieces along the path: the road's grade from the
    distance the trace has covered at each of its points (trapezoidal), as a dynamometer applies it."""
    s = np.concatenate([[0.0], np.cumsum(0.5 * (c.speed_m_s[1:] + c.speed_m_s[:-1]) * np.diff(c.time_s))])
    pieces: list[tuple[float, float]] = []
    for s_k, g_k in zip(s, 100.0 * c.grade):
        if pieces and s_k <= pieces[-1][0]:
            pieces[-1] = (pieces[-1][0], float(g_k))  # standing still: the latest grade holds
        else:
            pieces.append((float(s_k), float(g_k)))
    return tuple(pieces)


def wall_efficiency(r: Result) -> float:
    """Wall-to-battery efficiency [-] of the run's car at its level 2 charging power
    (powertrain.charger; the fixed 0.88 when the run has no model)."""
    from twinmotor.powertrain.charger import charger_efficiency

    model = r.info.get("model")
    if model is None:
        return CHARGER_EFFICIENCY
    c = model.vehicle.charger
    return charger_efficiency(c.power_kw * 1e3, c.standby_loss_w, c.conversion_loss_fraction)


def energy_kpis(r: Result, distance_m: float) -> dict[str, float]:
    """Energy KPIs from a run's accumulators: consumption, regeneration, losses by component."""
    e = r.energy_j
    km = distance_m / 1000.0
    eta_charge = wall_efficiency(r)
    per100 = 100.0 / km / J_PER_KWH if km > 0 else float("nan")
    batt_terminal = e["battery_chemical"] - e["battery_loss"]  # net energy out at the terminals
    out_f, out_r = e["motor_out_front"], e["motor_out_rear"]
    reg_f, reg_r = e["motor_regen_front"], e["motor_regen_rear"]
    return {
        "energy_kwh_per_100km": batt_terminal * per100,
        "energy_wall_kwh_per_100km": e["battery_chemical"] / eta_charge * per100,
        "charger_efficiency_pct": 100.0 * eta_charge,
        "regen_recovered_kwh": e["battery_regen"] / J_PER_KWH,
        "regen_share_front_pct": 100.0 * reg_f / (reg_f + reg_r) if reg_f + reg_r > 0 else float("nan"),
        "front_motor_energy_share_pct": 100.0 * out_f / (out_f + out_r) if out_f + out_r > 0 else float("nan"),
        "motor_loss_kwh": (e["motor_copper"] + e["motor_drag"] + e.get("excitation", 0.0)) / J_PER_KWH,
        "motor_drag_kwh": e["motor_drag"] / J_PER_KWH,
        "motor_excitation_kwh": e.get("excitation", 0.0) / J_PER_KWH,
        "driveline_spin_loss_kwh": e.get("spin", 0.0) / J_PER_KWH,
        "disconnect_loss_kwh": e.get("disconnect", 0.0) / J_PER_KWH,
        "inverter_loss_kwh": e["inverter"] / J_PER_KWH,
        "gear_loss_kwh": e["gear"] / J_PER_KWH,
        "battery_loss_kwh": e["battery_loss"] / J_PER_KWH,
        "brake_loss_kwh": e["brake"] / J_PER_KWH,
        "aero_kwh": e["aero"] / J_PER_KWH,
        "rolling_kwh": e["rolling"] / J_PER_KWH,
        "tire_slip_kwh": e["tire_slip"] / J_PER_KWH,
        "aux_kwh": e["aux"] / J_PER_KWH,
        "distance_km": km,
    }


class DriveCycle(Procedure):
    """Follow a drive cycle (shipped name or user CSV) and account for every joule.

    fidelity 'dynamic': the full vehicle model and controller follow the trace with a speed-tracking
    driver (feed-forward on the trace one second ahead plus PI feedback), as a dynamometer driver does;
    the trace error is reported and a cycle the car cannot follow within the EPA tolerance (+-2 mph
    within +-1 s) is flagged (`followable`). fidelity 'fast': the quasi-static energy model
    (twinmotor.simulation.quasi_static), same component models and allocation, for sweeps.

    KPIs: energy_kwh_per_100km (battery terminals), energy_wall_kwh_per_100km (with the car's level 2
    charger efficiency at its charging power, powertrain.charger), charger_efficiency_pct, regen_recovered_kwh,
    regen_share_front_pct, front_motor_energy_share_pct,
    losses by component (motor, inverter, gear, battery, brake, aero, rolling, tire slip, aux, in kWh),
    distance_km, speed_error_rms_kmh, trace_violation_s, followable (1/0).
    """

    name = "cycle"
    citations = ("cfr40-86_1996", "gtr15_2014", "unr101_1997", "sae-j1634_2017", "mynissanleaf2011charging")
    standard = "drive cycle energy (UDDS/HWFET per 40 CFR 86/600, WLTC per GTR 15); SAE J1634 energy accounting"
    summary = "kWh/100 km, regeneration, losses, trace error"
    plot_channels = ["vx", "battery_power", "motor_torque_front", "motor_torque_rear", "soc"]

    def __init__(self, cycle: str | Cycle = "udds", fidelity: str = "dynamic", soc_start: float | None = None):
        from twinmotor.errors import ParameterError

        if fidelity not in ("dynamic", "fast"):
            raise ParameterError(f"fidelity = {fidelity!r}: choose 'dynamic' or 'fast'")
        if soc_start is not None:
            check_params("cycle", soc_start=(soc_start, 0.0, 1.0, "-"))
        self.cycle = cycle if isinstance(cycle, Cycle) else load_cycle(cycle)
        self.fidelity = fidelity
        self.soc_start = soc_start
        self.name = f"cycle-{self.cycle.name}"

    def spec(self, vehicle, road: Road) -> RunSpec:
        c = self.cycle
        table = np.column_stack([c.time_s, np.zeros_like(c.time_s), np.zeros_like(c.time_s),
                                 np.zeros_like(c.time_s), c.speed_m_s])
        if c.grade is not None and np.any(c.grade != 0.0):
            road = dataclasses.replace(road, grade_profile=cycle_grade_profile(c))
        return RunSpec(t_end_s=c.duration_s, driver_table=table, initial_speed_m_s=float(c.speed_m_s[0]),
                       driver_kind=DRIVER_SPEED, road=road, driver_gains=cycle_driver_gains(), log_every=100)

    def run(self, vehicle, controller, surface="dry", **options) -> Result:
        if self.soc_start is not None:
            from twinmotor.simulation.runner import resolve_vehicle

            vehicle = resolve_vehicle(vehicle).with_(battery__initial_soc=float(self.soc_start))
        if self.fidelity == "fast":
            from twinmotor.simulation.quasi_static import run_fast

            road = make_road(surface)
            table = road.table()
            res = run_fast(vehicle, self.cycle, controller, mu_scale=float(np.min(table[:, 1:3])))
            from twinmotor.procedures.base import disconnect_kpis

            res.test = self.name
            if res.info["followed_trace"]:
                res.kpis = {**energy_kpis(res, self.cycle.distance_m), "speed_error_rms_kmh": 0.0,
                            "trace_violation_s": 0.0, "followable": 1.0}
            else:
                res.kpis = self.kpis(res)
            res.kpis.update(disconnect_kpis(res))
            res.surface = road.name
            res.info["plot_channels"] = self.plot_channels
            return res
        return super().run(vehicle, controller, surface, **options)

    def kpis(self, r: Result) -> dict[str, float]:
        c = self.cycle
        t, v = r["time"], r["vx"]
        if t.size == 0 or t[-1] < c.time_s[-1] - 1.0:
            # the run stopped early (empty battery): the car stands still for the rest of the trace
            rest = c.time_s[c.time_s > (t[-1] if t.size else -1.0)]
            t = np.concatenate([t, rest])
            v = np.concatenate([v, np.zeros_like(rest)])
        ref = np.interp(t, c.time_s, c.speed_m_s)
        viol = trace_violation_s(t, v, c.time_s, c.speed_m_s)
        return {
            **energy_kpis(r, float(r["distance"][-1])),
            "speed_error_rms_kmh": float(np.sqrt(np.mean((v - ref) ** 2)) * 3.6),
            "trace_violation_s": viol,
            "followable": 1.0 if viol <= 2.0 else 0.0,
        }
