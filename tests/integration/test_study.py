"""`twinmotor study` with the real thing: a Dask scheduler and workers as separate processes, a worker
killed mid-study, a study killed and rerun, and the summary in a real browser.

The studies are small (16 short acceleration runs) so the suite stays quick on two cores.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from twinmotor.study import load_study, plan_study
from twinmotor.study.dataset import done_keys

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BIN = Path(sys.executable).parent  # the `dask` command of this environment, whatever PATH says

STUDY = """\
name = "pytest study"
vehicles = ["leaf-e-plus-awd"]
controllers = ["integrated"]
procedures = ["accel"]
surfaces = ["dry", "wet"]

[factors]
"powertrain.front.motor.peak_torque_nm" = { values = [170, 340] }
"mass_kg" = { range = [1850, 2000] }

[design]
method = "lhs"
samples = 8
seed = 5

[[objectives]]
procedure = "accel"
surface = "dry"
kpi = "t_0_100_kmh_s"
goal = "min"

[[objectives]]
procedure = "accel"
surface = "wet"
kpi = "t_0_100_kmh_s"
goal = "min"
"""


def _env() -> dict:
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _cli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "twinmotor.cli", *args], capture_output=True, text=True, env=_env(),
                          cwd=ROOT, timeout=600, **kw)


def _study_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "study.toml"
    p.write_text(STUDY)
    return p


def _wait_for_files(dataset: Path, n: int, proc: subprocess.Popen, timeout_s: float = 300.0) -> int:
    t0 = time.time()
    while time.time() - t0 < timeout_s:
        have = len(done_keys(dataset))
        if have >= n:
            return have
        assert proc.poll() is None, f"the study ended before {n} cases were written"
        time.sleep(0.05)
    raise AssertionError(f"fewer than {n} cases written in {timeout_s} s")


def _kpis(dataset: Path) -> pd.DataFrame:
    frames = [pq.read_table(p).to_pandas() for p in sorted(dataset.glob("*.parquet"))]
    df = pd.concat(frames, ignore_index=True).drop(columns=["wall_time_s"])
    return df.set_index("key").sort_index()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The small study run once, start to end, on a local cluster of two workers."""
    base = tmp_path_factory.mktemp("study-whole")
    path = _study_file(base)
    r = _cli("study", str(path), "--out", str(base / "out"), "--workers", "2", "--json")
    assert r.returncode == 0, r.stderr
    return path, base / "out", json.loads(r.stdout)


def test_whole_study_writes_every_case_once_and_a_second_run_computes_none(uninterrupted):
    path, out, first = uninterrupted
    plan = plan_study(load_study(path), out)
    assert first["cases"] == first["distinct"] == 16 and first["computed"] == 16 and first["failed"] == 0
    assert done_keys(out / "dataset") == set(plan.keys)
    again = _cli("study", str(path), "--out", str(out), "--json")
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["already_done"] == 16 and second["computed"] == 0
    status = _cli("study", str(path), "--out", str(out), "--status", "--json")
    st = json.loads(status.stdout)
    assert (st["done"], st["missing"], st["failed"]) == (16, 0, 0)
    # physics through the dataset: more front torque never makes the wet 0-100 km/h slower at equal mass
    df = _kpis(out / "dataset")
    assert df["t_0_100_kmh_s"].notna().all() and (df["t_0_100_kmh_s"] > 3.0).all()


def test_interrupted_study_reruns_only_missing_cases_with_identical_kpis(uninterrupted, tmp_path):
    """Kill the whole study (CLI and its local cluster) mid-run, rerun it: the cases written before
    are untouched, only the missing ones run, and the KPIs equal the uninterrupted run's bit for bit."""
    _, whole_out, _ = uninterrupted
    path = _study_file(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "twinmotor.cli", "study", str(path), "--out", str(out),
                             "--workers", "2", "--json"], env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for_files(out / "dataset", 3, proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the study and every worker of its cluster, at once
        proc.wait()
    time.sleep(0.5)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / "dataset").glob("*.parquet")}
    assert 3 <= len(before) < 16, "the study was not interrupted mid-run"
    r = _cli("study", str(path), "--out", str(out), "--workers", "2", "--json")
    assert r.returncode == 0, r.stderr
    rerun = json.loads(r.stdout)
    plan = plan_study(load_study(path), out)
    missing = set(plan.keys) - {n[: -len(".parquet")] for n in before}
    assert rerun["already_done"] == len(before)
    assert set(rerun["computed_keys"]) == missing and rerun["computed"] == len(missing)
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / "dataset").glob("*.parquet")}
    assert {k: after[k] for k in before} == before  # written once, never rewritten
    assert len(after) == 16 and not list((out / "dataset").glob(".*tmp*"))
    a, b = _kpis(out / "dataset"), _kpis(whole_out / "dataset")
    assert list(a.index) == list(b.index)
    kpi_cols = [c for c in b.columns if b[c].dtype == float]
    assert len(kpi_cols) > 20
    for c in kpi_cols:  # bit-identical: equal, or both NaN
        x, y = a[c].to_numpy(), b[c].to_numpy()
        assert ((x == y) | (pd.isna(x) & pd.isna(y))).all(), c


def _wait_for_workers(client_cmd_env, scheduler_file: Path, n: int, timeout_s: float = 120.0) -> str:
    from distributed import Client

    t0 = time.time()
    while not scheduler_file.exists():
        assert time.time() - t0 < timeout_s, "the dask scheduler did not start"
        time.sleep(0.1)
    address = json.loads(scheduler_file.read_text())["address"]
    with Client(address, timeout="30s") as c:
        c.wait_for_workers(n, timeout=timeout_s)
    return address


def test_killed_worker_loses_nothing_written_and_every_case_is_there_once(tmp_path):
    """A real `dask scheduler` and two `dask worker` processes on localhost; one worker is killed
    (SIGKILL) as the first cases land; the scheduler hands its cases to the other worker, and every
    case of the study is in the dataset exactly once."""
    dask = str(BIN / "dask")
    assert Path(dask).exists(), f"{dask}: the dask command of this environment (dask[distributed])"
    env = _env()
    sched_file = tmp_path / "scheduler.json"
    procs = []
    try:
        procs.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                       "--scheduler-file", str(sched_file)], env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        for _ in range(2):
            procs.append(subprocess.Popen([dask, "worker", "--scheduler-file", str(sched_file), "--nthreads", "1",
                                           "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = _wait_for_workers(env, sched_file, 2)
        path = _study_file(tmp_path)
        out = tmp_path / "out"
        study = subprocess.Popen([sys.executable, "-m", "twinmotor.cli", "study", str(path), "--out", str(out),
                                  "--scheduler", address, "--json"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        _wait_for_files(out / "dataset", 1, study)
        victim = procs[1]
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        written_at_kill = len(done_keys(out / "dataset"))
        stdout, stderr = study.communicate(timeout=600)
        assert study.returncode == 0, stderr
        result = json.loads(stdout)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    assert written_at_kill < 16, "the worker was killed after the study had finished"
    plan = plan_study(load_study(path), out)
    files = sorted((out / "dataset").glob("*.parquet"))
    assert {f.name[: -len(".parquet")] for f in files} == set(plan.keys)
    keys_inside = [pq.read_table(f).column("key").to_pylist() for f in files]
    assert all(k == [f.name[: -len(".parquet")]] for k, f in zip(keys_inside, files))  # one row, its own key
    assert len(files) == 16 and result["lost"] == 0 and result["failed"] == 0
    # a case the killed worker had written before dying is found on disk by the worker that takes
    # it over, and not written again
    assert result["computed"] + result["already_done"] + result["found_written"] == 16


def test_summary_renders_in_headless_chromium(uninterrupted):
    """The summary loads in Debian's chromium with no console errors; its figures have a size; the
    objective cells show the dataset's numbers."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from twinmotor.report.tables import fmt

    path, out, _ = uninterrupted
    page = out / "summary.html"
    text = page.read_text()
    # the Pareto figure and one KPI-against-factor figure per procedure and surface
    assert "Pareto" in text and "Non-dominated designs" in text and text.count("<svg") == 3
    assert 'src="http' not in text and 'href="http' not in text
    df = _kpis(out / "dataset").reset_index()
    plan = plan_study(load_study(path), out)
    key_of = {(sc.point, sc.case.test, sc.case.surface): sc.key for sc in plan.cases}
    import re

    cells = re.findall(r'<td data-point="(\d+)" data-vehicle="[^"]*" data-controller="[^"]*" data-test="([^"]*)" '
                       r'data-surface="([^"]*)" data-kpi="([^"]*)">([^<]*)</td>', text)
    assert len(cells) >= 16
    for point, test, surface, kpi, shown in cells:
        row = df[df.key == key_of[(int(point), test, surface)]]
        assert shown == fmt(row.iloc[0][kpi])

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
        driver.get(page.resolve().as_uri())
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('.fig svg')).map(e => {"
            "const r = e.getBoundingClientRect(); return [r.width, r.height];});")
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "study-summary.png"))
    finally:
        driver.quit()
    assert not errors, errors
    assert len(sizes) >= 3 and all(w > 50 and h > 50 for w, h in sizes), sizes
