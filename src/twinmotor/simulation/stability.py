"""The plant's fastest mode and the steps it allows.

The fastest dynamics of the plant are the wheel-spin modes: a wheel of inertia I_w on the tire's
longitudinal carcass spring C_x (the deflection state of the transient tire, Pacejka 2012 sect. 7.2)
oscillates at omega = r sqrt(C_x / I_w), about 200 rad/s (32 Hz) on a passenger car. Below VXLOW
the low-speed tire damping makes it critically damped (zeta = 1, see assemble.py). The wheel speed
is integrated explicitly and the deflection semi-implicitly (symplectic Euler), whose stability
limit on a damped oscillator is h < 2 (sqrt(1 + zeta^2) - zeta) / omega (0.83 / omega at zeta = 1).
A step must also resolve the mode, not only stay stable: half the stability limit (about 12 steps
per period), beyond which slip control and ABS stopping distances change with the step.

So the plant integrates this mode in sub-steps of at most that half and at most the default 1 ms
(`wheel_substep_s`), whatever the plant step: the tires are evaluated once per step and each
wheel's longitudinal force is carried through the sub-steps along its slope in the deflection, with
the brake and motor-torque lags (plant.plant_step). The next modes, the sprung mass's (1-2 Hz) and
the tires' lateral deflection against the car's mass and yaw inertia (integrated implicitly in its
decay), allow far longer steps; the plant takes at most MAX_PLANT_STEP_S, and the controller and
driver run at most once per step. Tests that rest on wheel-slip control by the brakes allow less
(ABS_MAX_PLANT_STEP_S, BRAKE_DIFFERENTIAL_MAX_PLANT_STEP_S): their KPIs depend on the tire forces
through the peak within milliseconds. Tolerances: tests/integration/test_step.py.
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
#: the wheels' sub-step is at most the default plant step [s]: a longer plant step (a study's
#: [step]) integrates the wheel-spin mode as finely as the default does
WHEEL_SUBSTEP_MAX_S = 1e-3
#: longest plant step [s]: with the wheels sub-stepped, the next modes are the sprung mass's and the
#: tires' lateral ones (a few Hz); the sampled controller and driver run at most once per plant step
MAX_PLANT_STEP_S = 5e-3
#: longest plant step [s] of a procedure that rests on anti-lock braking: ABS drives each wheel's
#: slip through the tire's peak and back within tens of milliseconds, and the tire forces are
#: evaluated once per step: beyond 2 ms the stops lengthen even with the wheels sub-stepped (UN R13-H
#: split friction +9 % at 5 ms against 1 ms at the same 200 Hz controller rate)
ABS_MAX_PLANT_STEP_S = 2e-3
#: the same for the split-friction launch, whose brake-based locking differential holds the wheel
#: on ice at the edge of spinning: its 5 s distance moves by 6 % at 2 ms; the default step only
BRAKE_DIFFERENTIAL_MAX_PLANT_STEP_S = 1e-3


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


def wheel_substep_s(model) -> float:
    """Longest step [s] with which the plant integrates the wheel-spin / tire-deflection mode: the
    default plant step, or less where the car's stiffest mode asks for it (stiffest_mode)."""
    return min(WHEEL_SUBSTEP_MAX_S, stiffest_mode(model).max_dt_s)
