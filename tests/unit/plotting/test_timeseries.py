"""Channels against time in the units a test engineer reads: m/s -> km/h, rad -> deg, m/s^2 -> g,
and one panel per channel holding exactly the scaled channel."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from twinmotor.plotting.timeseries import DISPLAY, display, plot_channels
from twinmotor.simulation.result import Result


@pytest.fixture
def plt():
    """pyplot on the Agg backend (no display), every figure closed afterwards."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def _result() -> Result:
    t = np.linspace(0.01, 2.0, 200)
    channels = {"time": t, "vx": 10.0 + 2.0 * t, "pitch": 0.01 * np.sin(t), "ay": 9.80665 * 0.5 * t,
                "soc": 0.9 - 0.001 * t}
    return Result(vehicle="leaf-e-plus", test="accel", controller="baseline", surface="dry", channels=channels)


def test_display_factors_are_the_unit_definitions():
    assert DISPLAY["vx"][0] * 1.0 == pytest.approx(3.6, rel=1e-15)  # 1 m/s = 3.6 km/h
    for name in ("pitch", "pitch_rate", "roll", "yaw_rate", "steer"):
        assert DISPLAY[name][0] == pytest.approx(57.29577951308232, rel=1e-15)  # 1 rad in deg
    for name in ("ax", "ay"):
        assert DISPLAY[name][0] * 9.80665 == pytest.approx(1.0, rel=1e-15)  # standard gravity is 1 g
    assert DISPLAY["vx"][1] == "km/h" and DISPLAY["pitch"][1] == "deg" and DISPLAY["ay"][1] == "g"


def test_display_scales_known_channels_and_passes_others_with_their_si_unit():
    r = _result()
    y, unit, _label = display("vx", r.channels)
    assert unit == "km/h" and np.allclose(y, 3.6 * r.channels["vx"], rtol=1e-15)
    y, unit, _label = display("ay", r.channels)
    assert unit == "g" and np.allclose(y, 0.5 * r.channels["time"], rtol=1e-14)
    y, unit, label = display("soc", r.channels)
    assert y is r.channels["soc"] and unit == "-" and label == "soc"


def test_plot_channels_draws_one_panel_per_channel_with_the_scaled_data(plt):
    r = _result()
    names = ["vx", "pitch", "ay", "soc"]
    fig = plot_channels(r, names)
    assert len(fig.axes) == len(names)
    for ax, name in zip(fig.axes, names):
        (line,) = ax.lines
        expected, unit, _label = display(name, r.channels)
        assert np.array_equal(line.get_xdata(), r.channels["time"])
        assert np.allclose(line.get_ydata(), expected, rtol=1e-15, atol=0.0)
        assert ax.get_ylabel().endswith(f"[{unit}]")
    assert fig.axes[-1].get_xlabel() == "time [s]"
    assert fig.axes[0].get_title() == "accel: leaf-e-plus, baseline, dry"


def test_plot_channels_draws_into_given_axes(plt):
    r = _result()
    fig, axes = plt.subplots(2, 1)
    assert plot_channels(r, ["vx", "pitch"], axes=list(axes)) is fig
    assert np.allclose(axes[1].lines[0].get_ydata(), np.degrees(r.channels["pitch"]), rtol=1e-14)
