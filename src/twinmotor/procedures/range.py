"""Driving range on the label cycles: EPA 2-cycle (UDDS city, HWFET highway) and WLTP (WLTC).

EPA: the unadjusted city and highway ranges are usable battery energy / consumption on each cycle;
the combined range weights consumption 55 % city / 45 % highway, and the label value applies the
0.7 adjustment factor to it (the derived 5-cycle alternative of 40 CFR 600.210-12(d)).
WLTP: usable battery energy / consumption on the WLTC (UNECE GTR 15 shortened-test logic,
simplified to a single cycle). Consumption here is battery energy at the terminals per km.
"""

from __future__ import annotations

import time

from twinmotor.constants import KM_PER_MILE
from twinmotor.control import make_controller
from twinmotor.errors import ParameterError
from twinmotor.procedures.base import Procedure
from twinmotor.procedures.drive_cycle import DriveCycle
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import resolve_vehicle

EPA_CITY_WEIGHT = 0.55
EPA_ADJUSTMENT = 0.7
LABEL_CYCLES = ("udds", "hwfet", "wltc")


def label_ranges(usable_kwh: float, kwh_per_km: dict[str, float]) -> dict[str, float]:
    """Label ranges [km] (and miles for the EPA figure) from the usable battery energy [kWh] and
    the consumption [kWh/km] on each label cycle (keys udds, hwfet, wltc)."""
    city = usable_kwh / kwh_per_km["udds"]
    hwy = usable_kwh / kwh_per_km["hwfet"]
    combined_cons = EPA_CITY_WEIGHT * kwh_per_km["udds"] + (1.0 - EPA_CITY_WEIGHT) * kwh_per_km["hwfet"]
    combined = EPA_ADJUSTMENT * usable_kwh / combined_cons
    return {
        "usable_energy_kwh": usable_kwh,
        "udds_kwh_per_100km": 100.0 * kwh_per_km["udds"],
        "hwfet_kwh_per_100km": 100.0 * kwh_per_km["hwfet"],
        "wltc_kwh_per_100km": 100.0 * kwh_per_km["wltc"],
        "epa_city_unadjusted_km": city,
        "epa_highway_unadjusted_km": hwy,
        "epa_combined_label_km": combined,
        "epa_combined_label_mi": combined / KM_PER_MILE,
        "wltp_range_km": usable_kwh / kwh_per_km["wltc"],
    }


class Range(Procedure):
    """EPA 2-cycle label range and WLTP range: the three label cycles driven one after the other
    (each from the same start), consumption per km, usable battery energy divided by it."""

    name = "range"
    citations = ("cfr40-600_2011", "gtr15_2014", "sae-j1634_2017")
    standard = "EPA 2-cycle label (40 CFR 600.210-12(d), 0.7 factor); WLTP range (UN GTR 15), one cycle each"
    summary = "epa_combined_label_km, wltp_range_km, consumption per cycle"

    def __init__(self, fidelity: str = "fast"):
        if fidelity not in ("dynamic", "fast"):
            raise ParameterError(f"fidelity = {fidelity!r}: choose 'dynamic' or 'fast'")
        self.fidelity = fidelity

    def spec(self, vehicle, road: Road):
        raise NotImplementedError("range is made of three drive cycles; see Range.run")

    def kpis(self, result: Result) -> dict[str, float]:
        return result.kpis

    def run(self, vehicle, controller, surface="dry", **options) -> Result:
        t0 = time.perf_counter()
        v = resolve_vehicle(vehicle)
        usable_kwh = v.battery.capacity_kwh * v.battery.usable_fraction
        runs = []
        for name in LABEL_CYCLES:
            ctl = make_controller(controller, v)
            runs.append(DriveCycle(name, self.fidelity).run(v, ctl, surface, **options))
        cons = {name: r.kpis["energy_kwh_per_100km"] / 100.0 for name, r in zip(LABEL_CYCLES, runs)}
        res = Result(vehicle=v.name, test=self.name, controller=runs[0].controller, surface=runs[0].surface,
                     kpis=label_ranges(usable_kwh, cons), runs=runs,
                     wall_time_s=sum(r.wall_time_s for r in runs),
                     simulated_time_s=sum(r.simulated_time_s for r in runs))
        res.info["total_wall_time_s"] = time.perf_counter() - t0
        return res


def estimate_range(vehicle, controller=None, fidelity: str = "dynamic", **options) -> dict[str, float]:
    """Label ranges [km] (and miles for the EPA figure) from simulated cycle consumption; options
    go to the runner (sensors, dt)."""
    v = resolve_vehicle(vehicle)
    return Range(fidelity).run(v, controller, **options).kpis
