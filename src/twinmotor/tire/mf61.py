"""Pacejka Magic Formula 6.1 tire model: steady-state forces and moments, compiled with numba.

The model maps the wheel's slip state to the forces and moments of the road on the tire, in the
ISO-W (TYDEX W) axis system of the wheel: x forward in the wheel plane, y to the left, z up.
Sign conventions are those of MFeval and of TNO MF-Tyre:

    kappa  = -(Vx - omega * Re) / |Vx|      (> 0 driving, -1 locked wheel)       [-]
    alpha  = atan(Vcy / |Vcx|)                (> 0: contact patch slides left)     [rad]
    gamma  = inclination angle of the wheel plane about the x axis (ISO-W)         [rad]

so that with the shipped coefficient sets positive slip angle gives negative lateral force.
The slip angle enters the equations as alpha* = tan(alpha) and the inclination as
gamma* = sin(gamma), without turn slip: above VXLOW the results equal MFeval's use mode 221.

All coefficients of one tire live in one flat float64 array `p` (order `PARAM_NAMES`, index
constants `I_<NAME>`) so that compiled simulation code can pass it around without Python objects.
Build it from a `.tir` file's values with `coefficient_array`.

References
----------
Pacejka, H. B., Tire and Vehicle Dynamics, 3rd ed., Butterworth-Heinemann, 2012, sect. 4.3.2,
    eqs. (4.E1)-(4.E78) (Magic Formula 6.1 steady state); ch. 7 (relaxation length = slip
    stiffness / structural stiffness of the single contact point transient model).
Pacejka, H. B., Tyre and Vehicle Dynamics, 2nd ed., 2006, Appendix 3 (Table A3.1 coefficients).
Besselink, I. J. M., Schmeitz, A. J. C., Pacejka, H. B., "An improved Magic Formula/Swift tyre
    model that can handle inflation pressure changes", Vehicle System Dynamics 48 (S1), 2010,
    eqs. (17)-(19) relaxation lengths, (A48) My, (A54)-(A60) aligning moment: the forms MF-Tyre
    6.1 and MFeval use.
Furlan, M., MFeval (MATLAB, MathWorks File Exchange) and its Julia port MFeval.jl
    (github.com/matheusft/MFeval_julia): public MF 6.1 evaluators whose conventions (ISO-W signs,
    Mx per the TNO equation manual, trail scaled by LFZO) this module follows; the comparison
    points are in tests/unit/tire.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from twinmotor.errors import ParameterError
from twinmotor.tire.coefficients import MF52_FITTYPS, PARAM_NAMES, SUPPORTED_FITTYPS

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("pacejka2012tire", "besselink2010improved", "tno2010mftyre")

#: coefficient name -> index in the coefficient array
P = {name: i for i, name in enumerate(PARAM_NAMES)}

#: Small number that keeps denominators away from zero (Pacejka 2012, eq. 4.E6a).
EPS = 1e-6
#: Longitudinal slip is clipped to +-KAPPA_LIMIT (beyond it the curves are flat anyway).
KAPPA_LIMIT = 1.5
#: Slip angle is clipped to +-ALPHA_LIMIT so that tan(alpha) stays finite (tan = 1e4).
ALPHA_LIMIT = 0.5 * math.pi - 1e-4
#: Inclination angle is clipped to +-GAMMA_LIMIT [rad].
GAMMA_LIMIT = 0.5 * math.pi
#: Vertical load is clipped to FZ_LIMIT_FACTOR * LFZO * FNOMIN: far beyond any fitted range,
#: it keeps exp() and powers of the load increment finite.
FZ_LIMIT_FACTOR = 5.0
#: Speed is clipped to +-VX_LIMIT [m/s] (only the speed terms of My and alpha' use it).
VX_LIMIT = 1000.0
#: Relaxation lengths are never shorter than this [m] (keeps the transient slip equations stiff
#: but finite when the load, and with it the slip stiffness, goes to zero).
SIGMA_MIN_M = 0.02


# Index of each coefficient in the array: compile-time constants inside numba code.
# model, dimensions, operating conditions
I_FITTYP = P["FITTYP"]
I_LONGVL = P["LONGVL"]
I_VXLOW = P["VXLOW"]
I_UNLOADED_RADIUS = P["UNLOADED_RADIUS"]
I_WIDTH = P["WIDTH"]
I_FNOMIN = P["FNOMIN"]
I_NOMPRES = P["NOMPRES"]
I_INFLPRES = P["INFLPRES"]
# structural stiffness (relaxation lengths)
I_VERTICAL_STIFFNESS = P["VERTICAL_STIFFNESS"]
I_LONGITUDINAL_STIFFNESS = P["LONGITUDINAL_STIFFNESS"]
I_LATERAL_STIFFNESS = P["LATERAL_STIFFNESS"]
I_PCFX1 = P["PCFX1"]
I_PCFX2 = P["PCFX2"]
I_PCFX3 = P["PCFX3"]
I_PCFY1 = P["PCFY1"]
I_PCFY2 = P["PCFY2"]
I_PCFY3 = P["PCFY3"]
# scaling factors
I_LFZO = P["LFZO"]
I_LCX = P["LCX"]
I_LMUX = P["LMUX"]
I_LEX = P["LEX"]
I_LKX = P["LKX"]
I_LHX = P["LHX"]
I_LVX = P["LVX"]
I_LCY = P["LCY"]
I_LMUY = P["LMUY"]
I_LEY = P["LEY"]
I_LKY = P["LKY"]
I_LKYC = P["LKYC"]
I_LKZC = P["LKZC"]
I_LHY = P["LHY"]
I_LVY = P["LVY"]
I_LTR = P["LTR"]
I_LRES = P["LRES"]
I_LXAL = P["LXAL"]
I_LYKA = P["LYKA"]
I_LVYKA = P["LVYKA"]
I_LS = P["LS"]
I_LMX = P["LMX"]
I_LVMX = P["LVMX"]
I_LMY = P["LMY"]
I_LMUV = P["LMUV"]
# longitudinal force
I_PCX1 = P["PCX1"]
I_PDX1 = P["PDX1"]
I_PDX2 = P["PDX2"]
I_PDX3 = P["PDX3"]
I_PEX1 = P["PEX1"]
I_PEX2 = P["PEX2"]
I_PEX3 = P["PEX3"]
I_PEX4 = P["PEX4"]
I_PKX1 = P["PKX1"]
I_PKX2 = P["PKX2"]
I_PKX3 = P["PKX3"]
I_PHX1 = P["PHX1"]
I_PHX2 = P["PHX2"]
I_PVX1 = P["PVX1"]
I_PVX2 = P["PVX2"]
I_PPX1 = P["PPX1"]
I_PPX2 = P["PPX2"]
I_PPX3 = P["PPX3"]
I_PPX4 = P["PPX4"]
I_RBX1 = P["RBX1"]
I_RBX2 = P["RBX2"]
I_RBX3 = P["RBX3"]
I_RCX1 = P["RCX1"]
I_REX1 = P["REX1"]
I_REX2 = P["REX2"]
I_RHX1 = P["RHX1"]
# lateral force
I_PCY1 = P["PCY1"]
I_PDY1 = P["PDY1"]
I_PDY2 = P["PDY2"]
I_PDY3 = P["PDY3"]
I_PEY1 = P["PEY1"]
I_PEY2 = P["PEY2"]
I_PEY3 = P["PEY3"]
I_PEY4 = P["PEY4"]
I_PEY5 = P["PEY5"]
I_PKY1 = P["PKY1"]
I_PKY2 = P["PKY2"]
I_PKY3 = P["PKY3"]
I_PKY4 = P["PKY4"]
I_PKY5 = P["PKY5"]
I_PKY6 = P["PKY6"]
I_PKY7 = P["PKY7"]
I_PHY1 = P["PHY1"]
I_PHY2 = P["PHY2"]
I_PHY3 = P["PHY3"]
I_PVY1 = P["PVY1"]
I_PVY2 = P["PVY2"]
I_PVY3 = P["PVY3"]
I_PVY4 = P["PVY4"]
I_PPY1 = P["PPY1"]
I_PPY2 = P["PPY2"]
I_PPY3 = P["PPY3"]
I_PPY4 = P["PPY4"]
I_PPY5 = P["PPY5"]
I_RBY1 = P["RBY1"]
I_RBY2 = P["RBY2"]
I_RBY3 = P["RBY3"]
I_RBY4 = P["RBY4"]
I_RCY1 = P["RCY1"]
I_REY1 = P["REY1"]
I_REY2 = P["REY2"]
I_RHY1 = P["RHY1"]
I_RHY2 = P["RHY2"]
I_RVY1 = P["RVY1"]
I_RVY2 = P["RVY2"]
I_RVY3 = P["RVY3"]
I_RVY4 = P["RVY4"]
I_RVY5 = P["RVY5"]
I_RVY6 = P["RVY6"]
# aligning moment
I_QBZ1 = P["QBZ1"]
I_QBZ2 = P["QBZ2"]
I_QBZ3 = P["QBZ3"]
I_QBZ4 = P["QBZ4"]
I_QBZ5 = P["QBZ5"]
I_QBZ9 = P["QBZ9"]
I_QBZ10 = P["QBZ10"]
I_QCZ1 = P["QCZ1"]
I_QDZ1 = P["QDZ1"]
I_QDZ2 = P["QDZ2"]
I_QDZ3 = P["QDZ3"]
I_QDZ4 = P["QDZ4"]
I_QDZ6 = P["QDZ6"]
I_QDZ7 = P["QDZ7"]
I_QDZ8 = P["QDZ8"]
I_QDZ9 = P["QDZ9"]
I_QDZ10 = P["QDZ10"]
I_QDZ11 = P["QDZ11"]
I_QEZ1 = P["QEZ1"]
I_QEZ2 = P["QEZ2"]
I_QEZ3 = P["QEZ3"]
I_QEZ4 = P["QEZ4"]
I_QEZ5 = P["QEZ5"]
I_QHZ1 = P["QHZ1"]
I_QHZ2 = P["QHZ2"]
I_QHZ3 = P["QHZ3"]
I_QHZ4 = P["QHZ4"]
I_PPZ1 = P["PPZ1"]
I_PPZ2 = P["PPZ2"]
I_SSZ1 = P["SSZ1"]
I_SSZ2 = P["SSZ2"]
I_SSZ3 = P["SSZ3"]
I_SSZ4 = P["SSZ4"]
# overturning moment
I_QSX1 = P["QSX1"]
I_QSX2 = P["QSX2"]
I_QSX3 = P["QSX3"]
I_QSX4 = P["QSX4"]
I_QSX5 = P["QSX5"]
I_QSX6 = P["QSX6"]
I_QSX7 = P["QSX7"]
I_QSX8 = P["QSX8"]
I_QSX9 = P["QSX9"]
I_QSX10 = P["QSX10"]
I_QSX11 = P["QSX11"]
I_QSX12 = P["QSX12"]
I_QSX13 = P["QSX13"]
I_QSX14 = P["QSX14"]
I_PPMX1 = P["PPMX1"]
# rolling resistance moment
I_QSY1 = P["QSY1"]
I_QSY2 = P["QSY2"]
I_QSY3 = P["QSY3"]
I_QSY4 = P["QSY4"]
I_QSY5 = P["QSY5"]
I_QSY6 = P["QSY6"]
I_QSY7 = P["QSY7"]
I_QSY8 = P["QSY8"]
N_PARAMS = 167

#: Coefficients a tire cannot do without: they set the load and length scales.
REQUIRED = ("FNOMIN", "UNLOADED_RADIUS")

#: Value of every coefficient a property file leaves out. Scaling factors are 1 (LMUV, the
#: speed decay of friction, 0), PKY4 = 2 (MF 5.2 form), all shape/shift coefficients 0.
DEFAULTS: dict[str, float] = {name: 0.0 for name in PARAM_NAMES if name not in REQUIRED}
DEFAULTS.update({name: 1.0 for name in PARAM_NAMES[I_LFZO:I_LMUV]})
DEFAULTS.update(
    FITTYP=61.0,
    PKY4=2.0,
    WIDTH=0.0,  # 0 = unknown; load_tire() then takes the width from the size code
    # Estimates, not measurements: structural stiffnesses of a typical passenger-car tire,
    # used for the relaxation lengths when the file has no [STRUCTURAL] section.
    LONGITUDINAL_STIFFNESS=3.5e5,  # N/m, estimate
    LATERAL_STIFFNESS=1.5e5,  # N/m, estimate
    VERTICAL_STIFFNESS=2.2e5,  # N/m, estimate
    VXLOW=1.0,  # m/s, estimate (MF-Tyre's usual value)
    LONGVL=16.7,  # m/s, estimate (60 km/h, the usual measurement speed)
    # NOMPRES/INFLPRES: when one is given the other copies it; when both are missing both are
    # this typical passenger-car pressure (estimate; with no PP* terms it changes nothing).
    NOMPRES=2.2e5,  # Pa, estimate
    INFLPRES=2.2e5,  # Pa, estimate
)

# Coefficients that must be positive for the equations to be defined, with their units.
_POSITIVE = {"FNOMIN": "N", "UNLOADED_RADIUS": "m", "LONGVL": "m/s", "VXLOW": "m/s", "NOMPRES": "Pa",
             "INFLPRES": "Pa", "LFZO": "-", "LMUX": "-", "LMUY": "-", "VERTICAL_STIFFNESS": "N/m",
             "LONGITUDINAL_STIFFNESS": "N/m", "LATERAL_STIFFNESS": "N/m"}


def is_mf52(fittyp: float) -> bool:
    """True for the MF 5.2 family of FITTYP codes (6, 21, 52)."""
    return int(fittyp) in MF52_FITTYPS


def coefficient_array(values: dict) -> np.ndarray:
    """The flat coefficient array (order `PARAM_NAMES`) of a tire from its named values.

    Parameters
    ----------
    values : dict
        Coefficient name (any case; the flattened `TirFile.values` fits) -> number. Names this
        model does not use are ignored; missing ones take `DEFAULTS`.

    Returns
    -------
    numpy.ndarray of float64, length `len(PARAM_NAMES)`.

    MF 5.2 files (FITTYP 6, 21, 52) are evaluated with the MF 6.1 equations: their missing 6.1
    terms (pressure PP*, PKY4-PKY7, QSY5-QSY8, ...) take the defaults, except QSY7 = 1 (when
    absent), which makes the MF 6.1 rolling resistance moment equal the MF 5.2 one (My
    proportional to Fz). The MF 5.2 camber shift of Fy (PHY3) and the 5.2 form of Mz are kept:
    the array's FITTYP selects them.

    Raises
    ------
    ParameterError
        A required coefficient (FNOMIN, UNLOADED_RADIUS) is missing, a coefficient is not a
        finite number, FITTYP is not one of `SUPPORTED_FITTYPS`, or a scale (load, radius,
        pressure, stiffness, friction scaling) is not positive.
    """
    upper = {str(k).upper(): v for k, v in values.items()}
    out = np.empty(len(PARAM_NAMES), dtype=np.float64)
    for i, name in enumerate(PARAM_NAMES):
        if name in upper:
            out[i] = _as_float(name, upper[name])
        elif name in REQUIRED:
            raise ParameterError(
                f"tire coefficient {name} is missing: it is required (FNOMIN in N in [VERTICAL], "
                "UNLOADED_RADIUS in m in [DIMENSION])"
            )
        else:
            out[i] = DEFAULTS[name]
    fittyp = out[I_FITTYP]
    if not float(fittyp).is_integer() or int(fittyp) not in SUPPORTED_FITTYPS:
        raise ParameterError(
            f"tire coefficient FITTYP = {upper.get('FITTYP')!r} is not supported: allowed "
            f"{', '.join(map(str, SUPPORTED_FITTYPS))} (MF 5.2 and MF 6.1/6.2)"
        )
    if "NOMPRES" in upper and "INFLPRES" not in upper:
        out[I_INFLPRES] = out[I_NOMPRES]
    elif "INFLPRES" in upper and "NOMPRES" not in upper:
        out[I_NOMPRES] = out[I_INFLPRES]
    if is_mf52(fittyp) and "QSY7" not in upper:
        out[I_QSY7] = 1.0
    for name, unit in _POSITIVE.items():
        v = out[PARAM_NAMES.index(name)]
        if not v > 0.0:
            raise ParameterError(f"tire coefficient {name} = {v!r} {unit} is out of range: allowed > 0 {unit}")
    if out[I_LMUV] < 0.0:
        raise ParameterError(f"tire coefficient LMUV = {out[I_LMUV]!r} is out of range: allowed >= 0")
    if out[I_WIDTH] < 0.0:
        raise ParameterError(f"tire coefficient WIDTH = {out[I_WIDTH]!r} m is out of range: allowed >= 0 m")
    return out


def _as_float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"tire coefficient {name} = {value!r} is not a number")
    v = float(value)
    if not math.isfinite(v):
        raise ParameterError(f"tire coefficient {name} = {value!r} is not a finite number")
    return v


# ------------------------------------------------------------------------------------------
# Compiled helpers
# ------------------------------------------------------------------------------------------

@njit(cache=True, inline="always")
def _sign(x: float) -> float:
    """sign(x) with sign(0) = +1, as MF-Tyre and MFeval use it."""
    return 1.0 if x >= 0.0 else -1.0


@njit(cache=True, inline="always")
def _clip(x: float, lo: float, hi: float) -> float:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


@njit(cache=True, inline="always")
def _nonzero(x: float, eps: float) -> float:
    """x, moved away from zero to magnitude >= eps (sign kept; 0 -> +eps): a safe denominator."""
    if x >= 0.0:
        return x if x > eps else eps
    return x if x < -eps else -eps


@njit(cache=True, inline="always")
def _cos_atan(x: float) -> float:
    """cos(atan(x)) = 1 / sqrt(1 + x^2), without the two transcendental calls."""
    return 1.0 / math.sqrt(1.0 + x * x)


@njit(cache=True, inline="always")
def _low_speed_reduction(speed_abs: float, vxlow: float) -> float:
    """0 at standstill rising as a half cosine to 1 at |Vx| = VXLOW (MF-Tyre low-speed model)."""
    if speed_abs >= vxlow:
        return 1.0
    return 0.5 * (1.0 - math.cos(math.pi * speed_abs / vxlow))


@njit(cache=True, inline="always")
def _kxk(p, fz: float, dfz: float, dpi: float) -> float:
    """Longitudinal slip stiffness K_xkappa [N] (4.E15)."""
    return (fz * (p[I_PKX1] + p[I_PKX2] * dfz) * math.exp(p[I_PKX3] * dfz)
            * (1.0 + p[I_PPX1] * dpi + p[I_PPX2] * dpi * dpi) * p[I_LKX])


@njit(cache=True, inline="always")
def _kya(p, fz: float, fz0p: float, dpi: float, g_s: float) -> float:
    """Cornering stiffness K_yalpha [N/rad] (4.E25), negative for ISO-W coefficient sets."""
    den = _nonzero((p[I_PKY2] + p[I_PKY5] * g_s * g_s) * (1.0 + p[I_PPY2] * dpi), EPS)
    return (p[I_PKY1] * fz0p * (1.0 + p[I_PPY1] * dpi) * (1.0 - p[I_PKY3] * abs(g_s))
            * math.sin(p[I_PKY4] * math.atan((fz / fz0p) / den)) * p[I_LKY])


@njit(cache=True, inline="always")
def _mux(p, dfz: float, dpi: float, g: float, lmux: float) -> float:
    """Longitudinal friction coefficient mu_x (4.E13)."""
    return ((p[I_PDX1] + p[I_PDX2] * dfz) * (1.0 + p[I_PPX3] * dpi + p[I_PPX4] * dpi * dpi)
            * (1.0 - p[I_PDX3] * g * g) * lmux)


@njit(cache=True, inline="always")
def _muy(p, dfz: float, dpi: float, g_s: float, lmuy: float) -> float:
    """Lateral friction coefficient mu_y (4.E23)."""
    return ((p[I_PDY1] + p[I_PDY2] * dfz) * (1.0 + p[I_PPY3] * dpi + p[I_PPY4] * dpi * dpi)
            * (1.0 - p[I_PDY3] * g_s * g_s) * lmuy)


@njit(cache=True, inline="always")
def _magic(b: float, c: float, d: float, e: float, x: float) -> float:
    """The Magic Formula D sin(C atan(B x - E (B x - atan(B x))))."""
    bx = b * x
    return d * math.sin(c * math.atan(bx - e * (bx - math.atan(bx))))


@njit(cache=True, inline="always")
def _weight(b: float, c: float, e: float, x: float) -> float:
    """Combined-slip weighting shape cos(C atan(B x - E (B x - atan(B x))))."""
    bx = b * x
    return math.cos(c * math.atan(bx - e * (bx - math.atan(bx))))


@njit(cache=True, inline="always")
def _load_and_pressure(p, fz: float):
    """(clipped Fz [N], Fz0' = LFZO FNOMIN [N], dfz (4.E2a), dpi (4.E2b))."""
    fz0p = p[I_LFZO] * p[I_FNOMIN]
    fzc = _clip(fz, 0.0, FZ_LIMIT_FACTOR * fz0p)
    dfz = (fzc - fz0p) / fz0p
    dpi = (p[I_INFLPRES] - p[I_NOMPRES]) / p[I_NOMPRES]
    return fzc, fz0p, dfz, dpi


# ------------------------------------------------------------------------------------------
# Forces and aligning moment
# ------------------------------------------------------------------------------------------

@njit(cache=True)
def mf61_forces(p, fz, kappa, alpha, gamma, vx, mu_scale_x, mu_scale_y):
    """Steady-state MF 6.1 forces Fx, Fy and aligning moment Mz with combined slip.

    Parameters
    ----------
    p : float64 array
        Coefficients, order `PARAM_NAMES` (see `coefficient_array`). The inflation pressure is
        p[I_INFLPRES] [Pa], compared with p[I_NOMPRES] [Pa].
    fz : float
        Vertical load [N], > 0 when the tire touches the road.
    kappa : float
        Longitudinal slip -(Vx - omega Re)/|Vx| [-].
    alpha : float
        Slip angle atan(Vcy/|Vcx|) [rad].
    gamma : float
        Inclination angle [rad].
    vx : float
        Longitudinal speed of the wheel centre in the wheel plane [m/s]; its sign selects
        forward/backward running, |vx| the low-speed reduction.
    mu_scale_x, mu_scale_y : float
        Road friction relative to the surface the coefficients were measured on [-]; they
        multiply LMUX and LMUY (negative values count as 0).

    Returns
    -------
    (fx, fy, mz) : tuple of float
        Longitudinal force [N], lateral force [N], aligning moment [N m] in ISO-W axes.

    Equations (Pacejka 2012 numbering; Besselink et al. 2010 for Mz):
        dfz = (Fz - Fz0')/Fz0', Fz0' = LFZO FNOMIN;  dpi = (INFLPRES - NOMPRES)/NOMPRES
        alpha* = tan(alpha) sgn(Vx), gamma* = sin(gamma)
        Fx0 = Dx sin(Cx atan(Bx kx - Ex (Bx kx - atan(Bx kx)))) + SVx, kx = kappa + SHx  (4.E9-E18)
        Fy0 = Dy sin(Cy atan(By ay - Ey (By ay - atan(By ay)))) + SVy, ay = alpha* + SHy (4.E19-E30)
        Fx = Gxa Fx0 (4.E50-E57);  Fy = Gyk Fy0 + SVyk (4.E58-E67)
        Mz = -t Fy' + Mzr + s Fx, Fy' = Gyk Fy0(gamma = 0)  (4.E71-E75, A54-A60);
        MF 5.2 files: Mz = -t (Fy - SVyk) + Mzr + s Fx and SHy = (PHY1 + PHY2 dfz) LHY + PHY3 gamma* LKYC.

    Behaviour for a fixed-step simulator (documented limits, never NaN for finite inputs):
        - fz <= 0 returns (0, 0, 0); fz is clipped to FZ_LIMIT_FACTOR * Fz0'.
        - kappa is clipped to [-1.5, 1.5], alpha to [-(pi/2 - 1e-4), pi/2 - 1e-4], gamma to
          [-pi/2, pi/2], vx to [-1000, 1000] m/s.
        - Low speed (|vx| < VXLOW): the shifts SHx, SVx, SHy, SVy, SVyk, the trail t and the
          residual moment Mzr are multiplied by 0.5 (1 - cos(pi |vx| / VXLOW)) (MF-Tyre low-speed
          model), so a tire at standstill with no slip gives no force. Slips themselves are the
          caller's: this function does not divide by vx.
        - Backward running (vx < 0): alpha* and Fy0 change sign as in MFeval. Fx0 is NOT
          negated: with kappa defined by |Vx| the sign of kappa already gives the direction of Fx
          (MFeval negates Fx0 because TNO divides by signed Vx there).
    """
    if not fz > 0.0:
        return 0.0, 0.0, 0.0
    fzc, fz0p, dfz, dpi = _load_and_pressure(p, fz)
    fx, fy, mz, _ = _forces(p, fzc, fz0p, dfz, dpi, _kxk(p, fzc, dfz, dpi), _kya(p, fzc, fz0p, dpi, 0.0),
                            kappa, alpha, gamma, vx, mu_scale_x, mu_scale_y, False)
    return fx, fy, mz


@njit(cache=True, inline="always")
def _forces(p, fzc, fz0p, dfz, dpi, kxk, kya0, kappa, alpha, gamma, vx, mu_scale_x, mu_scale_y, slope):
    """mf61_forces from the load terms (_load_and_pressure), the longitudinal slip stiffness kxk
    (4.E15) and the cornering stiffness at zero camber kya0 (4.E25), which the relaxation lengths
    use too: a caller that needs both computes them once. With `slope`, also dFx/dkappa [N] at this
    point (the pure-slip curve's derivative times the combined-slip weight Gxa, whose own slow
    dependence on kappa is left out): what the plant's wheel sub-steps linearise the force with;
    otherwise that fourth value is 0."""
    k = _clip(kappa, -KAPPA_LIMIT, KAPPA_LIMIT)
    a = _clip(alpha, -ALPHA_LIMIT, ALPHA_LIMIT)
    g = _clip(gamma, -GAMMA_LIMIT, GAMMA_LIMIT)
    v = _clip(vx, -VX_LIMIT, VX_LIMIT)
    sgn_v = _sign(v)
    tan_a = math.tan(a)
    a_s = tan_a * sgn_v  # (4.E3)
    g_s = math.sin(g)  # (4.E4)
    red = _low_speed_reduction(abs(v), p[I_VXLOW])
    r0 = p[I_UNLOADED_RADIUS]
    mf52 = p[I_FITTYP] < 60.0

    # friction scaling with speed decay (4.E7); Amu = 1 so LMU' = LMU* (4.E8)
    lmux = p[I_LMUX] * max(mu_scale_x, 0.0)
    lmuy = p[I_LMUY] * max(mu_scale_y, 0.0)
    if p[I_LMUV] != 0.0:
        vs = abs(v) * math.sqrt(k * k + tan_a * tan_a)
        decay = 1.0 + p[I_LMUV] * vs / p[I_LONGVL]
        lmux /= decay
        lmuy /= decay

    # ---- pure longitudinal slip (4.E9-4.E18)
    cx = p[I_PCX1] * p[I_LCX]
    mux = _mux(p, dfz, dpi, g, lmux)
    dx = mux * fzc
    bx = kxk / _nonzero(cx * dx, EPS)
    shx = (p[I_PHX1] + p[I_PHX2] * dfz) * p[I_LHX] * red
    svx = fzc * (p[I_PVX1] + p[I_PVX2] * dfz) * p[I_LVX] * lmux * red
    kx = k + shx
    ex = min((p[I_PEX1] + p[I_PEX2] * dfz + p[I_PEX3] * dfz * dfz)
             * (1.0 - p[I_PEX4] * _sign(kx)) * p[I_LEX], 1.0)
    fx0 = _magic(bx, cx, dx, ex, kx) + svx
    dfx = 0.0
    if slope and abs(kappa) < KAPPA_LIMIT:
        # d/dkappa of D sin(C atan(psi)), psi = B k - E (B k - atan(B k))
        bk = bx * kx
        psi = bk - ex * (bk - math.atan(bk))
        dpsi = bx * (1.0 - ex + ex / (1.0 + bk * bk))
        dfx = dx * math.cos(cx * math.atan(psi)) * cx * dpsi / (1.0 + psi * psi)

    # ---- pure lateral slip (4.E19-4.E30)
    kya = kya0 if g_s == 0.0 else _kya(p, fzc, fz0p, dpi, g_s)
    kya_p = _nonzero(kya, EPS)  # (4.E39)
    svyg = fzc * (p[I_PVY3] + p[I_PVY4] * dfz) * g_s * p[I_LKYC] * lmuy  # (4.E28)
    shy0 = (p[I_PHY1] + p[I_PHY2] * dfz) * p[I_LHY]
    if mf52:
        shy = shy0 + p[I_PHY3] * g_s * p[I_LKYC]
    else:
        kyg0 = fzc * (p[I_PKY6] + p[I_PKY7] * dfz) * (1.0 + p[I_PPY5] * dpi) * p[I_LKYC]  # (4.E30)
        shy = shy0 + (kyg0 * g_s - svyg) / kya_p  # (4.E27)
    svy0 = fzc * (p[I_PVY1] + p[I_PVY2] * dfz) * p[I_LVY] * lmuy
    shy *= red
    svy = (svy0 + svyg) * red  # (4.E29)
    ay = a_s + shy
    cy = p[I_PCY1] * p[I_LCY]
    muy = _muy(p, dfz, dpi, g_s, lmuy)
    dy = muy * fzc
    ey = min((p[I_PEY1] + p[I_PEY2] * dfz)
             * (1.0 + p[I_PEY5] * g_s * g_s - (p[I_PEY3] + p[I_PEY4] * g_s) * _sign(ay))
             * p[I_LEY], 1.0)
    by = kya / _nonzero(cy * dy, EPS)
    fy0 = _magic(by, cy, dy, ey, ay) + svy
    if v < 0.0:
        fy0 = -fy0

    # ---- combined slip: Fx (4.E50-4.E57)
    # (Gxa = 1 exactly at alpha* = 0: skipped, it is the common straight-running case)
    fx = fx0
    if a_s != 0.0:
        bxa = (p[I_RBX1] + p[I_RBX3] * g_s * g_s) * _cos_atan(p[I_RBX2] * k) * p[I_LXAL]
        cxa = p[I_RCX1]
        exa = min(p[I_REX1] + p[I_REX2] * dfz, 1.0)
        shxa = p[I_RHX1]
        gxa = _weight(bxa, cxa, exa, a_s + shxa) / _nonzero(_weight(bxa, cxa, exa, shxa), EPS)
        fx *= gxa
        dfx *= gxa

    # ---- combined slip: Fy (4.E58-4.E67)
    # (Gyk = 1 and SVyk = 0 exactly at kappa = 0: skipped)
    gyk = 1.0
    svyk = 0.0
    if k != 0.0:
        dvyk = (muy * fzc * (p[I_RVY1] + p[I_RVY2] * dfz + p[I_RVY3] * g_s)
                * _cos_atan(p[I_RVY4] * a_s))
        svyk = dvyk * math.sin(p[I_RVY5] * math.atan(p[I_RVY6] * k)) * p[I_LVYKA] * red
        shyk = p[I_RHY1] + p[I_RHY2] * dfz
        eyk = min(p[I_REY1] + p[I_REY2] * dfz, 1.0)
        cyk = p[I_RCY1]
        byk = ((p[I_RBY1] + p[I_RBY4] * g_s * g_s) * _cos_atan(p[I_RBY2] * (a_s - p[I_RBY3]))
               * p[I_LYKA])
        gyk = _weight(byk, cyk, eyk, k + shyk) / _nonzero(_weight(byk, cyk, eyk, shyk), EPS)
    fy = gyk * fy0 + svyk

    # ---- aligning moment (4.E31-4.E47, 4.E71-4.E78 with Besselink 2010 A54-A60)
    lmuy_safe = max(lmuy, EPS)
    alpha_r = a_s + shy + svy / kya_p  # (4.E37, 4.E38)
    alpha_t = a_s + p[I_QHZ1] + p[I_QHZ2] * dfz + (p[I_QHZ3] + p[I_QHZ4] * dfz) * g_s  # (4.E34-35)
    bt = ((p[I_QBZ1] + p[I_QBZ2] * dfz + p[I_QBZ3] * dfz * dfz)
          * (1.0 + p[I_QBZ4] * g + p[I_QBZ5] * abs(g)) * p[I_LKY] / lmuy_safe)  # (A58)
    ct = p[I_QCZ1]
    dt = ((p[I_QDZ1] + p[I_QDZ2] * dfz) * (1.0 - p[I_PPZ1] * dpi)
          * (1.0 + p[I_QDZ3] * g + p[I_QDZ4] * g * g) * fzc * (r0 / fz0p) * p[I_LTR])  # (A60)
    et = min((p[I_QEZ1] + p[I_QEZ2] * dfz + p[I_QEZ3] * dfz * dfz)
             * (1.0 + (p[I_QEZ4] + p[I_QEZ5] * g_s) * (2.0 / math.pi) * math.atan(bt * ct * alpha_t)),
             1.0)  # (4.E44)
    br = p[I_QBZ9] * p[I_LKY] / lmuy_safe + p[I_QBZ10] * by * cy  # (4.E45)
    dr = (fzc * r0 * ((p[I_QDZ6] + p[I_QDZ7] * dfz) * p[I_LRES]
                      + ((p[I_QDZ8] + p[I_QDZ9] * dfz) * (1.0 + p[I_PPZ2] * dpi)
                         + (p[I_QDZ10] + p[I_QDZ11] * dfz) * abs(g_s)) * g_s * p[I_LKZC])
          * lmuy * sgn_v * math.cos(a_s))  # (4.E47)
    # cos(alpha') = Vcx / Vc' (4.E6), Vcy = tan(alpha) |Vcx|
    vc = abs(v) * math.sqrt(1.0 + tan_a * tan_a)
    cos_ap = v / (vc + EPS)
    kk = (kxk / kya_p) * k
    kk2 = kk * kk
    tr = math.tan(alpha_r)
    tt = math.tan(alpha_t)
    alpha_r_eq = math.atan(math.sqrt(tr * tr + kk2)) * _sign(alpha_r)  # (A54)
    alpha_t_eq = math.atan(math.sqrt(tt * tt + kk2)) * _sign(alpha_t)  # (A55)
    s = r0 * (p[I_SSZ1] + p[I_SSZ2] * (fy / p[I_FNOMIN])
              + (p[I_SSZ3] + p[I_SSZ4] * dfz) * g) * p[I_LS]  # (A56)
    mzr = dr * _cos_atan(br * alpha_r_eq) * red  # (4.E75), Cr = 1
    t = (_weight(bt, ct, et, alpha_t_eq) * dt * cos_ap) * p[I_LFZO] * red  # (4.E73)
    if mf52:
        mz = -t * (fy - svyk) + mzr + s * fx
    else:
        # Fy' = Gyk * Fy0 at gamma = 0 (4.E74)
        if g_s == 0.0:
            fy0_g0 = fy0
        else:
            ay0 = a_s + shy0 * red
            dy0 = _muy(p, dfz, dpi, 0.0, lmuy) * fzc
            ey0 = min((p[I_PEY1] + p[I_PEY2] * dfz) * (1.0 - p[I_PEY3] * _sign(ay0)) * p[I_LEY], 1.0)
            by0 = kya0 / _nonzero(cy * dy0, EPS)
            fy0_g0 = _magic(by0, cy, dy0, ey0, ay0) + svy0 * red
            if v < 0.0:
                fy0_g0 = -fy0_g0
        mz = -t * (gyk * fy0_g0) + mzr + s * fx
    return fx, fy, mz, dfx


# ------------------------------------------------------------------------------------------
# Overturning and rolling resistance moments
# ------------------------------------------------------------------------------------------

@njit(cache=True)
def mf61_moments(p, fz, kappa, alpha, gamma, vx, fx, fy):
    """Overturning moment Mx and rolling resistance moment My of MF 6.1.

    Parameters
    ----------
    p : float64 array
        Coefficients, order `PARAM_NAMES`; pressure p[I_INFLPRES] [Pa].
    fz : float
        Vertical load [N].
    kappa : float
        Longitudinal slip [-] (only its effect on the wheel's spin direction is used).
    alpha : float
        Slip angle [rad] (unused by these equations; kept for a uniform signature).
    gamma : float
        Inclination angle [rad].
    vx : float
        Longitudinal speed of the wheel centre [m/s].
    fx, fy : float
        Longitudinal and lateral force [N], normally from `mf61_forces`.

    Returns
    -------
    (mx, my) : tuple of float, [N m] in ISO-W axes.

    Equations (Fz0 = FNOMIN, R0 = UNLOADED_RADIUS, V0 = LONGVL):
        Mx = R0 Fz LMX [QSX1 LVMX - QSX2 gamma (1 + PPMX1 dpi) + QSX3 Fy/Fz0
             + QSX4 cos(QSX5 atan((QSX6 Fz/Fz0)^2)) sin(QSX7 gamma + QSX8 atan(QSX9 Fy/Fz0))
             + QSX10 atan(QSX11 Fz/Fz0) gamma]
             + R0 LMX [Fy (QSX13 + QSX14 |gamma|) - Fz QSX12 gamma |gamma|]      (TNO manual, MFeval)
        My = -R0 Fz0 LMY [QSY1 + QSY2 Fx/Fz0 + QSY3 |Vx/V0| + QSY4 (Vx/V0)^4
             + (QSY5 + QSY6 Fz/Fz0) gamma^2] (Fz/Fz0)^QSY7 (p/p0)^QSY8 * w       (Besselink A48)
    where w = clip(omega Re / VXLOW, -1, 1), omega Re = Vx + kappa |Vx|, makes My oppose the
    wheel's spin and fade to zero as the wheel stops (standstill or locked wheel). fz <= 0 gives
    (0, 0); fz, kappa, gamma and vx are clipped as in `mf61_forces`.
    """
    if not fz > 0.0:
        return 0.0, 0.0
    fzc, fz0p, dfz, dpi = _load_and_pressure(p, fz)
    k = _clip(kappa, -KAPPA_LIMIT, KAPPA_LIMIT)
    g = _clip(gamma, -GAMMA_LIMIT, GAMMA_LIMIT)
    v = _clip(vx, -VX_LIMIT, VX_LIMIT)
    r0 = p[I_UNLOADED_RADIUS]
    fz0 = p[I_FNOMIN]
    fzr = fzc / fz0
    fyr = fy / fz0
    mx = (r0 * fzc * p[I_LMX]
          * (p[I_QSX1] * p[I_LVMX] - p[I_QSX2] * g * (1.0 + p[I_PPMX1] * dpi) + p[I_QSX3] * fyr
             + p[I_QSX4] * math.cos(p[I_QSX5] * math.atan((p[I_QSX6] * fzr) ** 2))
             * math.sin(p[I_QSX7] * g + p[I_QSX8] * math.atan(p[I_QSX9] * fyr))
             + p[I_QSX10] * math.atan(p[I_QSX11] * fzr) * g)
          + r0 * p[I_LMX] * (fy * (p[I_QSX13] + p[I_QSX14] * abs(g)) - fzc * p[I_QSX12] * g * abs(g)))
    vr = v / p[I_LONGVL]
    vr2 = vr * vr
    my = (-r0 * fz0 * p[I_LMY]
          * (p[I_QSY1] + p[I_QSY2] * fx / fz0 + p[I_QSY3] * abs(vr) + p[I_QSY4] * vr2 * vr2
             + (p[I_QSY5] + p[I_QSY6] * fzr) * g * g)
          * fzr ** p[I_QSY7] * (p[I_INFLPRES] / p[I_NOMPRES]) ** p[I_QSY8])
    spin = _clip((v + k * abs(v)) / p[I_VXLOW], -1.0, 1.0)
    return mx, my * spin


# ------------------------------------------------------------------------------------------
# Derived properties for controllers, estimators and the transient slip model
# ------------------------------------------------------------------------------------------

@njit(cache=True)
def slip_stiffness(p, fz):
    """Longitudinal slip stiffness and cornering stiffness at load fz, no camber.

    Parameters
    ----------
    p : float64 array
        Coefficients (`PARAM_NAMES` order); pressure p[I_INFLPRES] [Pa].
    fz : float
        Vertical load [N]; <= 0 gives (0, 0).

    Returns
    -------
    (k_xkappa_n, k_yalpha_n_rad) : tuple of float
        dFx/dkappa at kappa = 0 [N] (4.E15) and |dFy/dalpha| at alpha = 0 [N/rad] (4.E25),
        both >= 0 (the cornering stiffness is returned positive whatever the sign convention).
    """
    if not fz > 0.0:
        return 0.0, 0.0
    fzc, fz0p, dfz, dpi = _load_and_pressure(p, fz)
    return _kxk(p, fzc, dfz, dpi), abs(_kya(p, fzc, fz0p, dpi, 0.0))


def aligning_stiffness(tire_params: np.ndarray, fz_n: float, speed_m_s: float = 20.0) -> float:
    """Aligning-moment stiffness of one tire [N*m/rad]: -dMz/dalpha at zero slip and camber, by a
    central difference of the MF 6.1 moment (so conicity and ply-steer offsets cancel). Positive:
    the moment turns the wheel toward its direction of travel (pneumatic trail behind the contact
    centre). Pacejka, Tire and Vehicle Dynamics, 3rd ed. (2012), sect. 4.3.2 (4.E31-4.E47)."""
    h = 1e-4
    fy_p, mz_p = mf61_forces(tire_params, fz_n, 0.0, h, 0.0, speed_m_s, 1.0, 1.0)[1:]
    fy_m, mz_m = mf61_forces(tire_params, fz_n, 0.0, -h, 0.0, speed_m_s, 1.0, 1.0)[1:]
    # sign relative to the force slope, whatever the tire file's slip-angle sign convention
    return float(-(mz_p - mz_m) / (2.0 * h) * np.sign((fy_p - fy_m) / (2.0 * h)))


@njit(cache=True)
def relaxation_lengths(p, fz):
    """Longitudinal and lateral relaxation lengths of the tire at load fz.

    sigma_kappa = K_xkappa / C_x,  sigma_alpha = |K_yalpha| / C_y   (Besselink et al. 2010,
    eq. 19; Pacejka 2012 ch. 7), with the structural stiffnesses depending on load and pressure
        C_x = LONGITUDINAL_STIFFNESS (1 + PCFX1 dfz + PCFX2 dfz^2)(1 + PCFX3 dpi)   (eq. 17)
        C_y = LATERAL_STIFFNESS (1 + PCFY1 dfz + PCFY2 dfz^2)(1 + PCFY3 dpi)        (eq. 18)

    Parameters
    ----------
    p : float64 array
        Coefficients (`PARAM_NAMES` order).
    fz : float
        Vertical load [N] (clipped to [0, FZ_LIMIT_FACTOR Fz0']).

    Returns
    -------
    (sigma_kappa_m, sigma_alpha_m) : tuple of float, [m], each at least SIGMA_MIN_M = 0.02 m.
    """
    fzc, fz0p, dfz, dpi = _load_and_pressure(p, fz)
    return _relaxation(p, dfz, dpi, _kxk(p, fzc, dfz, dpi), _kya(p, fzc, fz0p, dpi, 0.0))


@njit(cache=True, inline="always")
def _relaxation(p, dfz, dpi, kxk, kya0):
    """relaxation_lengths from the load terms and the slip stiffnesses (see _forces)."""
    kya = abs(kya0)
    cx = p[I_LONGITUDINAL_STIFFNESS] * (1.0 + p[I_PCFX1] * dfz + p[I_PCFX2] * dfz * dfz) * (
        1.0 + p[I_PCFX3] * dpi)
    cy = p[I_LATERAL_STIFFNESS] * (1.0 + p[I_PCFY1] * dfz + p[I_PCFY2] * dfz * dfz) * (
        1.0 + p[I_PCFY3] * dpi)
    sk = abs(kxk) / max(cx, 1.0)
    sa = kya / max(cy, 1.0)
    return max(sk, SIGMA_MIN_M), max(sa, SIGMA_MIN_M)


@njit(cache=True)
def transient_tire(p, fz, ux, uy, vx, mu_scale, mirror, slope):
    """One tire of the transient slip model in one pass: relaxation lengths from the load, slips
    from the tire's deflections, and the MF 6.1 forces at those slips (no camber), sharing the
    load terms and slip stiffnesses the two need.

    Parameters
    ----------
    p : float64 array
        Coefficients (`PARAM_NAMES` order).
    fz : float
        Vertical load [N].
    ux, uy : float
        Longitudinal and lateral deflection of the contact point [m] (the transient states).
    vx : float
        Longitudinal speed of the wheel centre in the wheel plane [m/s].
    mu_scale : float
        Road friction relative to the tire data's surface [-] (both directions).
    mirror : bool
        True for a wheel on the other side of the car than the tire data describe: it runs the
        mirror image (slip angle and lateral force and aligning moment change sign).
    slope : bool
        Also return dFx/dux [N/m], the longitudinal force's slope in the deflection (else 0).

    Returns
    -------
    (sigma_kappa_m, sigma_alpha_m, kappa, alpha_rad, fx_n, fy_n, mz_nm, dfx_dux_n_m): the same
    numbers as `relaxation_lengths`, kappa = ux / sigma_kappa, alpha = atan(uy / sigma_alpha) and
    `mf61_forces` at (kappa, +-alpha), bit for bit, and the slope.
    """
    fzc, fz0p, dfz, dpi = _load_and_pressure(p, fz)
    kxk = _kxk(p, fzc, dfz, dpi)
    kya0 = _kya(p, fzc, fz0p, dpi, 0.0)
    sig_k, sig_a = _relaxation(p, dfz, dpi, kxk, kya0)
    kap = ux / sig_k
    alp = math.atan(uy / sig_a)
    if not fz > 0.0:
        return sig_k, sig_a, kap, alp, 0.0, 0.0, 0.0, 0.0
    if mirror:
        fx, fy, mz, dfx = _forces(p, fzc, fz0p, dfz, dpi, kxk, kya0, kap, -alp, 0.0, vx, mu_scale, mu_scale, slope)
        return sig_k, sig_a, kap, alp, fx, -fy, -mz, dfx / sig_k
    fx, fy, mz, dfx = _forces(p, fzc, fz0p, dfz, dpi, kxk, kya0, kap, alp, 0.0, vx, mu_scale, mu_scale, slope)
    return sig_k, sig_a, kap, alp, fx, fy, mz, dfx / sig_k


@njit(cache=True)
def peak_friction(p, fz, mu_scale_x, mu_scale_y):
    """Peak friction coefficients |Dx|/Fz and |Dy|/Fz at load fz, no camber.

    mu_x = |(PDX1 + PDX2 dfz)(1 + PPX3 dpi + PPX4 dpi^2) LMUX mu_scale_x|   (4.E13)
    mu_y = |(PDY1 + PDY2 dfz)(1 + PPY3 dpi + PPY4 dpi^2) LMUY mu_scale_y|   (4.E23)

    Parameters
    ----------
    p : float64 array
        Coefficients (`PARAM_NAMES` order).
    fz : float
        Vertical load [N] (clipped to [0, FZ_LIMIT_FACTOR Fz0']).
    mu_scale_x, mu_scale_y : float
        Road friction relative to the tire data's surface [-].

    Returns
    -------
    (mu_x, mu_y) : tuple of float, [-], >= 0. The vertical shifts SVx, SVy are not included.
    """
    fzc, fz0p, dfz, dpi = _load_and_pressure(p, fz)
    mux = _mux(p, dfz, dpi, 0.0, p[I_LMUX] * max(mu_scale_x, 0.0))
    muy = _muy(p, dfz, dpi, 0.0, p[I_LMUY] * max(mu_scale_y, 0.0))
    return abs(mux), abs(muy)


# ------------------------------------------------------------------------------------------
# Python convenience
# ------------------------------------------------------------------------------------------

def evaluate(p: np.ndarray, fz: float, kappa: float, alpha: float, gamma: float, vx: float,
             pressure: float | None = None) -> dict[str, float]:
    """All MF 6.1 forces and moments at one operating point, as a dict.

    Parameters
    ----------
    p : numpy.ndarray
        Coefficients from `coefficient_array`.
    fz : float
        Vertical load [N].
    kappa : float
        Longitudinal slip [-].
    alpha : float
        Slip angle [rad].
    gamma : float
        Inclination angle [rad].
    vx : float
        Longitudinal speed [m/s].
    pressure : float, optional
        Inflation pressure [Pa]; default the array's INFLPRES.

    Returns
    -------
    dict with keys Fx, Fy [N] and Mx, My, Mz [N m], ISO-W axes.
    """
    p = np.asarray(p, dtype=np.float64)
    if p.shape != (len(PARAM_NAMES),):
        raise ParameterError(
            f"tire coefficient array has shape {p.shape}: expected ({len(PARAM_NAMES)},) "
            "as made by coefficient_array()"
        )
    if pressure is not None:
        if not (math.isfinite(pressure) and pressure > 0.0):
            raise ParameterError(f"pressure = {pressure!r} Pa is out of range: allowed > 0 Pa")
        p = p.copy()
        p[I_INFLPRES] = pressure
    fx, fy, mz = mf61_forces(p, float(fz), float(kappa), float(alpha), float(gamma), float(vx), 1.0, 1.0)
    mx, my = mf61_moments(p, float(fz), float(kappa), float(alpha), float(gamma), float(vx), fx, fy)
    return {"Fx": fx, "Fy": fy, "Mx": mx, "My": my, "Mz": mz}
