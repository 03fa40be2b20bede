"""Vehicle presets and files: load a car by preset name or TOML path, change values, save it back.

A preset is a TOML file shipped in ``twinmotor/vehicle/presets``; each of its values carries a trailing
comment giving its provenance (``# source: ...`` for a published figure, ``# estimate: ...`` with the
reasoning otherwise), which :func:`preset_sources` reads back for reports.

Every user mistake raises :class:`twinmotor.errors.ParameterError` with a sentence naming the file or
preset, the parameter path, the value, the allowed range and the unit.

Examples
--------
>>> car = load_vehicle("leaf-e-plus", ["battery.initial_soc=0.8"])
>>> save_vehicle(car.with_(mass_kg=1900), "heavy.toml")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomli_w

from twinmotor.citations import split_comment
from twinmotor.errors import ParameterError
from twinmotor.vehicle.schema import Vehicle
from twinmotor.vehicle.schema_base import validated

PRESET_DIR = Path(__file__).with_name("presets")
DEFAULT_VEHICLE = "leaf-e-plus"

_DOTTED_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")
_WITH_SOURCE = "Vehicle.with_"


def list_presets() -> list[str]:
    """Names of the shipped vehicle presets (file names without ``.toml``), sorted."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


def _resolve(name_or_path: str | Path) -> tuple[Path, str]:
    """The file behind a preset name or path, and how to name it in messages."""
    text = str(name_or_path)
    looks_like_path = (
        isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text
    )
    if looks_like_path or (text not in list_presets() and Path(text).is_file()):
        path = Path(name_or_path)
        if not path.is_file():
            hint = f"; the preset of that name loads as '{path.stem}'" if path.stem in list_presets() else ""
            raise ParameterError(f"vehicle file '{path}' not found{hint}")
        return path, str(path)
    path = PRESET_DIR / f"{text}.toml"
    if not path.is_file():
        available = ", ".join(list_presets())
        raise ParameterError(
            f"unknown vehicle preset '{text}'; available presets: {available}; "
            "or give the path to a vehicle .toml file"
        )
    return path, f"preset '{text}'"


def _read_toml(path: Path, label: str) -> dict:
    """The file's TOML as a fresh dict (a study's worker loads the same preset for every case: the
    parse of each text is kept, as for .tir files, and copied out; a changed file is a new text)."""
    try:
        return copy.deepcopy(_parsed_toml(path.read_bytes().decode()))
    except tomllib.TOMLDecodeError as err:
        raise ParameterError(f"{label}: not valid TOML: {err}") from None
    except UnicodeDecodeError as err:
        data = path.read_bytes()
        line = data[:err.start].count(b"\n") + 1
        raise ParameterError(f"{label}: line {line}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
                             "TOML files must be UTF-8: save it as UTF-8") from None
    except OSError as err:
        raise ParameterError(f"{label}: cannot be read: {err.strerror or err}") from None


@lru_cache(maxsize=64)
def _parsed_toml(text: str) -> dict:
    return tomllib.loads(text)


def load_vehicle(name_or_path: str | Path = DEFAULT_VEHICLE,
                 overrides: Sequence[str] | Mapping[str, Any] | None = None) -> Vehicle:
    """Load a car from a preset name (see :func:`list_presets`) or the path of a TOML file.

    Parameters
    ----------
    name_or_path : preset name such as ``"leaf-e-plus"``, or a path to a ``.toml`` vehicle file.
    overrides : optional changes applied after loading: ``--set`` strings (``["mass_kg=1800"]``)
        or a mapping of dotted keys, or nested mappings, to values (``{"battery.capacity_kwh": 50}``).

    Raises
    ------
    ParameterError
        unknown preset (the message lists the available ones), missing file, invalid TOML (file and
        line), a missing, unknown or out-of-range parameter (file, path, value, range and unit).
    """
    path, label = _resolve(name_or_path)
    vehicle = validated(Vehicle, _read_toml(path, label), source=label)
    if overrides:
        vehicle = apply_overrides(vehicle, overrides, source=f"{label} with overrides")
    return vehicle


def _parse_value(text: str) -> Any:
    """A TOML value (number, boolean, quoted string, array, inline table), else the bare text."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def parse_overrides(items: Sequence[str], *, what: str = "override",
                    example: str = "battery.capacity_kwh=62") -> dict[str, Any]:
    """Turn CLI ``--set key=value`` strings into ``{dotted_key: value}``.

    The key is a dotted parameter path (``battery.capacity_kwh``); the value is read as a TOML value
    (``62``, ``0.9``, ``true``, ``"My car"``) and, when it is not valid TOML, kept as the bare text
    (``tires.front.size=215/55R17``). A later item with the same key wins. `what` and `example` name
    the option in messages (``--param``, ``speed_kmh=96.6``).

    Raises
    ------
    ParameterError
        an item without ``=``, with an empty or malformed key, or with no value; the message quotes it.
    """
    if isinstance(items, str):
        items = [items]
    result: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, str) or "=" not in item:
            raise ParameterError(f"{what} {item!r} is not of the form key=value (for example {example})")
        key, raw = (part.strip() for part in item.split("=", 1))
        if not _DOTTED_KEY.match(key):
            raise ParameterError(
                f"{what} {item!r}: key {key!r} is not a parameter name like {example.split('=')[0]}"
            )
        if raw == "":
            raise ParameterError(f"{what} {item!r} has no value after '='")
        result[key] = _parse_value(raw)
    return result


def _flatten(overrides: Mapping[str, Any], current: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted keys from (possibly nested) overrides; a nested mapping is descended into only where the
    vehicle already has a block there, so a whole block (e.g. ``powertrain.rear``) can still be set."""
    flat: dict[str, Any] = {}
    for key, value in overrides.items():
        if not isinstance(key, str):
            raise ParameterError(f"override key {key!r} is not a string parameter path")
        dotted = f"{prefix}{key}"
        node = current
        for part in key.replace("__", ".").split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(value, Mapping) and isinstance(node, dict):
            flat.update(_flatten(value, node, prefix=f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def apply_overrides(vehicle: Vehicle, overrides: Mapping[str, Any] | Sequence[str], *,
                    source: str = "overrides") -> Vehicle:
    """A copy of ``vehicle`` with values changed, validated like a loaded file.

    Parameters
    ----------
    vehicle : the car to start from (left unchanged).
    overrides : ``{dotted_key: value}`` (nested mappings allowed) or ``--set`` strings.
    source : how to name the overrides in error messages.
    """
    if isinstance(overrides, (str, bytes)) or not isinstance(overrides, Mapping):
        overrides = parse_overrides(list(overrides))
    flat = _flatten(overrides, vehicle.model_dump())
    try:
        return vehicle.with_(**flat)
    except ParameterError as err:
        lines = []
        for line in str(err).splitlines():
            if line.startswith(_WITH_SOURCE):
                lines.append(source + line[len(_WITH_SOURCE):])
            else:
                lines.append(f"{source}: {line}")
        raise ParameterError("\n".join(lines)) from None


def vehicle_to_toml(vehicle: Vehicle) -> str:
    """The car as TOML text that :func:`load_vehicle` reads back to an equal :class:`Vehicle`.

    Unset optional blocks and files (``None``) are left out; their defaults restore them on loading.
    """
    data = vehicle.model_dump(exclude_none=True)
    header = "# twinmotor vehicle file; load with twinmotor.vehicle.load_vehicle(path)\n"
    return header + tomli_w.dumps(data)


def save_vehicle(vehicle: Vehicle, path: str | Path) -> Path:
    """Write the car to a TOML file (parent folders created) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(vehicle_to_toml(vehicle), encoding="utf-8")
    return path


def _key_parts(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in text.split(".")]


def preset_sources(name_or_path: str | Path) -> dict[str, str]:
    """``{dotted_key: comment}`` for each value line of a preset (or vehicle TOML file).

    The comment is the text after ``#`` on the value's line, e.g. ``"source: Nissan, Cd 0.28"`` or
    ``"estimate: ..."``; a value without a comment maps to ``""``. Reads single-line ``key = value``
    entries under ``[table]`` headers, which is the layout of the presets and of saved files.
    """
    path, _ = _resolve(name_or_path)
    sources: dict[str, str] = {}
    prefix: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            header, _ = split_comment(line)
            prefix = _key_parts(header.strip().strip("[]"))
            continue
        body, comment = split_comment(line)
        if "=" not in body:
            continue
        key = body.split("=", 1)[0]
        sources[".".join(prefix + _key_parts(key))] = comment
    return sources


@lru_cache(maxsize=1)
def _preset_citations_by_name() -> dict[str, tuple[str, ...]]:
    from twinmotor.citations import preset_keys

    out = {}
    for name in list_presets():
        path, _ = _resolve(name)
        out[load_vehicle(name).name] = tuple(preset_keys(path.read_text(encoding="utf-8")))
    return out


def vehicle_citations(vehicle: Vehicle) -> list[str]:
    """Keys of the documents a vehicle's parameters cite: those of the preset it was loaded from
    (found by its name; a user's own vehicle file cites none)."""
    return list(_preset_citations_by_name().get(vehicle.name, ()))
