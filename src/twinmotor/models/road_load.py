"""Road load: aerodynamic drag and rolling resistance of the whole car on a level road.

    F_aero = 0.5 rho C_d A v^2,   F_roll = C_rr m g   (C_rr weighted by the static axle loads)

References
----------
Gillespie, T. D., Fundamentals of Vehicle Dynamics, SAE (1992), ch. 4 (road loads).
"""

from __future__ import annotations

from twinmotor.constants import G_M_S2

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("gillespie1992fundamentals",)


def aero_drag_factor(air_density_kg_m3: float, drag_coefficient: float, frontal_area_m2: float) -> float:
    """0.5 rho C_d A [N/(m/s)^2]: aerodynamic drag force per squared airspeed."""
    return 0.5 * air_density_kg_m3 * drag_coefficient * frontal_area_m2


def rolling_resistance_coefficient(vehicle) -> float:
    """The car's rolling-resistance coefficient [-]: each axle's tire coefficient weighted by the
    share of the static weight that axle carries."""
    f = vehicle.front_axle_load_fraction
    tires = vehicle.tires
    return f * tires.front.rolling_resistance_coefficient + (1 - f) * tires.rear.rolling_resistance_coefficient


def road_load_decel(vehicle, speed_m_s: float) -> float:
    """Deceleration [m/s^2] from aerodynamic drag and rolling resistance at speed_m_s [m/s], level
    road, still air."""
    a = vehicle.aero
    drag = aero_drag_factor(a.air_density_kg_m3, a.drag_coefficient, a.frontal_area_m2) * speed_m_s ** 2
    return drag / vehicle.mass_kg + rolling_resistance_coefficient(vehicle) * G_M_S2
