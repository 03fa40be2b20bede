"""transient_tire (the plant's one-pass tire) gives the same numbers, bit for bit, as the separate
relaxation_lengths, slips and mf61_forces it replaces in the plant."""

from __future__ import annotations

import itertools
import math

import pytest

from twinmotor.tire.mf61 import mf61_forces, relaxation_lengths, transient_tire


@pytest.mark.parametrize("which", ["p_pacejka", "p_example"])
def test_one_pass_equals_the_separate_functions_exactly(which, request):
    p = request.getfixturevalue(which)
    loads = [-100.0, 0.0, 800.0, 4000.0, 7000.0, 40000.0]
    deflections = [-0.05, -0.004, 0.0, 0.001, 0.03]
    speeds = [-3.0, 0.0, 0.4, 12.0, 40.0]
    n = 0
    for fz, ux, uy, vx, mu, mirror in itertools.product(loads, deflections, deflections, speeds, [0.3, 1.0],
                                                        [False, True]):
        got = transient_tire(p, fz, ux, uy, vx, mu, mirror)
        sk, sa = relaxation_lengths(p, fz)
        kap = ux / sk
        alp = math.atan(uy / sa)
        fx, fy, mz = mf61_forces(p, fz, kap, -alp if mirror else alp, 0.0, vx, mu, mu)
        if mirror:
            fy, mz = -fy, -mz
        assert got == (sk, sa, kap, alp, fx, fy, mz), (fz, ux, uy, vx, mu, mirror)
        n += 1
    assert n == 6 * 5 * 5 * 5 * 2 * 2
