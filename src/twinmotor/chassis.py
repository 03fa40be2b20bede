"""Chassis relations: corner geometry, suspension and anti-geometry forces, aerodynamic loads,
wheel-plane kinematics and the open differential. Pure functions, compiled with numba.

Sign conventions (ISO 8855): x forward, y left, z up; roll positive right side down (left up),
pitch positive nose down. Corner order fl, fr, rl, rr.

References:
- Gillespie, Fundamentals of Vehicle Dynamics (1992), ch. 7 (anti-dive/anti-squat), ch. 8 (roll).
- Milliken & Milliken, Race Car Vehicle Dynamics (1995), ch. 16-18 (load transfer, roll centres).
"""

from __future__ import annotations

import math

import numba

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("gillespie1992fundamentals", "milliken1995race")


@numba.njit(cache=True, inline="always")
def corner_position(i: int, lf: float, lr: float, tf: float, tr: float) -> tuple[float, float]:
    """x, y [m] of corner i relative to the centre of gravity."""
    if i == 0:
        return lf, 0.5 * tf
    if i == 1:
        return lf, -0.5 * tf
    if i == 2:
        return -lr, 0.5 * tr
    return -lr, -0.5 * tr


@numba.njit(cache=True, inline="always")
def corner_displacement(z: float, phi: float, theta: float, xi: float, yi: float) -> float:
    """Upward displacement [m] of the body at corner (xi, yi) for heave z [m], roll phi and pitch
    theta [rad] (small angles): z_i = z + y_i*phi - x_i*theta."""
    return z + yi * phi - xi * theta


@numba.njit(cache=True, inline="always")
def anti_geometry_force(fx_corner: float, inboard_share: float, front: bool, anti_outboard: float,
                        anti_inboard: float, cg_height: float, wheelbase: float) -> float:
    """Vertical force [N] (up on the body) that the suspension links take from a corner's
    longitudinal tire force fx [N].

    An anti fraction a is the share of the corner's longitudinal load transfer that goes through the
    links instead of the springs (Gillespie sect. 7): F = a * fx * h / L, signed so that it resists
    dive when braking in front and squat when driving at the rear:
    front: F = -a * fx * h / L;  rear: F = +a * fx * h / L.

    Which geometry applies depends on where the torque is reacted (Gillespie sect. 7): torque reacted
    inboard (the axle's motor: drive and regeneration alike) acts through the wheel-centre line,
    `anti_inboard` (anti-lift front, anti-squat rear); torque of outboard friction brakes acts
    through the contact-patch line, `anti_outboard` (anti-dive front, anti-lift rear).
    `inboard_share` (0-1) is the motor's share of the corner's wheel torque. This is why
    regenerative braking on the rear axle pulls the rear of the body down and keeps the nose level.
    """
    a = anti_inboard * inboard_share + anti_outboard * (1.0 - inboard_share)
    if front:
        return -a * fx_corner * cg_height / wheelbase
    return a * fx_corner * cg_height / wheelbase


@numba.njit(cache=True, inline="always")
def roll_centre_force(fy_axle: float, left: bool, rc_height: float, track: float) -> float:
    """Vertical force [N] on the body at one side from the axle's lateral force through a roll centre
    at height rc_height [m]: the links carry the moment rc_height * Fy, so the springs see only
    (h - rc_height) * Fy (Milliken ch. 18). Left: -h_rc*Fy/t, right: +h_rc*Fy/t."""
    f = rc_height * fy_axle / track
    return -f if left else f


@numba.njit(cache=True, inline="always")
def aero_loads(vx: float, drag_k: float, lift_k_f: float, lift_k_r: float) -> tuple[float, float, float]:
    """Drag [N, opposing vx] and lift on the front and rear axle [N, up] in still air:
    F = 0.5*rho*C*A*v^2 with the constants folded into drag_k and lift_k."""
    v2 = vx * vx
    return -drag_k * vx * abs(vx), lift_k_f * v2, lift_k_r * v2


@numba.njit(cache=True, inline="always")
def wheel_plane_velocity(vx: float, vy: float, r: float, xi: float, yi: float, delta: float) -> tuple[float, float]:
    """Velocity [m/s] of the wheel centre at (xi, yi) in the wheel's own axes, steered by delta [rad]."""
    vix = vx - r * yi
    viy = vy + r * xi
    c = math.cos(delta)
    s = math.sin(delta)
    return vix * c + viy * s, -vix * s + viy * c


@numba.njit(cache=True, inline="always")
def low_speed_weight(v: float, v_low: float) -> float:
    """1 at standstill, falling smoothly (cosine) to 0 at |v| = v_low: the weight of the
    low-speed tire damping (MF 6.1 transient model, Pacejka 2nd ed. sect. 8.6)."""
    a = abs(v)
    if a >= v_low:
        return 0.0
    return 0.5 * (1.0 + math.cos(math.pi * a / v_low))


@numba.njit(cache=True, inline="always")
def open_differential_accelerations(axle_torque: float, tau_left: float, tau_right: float,
                                    carrier_inertia: float, wheel_inertia: float) -> tuple[float, float]:
    """Wheel spin accelerations [rad/s^2] of an axle with an open differential.

    The differential gives both wheels the same torque; the carrier (motor rotor and gears, reflected
    to the axle: J = J_rotor * ratio^2) turns at the mean wheel speed. With tau_i the other torques on
    wheel i (tire, rolling resistance, brake):
        d(omega_mean)/dt = (T_axle + tau_l + tau_r) / (J + 2 I_w)
        d(omega_diff)/dt = (tau_l - tau_r) / (2 I_w)
    With J = 0 and T_axle = 0 this is two independent wheels, so undriven axles use it too.
    """
    a_mean = (axle_torque + tau_left + tau_right) / (carrier_inertia + 2.0 * wheel_inertia)
    a_diff = (tau_left - tau_right) / (2.0 * wheel_inertia)
    return a_mean + a_diff, a_mean - a_diff
