"""Shared fixtures of the tire tests: coefficient arrays of the two shipped property files."""

import pytest

from twinmotor.tire import coefficient_array, read_tir


@pytest.fixture(scope="session")
def p_pacejka():
    """Pacejka 2006 Table A3.1, 205/60R15, FNOMIN 4000 N (no pressure terms, no [STRUCTURAL])."""
    return coefficient_array(read_tir("builtin:pacejka2006_205_60r15.tir").values)


@pytest.fixture(scope="session")
def p_example():
    """The complete MF 6.1 example file (MFeval's sample), FNOMIN 6752 N, NOMPRES 2.6 bar."""
    return coefficient_array(read_tir("builtin:mf61_example.tir").values)
