"""State estimation from the car's sensors: speed, sideslip, road friction, grade and loads.

Facts checked on scripted signals (the estimator alone, no vehicle simulation):
- axle and wheel loads sum to m g for any acceleration (static equilibrium, Gillespie eqs. 2-4 and
  2-11); the longitudinal transfer is m ax h / L; the left/right transfer balances the roll moment;
- the speed estimate converges to the wheels when they roll freely; it follows the integrated
  acceleration when all four wheels spin (AWD launch on snow) or lock (braking), where "the slowest
  wheel" or "the fastest wheel" fail; it settles to zero at standstill;
- the grade estimate finds a constant grade from the accelerometer's specific force;
- the sideslip estimate is zero driving straight and follows the single-track model's steady state
  in a gentle steady turn;
- the friction estimate stays at the dry peak without evidence, falls to the friction a wheel held
  at its slip target uses, per side on split friction, and creeps back up when the evidence ends;
- the controller never reads the truth: with the true entries of the measurement vector poisoned
  with NaN, its commands are bit-identical (the oracle setting, for ablation, does read them).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.control.estimation import (
    axle_loads,
    estimate,
    model_sideslip,
    wheel_loads,
)
from twinmotor.control.params import CS_ABS, CS_TC, IDX, N_STATE
from twinmotor.control.twin_motor import chassis_control_step
from twinmotor.layout import (
    E_BETA,
    E_GRADE,
    E_MU_LEFT,
    E_MU_RIGHT,
    E_V,
    E_VY,
    M_AX,
    M_AY,
    M_BRAKE_TORQUE,
    M_MOTOR_SPEED,
    M_MOTOR_TORQUE,
    M_STEER,
    M_TRUE_FZ,
    M_TRUE_MU,
    M_TRUE_VX,
    M_TRUE_VY,
    M_TRUE_X,
    M_TRUE_Y,
    M_TRUE_YAW,
    M_WHEEL_SPEED,
    M_YAW_RATE,
    MEAS_NAMES,
    N_CMD,
    N_DRV,
    N_EST,
    N_MEAS,
)

REL = 1e-12
DT = 1e-3
G = 9.80665


def _meas(**values) -> np.ndarray:
    m = np.zeros(N_MEAS)
    index = {"vx": M_TRUE_VX, "vy": M_TRUE_VY, "ax": M_AX, "ay": M_AY}
    for k, v in values.items():
        m[index[k]] = v
    return m


def _geometry(p):
    return {k: p[IDX[k]] for k in ("mass", "g", "wheelbase", "lf", "lr", "cg_height", "track_f", "track_r")}


class Scripted:
    """The estimator fed with scripted sensor signals, step by step."""

    def __init__(self, p):
        self.p = p
        self.s = np.zeros(N_STATE)
        self.est = np.zeros(N_EST)
        self.meas = np.zeros(N_MEAS)

    def wheels(self, speeds_m_s, motor=True):
        p, m = self.p, self.meas
        rf, rr = p[IDX["radius_f"]], p[IDX["radius_r"]]
        om = np.array(speeds_m_s, dtype=float) / np.array([rf, rf, rr, rr])
        m[M_WHEEL_SPEED:M_WHEEL_SPEED + 4] = om
        if motor:
            m[M_MOTOR_SPEED] = 0.5 * (om[0] + om[1]) * p[IDX["gear_f"]]
            m[M_MOTOR_SPEED + 1] = 0.5 * (om[2] + om[3]) * p[IDX["gear_r"]]

    def step(self, n=1):
        for _ in range(n):
            estimate(self.p, self.s, self.meas, DT, self.est)
        return self.est


# ---------------------------------------------------------------- loads
@pytest.mark.parametrize("ax", [-12.0, -9.8, -3.0, 0.0, 2.5, 6.0])
def test_axle_loads_sum_to_weight_and_shift_by_m_ax_h_over_l(params, ax):
    p = params()
    geo = _geometry(p)
    f, r = axle_loads(p, ax)
    assert f + r == pytest.approx(geo["mass"] * geo["g"], rel=1e-12)
    f0, _ = axle_loads(p, 0.0)
    assert f0 - f == pytest.approx(geo["mass"] * ax * geo["cg_height"] / geo["wheelbase"], rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("ax,ay", [(0.0, 0.0), (2.0, 3.0), (-6.0, -4.0), (0.0, 7.0)])
def test_wheel_loads_sum_to_weight_and_balance_the_roll_moment(params, ax, ay):
    p = params()
    geo = _geometry(p)
    out = np.zeros(4)
    wheel_loads(p, _meas(ax=ax, ay=ay), out)
    assert out.sum() == pytest.approx(geo["mass"] * geo["g"], rel=1e-12)
    moment = (out[1] - out[0]) * geo["track_f"] / 2 + (out[3] - out[2]) * geo["track_r"] / 2
    assert moment == pytest.approx(geo["mass"] * ay * geo["cg_height"], rel=1e-9, abs=1e-6)


# ---------------------------------------------------------------- speed
def test_speed_converges_to_freely_rolling_wheels(params):
    sc = Scripted(params())
    sc.wheels([10.0] * 4)
    sc.step()
    # start the estimate off by 2 m/s: the wheels pull it back within a few tenths of a second
    from twinmotor.control.params import CS_EST

    sc.s[CS_EST] = 12.0
    est = sc.step(500)
    assert est[E_V] == pytest.approx(10.0, abs=0.02)


def test_speed_holds_when_all_four_wheels_spin(params):
    """AWD launch on snow: every wheel runs 30 % ahead of the car, the motors drive hard; the
    slowest wheel is no reference, the integrated accelerometer is."""
    p = params()
    sc = Scripted(p)
    a = 2.5
    v = 0.0
    sc.wheels([0.0] * 4)
    sc.step()
    for _ in range(4000):
        v += a * DT
        sc.wheels([1.3 * v + 0.5] * 4)
        sc.meas[M_AX] = a * (1.0 + G * p[IDX["pitch_grad_drive"]])  # the tilted accelerometer's reading
        sc.meas[M_MOTOR_TORQUE:M_MOTOR_TORQUE + 2] = 300.0
        sc.step()
    assert sc.est[E_V] == pytest.approx(v, rel=0.02)


def test_speed_holds_when_all_four_wheels_lock(params):
    p = params()
    sc = Scripted(p)
    v = 25.0
    sc.wheels([v] * 4)
    sc.step(10)
    a = -7.0
    for _ in range(2000):
        v += a * DT
        sc.wheels([0.0] * 4)
        sc.meas[M_AX] = a * (1.0 + G * p[IDX["pitch_grad_brake"]])
        sc.meas[M_BRAKE_TORQUE:M_BRAKE_TORQUE + 4] = 2500.0
        sc.step()
    assert sc.est[E_V] == pytest.approx(v, abs=0.3)


def test_speed_settles_to_zero_at_standstill(params):
    sc = Scripted(params())
    sc.wheels([0.0] * 4)
    sc.step()
    from twinmotor.control.params import CS_EST

    sc.s[CS_EST] = 0.3
    assert abs(sc.step(500)[E_V]) < 1e-3


def test_grade_is_found_from_the_accelerometer(params):
    """Constant speed up a 5 % grade: the accelerometer reads g sin(grade) (specific force) while
    the wheels do not accelerate; the estimate converges to atan(0.05)."""
    p = params()
    sc = Scripted(p)
    sc.wheels([15.0] * 4)
    sc.meas[M_AX] = G * math.sin(math.atan(0.05)) * (1.0 + G * p[IDX["pitch_grad_drive"]])
    sc.meas[M_MOTOR_TORQUE:M_MOTOR_TORQUE + 2] = 40.0
    est = sc.step(15000)
    assert est[E_GRADE] == pytest.approx(math.atan(0.05), rel=0.03)


# ---------------------------------------------------------------- sideslip
def test_sideslip_is_zero_driving_straight(params):
    sc = Scripted(params())
    sc.wheels([20.0] * 4)
    assert sc.step(2000)[E_BETA] == pytest.approx(0.0, abs=1e-9)


def test_sideslip_follows_the_single_track_model_in_a_gentle_turn(params):
    """A steady turn at 0.2 g (linear range): the estimate is the model's steady-state sideslip."""
    p = params()
    v, steer = 20.0, 0.01
    k_us, wb = p[IDX["k_us"]], p[IDX["wheelbase"]]
    r = v * steer / (wb + k_us * v * v)
    sc = Scripted(p)
    sc.wheels([v] * 4)
    sc.meas[M_STEER] = steer
    sc.meas[M_YAW_RATE] = r
    sc.meas[M_AY] = r * v * (1.0 + G * p[IDX["roll_grad"]])
    est = sc.step(5000)
    assert est[E_VY] == pytest.approx(model_sideslip(p, v, steer) * v, rel=0.05, abs=0.005)


# ---------------------------------------------------------------- road friction
def test_friction_is_the_dry_peak_without_evidence(params):
    p = params()
    sc = Scripted(p)
    sc.wheels([20.0] * 4)
    est = sc.step(100)
    mu_dry = min(p[IDX["mu_peak_f"]], p[IDX["mu_peak_r"]])
    assert est[E_MU_LEFT] == pytest.approx(mu_dry) and est[E_MU_RIGHT] == pytest.approx(mu_dry)


def test_friction_falls_to_what_a_regulated_wheel_uses_on_its_side(params):
    """Split friction: the left wheels held by the ABS at their slip target with a small brake
    torque (the friction they can use), the right ones braking harder without ABS: the left
    estimate falls to the used friction / 0.9, the right one stays near the dry peak; when the
    evidence ends the left estimate rises back slowly (seconds, not milliseconds)."""
    p = params()
    sc = Scripted(p)
    v = 15.0
    sc.wheels([v] * 4)
    sc.step()
    fz = np.zeros(4)
    wheel_loads(p, sc.meas, fz)
    mu_low = 0.15
    rf, rr = p[IDX["radius_f"]], p[IDX["radius_r"]]
    sc.meas[M_BRAKE_TORQUE + 0] = mu_low * fz[0] * rf
    sc.meas[M_BRAKE_TORQUE + 2] = mu_low * fz[2] * rr
    sc.wheels([0.9 * v, v, 0.9 * v, v])
    for _ in range(600):
        sc.s[CS_ABS + 0] = sc.s[CS_ABS + 2] = 0.5  # the ABS is holding the left wheels
        sc.s[CS_TC] = sc.s[CS_TC + 1] = 0.0
        sc.step()
    mu_dry = min(p[IDX["mu_peak_f"]], p[IDX["mu_peak_r"]])
    assert sc.est[E_MU_LEFT] == pytest.approx(mu_low / 0.9, rel=0.1)
    assert sc.est[E_MU_RIGHT] > 0.9 * mu_dry
    sc.s[CS_ABS:CS_ABS + 4] = 0.0
    sc.meas[M_BRAKE_TORQUE:M_BRAKE_TORQUE + 4] = 0.0
    sc.wheels([v] * 4)
    after_100ms = sc.step(100)[E_MU_LEFT]
    assert after_100ms < 0.5 * mu_dry
    assert sc.step(8000)[E_MU_LEFT] == pytest.approx(mu_dry, rel=0.02)


# ---------------------------------------------------------------- no truth
TRUE_ENTRIES = [i for i, n in enumerate(MEAS_NAMES) if n.startswith("true_")]


def test_the_truth_entries_are_the_ones_named_true():
    assert {M_TRUE_VX, M_TRUE_VY, M_TRUE_X, M_TRUE_Y, M_TRUE_YAW, M_TRUE_FZ, M_TRUE_MU} <= set(TRUE_ENTRIES)


def _drive(p, meas, steps=300):
    s = np.zeros(N_STATE)
    cmd = np.zeros(N_CMD)
    est = np.zeros(N_EST)
    drv = np.zeros(N_DRV)
    out = []
    for k in range(steps):
        drv[0] = 0.6 if k < steps // 2 else 0.0
        drv[1] = 0.0 if k < steps // 2 else 0.5
        meas[M_STEER] = 0.02
        meas[M_YAW_RATE] = 0.1
        chassis_control_step(p, s, meas, drv, DT, cmd, est)
        out.append(cmd.copy())
    return np.array(out)


@pytest.mark.parametrize("controller", ["baseline", "integrated"])
def test_the_built_in_controllers_never_read_the_truth(meas_factory, params, controller):
    """Poisoning every true entry with NaN changes nothing, bit for bit."""
    p = params(controller=controller)
    clean = meas_factory(p, 20.0, ax=0.5, ay=1.0, mu=0.4)
    poisoned = clean.copy()
    poisoned[TRUE_ENTRIES] = np.nan
    a = _drive(p, clean)
    b = _drive(p, poisoned)
    assert np.all(np.isfinite(b))
    assert np.array_equal(a, b)


def test_the_oracle_setting_reads_the_truth(meas_factory, params):
    p = params(estimator=1.0)
    clean = meas_factory(p, 20.0, mu=0.4)
    poisoned = clean.copy()
    poisoned[TRUE_ENTRIES] = np.nan
    assert not np.all(np.isfinite(_drive(p, poisoned)))
