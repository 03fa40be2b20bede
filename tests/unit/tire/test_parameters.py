"""The coefficient array layout and its defaults."""

import numpy as np
import pytest

from twinmotor.tire import mf61
from twinmotor.tire.mf61 import DEFAULTS, PARAM_NAMES, coefficient_array


def test_index_constants_match_param_names():
    assert len(set(PARAM_NAMES)) == len(PARAM_NAMES) == mf61.N_PARAMS
    for i, name in enumerate(PARAM_NAMES):
        assert getattr(mf61, f"I_{name}") == i


def test_defaults():
    scaling = [n for n in PARAM_NAMES if n.startswith("L") and n not in ("LONGVL", "LATERAL_STIFFNESS",
                                                                      "LONGITUDINAL_STIFFNESS")]
    assert {n: DEFAULTS[n] for n in scaling} == {n: (0.0 if n == "LMUV" else 1.0) for n in scaling}
    assert DEFAULTS["PKY4"] == 2.0
    assert (DEFAULTS["LONGITUDINAL_STIFFNESS"], DEFAULTS["LATERAL_STIFFNESS"],
            DEFAULTS["VERTICAL_STIFFNESS"]) == (3.5e5, 1.5e5, 2.2e5)
    assert (DEFAULTS["VXLOW"], DEFAULTS["LONGVL"]) == (1.0, 16.7)
    assert DEFAULTS["PCX1"] == DEFAULTS["QSX1"] == DEFAULTS["RBY1"] == 0.0


def test_minimal_values_fill_in_defaults():
    p = coefficient_array({"fnomin": 4000, "unloaded_radius": 0.3, "NOMPRES": 2.4e5})
    assert p.dtype == np.float64 and p.shape == (len(PARAM_NAMES),)
    get = dict(zip(PARAM_NAMES, p))
    assert get["FNOMIN"] == 4000.0 and get["UNLOADED_RADIUS"] == 0.3
    assert get["INFLPRES"] == 2.4e5  # copies NOMPRES when absent: no pressure change
    assert get["LMUX"] == 1.0 and get["PKY4"] == 2.0 and get["FITTYP"] == 61.0
    assert get["QSY7"] == pytest.approx(0.0)
