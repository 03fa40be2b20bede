"""Where numba keeps compiled code: a folder keyed by a hash of twinmotor's own sources.

numba's on-disk cache checks only the source file of each cached function, not the functions it
calls from other modules, so after an edit to (say) the tire model a cached simulation loop could
run stale code. Keying the cache folder on the content of every module rules that out; a second
process with unchanged sources still starts from the cache in well under a second.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path


def source_hash() -> str:
    root = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """A hash of every file of the installed package (code with its version string, presets, tire
    and cycle data): two processes with the same fingerprint compute the same results for the same
    inputs (a study's workers are checked against the client with it)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def configure_numba_cache() -> Path:
    """Point numba's cache at a folder for this exact source tree (before any njit decorator runs)."""
    base = os.environ.get("TWINMOTOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "twinmotor")
    folder = Path(base) / f"numba-{source_hash()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only home: fall back to numba's default (next to the sources)
        return folder
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    import numba.core.config

    numba.core.config.CACHE_DIR = str(folder)
    return folder
