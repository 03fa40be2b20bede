"""Physical properties of the MF 6.1 model: symmetry, friction scaling, combined slip, low speed,
robustness over extreme inputs, relaxation lengths, moments and the MF 5.2 mapping."""

import itertools
import math

import numpy as np
import pytest

from twinmotor.tire import (
    PARAM_NAMES,
    coefficient_array,
    evaluate,
    mf61_forces,
    mf61_moments,
    peak_friction,
    read_tir,
    relaxation_lengths,
    slip_stiffness,
)
from twinmotor.tire.mf61 import DEFAULTS, I_FNOMIN, I_LMUX, I_LMUY, I_VXLOW

VX = 20.0  # m/s


def idx(name):
    return PARAM_NAMES.index(name)


def with_values(p, **changes):
    q = p.copy()
    for name, value in changes.items():
        q[idx(name)] = value
    return q


# Terms that make the curves asymmetric: shifts (ply-steer, conicity), sign-dependent curvature,
# the residual aligning moment and the combined-slip shifts.
ASYMMETRIC = ["PHX1", "PHX2", "PVX1", "PVX2", "PEX4", "RHX1", "PHY1", "PHY2", "PHY3", "PVY1", "PVY2",
              "PEY3", "RHY1", "RHY2", "RBY3", "QHZ1", "QHZ2", "QEZ4", "QDZ6", "QDZ7", "SSZ1"]


@pytest.fixture(scope="module")
def p_symmetric(p_example):
    return with_values(p_example, **{name: 0.0 for name in ASYMMETRIC})


@pytest.mark.parametrize("slip", [0.001, 0.02, 0.1, 0.3, 0.8])
def test_symmetry_without_asymmetric_terms(p_symmetric, slip):
    p = p_symmetric
    fz = p[I_FNOMIN]
    fy_pos = mf61_forces(p, fz, 0.0, slip, 0.0, VX, 1.0, 1.0)
    fy_neg = mf61_forces(p, fz, 0.0, -slip, 0.0, VX, 1.0, 1.0)
    assert fy_neg[1] == pytest.approx(-fy_pos[1], rel=1e-12, abs=1e-9)
    assert fy_neg[2] == pytest.approx(-fy_pos[2], rel=1e-12, abs=1e-9)  # Mz too
    fx_pos = mf61_forces(p, fz, slip, 0.0, 0.0, VX, 1.0, 1.0)[0]
    fx_neg = mf61_forces(p, fz, -slip, 0.0, 0.0, VX, 1.0, 1.0)[0]
    assert fx_neg == pytest.approx(-fx_pos, rel=1e-12, abs=1e-9)
    # combined slip: flipping both slips flips both forces
    a = mf61_forces(p, fz, slip, 0.5 * slip, 0.0, VX, 1.0, 1.0)
    b = mf61_forces(p, fz, -slip, -0.5 * slip, 0.0, VX, 1.0, 1.0)
    assert b[0] == pytest.approx(-a[0], rel=1e-12, abs=1e-9)
    assert b[1] == pytest.approx(-a[1], rel=1e-12, abs=1e-9)


def test_shipped_file_is_not_symmetric(p_example):
    # the asymmetric terms matter: with them, Fy(-a) != -Fy(a) by more than 1 % of Fz
    fz = p_example[I_FNOMIN]
    a = mf61_forces(p_example, fz, 0.0, 0.02, 0.0, VX, 1.0, 1.0)[1]
    b = mf61_forces(p_example, fz, 0.0, -0.02, 0.0, VX, 1.0, 1.0)[1]
    assert abs(a + b) > 0.01 * fz


def _peaks(p, fz, mu):
    slips = np.linspace(-0.6, 0.6, 24001)
    fx = [mf61_forces(p, fz, s, 0.0, 0.0, VX, mu, mu)[0] for s in slips]
    fy = [mf61_forces(p, fz, 0.0, s, 0.0, VX, mu, mu)[1] for s in slips]
    return max(np.abs(fx)), max(np.abs(fy))


@pytest.mark.parametrize("tire", ["p_pacejka", "p_example"])
def test_half_friction_halves_peak_forces(tire, request):
    p = request.getfixturevalue(tire)
    fz = p[I_FNOMIN]
    fx1, fy1 = _peaks(p, fz, 1.0)
    fx05, fy05 = _peaks(p, fz, 0.5)
    assert fx05 / fx1 == pytest.approx(0.5, rel=0.01)
    assert fy05 / fy1 == pytest.approx(0.5, rel=0.01)
    mux1, muy1 = peak_friction(p, fz, 1.0, 1.0)
    mux05, muy05 = peak_friction(p, fz, 0.5, 0.5)
    assert (mux05 / mux1, muy05 / muy1) == pytest.approx((0.5, 0.5), rel=1e-12)


def test_mu_scale_equals_scaling_lmux_lmuy(p_example):
    # the road's friction acts exactly like the file's LMUX/LMUY scaling factors
    q = p_example.copy()
    q[I_LMUX] *= 0.3
    q[I_LMUY] *= 0.7
    for kappa, alpha, gamma in [(0.05, 0.03, 0.02), (-0.2, -0.1, 0.0), (0.4, 0.2, -0.03)]:
        a = mf61_forces(p_example, 5000.0, kappa, alpha, gamma, VX, 0.3, 0.7)
        b = mf61_forces(q, 5000.0, kappa, alpha, gamma, VX, 1.0, 1.0)
        assert a == pytest.approx(b, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("tire", ["p_pacejka", "p_example"])
def test_combined_slip_reduces_the_other_force(tire, request):
    p = request.getfixturevalue(tire)
    fz = p[I_FNOMIN]
    # |Fy| at alpha = 0.05 rad falls as |kappa| rises (friction ellipse)
    fy = [abs(mf61_forces(p, fz, k, 0.05, 0.0, VX, 1.0, 1.0)[1]) for k in (0.0, 0.05, 0.1, 0.2, 0.4, 0.8)]
    assert all(b < a for a, b in zip(fy, fy[1:])), fy
    # braking too; the kappa-induced shifts (RHY1, RVY*) move the maximum slightly off kappa = 0
    fy_neg = [abs(mf61_forces(p, fz, -k, 0.05, 0.0, VX, 1.0, 1.0)[1]) for k in (0.05, 0.1, 0.2, 0.4, 0.8)]
    assert all(b < a for a, b in zip(fy_neg, fy_neg[1:])) and fy_neg[1] < fy[0]
    assert fy[-1] < 0.6 * fy[0]
    # |Fx| at kappa = 0.1 falls as |alpha| rises
    fx = [abs(mf61_forces(p, fz, 0.1, a, 0.0, VX, 1.0, 1.0)[0]) for a in (0.0, 0.05, 0.1, 0.2, 0.4)]
    assert all(b < a for a, b in zip(fx, fx[1:])), fx


def test_slip_stiffness_is_the_slope_at_zero_force(p_pacejka):
    fz = p_pacejka[I_FNOMIN]
    k_x, k_y = slip_stiffness(p_pacejka, fz)
    h = 1e-6
    k0 = -p_pacejka[idx("PHX1")]  # Fx0 crosses SV here
    dfx = (mf61_forces(p_pacejka, fz, k0 + h, 0.0, 0.0, VX, 1.0, 1.0)[0]
           - mf61_forces(p_pacejka, fz, k0 - h, 0.0, 0.0, VX, 1.0, 1.0)[0]) / (2 * h)
    assert dfx == pytest.approx(k_x, rel=1e-5)
    a0 = math.atan(-p_pacejka[idx("PHY1")])
    dfy = (mf61_forces(p_pacejka, fz, 0.0, a0 + h, 0.0, VX, 1.0, 1.0)[1]
           - mf61_forces(p_pacejka, fz, 0.0, a0 - h, 0.0, VX, 1.0, 1.0)[1]) / (2 * h)
    # dFy/dalpha = K_ya / cos^2(alpha0); cornering stiffness is returned positive
    assert -dfy * math.cos(a0) ** 2 == pytest.approx(k_y, rel=1e-5)


@pytest.mark.parametrize("tire", ["p_pacejka", "p_example"])
def test_no_nan_or_inf_over_extreme_inputs(tire, request):
    p = request.getfixturevalue(tire)
    fz0 = p[I_FNOMIN]
    loads = [-100.0, 0.0, 1e-9, 1.0, 0.5 * fz0, fz0, 3 * fz0, 1e7]
    slips = [-math.inf, -10.0, -1.5, -1.0, -0.1, 0.0, 1e-12, 0.1, 1.0, 10.0, math.inf]
    angles = [-math.pi / 2, -1.5, -0.3, 0.0, 1e-12, 0.3, 1.5, math.pi / 2, 3.0]
    cambers = [-1.0, 0.0, 0.1]
    speeds = [-50.0, -1.0, -1e-9, 0.0, 1e-9, 0.5, 30.0, 1e4]
    for fz, k, a, g, v in itertools.product(loads, slips, angles, cambers, speeds):
        fx, fy, mz = mf61_forces(p, fz, k, a, g, v, 1.0, 1.0)
        mx, my = mf61_moments(p, fz, k, a, g, v, fx, fy)
        assert all(math.isfinite(x) for x in (fx, fy, mz, mx, my)), (fz, k, a, g, v)
        if fz <= 0.0:
            assert (fx, fy, mz, mx, my) == (0.0, 0.0, 0.0, 0.0, 0.0)
    for fz in loads:
        assert all(math.isfinite(x) for x in relaxation_lengths(p, fz) + slip_stiffness(p, fz)
                   + peak_friction(p, fz, 1.0, 1.0))


@pytest.mark.parametrize("tire", ["p_pacejka", "p_example"])
def test_tire_at_standstill_without_slip_gives_no_force(tire, request):
    p = request.getfixturevalue(tire)
    fz = p[I_FNOMIN]
    assert mf61_forces(p, fz, 0.0, 0.0, 0.05, 0.0, 1.0, 1.0) == (0.0, 0.0, 0.0)
    # ... while at speed the shifts (conicity, ply steer, camber thrust) give some
    fx, fy, _ = mf61_forces(p, fz, 0.0, 0.0, 0.05, VX, 1.0, 1.0)
    assert abs(fy) > 1e-3 * fz
    assert mf61_moments(p, fz, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)[1] == 0.0


def test_low_speed_reduction_is_continuous_at_vxlow(p_example):
    vxlow = p_example[I_VXLOW]
    below = mf61_forces(p_example, 6000.0, 0.01, 0.01, 0.02, vxlow * (1 - 1e-9), 1.0, 1.0)
    above = mf61_forces(p_example, 6000.0, 0.01, 0.01, 0.02, vxlow * (1 + 1e-9), 1.0, 1.0)
    assert below == pytest.approx(above, rel=1e-6, abs=1e-4)


def test_backward_running_signs(p_pacejka):
    fz = p_pacejka[I_FNOMIN]
    # kappa > 0 (wheel turns faster than it rolls, backwards too): force in +x
    fx_fwd = mf61_forces(p_pacejka, fz, 0.1, 0.0, 0.0, 10.0, 1.0, 1.0)[0]
    fx_bwd = mf61_forces(p_pacejka, fz, 0.1, 0.0, 0.0, -10.0, 1.0, 1.0)[0]
    assert fx_fwd > 0.5 * fz and fx_bwd == pytest.approx(fx_fwd, rel=1e-12)
    # alpha > 0 (contact patch slides left): force to the right in either direction
    assert mf61_forces(p_pacejka, fz, 0.0, 0.05, 0.0, 10.0, 1.0, 1.0)[1] < -0.3 * fz
    assert mf61_forces(p_pacejka, fz, 0.0, 0.05, 0.0, -10.0, 1.0, 1.0)[1] < -0.3 * fz


@pytest.mark.parametrize("tire", ["p_pacejka", "p_example"])
def test_relaxation_lengths_at_nominal_load(tire, request):
    p = request.getfixturevalue(tire)
    s_k, s_a = relaxation_lengths(p, p[I_FNOMIN])
    assert 0.05 <= s_k <= 1.0
    assert 0.05 <= s_a <= 1.0
    assert relaxation_lengths(p, 0.0) == (0.02, 0.02)  # floor when the wheel lifts


def test_relaxation_length_is_slip_over_structural_stiffness(p_pacejka):
    # no PCF* terms and no [STRUCTURAL] in the file: C_x, C_y are the estimated defaults
    k_x, k_y = slip_stiffness(p_pacejka, 4000.0)
    s_k, s_a = relaxation_lengths(p_pacejka, 4000.0)
    assert s_k == pytest.approx(k_x / DEFAULTS["LONGITUDINAL_STIFFNESS"], rel=1e-12)  # 0.246 m
    assert s_a == pytest.approx(k_y / DEFAULTS["LATERAL_STIFFNESS"], rel=1e-12)


def test_rolling_resistance_moment_of_the_generic_tire():
    # generic coefficients: QSY1 = 0.01, QSY7 = 1 -> My = -0.01 Fz R0 (rolling resistance 1 %)
    from twinmotor.tire import load_tire

    tire = load_tire("215/55R17")
    for fz in (2000.0, 4000.0, 6000.0):
        mx, my = mf61_moments(tire.params, fz, 0.0, 0.0, 0.0, 20.0, 0.0, 0.0)
        assert my == pytest.approx(-0.01 * fz * tire.unloaded_radius_m, rel=1e-12)
        assert mx == 0.0  # Table A3.1 gives no QSX terms
    # the moment opposes the wheel's spin: driving backwards it changes sign
    assert mf61_moments(tire.params, 4000.0, 0.0, 0.0, 0.0, -20.0, 0.0, 0.0)[1] > 0.0


def test_evaluate_pressure_changes_the_forces(p_example):
    # +20 % pressure on the example file (PP* terms) changes the cornering force by several %
    nom = evaluate(p_example, 6752.0, 0.0, 0.03, 0.0, VX)
    high = evaluate(p_example, 6752.0, 0.0, 0.03, 0.0, VX, pressure=1.2 * 260000.0)
    assert abs(high["Fy"] / nom["Fy"] - 1.0) > 0.01


def test_mf52_file_uses_phy3_camber_shift():
    values = dict(read_tir("builtin:pacejka2006_205_60r15.tir").values)
    values.update(FITTYP=6, PHY3=0.05, PVY3=-0.2)
    del values["QSY7"]
    p52 = coefficient_array(values)
    assert p52[idx("QSY7")] == 1.0  # MF 5.2 rolling resistance: My proportional to Fz
    assert p52[idx("PKY4")] == 2.0
    fz, gamma = 4000.0, 0.05
    # MF 5.2: SHy = PHY1 + PHY3 gamma*, SVy = Fz (PVY1 + PVY3 gamma*) -> Fy = SVy at alpha* = -SHy
    shy = 0.003 + 0.05 * math.sin(gamma)
    svy = fz * (0.045 + -0.2 * math.sin(gamma))
    fy = mf61_forces(p52, fz, 0.0, math.atan(-shy), gamma, VX, 1.0, 1.0)[1]
    assert fy == pytest.approx(svy, rel=1e-9)
    # the same coefficients as MF 6.1 shift by (Kyg0 gamma* - SVyg) / Kya instead: a different curve
    values["FITTYP"] = 61
    p61 = coefficient_array(values)
    assert abs(mf61_forces(p61, fz, 0.0, math.atan(-shy), gamma, VX, 1.0, 1.0)[1] - svy) > 10.0
