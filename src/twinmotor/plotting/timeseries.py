"""Channels of a run against time, in the units a test engineer reads (km/h, deg, g)."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import DEG_PER_RAD, G_M_S2, KMH
from twinmotor.layout import LOG_UNITS

#: channel -> (factor from SI, unit, label) for display
DISPLAY = {
    "vx": (1.0 / KMH, "km/h", "speed"),
    "pitch": (DEG_PER_RAD, "deg", "pitch (+ nose down)"),
    "pitch_rate": (DEG_PER_RAD, "deg/s", "pitch rate"),
    "roll": (DEG_PER_RAD, "deg", "roll"),
    "yaw_rate": (DEG_PER_RAD, "deg/s", "yaw rate"),
    "steer": (DEG_PER_RAD, "deg", "road-wheel steer"),
    "ax": (1 / G_M_S2, "g", "long. accel."),
    "ay": (1 / G_M_S2, "g", "lat. accel."),
}


def display(name: str, channels: dict) -> tuple[np.ndarray, str, str]:
    """A channel scaled for display, its unit and its label."""
    y = channels[name]
    if name in DISPLAY:
        k, unit, label = DISPLAY[name]
        return y * k, unit, label
    return y, LOG_UNITS.get(name, ""), name


def plot_channels(result, names: list[str], axes=None):
    """One panel per channel against time [s]; returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(len(names), 1, sharex=True, figsize=(7, 2.0 * len(names)), squeeze=False)
        axes = axes[:, 0]
    else:
        fig = axes[0].figure
    t = result.channels["time"]
    for ax, name in zip(axes, names):
        y, unit, label = display(name, result.channels)
        ax.plot(t, y, lw=1.2)
        ax.set_ylabel(f"{label} [{unit}]")
        ax.grid(True, alpha=0.3)
    axes[-1].set_xlabel("time [s]")
    axes[0].set_title(f"{result.test}: {result.vehicle}, {result.controller}, {result.surface}")
    fig.tight_layout()
    return fig
