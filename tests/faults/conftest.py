"""Fault injection: bad input, broken files, unwritable outputs, interruptions and misbehaving user
code, each checked for a clear outcome: the exit status (or exception type), and a message that
names the field and the value, so that the message alone lets a user fix the input.

Helpers are fixtures (the suite runs with --import-mode=importlib)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from twinmotor.cli import app
from twinmotor.vehicle.loading import PRESET_DIR


def _invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def _expect(res, code: int, *needles: str):
    """The CLI result exits with `code`, prints no traceback, and its error output names each needle
    (case-insensitive)."""
    out = (res.stderr or "") + (res.stdout or "")
    assert res.exit_code == code, f"exit {res.exit_code} != {code}: {out!r} {res.exception!r}"
    assert "Traceback" not in out, out
    if code != 0:
        assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit), repr(res.exception)
    low = " ".join(out.lower().split())
    for n in needles:
        assert str(n).lower() in low, f"{n!r} not in message: {out!r}"
    return out


def _preset_text(name: str = "leaf-e-plus") -> str:
    return (PRESET_DIR / f"{name}.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cli():
    """cli.run(*args) -> click Result; cli.expect(result, exit_code, *needles) asserts the outcome."""
    return SimpleNamespace(run=_invoke, expect=_expect)


@pytest.fixture(scope="session")
def preset_text():
    return _preset_text


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text or bytes) -> path of a new file in the test's folder."""
    def _write(name: str, content) -> Path:
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p
    return _write
