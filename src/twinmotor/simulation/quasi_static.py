"""The fast, quasi-static energy model: the drive cycle as a sequence of steady states, for sweeps
over thousands of designs (the approach of FASTSim, Brooker et al., NREL/CP-5400-63623, 2015).

At each sub-step the trace gives speed and acceleration; the road load (inertia of the car and of
its wheels and rotors, aero drag, rolling resistance, grade) gives the force at the wheels. The
same component models as the dynamic simulator turn it into battery power: the controller's own
allocation (efficient split, regeneration blending), the gear model inverted, motor drag, copper,
inverter and active losses, the motor envelope, the battery's OCV, resistance and power limits.
What the quasi-static model leaves out: wheel-slip dynamics (tire slip loss is estimated from the
slip stiffness), suspension motion, and the driver's small trace errors.
"""

from __future__ import annotations

import math
import time

import numba
import numpy as np

from twinmotor.constants import G_M_S2
from twinmotor.control.params import CP_H, CP_MU_F, CP_MU_R, CS_SPLIT_PREV, N_STATE
from twinmotor.control.regen import blend
from twinmotor.control.twin_motor import drive_split
from twinmotor.layout import (
    P_AUX_W,
    P_DRAG_K,
    P_G,
    P_GEAR_EFF_F,
    P_GEAR_F,
    P_HAS_MOTOR_F,
    P_IW_F,
    P_IW_R,
    P_LF,
    P_LIFT_K_F,
    P_LR,
    P_MASS,
    P_RADIUS_F,
    P_RADIUS_R,
    P_RR_F,
    P_RR_R,
    X_NAMES,
)
from twinmotor.models.single_track import static_tire_loads
from twinmotor.powertrain.battery import B_R_OHM, current_from_power, open_circuit_voltage, power_limits, soc_rate
from twinmotor.powertrain.gearbox import axle_torque
from twinmotor.powertrain.motor import M_INERTIA, drag_torque, electrical_losses, electrical_power, torque_limit

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("brooker2015fastsim",)

#: sub-steps per second of trace (the trace is linear between its 1 Hz points)
SUBSTEPS_PER_S = 10

# indices of the energy accumulators, same names as the dynamic simulator's state
_E = {n[2:]: i for i, n in enumerate([n for n in X_NAMES if n.startswith("e_")])}
N_E = len(_E)
E_CHEM, E_BLOSS, E_REGEN, E_CU, E_DRAG, E_INV, E_GEAR, E_BRAKE, E_SLIP, E_AERO, E_ROLL, E_AUX, E_DAMP, E_GRADE = (
    _E["battery_chemical"], _E["battery_loss"], _E["battery_regen"], _E["motor_copper"], _E["motor_drag"],
    _E["inverter"], _E["gear"], _E["brake"], _E["tire_slip"], _E["aero"], _E["rolling"], _E["aux"], _E["damper"],
    _E["grade"])
E_OUT, E_MREGEN = _E["motor_out_front"], _E["motor_regen_front"]


@numba.njit(cache=True)
def shaft_torque_for(axle_torque_nm: float, ratio: float, eff: float) -> float:
    """Motor shaft torque [N m] that gives `axle_torque_nm` through the gear model of
    powertrain.gearbox (loss (1 - eff)|T w| in both power directions, forward rotation)."""
    if axle_torque_nm >= 0.0:
        return axle_torque_nm / (ratio * eff)
    return axle_torque_nm / (ratio * (2.0 - eff))


#: status codes of `quasi_static`
QS_DONE, QS_BATTERY_EMPTY = 0, 1
#: state of charge at which the fast model stops: the pack gives no more power (battery.power_limits
#: fades the discharge limit to 0 at SOC 0)
SOC_EMPTY = 1e-4


@numba.njit(cache=True)
def _powertrain(force, vel, h, vp, mc_f, mc_r, cp, ctl_state, mu, fz_f, fz_r, lim_f, lim_r, p_chg, wm_f, wm_r,
                slip_stiff_f, slip_stiff_r, out_e, accumulate):
    """Electrical power [W] (motors and auxiliaries) for a wheel force `force` [N] at speed `vel`,
    through the controller's allocation and the motor, inverter and gear models; adds the energies
    of the sub-step `h` to out_e when `accumulate`. Returns (p_elec, f_brake)."""
    has = (vp[P_HAS_MOTOR_F] > 0.5, vp[P_HAS_MOTOR_F + 1] > 0.5)
    radius = (vp[P_RADIUS_F], vp[P_RADIUS_R])
    f_front = 0.0
    f_rear = 0.0
    f_brake = 0.0
    # the motors give all of it: rolling resistance acts on the wheels as a torque (as in the plant)
    f_motor = force
    if f_motor >= 0.0:
        if has[0] and has[1]:
            split = drive_split(cp, ctl_state, f_motor, vel, mu, fz_f, fz_r, lim_f, lim_r, mc_f, mc_r)
        else:
            split = 1.0 if has[0] else 0.0
        f_front = f_motor * split
        f_rear = f_motor - f_front
    else:
        reg_f, reg_r, fr_f, fr_r = blend(cp, -f_motor, vel, lim_f, lim_r, p_chg, fz_f, fz_r, mu)
        f_front = -reg_f
        f_rear = -reg_r
        f_brake = fr_f + fr_r
    p_elec = vp[P_AUX_W]
    # an idle motor (no torque asked of its axle) is not excited: its drag reaches the road
    # through its gear, and the working motor makes up for it
    idle = (has[0] and has[1] and f_front == 0.0 and f_rear != 0.0,
            has[0] and has[1] and f_rear == 0.0 and f_front != 0.0)
    for a in range(2):
        if idle[a]:
            mc = mc_f if a == 0 else mc_r
            wm = wm_f if a == 0 else wm_r
            t_axle_idle, _loss = axle_torque(drag_torque(wm, mc), wm, vp[P_GEAR_F + a], vp[P_GEAR_EFF_F + a])
            if a == 0:
                f_rear -= t_axle_idle / radius[0]
            else:
                f_front -= t_axle_idle / radius[1]
    for a in range(2):
        fa = f_front if a == 0 else f_rear
        if not has[a]:
            continue
        mc = mc_f if a == 0 else mc_r
        gr = vp[P_GEAR_F + a]
        eff = vp[P_GEAR_EFF_F + a]
        wm = wm_f if a == 0 else wm_r
        t_drag = drag_torque(wm, mc)
        if idle[a]:
            t_em = 0.0
            t_shaft = t_drag
        else:
            t_shaft = shaft_torque_for(fa * radius[a], gr, eff)
            t_em = t_shaft - t_drag
        lim = lim_f if a == 0 else lim_r
        t_em = min(max(t_em, -lim), lim)
        pm = electrical_power(t_em, wm, mc)
        p_elec += pm
        if accumulate:
            cu, inv = electrical_losses(t_em, wm, mc)
            out_e[E_CU] += cu * h
            out_e[E_INV] += inv * h
            out_e[E_DRAG] += -t_drag * wm * h
            out_e[E_GEAR] += (1.0 - eff) * abs(t_shaft * wm) * h
            if pm > 0.0:
                out_e[E_OUT + a] += pm * h
            else:
                out_e[E_MREGEN + a] -= pm * h
            # tire slip loss: slip = F / C_kappa per axle, power F * slip * v
            cs = slip_stiff_f if a == 0 else slip_stiff_r
            out_e[E_SLIP] += fa * fa / cs * vel * h
    return p_elec, f_brake


@numba.njit(cache=True)
def quasi_static(t, v, grade, vp, mc_f, mc_r, bc, cp, slip_stiff_f, slip_stiff_r, soc0, out_e, out_log):
    """Integrate the cycle; energies [J] into out_e (layout of _E), and per second into out_log
    columns: time, trace speed, battery power, (unused), (unused), soc, distance, car speed.

    The car follows the trace while the motors' torque envelope, the road's friction (drive and
    brake forces within mu Fz of the axles) and the battery's discharge limit allow; where they do
    not, it gives what they allow and falls behind (or, braking, overshoots) the trace, catching
    up again when it can, as the dynamic model's driver does. At an empty battery it stops.
    Returns (final SOC, status QS_DONE or QS_BATTERY_EMPTY, rows logged)."""
    m = vp[P_MASS]
    g = vp[P_G]
    wb = vp[P_LF] + vp[P_LR]
    rf, rr = vp[P_RADIUS_F], vp[P_RADIUS_R]
    has = (vp[P_HAS_MOTOR_F] > 0.5, vp[P_HAS_MOTOR_F + 1] > 0.5)
    radius = (rf, rr)
    m_eff = m + 2.0 * vp[P_IW_F] / (rf * rf) + 2.0 * vp[P_IW_R] / (rr * rr)
    for a in range(2):
        if has[a]:
            gr = vp[P_GEAR_F + a]
            mc = mc_f if a == 0 else mc_r
            m_eff += mc[M_INERTIA] * gr * gr / (radius[a] * radius[a])
    soc = soc0
    dist = 0.0
    ctl_state = np.zeros(N_STATE)
    mu = min(cp[CP_MU_F], cp[CP_MU_R])
    n = t.shape[0]
    row = 0
    lagging = False  # the car is off the trace (a limit held it back) and catching up
    v_car = v[0]
    snap = np.zeros(out_e.shape[0])
    for k in range(n - 1):
        dt_k = t[k + 1] - t[k]
        subs = max(int(round(dt_k * SUBSTEPS_PER_S)), 1)
        h = dt_k / subs
        acc = (v[k + 1] - v[k]) / dt_k
        gr_k = grade[k]
        sg = gr_k / math.sqrt(1.0 + gr_k * gr_k)
        cg = 1.0 / math.sqrt(1.0 + gr_k * gr_k)
        p_batt_sum = 0.0
        for j in range(subs):
            if soc <= SOC_EMPTY:
                out_log[row, 0] = t[k]
                out_log[row, 1] = v[k]
                out_log[row, 5] = soc
                out_log[row, 6] = dist
                out_log[row, 7] = v_car
                return soc, QS_BATTERY_EMPTY, row + 1
            if lagging:
                a_k = (v[k] + acc * (j + 1) * h - v_car) / h
                vel = v_car + 0.5 * a_k * h
            else:
                a_k = acc
                vel = v[k] + acc * (j + 0.5) * h
            # axle loads with the longitudinal load transfer, as the controller estimates them
            # (never below zero: aero lift at an absurd speed cannot pull a tire into the road)
            # (the transfer of an acceleration the tires can give: a trace asking for more must not
            # load one axle beyond the car's weight)
            a_lt = min(max(a_k, -mu * g), mu * g)
            fz_f = max(m * (g * cg * vp[P_LR] - a_lt * cp[CP_H]) / wb - vp[P_LIFT_K_F] * vel * vel, 0.0)
            fz_r = max(m * (g * cg * vp[P_LF] + a_lt * cp[CP_H]) / wb - vp[P_LIFT_K_F + 1] * vel * vel, 0.0)
            f_drag = vp[P_DRAG_K] * vel * vel
            f_roll = (vp[P_RR_F] * fz_f + vp[P_RR_R] * fz_r) if vel > 0.01 else 0.0
            f_grade = m * g * sg
            force = m_eff * a_k + f_drag + f_roll + f_grade
            wm_f = vel / rf * vp[P_GEAR_F] if has[0] else 0.0
            wm_r = vel / rr * vp[P_GEAR_F + 1] if has[1] else 0.0
            lim_f = torque_limit(wm_f, mc_f) if has[0] else 0.0
            lim_r = torque_limit(wm_r, mc_r) if has[1] else 0.0
            p_dis, p_chg = power_limits(soc, bc)
            # what the car can give: per driven axle the lesser of the motor envelope (through the
            # gear) and the road's friction; braking, friction on all four wheels
            f_drive_max = 0.0
            for a in range(2):
                if has[a]:
                    lim = lim_f if a == 0 else lim_r
                    fz_a = fz_f if a == 0 else fz_r
                    f_motor_a = (lim * vp[P_GEAR_F + a] * vp[P_GEAR_EFF_F + a] - drag_torque(
                        wm_f if a == 0 else wm_r, mc_f if a == 0 else mc_r) * vp[P_GEAR_F + a]) / radius[a]
                    f_drive_max += max(min(f_motor_a, mu * fz_a), 0.0)
            f_brake_max = mu * (fz_f + fz_r)
            limited = False
            if force > f_drive_max:
                force = f_drive_max
                limited = True
            elif force < -f_brake_max:
                force = -f_brake_max
                limited = True
            vel_start = v_car if lagging else v[k] + acc * j * h
            if limited:
                # the car's own acceleration from the force it gets
                a_k = (force - f_drag - f_roll - f_grade) / m_eff
                vel = max(vel_start + 0.5 * a_k * h, 0.0)
            snap[:] = out_e
            saved = ctl_state[CS_SPLIT_PREV]
            p_elec, f_brake = _powertrain(force, vel, h, vp, mc_f, mc_r, cp, ctl_state, mu, fz_f, fz_r, lim_f, lim_r,
                                          p_chg, wm_f, wm_r, slip_stiff_f, slip_stiff_r, out_e, True)
            if force > 0.0 and p_elec > p_dis:
                # the battery's discharge limit: undo, scale the force down until the power fits, redo
                out_e[:] = snap
                ctl_state[CS_SPLIT_PREV] = saved
                p_aux = vp[P_AUX_W]
                force *= max(p_dis - p_aux, 0.0) / max(p_elec - p_aux, 1e-9)
                limited = True
                a_k = (force - f_drag - f_roll - f_grade) / m_eff
                vel = max(vel_start + 0.5 * a_k * h, 0.0)
                p_elec, f_brake = _powertrain(force, vel, h, vp, mc_f, mc_r, cp, ctl_state, mu, fz_f, fz_r, lim_f,
                                              lim_r, p_chg, wm_f, wm_r, slip_stiff_f, slip_stiff_r, out_e, True)
            if limited:
                v_car = max(vel_start + a_k * h, 0.0)
                lagging = True
            else:
                v_car = v[k] + acc * (j + 1) * h
                lagging = False
            if f_brake > 0.0:
                out_e[E_BRAKE] += f_brake * vel * h
            p_elec = min(p_elec, p_dis)
            voc = open_circuit_voltage(soc, bc)
            i_b = current_from_power(p_elec, voc, bc[B_R_OHM])
            soc += soc_rate(i_b, bc) * h
            p_term = voc * i_b - bc[B_R_OHM] * i_b * i_b
            out_e[E_CHEM] += voc * i_b * h
            out_e[E_BLOSS] += bc[B_R_OHM] * i_b * i_b * h
            if p_term < 0.0:
                out_e[E_REGEN] -= p_term * h
            out_e[E_AERO] += f_drag * vel * h
            out_e[E_ROLL] += f_roll * vel * h
            out_e[E_GRADE] += f_grade * vel * h
            out_e[E_AUX] += vp[P_AUX_W] * h
            dist += vel * h
            p_batt_sum += p_term
        if not lagging:
            v_car = v[k + 1]
        out_log[row, 0] = t[k + 1]
        out_log[row, 1] = v[k + 1]
        out_log[row, 2] = p_batt_sum / subs
        out_log[row, 5] = soc
        out_log[row, 6] = dist
        out_log[row, 7] = v_car
        row += 1
    return soc, QS_DONE, row


def run_fast(vehicle, cycle, controller, mu_scale: float = 1.0):
    """Run the quasi-static model; returns a Result with energy accumulators like a dynamic run.

    Channels: time, vx (the car's speed), trace_speed, battery_power, soc, distance (the car's).
    `info["events"]` holds a `battery_empty` event when the pack ran empty (the run stops there);
    `info["followed_trace"]` says whether the car kept to the trace at every sub-step.
    `mu_scale` is the road's friction relative to the tire data (the surface)."""
    from twinmotor.citations import register
    from twinmotor.control import make_controller
    from twinmotor.control.interface import CompiledController
    from twinmotor.simulation.assemble import assemble
    from twinmotor.simulation.result import Result
    from twinmotor.simulation.runner import register_run_citations
    from twinmotor.tire.mf61 import slip_stiffness

    model = assemble(vehicle)
    ctl = make_controller(controller, vehicle)
    register_run_citations(vehicle, ctl)
    register(*CITATIONS)
    if hasattr(ctl, "user_settings"):
        from twinmotor.control.params import check_settings_apply

        check_settings_apply(ctl.name, vehicle, ctl.user_settings)
    # the fast model uses the twin-motor controllers' allocation; others get the baseline's logic
    if not (isinstance(ctl, CompiledController) and hasattr(ctl, "PRESET")):
        ctl = make_controller("baseline", vehicle)
    cp = ctl.params(vehicle).copy()
    cp[CP_MU_F] *= mu_scale
    cp[CP_MU_R] *= mu_scale
    vp = model.vp
    wb = vehicle.wheelbase_m
    fz_f, fz_r = static_tire_loads(vehicle.mass_kg, G_M_S2, vehicle.cg_to_front_axle_m, vehicle.cg_to_rear_axle_m, wb)
    cs_f = 2.0 * slip_stiffness(model.tp_f, fz_f)[0]
    cs_r = 2.0 * slip_stiffness(model.tp_r, fz_r)[0]
    grade = cycle.grade if cycle.grade is not None else np.zeros_like(cycle.time_s)
    out_e = np.zeros(N_E)
    log = np.zeros((cycle.time_s.size - 1, 8))
    args = (np.ascontiguousarray(cycle.time_s, dtype=np.float64), np.ascontiguousarray(cycle.speed_m_s, dtype=np.float64),
            np.ascontiguousarray(grade, dtype=np.float64), vp, model.mc_f, model.mc_r, model.bc, cp, cs_f, cs_r,
            vehicle.battery.initial_soc)
    warm = (args[0][:2].copy(), args[1][:2].copy(), args[2][:2].copy()) + args[3:]
    quasi_static(*warm, np.zeros(N_E), np.zeros((1, 8)))  # compile (or load) before timing, on a 2-point trace
    t0 = time.perf_counter()
    _soc, status, rows = quasi_static(*args, out_e, log)
    wall = time.perf_counter() - t0
    log = log[:rows]
    channels = {"time": log[:, 0], "vx": log[:, 7], "trace_speed": log[:, 1], "battery_power": log[:, 2],
                "soc": log[:, 5], "distance": log[:, 6]}
    energy = {name: float(out_e[i]) for name, i in _E.items()}
    sim_time = cycle.duration_s if status == QS_DONE else float(log[-1, 0]) if rows else 0.0
    res = Result(vehicle=vehicle.name, test=f"cycle-{cycle.name}", controller=getattr(ctl, "name", "?"),
                 surface="dry", channels=channels, wall_time_s=wall, simulated_time_s=sim_time,
                 energy_j=energy)
    events = []
    if status == QS_BATTERY_EMPTY:
        events.append({"kind": "battery_empty", "time_s": sim_time,
                       "message": f"the battery ran empty at t = {sim_time:.0f} s after {log[-1, 6] / 1000.0:.1f} km "
                                  f"(initial SOC {vehicle.battery.initial_soc:g}): the run stops there"})
    res.info["events"] = events
    res.info["followed_trace"] = bool(status == QS_DONE and np.array_equal(log[:, 7], log[:, 1]))
    res.info["model"] = model
    res.info["fidelity"] = "fast"
    return res
