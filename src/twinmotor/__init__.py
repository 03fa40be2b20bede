"""twinmotor: simulate, control and evaluate twin-motor all-wheel-drive electric cars.

    import twinmotor as tm
    car = tm.load_vehicle("leaf-e-plus-awd")
    result = tm.simulate(car, "accel", surface="wet")
    print(result.kpis["t_0_100_kmh_s"])
"""

from __future__ import annotations

__version__ = "0.1.0"

from twinmotor._cache import configure_numba_cache

configure_numba_cache()

from twinmotor.control import Commands, DriverInput, Measurements, make_controller
from twinmotor.errors import ParameterError, SimulationDiverged, TireFileError, TwinmotorError
from twinmotor.road import Road, make_road
from twinmotor.simulation.result import Result
from twinmotor.vehicle import Vehicle, list_presets, load_vehicle
from twinmotor import procedures
from twinmotor.api import simulate, simulate_seeds
from twinmotor.sensors import Sensors

__all__ = [
    "Commands", "DriverInput", "Measurements", "ParameterError", "Result", "Road", "SimulationDiverged",
    "TireFileError", "TwinmotorError", "Vehicle", "__version__", "list_presets", "load_vehicle",
    "make_controller", "make_road", "procedures", "Sensors", "simulate", "simulate_seeds",
]


def __getattr__(name: str):
    # `tm.tests` was the first release's name of `tm.procedures`: kept for one release
    if name == "tests":
        import warnings

        warnings.warn("twinmotor.tests is now twinmotor.procedures (the standard manoeuvres and cycles); "
                      "twinmotor.tests goes away in the next release", DeprecationWarning, stacklevel=2)
        return procedures
    raise AttributeError(f"module 'twinmotor' has no attribute {name!r}")
