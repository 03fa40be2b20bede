"""Tires: the Pacejka Magic Formula 6.1 model, `.tir` property files and size codes.

    >>> from twinmotor.tire import load_tire, evaluate
    >>> tire = load_tire("215/55R17")                       # generic coefficients for the size
    >>> tire = load_tire("255/55R20", "builtin:mf61_example.tir")   # a property file wins
    >>> evaluate(tire.params, 4000.0, 0.05, 0.0, 0.0, 20.0)["Fx"]

The compiled functions (`mf61_forces`, `relaxation_lengths`, ...) take `TireModel.params`, a flat
float64 array, so they can be called from numba code.

References
----------
Pacejka, H. B., Tire and Vehicle Dynamics, 3rd ed., 2012, sect. 4.3.2 (Magic Formula 6.1).
Pacejka, H. B., Tyre and Vehicle Dynamics, 2nd ed., 2006, Appendix 3, Table A3.1 (205/60R15).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from twinmotor.errors import TireFileError, range_error
from twinmotor.tire.coefficients import REQUIRED_IN_FILE
from twinmotor.tire.mf61 import (
    DEFAULTS,
    I_LMUX,
    I_LMUY,
    PARAM_NAMES,
    coefficient_array,
    evaluate,
    mf61_forces,
    mf61_moments,
    peak_friction,
    relaxation_lengths,
    slip_stiffness,
)
from twinmotor.tire.size import TireSize, generic_values, parse_size
from twinmotor.tire.tir_file import TirFile, builtin_names, read_tir

#: Effective rolling radius / unloaded radius of a passenger-car tire at nominal load: an
#: *estimate* (radial tires roll at about R0 - deflection / 3, i.e. 0.97-0.99 R0).
EFFECTIVE_RADIUS_RATIO = 0.98

__all__ = [
    "DEFAULTS",
    "PARAM_NAMES",
    "TireModel",
    "TireSize",
    "TirFile",
    "builtin_names",
    "coefficient_array",
    "evaluate",
    "generic_values",
    "load_tire",
    "mf61_forces",
    "mf61_moments",
    "parse_size",
    "peak_friction",
    "read_tir",
    "relaxation_lengths",
    "slip_stiffness",
]


@dataclass(frozen=True, eq=False)
class TireModel:
    """One tire, ready for the compiled model.

    Attributes
    ----------
    params : numpy.ndarray
        Coefficient array (order `PARAM_NAMES`) for `mf61_forces` and friends.
    unloaded_radius_m : float
        Free radius R0 [m].
    effective_radius_m : float
        Rolling radius [m]: 0.98 * R0, an *estimate* (`EFFECTIVE_RADIUS_RATIO`).
    width_m : float
        Section width [m].
    nominal_load_n : float
        FNOMIN [N], the load the coefficients are normalised to.
    source : str
        Where the coefficients come from.
    """

    params: np.ndarray = field(repr=False)
    unloaded_radius_m: float
    effective_radius_m: float
    width_m: float
    nominal_load_n: float
    source: str
    side: str = "LEFT"


def load_tire(size: str, tir_file: str | None = None, friction_scale: float = 1.0) -> TireModel:
    """A tire from its size code, or from a `.tir` property file when one is given.

    Parameters
    ----------
    size : str
        ISO size code, e.g. '215/55R17'. Without `tir_file`, generic coefficients scaled to it
        (`generic_values`); with `tir_file`, only used for the width if the file has none.
    tir_file : str, optional
        Path of an MF 5.2/6.1 `.tir` file, or `builtin:NAME.tir`. Its coefficients and dimensions
        win over the size code.
    friction_scale : float
        Multiplies LMUX and LMUY [-], allowed 0.1 to 2.0 (e.g. a tire that grips better or worse
        than the data's).

    Returns
    -------
    TireModel

    Raises
    ------
    ParameterError
        Bad size code, bad friction_scale, or a coefficient out of range.
    TireFileError
        The `.tir` file cannot be read.
    """
    if not (isinstance(friction_scale, (int, float)) and math.isfinite(friction_scale)
            and 0.1 <= friction_scale <= 2.0):
        raise range_error("friction_scale", friction_scale, 0.1, 2.0, "-")
    tire_size = parse_size(size)
    if tir_file is not None:
        values = dict(read_tir(tir_file).values)
        missing = [name for name in REQUIRED_IN_FILE if name not in values]
        if missing:
            raise TireFileError(
                str(tir_file), None,
                "required coefficient(s) missing (the file may be truncated): "
                + "; ".join(f"{name}, the {REQUIRED_IN_FILE[name]}" for name in missing)
                + ". twinmotor does not guess them: give every one in the file's [*_COEFFICIENTS] sections")
        if float(values.get("WIDTH", 0.0) or 0.0) <= 0.0:
            values["WIDTH"] = tire_size.width_m
        source = f"{tir_file} (size given: {size})"
    else:
        values = generic_values(size)
        values.setdefault("TYRESIDE", "LEFT")
        source = f"generic: Pacejka 2006 Table A3.1 205/60R15 scaled to {size} (estimate)"
    params = coefficient_array(values)
    params[I_LMUX] *= friction_scale
    params[I_LMUY] *= friction_scale
    if friction_scale != 1.0:
        source += f", friction x {friction_scale:g}"
    r0 = float(params[PARAM_NAMES.index("UNLOADED_RADIUS")])
    return TireModel(
        params=params,
        unloaded_radius_m=r0,
        effective_radius_m=EFFECTIVE_RADIUS_RATIO * r0,
        width_m=float(params[PARAM_NAMES.index("WIDTH")]),
        nominal_load_n=float(params[PARAM_NAMES.index("FNOMIN")]),
        source=source,
        side="RIGHT" if str(values.get("TYRESIDE", "LEFT")).strip().upper().startswith("R") else "LEFT",
    )
