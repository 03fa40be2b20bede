"""Refactor check: two comparison results, cell by cell.

    python bench/same_kpis.py BEFORE/results.parquet AFTER/results.parquet

Compares every KPI of every case (vehicle, test, controller, surface) of two `twinmotor compare`
runs and prints each cell that differs (wall times aside). Exit status 0 when all cells are equal,
1 otherwise. A refactor that moves code must leave this at 0 (issue 9's rule: refactors keep results).
"""

from __future__ import annotations

import math
import sys

import pandas as pd

KEYS = ["vehicle", "test", "controller", "surface"]
IGNORED = {"wall_time_s"}


def differences(before: pd.DataFrame, after: pd.DataFrame, rel_tol: float = 0.0) -> list[str]:
    """Human-readable lines, one per cell that differs (NaN equals NaN)."""
    out = []
    b = before.set_index(KEYS)
    a = after.set_index(KEYS)
    for key in b.index.difference(a.index):
        out.append(f"case {key} is missing after")
    for key in a.index.difference(b.index):
        out.append(f"case {key} is new after")
    cols = sorted((set(b.columns) | set(a.columns)) - IGNORED)
    for key in b.index.intersection(a.index):
        for c in cols:
            x = b.loc[key].get(c, None)
            y = a.loc[key].get(c, None)
            if _same(x, y, rel_tol):
                continue
            out.append(f"{' / '.join(map(str, key))}: {c} {x!r} -> {y!r}")
    return out


def _same(x, y, rel_tol: float) -> bool:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return y is None or (isinstance(y, float) and math.isnan(y)) or y is pd.NA
    try:
        fx, fy = float(x), float(y)
    except (TypeError, ValueError):
        return str(x) == str(y)
    if math.isnan(fx) or math.isnan(fy):
        return math.isnan(fx) and math.isnan(fy)
    return fx == fy or abs(fx - fy) <= rel_tol * max(abs(fx), abs(fy))


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__)
        return 2
    before, after = pd.read_parquet(argv[0]), pd.read_parquet(argv[1])
    tol = float(argv[2]) if len(argv) == 3 else 0.0
    diff = differences(before, after, tol)
    for line in diff:
        print(line)
    n = len(before) * (len(before.columns) - len(KEYS))
    print(f"{len(before)} cases, {n} cells: {len(diff)} differ")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
