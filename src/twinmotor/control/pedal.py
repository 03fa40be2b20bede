"""Driver interpretation: accelerator and brake pedals to a longitudinal force demand at the road.

- Accelerator: a share of what the motors can give at the present speed (so full pedal is full
  power at any speed). With one-pedal driving (Nissan's e-Pedal), the first part of the pedal
  travel (`epedal_band`) regenerates instead: zero pedal asks for `epedal_decel_m_s2`
  (LEAF: up to 0.2 g), fading out below 1 m/s so the car comes to rest without reversing.
- Brake pedal: a deceleration demand, linear to BRAKE_PEDAL_FULL_DECEL_M_S2 at full pedal. The
  brake pedal overrides the accelerator.
"""

from __future__ import annotations

import numba

from twinmotor.control.params import (
    BRAKE_PEDAL_FULL_DECEL_M_S2,
    CP_EPEDAL_BAND,
    CP_EPEDAL_DECEL,
    CP_MASS,
    CP_ONE_PEDAL,
)

EPEDAL_FADE_SPEED_M_S = 1.0


@numba.njit(cache=True)
def longitudinal_demand(p, throttle: float, brake: float, v: float, max_drive_force: float) -> float:
    """Force demand [N] at the road: positive drives, negative brakes (see module docstring)."""
    mass = p[CP_MASS]
    decel = brake * BRAKE_PEDAL_FULL_DECEL_M_S2
    drive = 0.0
    if p[CP_ONE_PEDAL] > 0.5:
        band = p[CP_EPEDAL_BAND]
        if throttle < band:
            fade = min(max(v, 0.0) / EPEDAL_FADE_SPEED_M_S, 1.0)
            decel = max(decel, p[CP_EPEDAL_DECEL] * (1.0 - throttle / band) * fade)
        else:
            drive = (throttle - band) / (1.0 - band) * max_drive_force
    else:
        drive = throttle * max_drive_force
    if decel > 0.0:
        return -mass * decel
    return drive
