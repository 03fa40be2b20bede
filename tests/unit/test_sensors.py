"""The sensors' noise stream: blocks continue one stream (a run cut into chunks draws what an uncut
run draws), each seed has its own stream, the draws are unit normal, and ideal sensors draw nothing."""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.sensors import N_NOISE, Sensors


def test_blocks_continue_one_stream():
    whole = Sensors.typical(seed=4).noise_stream().block(8)
    s = Sensors.typical(seed=4).noise_stream()
    parts = np.vstack([s.block(3), s.block(1), s.block(4)])
    assert whole.shape == (8, N_NOISE)
    assert np.array_equal(parts, whole)


def test_seeds_draw_different_noise_and_ideal_draws_none():
    a = Sensors.typical(seed=1).noise_stream().block(4)
    b = Sensors.typical(seed=2).noise_stream().block(4)
    assert not np.allclose(a, b)
    assert np.array_equal(Sensors().noise_stream().block(1000), np.zeros((1, N_NOISE)))


def test_draws_are_unit_normal():
    z = Sensors.typical(seed=0).noise_stream().block(20000)
    # 320,000 draws: the mean's standard error is 0.0018, the standard deviation's 0.0013
    assert float(z.mean()) == pytest.approx(0.0, abs=0.01)
    assert float(z.std()) == pytest.approx(1.0, abs=0.01)
