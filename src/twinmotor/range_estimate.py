"""Driving range on the label cycles: EPA 2-cycle (UDDS city, HWFET highway) and WLTP (WLTC).

EPA: the unadjusted city and highway ranges are usable battery energy / consumption on each cycle;
the combined range weights consumption 55 % city / 45 % highway, and the label value applies the
0.7 adjustment factor to it (the derived 5-cycle alternative of 40 CFR 600.210-12(d)).
WLTP: usable battery energy / consumption on the WLTC (UNECE GTR 15 shortened-test logic,
simplified to a single cycle). Consumption here is battery energy at the terminals per km.
"""

from __future__ import annotations

from twinmotor.tests.drive_cycle import DriveCycle

EPA_CITY_WEIGHT = 0.55
EPA_ADJUSTMENT = 0.7
KM_PER_MILE = 1.609344


def estimate_range(vehicle, controller=None, fidelity: str = "dynamic") -> dict[str, float]:
    """Label ranges [km] (and miles for the EPA figure) from simulated cycle consumption."""
    from twinmotor.control import make_controller
    from twinmotor.simulation.simulate import resolve_vehicle, simulate

    v = resolve_vehicle(vehicle)
    usable_kwh = v.battery.capacity_kwh * v.battery.usable_fraction
    cons = {}
    for name in ("udds", "hwfet", "wltc"):
        ctl = make_controller(controller, v)
        cons[name] = simulate(v, DriveCycle(name, fidelity), ctl).kpis["energy_kwh_per_100km"] / 100.0
    city = usable_kwh / cons["udds"]
    hwy = usable_kwh / cons["hwfet"]
    combined_cons = EPA_CITY_WEIGHT * cons["udds"] + (1.0 - EPA_CITY_WEIGHT) * cons["hwfet"]
    combined = EPA_ADJUSTMENT * usable_kwh / combined_cons
    return {
        "usable_energy_kwh": usable_kwh,
        "udds_kwh_per_100km": 100.0 * cons["udds"],
        "hwfet_kwh_per_100km": 100.0 * cons["hwfet"],
        "wltc_kwh_per_100km": 100.0 * cons["wltc"],
        "epa_city_unadjusted_km": city,
        "epa_highway_unadjusted_km": hwy,
        "epa_combined_label_km": combined,
        "epa_combined_label_mi": combined / KM_PER_MILE,
        "wltp_range_km": usable_kwh / cons["wltc"],
    }
