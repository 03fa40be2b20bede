"""The compiled chassis controller and its two configurations.

One step function composes the layers (pedal interpretation, estimation, allocation, slip
control, yaw control, regenerative blending, comfort shaping); the settings switch layers on
or off, so the same code is both controllers and any ablation in between:

- `baseline`: what a production car without twin-motor control has. Pedal map, traction control
  on the driven axle(s) by motor torque, ABS, brake-based stability control (ESC), regeneration on
  the driven axle(s) blended with friction brakes. An AWD car keeps a fixed split (`split_front`).
- `integrated`: all layers on: loss-minimising split at light load, load-following split when
  traction limits, yaw control by split and single-wheel braking, brake-based limited slip on
  split friction, level-body regeneration (rear first), jerk limit, pitch damping and soft stops.

Measurements used: wheel speeds, IMU accelerations, yaw and pitch rates, steering angle, motor
speeds and torque limits, battery charge limit; speed, sideslip and road friction from the
estimation layer.
"""

from __future__ import annotations

import numba
import numpy as np

from twinmotor.constants import G_M_S2
from twinmotor.control import comfort, disconnect, estimation
from twinmotor.control.allocation import axle_torques, efficient_split, load_split
from twinmotor.control.comfort import pitch_input_shaper, pitch_split_shift, shaped_force, soft_stop
from twinmotor.control.disconnect import connect_step, secondary_axle
from twinmotor.control.estimation import (
    WHEEL_SPEEDS,
    YAW_RATE_OFFSET,
    axle_loads,
    compensated_accelerations,
    estimate,
    road_friction,
)
from twinmotor.control.interface import CompiledController
from twinmotor.control.params import (
    CP_ABS_KI,
    CP_ABS_KP,
    CP_ABS_SLIP,
    CP_ADAPTIVE_SLIP,
    CP_BMAX_F,
    CP_BMAX_R,
    CP_COMFORT,
    CP_EFF_SPLIT,
    CP_ESC,
    CP_G,
    CP_GF,
    CP_GMA_RATE,
    CP_GR,
    CP_HAS_F,
    CP_HAS_R,
    CP_LSD,
    CP_LSD_KP,
    CP_LSD_MARGIN,
    CP_MASS,
    CP_MU_F,
    CP_MU_R,
    CP_RF,
    CP_RR,
    CP_SLIP_PEAK,
    CP_SPLIT,
    CP_TC_KI,
    CP_TC_KP,
    CP_TC_SLIP,
    CP_TF,
    CP_TR,
    CP_TRACTION_SPLIT,
    CP_VMIN,
    CP_WHEEL_FILTER,
    CP_YAW_KI,
    CP_YAW_SPLIT,
    CP_YAW_SPLIT_GAIN,
    CS_ABS,
    CS_DECEL_PREV,
    CS_ESC_INT,
    CS_EST,
    CS_FORCE_PREV,
    CS_GMA,
    CS_SCRATCH,
    CS_SPLIT_PREV,
    CS_TC,
    CS_WHEEL_F,
    CS_WHEEL_F_ON,
    N_PARAMS,
    N_STATE,
    check_settings,
    check_settings_apply,
    controller_params,
)
from twinmotor.control.pedal import longitudinal_demand
from twinmotor.control.regen import blend
from twinmotor.control.slip import slip_pi, wheel_slip
from twinmotor.control.yaw import (
    reference_yaw_rate,
    yaw_brake_release,
    yaw_brake_torques,
    yaw_moment_demand,
    yaw_split_shift,
)
from twinmotor.layout import (
    C_DISC,
    C_TB,
    C_TM_F,
    CTL_TWIN_MOTOR,
    D_BRAKE,
    D_THROTTLE,
    E_BETA,
    E_V,
    M_AY,
    M_MOTOR_LIMIT,
    M_P_CHG,
    M_PITCH_RATE,
    M_STEER,
    M_YAW_RATE,
)
from twinmotor.powertrain.motor import N_MOTOR

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("vanzanten2000bosch", "kiencke2005automotive")

#: utilisation of the road's friction (force demand / (mu m g)) over which the allocation moves
#: from the efficient split to the load-following split
TRACTION_BLEND_START, TRACTION_BLEND_END = 0.2, 0.5
#: below this drive demand [m/s^2] pitch damping leaves the split alone (so an idle motor stays off)
PITCH_DAMPING_MIN_ACCEL = 0.1 * G_M_S2


#: the disconnect decision reads wheel slip only above this speed [m/s], and the stability layer's
#: yaw moment only beyond this [N*m] (sensor noise must not keep the secondary axle engaged)
DISCONNECT_SLIP_MIN_SPEED_M_S = 5.0
DISCONNECT_YAW_MOMENT_NM = 200.0
#: regeneration acts through the open differential on both wheels alike, so on split friction the
#: low side locks first: its cut is this many times faster than traction control (the motor's
#: torque falls in milliseconds, unlike brake pressure)
REGEN_CUT_GAIN = 4.0
#: extra braking slip [-] beyond the ABS target before regeneration is cut
REGEN_SLIP_MARGIN = 0.03

#: the adaptive slip target never falls below this share of the dry peak slip: an estimate of the
#: road's friction that is too low must not starve the drive
ADAPTIVE_SLIP_MIN_RATIO = 0.25
#: share of the tire's peak slip the adaptive slip target aims at while driving (margin for
#: lateral grip): motor-torque traction control holds its target smoothly
ADAPTIVE_SLIP_SHARE = 0.9
#: ... and while braking: ABS modulates brake pressure in cycles that overshoot the target, so it
#: aims lower to keep the overshoot on the rising side of the curve (at 0.9 the dry 100-0 km/h
#: stop took 41.9 m against 40.9 m at 0.8, typical sensors, mean of 3 seeds)
ADAPTIVE_SLIP_SHARE_BRAKE = 0.8


@numba.njit(cache=True)
def adaptive_slip_target(p, mu: float, share: float = ADAPTIVE_SLIP_SHARE) -> float:
    """Slip target [-] at `share` of the tire's peak slip: the Magic Formula's peak slip falls in
    proportion to the road's friction (Bx = Kx/(C D) grows as D shrinks), so the target scales
    with mu/mu_tire."""
    mu_tire = min(p[CP_MU_F], p[CP_MU_R])
    ratio = min(max(mu / mu_tire, ADAPTIVE_SLIP_MIN_RATIO), 1.0) if mu_tire > 0.0 else 1.0
    return share * p[CP_SLIP_PEAK] * ratio


@numba.njit(cache=True)
def drive_split(p, s, demand, v, mu, fz_f, fz_r, lim_f, lim_r, mc_f, mc_r) -> float:
    """Front share (0-1) of a drive force demand [N] for a twin-motor car, before yaw and comfort
    corrections: the fixed split, or (integrated) the loss-minimising split at light load moving to
    the load-following split as the demand approaches the road's friction. Also used by the fast
    energy model, so both fidelities allocate alike."""
    split = p[CP_SPLIT]
    w = 0.0  # weight of the load-following split
    if p[CP_TRACTION_SPLIT] > 0.5:
        use = demand / max(mu * p[CP_MASS] * p[CP_G], 1.0)
        w = min(max((use - TRACTION_BLEND_START) / (TRACTION_BLEND_END - TRACTION_BLEND_START), 0.0), 1.0)
    # (near the friction limit the load split alone counts: the loss search is skipped there)
    if p[CP_EFF_SPLIT] > 0.5 and demand > 0.0 and w < 1.0:
        # motor speeds from the car's speed, not the measured ones: driveline oscillation after a
        # switch must not feed back into the choice
        wm_f = max(v, 0.0) / p[CP_RF] * p[CP_GF]
        wm_r = max(v, 0.0) / p[CP_RR] * p[CP_GR]
        split = efficient_split(p, mc_f, mc_r, demand, wm_f, wm_r, lim_f, lim_r, s[CS_SPLIT_PREV])
        s[CS_SPLIT_PREV] = split
    if w > 0.0:
        split = (1.0 - w) * split + w * load_split(fz_f, fz_r)
    return split


@numba.njit(cache=True)
def chassis_control_step(p, s, meas, drv, dt, cmd, est):
    """One step of the twin-motor chassis controller: estimation, driver interpretation, front/rear
    allocation, slip control, yaw control, regeneration blending and comfort shaping. Reads only
    the measurements `meas` (never the truth entries) and the driver's pedals; writes the commands
    into `cmd` and its estimates into `est`."""
    mc_f = p[N_PARAMS:N_PARAMS + N_MOTOR]
    mc_r = p[N_PARAMS + N_MOTOR:N_PARAMS + 2 * N_MOTOR]
    estimate(p, s, meas, dt, est)
    v, beta = est[E_V], est[E_BETA]
    mu = road_friction(est)
    r = meas[M_YAW_RATE] - s[CS_EST + YAW_RATE_OFFSET]  # the gyro's learnt offset removed
    steer = meas[M_STEER]
    has_f = p[CP_HAS_F] > 0.5
    has_r = p[CP_HAS_R] > 0.5
    lim_f = meas[M_MOTOR_LIMIT] if has_f else 0.0
    lim_r = meas[M_MOTOR_LIMIT + 1] if has_r else 0.0
    fz_f, fz_r = axle_loads(p, compensated_accelerations(p, meas)[0])
    v_min = p[CP_VMIN]
    tc_slip = p[CP_TC_SLIP]
    abs_slip = p[CP_ABS_SLIP]
    if p[CP_ADAPTIVE_SLIP] > 0.5:
        tc_slip = adaptive_slip_target(p, mu)
        abs_slip = adaptive_slip_target(p, mu, ADAPTIVE_SLIP_SHARE_BRAKE)

    # ---- 1. driver interpretation, 7. comfort shaping of the demand
    max_drive = (lim_f * p[CP_GF] / p[CP_RF] if has_f else 0.0) + (lim_r * p[CP_GR] / p[CP_RR] if has_r else 0.0)
    demand = longitudinal_demand(p, drv[D_THROTTLE], drv[D_BRAKE], v, max_drive)
    if p[CP_COMFORT] > 0.5:
        if demand < 0.0:
            demand = -p[CP_MASS] * soft_stop(p, -demand / p[CP_MASS], v)
        demand = shaped_force(p, pitch_input_shaper(p, s, demand, dt), s[CS_FORCE_PREV], dt)
    s[CS_FORCE_PREV] = demand

    # ---- 5. yaw control: reference and corrective moment
    r_ref = reference_yaw_rate(p, v, steer, mu)
    for i in range(4):
        cmd[C_TB + i] = 0.0
    mz = 0.0
    if p[CP_ESC] > 0.5 and v > 3.0:
        mz = yaw_moment_demand(p, s, CS_ESC_INT, r_ref, r, beta, dt)

    # wheel speeds through a first-order low-pass (noise of real sensors; transparent when ideal)
    k_f = dt / (p[CP_WHEEL_FILTER] + dt)
    if s[CS_WHEEL_F_ON] == 0.0:
        for i in range(4):
            s[CS_WHEEL_F + i] = s[CS_EST + WHEEL_SPEEDS + i]
        s[CS_WHEEL_F_ON] = 1.0
    wheel_slips = s[CS_SCRATCH:CS_SCRATCH + 4]
    for i in range(4):
        s[CS_WHEEL_F + i] += k_f * (s[CS_EST + WHEEL_SPEEDS + i] - s[CS_WHEEL_F + i])
        wheel_slips[i] = wheel_slip(s[CS_WHEEL_F + i], p[CP_RF] if i < 2 else p[CP_RR], v, v_min)

    # ---- 8. the secondary axle's disconnect unit: engaged when it is, or is about to be, needed
    sec = secondary_axle(p)
    if sec >= 0:
        i0 = 2 * (1 - sec)
        # below DISCONNECT_SLIP_MIN_SPEED_M_S the tone wheels are too coarse to call a slip, and
        # the stability layer counts as a need once it asks for a real yaw moment
        slip_primary = max(abs(wheel_slips[i0]), abs(wheel_slips[i0 + 1])) if v > DISCONNECT_SLIP_MIN_SPEED_M_S else 0.0
        yaw_need = abs(mz) > DISCONNECT_YAW_MOMENT_NM
        cmd[C_DISC + sec] = float(connect_step(p, s, mc_f, mc_r, demand, v, mu, slip_primary, meas[M_AY], yaw_need, dt))

    if demand >= 0.0:
        s[CS_GMA] = 0.0
        # ---- 3. front/rear allocation
        if has_f and has_r:
            split = drive_split(p, s, demand, v, mu, fz_f, fz_r, lim_f, lim_r, mc_f, mc_r)
            if p[CP_YAW_SPLIT] > 0.5 and v > 3.0:
                split += yaw_split_shift(p, p[CP_YAW_SPLIT_GAIN], r_ref, r)
            if p[CP_COMFORT] > 0.5 and demand > PITCH_DAMPING_MIN_ACCEL * p[CP_MASS]:
                split += pitch_split_shift(p, demand, meas[M_PITCH_RATE])
            split = min(max(split, 0.0), 1.0)
        else:
            split = 1.0 if has_f else 0.0
        tf, tr = axle_torques(p, demand, split, lim_f, lim_r)
        cuts = s[CS_SCRATCH + 4:CS_SCRATCH + 6]
        cuts[0] = 0.0
        cuts[1] = 0.0
        # ---- 4. traction control by motor torque, per axle
        for axle in range(2):
            k_hi = max(wheel_slips[2 * axle], wheel_slips[2 * axle + 1])
            k_lo = min(wheel_slips[2 * axle], wheel_slips[2 * axle + 1])
            k_ctl = k_hi
            if p[CP_LSD] > 0.5:
                # brake-based limited slip: brake the spinning wheel, control the axle on the other
                diff = k_hi - k_lo
                if diff > p[CP_LSD_MARGIN] and k_hi > tc_slip:
                    i_spin = 2 * axle if wheel_slips[2 * axle] > wheel_slips[2 * axle + 1] else 2 * axle + 1
                    bmax = p[CP_BMAX_F] if axle == 0 else p[CP_BMAX_R]
                    t_lsd = min(p[CP_LSD_KP] * (diff - p[CP_LSD_MARGIN]), bmax)
                    # braking the spinning wheel turns the car toward it; give way to the yaw layer
                    toward = 1.0 if i_spin % 2 == 0 else -1.0
                    half_track = 0.5 * (p[CP_TF] if axle == 0 else p[CP_TR])
                    radius = p[CP_RF] if axle == 0 else p[CP_RR]
                    opposing = max(-mz * toward, 0.0)
                    t_lsd = max(t_lsd - opposing / half_track * radius, 0.0)
                    cmd[C_TB + i_spin] += t_lsd
                    k_ctl = max(k_lo + p[CP_LSD_MARGIN], k_hi - 0.5 * diff)
            cut, s[CS_TC + axle] = slip_pi(k_ctl - tc_slip, s[CS_TC + axle], p[CP_TC_KP], p[CP_TC_KI], dt)
            cuts[axle] = cut
        tf_cut = tf * (1.0 - cuts[0])
        tr_cut = tr * (1.0 - cuts[1])
        if p[CP_TRACTION_SPLIT] > 0.5 and has_f and has_r:
            # what traction control takes from one axle goes to the other while that one grips
            cf = p[CP_RF] / p[CP_GF]
            cr = p[CP_RR] / p[CP_GR]
            if cuts[0] > 0.0 and cuts[1] == 0.0:
                tr_cut = min(tr_cut + (tf - tf_cut) / cf * cr, lim_r)
            elif cuts[1] > 0.0 and cuts[0] == 0.0:
                tf_cut = min(tf_cut + (tr - tr_cut) / cr * cf, lim_f)
        cmd[C_TM_F] = tf_cut
        cmd[C_TM_F + 1] = tr_cut
        if mz != 0.0:
            yaw_brake_torques(p, mz, r, cmd[C_TB:C_TB + 4])
        for i in range(4):
            s[CS_ABS + i] = 0.0
    else:
        # ---- 6. regenerative braking blended with friction brakes
        force = -demand
        reg_f, reg_r, fr_f, fr_r = blend(p, force, v, lim_f, lim_r, meas[M_P_CHG], fz_f, fz_r, mu)
        # slip control of regeneration by motor torque: the cut force moves to the friction brakes
        for axle in range(2):
            k_lo = min(wheel_slips[2 * axle], wheel_slips[2 * axle + 1])
            # ABS on the friction brakes acts first; regeneration is cut only past a wider target
            cut, s[CS_TC + axle] = slip_pi(-k_lo - abs_slip - REGEN_SLIP_MARGIN, s[CS_TC + axle],
                                           REGEN_CUT_GAIN * p[CP_TC_KP], REGEN_CUT_GAIN * p[CP_TC_KI], dt)
            if axle == 0:
                fr_f += reg_f * cut
                reg_f *= 1.0 - cut
            else:
                fr_r += reg_r * cut
                reg_r *= 1.0 - cut
        cf = p[CP_RF] / p[CP_GF] if has_f else 0.0
        cr = p[CP_RR] / p[CP_GR] if has_r else 0.0
        cmd[C_TM_F] = -reg_f * cf
        cmd[C_TM_F + 1] = -reg_r * cr
        for i in range(4):
            front = i < 2
            t_dem = 0.5 * (fr_f if front else fr_r) * (p[CP_RF] if front else p[CP_RR])
            t_dem = min(t_dem, p[CP_BMAX_F] if front else p[CP_BMAX_R])
            # ---- 4. ABS per wheel on the friction brakes
            if v > 2.0 and t_dem > 0.0:
                cut, s[CS_ABS + i] = slip_pi(-wheel_slips[i] - abs_slip, s[CS_ABS + i], p[CP_ABS_KP],
                                             p[CP_ABS_KI], dt)
            else:
                cut = 0.0
                s[CS_ABS + i] = 0.0
            cmd[C_TB + i] += t_dem * (1.0 - cut)
        # select-low on the rear axle, and the front high side may exceed the low side only by
        # what the yaw-moment build-up delay has allowed so far (production ABS practice)
        rear = min(cmd[C_TB + 2], cmd[C_TB + 3])
        cmd[C_TB + 2] = rear
        cmd[C_TB + 3] = rear
        s[CS_GMA] += p[CP_GMA_RATE] * dt
        low_f = min(cmd[C_TB], cmd[C_TB + 1])
        cmd[C_TB] = min(cmd[C_TB], low_f + s[CS_GMA])
        cmd[C_TB + 1] = min(cmd[C_TB + 1], low_f + s[CS_GMA])
        if mz != 0.0:
            # heading hold (the integral) stays with the driver while braking: releasing brakes
            # for it would give away stopping distance on split friction
            rest = yaw_brake_release(p, mz - p[CP_YAW_KI] * s[CS_ESC_INT], cmd[C_TB:C_TB + 4])
            # what releasing cannot give (little friction braking, e.g. e-Pedal regeneration) comes
            # from braking single wheels, as when driving
            if rest != 0.0:
                yaw_brake_torques(p, rest, r, cmd[C_TB:C_TB + 4])
    s[CS_DECEL_PREV] = demand


BASELINE_SETTINGS = {
    "yaw_split": 0.0, "brake_lsd": 0.0, "regen_level": 0.0, "efficiency_split": 0.0, "traction_split": 0.0,
    "comfort": 0.0, "adaptive_slip": 0.0, "disconnect_control": 0.0,
}
INTEGRATED_SETTINGS = {
    "yaw_split": 1.0, "brake_lsd": 1.0, "regen_level": 1.0, "efficiency_split": 1.0, "traction_split": 1.0,
    "comfort": 1.0, "adaptive_slip": 1.0, "esc_deadband_rad_s": 0.02,
    # no heading hold (yaw_ki_nm_rad stays 0, available for experiments): with the typical sensors
    # its integral of gyro and steering-sensor noise braked single wheels on every straight run
    # (wet 0-100 km/h 5.53 s against 5.34 s without it, 24 Wh more brake loss on the WLTC), and
    # the driver holds the line on the split-mu launch as well without it (12.37 m against 12.39 m)
    # the brake LSD acts on tone-wheel speeds that arrive late and coarse: a softer gain and a wider
    # margin keep it from fighting the driveline (tuned with the typical sensor set)
    "lsd_kp": 1000.0, "lsd_slip_margin": 0.08,
    "disconnect_control": 1.0,
}


class _TwinMotorController(CompiledController):
    kind = CTL_TWIN_MOTOR
    citations = CITATIONS + estimation.CITATIONS + comfort.CITATIONS + disconnect.CITATIONS
    state_size = N_STATE
    PRESET: dict = {}

    def __init__(self, **settings):
        full = check_settings(self.name, {**self.PRESET, **settings})
        super().__init__(**full)
        #: what the user set (the preset's own values are not the user's doing)
        self.user_settings = dict(settings)

    def reset(self, vehicle) -> None:
        check_settings_apply(self.name, vehicle, self.user_settings)
        super().reset(vehicle)

    def params(self, vehicle) -> np.ndarray:
        from twinmotor.simulation.assemble import assemble

        model = assemble(vehicle)
        p = controller_params(vehicle, self.settings)
        return np.concatenate([p, model.mc_f, model.mc_r])

    def compiled_step(self):
        return chassis_control_step


class BaselineController(_TwinMotorController):
    """Production-car control without twin-motor integration (see module docstring)."""

    name = "baseline"
    PRESET = BASELINE_SETTINGS


class IntegratedController(_TwinMotorController):
    """The integrated twin-motor controller: every layer on (see module docstring)."""

    name = "integrated"
    PRESET = INTEGRATED_SETTINGS
