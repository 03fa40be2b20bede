"""The linear single-track ("bicycle") model: static axle loads, understeer gradient, steady-state

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("gillespie1992fundamentals", "rajamani2012vehicle")
steer and yaw gain, and the model's parameters for a vehicle.

    static tire loads     F_z,f = m g l_r / (2 L),   F_z,r = m g l_f / (2 L)
    understeer gradient   K = m / L (l_r / C_f - l_f / C_r)                      (Gillespie eq. 6-15)
    steady-state steer    delta = a_y (L + K v^2) / v^2   (road wheel, a_y = v^2 / R)
    yaw-rate gain         r / delta = v / (L + K v^2)

With the tires' aligning moments M_z = -N alpha in the yaw balance, (l_f C_f - N_f) alpha_f =
(l_r C_r + N_r) alpha_r, and with a = l_f C_f - N_f, b = l_r C_r + N_r:

    K = m (b - a) / (C_f b + C_r a)

which reduces to Gillespie's form for N = 0: the aligning moments act like pneumatic trails N / C that
move both axle forces rearward (more understeer). C: axle cornering stiffness (two tires) [N/rad];
N: axle aligning stiffness (two tires) [N*m/rad]; K in rad/(m/s^2).

References
----------
Gillespie, T. D., Fundamentals of Vehicle Dynamics, SAE (1992), ch. 6.
Rajamani, R., Vehicle Dynamics and Control, 2nd ed., Springer (2012), sect. 2.3.
Pacejka, H. B., Tire and Vehicle Dynamics, 3rd ed., Butterworth-Heinemann (2012), ch. 1.
"""

from __future__ import annotations

import numba


@numba.njit(cache=True)
def static_tire_loads(mass_kg: float, g_m_s2: float, lf_m: float, lr_m: float, wheelbase_m: float
                      ) -> tuple[float, float]:
    """Vertical load [N] on one front tire and one rear tire of the car at rest on a level road
    (half of each axle's share of the weight): (m g l_r / (2 L), m g l_f / (2 L))."""
    return 0.5 * mass_kg * g_m_s2 * lr_m / wheelbase_m, 0.5 * mass_kg * g_m_s2 * lf_m / wheelbase_m


def understeer_gradient(mass_kg: float, wheelbase_m: float, lf_m: float, lr_m: float, c_f: float, c_r: float,
                        n_f: float = 0.0, n_r: float = 0.0) -> float:
    """Understeer gradient K [rad/(m/s^2)] of the linear single-track model (see the module
    docstring); c_f, c_r axle cornering stiffnesses [N/rad]; n_f, n_r axle aligning stiffnesses
    [N*m/rad], zero for Gillespie's form."""
    if n_f == 0.0 and n_r == 0.0:
        return mass_kg / wheelbase_m * (lr_m / c_f - lf_m / c_r)
    a = lf_m * c_f - n_f
    b = lr_m * c_r + n_r
    return mass_kg * (b - a) / (c_f * b + c_r * a)


def steer_for_lat_accel(lat_accel_m_s2: float, wheelbase_m: float, k_us: float, speed_m_s: float) -> float:
    """Road-wheel steer angle [rad] that gives lat_accel_m_s2 in a steady turn at speed_m_s:
    delta = a_y (L + K v^2) / v^2 (Gillespie eq. 6-15 with R = v^2 / a_y)."""
    return lat_accel_m_s2 * (wheelbase_m + k_us * speed_m_s * speed_m_s) / (speed_m_s * speed_m_s)


def yaw_rate_gain(wheelbase_m: float, k_us: float, speed_m_s: float) -> float:
    """Steady-state yaw rate per road-wheel steer angle [1/s]: v / (L + K v^2)."""
    return speed_m_s / (wheelbase_m + k_us * speed_m_s * speed_m_s)


@numba.njit(cache=True)
def steady_yaw_rate(wheelbase_m: float, k_us: float, speed_m_s: float, steer_rad: float) -> float:
    """Steady-state yaw rate [rad/s] at road-wheel steer steer_rad: v delta / (L + K v^2); zero
    where the denominator vanishes (beyond the critical speed of an oversteering car)."""
    den = wheelbase_m + k_us * speed_m_s * speed_m_s
    return speed_m_s * steer_rad / den if den > 1e-6 else 0.0


def single_track_values(vehicle) -> dict[str, float]:
    """The vehicle's single-track model at static axle loads: mass [kg], izz [kg m^2], lf, lr,
    wheelbase [m], g [m/s^2], axle cornering stiffnesses c_f, c_r [N/rad] and axle aligning
    stiffnesses n_f, n_r [N*m/rad] (two tires each, from the MF 6.1 tire at its static load)."""
    from twinmotor.layout import VP
    from twinmotor.simulation.assemble import assemble
    from twinmotor.tire.mf61 import aligning_stiffness, slip_stiffness

    model = assemble(vehicle)
    vp = model.vp
    m, g, lf, lr = vp[VP["mass"]], vp[VP["g"]], vp[VP["lf"]], vp[VP["lr"]]
    wb = lf + lr
    fz_f, fz_r = static_tire_loads(m, g, lf, lr, wb)
    return {"mass": m, "izz": vp[VP["izz"]], "lf": lf, "lr": lr, "wheelbase": wb, "g": g,
            "c_f": 2.0 * slip_stiffness(model.tp_f, fz_f)[1], "c_r": 2.0 * slip_stiffness(model.tp_r, fz_r)[1],
            "n_f": 2.0 * aligning_stiffness(model.tp_f, fz_f), "n_r": 2.0 * aligning_stiffness(model.tp_r, fz_r)}


def vehicle_understeer_gradient(vehicle, aligning_moment: bool = True) -> float:
    """Understeer gradient [rad/(m/s^2)] of the vehicle's linear single-track model at static
    loads, with or without the tires' aligning moments (see the module docstring)."""
    st = single_track_values(vehicle)
    n_f, n_r = (st["n_f"], st["n_r"]) if aligning_moment else (0.0, 0.0)
    return understeer_gradient(st["mass"], st["wheelbase"], st["lf"], st["lr"], st["c_f"], st["c_r"], n_f, n_r)
