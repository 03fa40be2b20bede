"""Writing results safely: check the output folder before any work, lock it against a second run,
write into a staging folder beside it and move the finished folder into place in one step.

An interrupted or failed run therefore leaves either the previous complete results or the new
complete results, never a mix: the staging folder is only renamed onto the output folder once every
file is written, with Ctrl-C held back for those two renames; a crash between them (the old folder
moved aside, the new one not yet in) is repaired by the next run, which puts the old folder back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from twinmotor.errors import OutputError

#: the lock file beside an output folder `OUT`: `.OUT.lock`, holding "pid host"
LOCK_SUFFIX = ".lock"
STAGING_TAG = ".staging-"
OLD_TAG = ".old-"


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}{LOCK_SUFFIX}"


def check_output_folder(out: Path) -> Path:
    """The absolute output folder, after checking that it can be written: not a file, its parent a
    folder (created if missing) in which a file can be created. Raises OutputError naming the path."""
    out = Path(out).expanduser().absolute()
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out = '{out}' is a file, not a folder: give a folder for the results")
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"--out = '{out}': its parent folder '{parent}' cannot be created: {err.strerror or err}") from None
    if not parent.is_dir():
        raise OutputError(f"--out = '{out}': '{parent}' is not a folder")
    try:
        with tempfile.NamedTemporaryFile(dir=parent, prefix=f".{out.name}.probe-"):
            pass
    except OSError as err:
        raise OutputError(f"--out = '{out}' cannot be written: creating a file in '{parent}' failed: "
                          f"{err.strerror or err}") from None
    return out


def check_output_file(path: Path, what: str = "--plot", suffixes: tuple[str, ...] = ()) -> Path:
    """An output file's path, checked before any work: a known suffix, not a folder, its folder
    writable. Raises OutputError naming the option and the path."""
    path = Path(path).expanduser().absolute()
    if suffixes and path.suffix.lower().lstrip(".") not in suffixes:
        raise OutputError(f"{what} = '{path}': unknown file type {path.suffix or '(none)'!r}: allowed "
                          + ", ".join(f".{s}" for s in suffixes))
    if path.is_dir():
        raise OutputError(f"{what} = '{path}' is a folder: give a file name")
    if not path.parent.is_dir():
        raise OutputError(f"{what} = '{path}': the folder '{path.parent}' does not exist")
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.probe-"):
            pass
    except OSError as err:
        raise OutputError(f"{what} = '{path}' cannot be written: {err.strerror or err}") from None
    return path


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _read_lock(lock: Path) -> tuple[int, str]:
    try:
        pid_text, _, host = lock.read_text(encoding="utf-8").strip().partition(" ")
        return int(pid_text), host
    except (OSError, ValueError):
        return -1, ""


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[Path]:
    """Hold the lock of an output folder for the duration of a run. A lock left by a process that
    no longer runs (on this host) is stale and taken over; a live one is an OutputError."""
    lock = lock_path(out)
    me = f"{os.getpid()} {socket.gethostname()}"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            pid, host = _read_lock(lock)
            if host in ("", socket.gethostname()) and not _pid_alive(pid):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()  # stale: its owner is gone
                continue
            raise OutputError(
                f"--out = '{out}' is in use: another twinmotor run (pid {pid} on {host or 'this host'}) is writing "
                f"into it (lock file '{lock}'). Wait for it to finish or choose another --out; if no such process "
                "runs, delete the lock file") from None
        except OSError as err:
            raise OutputError(f"--out = '{out}': cannot create the lock file '{lock}': {err.strerror or err}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(me + "\n")
        break
    else:  # pragma: no cover - two stale locks in a row
        raise OutputError(f"--out = '{out}': cannot take the lock file '{lock}'")
    try:
        _recover(out)
        yield lock
    finally:
        pid, _host = _read_lock(lock)
        if pid == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()


def _recover(out: Path) -> None:
    """Repair what an earlier run killed mid-way left: the previous results moved aside but the new
    ones not moved in (put the old ones back), and staging folders of runs that no longer run."""
    parent = out.parent
    olds = sorted(parent.glob(f".{out.name}{OLD_TAG}*"))
    for old in olds:
        if not out.exists():
            os.rename(old, out)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for staging in parent.glob(f".{out.name}{STAGING_TAG}*"):
        pid_text = staging.name.rsplit("-", 1)[-1]
        if not (pid_text.isdigit() and _pid_alive(int(pid_text)) and int(pid_text) != os.getpid()):
            shutil.rmtree(staging, ignore_errors=True)


def staging_folder(out: Path) -> Path:
    """A fresh, empty folder beside `out` (same file system) to write the new results into."""
    staging = out.parent / f".{out.name}{STAGING_TAG}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


@contextlib.contextmanager
def interrupts_held() -> Iterator[list]:
    """Hold Ctrl-C (SIGINT) back for a short critical section; the list it yields says whether one
    came. Only in the main thread (signal handlers can only be set there)."""
    came: list = []
    if threading.current_thread() is not threading.main_thread():
        yield came
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    try:
        yield came
    finally:
        signal.signal(signal.SIGINT, previous)


def publish(staging: Path, out: Path) -> None:
    """Move the finished staging folder onto `out` (replacing the previous results) in one step."""
    old = out.parent / f".{out.name}{OLD_TAG}{os.getpid()}"
    with interrupts_held():
        try:
            if out.exists():
                os.rename(out, old)
            os.rename(staging, out)
        except OSError as err:
            if old.exists() and not out.exists():
                os.rename(old, out)
            raise OutputError(f"--out = '{out}': the results could not be moved into place: {err.strerror or err}; "
                              "the previous results are kept") from None
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
