"""FMVSS 126 / UN R140 sine with dwell: the electronic-stability-control test of oversteer
intervention and responsiveness, with the slowly increasing steer that sets its amplitudes."""

from __future__ import annotations

import math
import time

import numpy as np

from twinmotor.constants import G_M_S2, KMH
from twinmotor.errors import ParameterError
from twinmotor.layout import DRIVER_SPEED, DRIVER_TABLE
from twinmotor.procedures.base import Limit, Procedure, disconnect_kpis, interp_at, speed_hold_gains
from twinmotor.road import Road, make_road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import RunSpec, run_spec

#: FMVSS 126 S5.2.1 / S5.2.2: yaw rate 1.00 s and 1.75 s after completion of steer, as a share of
#: the first yaw-rate peak after the steering reverses [%]
YAW_RATIO_LIMIT_1S_PCT = 35.0
YAW_RATIO_LIMIT_1_75S_PCT = 20.0
#: FMVSS 126 S5.2.3: lateral displacement of the CG 1.07 s after beginning of steer [m], vehicles
#: of 3,500 kg GVWR or less, runs of 5.0 A and above
LATERAL_DISPLACEMENT_MIN_M = 1.83
LATERAL_DISPLACEMENT_TIME_S = 1.07
LATERAL_DISPLACEMENT_FROM_MULTIPLE = 5.0


def sine_with_dwell_angle(t_s: np.ndarray, amplitude: float, frequency_hz: float = 0.7,
                          dwell_s: float = 0.5) -> np.ndarray:
    """Sine-with-dwell steering angle (same unit as `amplitude`) at times `t_s` [s] after the
    beginning of steer: a sine of `frequency_hz` whose second peak is held for `dwell_s`,

        delta(t) = A sin(2 pi f t)                  for 0 <= t < 3 / (4 f)
                 = -A                               for 3 / (4 f) <= t < 3 / (4 f) + dwell
                 = A sin(2 pi f (t - dwell))        for 3 / (4 f) + dwell <= t < 1 / f + dwell
                 = 0                                elsewhere.

    A positive amplitude steers left first (ISO 8855: counter-clockwise at the steering wheel).
    Completion of steer is at 1 / f + dwell after the beginning of steer (1.929 s at 0.7 Hz, 0.5 s).

    References: FMVSS No. 126 (49 CFR 571.126) S7.9.1 and Figure 1; UN Regulation No. 140 Annex 3.
    """
    t = np.asarray(t_s, dtype=np.float64)
    t_peak = 0.75 / frequency_hz
    t_end = 1.0 / frequency_hz + dwell_s
    w = 2.0 * math.pi * frequency_hz
    out = np.zeros_like(t)
    first = (t >= 0.0) & (t < t_peak)
    held = (t >= t_peak) & (t < t_peak + dwell_s)
    last = (t >= t_peak + dwell_s) & (t < t_end)
    out[first] = amplitude * np.sin(w * t[first])
    out[held] = -amplitude
    out[last] = amplitude * np.sin(w * (t[last] - dwell_s))
    return out


def amplitude_series(a_deg: float, first_multiple: float = 1.5, step_multiple: float = 0.5,
                     max_multiple: float = 6.5, extend_to_deg: float | None = 270.0,
                     cap_deg: float = 300.0) -> list[tuple[float, float]]:
    """(multiple of A, steering-wheel amplitude [deg]) of each run of a series.

    FMVSS 126 S7.9.3-S7.9.4: the first run is at 1.5 A, each next one 0.5 A larger; the final run is
    at the greater of 6.5 A and 270 deg, provided 6.5 A is at most 300 deg; if a 0.5 A step up to
    6.5 A exceeds 300 deg, the final run is at 300 deg. `extend_to_deg=None` ends the series at
    `max_multiple` A (capped at `cap_deg`), as UN R140 allows where 6.5 A is reached first.
    The final run's multiple is its amplitude divided by A.
    """
    if not (math.isfinite(a_deg) and a_deg > 0.0):
        raise ParameterError(f"sine-dwell: steering-wheel angle for 0.3 g A = {a_deg!r} deg must be a positive number")
    final = max_multiple * a_deg
    if extend_to_deg is not None:
        final = max(final, extend_to_deg)
    final = min(final, cap_deg)
    runs = []
    k = first_multiple
    while k * a_deg < final - 1e-9:
        runs.append((k, k * a_deg))
        k += step_multiple
    runs.append((final / a_deg, final))
    return runs


def lateral_displacement(x: np.ndarray, y: np.ndarray, t: np.ndarray, t_start: float, t_at: float,
                         heading0: float) -> float:
    """Displacement [m] of the CG to the left of its initial straight path between t_start and t_at
    [s]: the inertial path (x, y) [m] projected on the normal of the heading `heading0` [rad] held
    at the beginning of steer (FMVSS 126 S7.11.6 integrates the CG's lateral velocity instead; both
    measure the distance off the initial straight line)."""
    x0, y0 = interp_at(t, x, t_start), interp_at(t, y, t_start)
    x1, y1 = interp_at(t, x, t_at), interp_at(t, y, t_at)
    return float(-(x1 - x0) * math.sin(heading0) + (y1 - y0) * math.cos(heading0))


def first_peak(t: np.ndarray, s: np.ndarray, t_from: float, half_window_s: float = 0.1) -> tuple[float, float]:
    """(time [s], value) of the first local peak of s after t_from where s > 0: the first sample
    that is the largest within +-half_window_s [s] (ignores ripple faster than ~1 / (2 half_window)
    Hz, in place of the standard's 6 Hz low-pass filter). Falls back to the largest value after
    t_from when no such peak exists (the signal is still rising at the end)."""
    idx = np.flatnonzero(t >= t_from)
    if idx.size == 0:
        return float("nan"), float("nan")
    dt = float(np.median(np.diff(t))) if t.size > 1 else 1e-3
    h = max(int(round(half_window_s / dt)), 1)
    n = s.size
    for k in idx:
        if s[k] <= 0.0:
            continue
        lo, hi = max(k - h, 0), min(k + h + 1, n)
        if hi - k <= h:  # too close to the end to know that it is a peak
            break
        if s[k] >= np.max(s[lo:hi]):
            return float(t[k]), float(s[k])
    k = int(idx[np.argmax(s[idx])])
    return float(t[k]), float(s[k])


def steer_at_lat_accel(steer_deg: np.ndarray, ay_g: np.ndarray, level_g: float = 0.3,
                       band_g: tuple[float, float] = (0.1, 0.375)) -> float:
    """|Steering angle| [deg] at lateral acceleration `level_g` [g] from a slowly increasing steer:
    least-squares line |ay| = c0 + c1 |delta| through the samples with band_g[0] <= |ay| <= band_g[1]
    (FMVSS 126 S7.11.4's linear regression), solved for |ay| = level_g. NaN if the samples never
    reach the band's top or the line does not rise."""
    a = np.abs(np.asarray(ay_g, dtype=np.float64))
    d = np.abs(np.asarray(steer_deg, dtype=np.float64))
    band = (a >= band_g[0]) & (a <= band_g[1])
    if np.count_nonzero(band) < 10 or a.size == 0 or np.max(a) < band_g[1]:
        return float("nan")
    c1, c0 = np.polyfit(d[band], a[band], 1)
    return float((level_g - c0) / c1) if c1 > 0 else float("nan")


def linear_sis_steer_deg(vehicle, speed_kmh: float = 80.0, rate_deg_s: float = 13.5, level_g: float = 0.3,
                         band_g: tuple[float, float] = (0.1, 0.375), aligning_moment: bool = True,
                         dt_s: float = 0.002) -> float:
    """The slowly increasing steer of the linear single-track model: steering-wheel angle [deg] for
    `level_g` found with the same ramp (`rate_deg_s` at the steering wheel, road wheel = wheel /
    steering ratio) and the same regression (steer_at_lat_accel) as the simulated test, so that
    the lag of the response to the ramp is in both. Model (static axle loads, constant speed v):

        alpha_f = delta - (v_y + lf r) / v,   alpha_r = -(v_y - lr r) / v
        m (dv_y/dt + v r) = C_f alpha_f + C_r alpha_r
        Izz dr/dt = (lf C_f - N_f) alpha_f - (lr C_r + N_r) alpha_r
        a_y = (C_f alpha_f + C_r alpha_r) / m

    with the aligning stiffnesses N of twinmotor.models.single_track.single_track_values (zero if not aligning_moment),
    integrated exactly for a piecewise-linear input (matrix exponential).
    References: Gillespie, Fundamentals of Vehicle Dynamics (1992), ch. 6; Rajamani, Vehicle
    Dynamics and Control (2012), sect. 2.3.
    """
    from scipy.linalg import expm

    from twinmotor.models.single_track import single_track_values

    st = single_track_values(vehicle)
    m, izz, lf, lr, cf, cr = st["mass"], st["izz"], st["lf"], st["lr"], st["c_f"], st["c_r"]
    nf, nr = (st["n_f"], st["n_r"]) if aligning_moment else (0.0, 0.0)
    v = speed_kmh * KMH
    ratio = vehicle.steering.steering_ratio
    # state (v_y, r); input delta [rad]
    a_f, a_r = lf * cf - nf, lr * cr + nr
    a_mat = np.array([[-(cf + cr) / (m * v), -(cf * lf - cr * lr) / (m * v) - v],
                      [-(a_f - a_r) / (izz * v), -(a_f * lf + a_r * lr) / (izz * v)]])
    b_vec = np.array([cf / m, a_f / izz])
    # augmented exponential: state, input and its (constant) rate
    aug = np.zeros((4, 4))
    aug[:2, :2] = a_mat
    aug[:2, 2] = b_vec
    aug[2, 3] = 1.0
    phi = expm(aug * dt_s)
    rate = math.radians(rate_deg_s) / ratio
    z = np.array([0.0, 0.0, 0.0, rate])
    sw, ay = [], []
    top = band_g[1] * G_M_S2
    for _ in range(int(60.0 / dt_s)):
        z = phi @ z
        vy, r, delta = z[0], z[1], z[2]
        a_y = (cf * (delta - (vy + lf * r) / v) + cr * (-(vy - lr * r) / v)) / m
        sw.append(math.degrees(delta) * ratio)
        ay.append(a_y / G_M_S2)
        if a_y > 1.05 * top:
            break
    return steer_at_lat_accel(np.array(sw), np.array(ay), level_g, band_g)


class SineWithDwell(Procedure):
    """FMVSS 126 / UN R140 sine with dwell (ESC oversteer intervention and responsiveness).

    (a) Slowly increasing steer (SIS), S7.6: at `speed_kmh` (80 km/h) held by the speed-tracking
    driver (the standard keeps 80 +- 2 km/h; the driver settles for 5 s first), the steering wheel
    turns at `sis_rate_deg_s` (13.5 deg/s) to the left and, in a second run, to the right. A = the steering-wheel angle that
    gives 0.3 g: a straight line ay = c0 + c1 delta_sw is fitted by least squares to the samples
    with 0.1 g <= |ay| <= 0.375 g (S7.11.4's linear regression), solved for 0.3 g; A is the mean
    |A| of the runs. Road-wheel angle = steering-wheel angle / steering ratio.
    (b) Sine with dwell, S7.9: each run starts at `speed_kmh` with the accelerator released
    (`coast_throttle` = 0; what a released pedal does is the controller's: with e-Pedal on it
    regenerates at up to 0.2 g, as the car would; for a coast without regeneration switch it off,
    make_controller('baseline', one_pedal=0)) and after `lead_s` (0.2 s, so the speed at the
    beginning of steer stays within 80 +- 2 km/h) the steering follows a 0.7 Hz sine with a
    500 ms dwell at its second peak (sine_with_dwell_angle), amplitudes from amplitude_series
    (1.5 A, 2.0 A, ... the greater of 6.5 A and 270 deg, 300 deg at most). The first series
    steers left first; with `both_directions` (default, as S7.9.1 asks) a second series steers
    right first.

    Beginning of steer (BOS) and completion of steer (COS) are the commanded instants (the
    standard finds them from the measured angle because a robot's start is not known exactly).
    KPIs per run (Result.runs[i].kpis): amplitude_multiple, steer_amplitude_deg (steering wheel),
    yaw_ratio_1s_pct and yaw_ratio_1_75s_pct (yaw rate at COS + 1.00 s and COS + 1.75 s over the
    first yaw-rate peak after the steering reverses, signed so that a car still yawing the way of
    the second steer peak gives a positive ratio), peak_yaw_rate_deg_s, lateral_displacement_m
    (CG, 1.07 s after BOS, off the initial straight path, positive the way of the first steer),
    speed_at_steer_kmh, speed_at_cos_kmh.
    Overall KPIs: steer_0_3g_deg (A), worst_yaw_ratio_1s_pct, worst_yaw_ratio_1_75s_pct,
    min_lateral_displacement_m (over runs of 5.0 A and above), n_runs, passed (1/0).
    Verdict (S5.2): every run's ratios <= 35 % and <= 20 %, displacement >= 1.83 m from 5.0 A on.

    The top Result's channels are those of the largest-amplitude run of the first series.

    References: FMVSS No. 126, 49 CFR 571.126 (S5.2, S7.6, S7.9, S7.11); UN Regulation No. 140
    (ESC), Annex 3; NHTSA TP-126 laboratory test procedure.
    """

    name = "sine-dwell"
    citations = ("fmvss126_2007", "unr140_2017", "rajamani2012vehicle")
    standard = ("FMVSS 126 / UN R140 sine with dwell at 80 km/h after a slowly increasing steer "
                "(SIS at held speed, SWD coasting with the accelerator released)")
    summary = "yaw-rate ratios 1.00 s / 1.75 s after steer, lateral displacement, verdict"
    plot_channels = ["steer", "yaw_rate", "ay", "vx"]

    def __init__(self, speed_kmh: float = 80.0, frequency_hz: float = 0.7, dwell_s: float = 0.5,
                 sis_rate_deg_s: float = 13.5, both_directions: bool = True, coast_throttle: float = 0.0,
                 max_multiple: float = 6.5, extend_to_deg: float | None = 270.0, cap_deg: float = 300.0,
                 lead_s: float = 0.2, lat_accel_g: float = 0.3, regression_band_g: tuple[float, float] = (0.1, 0.375),
                 log_every: int = 5):
        checks = {"speed_kmh": (speed_kmh, 20.0, 200.0, "km/h"), "frequency_hz": (frequency_hz, 0.1, 3.0, "Hz"),
                  "dwell_s": (dwell_s, 0.0, 5.0, "s"), "sis_rate_deg_s": (sis_rate_deg_s, 1.0, 200.0, "deg/s"),
                  "coast_throttle": (coast_throttle, 0.0, 1.0, "-"), "max_multiple": (max_multiple, 1.5, 20.0, "-"),
                  "cap_deg": (cap_deg, 10.0, 1000.0, "deg"), "lead_s": (lead_s, 0.05, 10.0, "s"),
                  "log_every": (log_every, 1, 20, "steps")}
        for key, (value, low, high, unit) in checks.items():
            if not (isinstance(value, (int, float)) and low <= value <= high):
                raise ParameterError(f"sine-dwell: {key} = {value!r} is out of range: allowed {low} to {high} {unit}")
        if extend_to_deg is not None and not (isinstance(extend_to_deg, (int, float)) and 0.0 < extend_to_deg <= cap_deg):
            raise ParameterError(f"sine-dwell: extend_to_deg = {extend_to_deg!r} is out of range: allowed None or "
                                 f"0 to cap_deg = {cap_deg!r} deg")
        lo, hi = regression_band_g
        if not 0.0 < lo < lat_accel_g < hi <= 1.5:
            raise ParameterError(
                f"sine-dwell: regression_band_g = {regression_band_g!r} must bracket lat_accel_g = {lat_accel_g!r} g "
                "(0 < low < lat_accel_g < high <= 1.5 g)")
        self.speed_kmh = float(speed_kmh)
        self.frequency_hz = float(frequency_hz)
        self.dwell_s = float(dwell_s)
        self.sis_rate_deg_s = float(sis_rate_deg_s)
        self.both_directions = bool(both_directions)
        self.coast_throttle = float(coast_throttle)
        self.max_multiple = float(max_multiple)
        self.extend_to_deg = extend_to_deg
        self.cap_deg = float(cap_deg)
        self.lead_s = float(lead_s)
        self.lat_accel_g = float(lat_accel_g)
        self.regression_band_g = (float(lo), float(hi))
        self.log_every = int(log_every)
        self.after_cos_s = 1.75 + 0.25  # log past the later yaw-rate check
        # the speed-tracking driver settles on the test speed before the SIS ramp starts
        self.sis_settle_s = 5.0

    # ------------------------------------------------------------------ timing of one SWD run
    @property
    def steer_duration_s(self) -> float:
        """From beginning to completion of steer [s]: one period plus the dwell."""
        return 1.0 / self.frequency_hz + self.dwell_s

    # ------------------------------------------------------------------ slowly increasing steer
    def linear_steer_deg(self, vehicle, lat_accel_g: float) -> float:
        """Steering-wheel angle [deg] that gives `lat_accel_g` at the test speed in the linear
        single-track model: delta = ay (L + K_us v^2) / v^2 (Gillespie eq. 6-15), times the
        steering ratio."""
        from twinmotor.control.params import vehicle_values
        from twinmotor.models.single_track import steer_for_lat_accel

        vv = vehicle_values(vehicle)
        v = self.speed_kmh * KMH
        ay = lat_accel_g * G_M_S2
        return math.degrees(steer_for_lat_accel(ay, vv["wheelbase"], vv["k_us"], v)) * vehicle.steering.steering_ratio

    def sis_spec(self, vehicle, road: Road, direction: float) -> RunSpec:
        """The slowly increasing steer run: speed held, steering wheel turned at sis_rate_deg_s
        from `lead_s` on, far enough to pass the regression band's top with margin."""
        v = self.speed_kmh * KMH
        ratio = vehicle.steering.steering_ratio
        sw_end = min(max(2.0 * self.linear_steer_deg(vehicle, self.regression_band_g[1]), 20.0), 270.0)
        t0 = self.sis_settle_s
        t1 = t0 + sw_end / self.sis_rate_deg_s
        d1 = direction * math.radians(sw_end) / ratio
        table = np.array([[0.0, 0, 0, 0.0, v], [t0, 0, 0, 0.0, v], [t1, 0, 0, d1, v]])
        return RunSpec(t_end_s=t1, driver_table=table, initial_speed_m_s=v, driver_kind=DRIVER_SPEED, road=road,
                       driver_gains=speed_hold_gains(), log_every=self.log_every)

    def steer_for_lat_accel(self, r: Result, ratio: float) -> float:
        """|Steering-wheel angle| [deg] for lat_accel_g from one SIS run (linear regression of ay on
        the steering-wheel angle over the regression band); NaN if the band was not crossed."""
        return steer_at_lat_accel(np.degrees(r["steer"]) * ratio, r["ay"] / G_M_S2, self.lat_accel_g,
                                  self.regression_band_g)

    # ------------------------------------------------------------------ one sine-with-dwell run
    def swd_spec(self, vehicle, road: Road, amplitude_deg: float, direction: float) -> RunSpec:
        """One sine-with-dwell run: steering-wheel amplitude [deg], direction +1 left first, -1 right."""
        v = self.speed_kmh * KMH
        ratio = vehicle.steering.steering_ratio
        t0 = self.lead_s
        t_cos = t0 + self.steer_duration_s
        t_end = t_cos + self.after_cos_s
        ts = np.arange(0.0, self.steer_duration_s + 1e-9, 0.002)
        steer = direction * math.radians(amplitude_deg) / ratio * sine_with_dwell_angle(
            ts, 1.0, self.frequency_hz, self.dwell_s)
        steer[-1] = 0.0
        rows = [[0.0, self.coast_throttle, 0.0, 0.0, v]]
        rows += [[t0 + tk, self.coast_throttle, 0.0, sk, v] for tk, sk in zip(ts, steer)]
        rows += [[t_end, self.coast_throttle, 0.0, 0.0, v]]
        return RunSpec(t_end_s=t_end, driver_table=np.array(rows), initial_speed_m_s=v, driver_kind=DRIVER_TABLE,
                       road=road, log_every=self.log_every)

    def spec(self, vehicle, road: Road) -> RunSpec:
        """The first sine-with-dwell run of the series at the linear model's A (the full procedure,
        SIS included, is `run`)."""
        a = self.linear_steer_deg(vehicle, self.lat_accel_g)
        return self.swd_spec(vehicle, road, 1.5 * a, 1.0)

    def run_kpis(self, r: Result, multiple: float, amplitude_deg: float, direction: float) -> dict[str, float]:
        """KPIs of one sine-with-dwell run (see the class docstring)."""
        t = r["time"]
        bos = self.lead_s
        cos = bos + self.steer_duration_s
        t_reverse = bos + 0.5 / self.frequency_hz
        # positive the way of the second steer peak (the reversal the ESC must stop)
        s = -direction * r["yaw_rate"]
        _t_peak, peak = first_peak(t, s, t_reverse)
        heading0 = interp_at(t, r["yaw"], bos)
        disp = direction * lateral_displacement(r["x"], r["y"], t, bos, bos + LATERAL_DISPLACEMENT_TIME_S, heading0)
        ratio = (lambda when: 100.0 * interp_at(t, s, when) / peak if peak > 0 else float("nan"))
        return {
            "amplitude_multiple": float(multiple),
            "steer_amplitude_deg": float(amplitude_deg),
            "yaw_ratio_1s_pct": ratio(cos + 1.0),
            "yaw_ratio_1_75s_pct": ratio(cos + 1.75),
            "peak_yaw_rate_deg_s": math.degrees(peak),
            "lateral_displacement_m": disp,
            "speed_at_steer_kmh": interp_at(t, r["vx"], bos) * 3.6,
            "speed_at_cos_kmh": interp_at(t, r["vx"], cos) * 3.6,
        }

    def run_verdict(self, k: dict[str, float]) -> bool:
        ok = k["yaw_ratio_1s_pct"] <= YAW_RATIO_LIMIT_1S_PCT and k["yaw_ratio_1_75s_pct"] <= YAW_RATIO_LIMIT_1_75S_PCT
        if k["amplitude_multiple"] >= LATERAL_DISPLACEMENT_FROM_MULTIPLE - 1e-9:
            ok = ok and k["lateral_displacement_m"] >= LATERAL_DISPLACEMENT_MIN_M
        return bool(ok)  # NaN compares False: a run without a yaw peak fails

    # ------------------------------------------------------------------ the procedure
    def kpis(self, result: Result) -> dict[str, float]:
        """Summary KPIs over the runs held in result.runs."""
        runs = result.runs
        r1 = [r.kpis["yaw_ratio_1s_pct"] for r in runs]
        r2 = [r.kpis["yaw_ratio_1_75s_pct"] for r in runs]
        disp = [r.kpis["lateral_displacement_m"] for r in runs
                if r.kpis["amplitude_multiple"] >= LATERAL_DISPLACEMENT_FROM_MULTIPLE - 1e-9]
        return {
            "steer_0_3g_deg": float(result.info.get("steer_0_3g_deg", float("nan"))),
            "worst_yaw_ratio_1s_pct": float(np.max(r1)) if r1 else float("nan"),
            "worst_yaw_ratio_1_75s_pct": float(np.max(r2)) if r2 else float("nan"),
            "min_lateral_displacement_m": float(np.min(disp)) if disp else float("nan"),
            "n_runs": float(len(runs)),
            "passed": float(all(r.passed for r in runs)) if runs else 0.0,
        }

    def verdict(self, kpis: dict[str, float]) -> bool | None:
        return bool(kpis["passed"] == 1.0)

    def limits(self) -> dict[str, Limit]:
        return {
            "worst_yaw_ratio_1s_pct": Limit("<=", YAW_RATIO_LIMIT_1S_PCT, "%", "FMVSS 126 S5.2.1"),
            "worst_yaw_ratio_1_75s_pct": Limit("<=", YAW_RATIO_LIMIT_1_75S_PCT, "%", "FMVSS 126 S5.2.2"),
            "min_lateral_displacement_m": Limit(">=", LATERAL_DISPLACEMENT_MIN_M, "m", "FMVSS 126 S5.3"),
        }

    def run(self, vehicle, controller, surface="dry", **options) -> Result:
        road = make_road(surface)
        t_start = time.perf_counter()
        ratio = vehicle.steering.steering_ratio
        # (a) slowly increasing steer, left and right
        sis_runs, angles = [], []
        for direction in (1.0, -1.0):
            r = run_spec(vehicle, self.sis_spec(vehicle, road, direction), controller, road,
                         test_name=f"{self.name} SIS", **options)
            a = self.steer_for_lat_accel(r, ratio)
            r.kpis = {"steer_0_3g_deg": a, "direction": direction,
                      "max_lat_accel_g": float(np.max(np.abs(r["ay"]))) / G_M_S2}
            sis_runs.append(r)
            angles.append(a)
        if not np.all(np.isfinite(angles)):
            reached = max(r.kpis["max_lat_accel_g"] for r in sis_runs)
            raise ParameterError(
                f"sine-dwell: in the slowly increasing steer on surface '{road.name}' the car reached "
                f"{reached:.3f} g, short of the {self.regression_band_g[1]} g the regression needs; "
                "FMVSS 126 is run on dry pavement (peak friction about 0.9)")
        a_deg = float(np.mean(np.abs(angles)))
        series = amplitude_series(a_deg, max_multiple=self.max_multiple, extend_to_deg=self.extend_to_deg,
                                  cap_deg=self.cap_deg)
        # (b) sine with dwell series
        swd_runs: list[Result] = []
        for direction in ((1.0, -1.0) if self.both_directions else (1.0,)):
            for multiple, amp in series:
                r = run_spec(vehicle, self.swd_spec(vehicle, road, amp, direction), controller, road,
                             test_name=f"{self.name} {multiple:.2f}A {'left' if direction > 0 else 'right'}",
                             **options)
                r.kpis = self.run_kpis(r, multiple, amp, direction)
                r.passed = self.run_verdict(r.kpis)
                swd_runs.append(r)
        last = swd_runs[len(series) - 1]
        res = Result(vehicle=vehicle.name, test=self.name, controller=last.controller, surface=road.name,
                     channels=last.channels, runs=swd_runs,
                     wall_time_s=sum(r.wall_time_s for r in sis_runs + swd_runs),
                     simulated_time_s=sum(r.simulated_time_s for r in sis_runs + swd_runs))
        res.info["steer_0_3g_deg"] = a_deg
        res.info["sis_runs"] = sis_runs
        res.info["model"] = last.info["model"]
        res.info["channels_from"] = last.test
        res.kpis = self.kpis(res)
        res.passed = self.verdict(res.kpis)
        res.kpis.update(disconnect_kpis(res))  # of the run whose channels the result carries
        res.info["plot_channels"] = self.plot_channels
        res.info["total_wall_time_s"] = time.perf_counter() - t_start
        return res
