"""Each command imports what it uses and nothing more: `--help` only click, the read-only
commands never pandera (only ingest validates rows), altair only where charts are drawn.
Run in a fresh interpreter each, since this test session has imported everything already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests import fixtures as fx
from tests.conftest import write

# Runs one command in this interpreter, then writes which top-level modules it loaded
# beyond those the interpreter itself started with.
WRAPPER = """
import json, sys
before = set(sys.modules)
from pipeline.cli import cli
args, out = json.loads(sys.argv[1]), sys.argv[2]
try:
    cli(args, prog_name="spectrum")
except SystemExit as exc:
    code = exc.code
loaded = {m.split(".")[0] for m in set(sys.modules) - before}
with open(out, "w") as f:
    json.dump({"code": code, "loaded": sorted(loaded)}, f)
"""


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("imports")
    runner = CliRunner()
    for name, text in (("d.csv", fx.FITBIT_DAILY), ("s.csv", fx.CRONOMETER_SERVINGS)):
        args = ["--store", str(folder / "store"), "ingest", str(write(folder / name, text))]
        assert runner.invoke(cli, [*args, "--person", "alex"]).exit_code == 0
    return folder / "store"


def loaded_by(args: list[str], tmp_path: Path) -> set[str]:
    out = tmp_path / "loaded.json"
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, json.dumps(args), str(out)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    assert result["code"] in (0, None), done.stdout + done.stderr
    return set(result["loaded"])


def test_help_imports_click_and_the_standard_library_only(tmp_path):
    loaded = loaded_by(["--help"], tmp_path)
    assert loaded - set(sys.stdlib_module_names) == {"click", "pipeline"}


@pytest.mark.parametrize(
    "command",
    [
        ["summary", "--month", "2026-03"],
        ["summary", "--month", "2026-03", "--json"],
        ["log"],
        ["compare", "2026-03-01..2026-03-02", "2026-03-03..2026-03-04", "--json"],
    ],
    ids=" ".join,
)
def test_reading_commands_load_neither_pandera_nor_altair(command, small_store, tmp_path):
    loaded = loaded_by(["--store", str(small_store), *command], tmp_path)
    assert "polars" in loaded  # the command really ran
    assert not loaded & {"pandera", "pydantic", "altair", "vl_convert"}


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--month", "2026-03", "-o", "march.html"],
        ["compare", "2026-03-01..2026-03-02", "2026-03-03..2026-03-04", "-o", "compare.html"],
        ["charts", "--month", "2026-03", "--format", "svg", "-o", "charts"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_drawing_commands_load_altair_but_not_pandera(command, small_store, tmp_path):
    *args, name = command
    loaded = loaded_by(["--store", str(small_store), *args, str(tmp_path / name)], tmp_path)
    assert "altair" in loaded
    assert not loaded & {"pandera", "pydantic"}
