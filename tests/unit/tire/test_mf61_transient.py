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
        got = transient_tire(p, fz, ux, uy, vx, mu, mirror, False)
        sk, sa = relaxation_lengths(p, fz)
        kap = ux / sk
        alp = math.atan(uy / sa)
        fx, fy, mz = mf61_forces(p, fz, kap, -alp if mirror else alp, 0.0, vx, mu, mu)
        if mirror:
            fy, mz = -fy, -mz
        assert got == (sk, sa, kap, alp, fx, fy, mz, 0.0), (fz, ux, uy, vx, mu, mirror)
        assert transient_tire(p, fz, ux, uy, vx, mu, mirror, True)[:7] == got[:7]
        n += 1
    assert n == 6 * 5 * 5 * 5 * 2 * 2


@pytest.mark.parametrize("which", ["p_pacejka", "p_example"])
def test_slope_is_the_derivative_of_the_longitudinal_force(which, request):
    """The slope the plant's wheel sub-steps carry the force along, dFx/dux = (dFx/dkappa) / sigma_kappa,
    equals a central difference of mf61_forces in pure longitudinal slip (the analytic derivative of
    the Magic Formula, 4.E9-E18), on either side of the peak and on a slippery road."""
    p = request.getfixturevalue(which)
    n = 0
    for fz, ux, vx, mu in itertools.product([2500.0, 4000.0, 6500.0], [-0.06, -0.01, -0.002, 0.003, 0.02, 0.08],
                                            [3.0, 25.0], [0.3, 1.0]):
        sk, _ = relaxation_lengths(p, fz)
        kap = ux / sk
        if abs(kap) >= 1.4:
            continue
        slope = transient_tire(p, fz, ux, 0.0, vx, mu, False, True)[7]
        h = 1e-6
        fd = (mf61_forces(p, fz, kap + h, 0.0, 0.0, vx, mu, mu)[0]
              - mf61_forces(p, fz, kap - h, 0.0, 0.0, vx, mu, mu)[0]) / (2.0 * h) / sk
        assert slope == pytest.approx(fd, rel=1e-4, abs=1e-3 * abs(fd) + 10.0), (fz, ux, vx, mu)
        n += 1
    assert n > 50
