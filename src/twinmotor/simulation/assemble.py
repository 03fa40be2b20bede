"""From a validated Vehicle to the flat arrays of the compiled plant, and the initial state."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from twinmotor.constants import G_M_S2
from twinmotor.layout import N_VP, N_X, VP, X
from twinmotor.models.road_load import aero_drag_factor
from twinmotor.powertrain.battery import N_BATTERY, battery_coefficients
from twinmotor.powertrain.motor import M_TAU, N_MOTOR, motor_coefficients
from twinmotor.tire import TireModel, load_tire
from twinmotor.tire.classes import friction_scale_for_class
from twinmotor.tire.mf61 import PARAM_NAMES
from twinmotor.vehicle.schema import Vehicle

#: the car speed at which drive-unit spin losses are stated (100 km/h)
SPIN_REFERENCE_SPEED_M_S = 100.0 / 3.6

_I_CX = PARAM_NAMES.index("LONGITUDINAL_STIFFNESS")
_I_CY = PARAM_NAMES.index("LATERAL_STIFFNESS")


@dataclass(frozen=True)
class Model:
    """One vehicle as compiled-plant arrays."""

    vehicle: Vehicle
    vp: np.ndarray
    tp_f: np.ndarray
    tp_r: np.ndarray
    mc_f: np.ndarray
    mc_r: np.ndarray
    bc: np.ndarray
    tire_f: TireModel
    tire_r: TireModel


def _friction(spec) -> float:
    scale = spec.friction_scale
    if spec.tir_file is None:
        scale *= friction_scale_for_class(spec.tire_class)
    return min(max(scale, 0.1), 2.0)


def assemble(vehicle: Vehicle) -> Model:
    """Compile-ready arrays for `vehicle` (cached on the vehicle's content)."""
    return _assemble(vehicle.model_dump_json())


@lru_cache(maxsize=64)
def _assemble(vehicle_json: str) -> Model:
    v = Vehicle.model_validate_json(vehicle_json)
    # a .tir file describes one real tire: its own friction stands, the class only scales generic coefficients
    tire_f = load_tire(v.tires.front.size, v.tires.front.tir_file, _friction(v.tires.front))
    tire_r = load_tire(v.tires.rear.size, v.tires.rear.tir_file, _friction(v.tires.rear))
    vp = np.zeros(N_VP)
    sus = v.suspension
    m = v.mass_kg
    vp[VP["mass"]] = m
    vp[VP["sprung_mass"]] = m - 2.0 * (sus.front.unsprung_mass_kg + sus.rear.unsprung_mass_kg)
    vp[VP["lf"]] = v.cg_to_front_axle_m
    vp[VP["lr"]] = v.cg_to_rear_axle_m
    vp[VP["cg_height"]] = v.cg_height_m
    vp[VP["track_f"]] = v.track_front_m
    vp[VP["track_r"]] = v.track_rear_m
    vp[VP["ixx"]] = v.roll_inertia_kg_m2
    vp[VP["iyy"]] = v.pitch_inertia_kg_m2
    vp[VP["izz"]] = v.yaw_inertia_kg_m2
    vp[VP["g"]] = G_M_S2
    for axle, s in (("f", sus.front), ("r", sus.rear)):
        vp[VP[f"unsprung_{axle}"]] = s.unsprung_mass_kg
        vp[VP[f"spring_{axle}"]] = s.spring_rate_n_m
        vp[VP[f"damper_{axle}"]] = s.damper_rate_n_s_m
        vp[VP[f"arb_{axle}"]] = s.anti_roll_stiffness_nm_rad
        vp[VP[f"rc_{axle}"]] = s.roll_center_height_m
        vp[VP[f"anti_brake_{axle}"]] = s.anti_brake_fraction
        vp[VP[f"anti_drive_{axle}"]] = s.anti_drive_fraction
    a = v.aero
    vp[VP["drag_k"]] = aero_drag_factor(a.air_density_kg_m3, a.drag_coefficient, a.frontal_area_m2)
    vp[VP["lift_k_f"]] = 0.5 * a.air_density_kg_m3 * a.lift_coefficient_front * a.frontal_area_m2
    vp[VP["lift_k_r"]] = 0.5 * a.air_density_kg_m3 * a.lift_coefficient_rear * a.frontal_area_m2
    for axle, spec, tire in (("f", v.tires.front, tire_f), ("r", v.tires.rear, tire_r)):
        vp[VP[f"radius_{axle}"]] = tire.effective_radius_m
        vp[VP[f"wheel_inertia_{axle}"]] = spec.wheel_inertia_kg_m2
        vp[VP[f"rr_coeff_{axle}"]] = spec.rolling_resistance_coefficient
        # low-speed tire damping: critical for the wheel-spin mode, half-critical for sideways
        # sliding of a quarter car (MF 6.1 uses such damping below VXLOW; values are estimates)
        m_wheel = spec.wheel_inertia_kg_m2 / tire.effective_radius_m ** 2
        vp[VP[f"damp_x_{axle}"]] = 2.0 * math.sqrt(tire.params[_I_CX] * m_wheel)
        vp[VP[f"damp_y_{axle}"]] = math.sqrt(tire.params[_I_CY] * 0.25 * m)
        vp[VP[f"tire_side_{axle}"]] = 1.0 if tire.side == "RIGHT" else 0.0
    mcs = []
    for axle, drive in (("f", v.powertrain.front), ("r", v.powertrain.rear)):
        if drive is None:
            mc = np.zeros(N_MOTOR)
            mc[M_TAU] = 0.01
            mcs.append(mc)
            continue
        vp[VP[f"has_motor_{axle}"]] = 1.0
        vp[VP[f"gear_{axle}"]] = drive.gear_ratio
        vp[VP[f"gear_eff_{axle}"]] = drive.gear_efficiency
        du = drive.disconnect_unit
        vp[VP[f"disconnect_{axle}"]] = 1.0 if drive.disconnect else 0.0
        vp[VP[f"engage_time_{axle}"]] = du.engage_time_s
        vp[VP[f"release_time_{axle}"]] = du.release_time_s
        vp[VP[f"actuation_j_{axle}"]] = du.actuation_energy_j
        vp[VP[f"open_drag_{axle}"]] = du.open_drag_nm
        radius = vp[VP[f"radius_{axle}"]]
        vp[VP[f"spin_w100_{axle}"]] = drive.spin_losses.spin_loss_at_100_kmh_w
        vp[VP[f"spin_speed100_{axle}"]] = SPIN_REFERENCE_SPEED_M_S / radius * drive.gear_ratio
        vp[VP[f"spin_exp_{axle}"]] = drive.spin_losses.spin_loss_speed_exponent
        mcs.append(motor_coefficients(drive.motor))
    for axle, we in (("f", v.wheel_ends.front), ("r", v.wheel_ends.rear)):
        vp[VP[f"wheel_drag_{axle}"]] = we.bearing_drag_nm + we.brake_residual_drag_nm
    vp[VP["brake_max_f"]] = v.brakes.max_torque_front_nm
    vp[VP["brake_max_r"]] = v.brakes.max_torque_rear_nm
    vp[VP["brake_tau"]] = v.brakes.time_constant_s
    vp[VP["steer_ratio"]] = v.steering.steering_ratio
    vp[VP["max_steer"]] = v.steering.max_road_wheel_angle_rad
    vp[VP["aux_w"]] = v.auxiliary_load_w
    bc = battery_coefficients(v.battery)
    assert bc.shape == (N_BATTERY,)
    for arr in (vp, tire_f.params, tire_r.params, mcs[0], mcs[1], bc):
        arr.setflags(write=False)
    return Model(v, vp, tire_f.params, tire_r.params, mcs[0], mcs[1], bc, tire_f, tire_r)


def initial_state(model: Model, speed_m_s: float = 0.0, soc: float | None = None) -> np.ndarray:
    """State of the car rolling straight at `speed_m_s` with the suspension at static equilibrium."""
    x = np.zeros(N_X)
    x[X["vx"]] = speed_m_s
    rf = model.vp[VP["radius_f"]]
    rr = model.vp[VP["radius_r"]]
    for c, radius in (("fl", rf), ("fr", rf), ("rl", rr), ("rr", rr)):
        x[X[f"omega_{c}"]] = speed_m_s / radius
    x[X["soc"]] = model.vehicle.battery.initial_soc if soc is None else soc
    # disconnects start engaged; a PMSM always has its flux, other kinds start unexcited
    from twinmotor.powertrain.motor import M_KIND

    for a, mc in ((0, model.mc_f), (1, model.mc_r)):
        x[X["coupling_front"] + a] = 1.0
        x[X["flux_front"] + a] = 1.0 if mc[M_KIND] < 0.5 else 0.0
    return x


def kinetic_energy(model: Model, x: np.ndarray) -> float:
    """Kinetic energy [J] of the car: translation, yaw, wheel spin and motor rotors (reflected)."""
    vp = model.vp
    e = 0.5 * vp[VP["mass"]] * (x[X["vx"]] ** 2 + x[X["vy"]] ** 2) + 0.5 * vp[VP["izz"]] * x[X["yaw_rate"]] ** 2
    e += 0.5 * vp[VP["ixx"]] * x[X["roll_rate"]] ** 2 + 0.5 * vp[VP["iyy"]] * x[X["pitch_rate"]] ** 2
    e += 0.5 * vp[VP["sprung_mass"]] * x[X["heave_rate"]] ** 2
    from twinmotor.powertrain.motor import M_INERTIA

    for axle, (cl, cr), mc in ((("f"), ("fl", "fr"), model.mc_f), (("r"), ("rl", "rr"), model.mc_r)):
        iw = vp[VP[f"wheel_inertia_{axle}"]]
        wl, wr = x[X[f"omega_{cl}"]], x[X[f"omega_{cr}"]]
        e += 0.5 * iw * (wl ** 2 + wr ** 2)
        coupled = vp[VP[f"disconnect_{axle}"]] < 0.5 or x[X[f"coupling_{'front' if axle == 'f' else 'rear'}"]] >= 1.0
        if vp[VP[f"has_motor_{axle}"]] > 0.5 and coupled:
            wm = vp[VP[f"gear_{axle}"]] * 0.5 * (wl + wr)
            e += 0.5 * mc[M_INERTIA] * wm ** 2
    return float(e)
