"""Permanent-magnet synchronous traction motor with its inverter (e.g. Nissan's EM57).

The motor is described by a flat float64 coefficient array (build it with :func:`motor_coefficients`,
index it with the ``M_*`` constants) so the compiled simulation loop can call the ``@njit`` relations
below without Python objects.

Model
-----
Torque envelope (electromagnetic torque the inverter can command, both signs, both directions)::

    |T| <= T_pk                       for |w| <= w_base = P_pk / T_pk
    |T| <= P_pk / |w|                 for w_base < |w| <= w_fade = 0.98 w_max
    |T| falls linearly to 0           for w_fade < |w| <= w_max

Losses (one model whether the figures come from the parameter file or from a fitted efficiency map)::

    copper      P_cu   = k_cu T^2                       stator I^2 R, with I ~ T below base speed
    inverter    P_inv  = k_cond T^2 + k_sw |T|          conduction ~ I^2, switching ~ |I|
    iron        P_fe   = k_hys |w| + k_eddy w^2          hysteresis ~ f, eddy current ~ f^2
    friction    P_fr   = k_fric |w|                      bearings and windage, lumped

Iron and friction losses exist whenever the rotor spins (the magnets are always there), also at zero
torque command; they act on the shaft as a drag torque. Copper and inverter losses are paid by the
battery. Hence, with T the electromagnetic torque and T_drag the drag torque::

    shaft torque      T_shaft = T + T_drag(w)
    electrical power  P_el    = T w + P_cu + P_inv
    balance           P_el    = T_shaft w + P_cu + P_inv + P_fe + P_fr       (exact)

Field-weakening d-axis current (copper loss at zero torque above base speed) is not modelled.

Motor kinds (``Motor.kind``)::

    pmsm       magnets: core loss (hysteresis + eddy) whenever the rotor spins, also at zero torque
    induction  no magnets: core loss ~ flux^2, zero while unexcited; magnetising copper loss P_exc flux^2
               while excited; rotor bar copper (slip) loss adds to the T^2 term; flux builds with the
               rotor time constant before torque is available (torque limit x flux)
    eesm       wound rotor: like induction for core loss and build-up (field time constant), with the
               rotor field winding's I^2 R as P_exc flux^2; no rotor slip loss

The plant carries the flux (0-1) as a state; the quasi-static model and the controller's allocation
use the steady state (excited while making torque).

Efficiency map as a table: when ``efficiency_map_csv`` gives a full speed x torque grid, the plant
takes its losses from the table, bilinear in |speed| and |torque| (the motoring efficiency at |T| is
used for generating too); the zero-torque loss, extrapolated from the two lowest torques, is the
drag. The loss model is still fitted to the map for reports and the allocation's loss coefficients.

References
----------
- J. R. Hendershot, T. J. E. Miller, *Design of Brushless Permanent-Magnet Machines*, Motor Design
  Books, 2010: torque/power envelope, loss components.
- G. Bertotti, "General properties of power losses in soft ferromagnetic materials", IEEE Trans.
  Magnetics 24(1), 1988: hysteresis loss ~ f, classical eddy loss ~ f^2 at constant flux.
- N. Mohan, T. M. Undeland, W. P. Robbins, *Power Electronics*, 3rd ed., Wiley, 2003: IGBT
  conduction loss ~ I^2 (resistive part), switching loss ~ |I| at fixed DC voltage and frequency.
- Nissan, LEAF e+ press kit (2019): EM57, 160 kW, 340 Nm.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit
from scipy.optimize import nnls

from twinmotor.errors import ParameterError
from twinmotor.vehicle.schema import Motor

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("hendershot2010design", "bertotti1988general", "mohan2003power", "boldea2010induction")

# --- coefficient array layout -------------------------------------------------------------------
M_PEAK_TORQUE = 0      # N*m, peak electromagnetic torque
M_PEAK_POWER_W = 1     # W, peak mechanical power
M_MAX_SPEED = 2        # rad/s
M_BASE_SPEED = 3       # rad/s, = peak power / peak torque
M_K_CU = 4             # W/(N*m)^2, copper loss
M_K_HYS = 5            # W/(rad/s), hysteresis loss
M_K_EDDY = 6           # W/(rad/s)^2, eddy-current loss
M_K_FRIC = 7           # W/(rad/s), bearing and windage loss
M_K_INV_COND = 8       # W/(N*m)^2, inverter conduction loss
M_K_INV_SW = 9         # W/(N*m), inverter switching loss
M_INERTIA = 10         # kg*m^2, rotor inertia
M_TAU = 11             # s, first-order torque response time constant
M_ACTIVE_W = 12        # W, inverter/motor loss while switching, independent of torque
M_KIND = 13            # 0 pmsm, 1 induction, 2 eesm
M_EXC_W = 14           # W, excitation loss at full flux (magnetising current / rotor field), ~ flux^2
M_TAU_EXC = 15         # s, flux build-up time constant (0: permanent magnets, always excited)
M_TABLE = 16           # 1: losses from the efficiency table below, 0: from the loss model
M_TAB_NW = 17          # number of table speeds
M_TAB_NT = 18          # number of table torques
M_TAB_DW = 19          # table speed step, rad/s, when the speeds are evenly spaced (0: search)
M_TAB_DT = 20          # table torque step, N*m, when the torques are evenly spaced (0: search)
#: largest efficiency table (speeds x torques) the flat array holds
TABLE_MAX_SPEEDS = 96
TABLE_MAX_TORQUES = 96
M_TAB_W = 21                                   # table speeds, rad/s, ascending
M_TAB_T = M_TAB_W + TABLE_MAX_SPEEDS           # table shaft torques, N*m, ascending (all > 0: used at |T|)
M_TAB_DRAG = M_TAB_T + TABLE_MAX_TORQUES       # zero-torque loss / speed per table speed, N*m
M_TAB_ETA = M_TAB_DRAG + TABLE_MAX_SPEEDS      # efficiency [speed * NT + torque]
N_MOTOR = M_TAB_ETA + TABLE_MAX_SPEEDS * TABLE_MAX_TORQUES

MOTOR_KIND_CODES = {"pmsm": 0.0, "induction": 1.0, "eesm": 2.0}

#: torque [N*m] over which the torque-independent active loss fades in from zero command: an
#: inverter with no torque to make stops switching (the idle motor then costs only its drag)
ACTIVE_LOSS_TORQUE_NM = 1.0

RPM_TO_RAD_S = math.pi / 30.0
#: Speed (rad/s) over which the drag torque changes sign: tanh(w / this). Small against any driving
#: speed (tanh(20) == 1 in float64), large enough that an explicit 1 kHz step never chatters.
DRAG_SMOOTHING_SPEED_RAD_S = 1.0
#: Share of max speed over which the torque limit falls linearly to zero.
SPEED_LIMIT_FADE_FRACTION = 0.02

MAP_COLUMNS = ("speed_rpm", "torque_nm", "efficiency")


# --- building the coefficients ------------------------------------------------------------------
@dataclass(frozen=True)
class EfficiencyMapFit:
    """Result of fitting the loss model to a measured efficiency map.

    Attributes
    ----------
    coefficients : full motor coefficient array (``M_*`` layout) with the fitted loss coefficients.
    rms_efficiency_error : root-mean-square of (model - map) efficiency over the fitted points, -.
    max_abs_efficiency_error : largest |model - map| efficiency over the fitted points, -.
    n_points : number of map points used (zero speed, zero torque and empty efficiency are skipped).
    source : where the map came from (file path), for messages and reports.
    """

    coefficients: np.ndarray
    rms_efficiency_error: float
    max_abs_efficiency_error: float
    n_points: int
    source: str


def _envelope_coefficients(motor: Motor) -> np.ndarray:
    c = np.zeros(N_MOTOR, dtype=np.float64)
    t_pk = float(motor.peak_torque_nm)
    p_pk = float(motor.peak_power_kw) * 1e3
    w_max = float(motor.max_speed_rpm) * RPM_TO_RAD_S
    w_base = p_pk / t_pk
    if w_base >= w_max:
        raise ParameterError(
            f"motor '{motor.name}': peak_power_kw = {motor.peak_power_kw!r} with peak_torque_nm = "
            f"{motor.peak_torque_nm!r} gives a base speed of {w_base / RPM_TO_RAD_S:.0f} rpm, not below "
            f"max_speed_rpm = {motor.max_speed_rpm!r}: peak power would never be reached; allowed "
            f"peak_power_kw up to {t_pk * w_max / 1e3:.1f} kW for this torque and speed"
        )
    c[M_PEAK_TORQUE] = t_pk
    c[M_PEAK_POWER_W] = p_pk
    c[M_MAX_SPEED] = w_max
    c[M_BASE_SPEED] = w_base
    c[M_INERTIA] = float(motor.rotor_inertia_kg_m2)
    c[M_TAU] = float(motor.torque_time_constant_s)
    c[M_ACTIVE_W] = float(motor.inverter_active_loss_kw) * 1e3
    c[M_KIND] = MOTOR_KIND_CODES[motor.kind]
    c[M_EXC_W] = float(motor.excitation_loss_kw) * 1e3
    c[M_TAU_EXC] = float(motor.excitation_time_constant_s)
    return c


def loss_coefficients_from_figures(motor: Motor) -> np.ndarray:
    """Coefficient array from the parameter file's loss figures (no efficiency map).

    Parameters
    ----------
    motor : the motor block; losses in kW at peak torque (copper, inverter) or at max speed
        (iron, friction).

    Returns
    -------
    Flat float64 array, ``M_*`` layout::

        k_cu   = P_cu(T_pk) / T_pk^2          k_cond = P_cond(T_pk) / T_pk^2
        k_sw   = P_sw(T_pk) / T_pk            k_fric = P_fr(w_max) / w_max
        k_hys  = (1 - f_eddy) P_fe(w_max) / w_max
        k_eddy = f_eddy P_fe(w_max) / w_max^2
    """
    c = _envelope_coefficients(motor)
    t_pk, w_max = c[M_PEAK_TORQUE], c[M_MAX_SPEED]
    p_fe = motor.iron_loss_at_max_speed_kw * 1e3
    f_eddy = motor.iron_loss_eddy_fraction
    c[M_K_CU] = (motor.copper_loss_at_peak_torque_kw + motor.rotor_copper_loss_at_peak_torque_kw) * 1e3 / t_pk**2
    c[M_K_HYS] = (1.0 - f_eddy) * p_fe / w_max
    c[M_K_EDDY] = f_eddy * p_fe / w_max**2
    c[M_K_FRIC] = motor.friction_loss_at_max_speed_kw * 1e3 / w_max
    c[M_K_INV_COND] = motor.inverter_conduction_loss_at_peak_torque_kw * 1e3 / t_pk**2
    c[M_K_INV_SW] = motor.inverter_switching_loss_at_peak_torque_kw * 1e3 / t_pk
    return c


def _resolve(path: str | Path, base_dir: str | Path | None) -> Path:
    p = Path(path).expanduser()
    if not p.is_absolute() and base_dir is not None:
        p = Path(base_dir) / p
    return p


def read_efficiency_map_csv(path: str | Path, keep_empty: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read a motor efficiency map: a CSV with columns ``speed_rpm, torque_nm, efficiency``.

    Parameters
    ----------
    path : the CSV file. Other columns are ignored; blank lines and lines starting with ``#`` are
        skipped. ``efficiency`` is a fraction in (0, 1] (not percent) of shaft power / electrical
        power when motoring (torque and speed of the same sign) and electrical / shaft power when
        generating. An empty or ``nan`` efficiency marks a point outside the map and is skipped
        (kept as NaN with ``keep_empty``, so a table can tell a hole from a point beyond the envelope).

    Returns
    -------
    (speed_rpm, torque_nm, efficiency) arrays of the rows that carry an efficiency; rows with zero
    speed or zero torque are kept (their efficiency is checked but carries no loss information).

    Raises
    ------
    ParameterError naming file, row (line number) and column for a missing file, a missing column,
    a non-number, or an efficiency outside (0, 1].
    """
    p = Path(path)
    if not p.is_file():
        raise ParameterError(f"motor.efficiency_map_csv = '{path}': file not found")
    speeds, torques, effs = [], [], []
    with p.open(newline="", encoding="utf-8-sig") as fh:
        lines = [(i + 1, line) for i, line in enumerate(fh) if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ParameterError(f"{p}: efficiency map is empty; expected a header {', '.join(MAP_COLUMNS)}")
    reader = csv.reader([line for _, line in lines])
    header = [h.strip().lower() for h in next(reader)]
    missing = [col for col in MAP_COLUMNS if col not in header]
    if missing:
        raise ParameterError(
            f"{p}:{lines[0][0]}: efficiency map lacks column(s) {', '.join(missing)}; "
            f"found {', '.join(header) or 'none'}; expected {', '.join(MAP_COLUMNS)} "
            "(speed in rpm, shaft torque in N*m, efficiency as a fraction 0-1)"
        )
    idx = [header.index(col) for col in MAP_COLUMNS]
    for (line_no, _), row in zip(lines[1:], reader):
        values = []
        for col, i in zip(MAP_COLUMNS, idx):
            text = row[i].strip() if i < len(row) else ""
            if col == "efficiency" and text.lower() in ("", "nan"):
                values.append(math.nan)
                continue
            try:
                v = float(text)
            except ValueError:
                raise ParameterError(f"{p}: row {line_no}, column {col}: {text!r} is not a number") from None
            if not math.isfinite(v):
                raise ParameterError(f"{p}: row {line_no}, column {col}: {text!r} is not a finite number")
            values.append(v)
        speed, torque, eff = values
        if math.isnan(eff):
            if keep_empty:
                speeds.append(speed)
                torques.append(torque)
                effs.append(eff)
            continue
        if not 0.0 < eff <= 1.0 and not (eff == 0.0 and (speed == 0.0 or torque == 0.0)):
            hint = " (give a fraction, not percent)" if 1.0 < eff <= 100.0 else ""
            raise ParameterError(
                f"{p}: row {line_no}, column efficiency = {eff!r} is out of range: allowed more than 0 to 1 "
                f"(fraction){hint}"
            )
        speeds.append(speed)
        torques.append(torque)
        effs.append(eff)
    return np.array(speeds, dtype=np.float64), np.array(torques, dtype=np.float64), np.array(effs, dtype=np.float64)


def fit_loss_coefficients(motor: Motor, speed_rpm, torque_nm, efficiency, source: str = "map") -> EfficiencyMapFit:
    """Fit the loss model to efficiency-map points by non-negative least squares.

    Parameters
    ----------
    motor : gives the envelope (peak torque, power, max speed), inertia, time constant, and the
        ratios used to split coefficients the map cannot tell apart (see below).
    speed_rpm : map speeds, rpm.
    torque_nm : map shaft torques, N*m (what a dynamometer measures).
    efficiency : map efficiencies, fraction (motoring: shaft / electrical; generating: electrical / shaft).
    source : name of the map, for messages.

    Method
    ------
    Each point gives a total loss ``L = P_el - P_shaft`` (``P_el = P_shaft / eta`` motoring,
    ``P_shaft * eta`` generating). The model ``L = a T^2 + b |T| + c |w| + d w^2`` (T the
    electromagnetic torque) is linear in ``(a, b, c, d) >= 0``, solved by ``scipy.optimize.nnls``
    with rows weighted by d(eta)/dL so that the fit minimises efficiency error. Because
    ``T = T_shaft - T_drag(w)`` depends on ``c, d``, the fit is repeated with the updated torque until
    the coefficients settle (a fixed point; a few iterations).

    An efficiency map cannot separate copper from inverter conduction loss (both ~ T^2) nor hysteresis
    from friction loss (both ~ |w|): ``a`` is split between ``k_cu`` and ``k_cond`` in the ratio of
    the parameter file's figures, and ``c`` between ``k_hys`` and ``k_fric`` likewise (all to copper /
    hysteresis when both figures are zero). Totals, and thus the simulated plant, do not depend on it.

    Returns
    -------
    :class:`EfficiencyMapFit` with the coefficient array and the fit's RMS efficiency error.

    References
    ----------
    C. L. Lawson, R. J. Hanson, *Solving Least Squares Problems*, SIAM, 1995 (NNLS algorithm).
    """
    c = _envelope_coefficients(motor)
    speed = np.asarray(speed_rpm, dtype=np.float64) * RPM_TO_RAD_S
    t_shaft = np.asarray(torque_nm, dtype=np.float64)
    eta = np.asarray(efficiency, dtype=np.float64)
    if not (speed.shape == t_shaft.shape == eta.shape and speed.ndim == 1):
        raise ParameterError(f"{source}: speed_rpm, torque_nm and efficiency must be 1-D arrays of equal length")
    p_shaft = t_shaft * speed
    use = p_shaft != 0.0
    speed, t_shaft, eta, p_shaft = speed[use], t_shaft[use], eta[use], p_shaft[use]
    if np.any(eta <= 0.0) or np.any(eta > 1.0):
        bad = float(eta[(eta <= 0.0) | (eta > 1.0)][0])
        raise ParameterError(f"{source}: efficiency = {bad!r} is out of range: allowed more than 0 to 1 (fraction)")
    motoring = p_shaft > 0.0
    p_el = np.where(motoring, p_shaft / eta, p_shaft * eta)
    # the torque-independent active loss comes from the parameter file, not from the fit
    loss = p_el - p_shaft - c[M_ACTIVE_W] * np.minimum(np.abs(t_shaft) / ACTIVE_LOSS_TORQUE_NM, 1.0)
    # d(eta)/dL: motoring eta = P/(P+L) -> P/(P+L)^2 ; generating eta = (|P|-L)/|P| -> 1/|P|
    p_el_motoring = np.where(motoring, p_el, 1.0)
    weight = np.where(motoring, p_shaft / p_el_motoring**2, 1.0 / np.abs(p_shaft))
    n_speeds = np.unique(np.round(np.abs(speed), 9)).size
    if speed.size < 4 or n_speeds < 2:
        raise ParameterError(
            f"{source}: efficiency map has {speed.size} usable point(s) at {n_speeds} speed(s); the loss fit needs "
            "at least 4 points with nonzero speed and torque, spanning at least 2 speeds and 2 torques"
        )

    f_cond = _share(motor.inverter_conduction_loss_at_peak_torque_kw, motor.copper_loss_at_peak_torque_kw)
    p_fr = motor.friction_loss_at_max_speed_kw
    f_fric = _share(p_fr, (1.0 - motor.iron_loss_eddy_fraction) * motor.iron_loss_at_max_speed_kw)
    aw = np.abs(speed)
    k = np.zeros(4)
    t_em = t_shaft.copy()
    for _ in range(200):
        at = np.abs(t_em)
        a_mat = np.column_stack((t_em**2, at, aw, aw**2)) * weight[:, None]
        scale = np.linalg.norm(a_mat, axis=0)
        if np.any(scale == 0.0) or np.linalg.matrix_rank(a_mat / scale) < 4:
            raise ParameterError(
                f"{source}: efficiency map points do not determine the loss model; they must span at least "
                "2 different nonzero torques and 2 different nonzero speeds"
            )
        sol, _ = nnls(a_mat / scale, loss * weight)
        k_new = sol / scale
        _set_fitted(c, k_new, f_cond, f_fric)
        t_em_new = t_shaft - np.array([drag_torque(w, c) for w in speed])
        done = np.allclose(k_new, k, rtol=1e-13, atol=0.0) and np.allclose(t_em_new, t_em, rtol=1e-14, atol=1e-12)
        k, t_em = k_new, t_em_new
        if done:
            break
    model = np.array([_efficiency_value(c, w, t) for w, t in zip(speed, t_shaft)])
    err = model - eta
    return EfficiencyMapFit(
        coefficients=c,
        rms_efficiency_error=float(np.sqrt(np.mean(err**2))),
        max_abs_efficiency_error=float(np.max(np.abs(err))),
        n_points=int(speed.size),
        source=str(source),
    )


def _share(part: float, other: float) -> float:
    total = part + other
    return part / total if total > 0.0 else 0.0


def _set_fitted(c: np.ndarray, k: np.ndarray, f_cond: float, f_fric: float) -> None:
    a, b, lin, quad = k
    c[M_K_CU] = (1.0 - f_cond) * a
    c[M_K_INV_COND] = f_cond * a
    c[M_K_INV_SW] = b
    c[M_K_HYS] = (1.0 - f_fric) * lin
    c[M_K_FRIC] = f_fric * lin
    c[M_K_EDDY] = quad


def efficiency_map_fit(motor: Motor, base_dir: str | Path | None = None) -> EfficiencyMapFit | None:
    """Fit of ``motor.efficiency_map_csv`` (None when the motor has no map).

    Parameters
    ----------
    motor : the motor block.
    base_dir : folder that a relative ``efficiency_map_csv`` path is relative to (e.g. the folder
        of the vehicle's TOML file); the working directory when None.

    Returns
    -------
    :class:`EfficiencyMapFit`; its ``rms_efficiency_error`` says how well one loss model fits the map.
    """
    if motor.efficiency_map_csv is None:
        return None
    path = _resolve(motor.efficiency_map_csv, base_dir)
    speed_rpm, torque_nm, eta = read_efficiency_map_csv(path)
    return fit_loss_coefficients(motor, speed_rpm, torque_nm, eta, source=str(path))


def efficiency_table(motor: Motor, speed_rpm, torque_nm, efficiency, source: str = "map"):
    """Check an efficiency map as a full speed x torque grid and lay it out for the compiled table.

    Parameters
    ----------
    motor : the motor (its envelope says which empty points lie outside it).
    speed_rpm, torque_nm, efficiency : the map points (NaN efficiency: no value given). Torques may
        cover the generating quadrant (negative, efficiency = electrical / shaft power); a map of
        positive torques only is used at |T| for generating too.
    source : name of the map, for messages.

    Returns
    -------
    (speeds_rad_s, torques_nm, eta[n_speed, n_torque], drag_nm[n_speed]): the grid, with points
    outside the torque envelope filled from the nearest valid torque at that speed, and the
    zero-torque drag per speed (the motoring loss extrapolated linearly to zero torque from the two
    lowest positive torques, divided by speed; never negative).

    Raises
    ------
    ParameterError for negative speeds, more than TABLE_MAX_SPEEDS x TABLE_MAX_TORQUES points, a missing
    grid point, or an empty point inside the envelope (a hole).
    """
    env = _envelope_coefficients(motor)
    rpm = np.asarray(speed_rpm, dtype=np.float64)
    trq = np.asarray(torque_nm, dtype=np.float64)
    eta = np.asarray(efficiency, dtype=np.float64)
    if np.any(rpm < 0.0):
        raise ParameterError(f"{source}: efficiency map has a negative speed_rpm; allowed 0 rpm and above (the map is "
                             "used at |speed|)")
    speeds = np.unique(rpm[rpm > 0.0])
    torques = np.unique(trq[trq != 0.0])
    if speeds.size > TABLE_MAX_SPEEDS or torques.size > TABLE_MAX_TORQUES:
        raise ParameterError(f"{source}: efficiency map has {speeds.size} speeds x {torques.size} torques; allowed up to "
                             f"{TABLE_MAX_SPEEDS} x {TABLE_MAX_TORQUES}")
    if speeds.size < 2 or np.sum(torques > 0.0) < 2:
        raise ParameterError(f"{source}: efficiency map needs at least 2 nonzero speeds and 2 positive torques")
    grid = np.full((speeds.size, torques.size), np.nan)
    given = np.zeros(grid.shape, dtype=bool)
    for s_, t_, e_ in zip(rpm, trq, eta):
        if s_ <= 0.0 or t_ == 0.0:
            continue
        i, j = np.searchsorted(speeds, s_), np.searchsorted(torques, t_)
        grid[i, j] = e_
        given[i, j] = True
    w = speeds * RPM_TO_RAD_S
    for i in range(speeds.size):
        lim = torque_limit(w[i], env)
        for j in range(torques.size):
            if not np.isfinite(grid[i, j]) and abs(torques[j]) <= lim * (1.0 + 1e-9):
                what = "missing" if not given[i, j] else "empty"
                raise ParameterError(
                    f"{source}: efficiency map has a hole: the point speed_rpm = {speeds[i]:g}, torque_nm = {torques[j]:g} is "
                    f"{what} but lies inside the motor's envelope ({lim:.1f} N*m at that speed); give an efficiency "
                    "(fraction more than 0 to 1) for every speed x torque point up to the envelope")
        valid = np.where(np.isfinite(grid[i]))[0]
        if valid.size == 0:
            raise ParameterError(f"{source}: efficiency map has no value at speed_rpm = {speeds[i]:g}")
        for j in range(torques.size):
            if not np.isfinite(grid[i, j]):
                grid[i, j] = grid[i, valid[np.argmin(np.abs(valid - j))]]
    pos = np.where(torques > 0.0)[0][:2]
    t0, t1 = torques[pos[0]], torques[pos[1]]
    l0 = t0 * w / grid[:, pos[0]] - t0 * w
    l1 = t1 * w / grid[:, pos[1]] - t1 * w
    drag_w = l0 - t0 * (l1 - l0) / (t1 - t0)
    drag_nm = np.maximum(drag_w, 0.0) / w
    return w, torques, grid, drag_nm


def motor_coefficients(motor: Motor, base_dir: str | Path | None = None) -> np.ndarray:
    """The motor's flat coefficient array for the compiled plant (``M_*`` index constants).

    Parameters
    ----------
    motor : the motor block of the vehicle parameters.
    base_dir : folder a relative ``efficiency_map_csv`` is resolved against (working directory if None).

    Returns
    -------
    float64 array of length ``N_MOTOR``. Loss coefficients come from the loss figures
    (:func:`loss_coefficients_from_figures`) or, when ``motor.efficiency_map_csv`` is set, from a
    non-negative least-squares fit to that map (:func:`efficiency_map_fit`), so the plant has one
    loss model either way.
    """
    fit = efficiency_map_fit(motor, base_dir)
    if fit is None:
        return loss_coefficients_from_figures(motor)
    c = fit.coefficients.copy()
    speed_rpm, torque_nm, eta = read_efficiency_map_csv(_resolve(motor.efficiency_map_csv, base_dir), keep_empty=True)
    w, t, grid, drag = efficiency_table(motor, speed_rpm, torque_nm, eta, source=fit.source)
    c[M_TABLE] = 1.0
    c[M_TAB_NW] = w.size
    c[M_TAB_NT] = t.size
    steps = np.diff(w)
    c[M_TAB_DW] = steps[0] if np.allclose(steps, steps[0], rtol=1e-9, atol=0.0) else 0.0
    steps = np.diff(t)
    c[M_TAB_DT] = steps[0] if np.allclose(steps, steps[0], rtol=1e-9, atol=0.0) else 0.0
    c[M_TAB_W:M_TAB_W + w.size] = w
    c[M_TAB_T:M_TAB_T + t.size] = t
    c[M_TAB_DRAG:M_TAB_DRAG + w.size] = drag
    c[M_TAB_ETA:M_TAB_ETA + w.size * t.size] = grid.ravel()
    return c


# --- compiled relations (hot loop) --------------------------------------------------------------
@njit(cache=True)
def torque_limit(speed_rad_s, c):
    """Largest |electromagnetic torque| the motor and inverter can give at a speed.

    Parameters
    ----------
    speed_rad_s : rotor speed, rad/s (either sign; the envelope is symmetric).
    c : motor coefficient array (``M_*``).

    Returns
    -------
    Torque limit, N*m, >= 0::

        T_pk                                    |w| <= w_base
        P_pk / |w|                              w_base < |w| <= w_f,  w_f = (1 - 0.02) w_max
        T_lim(w_f) (w_max - |w|)/(w_max - w_f)  w_f < |w| < w_max
        0                                       |w| >= w_max

    References
    ----------
    Hendershot & Miller (2010), constant-torque and constant-power (field-weakening) regions.
    """
    aw = abs(speed_rad_s)
    w_max = c[M_MAX_SPEED]
    if aw >= w_max:
        return 0.0
    t_pk = c[M_PEAK_TORQUE]
    p_pk = c[M_PEAK_POWER_W]
    w_fade = (1.0 - SPEED_LIMIT_FADE_FRACTION) * w_max
    if aw <= w_fade:
        return min(t_pk, p_pk / aw) if aw > 0.0 else t_pk
    t_fade = min(t_pk, p_pk / w_fade)
    return t_fade * (w_max - aw) / (w_max - w_fade)


@njit(cache=True, inline="always")
def _bracket(c, start, n, x):
    """Index i and weight f with x between grid[i] and grid[i+1] (clamped to the ends)."""
    if x <= c[start]:
        return 0, 0.0
    if x >= c[start + n - 1]:
        return n - 2, 1.0
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if c[start + mid] <= x:
            lo = mid
        else:
            hi = mid
    return lo, (x - c[start + lo]) / (c[start + lo + 1] - c[start + lo])


@njit(cache=True, inline="always")
def _even_bracket(c, start, n, step, x):
    """_bracket on an axis: in one step when it is evenly spaced (step > 0), else by bisection."""
    if step > 0.0:
        u = (x - c[start]) / step
        if u <= 0.0:
            return 0, 0.0
        if u >= n - 1:
            return n - 2, 1.0
        i = int(u)
        if i > n - 2:
            i = n - 2
        return i, u - i
    return _bracket(c, start, n, x)


@njit(cache=True, inline="always")
def _speed_bracket(c, x):
    return _even_bracket(c, M_TAB_W, int(c[M_TAB_NW]), c[M_TAB_DW], x)


@njit(cache=True)
def table_efficiency(c, speed_rad_s, torque_shaft_nm):
    """Efficiency from the map table, bilinear in |speed| and shaft torque (clamped to the grid); a
    map of positive torques only is read at |T| (generating like motoring). Torque is taken in the
    direction of rotation (motoring positive)."""
    nt = int(c[M_TAB_NT])
    i, fw = _speed_bracket(c, abs(speed_rad_s))
    tq = torque_shaft_nm if speed_rad_s >= 0.0 else -torque_shaft_nm
    if c[M_TAB_T] > 0.0:
        tq = abs(tq)
    j, ft = _even_bracket(c, M_TAB_T, nt, c[M_TAB_DT], tq)
    k = M_TAB_ETA + i * nt + j
    e0 = c[k] + ft * (c[k + 1] - c[k])
    e1 = c[k + nt] + ft * (c[k + nt + 1] - c[k + nt])
    return e0 + fw * (e1 - e0)


@njit(cache=True)
def table_loss(c, speed_rad_s, torque_shaft_nm):
    """Total loss [W] at a shaft operating point from the map table: motoring P (1/eta - 1),
    generating |P| (1 - eta)."""
    p = torque_shaft_nm * speed_rad_s
    if p == 0.0:
        return 0.0
    eta = table_efficiency(c, speed_rad_s, torque_shaft_nm)
    if p > 0.0:
        return p * (1.0 / eta - 1.0)
    return -p * (1.0 - eta)


@njit(cache=True)
def drag_torque(speed_rad_s, c):
    """Shaft drag torque of the spinning motor from iron and friction losses (any torque command).

    Parameters
    ----------
    speed_rad_s : rotor speed, rad/s.
    c : motor coefficient array.

    Returns
    -------
    Torque on the rotor, N*m, opposing the speed::

        T_drag = -(k_hys + k_fric + k_eddy |w|) tanh(w / w_s),   w_s = 1 rad/s

    so ``-T_drag w = (P_fe + P_fr) tanh(|w| / w_s)``: the iron + friction loss, smoothed through zero
    speed so the drag never chatters at standstill (tanh = 1 in float64 above about 20 rad/s).

    References
    ----------
    Bertotti (1988): hysteresis ~ f, eddy ~ f^2.
    """
    if c[M_TABLE] > 0.5:
        i, f = _speed_bracket(c, abs(speed_rad_s))
        k_tab = c[M_TAB_DRAG + i] + f * (c[M_TAB_DRAG + i + 1] - c[M_TAB_DRAG + i])
        return -k_tab * math.tanh(speed_rad_s / DRAG_SMOOTHING_SPEED_RAD_S)
    k_lin = c[M_K_HYS] + c[M_K_FRIC]
    return -(k_lin + c[M_K_EDDY] * abs(speed_rad_s)) * math.tanh(speed_rad_s / DRAG_SMOOTHING_SPEED_RAD_S)


@njit(cache=True)
def drag_torque_at_flux(speed_rad_s, c, flux):
    """Shaft drag torque [N*m] at a flux level 0-1: a PMSM's magnets are always there (flux 1); an
    induction or wound-rotor machine has core loss only while excited (~ flux^2, Bertotti), and
    bearing and windage friction whenever it spins. With a map table the whole zero-torque loss
    scales with flux^2."""
    if c[M_KIND] < 0.5 or flux >= 1.0:
        return drag_torque(speed_rad_s, c)
    f2 = flux * flux
    if c[M_TABLE] > 0.5:
        return f2 * drag_torque(speed_rad_s, c)
    th = math.tanh(speed_rad_s / DRAG_SMOOTHING_SPEED_RAD_S)
    return -(c[M_K_FRIC] + f2 * (c[M_K_HYS] + c[M_K_EDDY] * abs(speed_rad_s))) * th


@njit(cache=True)
def excitation_power(c, flux):
    """Excitation loss [W] at a flux level 0-1: magnetising-current copper loss (induction) or rotor
    field I^2 R (wound rotor), ~ flux^2; zero for a PMSM."""
    return c[M_EXC_W] * flux * flux


@njit(cache=True)
def flux_rate(c, flux, torque_cmd_nm):
    """d(flux)/dt [1/s]: an induction or wound-rotor machine builds its flux when asked for torque
    and lets it decay when idle, first order with the rotor (field) time constant; a PMSM is
    always at 1."""
    if c[M_KIND] < 0.5 or c[M_TAU_EXC] <= 0.0:
        return 0.0
    target = 1.0 if abs(torque_cmd_nm) > 0.0 else 0.0
    return (target - flux) / c[M_TAU_EXC]


@njit(cache=True)
def drag_loss(speed_rad_s, c):
    """Iron + friction loss of the spinning rotor, W (= -drag_torque * speed, >= 0).

    Parameters
    ----------
    speed_rad_s : rotor speed, rad/s.
    c : motor coefficient array.
    """
    return -drag_torque(speed_rad_s, c) * speed_rad_s


@njit(cache=True)
def shaft_torque(torque_em_nm, speed_rad_s, c):
    """Torque delivered at the shaft, N*m: ``T_shaft = T_em + T_drag(w)``.

    Parameters
    ----------
    torque_em_nm : electromagnetic (commanded) torque, N*m.
    speed_rad_s : rotor speed, rad/s.
    c : motor coefficient array.
    """
    return torque_em_nm + drag_torque(speed_rad_s, c)


@njit(cache=True)
def electrical_losses(torque_em_nm, speed_rad_s, c):
    """Losses paid by the DC supply: stator copper and inverter.

    Parameters
    ----------
    torque_em_nm : electromagnetic torque, N*m.
    speed_rad_s : rotor speed, rad/s (not used: constant-torque current model; kept for a speed-
        dependent model without changing callers).
    c : motor coefficient array.

    Returns
    -------
    (copper_w, inverter_w), W, both >= 0::

        copper   = k_cu T^2
        inverter = k_cond T^2 + k_sw |T| + P_active min(|T| / 1 N*m, 1)

    P_active is the loss of an inverter that is switching, whatever the torque (gate drive,
    ripple current, the d-axis current of a PM machine); it stops when the command is zero.
    It is what makes switching one of two motors off pay at light load.

    References
    ----------
    Mohan, Undeland & Robbins (2003): conduction ~ I^2, switching ~ |I|; PMSM current ~ torque.
    """
    t2 = torque_em_nm * torque_em_nm
    t_abs = abs(torque_em_nm)
    active = c[M_ACTIVE_W] * min(t_abs / ACTIVE_LOSS_TORQUE_NM, 1.0)
    if c[M_TABLE] > 0.5:
        # the map's loss at the shaft operating point, less what the drag torque already takes
        t_drag = drag_torque(speed_rad_s, c)
        rest = table_loss(c, speed_rad_s, torque_em_nm + t_drag) + t_drag * speed_rad_s
        if rest < 0.0:
            rest = 0.0
        a = c[M_K_CU] + c[M_K_INV_COND]
        f_cu = c[M_K_CU] / a if a > 0.0 else 1.0
        return f_cu * rest, (1.0 - f_cu) * rest + active
    copper = c[M_K_CU] * t2
    inverter = c[M_K_INV_COND] * t2 + c[M_K_INV_SW] * t_abs + active
    return copper, inverter


@njit(cache=True)
def electrical_power(torque_em_nm, speed_rad_s, c):
    """DC power drawn by inverter + motor, W (negative when regenerating into the battery).

    Parameters
    ----------
    torque_em_nm : electromagnetic torque, N*m.
    speed_rad_s : rotor speed, rad/s.
    c : motor coefficient array.

    Returns
    -------
    ``P_el = T w + P_cu + P_inv``. With ``T_shaft = T + T_drag`` this equals
    ``T_shaft w + P_cu + P_inv + P_fe + P_fr`` exactly.
    """
    copper, inverter = electrical_losses(torque_em_nm, speed_rad_s, c)
    # an induction / wound-rotor machine making torque is excited (in steady state)
    exc = c[M_EXC_W] * min(abs(torque_em_nm) / ACTIVE_LOSS_TORQUE_NM, 1.0)
    return torque_em_nm * speed_rad_s + copper + inverter + exc


@njit(cache=True)
def electrical_power_at_flux(torque_em_nm, speed_rad_s, c, flux):
    """DC power [W] with the excitation at its present flux (the plant's transient form of
    :func:`electrical_power`)."""
    copper, inverter = electrical_losses(torque_em_nm, speed_rad_s, c)
    return torque_em_nm * speed_rad_s + copper + inverter + excitation_power(c, flux)


@njit(cache=True)
def _efficiency_point(c, speed_rad_s, torque_shaft_nm):
    """Efficiency at a shaft operating point; NaN outside the torque envelope."""
    t_em = torque_shaft_nm - drag_torque(speed_rad_s, c)
    if abs(t_em) > torque_limit(speed_rad_s, c) * (1.0 + 1e-12):
        return math.nan
    return _efficiency_value(c, speed_rad_s, torque_shaft_nm)


@njit(cache=True)
def _efficiency_value(c, speed_rad_s, torque_shaft_nm):
    """Efficiency at a shaft operating point, envelope not checked."""
    t_em = torque_shaft_nm - drag_torque(speed_rad_s, c)
    p_shaft = torque_shaft_nm * speed_rad_s
    if p_shaft == 0.0:
        return 0.0
    p_el = electrical_power(t_em, speed_rad_s, c)
    if p_shaft > 0.0:
        return p_shaft / p_el
    if p_el >= 0.0:  # losses eat all the braking power: nothing flows back
        return 0.0
    return p_el / p_shaft


@njit(cache=True)
def _efficiency_grid(c, speeds, torques, out):
    for i in range(speeds.shape[0]):
        for j in range(torques.shape[0]):
            out[i, j] = _efficiency_point(c, speeds[i], torques[j])


def efficiency_map(c: np.ndarray, speeds_rad_s, torques_nm) -> np.ndarray:
    """Efficiency over a grid of shaft operating points, for plots and tests.

    Parameters
    ----------
    c : motor coefficient array.
    speeds_rad_s : rotor speeds, rad/s (1-D).
    torques_nm : shaft torques, N*m (1-D; negative with positive speed = generating).

    Returns
    -------
    Array of shape (len(speeds), len(torques)), fraction::

        motoring   (T w > 0):  eta = T w / P_el
        generating (T w < 0):  eta = P_el / (T w)   (0 when losses exceed the braking power)
        0 where T w = 0; NaN where the point lies outside the torque envelope.
    """
    speeds = np.ascontiguousarray(np.atleast_1d(speeds_rad_s), dtype=np.float64)
    torques = np.ascontiguousarray(np.atleast_1d(torques_nm), dtype=np.float64)
    out = np.empty((speeds.size, torques.size), dtype=np.float64)
    _efficiency_grid(np.ascontiguousarray(c, dtype=np.float64), speeds, torques, out)
    return out
