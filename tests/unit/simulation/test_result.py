"""What a run gives back: the JSON summary (strict JSON: no NaN), channels as a time-indexed frame,
errors that name the channel, and the procedure's own plot."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twinmotor.simulation.result import Result


def _result(**kwargs) -> Result:
    t = np.array([0.01, 0.02, 0.03, 0.04])
    channels = {"time": t, "vx": np.array([1.0, 2.0, 3.0, 4.0]), "pitch": np.zeros(4)}
    return Result(vehicle="leaf-e-plus", test="brake", controller="baseline", surface="wet", channels=channels,
                  **kwargs)


def test_summary_is_strict_json_with_nan_as_null_and_bools_kept():
    r = _result(kpis={"stopping_distance_m": 41.23456789, "t_0_100_kmh_s": float("nan"), "spun": np.bool_(True),
                      "completed": False, "cones_hit": np.int64(2), "note": "ok", "missing": None,
                      "overflow": float("inf")},
                passed=True, simulated_time_s=3.0000004, wall_time_s=0.1234567)
    text = r.to_json()
    s = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    k = s["kpis"]
    assert k["t_0_100_kmh_s"] is None and k["overflow"] is None and k["missing"] is None
    assert k["spun"] is True and k["completed"] is False  # bools stay bools, not 1.0 / 0.0
    assert k["stopping_distance_m"] == 41.234568  # rounded to 1e-6
    assert k["cones_hit"] == 2.0 and k["note"] == "ok"
    assert s["simulated_time_s"] == 3.0 and s["wall_time_s"] == 0.123457
    assert s["passed"] is True
    assert (s["vehicle"], s["test"], s["controller"], s["surface"]) == ("leaf-e-plus", "brake", "baseline", "wet")
    assert set(s) == {"vehicle", "test", "controller", "surface", "kpis", "passed", "simulated_time_s", "wall_time_s"}


def test_to_pandas_is_indexed_by_time():
    r = _result()
    df = r.to_pandas()
    assert df.index.name == "time"
    assert np.array_equal(df.index.to_numpy(), r["time"])
    assert list(df.columns) == ["vx", "pitch"]
    assert df.loc[0.03, "vx"] == 3.0


def test_missing_channel_error_names_it_and_the_channels_there_are():
    r = _result()
    with pytest.raises(KeyError, match="no channel 'vy'; channels: time, vx, pitch"):
        r["vy"]


def test_units_come_from_the_log_table():
    r = _result()
    assert r.units == {"time": "s", "vx": "m/s", "pitch": "rad"}


def test_plot_uses_the_procedures_plot_function_when_set():
    calls = []
    r = _result()
    r.info["plot_function"] = lambda res: calls.append(res) or "figure"
    assert r.plot() == "figure" and calls == [r]


def test_plot_with_chosen_channels_draws_them_against_time():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = _result()
    r.info["plot_function"] = lambda res: pytest.fail("chosen channels bypass the procedure's plot")
    fig = r.plot(["vx"])
    try:
        (ax,) = fig.axes
        assert np.allclose(ax.lines[0].get_ydata(), 3.6 * r["vx"], rtol=1e-15)
    finally:
        plt.close(fig)
    r.info.pop("plot_function")
    r.info["plot_channels"] = ["vx", "pitch"]
    fig = r.plot()
    try:
        assert len(fig.axes) == 2
    finally:
        plt.close(fig)
