"""The study's dataset: one Parquet file per case, named by the hash of the case's full inputs.

A case's key is the SHA-256 of its inputs in canonical JSON: the vehicle after overrides (every
parameter), the controller's name and every setting it runs with, the procedure's parameters (a
drive cycle's trace included), the surface, the sensors and their seed, and twinmotor's version.
Equal inputs give one key, so a case common to two design points runs once.

A file is written by the worker that ran the case, as soon as it finishes: to a temporary name in
the same folder, flushed to disk, then linked to its final name, which fails if the name exists,
so a case is never written twice and a reader never sees half a file (os.link is atomic on POSIX
file systems). A worker killed mid-write leaves only a temporary file, which readers ignore and
the next run removes. Each file holds one row: the case's names, its inputs, KPIs, verdict, wall
time, error (if any), the energy balance, and a few channels thinned to at most MAX_POINTS samples
(list columns `channel:NAME`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
import uuid
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from twinmotor.errors import TwinmotorError
from twinmotor.report.cases import Case, case_sensors, run_case

SUFFIX = ".parquet"
TMP_MARK = ".tmp-"
CHANNEL_PREFIX = "channel:"
ENERGY_PREFIX = "energy_j:"
#: columns of a case file that are not KPIs
META = ("key", "twinmotor_version", "vehicle", "test", "controller", "surface", "sensors", "sensor_seed", "overrides",
        "settings", "passed", "wall_time_s", "error")


def _canonical(obj: Any) -> Any:
    """A JSON-able, order-independent form of procedure parameters and other inputs (arrays by their hash)."""
    if isinstance(obj, np.ndarray):
        a = np.ascontiguousarray(obj)
        return {"array_sha256": hashlib.sha256(a.tobytes()).hexdigest(), "shape": list(a.shape), "dtype": str(a.dtype)}
    if isinstance(obj, (np.floating, np.integer, np.bool_)):
        return obj.item()
    if isinstance(obj, float):
        return repr(obj) if not math.isfinite(obj) else obj
    if isinstance(obj, (str, int, bool)) or obj is None:
        return obj
    if isinstance(obj, dict):
        return {str(k): _canonical(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_canonical(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if is_dataclass(obj):
        return {"type": type(obj).__name__, **{f.name: _canonical(getattr(obj, f.name)) for f in fields(obj)}}
    if hasattr(obj, "__dict__"):
        return {"type": type(obj).__name__, **{k: _canonical(v) for k, v in sorted(vars(obj).items())
                                               if not k.startswith("_")}}
    return repr(obj)


def case_inputs(case: Case) -> dict:
    """Everything that decides a case's result, in canonical form."""
    import twinmotor
    from twinmotor.control import make_controller
    from twinmotor.procedures import make_procedure
    from twinmotor.vehicle import load_vehicle

    vehicle = load_vehicle(case.vehicle, dict(case.overrides) or None)
    ctl = make_controller(case.controller, vehicle, **dict(case.settings))
    return {
        "twinmotor_version": twinmotor.__version__,
        "vehicle": vehicle.model_dump(mode="json"),
        "controller": {"name": case.controller, "settings": _canonical(dict(getattr(ctl, "settings", {})))},
        "procedure": {"name": case.test, "parameters": _canonical(make_procedure(case.test))},
        "surface": case.surface,
        "sensors": _canonical(case_sensors(case)),
        # (only when not the default, so the keys of cases at the default step stay as they were)
        **({"step": {"dt_s": case.dt_s, "controller_rate_hz": case.controller_rate_hz}}
           if (case.dt_s, case.controller_rate_hz) != (1e-3, 1000.0) else {}),
    }


def case_key(case: Case) -> str:
    """The case's key: SHA-256 (first 24 hex digits) of its canonical inputs."""
    text = json.dumps(case_inputs(case), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def case_path(folder: Path, key: str) -> Path:
    return Path(folder) / f"{key}{SUFFIX}"


def done_keys(folder: Path) -> set[str]:
    """Keys of the cases in the dataset (temporary files left by a killed writer are not cases)."""
    folder = Path(folder)
    if not folder.is_dir():
        return set()
    return {p.name[: -len(SUFFIX)] for p in folder.iterdir() if p.name.endswith(SUFFIX) and TMP_MARK not in p.name}


def remove_temporaries(folder: Path) -> int:
    """Delete temporary files of writers that died (call only when no worker writes here)."""
    n = 0
    for p in Path(folder).glob(f"*{TMP_MARK}*"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def _row_table(case: Case, key: str, result) -> Any:
    import pyarrow as pa

    import twinmotor

    cols: dict[str, Any] = {
        "key": [key], "twinmotor_version": [twinmotor.__version__], "vehicle": [case.vehicle], "test": [case.test],
        "controller": [case.controller], "surface": [case.surface], "sensors": [case.sensors],
        "sensor_seed": [case.sensor_seed], "overrides": [json.dumps(dict(case.overrides), sort_keys=True)],
        "settings": [json.dumps(dict(case.settings), sort_keys=True)],
        "passed": pa.array([result.passed], type=pa.bool_()), "wall_time_s": [float(result.wall_time_s)],
        "error": pa.array([result.error], type=pa.string()),
    }
    for k, v in result.kpis.items():
        if k not in cols:
            cols[k] = pa.array([float(v)], type=pa.float64())
    for k, v in result.energy_j.items():
        cols[ENERGY_PREFIX + k] = pa.array([float(v)], type=pa.float64())
    for k, v in result.channels.items():
        cols[CHANNEL_PREFIX + k] = pa.array([np.asarray(v, dtype=np.float64)], type=pa.list_(pa.float64()))
    return pa.table(cols)


def write_case(folder: Path, key: str, table) -> bool:
    """Write one case's table as FOLDER/KEY.parquet, atomically and at most once; False when the
    case was already there (another worker finished it first)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    final = case_path(folder, key)
    if final.exists():
        return False
    tmp = folder / f".{key}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    # one row per file: dictionaries and column statistics would cost time and help no query. Built
    # in memory and written in one call (Parquet's many small writes to a file cost 1 ms more)
    buf = pa.BufferOutputStream()
    pq.write_table(table, buf, use_dictionary=False, write_statistics=False)
    with open(tmp, "wb") as fh:
        fh.write(buf.getvalue())
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, final)  # fails if the final name exists: never two writes of a case
        written = True
    except FileExistsError:
        written = False
    finally:
        tmp.unlink(missing_ok=True)
    return written


def run_and_store_chunk(cases: list[Case], keys: list[str], folder: str, fingerprint: str | None = None) -> list[dict]:
    """Run a chunk of cases (one Dask task) and write each to the dataset as soon as it is done;
    returns a small summary per case for the progress count (key, error, wall and CPU time of the
    case [s], whether it ran and was written here). A case already in the dataset is not run
    again. The file of one case is written and synced by a second thread while the next case runs (the
    compiled loop releases the GIL). A worker killed in the middle loses only the case it was
    running and the one being written; the rest of the chunk is either in the dataset or runs again
    elsewhere (a case found written is not run again).

    The keys are the client's; `fingerprint` (twinmotor._cache.package_fingerprint on the client)
    makes sure this worker runs the same package, so that each key names what ran here."""
    from concurrent.futures import ThreadPoolExecutor

    from twinmotor._cache import package_fingerprint

    if fingerprint is not None and fingerprint != package_fingerprint():
        import twinmotor

        raise TwinmotorError(
            f"this worker's twinmotor {twinmotor.__version__} (files {package_fingerprint()}) is not the client's "
            f"(files {fingerprint}): install the same twinmotor on every worker of the cluster")
    out: list[dict] = []
    pending = []
    with ThreadPoolExecutor(max_workers=1) as writer:
        for case, key in zip(cases, keys, strict=True):
            if case_path(Path(folder), key).exists():
                out.append({"key": key, "error": None, "wall_time_s": 0.0, "cpu_time_s": 0.0, "written": False,
                            "ran": False})
                continue
            cpu0 = time.thread_time()
            result = run_case(case)
            cpu = time.thread_time() - cpu0
            table = _row_table(case, key, result)
            out.append({"key": key, "error": result.error, "wall_time_s": result.wall_time_s, "cpu_time_s": cpu,
                        "written": False, "ran": True})
            pending.append((len(out) - 1, writer.submit(write_case, Path(folder), key, table)))
        for i, fut in pending:
            out[i]["written"] = fut.result()
    return out


def read_dataset(folder: Path, keys: set[str] | None = None, channels: bool = False):
    """The dataset as one frame (one row per case file; KPI columns union of all cases). Without
    `channels`, the channel columns are left out."""
    import pandas as pd
    import pyarrow.parquet as pq

    frames = []
    for key in sorted(done_keys(folder)):
        if keys is not None and key not in keys:
            continue
        t = pq.read_table(case_path(folder, key))
        if not channels:
            t = t.select([c for c in t.column_names if not c.startswith(CHANNEL_PREFIX)])
        frames.append(t.to_pandas())
    if not frames:
        return pd.DataFrame(columns=list(META))
    return pd.concat(frames, ignore_index=True, sort=False)
