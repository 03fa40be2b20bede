"""`simulate(vehicle, procedure, controller, surface)`: the one entry point.

It resolves its arguments (a preset name or a Vehicle, a procedure name or object, a controller
name or object), then lets the procedure prescribe its runs and compute its KPIs.
"""

from __future__ import annotations

from twinmotor.citations import collect, register
from twinmotor.control import make_controller
from twinmotor.procedures import make_procedure
from twinmotor.procedures.base import apply_events
from twinmotor.road import Road
from twinmotor.simulation.result import Result
from twinmotor.simulation.runner import resolve_vehicle


def simulate(vehicle, test, controller=None, surface: str | Road = "dry", **options) -> Result:
    """Run a standard procedure (object or name, e.g. "accel") on a vehicle (object or preset name)
    with a controller (name, object, or None for the vehicle's default) on a surface; returns a
    Result with KPIs and, where the standard has criteria, a verdict.

    Options go to the runner: `dt` (plant step [s]), `controller_rate_hz`, `sensors`. The keys of the
    documents the run relied on (models, procedure, vehicle parameters) are in
    `result.info["citations"]` (format them with twinmotor.citations.format_citations).
    """
    v = resolve_vehicle(vehicle)
    t = make_procedure(test)
    ctl = make_controller(controller, v)
    with collect() as keys:
        register(*t.citations)
        res = t.run(v, ctl, surface, **options)
    apply_events(res)
    res.info["citations"] = keys
    return res
