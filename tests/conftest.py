"""Shared fixtures. Real exports live in ../shared/real_exports (CI has them; a user's
checkout may not, so those tests skip with a reason)."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

# every chart spec a test draws is checked against the Vega-Lite schema (reports skip it)
os.environ["SPECTRUM_CHECK_CHARTS"] = "1"

from pipeline.cli import cli
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real_exports"


def real(relative: str) -> Path:
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real export {relative} not found: ../shared/real_exports is absent")
    return path


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory) -> Iterator[Path]:
    """A cache folder for the session (never the user's own), with the chart library built
    in it up front: its one-time notice must not land in whichever test renders first."""
    from pipeline.report.bundle import cached_bundle

    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("SPECTRUM_CACHE")
    os.environ["SPECTRUM_CACHE"] = str(folder)
    with contextlib.redirect_stderr(io.StringIO()):
        cached_bundle(folder)
    yield folder
    if before is None:
        del os.environ["SPECTRUM_CACHE"]
    else:
        os.environ["SPECTRUM_CACHE"] = before


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_dir: Path) -> Store:
    return Store(store_dir)


@pytest.fixture
def run(store_dir: Path):
    """Invoke the CLI against a fresh store; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", str(store_dir), *args], catch_exceptions=False)

    return invoke


def write(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    """Write a small export fixture in its vendor's byte conventions."""
    body = text.strip("\n") + "\n"
    if crlf:
        body = body.replace("\n", "\r\n")
    data = body.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


@pytest.fixture(scope="session")
def demo_outputs(tmp_path_factory) -> list[Path]:
    """Everything `spectrum demo` writes (made once per test session: it takes seconds)."""
    from pipeline.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo"))
