"""The HTML report: its numbers are the results file's numbers, and it renders in a real browser."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from twinmotor.report import write_report
from twinmotor.report.cases import default_cases, run_cases, to_frame
from twinmotor.report.tables import fmt

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    cases = default_cases(["leaf-e-plus", "leaf-e-plus-awd"], ["accel", "brake", "regen-stop", "range", "cycle-wltc"],
                          surfaces=["dry"])
    results = run_cases(cases, workers=2)
    df = to_frame(results)
    df.to_parquet(out / "results.parquet", index=False)
    path = write_report(df, results, out, "pytest", 3000.0, 0.0)
    return path, out / "results.parquet"


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self._open = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-kpi" in a:
            self._open = a
            self._open["text"] = ""

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._open is not None:
            self.cells.append(self._open)
            self._open = None


def test_report_numbers_are_the_results_file_numbers(report):
    """Every KPI cell of the report shows the value in results.parquet for its case (one computation
    path: the report is rendered from the same table)."""
    path, parquet = report
    df = pd.read_parquet(parquet)
    parser = _Cells()
    parser.feed(path.read_text())
    assert len(parser.cells) > 50
    for c in parser.cells:
        row = df[(df.vehicle == c["data-vehicle"]) & (df.controller == c["data-controller"])
                 & (df.test == c["data-test"]) & (df.surface == c["data-surface"])]
        value = row.iloc[0][c["data-kpi"]] if not row.empty and c["data-kpi"] in row else None
        assert c["text"] == fmt(value), c


def test_report_is_self_contained(report):
    """No external resource: no http(s) URL in src/href attributes, styles inline, figures inline SVG."""
    text = report[0].read_text()
    assert not re.search(r'(src|href)\s*=\s*"https?://', text)
    assert "<style>" in text and text.count("<svg") >= 3


def test_report_renders_in_headless_chromium(report):
    """Debian's chromium (installed by `make test` when missing) loads the report with no console
    errors, every figure has a non-zero size, and a screenshot is kept in test-artifacts/."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "chromium and chromedriver are needed: `make test` installs them (apt)"
    opts = Options()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,2400", "--disable-dev-shm-usage"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    try:
        driver.get(report[0].resolve().as_uri())
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('.fig svg')).map(e => {"
            "const r = e.getBoundingClientRect(); return [r.width, r.height];});")
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "report.png"))
    finally:
        driver.quit()
    assert not errors, errors
    assert len(sizes) >= 3 and all(w > 50 and h > 50 for w, h in sizes), sizes
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
