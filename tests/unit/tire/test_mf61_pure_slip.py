"""Pure-slip forces of the Pacejka 205/60R15 tire against the Magic Formula worked by hand.

At Fz = FNOMIN (dfz = 0), nominal pressure (dpi = 0), gamma = 0 and vx above VXLOW the MF 6.1
factors reduce to (Pacejka 2012, eqs. 4.E9-4.E30; coefficients from Table A3.1):
    Fx:  C = PCX1, D = PDX1 Fz, K = PKX1 Fz, B = K / (C D), E = PEX1, SH = PHX1, SV = PVX1 Fz
    Fy:  C = PCY1, D = PDY1 Fz, K = PKY1 Fz sin(PKY4 atan(1 / PKY2)), B = K / (C D),
         E = PEY1 (1 - PEY3 sgn(alpha_y)), SH = PHY1, SV = PVY1 Fz, alpha_y = tan(alpha) + SH
and the force is D sin(C atan(B x - E (B x - atan(B x)))) + SV.
"""

import math

import numpy as np
import pytest

from twinmotor.tire import mf61_forces, peak_friction, slip_stiffness
from twinmotor.tire.mf61 import I_FNOMIN

FZ = 4000.0  # FNOMIN of the file [N]
VX = 20.0  # m/s, above VXLOW: no low-speed reduction

# Table A3.1 values, typed in from the book's table (not read from the file under test)
PCX1, PDX1, PEX1, PKX1, PHX1, PVX1 = 1.685, 1.21, 0.344, 21.51, -0.002, 0.0
PCY1, PDY1, PEY1, PEY3, PKY1, PKY2, PKY4 = 1.193, -0.99, -1.003, -0.083, -14.95, 2.13, 2.0
PHY1, PVY1 = 0.003, 0.045


def mf(b, c, d, e, x):
    return d * math.sin(c * math.atan(b * x - e * (b * x - math.atan(b * x))))


def fx_by_hand(kappa):
    c, d, k = PCX1, PDX1 * FZ, PKX1 * FZ
    return mf(k / (c * d), c, d, PEX1, kappa + PHX1) + PVX1 * FZ


def fy_by_hand(alpha):
    c, d = PCY1, PDY1 * FZ
    k = PKY1 * FZ * math.sin(PKY4 * math.atan(1.0 / PKY2))
    ay = math.tan(alpha) + PHY1
    e = PEY1 * (1.0 - PEY3 * (1.0 if ay >= 0 else -1.0))
    return mf(k / (c * d), c, d, e, ay) + PVY1 * FZ


@pytest.mark.parametrize("kappa", [-0.3, -0.05, -0.01, 0.0, 0.005, 0.01, 0.08, 0.15, 0.5])
def test_fx_pure_longitudinal_slip(p_pacejka, kappa):
    fx, fy, _ = mf61_forces(p_pacejka, FZ, kappa, 0.0, 0.0, VX, 1.0, 1.0)
    assert fx == pytest.approx(fx_by_hand(kappa), rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("alpha", [-0.3, -0.05, -0.01, 0.0, 0.005, 0.01, 0.08, 0.15, 0.5])
def test_fy_pure_side_slip(p_pacejka, alpha):
    fx, fy, _ = mf61_forces(p_pacejka, FZ, 0.0, alpha, 0.0, VX, 1.0, 1.0)
    assert fy == pytest.approx(fy_by_hand(alpha), rel=1e-9, abs=1e-6)


def test_small_slip_is_linear_with_slip_stiffness(p_pacejka):
    # Fx ~ K (kappa + SH) + SV near kappa = -SH: K = PKX1 Fz = 86 040 N
    k_x = PKX1 * FZ
    for kappa in (0.0005, 0.001):
        fx, _, _ = mf61_forces(p_pacejka, FZ, kappa, 0.0, 0.0, VX, 1.0, 1.0)
        assert fx == pytest.approx(k_x * (kappa + PHX1), rel=2e-3)
    k_x_model, k_y_model = slip_stiffness(p_pacejka, FZ)
    assert k_x_model == pytest.approx(86040.0, rel=1e-12)
    assert k_y_model == pytest.approx(abs(PKY1 * FZ * math.sin(2.0 * math.atan(1.0 / PKY2))), rel=1e-12)


def test_peak_forces_equal_d_plus_sv(p_pacejka):
    kappas = np.linspace(0.0, 0.5, 50001)
    fx = np.array([mf61_forces(p_pacejka, FZ, k, 0.0, 0.0, VX, 1.0, 1.0)[0] for k in kappas])
    assert fx.max() == pytest.approx(PDX1 * FZ + PVX1 * FZ, rel=1e-6)  # 4840 N
    alphas = np.linspace(0.0, 0.5, 50001)
    fy = np.array([mf61_forces(p_pacejka, FZ, 0.0, a, 0.0, VX, 1.0, 1.0)[1] for a in alphas])
    # positive slip angle pushes the force negative (ISO-W): its extreme is D + SV = -3960 + 180 N
    assert fy.min() == pytest.approx(PDY1 * FZ + PVY1 * FZ, rel=1e-6)
    assert peak_friction(p_pacejka, FZ, 1.0, 1.0) == pytest.approx((PDX1, abs(PDY1)), rel=1e-12)


def test_positive_slip_angle_gives_negative_lateral_force(p_pacejka, p_example):
    for p in (p_pacejka, p_example):
        fz = p[I_FNOMIN]
        assert mf61_forces(p, fz, 0.0, 0.05, 0.0, VX, 1.0, 1.0)[1] < -0.3 * fz
        assert mf61_forces(p, fz, 0.0, -0.05, 0.0, VX, 1.0, 1.0)[1] > 0.3 * fz
