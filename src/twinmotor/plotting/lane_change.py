"""Plan view of an ISO 3888-2 lane-change run."""

from __future__ import annotations

import numpy as np

from twinmotor.procedures.lane_change.track import (
    TRACK_LENGTH_M,
    cone_layout,
    cone_positions,
    footprint_corners,
    lane_intrusions,
)


def plot_lane_change(result, ax=None):
    """Plan view of a lane-change run: lane limits, cones, the driver's line (dashed), the CG's
    trajectory and the footprint every ~0.15 s (red where it reaches past a lane limit). Returns the
    matplotlib Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(12, 2.9))
    else:
        fig = ax.figure
    model = result.info.get("model")
    title = f"{result.test}: {result.vehicle}, {result.controller}, {result.surface}"
    if "max_entry_speed_kmh" in result.kpis:
        title += f" - highest clean entry speed {result.kpis['max_entry_speed_kmh']:.1f} km/h"
    elif "entry_speed_kmh" in result.info:
        title += f" - {result.info['entry_speed_kmh']:.1f} km/h, {'clean' if result.passed else 'not clean'}"
    if model is None or not result.channels:
        ax.set_title(title + " (no trajectory: " + str(result.info.get("diverged", "no channels")) + ")")
        return fig
    vehicle = model.vehicle
    w, length = vehicle.width_m, vehicle.length_m
    for xs, xe, yl, yr in cone_layout(w):
        ax.plot([xs, xe], [yl, yl], color="tab:orange", lw=1.0)
        ax.plot([xs, xe], [yr, yr], color="tab:orange", lw=1.0)
    cones = cone_positions(w)
    ax.plot(cones[:, 0], cones[:, 1], "^", color="tab:orange", ms=5, label="cones")
    if "line_x_m" in result.info:
        ax.plot(result.info["line_x_m"], result.info["line_y_m"], "--", color="0.5", lw=0.8, label="driver's line")
    x0 = result.info.get("track_x0_m", 0.0)
    xt, y, yaw = result["x"] - x0, result["y"], result["yaw"]
    ax.plot(xt, y, color="tab:blue", lw=1.2, label="centre of gravity")
    t = result["time"]
    step = max(1, int(round(0.15 / (t[1] - t[0])))) if t.size > 1 else 1
    keep = np.arange(0, xt.size, step)
    keep = keep[(xt[keep] > -length) & (xt[keep] < TRACK_LENGTH_M + length)]
    cx, cy = footprint_corners(xt[keep], y[keep], yaw[keep], length, w)
    for i in range(keep.size):
        hit = bool(np.any(lane_intrusions(cx[i:i + 1], cy[i:i + 1], w) > 0.0))
        ax.fill(cx[i], cy[i], fill=False, color="tab:red" if hit else "tab:blue", lw=1.2 if hit else 0.6,
                alpha=1.0 if hit else 0.7)
    lanes = cone_layout(w)
    y_lo = min(lanes[0][3], float(np.min(y[(xt > -length) & (xt < TRACK_LENGTH_M + length)], initial=0.0))) - 1.0
    y_hi = max(lanes[1][2], float(np.max(y[(xt > -length) & (xt < TRACK_LENGTH_M + length)], initial=0.0))) + 1.0
    ax.set_xlim(-length - 2.0, TRACK_LENGTH_M + length + 2.0)
    ax.set_ylim(y_lo, y_hi)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x from the entry gate [m]")
    ax.set_ylabel("y [m]")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize=7)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig
