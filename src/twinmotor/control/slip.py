"""Wheel-slip control: traction control by motor torque (per axle) and ABS by brake pressure
(per wheel). Both are PI loops on the slip ratio that output a cut fraction (0-1).

The slip ratio is (omega*R - v) / max(|v|, v_min): positive when driving, negative when braking
(ISO 8855 / SAE J670 longitudinal slip).
"""

from __future__ import annotations

import numba


@numba.njit(cache=True, inline="always")
def wheel_slip(omega: float, radius: float, v: float, v_min: float) -> float:
    """Longitudinal slip ratio (omega*R - v) / max(|v|, v_min) [-]."""
    return (omega * radius - v) / max(abs(v), v_min)


@numba.njit(cache=True, inline="always")
def slip_pi(err: float, integ: float, kp: float, ki: float, dt: float) -> tuple[float, float]:
    """Cut fraction (0-1) of a PI loop on slip error `err` (positive: too much slip) and the new
    integrator state. The integrator is clamped to [0, 1] (anti-windup) and bleeds off when the
    slip is below target, so the cut ends once the wheel grips again."""
    integ = min(max(integ + ki * err * dt, 0.0), 1.0)
    return min(max(kp * err + integ, 0.0), 1.0), integ
