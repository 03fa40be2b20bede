"""Steady-state cornering: lateral load transfer and roll angle.

Analytic references (steady turn, small roll angle, whole mass at the centre-of-gravity height h):

- Lateral load transfer, moment balance about the roll axis of the whole car:
      t_f dFz_f + t_r dFz_r = m a_y h,     dFz_axle = (Fz_outer - Fz_inner) / 2
  (for equal tracks t: dFz_f + dFz_r = m a_y h / t).
- Roll angle: the springs (wheel rate k per corner, moment k t^2 / 2 per axle) and anti-roll bars
  carry the roll moment less what the roll centres (heights h_rc) pass through the links
  (Milliken & Milliken, Race Car Vehicle Dynamics, 1995, ch. 18):
      phi = (m a_y h - h_rc,f Fy_f - h_rc,r Fy_r) / (k_f t_f^2 / 2 + K_arb,f + k_r t_r^2 / 2 + K_arb,r)
  with Fy_axle the axle's lateral force in body axes; roll positive to the right (left side up).

The car holds 60 km/h with the speed driver (driver kind 1) and a constant road-wheel steer to the
left; the measurement window starts after the transient has settled.
"""

from __future__ import annotations

import numpy as np
import pytest

import twinmotor as tm
from twinmotor.layout import DRIVER_SPEED

SPEED_KMH = 60.0
STEER_RAD = 0.03  # road wheel: about 0.26 g at 60 km/h, well inside the linear tire range
SETTLED_FROM_S = 4.0


def steady_turn(sim, preset: str) -> tuple[tm.Result, np.ndarray]:
    v0 = SPEED_KMH * sim.KMH
    res = sim.run(tm.load_vehicle(preset),
                  [(0.0, 0, 0, 0.0, v0), (0.5, 0, 0, STEER_RAD, v0), (10.0, 0, 0, STEER_RAD, v0)], 5.0,
                  speed_m_s=v0, driver_kind=DRIVER_SPEED, driver_gains={"kp_speed": 0.5, "ki_speed": 0.5})
    sel = res["time"] >= SETTLED_FROM_S
    assert np.ptp(res["vx"][sel]) < 0.01 and np.ptp(res["ay"][sel]) < 0.01  # it is a steady state
    return res, sel


@pytest.mark.parametrize("preset", ["leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"])
def test_lateral_load_transfer_in_a_steady_turn(sim, preset):
    """t_f dFz_f + t_r dFz_r = m a_y h within 3 %, each track with its own width."""
    res, sel = steady_turn(sim, preset)
    m, h = sim.vp(res, "mass"), sim.vp(res, "cg_height")
    t_f, t_r = sim.vp(res, "track_f"), sim.vp(res, "track_r")
    ay = res["ay"][sel]
    assert np.min(ay) > 2.0  # a left turn of about 0.25 g
    dfz_f = 0.5 * (res["fz_fr"] - res["fz_fl"])[sel]  # outer (right) minus inner (left)
    dfz_r = 0.5 * (res["fz_rr"] - res["fz_rl"])[sel]
    np.testing.assert_allclose(t_f * dfz_f + t_r * dfz_r, m * ay * h, rtol=0.03)


@pytest.mark.parametrize("preset", ["leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"])
def test_steady_roll_angle_from_roll_stiffness_and_roll_centres(sim, preset):
    """phi = (m a_y h - h_rc,f Fy_f - h_rc,r Fy_r) / K_roll within 3 % (module docstring); the body
    rolls to the outside of the turn (positive roll in a left turn)."""
    res, sel = steady_turn(sim, preset)
    m, h = sim.vp(res, "mass"), sim.vp(res, "cg_height")
    t_f, t_r = sim.vp(res, "track_f"), sim.vp(res, "track_r")
    steer = res["steer"][sel]
    # front tire forces to body axes (the rear wheels are not steered)
    fy_f = ((res["fy_fl"] + res["fy_fr"])[sel] * np.cos(steer) + (res["fx_fl"] + res["fx_fr"])[sel] * np.sin(steer))
    fy_r = (res["fy_rl"] + res["fy_rr"])[sel]
    np.testing.assert_allclose(fy_f + fy_r, m * res["ay"][sel], rtol=1e-6)
    k_roll = (0.5 * sim.vp(res, "spring_f") * t_f ** 2 + sim.vp(res, "arb_f")
              + 0.5 * sim.vp(res, "spring_r") * t_r ** 2 + sim.vp(res, "arb_r"))
    expected = (m * res["ay"][sel] * h - sim.vp(res, "rc_f") * fy_f - sim.vp(res, "rc_r") * fy_r) / k_roll
    assert np.all(expected > 0.0)
    np.testing.assert_allclose(res["roll"][sel], expected, rtol=0.03)
