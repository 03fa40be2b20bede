"""When the secondary axle's disconnect unit engages: the integrated controller's connect decision.

A twin-motor car with a disconnect unit on its secondary axle (the front of the LEAF e+ AWD variant)
drives on the primary axle alone while that is enough, so the secondary motor, its gear and
differential stand still instead of dragging. The unit is engaged when the secondary axle is, or is
about to be, needed:

- traction: the longitudinal force demand, now or predicted one engage time (plus a margin) ahead
  from its rate (pedal and pedal rate), uses more than TRACTION_NEED_UTIL of the road's estimated
  friction (the point where the integrated allocation starts to follow the axle loads);
- a slippery road: estimated friction below LOW_FRICTION;
- wheel slip on the primary axle above half the traction-control target;
- cornering: lateral acceleration above LATERAL_NEED_UTIL of the road's friction, or the stability
  (yaw) layer asking for a yaw moment;
- efficiency: both motors together draw less battery power than the primary alone, the secondary
  motor's drag at zero torque counted (it drags only while engaged);
- standstill: engaging costs nothing when nothing turns, so every launch starts with both axles.

It opens again once none of these has held for `disconnect_hold_s` (hysteresis against cycling).
Production disconnect systems reconnect within about 0.3 s and disconnect in steady driving
([gkn2014disconnect]); Hyundai's E-GMP disconnector is quoted at 6-8 % better efficiency
([hyundaitransys2021disconnector]).
"""

from __future__ import annotations

import numba

from twinmotor.control.allocation import axle_torques
from twinmotor.control.params import (
    CP_DISC_CONTROL,
    CP_DISC_F,
    CP_DISC_HOLD,
    CP_ENGAGE_F,
    CP_G,
    CP_GF,
    CP_GR,
    CP_MASS,
    CP_RF,
    CP_RR,
    CP_TC_SLIP,
    CS_DISC_FPREV,
    CS_DISC_RATE,
    CS_DISC_SINCE,
)
from twinmotor.powertrain.motor import drag_torque, electrical_power, torque_limit

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("gkn2014disconnect", "hyundaitransys2021disconnector")

#: share of the road's friction (force demand / (mu m g)) above which the secondary axle is needed
TRACTION_NEED_UTIL = 0.2
#: road friction below which the secondary axle stays engaged (snow, ice)
LOW_FRICTION = 0.5
#: share of the road's friction in lateral acceleration above which the secondary axle is engaged
LATERAL_NEED_UTIL = 0.3
#: look-ahead beyond the engage time for the predicted demand [s]
LOOKAHEAD_S = 0.2
#: time constant of the force-rate filter [s] (pedal rate, without the 1 kHz noise)
RATE_FILTER_S = 0.05
#: below this speed [m/s] the unit engages (nothing to synchronise, launch ready)
STANDSTILL_M_S = 0.5
#: battery power [W] the two-motor option must save before it is worth engaging for efficiency
EFFICIENCY_MARGIN_W = 100.0


@numba.njit(cache=True)
def secondary_axle(p) -> int:
    """Axle (0 front, 1 rear) with the disconnect unit, -1 when the car has none."""
    if p[CP_DISC_F] > 0.5:
        return 0
    if p[CP_DISC_F + 1] > 0.5:
        return 1
    return -1


@numba.njit(cache=True)
def both_motors_cheaper(p, mc_f, mc_r, sec, force, v) -> bool:
    """Whether giving road force `force` [N] > 0 with both motors (copper-loss split, the secondary's
    zero-torque drag and its gear's share paid) draws less battery power than the primary alone."""
    if force <= 0.0 or v <= 0.0:
        return False
    cf = p[CP_RF] / p[CP_GF]
    cr = p[CP_RR] / p[CP_GR]
    wm_f = v / p[CP_RF] * p[CP_GF]
    wm_r = v / p[CP_RR] * p[CP_GR]
    lim_f = torque_limit(wm_f, mc_f)
    lim_r = torque_limit(wm_r, mc_r)
    # primary alone (the secondary open, standing still)
    s_alone = 1.0 if sec == 1 else 0.0
    tf, tr = axle_torques(p, force, s_alone, lim_f, lim_r)
    if abs(tf / cf + tr / cr - force) > 1e-6 * force:
        return True  # the primary cannot give it alone
    p_alone = electrical_power(tf, wm_f, mc_f) + electrical_power(tr, wm_r, mc_r)
    # both: the secondary's drag adds to the road force the motors must give
    w_sec = wm_f if sec == 0 else wm_r
    mc_sec = mc_f if sec == 0 else mc_r
    c_sec = cf if sec == 0 else cr
    f_drag = -drag_torque(w_sec, mc_sec) / c_sec
    best = 1e30
    for k in range(1, 10):
        s = 0.1 * k
        tf, tr = axle_torques(p, force + f_drag, s, lim_f, lim_r)
        pw = electrical_power(tf, wm_f, mc_f) + electrical_power(tr, wm_r, mc_r)
        if pw < best:
            best = pw
    return best + EFFICIENCY_MARGIN_W < p_alone


@numba.njit(cache=True)
def secondary_needed(p, mc_f, mc_r, sec, force, force_rate, v, mu, slip_primary, ay, yaw_active) -> bool:
    """Whether the secondary axle is needed now or within its engage time (see module docstring).

    force [N] (negative braking), force_rate [N/s], v [m/s], mu [-] estimated road friction,
    slip_primary [-] largest wheel slip on the primary axle, ay [m/s^2], yaw_active: stability layer on."""
    if v < STANDSTILL_M_S:
        return True
    m_mu_g = max(mu, 0.05) * p[CP_MASS] * p[CP_G]
    rate = force_rate if force >= 0.0 else -force_rate
    f_pred = abs(force) + max(rate, 0.0) * (p[CP_ENGAGE_F + sec] + LOOKAHEAD_S)
    if f_pred > TRACTION_NEED_UTIL * m_mu_g:
        return True
    if mu < LOW_FRICTION:
        return True
    if slip_primary > 0.5 * p[CP_TC_SLIP]:
        return True
    if abs(ay) > LATERAL_NEED_UTIL * max(mu, 0.05) * p[CP_G] or yaw_active:
        return True
    return both_motors_cheaper(p, mc_f, mc_r, sec, force, v)


@numba.njit(cache=True)
def connect_step(p, s, mc_f, mc_r, force, v, mu, slip_primary, ay, yaw_active, dt) -> int:
    """The disconnect command for this step: -1 no unit; 0 engage (or stay engaged); 1 open.
    Updates the controller state (force-rate filter, time since the secondary axle was needed)."""
    sec = secondary_axle(p)
    if sec < 0:
        return -1
    raw = (force - s[CS_DISC_FPREV]) / dt if dt > 0.0 else 0.0
    s[CS_DISC_FPREV] = force
    s[CS_DISC_RATE] += (raw - s[CS_DISC_RATE]) * dt / (RATE_FILTER_S + dt)
    if p[CP_DISC_CONTROL] < 0.5:
        return 0
    if secondary_needed(p, mc_f, mc_r, sec, force, s[CS_DISC_RATE], v, mu, slip_primary, ay, yaw_active):
        s[CS_DISC_SINCE] = 0.0
        return 0
    s[CS_DISC_SINCE] += dt
    return 1 if s[CS_DISC_SINCE] >= p[CP_DISC_HOLD] else 0
