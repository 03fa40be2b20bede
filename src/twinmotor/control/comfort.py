"""Ride comfort: shaping the longitudinal force so the body pitches and jerks less.

- `rate_limit`: limits the rate of change of the force demand (jerk = dF/dt / m) on tip-in,
  tip-out and brake application, for demands up to 0.4 g (not for kick-down or emergency braking).
- `soft_stop`: eases a gentle stop over its last metres, so the body does not rock back when the
  car comes to rest (the pitch-rate and jerk spike at standstill); off above 0.4 g demands.
- `pitch_input_shaper`: a zero-vibration (ZV) input shaper tuned to the body's pitch mode
  (Singer & Seering, Preshaping command inputs to reduce system vibration, ASME J. Dyn. Sys. 1990):
  the force demand is applied in two parts, A1 = 1/(1+K) now and A2 = K/(1+K) half a damped period
  later, K = exp(-zeta pi / sqrt(1 - zeta^2)); the second part cancels the pitch oscillation the first
  excites, so the body settles to its steady pitch without overshoot.
- `pitch_split_shift`: moves drive or braking force between the axles against the pitch rate.
  The suspension links pass h/L * a * Fx of each axle's force to the body (anti-geometry), so
  moving force from front to rear changes the pitch moment by (h/L) F (lf a_f - lr a_r) per unit
  split: the sign of that factor says which way damps.
"""

from __future__ import annotations

import math

import numba

from twinmotor.constants import G_M_S2
from twinmotor.control.params import (
    CP_ANTI_DRIVE_F,
    CP_ANTI_DRIVE_R,
    CP_JERK,
    CP_LF,
    CP_LR,
    CP_MASS,
    CP_PITCH_DAMP,
    CP_PITCH_FREQ,
    CP_PITCH_ZETA,
    CP_SOFT_STOP,
    CS_SHAPER_BUF,
    CS_SHAPER_POS,
    SHAPER_BUFFER,
)

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("singer1990preshaping",)

SOFT_STOP_FLOOR = 0.3
#: demands beyond this deceleration or acceleration [m/s^2] are performance or emergency
#: requests: comfort shaping steps aside for them
COMFORT_MAX_ACCEL_M_S2 = 0.4 * G_M_S2


@numba.njit(cache=True, inline="always")
def rate_limit(target: float, previous: float, max_rate: float, dt: float) -> float:
    """`target` moved toward from `previous` by at most max_rate*dt."""
    step = max_rate * dt
    return min(max(target, previous - step), previous + step)


@numba.njit(cache=True)
def shaped_force(p, demand: float, previous: float, dt: float) -> float:
    """The force demand [N] after the jerk limit jerk_max * m [N/s]; demands beyond
    COMFORT_MAX_ACCEL_M_S2 (kick-down, emergency braking) pass unshaped."""
    if abs(demand) > COMFORT_MAX_ACCEL_M_S2 * p[CP_MASS]:
        return demand
    return rate_limit(demand, previous, p[CP_JERK] * p[CP_MASS], dt)


@numba.njit(cache=True)
def soft_stop(p, decel: float, v: float) -> float:
    """Deceleration [m/s^2] eased linearly to SOFT_STOP_FLOOR of itself as v [m/s] falls to zero
    below soft_stop_speed_m_s, for gentle stops only."""
    vs = p[CP_SOFT_STOP]
    if decel <= 0.0 or decel > COMFORT_MAX_ACCEL_M_S2 or vs <= 0.0 or v >= vs:
        return decel
    return decel * (SOFT_STOP_FLOOR + (1.0 - SOFT_STOP_FLOOR) * max(v, 0.0) / vs)


@numba.njit(cache=True)
def pitch_split_shift(p, force: float, pitch_rate: float) -> float:
    """Change of front share (-0.3..0.3) that opposes the pitch rate [rad/s] through the
    anti-geometry of the inboard (motor) torque."""
    lever = p[CP_LF] * p[CP_ANTI_DRIVE_F] - p[CP_LR] * p[CP_ANTI_DRIVE_R]
    k = force * lever
    if k == 0.0:
        return 0.0
    s = -p[CP_PITCH_DAMP] * pitch_rate * (1.0 if k > 0.0 else -1.0)
    return min(max(s, -0.3), 0.3)


@numba.njit(cache=True)
def pitch_input_shaper(p, s, demand: float, dt: float) -> float:
    """The force demand [N] through the ZV shaper of the pitch mode (see module docstring). The
    history lives in the controller state `s` (ring buffer); demands beyond
    COMFORT_MAX_ACCEL_M_S2 pass unshaped (and are still recorded)."""
    zeta = min(max(p[CP_PITCH_ZETA], 0.0), 0.9)
    wd = 2.0 * math.pi * p[CP_PITCH_FREQ] * math.sqrt(1.0 - zeta * zeta)
    k = math.exp(-zeta * math.pi / math.sqrt(1.0 - zeta * zeta))
    delay = int(round(math.pi / wd / dt)) if wd > 0.0 else 0
    delay = min(max(delay, 1), SHAPER_BUFFER - 1)
    pos = int(s[CS_SHAPER_POS])
    s[CS_SHAPER_BUF + pos] = demand
    past = s[CS_SHAPER_BUF + (pos - delay) % SHAPER_BUFFER]
    s[CS_SHAPER_POS] = (pos + 1) % SHAPER_BUFFER
    if abs(demand) > COMFORT_MAX_ACCEL_M_S2 * p[CP_MASS]:
        return demand
    return (demand + k * past) / (1.0 + k)
