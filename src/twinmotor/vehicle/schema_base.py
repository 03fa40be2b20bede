"""Shared machinery of twinmotor's parameter schemas: strict pydantic models whose errors name
the field path, the value, the allowed range and the unit."""

from __future__ import annotations

from typing import Any

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from twinmotor.errors import ParameterError


def q(default: Any = ..., *, ge: float | None = None, le: float | None = None, gt: float | None = None,
      lt: float | None = None, unit: str = "-", doc: str = "") -> Any:
    """A physical quantity field: bounds, unit and description in one place."""
    return Field(default, ge=ge, le=le, gt=gt, lt=lt, description=doc, json_schema_extra={"unit": unit})


class Params(BaseModel):
    """Base class of every parameter block: unknown keys rejected, values validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """A number field takes a number: not true/false (which pydantic would read as 1/0) and not
        a string that looks like one (TOML and --set give numbers their own type)."""
        annotation = cls.model_fields[info.field_name].annotation if info.field_name else None
        if annotation in (float, int):
            if isinstance(value, bool):
                raise ValueError(f"{str(value).lower()} is not a number ({annotation.__name__} expected)")
            if isinstance(value, str):
                raise ValueError(f"the text {value!r} is not a number: write it without quotes")
        return value

    def with_(self, **changes: Any):
        """A copy with some values changed; keys may be dotted paths (`battery.capacity_kwh`) or use
        `__` for the dots (`battery__capacity_kwh`), values are validated like a loaded file."""
        data = self.model_dump()
        for key, value in changes.items():
            set_path(data, key.replace("__", "."), value)
        return validated(type(self), data, source=f"{type(self).__name__}.with_")


def set_path(data: dict, dotted: str, value: Any) -> None:
    """Set `data[a][b][c] = value` for `dotted = 'a.b.c'`, with a clear error for unknown paths."""
    parts = dotted.split(".")
    node = data
    for i, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node:
            raise ParameterError(f"unknown parameter '{'.'.join(parts[:i + 1])}' in '{dotted}'")
        if node[part] is None:
            node[part] = {}
        node = node[part]
    if not isinstance(node, dict) or parts[-1] not in node:
        known = ", ".join(sorted(node)) if isinstance(node, dict) else ""
        raise ParameterError(f"unknown parameter '{dotted}'" + (f"; known here: {known}" if known else ""))
    node[parts[-1]] = value


def _field_info(model: type[BaseModel], loc: tuple) -> Any:
    """The FieldInfo at a validation-error location, or None (for list items, unions, ...)."""
    info = None
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
        args = getattr(current, "__args__", None)
        if args:  # Optional[Model] -> Model
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            current = models[0] if models else current
    return info


def _bounds(info: Any) -> tuple[str, str, str]:
    low, high = "-inf", "+inf"
    for m in getattr(info, "metadata", []):
        if isinstance(m, annotated_types.Ge):
            low = f"{m.ge}"
        elif isinstance(m, annotated_types.Gt):
            low = f"more than {m.gt}"
        elif isinstance(m, annotated_types.Le):
            high = f"{m.le}"
        elif isinstance(m, annotated_types.Lt):
            high = f"less than {m.lt}"
    extra = getattr(info, "json_schema_extra", None) or {}
    unit = extra.get("unit", "") if isinstance(extra, dict) else ""
    return low, high, unit


def describe_validation_error(model: type[BaseModel], err: ValidationError, source: str) -> str:
    """One line per problem: `source: path = value is out of range: allowed a to b unit`."""
    lines = []
    for e in err.errors():
        loc = tuple(e["loc"])
        path = ".".join(str(p) for p in loc)
        value = e.get("input")
        kind = e["type"]
        if kind == "extra_forbidden":
            lines.append(f"{source}: unknown parameter '{path}' (value {value!r}); check the spelling")
        elif kind == "missing":
            lines.append(f"{source}: required parameter '{path}' is missing")
        elif kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
            info = _field_info(model, loc)
            low, high, unit = _bounds(info) if info is not None else ("?", "?", "")
            unit = "" if unit == "-" else unit
            lines.append(f"{source}: {path} = {value!r} is out of range: allowed {low} to {high} {unit}".rstrip())
        elif not loc:
            # a check across fields: its message names them; the input is the whole block
            msg = e["msg"].removeprefix("Value error, ")
            lines.append(f"{source}: {msg}")
        else:
            info = _field_info(model, loc)
            low, high, unit = _bounds(info) if info is not None else ("", "", "")
            unit = "" if unit == "-" else unit
            allowed = f"; allowed {low} to {high} {unit}".rstrip() if low or high else ""
            lines.append(f"{source}: {path} = {value!r}: {e['msg']}{allowed}")
    return "\n".join(lines)


def validated(model: type[BaseModel], data: Any, source: str):
    """Build `model` from plain data, turning pydantic's errors into one clear ParameterError."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ParameterError(describe_validation_error(model, err, source)) from None
