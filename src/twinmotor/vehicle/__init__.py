"""The car: its parameter schema, the shipped presets, and loading/saving vehicle TOML files."""

from twinmotor.vehicle.loading import (
    DEFAULT_VEHICLE,
    apply_overrides,
    list_presets,
    load_vehicle,
    parse_overrides,
    preset_sources,
    save_vehicle,
    vehicle_citations,
    vehicle_to_toml,
)
from twinmotor.vehicle.schema import Vehicle

__all__ = [
    "DEFAULT_VEHICLE",
    "Vehicle",
    "apply_overrides",
    "list_presets",
    "load_vehicle",
    "parse_overrides",
    "preset_sources",
    "save_vehicle",
    "vehicle_citations",
    "vehicle_to_toml",
]
