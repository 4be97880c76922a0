"""Zips are read as streams, member by member, never extracted; hostile zips are refused."""

from __future__ import annotations

import io
import zipfile

from tests import fixtures as fx


def make_zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_an_export_zip_is_read_member_by_member(run, tmp_path):
    archive = tmp_path / "export.zip"
    make_zip(
        archive,
        {
            "Export/servings.csv": fx.CRONOMETER_SERVINGS.encode(),
            "Export/dailyActivity_merged.csv": fx.FITBIT_DAILY.encode(),
            "Export/notes.csv": b"when,what\n2026-03-01,hello\n",
            "Export/readme.txt": b"not a csv",
        },
    )
    out = run("ingest", str(archive))
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith(f"{archive}!/Export/dailyActivity_merged.csv: fitbit_daily_activity")
    assert lines[1].startswith(f"{archive}!/Export/servings.csv: cronometer_servings, 4 rows read")
    assert lines[2:] == [
        f"{archive}!/Export/notes.csv: skipped, not an export spectrum reads (header: when, "
        "what); see 'spectrum formats'",
        f"{archive}!/Export/readme.txt: skipped, not an export file (.txt); see 'spectrum formats'",
    ]
    assert not (tmp_path / "Export").exists()  # nothing was extracted


def test_a_zip_bomb_is_refused(run, tmp_path):
    archive = tmp_path / "bomb.zip"
    header = fx.CRONOMETER_SERVINGS.splitlines()[0].encode() + b"\n"
    make_zip(archive, {"servings.csv": header + b" " * 40_000_000})
    out = run("ingest", str(archive))
    assert out.exit_code == 1
    assert out.output == (
        f"Error: {archive}: servings.csv unpacks to far more than its packed size (a damaged "
        "or hostile zip); it was not read. Unzip the export yourself and ingest its files.\n"
    )


def test_a_broken_zip_is_one_error_line(run, tmp_path):
    archive = tmp_path / "export.zip"
    buffer = io.BytesIO()
    make_zip(buffer, {"servings.csv": fx.CRONOMETER_SERVINGS.encode()})
    archive.write_bytes(buffer.getvalue()[:40])
    out = run("ingest", str(archive))
    assert out.exit_code == 1
    assert out.output.startswith(f"Error: {archive} is not a readable zip (")
    assert out.output.endswith("); export it again.\n")
