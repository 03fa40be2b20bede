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
from twinmotor.control.disconnect import connect_step, secondary_axle
from twinmotor.control.params import CP_H, CP_MU_F, CP_MU_R, CS_SPLIT_PREV, N_STATE
from twinmotor.control.regen import blend
from twinmotor.control.twin_motor import drive_split
from twinmotor.layout import (
    P_ACTUATION_J,
    P_AUX_W,
    P_DRAG_K,
    P_ENGAGE_T,
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
    P_OPEN_DRAG,
    P_RADIUS_F,
    P_RADIUS_R,
    P_RELEASE_T,
    P_RR_F,
    P_RR_R,
    P_WHEEL_DRAG,
    X_NAMES,
)
from twinmotor.models.single_track import static_tire_loads
from twinmotor.powertrain.battery import B_R_OHM, current_from_power, open_circuit_voltage, power_limits, soc_rate
from twinmotor.powertrain.gearbox import axle_torque
from twinmotor.powertrain.motor import (
    ACTIVE_LOSS_TORQUE_NM,
    M_EXC_W,
    M_INERTIA,
    drag_torque,
    drag_torque_at_flux,
    electrical_losses,
    torque_limit,
)
from twinmotor.simulation.plant import spin_loss_torque

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("brooker2015fastsim",)

#: sub-steps per second of trace. The trace is linear between its 1 Hz points, so the inertial
#: force is constant over a second and the midpoint rule integrates the smooth road-load and loss
#: terms closely: 2 sub-steps give each cycle's energy within 0.03 % of 10 sub-steps (UDDS, HWFET,
#: WLTC, US06 on the four LEAF presets), at a fifth of the cost
SUBSTEPS_PER_S = 2
#: ... except for a car with a disconnect unit: its engage and release times (0.1-0.3 s) and the
#: controller's hold timers need finer steps (at 2 sub-steps the WLTC energy moves by 0.8 %)
SUBSTEPS_PER_S_DISCONNECT = 10

# indices of the energy accumulators, same names as the dynamic simulator's state
_E = {n[2:]: i for i, n in enumerate([n for n in X_NAMES if n.startswith("e_")])}
N_E = len(_E)
E_CHEM, E_BLOSS, E_REGEN, E_CU, E_DRAG, E_INV, E_GEAR, E_BRAKE, E_SLIP, E_AERO, E_ROLL, E_AUX, E_DAMP, E_GRADE = (
    _E["battery_chemical"], _E["battery_loss"], _E["battery_regen"], _E["motor_copper"], _E["motor_drag"],
    _E["inverter"], _E["gear"], _E["brake"], _E["tire_slip"], _E["aero"], _E["rolling"], _E["aux"], _E["damper"],
    _E["grade"])
E_OUT, E_MREGEN = _E["motor_out_front"], _E["motor_regen_front"]
E_EXC, E_SPIN, E_DISC = _E["excitation"], _E["spin"], _E["disconnect"]
#: counters of the disconnect unit: seconds engaged, engagements, seconds waiting for an engagement
N_COUNT = 3
#: columns of the per-second log: time, trace speed, battery power, -, -, soc, distance, car speed,
#: coupling of the secondary axle
N_LOG = 9


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
                slip_stiff_f, slip_stiff_r, drive_on, spinning, out_e, accumulate):
    """Electrical power [W] (motors and auxiliaries) for a wheel force `force` [N] at speed `vel`,
    through the controller's allocation and the motor, inverter and gear models; adds the energies
    of the sub-step `h` to out_e when `accumulate`. Returns (p_elec, f_brake).

    drive_on: per axle, whether its motor can make torque (it has one, and a disconnect unit there is
    fully engaged); spinning: whether its motor turns with the wheels (a disconnect unit not open)."""
    radius = (vp[P_RADIUS_F], vp[P_RADIUS_R])
    f_front = 0.0
    f_rear = 0.0
    f_brake = 0.0
    # the motors give all of it: rolling resistance acts on the wheels as a torque (as in the plant)
    f_motor = force
    if f_motor >= 0.0:
        if drive_on[0] and drive_on[1]:
            split = drive_split(cp, ctl_state, f_motor, vel, mu, fz_f, fz_r, lim_f, lim_r, mc_f, mc_r)
        else:
            split = 1.0 if drive_on[0] else 0.0
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
    idle = (spinning[0] and spinning[1] and f_front == 0.0 and f_rear != 0.0,
            spinning[0] and spinning[1] and f_rear == 0.0 and f_front != 0.0)
    for a in range(2):
        if idle[a]:
            mc = mc_f if a == 0 else mc_r
            wm = wm_f if a == 0 else wm_r
            # an idle induction / wound-rotor motor is not excited: only its bearings drag
            t_idle = drag_torque_at_flux(wm, mc, 0.0) + spin_loss_torque(wm, vp, a)
            t_axle_idle, _loss = axle_torque(t_idle, wm, vp[P_GEAR_F + a], vp[P_GEAR_EFF_F + a])
            if a == 0:
                f_rear -= t_axle_idle / radius[0]
            else:
                f_front -= t_axle_idle / radius[1]
    for a in range(2):
        fa = f_front if a == 0 else f_rear
        if not spinning[a]:
            continue
        mc = mc_f if a == 0 else mc_r
        gr = vp[P_GEAR_F + a]
        eff = vp[P_GEAR_EFF_F + a]
        wm = wm_f if a == 0 else wm_r
        t_drag = drag_torque_at_flux(wm, mc, 0.0 if (idle[a] or not drive_on[a]) else 1.0)
        t_spin = spin_loss_torque(wm, vp, a)
        if idle[a] or not drive_on[a]:
            t_em = 0.0
            t_shaft = t_drag + t_spin
        else:
            t_shaft = shaft_torque_for(fa * radius[a], gr, eff)
            t_em = t_shaft - t_drag - t_spin
        lim = lim_f if a == 0 else lim_r
        t_em = min(max(t_em, -lim), lim)
        cu, inv = electrical_losses(t_em, wm, mc)
        # an induction / wound-rotor machine making torque is excited (in steady state)
        exc = mc[M_EXC_W] * min(abs(t_em) / ACTIVE_LOSS_TORQUE_NM, 1.0)
        pm = t_em * wm + cu + inv + exc
        p_elec += pm
        if accumulate:
            out_e[E_SPIN] += -t_spin * wm * h
            out_e[E_CU] += cu * h
            out_e[E_INV] += inv * h
            out_e[E_EXC] += exc * h
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
def quasi_static(t, v, grade, vp, mc_f, mc_r, bc, cp, slip_stiff_f, slip_stiff_r, soc0, out_e, out_log, out_count,
                 substeps_per_s=SUBSTEPS_PER_S):
    """Integrate the cycle; energies [J] into out_e (layout of _E), the disconnect unit's time engaged
    [s], engagements and time waiting to engage [s] into out_count, and per second into out_log
    columns (N_LOG): time, trace speed, battery power, (unused), (unused), soc, distance, car speed,
    coupling of the secondary axle.

    The car follows the trace while the motors' torque envelope, the road's friction (drive and
    brake forces within mu Fz of the axles) and the battery's discharge limit allow; where they do
    not, it gives what they allow and falls behind (or, braking, overshoots) the trace, catching
    up again when it can, as the dynamic model's driver does. At an empty battery it stops.

    A disconnect unit follows the controller's connect decision (control.disconnect) with its
    engage and release times; while open the secondary drive unit stands still (and its axle gives
    no drive force). The flux build-up of induction and wound-rotor motors is left out (steady
    state: excited while making torque).
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
    sec = secondary_axle(cp)
    cpl = 1.0
    f_wheel_drag = 2.0 * vp[P_WHEEL_DRAG] / rf + 2.0 * vp[P_WHEEL_DRAG + 1] / rr
    n = t.shape[0]
    row = 0
    lagging = False  # the car is off the trace (a limit held it back) and catching up
    v_car = v[0]
    snap = np.zeros(out_e.shape[0])
    for k in range(n - 1):
        dt_k = t[k + 1] - t[k]
        subs = max(int(round(dt_k * substeps_per_s)), 1)
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
                out_log[row, 8] = cpl
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
            f_wd = f_wheel_drag if vel > 0.01 else 0.0
            force = m_eff * a_k + f_drag + f_roll + f_grade + f_wd
            # the secondary axle's disconnect unit: the controller's decision, the unit's travel
            coupled = (True, True)
            f_open = 0.0
            if sec >= 0:
                cmd_open = connect_step(cp, ctl_state, mc_f, mc_r, force, vel, mu, 0.0, 0.0, False, h)
                w_sec = vel / radius[sec] * vp[P_GEAR_F + sec]
                j_rot = (mc_f if sec == 0 else mc_r)[M_INERTIA]
                if cmd_open == 1 and cpl > 0.0:
                    t_rel = vp[P_RELEASE_T + sec]
                    cpl = cpl - h / t_rel if t_rel > 0.0 else 0.0
                    if cpl <= 0.0:
                        cpl = 0.0
                        out_e[E_DISC] += 0.5 * j_rot * w_sec * w_sec + vp[P_ACTUATION_J + sec]
                        out_e[E_CHEM] += vp[P_ACTUATION_J + sec]
                elif cmd_open == 0 and cpl < 1.0:
                    t_eng = vp[P_ENGAGE_T + sec]
                    if t_eng > 0.0:
                        p_sync = (0.5 * j_rot * w_sec * w_sec + vp[P_ACTUATION_J + sec]) / t_eng
                        out_e[E_DISC] += p_sync * h
                        out_e[E_CHEM] += p_sync * h
                        out_count[2] += h
                    cpl = cpl + h / t_eng if t_eng > 0.0 else 1.0
                    if cpl >= 1.0:
                        cpl = 1.0
                        out_count[1] += 1.0
                        out_e[E_DISC] -= 0.5 * j_rot * w_sec * w_sec
                on = cpl >= 1.0 or (cpl > 0.0 and cmd_open == 1)
                if cpl >= 1.0:
                    out_count[0] += h
                coupled = (on, True) if sec == 0 else (True, on)
                if not on and vel > 0.01:
                    f_open = vp[P_OPEN_DRAG + sec] / radius[sec]
                    force += f_open
                    out_e[E_SPIN] += f_open * vel * h
            drive_on = (has[0] and coupled[0] and (sec != 0 or cpl >= 1.0),
                        has[1] and coupled[1] and (sec != 1 or cpl >= 1.0))
            spinning = (has[0] and coupled[0], has[1] and coupled[1])
            # the road load the force works against (all but the inertia)
            f_res = f_drag + f_roll + f_grade + f_wd + f_open
            wm_f = vel / rf * vp[P_GEAR_F] if has[0] else 0.0
            wm_r = vel / rr * vp[P_GEAR_F + 1] if has[1] else 0.0
            lim_f = torque_limit(wm_f, mc_f) if drive_on[0] else 0.0
            lim_r = torque_limit(wm_r, mc_r) if drive_on[1] else 0.0
            p_dis, p_chg = power_limits(soc, bc)
            # what the car can give: per driving axle (a disconnected one gives nothing) the lesser of
            # the motor envelope (through the gear) and the road's friction; braking, friction on all
            # four wheels
            f_drive_max = 0.0
            for a in range(2):
                if drive_on[a]:
                    lim = lim_f if a == 0 else lim_r
                    fz_a = fz_f if a == 0 else fz_r
                    # the shaft gives the electromagnetic limit less the motor's own drag (drag_torque
                    # is negative when turning forward), through the gear and its efficiency
                    f_motor_a = (lim + drag_torque(wm_f if a == 0 else wm_r, mc_f if a == 0 else mc_r)) \
                        * vp[P_GEAR_F + a] * vp[P_GEAR_EFF_F + a] / radius[a]
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
                a_k = (force - f_res) / m_eff
                vel = max(vel_start + 0.5 * a_k * h, 0.0)
            snap[:] = out_e
            saved = ctl_state[CS_SPLIT_PREV]
            p_elec, f_brake = _powertrain(force, vel, h, vp, mc_f, mc_r, cp, ctl_state, mu, fz_f, fz_r, lim_f, lim_r,
                                          p_chg, wm_f, wm_r, slip_stiff_f, slip_stiff_r, drive_on, spinning, out_e,
                                          True)
            if force > 0.0 and p_elec > p_dis:
                # the battery's discharge limit: undo, scale the force down until the power fits, redo
                out_e[:] = snap
                ctl_state[CS_SPLIT_PREV] = saved
                p_aux = vp[P_AUX_W]
                force *= max(p_dis - p_aux, 0.0) / max(p_elec - p_aux, 1e-9)
                limited = True
                a_k = (force - f_res) / m_eff
                vel = max(vel_start + 0.5 * a_k * h, 0.0)
                p_elec, f_brake = _powertrain(force, vel, h, vp, mc_f, mc_r, cp, ctl_state, mu, fz_f, fz_r, lim_f,
                                              lim_r, p_chg, wm_f, wm_r, slip_stiff_f, slip_stiff_r, drive_on, spinning,
                                              out_e, True)
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
            out_e[E_SPIN] += f_wd * vel * h
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
        out_log[row, 8] = cpl
        row += 1
    return soc, QS_DONE, row


def run_fast(vehicle, cycle, controller, mu_scale: float = 1.0, substeps_per_s: float | None = None):
    """Run the quasi-static model; returns a Result with energy accumulators like a dynamic run.

    Channels: time, vx (the car's speed), trace_speed, battery_power, soc, distance (the car's),
    coupling_secondary (0 open - 1 engaged; 1 without a disconnect unit).
    `info["events"]` holds a `battery_empty` event when the pack ran empty (the run stops there);
    `info["followed_trace"]` says whether the car kept to the trace at every sub-step.
    `info["disconnect"]` (a car with a disconnect unit) holds its time engaged [s], engagements and
    time waiting for an engagement [s] (procedures.base.disconnect_kpis).
    `mu_scale` is the road's friction relative to the tire data (the surface); `substeps_per_s`
    the integration sub-steps per second of trace (None: SUBSTEPS_PER_S, or
    SUBSTEPS_PER_S_DISCONNECT for a car with a disconnect unit)."""
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
    if substeps_per_s is None:
        substeps_per_s = SUBSTEPS_PER_S_DISCONNECT if secondary_axle(cp) >= 0 else SUBSTEPS_PER_S
    wb = vehicle.wheelbase_m
    fz_f, fz_r = static_tire_loads(vehicle.mass_kg, G_M_S2, vehicle.cg_to_front_axle_m, vehicle.cg_to_rear_axle_m, wb)
    cs_f = 2.0 * slip_stiffness(model.tp_f, fz_f)[0]
    cs_r = 2.0 * slip_stiffness(model.tp_r, fz_r)[0]
    grade = cycle.grade if cycle.grade is not None else np.zeros_like(cycle.time_s)
    out_e = np.zeros(N_E)
    out_count = np.zeros(N_COUNT)
    log = np.zeros((cycle.time_s.size - 1, N_LOG))
    args = (np.ascontiguousarray(cycle.time_s, dtype=np.float64), np.ascontiguousarray(cycle.speed_m_s, dtype=np.float64),
            np.ascontiguousarray(grade, dtype=np.float64), vp, model.mc_f, model.mc_r, model.bc, cp, cs_f, cs_r,
            vehicle.battery.initial_soc)
    warm = (args[0][:2].copy(), args[1][:2].copy(), args[2][:2].copy()) + args[3:]
    # compile (or load) before timing, on a 2-point trace
    quasi_static(*warm, np.zeros(N_E), np.zeros((1, N_LOG)), np.zeros(N_COUNT), float(substeps_per_s))
    t0 = time.perf_counter()
    _soc, status, rows = quasi_static(*args, out_e, log, out_count, float(substeps_per_s))
    wall = time.perf_counter() - t0
    log = log[:rows]
    channels = {"time": log[:, 0], "vx": log[:, 7], "trace_speed": log[:, 1], "battery_power": log[:, 2],
                "soc": log[:, 5], "distance": log[:, 6], "coupling_secondary": log[:, 8]}
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
    if secondary_axle(cp) >= 0:
        res.info["disconnect"] = {"connected_time_s": float(out_count[0]), "engagements": float(out_count[1]),
                                  "engage_wait_s": float(out_count[2])}
    return res
