"""Simulation results: every channel as arrays, the test's KPIs and verdict, plots and tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinmotor.layout import LOG_UNITS


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
    runs: list[Result] = field(default_factory=list)
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
            "passed": None if self.passed is None else bool(self.passed),
            "simulated_time_s": round(float(self.simulated_time_s), 6),
            "wall_time_s": round(float(self.wall_time_s), 6),
        }

    def to_json(self) -> str:
        return json.dumps(self.summary())

    def plot(self, channels: list[str] | None = None, axes=None):
        """The procedure's own plot (lane change, skidpad) or the chosen channels against time
        (defaults chosen by the procedure); returns the matplotlib Figure."""
        from twinmotor.plotting.timeseries import plot_channels

        hook = self.info.get("plot_function")
        if hook is not None and channels is None:
            return hook(self)
        return plot_channels(self, channels or self.info.get("plot_channels") or ["vx", "ax", "pitch"], axes)


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
