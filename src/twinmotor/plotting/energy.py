"""Plots a test engineer expects, built from Results (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import J_PER_KWH

#: energy sinks of a drive cycle, in stacking order: (energy_j key(s), label)
ENERGY_SINKS = [
    (("aero",), "aero drag"),
    (("rolling",), "rolling resistance"),
    (("tire_slip",), "tire slip"),
    (("motor_drag",), "motor iron + friction"),
    (("motor_copper",), "motor copper"),
    (("inverter",), "inverter"),
    (("gear",), "reduction gear"),
    (("battery_loss",), "battery"),
    (("brake",), "friction brakes"),
    (("aux",), "auxiliaries"),
]


def energy_breakdown(results, labels: list[str] | None = None, ax=None):
    """Stacked bars: where the battery's energy went on each run [kWh/100 km], with the energy
    regenerated shown below zero. Returns the Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(max(5.0, 1.3 * len(results) + 3.0), 4.5))
    else:
        fig = ax.figure
    labels = labels or [f"{r.vehicle}\n{r.controller}" for r in results]
    x = np.arange(len(results))
    bottom = np.zeros(len(results))
    cmap = plt.get_cmap("tab10")
    for k, (keys, name) in enumerate(ENERGY_SINKS):
        vals = []
        for r in results:
            km = max(float(r.kpis.get("distance_km", np.nan)), 1e-9)
            vals.append(sum(r.energy_j.get(key, 0.0) for key in keys) / J_PER_KWH * 100.0 / km)
        vals = np.array(vals)
        ax.bar(x, vals, bottom=bottom, color=cmap(k % 10), label=name, width=0.6)
        bottom += vals
    regen = np.array([-r.energy_j.get("battery_regen", 0.0) / J_PER_KWH * 100.0 / max(float(r.kpis.get("distance_km", 1e-9)), 1e-9)
                      for r in results])
    ax.bar(x, regen, color="0.6", hatch="//", label="regenerated (back to battery)", width=0.6)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("energy [kWh/100 km]")
    title = results[0].test if results else ""
    ax.set_title(f"Where the energy goes: {title}")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig
