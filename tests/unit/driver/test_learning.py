"""The learning driver (iterative learning control, Arimoto 1984): path + gain * (line - achieved)
over the part of the run where the car moved forward; elsewhere the path stays."""

from __future__ import annotations

import numpy as np
import pytest

from twinmotor.driver.learning import learn_path

LINE_X = np.arange(-10.0, 80.0 + 1e-9, 0.5)
LINE_Y = 1.5 * np.tanh((LINE_X - 30.0) / 8.0) + 1.5  # a smooth swerve to the left
PATH = LINE_Y + 0.1 * np.sin(LINE_X / 7.0)  # what the driver steered for last time


def test_a_run_that_followed_the_line_changes_nothing():
    run_x = np.linspace(-10.0, 80.0, 721)  # every 0.125 m: passes through each node of the line
    run_y = np.interp(run_x, LINE_X, LINE_Y)
    new = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, 0.7)
    assert np.allclose(new, PATH, rtol=0.0, atol=1e-12)


@pytest.mark.parametrize("gain", [0.3, 0.5, 1.0])
@pytest.mark.parametrize("offset", [-0.2, 0.05, 0.4])
def test_a_constant_offset_moves_the_path_by_gain_times_the_error(gain, offset):
    """Run e to the left of the line everywhere: error line - achieved = -e, path moves by -g e."""
    run_x = np.linspace(-12.0, 85.0, 777)
    run_y = np.interp(run_x, LINE_X, LINE_Y) + offset
    new = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, gain)
    # the run's straight-segment interpolation of a curved line adds at most ~1e-3 m
    assert np.allclose(new - PATH, -gain * offset, atol=2e-3 * gain)


def test_nodes_beyond_the_runs_reach_keep_their_path():
    run_x = np.linspace(-12.0, 40.0, 300)  # stopped (or spun) at 40 m
    run_y = np.interp(run_x, LINE_X, LINE_Y) + 0.3
    new = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, 0.5)
    reached = LINE_X <= 40.0
    assert np.array_equal(new[~reached], PATH[~reached])
    assert np.allclose(new[reached] - PATH[reached], -0.15, atol=2e-3)


def test_nodes_before_the_run_started_keep_their_path():
    run_x = np.linspace(0.0, 85.0, 300)
    run_y = np.interp(run_x, LINE_X, LINE_Y) - 0.2
    new = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, 1.0)
    assert np.array_equal(new[LINE_X < 0.0], PATH[LINE_X < 0.0])
    assert np.allclose(new[LINE_X >= 0.0] - PATH[LINE_X >= 0.0], 0.2, atol=2e-3)


def test_the_run_is_cut_where_the_car_first_moves_backward():
    """A car that spins and slides back over ground it covered: only the part before the first
    backward step counts, even if it later moves forward again."""
    forward = np.linspace(-12.0, 35.0, 200)
    back = np.linspace(35.0, 20.0, 40)[1:]
    again = np.linspace(20.0, 85.0, 200)[1:]
    run_x = np.concatenate([forward, back, again])
    run_y = np.concatenate([np.interp(forward, LINE_X, LINE_Y) + 0.1,  # 0.1 m left before the spin
                            np.full(back.size, 9.0), np.full(again.size, -9.0)])  # wild afterwards
    new = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, 1.0)
    reached = LINE_X <= 35.0
    assert np.allclose(new[reached] - PATH[reached], -0.1, atol=2e-3)
    assert np.array_equal(new[~reached], PATH[~reached])


def test_zero_gain_keeps_the_path_and_the_update_is_linear_in_the_gain():
    run_x = np.linspace(-12.0, 85.0, 500)
    run_y = np.interp(run_x, LINE_X, LINE_Y) + 0.05 * np.cos(run_x / 5.0)
    p0 = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, 0.0)
    p1 = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, 1.0)
    p_half = learn_path(PATH, LINE_X, LINE_Y, run_x, run_y, 0.5)
    assert np.array_equal(p0, PATH)
    assert np.allclose(p_half - PATH, 0.5 * (p1 - PATH), atol=1e-15)
