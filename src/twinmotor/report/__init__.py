"""The comparison's outputs: its cases (cases), its tables (tables: number format, best-of rule,
margins, Markdown and console), its figures (figures) and the self-contained HTML report (html)."""

from __future__ import annotations

from pathlib import Path

from twinmotor.report.cases import CaseResult, to_frame
from twinmotor.report.html import write_report
from twinmotor.report.tables import to_markdown


def write_comparison(results: list[CaseResult], out_dir: Path, command: str, extra_cost_eur: float = 3000.0,
                     wall_time_s: float = 0.0):
    """Write results.parquet, results.csv, results.md and report.html into out_dir; returns the
    comparison frame and the report's path."""
    out = Path(out_dir)
    df = to_frame(results)
    out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out / "results.parquet", index=False)
    df.to_csv(out / "results.csv", index=False)
    report = write_report(df, results, out, command, extra_cost_eur, wall_time_s)
    (out / "results.md").write_text(to_markdown(df, command))
    return df, report


__all__ = ["write_comparison", "write_report"]
