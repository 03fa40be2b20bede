"""Drive cycles: the speed traces energy labels are made from, shipped with the package, and user
cycles from CSV files.

Shipped cycles (1 Hz, `time_s,speed_kmh`; copied from the project's shared data with provenance,
see data/README.md):

| name | cycle | source |
|---|---|---|
| udds | EPA Urban Dynamometer Driving Schedule (FTP-72), 1369 s, 11.99 km | US EPA, 40 CFR 86 App. I |
| hwfet | EPA Highway Fuel Economy Test, 765 s, 16.51 km | US EPA, 40 CFR 600 App. I |
| wltc | WLTC class 3b, 1800 s, 23.27 km | UNECE GTR No. 15 |
| nedc | New European Driving Cycle, 1180 s, 11.01 km | UNECE R101 |
| us06 | EPA US06 supplemental, 600 s, 12.89 km | US EPA, 40 CFR 86 App. I |
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from twinmotor.constants import KMH, MPH
from twinmotor.errors import ParameterError

BUILTIN = {
    "udds": ("udds.csv", "EPA UDDS (FTP-72) city cycle", "US EPA, 40 CFR Part 86 Appendix I"),
    "hwfet": ("hwfet.csv", "EPA highway fuel economy test", "US EPA, 40 CFR Part 600 Appendix I"),
    "wltc": ("wltc_class3b.csv", "WLTC class 3b", "UNECE GTR No. 15"),
    "nedc": ("nedc.csv", "New European Driving Cycle", "UNECE Regulation No. 101"),
    "us06": ("us06.csv", "EPA US06 aggressive driving", "US EPA, 40 CFR Part 86 Appendix I"),
}
ALIASES = {"wltc_class3b": "wltc", "wltp": "wltc", "ftp72": "udds", "city": "udds", "highway": "hwfet"}

#: fastest speed a cycle may ask for [m/s]: 500 km/h, beyond any road car (and near the model's
#: runaway limit of 150 m/s)
MAX_SPEED_M_S = 500.0 * KMH

_SPEED_UNITS = {"speed_kmh": KMH, "speed_m_s": 1.0, "speed_mps": 1.0, "speed_mph": MPH}


@dataclass(frozen=True)
class Cycle:
    """A speed trace: time [s] and speed [m/s], optional grade [-, rise/run]."""

    name: str
    time_s: np.ndarray = field(repr=False)
    speed_m_s: np.ndarray = field(repr=False)
    grade: np.ndarray | None = field(default=None, repr=False)
    description: str = ""
    source: str = ""

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1] - self.time_s[0])

    @property
    def distance_m(self) -> float:
        return float(np.trapezoid(self.speed_m_s, self.time_s))

    @property
    def max_speed_kmh(self) -> float:
        return float(np.max(self.speed_m_s) * 3.6)


def list_cycles() -> list[str]:
    return list(BUILTIN)


def load_cycle(name_or_path: str | Path) -> Cycle:
    """A shipped cycle by name (udds, hwfet, wltc, nedc, us06) or a CSV file with a header naming
    `time_s` and one speed column (`speed_kmh`, `speed_m_s` or `speed_mph`), and optionally
    `grade_pct`."""
    key = str(name_or_path).strip().lower()
    key = ALIASES.get(key, key)
    if key in BUILTIN:
        file, desc, src = BUILTIN[key]
        text = resources.files("twinmotor.cycles").joinpath("data", file).read_text()
        return _parse(text, key, f"builtin:{file}", desc, src)
    path = Path(name_or_path)
    if not path.exists():
        raise ParameterError(
            f"cycle = {str(name_or_path)!r}: no such shipped cycle ({', '.join(BUILTIN)}) and no such file")
    if not path.is_file():
        raise ParameterError(f"cycle = {str(name_or_path)!r} is not a file (a folder?): give a CSV file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ParameterError(f"cycle file {str(path)!r} cannot be read: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise ParameterError(f"{path}:{line}: the cycle file is not UTF-8 text (byte 0x{data[err.start]:02x} at offset "
                             f"{err.start}); save it as UTF-8 CSV") from None
    return _parse(text, path.stem, str(path), f"user cycle {path.name}", str(path))


def _parse(text: str, name: str, where: str, desc: str, src: str) -> Cycle:
    rows = list(csv.reader(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")))
    if not rows:
        raise ParameterError(f"{where}: empty cycle file")
    header = [h.strip().lower() for h in rows[0]]
    if "time_s" not in header:
        raise ParameterError(f"{where}: missing column 'time_s' (header: {', '.join(header)})")
    speed_cols = [h for h in header if h in _SPEED_UNITS]
    if len(speed_cols) != 1:
        raise ParameterError(
            f"{where}: need exactly one speed column named one of {', '.join(_SPEED_UNITS)} (header: {', '.join(header)})")
    it, iv = header.index("time_s"), header.index(speed_cols[0])
    ig = header.index("grade_pct") if "grade_pct" in header else None
    t, v, g = [], [], []
    cols = [("time_s", it), (speed_cols[0], iv)] + ([("grade_pct", ig)] if ig is not None else [])
    lines = []
    for n, row in enumerate(rows[1:], start=2):
        values = []
        for col, i in cols:
            if i >= len(row):
                raise ParameterError(f"{where}:{n}: column {col} is missing in row {row!r} "
                                     f"({len(row)} fields, the header has {len(header)})")
            try:
                x = float(row[i])
            except ValueError:
                raise ParameterError(f"{where}:{n}: {col} = {row[i].strip()!r} is not a number") from None
            if not np.isfinite(x):
                raise ParameterError(f"{where}:{n}: {col} = {row[i].strip()!r} is not a finite number")
            values.append(x)
        t.append(values[0])
        v.append(values[1] * _SPEED_UNITS[speed_cols[0]])
        if ig is not None:
            if not -30.0 <= values[2] <= 30.0:
                raise ParameterError(f"{where}:{n}: grade_pct = {values[2]!r} is out of range: allowed -30 to 30 %")
            g.append(values[2] / 100.0)
        lines.append(n)
    ta, va = np.array(t), np.array(v)
    if ta.size < 2:
        raise ParameterError(f"{where}: a cycle needs at least 2 rows of data, got {ta.size}")
    bad = np.flatnonzero(np.diff(ta) <= 0)
    if bad.size:
        raise ParameterError(f"{where}:{lines[bad[0] + 1]}: time_s = {float(ta[bad[0] + 1])!r} is not after {float(ta[bad[0]])!r}: "
                             "time must increase strictly")
    neg = np.flatnonzero(va < 0)
    if neg.size:
        raise ParameterError(f"{where}:{lines[neg[0]]}: {speed_cols[0]} = {float(va[neg[0]] / _SPEED_UNITS[speed_cols[0]])!r} "
                             "is negative: allowed 0 to 500 km/h")
    fast = np.flatnonzero(va > MAX_SPEED_M_S)
    if fast.size:
        raise ParameterError(f"{where}:{lines[fast[0]]}: {speed_cols[0]} = {float(va[fast[0]] / _SPEED_UNITS[speed_cols[0]])!r} "
                             f"is out of range: allowed 0 to 500 km/h ({MAX_SPEED_M_S / _SPEED_UNITS[speed_cols[0]]:.4g} "
                             f"in {speed_cols[0]})")
    ga = np.array(g) if ig is not None else None
    return Cycle(name=name, time_s=ta - ta[0], speed_m_s=va, grade=ga, description=desc, source=src)
