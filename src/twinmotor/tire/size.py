"""ISO metric tire size codes ('215/55R17') and generic MF 6.1 coefficients scaled to a size.

A size code gives the section width [mm], the aspect ratio (sidewall height / width [%]) and the
rim diameter [inch]; the unloaded radius is rim radius + sidewall height:

    R0 = D_rim / 2 + W * H/W          (ETRTO/ISO 4000-1 nominal dimensions)

References
----------
ISO 4000-1:2021, Passenger car tyres and rims, part 1: tyres (metric series) (size designation).
Pacejka, H. B., Tyre and Vehicle Dynamics, 2nd ed., 2006, Appendix 3, Table A3.1 (the 205/60R15
    coefficients used as the generic base).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from twinmotor.errors import ParameterError

INCH_M = 0.0254

# Optional P-metric prefix "P", width/aspect, construction "R" or "ZR", rim diameter, optional
# service description (load index and speed symbol, e.g. "94V"), which is ignored.
_SIZE = re.compile(
    r"^\s*P?\s*(?P<width>\d{3})\s*/\s*(?P<aspect>\d{2,3})\s*(?:Z\s*)?R\s*(?P<rim>\d{2}(?:\.\d)?)"
    r"(?:\s+\d{2,3}\s*\(?[A-Z]\)?)?\s*$",
    re.IGNORECASE,
)

#: Size of the generic base tire (Pacejka 2006, Table A3.1) and its nominal load [N].
BASE_SIZE = "205/60R15"
BASE_TIR = "builtin:pacejka2006_205_60r15.tir"


@dataclass(frozen=True)
class TireSize:
    """Nominal dimensions of a tire from its ISO size code.

    Attributes
    ----------
    code : str
        The code as given.
    width_m : float
        Section width [m].
    aspect_ratio : float
        Sidewall height / section width [-] (0.55 for '/55').
    rim_diameter_m : float
        Rim diameter [m].
    unloaded_radius_m : float
        Rim radius + sidewall height [m].
    """

    code: str
    width_m: float
    aspect_ratio: float
    rim_diameter_m: float
    unloaded_radius_m: float

    @property
    def diameter_m(self) -> float:
        """Overall unloaded diameter [m]."""
        return 2.0 * self.unloaded_radius_m


def parse_size(code: str) -> TireSize:
    """Dimensions of an ISO metric passenger-car tire size code.

    Parameters
    ----------
    code : str
        e.g. '215/55R17', '235/50 R17', '205/60ZR15', '225/45R18 95Y'. Width 100-400 mm, aspect
        ratio 20-100 %, rim 10-26 inch.

    Returns
    -------
    TireSize, with unloaded_radius_m = rim_diameter_in * 0.0254 / 2 + width_mm / 1000 * aspect / 100.

    Raises
    ------
    ParameterError
        The code does not have the form WWW/AAR DD, or a number is outside the ranges above.
    """
    if not isinstance(code, str):
        raise ParameterError(f"tire size = {code!r} is not a string: give an ISO size code like '215/55R17'")
    m = _SIZE.match(code)
    if not m:
        raise ParameterError(
            f"tire size = {code!r} is not an ISO metric size code: expected width mm / aspect % "
            "R rim inch, like '215/55R17', '235/50 R17' or '205/60ZR15'"
        )
    width_mm = int(m.group("width"))
    aspect_pct = int(m.group("aspect"))
    rim_in = float(m.group("rim"))
    for field, value, low, high, unit in (
        ("section width", width_mm, 100, 400, "mm"),
        ("aspect ratio", aspect_pct, 20, 100, "%"),
        ("rim diameter", rim_in, 10, 26, "inch"),
    ):
        if not low <= value <= high:
            raise ParameterError(
                f"tire size = {code!r}: {field} = {value} is out of range: allowed {low} to {high} {unit}"
            )
    width_m = width_mm / 1000.0
    aspect = aspect_pct / 100.0
    rim_m = rim_in * INCH_M
    return TireSize(
        code=code,
        width_m=width_m,
        aspect_ratio=aspect,
        rim_diameter_m=rim_m,
        unloaded_radius_m=0.5 * rim_m + width_m * aspect,
    )


def load_capacity_ratio(size: TireSize, base: TireSize) -> float:
    """Load capacity of `size` relative to `base` [-], an estimate: (W / W0) * sqrt(D / D0).

    The load a tire carries at a given pressure grows with its air volume and footprint; width
    times the square root of the overall diameter D follows the ETRTO load indices of common
    passenger sizes within about 5 % (205/60R15 91 -> 615 kg, 215/55R17 94 -> 670 kg: ratio 1.09,
    this rule 1.08).
    """
    return (size.width_m / base.width_m) * math.sqrt(size.diameter_m / base.diameter_m)


def generic_values(code: str) -> dict[str, float | str]:
    """MF 6.1 coefficients for a tire of size `code`: the Pacejka 205/60R15 set scaled to it.

    Scaling (all *estimates*, for a user who knows only the size code):
        UNLOADED_RADIUS, WIDTH    from the size code (`parse_size`)
        FNOMIN                    4000 N * (W / W0) * sqrt(D / D0)   (`load_capacity_ratio`)
        LONGITUDINAL_, LATERAL_, VERTICAL_STIFFNESS
                                  base value (the model's default estimates 3.5e5, 1.5e5,
                                  2.2e5 N/m, the base file has none) times the same ratio, so the
                                  deflection at nominal load stays that of the base tire
        QSY7 = 1                  rolling resistance moment proportional to load (the book's
                                  eq. 4.E70; the base file's QSY7 = 0 would make it load-free)
        all other coefficients    unchanged (they are dimensionless or scale with FNOMIN and
                                  UNLOADED_RADIUS inside the equations)

    Parameters
    ----------
    code : str
        ISO size code, e.g. '215/55R17'.

    Returns
    -------
    dict of coefficient name -> value, ready for `coefficient_array`.
    """
    # Imported here so that parsing a size does not need numba.
    from twinmotor.tire.mf61 import DEFAULTS
    from twinmotor.tire.tir_file import read_tir

    size = parse_size(code)
    base = parse_size(BASE_SIZE)
    values = dict(read_tir(BASE_TIR).values)
    ratio = load_capacity_ratio(size, base)
    values["UNLOADED_RADIUS"] = size.unloaded_radius_m
    values["WIDTH"] = size.width_m
    values["FNOMIN"] = float(values["FNOMIN"]) * ratio
    for key in ("LONGITUDINAL_STIFFNESS", "LATERAL_STIFFNESS", "VERTICAL_STIFFNESS"):
        values[key] = float(values.get(key, DEFAULTS[key])) * ratio
    values["QSY7"] = 1.0
    return values
