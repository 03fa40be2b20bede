"""The HTML report of a comparison."""

from twinmotor.report.html import write_report

__all__ = ["write_report"]
