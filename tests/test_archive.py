"""Zips are read as streams, member by member, never extracted; hostile zips are refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

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
    make_zip(archive, {"servings.csv": header + b" ,\n" * 15_000_000})
    out = run("ingest", str(archive))
    assert out.exit_code == 1
    assert out.output == (
        f"Error: {archive}: member servings.csv expands beyond 200 times its packed size (a "
        "zip bomb, or a damaged archive); it was not read. If this file is genuine, raise "
        "archive.max_ratio in config.toml.\n"
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


def test_a_folder_reads_regular_files_only_and_says_why_of_the_rest(run, tmp_path):
    import os

    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "servings.csv").write_text(fx.CRONOMETER_SERVINGS)
    (folder / "link.csv").symlink_to("/etc/hostname")  # someone else's folder
    os.mkfifo(folder / "pipe.csv")  # reading it would wait forever
    (folder / "broken.csv").write_bytes(b"Day,Group\n\x00\x01\x02\n")
    (folder / "again.csv").symlink_to(folder / "servings.csv")  # read where it is
    (folder / "loop").symlink_to(folder)  # a folder link back to itself: never entered
    (folder / "a.csv").symlink_to(folder / "b.csv")
    (folder / "b.csv").symlink_to(folder / "a.csv")
    (folder / "home").symlink_to(Path.home())
    out = run("ingest", str(folder))
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0].startswith(f"{folder / 'servings.csv'}: cronometer")
    assert out.output.splitlines()[1:] == [
        f"{folder / 'a.csv'}: skipped, a symbolic link that loops or leads nowhere, not followed",
        f"{folder / 'again.csv'}: skipped, a symbolic link, not followed (what it points to is "
        "read where it is)",
        f"{folder / 'b.csv'}: skipped, a symbolic link that loops or leads nowhere, not followed",
        f"{folder / 'broken.csv'}: skipped, is damaged at line 2 (binary data); export it again",
        f"{folder / 'home'}: skipped, a symbolic link leading outside {folder}, not followed",
        f"{folder / 'link.csv'}: skipped, a symbolic link leading outside {folder}, not followed",
        f"{folder / 'loop'}: skipped, a symbolic link, not followed (what it points to is read "
        "where it is)",
        f"{folder / 'pipe.csv'}: skipped, not a regular file (a pipe, a socket or a device)",
    ]
    named = run("ingest", str(folder / "link.csv"))
    assert named.output == (
        f"Error: {folder / 'link.csv'} is a symbolic link; name the file it points to "
        "(/etc/hostname) if you mean to read it.\n"
    )


def test_zip_links_and_climbing_names_are_listed_not_read(run, tmp_path):
    archive = tmp_path / "odd.zip"
    with zipfile.ZipFile(archive, "w") as z:
        link = zipfile.ZipInfo("Export/link.csv")
        link.external_attr = 0o120777 << 16  # a symbolic link whose bytes are its target
        z.writestr(link, "/etc/passwd")
        z.writestr("../../etc/servings.csv", fx.CRONOMETER_SERVINGS)
        z.writestr("Export/servings.csv", fx.CRONOMETER_SERVINGS)
    out = run("ingest", str(archive))
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith(f"{archive}!/Export/servings.csv: cronometer_servings, 4 rows")
    assert lines[1:] == [
        f"{archive}!/../../etc/servings.csv: skipped, a member whose name leads outside the "
        "zip, not read",
        f"{archive}!/Export/link.csv: skipped, a symbolic link inside the zip, not read",
    ]


def test_nothing_known_names_what_was_skipped(run, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "IMG_1.JPG").write_bytes(b"\xff\xd8\xff")
    (folder / "notes.json").write_text('{"a": 1}')
    out = run("ingest", str(folder))
    assert out.exit_code == 1
    assert out.output == (
        "Error: none of the given files is a known export (skipped IMG_1.JPG: not an export "
        "file (.jpg); see 'spectrum formats'; notes.json: not an export spectrum reads (a JSON "
        "file); see 'spectrum formats'); run 'spectrum formats' to see them.\n"
    )


def test_reading_reports_bytes_for_a_progress_bar(store, tmp_path):
    """ingest reports every byte of a file it reads to the bar the CLI shows (on a terminal,
    for files of 50 MB or more); here a small file and a bar that records."""
    import contextlib

    from pipeline.ingest import ingest
    from pipeline.sources._parse import ReadOptions

    path = tmp_path / "servings.csv"
    path.write_text(fx.CRONOMETER_SERVINGS)
    seen: dict[str, list[int]] = {}

    @contextlib.contextmanager
    def bar(item):
        seen[item.path.name] = []
        yield seen[item.path.name].append

    ingest(store, [path], None, ReadOptions(), False, file_bar=bar)
    # the header sniffed (64 KiB at most: the whole small file), then the whole file read
    assert sum(seen["servings.csv"]) == 2 * path.stat().st_size


def test_a_password_protected_member_is_listed_not_a_crash(run, tmp_path):
    archive = tmp_path / "locked.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Export/weight.csv", b"not really encrypted")
        z.writestr("Export/servings.csv", fx.CRONOMETER_SERVINGS)
    # mark the first member encrypted (bit 0 of its flags, in its local and central headers):
    # Python's zipfile then asks for a password, as with a real password-protected export
    data = bytearray(archive.read_bytes())
    data[6] |= 0x1  # the first local header's flags
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    archive.write_bytes(bytes(data))
    out = run("ingest", str(archive))
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[1] == (
        f"{archive}!/Export/weight.csv: skipped, is password-protected or packed in a way "
        "spectrum cannot unpack (AES, deflate64); unzip the export yourself and ingest its files"
    )


def test_a_gzip_file_inside_a_zip_is_read_as_the_file_inside_it(run, tmp_path):
    import gzip

    archive = tmp_path / "export.zip"
    make_zip(archive, {"Export/servings.csv.gz": gzip.compress(fx.CRONOMETER_SERVINGS.encode())})
    out = run("ingest", str(archive))
    assert out.exit_code == 0, out.output
    assert out.output.startswith(
        f"{archive}!/Export/servings.csv.gz!/servings.csv: cronometer_servings, 4 rows read, "
        "4 stored, 0 quarantined"
    )


def test_a_zip_inside_a_zip_that_is_no_zip_is_listed(run, tmp_path):
    archive = tmp_path / "export.zip"
    make_zip(
        archive,
        {"fake.zip": b"not a zip at all", "servings.csv": fx.CRONOMETER_SERVINGS.encode()},
    )
    out = run("ingest", str(archive))
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[1] == (
        f"{archive}!/fake.zip: skipped, is not a readable zip (File is not a zip file); "
        "export it again"
    )
