"""Grade: a braked car stays put on a hill; a coasting car speeds up downhill by gravity less its
road load.

References:
- Held by its brakes: the friction brakes (several kN m per wheel) far exceed the torque the slope
  puts on the wheels (m g sin(theta) R / 4, about 0.15 kN m per wheel at 10 %), so after the brake
  pressure has built up (60 ms) the car must not move: |x| < 1 cm and |vx| < 1 mm/s after 3 s.
- Coasting on a grade theta = atan(grade): m_eff a = -m g sin(theta) - F_aero - f_rr m g cos(theta)
  - F_motor (test_physics_coasting for the terms and m_eff); downhill this is about
  g sin(atan 0.05) = 0.49 m/s^2 less the road load.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import twinmotor as tm

PRESETS = ["leaf-40", "leaf-e-plus", "leaf-e-plus-awd", "leaf-nismo-rc"]


@pytest.mark.parametrize("grade_pct", [10.0])
@pytest.mark.parametrize("preset", PRESETS)
def test_braked_car_holds_on_a_10_percent_grade(sim, preset, grade_pct):
    """Standing start facing uphill, full brake pedal from t = 0 (open controller), 3 s on a 10 %
    slope: |x| < 1 cm, |vx| < 1 mm/s at the end."""
    res = sim.run(tm.load_vehicle(preset), [(0.0, 0, 1, 0, 0), (5.0, 0, 1, 0, 0)], 3.0,
                  road=tm.Road(name=f"{grade_pct:+g} %", grade_pct=grade_pct))
    x_end, vx_end = res["x"][-1], res["vx"][-1]
    assert abs(x_end) < 0.01 and abs(vx_end) < 1e-3, (
        f"{preset} on {grade_pct:+g} %: x = {x_end * 100:.2f} cm, vx = {vx_end * 1000:.2f} mm/s after 3 s with the "
        f"brakes applied (wheel speeds fl {res['omega_fl'][-1]:+.3f}, rl {res['omega_rl'][-1]:+.3f} rad/s)")


@pytest.mark.parametrize("preset", PRESETS)
def test_coasting_downhill_accelerates_by_gravity_less_road_load(sim, preset):
    """From 50 km/h on a -5 % grade, no pedals: the speed rises at the analytic rate (module
    docstring) within 3 %, which is below g sin(atan 0.05)."""
    theta = math.atan(-0.05)
    res = sim.run(tm.load_vehicle(preset), [(0.0, 0, 0, 0, 0), (5.0, 0, 0, 0, 0)], 2.0, speed_m_s=50.0 * sim.KMH,
                  road=tm.Road(name="-5 %", grade_pct=-5.0))
    t, vx = res["time"], res["vx"]
    sel = (t >= 0.5) & (t <= 1.5)
    measured = (vx[sel][-1] - vx[sel][0]) / (t[sel][-1] - t[sel][0])
    expected = float(np.mean([sim.road_load(res, v, grade_rad=theta) for v in vx[sel]]))
    assert 0.0 < expected < sim.vp(res, "g") * math.sin(-theta)
    assert measured == pytest.approx(expected, rel=0.03)
