"""Report figures drawn from the comparison's case results (matplotlib, returned as inline SVG)."""

from __future__ import annotations

from twinmotor.constants import DEG_PER_RAD, KMH
from twinmotor.plotting.energy import energy_breakdown
from twinmotor.plotting.svg import figure_svg
from twinmotor.report.cases import CaseResult
from twinmotor.simulation.result import Result


def _label(r: CaseResult) -> str:
    return f"{r.case.vehicle} ({r.case.controller})"


def overlay(results: list[CaseResult], x: str, y: str, scale: float, ylabel: str, title: str) -> str | None:
    import matplotlib.pyplot as plt

    runs = [r for r in results if x in r.channels and y in r.channels]
    if not runs:
        return None
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    for r in runs:
        ax.plot(r.channels[x], r.channels[y] * scale, lw=1.3, label=_label(r))
    ax.set_xlabel(f"{x} [s]" if x == "time" else x)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return figure_svg(fig)


def energy_bars(results: list[CaseResult]) -> str | None:
    """Where the energy went on the cycle, per car and controller."""
    runs = [r for r in results if r.energy_j and "distance_km" in r.kpis]
    if not runs:
        return None
    fake = [Result(vehicle=r.case.vehicle, test=r.case.test, controller=r.case.controller, surface=r.case.surface,
                   kpis=r.kpis, energy_j=r.energy_j) for r in runs]
    return figure_svg(energy_breakdown(fake, labels=[f"{r.case.vehicle}\n{r.case.controller}" for r in runs]))


def accel_runs(results):
    return overlay(results, "time", "vx", 1.0 / KMH, "speed [km/h]", "Full-throttle acceleration")


def regen_pitch(results):
    return overlay(results, "time", "pitch", DEG_PER_RAD, "pitch [deg, + nose down]",
                   "Regenerative stop from 60 km/h at 0.3 g: body pitch")
