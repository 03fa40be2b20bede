"""Tire classes and the friction each reaches, relative to the generic Magic Formula coefficients.

The generic passenger-car coefficients (Pacejka 2006, Table A3.1, a 205/60R15 91V tire) stop the LEAF
models from 100 km/h in about 35 m on dry asphalt, the distance of today's summer performance tires
(Evo 2022: 33.8-35.8 m, mean 34.6 m). Other classes stop longer; their friction scaling (MF LMUX and
LMUY) is the ratio of stopping distances, since at the same speed the mean deceleration, and with it
the tire's friction, is inversely proportional to the distance:

    scale_class = d_performance / d_class

    class        dry 100-0 km/h [m]   scale   data
    performance  34.6                 1.00    [evo2022tyretest] three tires 33.8 / 34.3 / 35.8 m
    touring      37.5                 0.92    [autobild2023summertyres] 205/55 R16 touring summer tires:
                                              dry + wet(80-0) <= 66.9 m to qualify, wet ~29-31 m ->
                                              dry ~36-38 m; all-season tires brake like summer touring
                                              tires in the wet [adac2018allseason]
    eco          39.5                 0.875   estimate: low-rolling-resistance (EU label A/B) tires give
                                              up grip for rolling resistance; the touring distance plus
                                              the ~2 m that eliminated tires lost in [autobild2023summertyres]

The same scale applies on wet roads (the road's friction multiplies it), an estimate: wet tests show a
larger spread between classes than dry ones.
"""

from __future__ import annotations

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("evo2022tyretest", "autobild2023summertyres", "adac2018allseason", "pacejka2006tyre")

#: dry 100-0 km/h stopping distance of each class [m] (see the module docstring)
STOPPING_DISTANCE_100_0_M = {"performance": 34.6, "touring": 37.5, "eco": 39.5}


def friction_scale_for_class(tire_class: str) -> float:
    """Magic Formula friction scaling (LMUX, LMUY) of a tire class, relative to the generic coefficients."""
    from twinmotor.errors import ParameterError

    if tire_class not in STOPPING_DISTANCE_100_0_M:
        raise ParameterError(f"tire_class = {tire_class!r}: unknown; allowed {', '.join(STOPPING_DISTANCE_100_0_M)}")
    return STOPPING_DISTANCE_100_0_M["performance"] / STOPPING_DISTANCE_100_0_M[tire_class]
