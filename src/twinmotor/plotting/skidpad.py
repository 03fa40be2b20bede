"""ISO 4138 handling diagram of a skidpad run."""

from __future__ import annotations

import numpy as np

from twinmotor.constants import G_M_S2
from twinmotor.errors import ParameterError


def plot_handling_diagram(result, axes=None):
    """Handling diagram of a skidpad result: road-wheel steer angle and Ackermann angle L/R [deg]
    against lateral acceleration [g] (their difference is the understeer), and the sideslip angle
    [deg]; returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    hd = result.info.get("handling_diagram")
    if hd is None:
        raise ParameterError("plot_handling_diagram: the result has no handling diagram (run the 'skidpad' test)")
    if axes is None:
        fig, axes = plt.subplots(2, 1, sharex=True, figsize=(7, 6), squeeze=False)
        axes = axes[:, 0]
    else:
        fig = axes[0].figure
    ay_g = hd["ay_m_s2"] / G_M_S2
    axes[0].plot(ay_g, np.degrees(hd["steer_rad"]), lw=1.4, label="road-wheel steer")
    axes[0].plot(ay_g, np.degrees(hd["ackermann_rad"]), lw=1.0, ls="--", label="Ackermann L/R")
    k = result.kpis.get("understeer_gradient_deg_g", float("nan"))
    axes[0].set_ylabel("angle [deg]")
    axes[0].set_title(f"skidpad handling diagram: {result.vehicle}, {result.controller}, {result.surface} "
                      f"(K_us {k:.2f} deg/g)")
    axes[0].legend()
    axes[0].grid(True, alpha=0.3)
    axes[1].plot(ay_g, np.degrees(hd["sideslip_rad"]), lw=1.2)
    axes[1].set_ylabel("sideslip [deg]")
    axes[1].set_xlabel("lateral acceleration [g]")
    axes[1].grid(True, alpha=0.3)
    fig.tight_layout()
    return fig
