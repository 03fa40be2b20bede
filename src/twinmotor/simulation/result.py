"""Simulation results: every channel as arrays, the test's KPIs and verdict, plots and tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinmotor.simulation.layout import LOG_UNITS


@dataclass
class Result:
    """What one test run gives back.

    `channels` maps channel name to array (SI units; `units[name]` gives each unit), sampled at the
    log rate from t = one step after the start. `kpis` carry their unit in the name. `runs` holds the
    sub-runs of tests made of several simulations (bisections, amplitude series).
    """

    vehicle: str
    test: str
    controller: str
    surface: str
    channels: dict[str, np.ndarray] = field(default_factory=dict)
    kpis: dict[str, float] = field(default_factory=dict)
    passed: bool | None = None
    wall_time_s: float = 0.0
    simulated_time_s: float = 0.0
    energy_j: dict[str, float] = field(default_factory=dict)
    runs: list["Result"] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def units(self) -> dict[str, str]:
        return {k: LOG_UNITS.get(k, "") for k in self.channels}

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.channels[name]
        except KeyError:
            raise KeyError(f"no channel '{name}'; channels: {', '.join(self.channels)}") from None

    def to_pandas(self):
        """Channels as a pandas DataFrame indexed by time [s]."""
        import pandas as pd

        df = pd.DataFrame({k: v for k, v in self.channels.items()})
        if "time" in df:
            df = df.set_index("time")
        return df

    def summary(self) -> dict[str, Any]:
        """The JSON contract of `twinmotor run --json`."""
        return {
            "vehicle": self.vehicle,
            "test": self.test,
            "controller": self.controller,
            "surface": self.surface,
            "kpis": {k: _json_number(v) for k, v in self.kpis.items()},
            "passed": self.passed,
            "simulated_time_s": round(float(self.simulated_time_s), 6),
            "wall_time_s": round(float(self.wall_time_s), 6),
        }

    def to_json(self) -> str:
        return json.dumps(self.summary())

    def plot(self, channels: list[str] | None = None, axes=None):
        """Plot channels against time (defaults chosen by the test); returns the matplotlib Figure."""
        hook = self.info.get("plot_function")
        if hook and channels is None:
            import importlib

            module, func = hook.split(":")
            return getattr(importlib.import_module(module), func)(self)
        import matplotlib.pyplot as plt

        names = channels or self.info.get("plot_channels") or ["vx", "ax", "pitch"]
        if axes is None:
            fig, axes = plt.subplots(len(names), 1, sharex=True, figsize=(7, 2.0 * len(names)), squeeze=False)
            axes = axes[:, 0]
        else:
            fig = axes[0].figure
        t = self.channels["time"]
        for ax, name in zip(axes, names):
            y, unit, label = _display(name, self.channels)
            ax.plot(t, y, lw=1.2)
            ax.set_ylabel(f"{label} [{unit}]")
            ax.grid(True, alpha=0.3)
        axes[-1].set_xlabel("time [s]")
        axes[0].set_title(f"{self.test}: {self.vehicle}, {self.controller}, {self.surface}")
        fig.tight_layout()
        return fig


_DISPLAY = {
    "vx": (3.6, "km/h", "speed"),
    "pitch": (180 / np.pi, "deg", "pitch (+ nose down)"),
    "pitch_rate": (180 / np.pi, "deg/s", "pitch rate"),
    "roll": (180 / np.pi, "deg", "roll"),
    "yaw_rate": (180 / np.pi, "deg/s", "yaw rate"),
    "steer": (180 / np.pi, "deg", "road-wheel steer"),
    "ax": (1 / 9.80665, "g", "long. accel."),
    "ay": (1 / 9.80665, "g", "lat. accel."),
}


def _display(name: str, channels: dict) -> tuple[np.ndarray, str, str]:
    y = channels[name]
    if name in _DISPLAY:
        k, unit, label = _DISPLAY[name]
        return y * k, unit, label
    return y, LOG_UNITS.get(name, ""), name


def _json_number(v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return None if not np.isfinite(f) else round(f, 6)
