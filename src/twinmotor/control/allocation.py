"""Front/rear torque allocation of a twin-motor car.

- `efficient_split`: at light load, the split that draws the least battery power for the same
  total wheel force, among both motors sharing (copper-loss optimum) and either motor alone (the
  other's inverter stops switching and saves its torque-independent loss; its drag remains).
- `load_split`: when traction is the limit, the split follows the dynamic axle loads so both axles
  reach their friction limit together (Wong, Theory of Ground Vehicles, 4th ed., sect. 3.4).
- `axle_torques`: turns a split into motor torques within each motor's envelope, moving what one
  motor cannot give to the other.
"""

from __future__ import annotations

import numba

from twinmotor.control.params import CP_GF, CP_GR, CP_RF, CP_RR
from twinmotor.powertrain.motor import M_K_CU, M_K_INV_COND, electrical_power


@numba.njit(cache=True)
def axle_torques(p, force: float, split: float, lim_f: float, lim_r: float) -> tuple[float, float]:
    """Motor torques [N m] giving road force `force` [N] with front share `split`, each within its
    limit [N m]; the part one motor cannot give goes to the other."""
    cf = p[CP_RF] / p[CP_GF] if p[CP_GF] > 0.0 else 0.0
    cr = p[CP_RR] / p[CP_GR] if p[CP_GR] > 0.0 else 0.0
    tf = force * split * cf
    tr = force * (1.0 - split) * cr
    if abs(tf) > lim_f and cr > 0.0:
        extra = (abs(tf) - lim_f) / cf if cf > 0.0 else 0.0
        tf = lim_f if tf > 0.0 else -lim_f
        tr += (extra if force > 0.0 else -extra) * cr
    if abs(tr) > lim_r and cf > 0.0:
        extra = (abs(tr) - lim_r) / cr if cr > 0.0 else 0.0
        tr = lim_r if tr > 0.0 else -lim_r
        tf += (extra if force > 0.0 else -extra) * cf
    tf = min(max(tf, -lim_f), lim_f)
    tr = min(max(tr, -lim_r), lim_r)
    return tf, tr


@numba.njit(cache=True)
def battery_power_for_split(p, mc_f, mc_r, force, split, wm_f, wm_r, lim_f, lim_r) -> float:
    """Electrical power [W] both motors draw to give `force` [N] with front share `split`."""
    tf, tr = axle_torques(p, force, split, lim_f, lim_r)
    return electrical_power(tf, wm_f, mc_f) + electrical_power(tr, wm_r, mc_r)


#: a different split must save this much battery power [W] before the allocation switches to it
#: (hysteresis: keeps the choice from chattering between two near-equal options)
SPLIT_SWITCH_MARGIN_W = 50.0


@numba.njit(cache=True)
def efficient_split(p, mc_f, mc_r, force, wm_f, wm_r, lim_f, lim_r, previous) -> float:
    """Front share (0-1) that minimises electrical power for road force `force` [N].

    Candidates: front alone, rear alone, and the copper-loss optimum of both together,
    s* = a_r c_r^2 / (a_f c_f^2 + a_r c_r^2) with a the T^2 loss coefficients and c = R / G.
    The candidate nearest the `previous` choice is kept unless another saves
    SPLIT_SWITCH_MARGIN_W; a single motor must be able to give the whole force.
    """
    cf = p[CP_RF] / p[CP_GF]
    cr = p[CP_RR] / p[CP_GR]
    af = (mc_f[M_K_CU] + mc_f[M_K_INV_COND]) * cf * cf
    ar = (mc_r[M_K_CU] + mc_r[M_K_INV_COND]) * cr * cr
    s_opt = ar / (af + ar) if af + ar > 0.0 else 0.5
    best = -1.0
    p_best = 1e30
    p_prev = 1e30
    s_prev = -1.0
    for k in range(3):
        s = s_opt if k == 0 else (0.0 if k == 1 else 1.0)
        tf, tr = axle_torques(p, force, s, lim_f, lim_r)
        reach = (tf / cf if cf > 0 else 0.0) + (tr / cr if cr > 0 else 0.0)
        if abs(reach - force) > 1e-6 * max(abs(force), 1.0):
            continue
        pw = electrical_power(tf, wm_f, mc_f) + electrical_power(tr, wm_r, mc_r)
        if pw < p_best:
            best = s
            p_best = pw
        if abs(s - previous) < abs(s_prev - previous):
            s_prev = s
            p_prev = pw
    if s_prev >= 0.0 and p_prev <= p_best + SPLIT_SWITCH_MARGIN_W:
        return s_prev
    return best if best >= 0.0 else s_opt


@numba.njit(cache=True, inline="always")
def load_split(fz_front: float, fz_rear: float) -> float:
    """Front share of drive force equal to the front share of axle load [-]."""
    total = fz_front + fz_rear
    return fz_front / total if total > 0.0 else 0.5
