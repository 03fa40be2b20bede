"""The largest plant step a car allows: the stiffest mode of the assembled model and the explicit
integrator's stability bound on it.

The fastest dynamics of the plant are the wheel-spin modes: a wheel of inertia I_w on the tire's
longitudinal carcass spring C_x (the deflection state of the transient tire, Pacejka 2012 sect. 7.2)
oscillates at omega = r sqrt(C_x / I_w), about 200 rad/s (32 Hz) on a passenger car. Below VXLOW
the low-speed tire damping makes it critically damped (zeta = 1, see assemble.py). The wheel speed
is integrated explicitly and the deflection semi-implicitly (symplectic Euler), whose stability
limit on a damped oscillator is h < 2 (sqrt(1 + zeta^2) - zeta) / omega (0.83 / omega at zeta = 1).
The sprung-mass modes (1-2 Hz) and the tire relaxation (integrated implicitly) are far slower or
unconditionally stable. A step must also resolve the mode, not only stay stable: twinmotor allows
at most half the stability limit (about 12 steps per period), beyond which slip control and ABS
stopping distances change with the step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twinmotor.layout import VP
from twinmotor.models.single_track import static_tire_loads
from twinmotor.tire.mf61 import relaxation_lengths, slip_stiffness

#: zeta of the wheel-spin mode at low speed (the low-speed damping is critical, see assemble.py)
LOW_SPEED_DAMPING_RATIO = 1.0
#: share of the stability limit a step may use (accuracy margin)
ACCURACY_SHARE = 0.5
#: load factor on the static corner load at which the carcass stiffness is taken (load transfer)
LOAD_FACTOR = 1.5


@dataclass(frozen=True)
class StiffestMode:
    """The stiffest mode of a car's plant and the steps it allows."""

    name: str
    omega_rad_s: float
    stable_dt_s: float
    max_dt_s: float

    @property
    def frequency_hz(self) -> float:
        return self.omega_rad_s / (2.0 * math.pi)


def stiffest_mode(model) -> StiffestMode:
    """The wheel-spin / tire-deflection mode of the axle with the highest frequency (see module
    docstring), from the assembled model's tires, radii, wheel inertias and static loads."""
    vp = model.vp
    g = vp[VP["g"]]
    fz_f, fz_r = static_tire_loads(vp[VP["mass"]], g, vp[VP["lf"]], vp[VP["lr"]], vp[VP["lf"]] + vp[VP["lr"]])
    best = None
    for axle, tp, fz_axle in (("front", model.tp_f, fz_f), ("rear", model.tp_r, fz_r)):
        fz = LOAD_FACTOR * 0.5 * fz_axle
        sigma_kappa, _ = relaxation_lengths(tp, fz)
        c_kappa = slip_stiffness(tp, fz)[0]
        c_x = c_kappa / sigma_kappa  # carcass longitudinal stiffness [N/m]
        r = vp[VP[f"radius_{axle[0]}"]]
        iw = vp[VP[f"wheel_inertia_{axle[0]}"]]
        omega = r * math.sqrt(max(c_x, 0.0) / iw)
        if best is None or omega > best[1]:
            best = (axle, omega)
    axle, omega = best
    zeta = LOW_SPEED_DAMPING_RATIO
    stable = 2.0 * (math.sqrt(1.0 + zeta * zeta) - zeta) / omega if omega > 0 else math.inf
    return StiffestMode(f"wheel-spin / tire-deflection mode of the {axle} wheels", omega, stable, ACCURACY_SHARE * stable)
