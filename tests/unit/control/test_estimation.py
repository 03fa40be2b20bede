"""State estimation: speed and sideslip, road friction, axle and wheel loads.

Facts checked: axle and wheel loads sum to m g for any acceleration (static equilibrium, Gillespie
eqs. 2-4 and 2-11); the longitudinal transfer is m ax h / L; the left/right transfer satisfies the
roll-moment balance sum_axles (Fz_right - Fz_left) t / 2 = m ay h; the friction estimate scales
with the road's friction under the wheels.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinmotor.control.estimation import axle_loads, road_friction, side_friction, speed_and_sideslip, wheel_loads
from twinmotor.control.params import IDX
from twinmotor.layout import M_AX, M_AY, M_TRUE_MU, M_TRUE_VX, M_TRUE_VY, N_MEAS

REL = 1e-12


def _meas(**values) -> np.ndarray:
    m = np.zeros(N_MEAS)
    index = {"vx": M_TRUE_VX, "vy": M_TRUE_VY, "ax": M_AX, "ay": M_AY}
    for k, v in values.items():
        m[index[k]] = v
    return m


def _geometry(p):
    return {k: p[IDX[k]] for k in ("mass", "g", "wheelbase", "lf", "lr", "cg_height", "track_f", "track_r")}


# ---------------------------------------------------------------- speed and sideslip
@pytest.mark.parametrize("vx,vy", [(20.0, 0.0), (20.0, 1.0), (20.0, -1.5), (3.0, 0.4), (-10.0, 1.0)])
def test_sideslip_is_atan_vy_over_abs_vx(vx, vy):
    v, lat, beta = speed_and_sideslip(_meas(vx=vx, vy=vy))
    assert (v, lat) == (vx, vy)
    assert beta == pytest.approx(math.atan2(vy, abs(vx)), rel=REL, abs=1e-15)


def test_sideslip_is_zero_near_standstill():
    # vy / vx is meaningless at walking pace: no sideslip below 0.5 m/s
    assert speed_and_sideslip(_meas(vx=0.3, vy=0.2))[2] == 0.0


# ---------------------------------------------------------------- axle loads
@pytest.mark.parametrize("ax", [-12.0, -9.8, -3.0, 0.0, 2.5, 6.0])
def test_axle_loads_sum_to_weight_and_shift_by_m_ax_h_over_l(params, ax):
    p = params()
    c = _geometry(p)
    f, r = axle_loads(p, ax)
    weight = c["mass"] * c["g"]
    assert f + r == pytest.approx(weight, rel=REL)
    transfer = c["mass"] * ax * c["cg_height"] / c["wheelbase"]
    f0, r0 = axle_loads(p, 0.0)
    assert f0 - f == pytest.approx(transfer, rel=1e-9, abs=1e-9)
    assert r - r0 == pytest.approx(transfer, rel=1e-9, abs=1e-9)


def test_static_axle_load_matches_preset_weight_distribution(params, vehicle_awd, vehicle_fwd):
    for name, vehicle in (("leaf-e-plus-awd", vehicle_awd), ("leaf-e-plus", vehicle_fwd)):
        p = params(name)
        f, r = axle_loads(p, 0.0)
        assert f / (f + r) == pytest.approx(vehicle.front_axle_load_fraction, rel=1e-12)


# ---------------------------------------------------------------- wheel loads
AX_AY = [(0.0, 0.0), (2.0, 0.0), (-6.0, 0.0), (0.0, 4.0), (0.0, -4.0), (-3.0, 5.0), (2.0, -3.0)]


@pytest.mark.parametrize("ax,ay", AX_AY)
def test_wheel_loads_sum_to_weight(params, ax, ay):
    p = params()
    c = _geometry(p)
    fz = np.empty(4)
    wheel_loads(p, _meas(ax=ax, ay=ay), fz)
    assert fz.sum() == pytest.approx(c["mass"] * c["g"], rel=1e-12)
    # each axle carries its axle load
    f, r = axle_loads(p, ax)
    assert fz[0] + fz[1] == pytest.approx(f, rel=1e-12)
    assert fz[2] + fz[3] == pytest.approx(r, rel=1e-12)


@pytest.mark.parametrize("ax,ay", AX_AY)
def test_lateral_transfer_balances_the_roll_moment(params, ax, ay):
    p = params()
    c = _geometry(p)
    fz = np.empty(4)
    wheel_loads(p, _meas(ax=ax, ay=ay), fz)
    # ISO 8855: y left, so ay > 0 (left turn) loads the right-hand wheels (odd indices)
    moment = (fz[1] - fz[0]) * c["track_f"] / 2.0 + (fz[3] - fz[2]) * c["track_r"] / 2.0
    assert moment == pytest.approx(c["mass"] * ay * c["cg_height"], rel=1e-9, abs=1e-6)
    if ay > 0.0:
        assert fz[1] > fz[0] and fz[3] > fz[2]
    if ay == 0.0:
        assert fz[0] == pytest.approx(fz[1], rel=REL) and fz[2] == pytest.approx(fz[3], rel=REL)


def test_lateral_transfer_is_shared_by_axle_load(params):
    # the front axle takes its load share of the roll moment (roll stiffness ~ load share)
    p = params()
    c = _geometry(p)
    ay = 4.0
    fz = np.empty(4)
    wheel_loads(p, _meas(ay=ay), fz)
    f, r = axle_loads(p, 0.0)
    front_moment = (fz[1] - fz[0]) * c["track_f"] / 2.0
    assert front_moment / (c["mass"] * ay * c["cg_height"]) == pytest.approx(f / (f + r), rel=1e-9)


def test_wheel_loads_mirror_with_the_turn_direction(params):
    p = params()
    left, right = np.empty(4), np.empty(4)
    wheel_loads(p, _meas(ax=-2.0, ay=5.0), left)
    wheel_loads(p, _meas(ax=-2.0, ay=-5.0), right)
    assert left == pytest.approx(right[[1, 0, 3, 2]], rel=REL)


def test_wheel_loads_never_negative_beyond_rollover_threshold(params):
    p = params()
    fz = np.empty(4)
    # ay = 2 g is beyond the static stability factor t / (2 h) ~ 1.5 g: the inner wheels lift
    wheel_loads(p, _meas(ay=2.0 * 9.80665), fz)
    assert np.all(fz >= 0.0)
    assert fz[0] == 0.0 and fz[2] == 0.0


# ---------------------------------------------------------------- road friction
def _mu_meas(mus) -> np.ndarray:
    m = np.zeros(N_MEAS)
    m[M_TRUE_MU:M_TRUE_MU + 4] = mus
    return m


@pytest.mark.parametrize("scale", [1.0, 0.8, 0.5, 0.15])
def test_friction_estimate_scales_with_road_friction(params, scale):
    p = params(mu_estimate=1.0)
    mu_tire = min(p[IDX["mu_peak_f"]], p[IDX["mu_peak_r"]])
    assert road_friction(p, _mu_meas([scale] * 4)) == pytest.approx(scale * mu_tire, rel=REL)
    assert side_friction(p, _mu_meas([scale] * 4), True) == pytest.approx(scale * mu_tire, rel=REL)


def test_dry_road_friction_is_the_tire_peak(params):
    # on the tire data's own surface (scale 1) the estimate is the tire's peak friction, about 1 for a road tire
    p = params()
    mu = road_friction(p, _mu_meas([1.0] * 4))
    assert 0.8 < mu < 1.2


def test_split_mu_sides_and_average(params):
    p = params(mu_estimate=1.0)
    mu_tire = min(p[IDX["mu_peak_f"]], p[IDX["mu_peak_r"]])
    m = _mu_meas([0.2, 1.0, 0.2, 1.0])  # left on ice, right on asphalt
    assert side_friction(p, m, True) == pytest.approx(0.2 * mu_tire, rel=REL)
    assert side_friction(p, m, False) == pytest.approx(1.0 * mu_tire, rel=REL)
    assert road_friction(p, m) == pytest.approx(0.6 * mu_tire, rel=REL)


def test_friction_estimation_off_assumes_dry(params):
    p = params(mu_estimate=0.0)
    mu_tire = min(p[IDX["mu_peak_f"]], p[IDX["mu_peak_r"]])
    m = _mu_meas([0.1, 0.1, 0.3, 0.3])
    assert road_friction(p, m) == mu_tire
    assert side_friction(p, m, True) == mu_tire and side_friction(p, m, False) == mu_tire
