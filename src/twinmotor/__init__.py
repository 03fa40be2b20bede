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
from twinmotor.simulation.simulate import simulate
from twinmotor.vehicle import Vehicle, list_presets, load_vehicle
from twinmotor import tests

__all__ = [
    "Commands", "DriverInput", "Measurements", "ParameterError", "Result", "Road", "SimulationDiverged",
    "TireFileError", "TwinmotorError", "Vehicle", "__version__", "list_presets", "load_vehicle",
    "make_controller", "make_road", "simulate", "tests",
]
