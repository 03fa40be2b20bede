"""Reader for TNO/Delft `.tir` tire property files (Magic Formula 5.2 and 6.1).

The format, as written by MF-Tyre, Adams and CarSim:

    [SECTION]                       a section header
    KEY   = value                   a number (1, -0.5, 4e-05) or a quoted string ('tir', "x")
    KEY   = value  $ comment        a trailing comment after `$` or `!`
    $ comment / ! comment           comment lines; blank lines
    {radial width}                  a table header; the rows of numbers that follow it
    1.0  0.0                        (the [SHAPE] section) are skipped

Keys are returned upper case. `builtin:NAME.tir` names a file shipped in twinmotor/tire/data.

References
----------
TNO Automotive, MF-Tyre/MF-Swift User Manual, "Tyre property file" chapter.
Pacejka, H. B., Tire and Vehicle Dynamics, 3rd ed., 2012, Appendix 3 (MF 6.1 parameter names).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from twinmotor.errors import TireFileError
from twinmotor.tire.coefficients import PARAM_NAMES, SUPPORTED_FITTYPS

BUILTIN_PREFIX = "builtin:"

# Sections whose values are all numbers: an unquoted word there is a mistake, not a string.
_NUMERIC_SECTIONS = frozenset({
    "DIMENSION", "OPERATING_CONDITIONS", "INERTIA", "VERTICAL", "STRUCTURAL", "CONTACT_PATCH",
})
# Keys that are numbers wherever they stand.
_NUMERIC_KEYS = frozenset({"FITTYP", "LONGVL", "VXLOW", "FNOMIN", "UNLOADED_RADIUS", "WIDTH",
                           "NOMPRES", "INFLPRES"})

_SECTION = re.compile(r"^\[\s*([A-Za-z0-9_]+)\s*\]\s*(?:[$!].*)?$")
_KEY_VALUE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_TABLE_ROW = re.compile(r"^[-+0-9.eE\s]+$")


@dataclass(frozen=True)
class TirFile:
    """The contents of one `.tir` file.

    Attributes
    ----------
    path : str
        The file as the caller named it (`builtin:NAME.tir` stays so).
    sections : dict
        Section name -> {KEY: value}, values float or str, keys upper case.
    values : dict
        All keys of all sections in one dict (a key in two sections: the later one wins).
    fittyp : int
        The [MODEL] FITTYP code, one of `SUPPORTED_FITTYPS`.
    """

    path: str
    sections: dict[str, dict[str, float | str]] = field(repr=False)
    values: dict[str, float | str] = field(repr=False)
    fittyp: int


def builtin_names() -> list[str]:
    """Names of the `.tir` files shipped with twinmotor (use them as `builtin:NAME`)."""
    folder = resources.files("twinmotor.tire").joinpath("data")
    return sorted(e.name for e in folder.iterdir() if e.name.endswith(".tir"))


def _read_text(path: str | Path) -> tuple[str, str]:
    """(name for messages, file text)."""
    name = str(path)
    if name.startswith(BUILTIN_PREFIX):
        file_name = name[len(BUILTIN_PREFIX):]
        entry = resources.files("twinmotor.tire").joinpath("data").joinpath(file_name)
        if "/" in file_name or "\\" in file_name or not entry.is_file():
            raise TireFileError(
                name, None,
                f"no shipped tire file named {file_name!r}: available {', '.join(builtin_names())}",
            )
        return name, entry.read_text(encoding="utf-8-sig")
    p = Path(path)
    if not p.is_file():
        raise TireFileError(name, None, "file not found (give a .tir path or builtin:NAME.tir)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise TireFileError(name, None, f"cannot be read: {exc.strerror or exc}") from None
    return name, decode_utf8(data, name)


def decode_utf8(data: bytes, name: str) -> str:
    """The text of a file that must be UTF-8 (a BOM allowed); else a TireFileError naming the line
    and the byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise TireFileError(
            name, line, f"is not UTF-8 text: byte 0x{data[err.start]:02x} at offset {err.start} cannot be decoded; "
            "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)") from None


def _parse_value(raw: str, name: str, line_no: int, key: str, numeric: bool) -> float | str:
    """A value field (after `=`): quoted string, number, or (outside numeric places) a word."""
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        end = raw.find(quote, 1)
        if end < 0:
            raise TireFileError(name, line_no, f"{key}: string value {raw!r} has no closing {quote}")
        rest = raw[end + 1:].strip()
        if rest and rest[0] not in "$!":
            raise TireFileError(name, line_no, f"{key}: unexpected text {rest!r} after the string value")
        return raw[1:end]
    for mark in "$!":
        cut = raw.find(mark)
        if cut >= 0:
            raw = raw[:cut]
    token = raw.strip()
    if not token:
        raise TireFileError(name, line_no, f"{key} has no value")
    try:
        number = float(token)
    except ValueError:
        if numeric:
            raise TireFileError(
                name, line_no, f"{key} = {token!r} is not a number (a numeric coefficient)"
            ) from None
        return token
    if not math.isfinite(number):
        raise TireFileError(name, line_no, f"{key} = {token!r} is not a finite number")
    return number


def _is_numeric_key(section: str, key: str) -> bool:
    return (key in _NUMERIC_KEYS or key in PARAM_NAMES or section.endswith("_COEFFICIENTS")
            or section.endswith("_RANGE") or section in _NUMERIC_SECTIONS)


def read_tir(path: str | Path) -> TirFile:
    """Read a TNO/Delft `.tir` property file (MF 5.2 or MF 6.1).

    Parameters
    ----------
    path : str or Path
        File path, or `builtin:NAME.tir` for a file shipped in twinmotor/tire/data
        (`builtin_names()` lists them).

    Returns
    -------
    TirFile

    Raises
    ------
    TireFileError
        Naming the file and line: file missing; a line that is not a section header,
        `KEY = value`, comment, table header `{...}` or table row; a value that is not a number
        for a numeric coefficient (the key is named); a key before the first section; a key
        given twice in one section; FITTYP missing or not one of 6, 21, 52, 61, 62.
    """
    name, text = _read_text(path)
    # a copy: the caller may change what it gets, never the parse kept for the next caller
    parsed = _parse(name, text)
    return TirFile(path=parsed.path, sections={k: dict(v) for k, v in parsed.sections.items()},
                   values=dict(parsed.values), fittyp=parsed.fittyp)


@lru_cache(maxsize=32)
def _parse(name: str, text: str) -> TirFile:
    """The parse of one file's text (kept per name and text: every case of a study reads the same
    few files; a changed file is a new text)."""
    sections: dict[str, dict[str, float | str]] = {}
    values: dict[str, float | str] = {}
    first_line: dict[tuple[str, str], int] = {}
    fittyp_line: int | None = None
    section: str | None = None
    in_table = False
    for line_no, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s or s[0] in "$!":
            continue
        m = _SECTION.match(s)
        if m:
            section = m.group(1).upper()
            sections.setdefault(section, {})
            in_table = False
            continue
        if s.startswith("{"):
            in_table = True  # e.g. [SHAPE] {radial width}: rows of numbers follow
            continue
        m = _KEY_VALUE.match(s)
        if m:
            in_table = False
            key = m.group(1).upper()
            if section is None:
                raise TireFileError(name, line_no, f"{key} stands before the first [SECTION] header")
            value = _parse_value(m.group(2), name, line_no, key, _is_numeric_key(section, key))
            if (section, key) in first_line:
                raise TireFileError(
                    name, line_no,
                    f"{key} is given twice in [{section}] (first on line {first_line[section, key]})",
                )
            first_line[section, key] = line_no
            sections[section][key] = value
            values[key] = value
            if key == "FITTYP":
                fittyp_line = line_no
            continue
        if in_table and _TABLE_ROW.match(s.split("$")[0].split("!")[0]):
            continue
        raise TireFileError(
            name, line_no,
            f"cannot read {s[:60]!r}: expected [SECTION], KEY = value, or a $ or ! comment",
        )
    if "FITTYP" not in values:
        raise TireFileError(name, None, "FITTYP is missing: the [MODEL] section must give it (61 for MF 6.1)")
    fittyp = values["FITTYP"]
    if not (isinstance(fittyp, float) and fittyp.is_integer() and int(fittyp) in SUPPORTED_FITTYPS):
        raise TireFileError(
            name, fittyp_line,
            f"FITTYP = {fittyp!r} is not supported: allowed {', '.join(map(str, SUPPORTED_FITTYPS))} "
            "(Magic Formula 5.2 and 6.1/6.2)",
        )
    return TirFile(path=name, sections=sections, values=values, fittyp=int(fittyp))
