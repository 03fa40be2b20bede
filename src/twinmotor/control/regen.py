"""Regenerative braking blended with friction brakes.

The braking force the driver asks for is met first by the motors, as far as their torque
envelope, the battery's charge-power limit and a stability margin allow, and the friction brakes
fill the rest. How regeneration is shared between the axles is the choice:

- `fixed`: the driven axle(s) in a fixed split (a 2WD car regenerates on its one axle; a
  fixed-split AWD car in its drive split);
- `level`: as much on the rear axle as stability allows (at most `regen_rear_util_max` of the rear
  tires' friction, keeping grip for cornering), because rear braking torque reacted inboard pulls
  the rear of the body down through the anti-squat geometry and keeps the nose level; the front
  motor takes the rest.

Per unit of braking force, the links of a typical car take the most pitch moment from rear
regeneration (rear anti-squat, inboard), less from friction brakes (anti-dive front, anti-lift
rear, outboard) and the least from front regeneration (front anti-lift, inboard). So for gentle
stops level blending puts friction on the rear next, within the same margin, then the front;
for hard braking (beyond 0.4 g) friction follows the ideal (load-proportional) distribution.
Fixed blending uses the fixed hydraulic balance.
Below `regen_fade_speed_m_s` regeneration hands over to the friction brakes linearly, down to none
at REGEN_MIN_SPEED_M_S.
"""

from __future__ import annotations

import numba

from twinmotor.constants import G_M_S2
from twinmotor.control.params import (
    CP_BRAKE_SHARE,
    CP_GF,
    CP_GR,
    CP_HAS_F,
    CP_HAS_R,
    CP_MASS,
    CP_REGEN,
    CP_REGEN_FADE,
    CP_REGEN_LEVEL,
    CP_REGEN_REAR_UTIL,
    CP_RF,
    CP_RR,
    CP_SPLIT,
)

#: mechanical-to-electrical efficiency assumed when turning the battery's charge limit into a
#: braking force: electrical power is below mechanical power when generating (estimate)
REGEN_CHAIN_EFFICIENCY = 0.9
#: wheel speed / car speed assumed when turning the charge limit into a force (braking slip)
BRAKING_SLIP_ALLOWANCE = 0.92

#: below this (estimated) speed [m/s] the car is at rest for the motors: a motor cannot
#: regenerate at standstill, and a braking torque asked of it there would drive the car backwards
#: (the friction brakes, which only oppose motion, take the whole demand)
REGEN_MIN_SPEED_M_S = 0.1

#: up to this deceleration demand [m/s^2] level-body blending puts the rear first; beyond it
#: (hard braking) the friction brakes follow the ideal, load-proportional distribution
LEVEL_MAX_DECEL_M_S2 = 0.4 * G_M_S2


@numba.njit(cache=True)
def regen_capacity(p, v: float, lim_f: float, lim_r: float, p_charge_w: float) -> tuple[float, float, float]:
    """Largest regenerative road force [N] per axle (front, rear) from the motor envelopes, and the
    total allowed by the battery's charge limit, faded out at low speed."""
    if p[CP_REGEN] < 0.5 or v <= REGEN_MIN_SPEED_M_S:
        return 0.0, 0.0, 0.0
    # linear from nothing at rest to everything at the fade speed: no step for the friction brakes
    fade = min((v - REGEN_MIN_SPEED_M_S) / max(p[CP_REGEN_FADE] - REGEN_MIN_SPEED_M_S, 1e-6), 1.0)
    cap_f = lim_f * p[CP_GF] / p[CP_RF] * fade if p[CP_HAS_F] > 0.5 else 0.0
    cap_r = lim_r * p[CP_GR] / p[CP_RR] * fade if p[CP_HAS_R] > 0.5 else 0.0
    # the wheels turn slower than the car while braking: size the force on ~10 % braking slip
    cap_total = p_charge_w / (REGEN_CHAIN_EFFICIENCY * BRAKING_SLIP_ALLOWANCE * max(v, 0.1)) * fade
    return cap_f, cap_r, cap_total


@numba.njit(cache=True)
def blend(p, force: float, v: float, lim_f: float, lim_r: float, p_charge_w: float,
          fz_f: float, fz_r: float, mu: float) -> tuple[float, float, float, float]:
    """Split a braking force `force` [N, >= 0] into (regen front, regen rear, friction front,
    friction rear) [N, all >= 0]."""
    cap_f, cap_r, cap_total = regen_capacity(p, v, lim_f, lim_r, p_charge_w)
    hard = force > LEVEL_MAX_DECEL_M_S2 * p[CP_MASS]
    if p[CP_REGEN_LEVEL] > 0.5:
        total_fz = fz_f + fz_r
        share_f = fz_f / total_fz if total_fz > 0.0 else 0.6
        if hard:
            # hard braking: each axle regenerates up to its ideal (load-proportional) share, so the
            # battery's charge power is used as fully as the stop allows; ABS guards the wheels
            want = min(force, cap_total)
            reg_f = min(want * share_f, cap_f)
            reg_r = min(want - reg_f, cap_r, (1.0 - share_f) * force)
            reg_f = min(want - reg_r, cap_f)
        else:
            # gentle: rear first, within its stability margin, then the front
            rear_max = p[CP_REGEN_REAR_UTIL] * mu * fz_r
            reg_r = min(force, cap_r, rear_max, cap_total)
            reg_f = min(force - reg_r, cap_f, cap_total - reg_r)
    else:
        both = p[CP_HAS_F] > 0.5 and p[CP_HAS_R] > 0.5
        s = p[CP_SPLIT] if both else (1.0 if p[CP_HAS_F] > 0.5 else 0.0)
        want = min(force, cap_total)
        reg_f = min(want * s, cap_f)
        reg_r = min(want * (1.0 - s), cap_r)
        share_f = p[CP_BRAKE_SHARE]
    reg_f = max(reg_f, 0.0)
    reg_r = max(reg_r, 0.0)
    rest = max(force - reg_f - reg_r, 0.0)
    if p[CP_REGEN_LEVEL] > 0.5:
        if hard:
            # hard braking: friction tops each axle up to its share of the ideal distribution
            fr_f = max(share_f * force - reg_f, 0.0)
            fr_r = max(rest - fr_f, 0.0)
            fr_f = rest - fr_r
        else:
            # gentle braking: rear friction first, within the rear's stability margin
            fr_r = min(rest, max(p[CP_REGEN_REAR_UTIL] * mu * fz_r - reg_r, 0.0))
            fr_f = rest - fr_r
    else:
        fr_f = rest * share_f
        fr_r = rest * (1.0 - share_f)
    return reg_f, reg_r, fr_f, fr_r
