"""`simulate(vehicle, procedure, controller, surface)`: the one entry point.

It resolves its arguments (a preset name or a Vehicle, a procedure name or object, a controller
name or object), then lets the procedure prescribe its runs and compute its KPIs.
"""

from __future__ import annotations

from twinmotor.citations import collect, register
from twinmotor.control import make_controller
from twinmotor.procedures import make_procedure
from twinmotor.procedures.base import apply_events, check_procedure_step
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import resolve_vehicle


def simulate(vehicle, test, controller=None, surface: str | Road = "dry", **options) -> Result:
    """Run a standard procedure (object or name, e.g. "accel") on a vehicle (object or preset name)
    with a controller (name, object, or None for the vehicle's default) on a surface; returns a
    Result with KPIs and, where the standard has criteria, a verdict.

    Options go to the runner: `dt` (plant step [s]), `controller_rate_hz`, `sensors` ('typical' by
    default: the production sensor set; 'ideal', 'poor', or a twinmotor.sensors.Sensors). The keys of the
    documents the run relied on (models, procedure, vehicle parameters) are in
    `result.info["citations"]` (format them with twinmotor.citations.format_citations).
    """
    v = resolve_vehicle(vehicle)
    t = make_procedure(test)
    check_procedure_step(t, options.get("dt"))
    ctl = make_controller(controller, v)
    with collect() as keys:
        register(*t.citations)
        res = t.run(v, ctl, surface, **options)
    apply_events(res)
    res.info["citations"] = keys
    res.kpis.update(estimation_kpis(res))
    return res


def estimation_kpis(result: Result) -> dict[str, float]:
    """How well the controller's estimation layer knew the car's state, against the simulator's
    truth (channels est_* against vx, vy, grade and the road's friction): RMS and largest errors.
    Empty for controllers without an estimation layer (their est_* channels stay zero)."""
    import numpy as np

    c = result.channels
    if "est_vx" not in c or not np.any(c["est_vx"]):
        return {}
    moving = np.abs(c["vx"]) > 1.0
    if not np.any(moving):
        return {}
    e_v = (c["est_vx"] - c["vx"])[moving]
    beta_true = np.arctan2(c["vy"], np.abs(c["vx"]))
    e_b = np.degrees(c["est_sideslip"] - beta_true)[moving]
    out = {
        "est_speed_error_rms_m_s": float(np.sqrt(np.mean(e_v * e_v))),
        "est_speed_error_max_m_s": float(np.max(np.abs(e_v))),
        "est_sideslip_error_rms_deg": float(np.sqrt(np.mean(e_b * e_b))),
        "est_sideslip_error_max_deg": float(np.max(np.abs(e_b))),
    }
    model = result.info.get("model")
    if model is not None:
        from twinmotor.control.params import vehicle_values

        vv = vehicle_values(model.vehicle)
        mu_tire = min(vv["mu_peak_f"], vv["mu_peak_r"])
        true_l = mu_tire * 0.5 * (c["mu_fl"] + c["mu_rl"])
        true_r = mu_tire * 0.5 * (c["mu_fr"] + c["mu_rr"])
        e_mu = np.concatenate([(c["est_mu_left"] - true_l)[moving], (c["est_mu_right"] - true_r)[moving]])
        out["est_friction_error_rms"] = float(np.sqrt(np.mean(e_mu * e_mu)))
    return out


def simulate_seeds(vehicle, test, controller=None, surface: str | Road = "dry", seeds: int = 10,
                   sensors="typical", **options):
    """Repeat a procedure over `seeds` sensor seeds (0 .. seeds-1: each draws the sensors' noise
    and offsets anew) and summarise every KPI: a pandas DataFrame with one row per seed, and one
    with the median and the 5th and 95th percentiles of each KPI (the robustness of a result to
    the car's sensors, not just one lucky draw)."""
    import pandas as pd

    from twinmotor.errors import ParameterError
    from twinmotor.sensors import make_sensors

    if not isinstance(seeds, int) or isinstance(seeds, bool) or not 1 <= seeds <= 10000:
        raise ParameterError(f"seeds = {seeds!r} is out of range: allowed a whole number 1 to 10000")
    rows = []
    for k in range(seeds):
        res = simulate(vehicle, test, controller, surface, sensors=make_sensors(sensors, seed=k), **options)
        rows.append({"seed": k, "passed": res.passed,
                     **{n: float(v) for n, v in res.kpis.items() if isinstance(v, (int, float))}})
    runs = pd.DataFrame(rows).set_index("seed")
    numeric = runs.drop(columns=["passed"])
    summary = pd.DataFrame({"median": numeric.median(), "p05": numeric.quantile(0.05), "p95": numeric.quantile(0.95)})
    return runs, summary
