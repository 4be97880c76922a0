"""Files from someone else (a coach's client, a study's participant), built to harm.

Each attack is `spectrum ingest` in a process of its own, under a 1 GB memory limit
(RLIMIT_DATA: polars reserves address space it never uses, so RLIMIT_AS would stop any
run) and a time limit, against a store that already holds a person's food log. The test
checks the exact message, that the store is byte for byte as it was (or, where the file is
read safely, that what was stored before is still there), that no file appeared outside the
store and the output folder, and that no byte of /etc/passwd reached the store, the output
or the terminal. SPECTRUM_HOSTILE_LOG=FILE appends each attack's outcome, time and peak
memory to FILE (the table in the issue's closing note).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import socket
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from pipeline import archive
from pipeline.errors import DataError
from tests import fixtures as fx
from tests.conftest import ROOT, write

MEMORY_LIMIT = 1024**3
TIME_LIMIT = 60
RUNNER = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_DATA, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
from pipeline.cli import main
sys.argv = ["spectrum", *sys.argv[1:]]
main()
"""
# The command is started by this small launcher, which reports its peak memory: a child's
# ru_maxrss starts at the RSS of the process it was forked from (Linux keeps the high-water
# mark across exec), and pytest's own process is far larger than the command.
LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1] + ".out", "wb"),
                        stderr=open(sys.argv[1] + ".err", "wb"))
_, status, usage = os.wait4(proc.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""
PASSWD = Path("/etc/passwd").read_bytes()
# the lines of /etc/passwd that could only come from it ("root:x:0:0:...")
SECRETS = [line for line in PASSWD.splitlines() if line.count(b":") >= 5]
MINUTE_HEADER = b"Id,ActivityMinute,Steps\n"


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


class Scene:
    """A store holding one food log, a folder the command runs in (its home, temp and
    cache folders too), an output folder, and the attack's files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store, self.out, self.world = root / "store", root / "out", root / "world"
        self.files = root / "files"
        for folder in (self.out, self.world, self.files):
            folder.mkdir()
        food = write(self.files / "servings.csv", fx.CRONOMETER_SERVINGS)
        seeded = self.spectrum("ingest", str(food), "--person", "sam", limited=False)
        assert seeded.code == 0, seeded.stderr
        food.unlink()
        self.before = self.snapshot(self.store)
        self.stored = self.tables()

    def spectrum(self, *args: str, limited: bool = True) -> Outcome:
        env = {
            **os.environ,
            "HOME": str(self.world),
            "TMPDIR": str(self.world),
            "SPECTRUM_CACHE": str(self.world / "cache"),
            "PYTHONPATH": str(ROOT),
        }
        code = RUNNER if limited else "from pipeline.cli import main; main()"
        argv = [sys.executable, "-c", code, "--store", str(self.store), *args]
        streams = self.root / "run"
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-c", LAUNCHER, str(streams), *argv],
                cwd=self.world, env=env, capture_output=True, text=True, timeout=TIME_LIMIT,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{args} ran past {TIME_LIMIT} s") from None
        code, peak_kb = (int(x) for x in done.stdout.split())
        return Outcome(
            code,
            Path(f"{streams}.out").read_text(errors="replace"),
            Path(f"{streams}.err").read_text(errors="replace"),
            time.perf_counter() - start,
            peak_kb / 1024,
        )

    def snapshot(self, folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()
        }

    def tables(self) -> dict[str, list]:
        from pipeline.store import Store

        store = Store(self.store)
        return {t: store.read(t).collect().sort(pl.all()).rows() for t in ("food_items",)}

    def attack(self, name: str, *args: str, refused: bool = True) -> Outcome:
        """Run `spectrum ingest ARGS`; check what must hold for every attack."""
        world_before = self.snapshot(self.world)
        got = self.spectrum("ingest", *args)
        assert got.code in (0, 1), got.stderr  # an answer, not a crash or a kill
        assert "Traceback" not in got.stderr
        if refused:
            assert self.snapshot(self.store) == self.before, "the store changed"
        else:
            assert self.tables() == self.stored, "what was stored before changed"
        # nothing written outside the store and the output folder (the cache may be made)
        after = {k: v for k, v in self.snapshot(self.world).items() if not k.startswith("cache")}
        assert after == {k: v for k, v in world_before.items() if not k.startswith("cache")}
        leaked = [
            p for p in (*self.store.rglob("*"), *self.out.rglob("*"), *self.world.rglob("*"))
            if p.is_file() and not p.is_symlink() and any(s in p.read_bytes() for s in SECRETS)
        ]  # fmt: skip
        assert leaked == [] and not any(s.decode() in got.stdout + got.stderr for s in SECRETS)
        _log(name, "refused" if refused else "read safely", got)
        return got


def _log(name: str, result: str, got: Outcome) -> None:
    path = os.environ.get("SPECTRUM_HOSTILE_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"| {name} | {result} | {got.seconds:.2f} s | {got.peak_mb:,.0f} MB |\n")


@pytest.fixture
def scene(tmp_path) -> Scene:
    return Scene(tmp_path)


def error(got: Outcome) -> str:
    assert got.code == 1 and got.stdout == "", got.stdout + got.stderr
    return got.stderr


# -- archives ---------------------------------------------------------------------------------


def bomb_zip(path: Path, name: str = "servings.csv", mb: int = 100) -> Path:
    """A zip whose member unpacks to `mb` MB of short CSV lines (about 1000 times smaller
    packed): written in pieces, so the test never holds it whole either."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open(name, "w", force_zip64=True) as member,
    ):
        member.write(fx.CRONOMETER_SERVINGS.splitlines()[0].encode() + b"\n")
        for _ in range(mb):
            member.write(b"2026-03-01,x,1\n" * (1024**2 // 15))
    return path


def ratio_refusal(label: str) -> str:
    return (
        f"Error: {label} expands beyond 200 times its packed size (a zip bomb, or a damaged "
        "archive); it was not read. If this file is genuine, raise archive.max_ratio in "
        "config.toml.\n"
    )


def test_a_zip_bomb_is_refused_while_it_is_read(scene):
    bomb = bomb_zip(scene.files / "export.zip")
    got = scene.attack("zip bomb (100 MB member, ratio over 1000x)", str(bomb))
    assert error(got) == ratio_refusal(f"{bomb}: member servings.csv")


def test_the_absolute_cap_comes_from_the_config(scene):
    (scene.store / "config.toml").write_text("[archive]\nmax_mb = 1\n")
    scene.before = scene.snapshot(scene.store)
    rows = "".join(
        f"2026-03-{d % 28 + 1:02d},food {d * 7919 % 100003},{d % 97}\n" for d in range(200_000)
    )
    big = scene.files / "export.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("servings.csv", fx.CRONOMETER_SERVINGS.splitlines()[0] + "\n" + rows)
    got = scene.attack("zip member over archive.max_mb (1 MB)", str(big))
    assert error(got) == (
        f"Error: {big}: member servings.csv expands beyond 1 MB; it was not read. If this file "
        "is genuine, raise archive.max_mb in config.toml.\n"
    )


def _patch_central_sizes(path: Path, compressed: int) -> None:
    """Make the central directory declare `compressed` packed bytes for the first member
    (the zip stays readable: the deflate stream ends where it ends)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    extra_len = struct.unpack_from("<H", data, at + 30)[0]
    name_len = struct.unpack_from("<H", data, at + 28)[0]
    zip64 = data.find(b"\x01\x00", at + 46 + name_len, at + 46 + name_len + extra_len)
    if struct.unpack_from("<I", data, at + 20)[0] == 0xFFFFFFFF and zip64 != -1:
        struct.pack_into("<Q", data, zip64 + 4 + 8, compressed)  # zip64: (size, packed)
    else:
        struct.pack_into("<I", data, at + 20, compressed)
    path.write_bytes(bytes(data))


def test_a_declared_packed_size_is_not_trusted(scene):
    bomb = bomb_zip(scene.files / "export.zip", mb=60)
    _patch_central_sizes(bomb, 2**31)  # "packed into 2 GB": would allow 400 GB at 200x
    with zipfile.ZipFile(bomb) as z:
        assert z.infolist()[0].compress_size == 2**31
    got = scene.attack("zip bomb declaring a 2 GB packed size", str(bomb))
    # what is read is counted, whatever the header says: the lie runs off the archive's end
    assert error(got) == (
        f"Error: {bomb} is not a readable zip (it ends before its member does); export it again.\n"
    )


def test_a_bomb_inside_a_zip_inside_a_zip_is_refused(scene):
    inner = bomb_zip(scene.files / "inner.zip")
    outer = scene.files / "export.zip"
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as z:
        z.write(inner, "Takeout/inner.zip")
    inner.unlink()
    got = scene.attack("zip bomb inside a zip", str(outer))
    assert error(got) == ratio_refusal(f"{outer}!/Takeout/inner.zip: member servings.csv")


def test_zips_are_read_two_levels_deep_and_no_deeper(scene):
    food = fx.CRONOMETER_SERVINGS.encode()
    third = io.BytesIO()
    with zipfile.ZipFile(third, "w") as z:
        z.writestr("servings.csv", food)
    second = io.BytesIO()
    with zipfile.ZipFile(second, "w") as z:
        z.writestr("deeper.zip", third.getvalue())
        z.writestr("servings.csv", food)
    outer = scene.files / "export.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("inner.zip", second.getvalue())
    got = scene.attack("zips nested three levels", str(outer), "--person", "sam", refused=False)
    assert got.code == 0, got.stderr
    lines = got.stdout.splitlines()
    assert (
        f"{outer}!/inner.zip!/deeper.zip: skipped, a zip 2 levels down inside zips, not read; "
        "unzip it and ingest its files"
    ) in lines
    assert any(line.startswith(f"{outer}!/inner.zip!/servings.csv: ") for line in lines), lines


def test_a_gzip_bomb_is_refused(scene):
    bomb = scene.files / "servings.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        f.write(fx.CRONOMETER_SERVINGS.splitlines()[0].encode() + b"\n")
        for _ in range(100):
            f.write(b"2026-03-01,x,1\n" * (1024**2 // 15))
    got = scene.attack("gzip bomb", str(bomb))
    assert error(got) == ratio_refusal(str(bomb))


def test_a_gzip_export_is_read(scene):
    packed = scene.files / "servings.csv.gz"
    packed.write_bytes(gzip.compress(fx.CRONOMETER_SERVINGS.encode()))
    checked = scene.spectrum("validate", str(packed), "--person", "sam")
    assert checked.code == 0, checked.stderr
    assert checked.stdout.startswith(f"{packed}!/servings.csv: cronometer_servings, 4 rows read")


def test_a_zip_whose_members_share_their_bytes_is_refused(scene):
    """Fifield's non-recursive bomb: many entries of the central directory point at one
    packed stream, so each member stays under its cap while all of them together do not."""
    payload = fx.CRONOMETER_SERVINGS.encode() * 1000
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(payload) + packer.flush()
    crc, name = zlib.crc32(payload), b"servings.csv"
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed), len(payload), len(name), 0
    )
    entries = b""
    for n in range(10):  # ten entries, one packed stream at offset 0
        other = f"servings{n}.csv".encode()
        entries += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(packed),
            len(payload), len(other), 0, 0, 0, 0, 0, 0,
        ) + other  # fmt: skip
    head = local + name + packed
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 10, 10, len(entries), len(head), 0)
    bomb = scene.files / "export.zip"
    bomb.write_bytes(head + entries + end)
    got = scene.attack("zip with overlapping members (Fifield)", str(bomb))
    assert error(got) == (
        f"Error: {bomb}: members servings0.csv and servings1.csv share their packed bytes (a "
        "zip built to unpack the same bytes many times); it was not read.\n"
    )


@pytest.mark.parametrize(
    "name",
    ["../../evil.csv", "/etc/cron.d/evil.csv", "Export/../../../evil.csv", "C:/evil.csv"],
)
def test_zip_slip_names_are_listed_not_read(scene, name):
    archive_path = scene.files / "export.zip"
    with zipfile.ZipFile(archive_path, "w") as z:
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # ZipInfo would clean "../" away; a hostile zip keeps it
        z.writestr(info, fx.CRONOMETER_SERVINGS)
    got = scene.attack(f"zip slip ({name})", str(archive_path))
    assert error(got) == (
        "Error: none of the given files is a known export (skipped "
        f"{name.lstrip('/')}: a member whose name leads outside the zip, not read); run 'spectrum "
        "formats' to see them.\n"
    )
    assert not (scene.root / "evil.csv").exists() and not Path("/etc/cron.d/evil.csv").exists()


# -- XML ---------------------------------------------------------------------------------------

# "billion laughs": lol9 would expand to 10^9 "lol"s (3 GB)
LAUGHS = '<!ENTITY lol "lol">\n' + "".join(
    '<!ENTITY lol{} "{}">\n'.format(i, f"&lol{i - 1 if i > 1 else ''};" * 10) for i in range(1, 10)
)
XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n'
    + LAUGHS
    + '<!ENTITY passwd SYSTEM "file:///etc/passwd">\n'
    + '<!ENTITY remote SYSTEM "http://203.0.113.1/evil.dtd">\n'
    + ']>\n<HealthData locale="en_US">\n <ExportDate value="2026-03-10 09:00:00 +0100"/>\n'
)
RECORD = (
    ' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="{name}" unit="count" '
    'creationDate="2026-03-01 09:00:00 +0100" startDate="2026-03-01 0{h}:00:00 +0100" '
    'endDate="2026-03-01 0{h}:30:00 +0100" value="100"/>\n'
)


@pytest.mark.parametrize("entity", ["lol9", "passwd", "remote"])
def test_xml_entities_are_never_expanded_or_fetched(scene, entity):
    records = "".join(RECORD.format(name=f"&{entity};", h=h) for h in range(1, 4))
    export = scene.files / "export.xml"
    export.write_text(XML_HEAD + records + "</HealthData>\n")
    got = scene.attack(f"XML entity &{entity}; in every record", str(export), refused=False)
    assert got.code == 0, got.stderr
    assert got.stdout.startswith(f"{export}: apple_health, 3 rows read, 0 stored, 3 quarantined"), (
        got.stdout
    )
    assert f"Entity '{entity}' not defined" in got.stderr
    assert "lollollol" not in got.stdout + got.stderr


def test_an_external_dtd_is_not_loaded(scene):
    export = scene.files / "export.xml"
    export.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData SYSTEM "file:///etc/passwd">\n'
        '<HealthData locale="en_US">\n' + RECORD.format(name="Watch", h=1) + "</HealthData>\n"
    )
    got = scene.attack("XML with an external DTD (file:///etc/passwd)", str(export), refused=False)
    assert got.code == 0, got.stderr
    assert got.stdout.startswith(
        f"{export}: apple_health, 1 rows read, 1 stored as 1 daily row, 0 quarantined"
    )


def test_an_endless_xml_line_is_quarantined_in_bounded_memory(scene):
    export = scene.files / "export.xml"
    with export.open("w") as f:
        f.write('<?xml version="1.0"?>\n<HealthData locale="en_US">\n')
        f.write(RECORD.format(name="Watch", h=1))
        f.write(
            RECORD.format(name="Watch", h=2).replace(
                'value="100"', 'value="1' + "0" * 40 * 1024**2 + '"'
            )
        )
        for h in range(3, 9):  # the records after it are counted (quarantined), not lost
            f.write(RECORD.format(name="Watch", h=h))
        f.write("</HealthData>\n")
    got = scene.attack("an XML line of 40 MB", str(export), refused=False)
    assert got.code == 0, got.stderr
    assert got.stdout.startswith(
        f"{export}: apple_health, 8 rows read, 1 stored as 1 daily row, 7 quarantined"
    )
    assert "line 4 is longer than 16 MB" in got.stderr
    assert got.peak_mb < 500


# -- JSON --------------------------------------------------------------------------------------


def test_json_nested_deeper_than_exports_is_an_error(scene):
    takeout = scene.files / "steps-2026-03-01.json"
    takeout.write_text(
        '[{"dateTime": "03/01/26 09:00:00", "value": ' + "[" * 100_000 + "]" * 100_000 + "}]"
    )
    got = scene.attack("JSON nested 100,000 levels deep", str(takeout))
    assert error(got) == (
        f"Error: {takeout} nests JSON more than 64 levels deep in the item on line 1 "
        "(Takeout's items are flat); it is not a Fitbit Takeout file.\n"
    )


def test_a_json_file_over_the_bound_is_not_read_into_memory(scene):
    takeout = scene.files / "steps-2026-03-01.json"
    with takeout.open("w") as f:
        f.write('[{"dateTime": "03/01/26 09:00:00", "value": "')
        for _ in range(300):
            f.write("a" * 1024**2)
        f.write('"}]')
    got = scene.attack("a 300 MB JSON value", str(takeout))
    assert error(got) == (
        f"Error: {takeout} is larger than 256 MB, more than any export of its kind; it was "
        "not read. Check that it is the file the app made.\n"
    )
    assert got.peak_mb < 250  # refused by its size, before a byte of it was read


# -- lines, special files ----------------------------------------------------------------------


def test_a_line_longer_than_any_export_s_is_refused(scene):
    long = scene.files / "minuteStepsNarrow_merged.csv"
    long.write_bytes(MINUTE_HEADER + b"1," + b"9" * (3 * 1024**2) + b"\n")
    got = scene.attack("a CSV line of 3 MB", str(long))
    assert error(got) == (
        f"Error: {long}: line 2 is longer than 1 MB (a line of an export is a few hundred "
        "bytes); this is no export spectrum reads, and it was not read.\n"
    )


def test_a_long_line_in_utf_16_is_refused_too(scene):
    long = scene.files / "minuteStepsNarrow_merged.csv"
    long.write_bytes("Id,ActivityMinute,Steps\n1,".encode("utf-16") + b"9\x00" * 1024**2)
    got = scene.attack("a UTF-16 CSV line of 2 MB", str(long))
    assert "line 2 is longer than 1 MB" in error(got)


def test_a_2_gb_file_without_a_newline_is_not_read_whole(scene):
    huge = scene.files / "minuteStepsNarrow_merged.csv"
    with huge.open("wb") as f:  # sparse: 2 GB on paper, nothing on disk
        f.write(b"Id,ActivityMinute,Steps")
        f.truncate(2 * 1024**3)
    got = scene.attack("a 2 GB file without a newline", str(huge))
    assert error(got) == f"Error: {huge} is damaged at line 1 (binary data); export it again.\n"
    assert got.seconds < 20


def test_a_2_gb_text_line_is_refused_within_its_first_megabytes(scene):
    huge = scene.files / "minuteStepsNarrow_merged.csv"
    with huge.open("wb") as f:
        f.write(MINUTE_HEADER)
        for _ in range(40):  # 40 MB written; the read stops after 1 MB of it
            f.write(b"9" * 1024**2)
    got = scene.attack("a 40 MB line", str(huge))
    assert "line 2 is longer than 1 MB" in error(got)


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_special_files_are_an_error_at_once(scene, kind):
    if kind == "fifo":
        target = scene.files / "servings.csv"
        os.mkfifo(target)  # reading it would wait forever
    elif kind == "device":
        target = Path("/dev/zero")  # reading it would never end
    else:
        target = scene.files / "servings.sock"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    got = scene.attack(f"a {kind} named as a file", str(target))
    assert error(got) == (
        f"Error: {target} is not a regular file (a pipe, a socket or a device); name a file.\n"
    )
    assert got.seconds < 20


def test_a_file_that_changes_while_it_is_read_is_reported(tmp_path):
    path = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)

    class Growing(io.FileIO):
        appended = False

        def read(self, size=-1):  # another program appends once, while spectrum reads
            data = super().read(size)
            if data and not self.appended:
                self.appended = True
                with open(path, "ab") as other:
                    other.write(b"2026-03-02,Breakfast,Apple,1 medium,95,25,4.4\n")
            return data

    item = archive.Input(path, True, lambda: Growing(path, "r"))
    with pytest.raises(DataError) as err:
        item.read()
    assert str(err.value).startswith(f"{path} changed while it was read (")
    assert str(err.value).endswith("ingest it again once the app has finished writing it.")


# -- CSV written for a spreadsheet -------------------------------------------------------------

HOSTILE_FOOD = '=HYPERLINK("http://example.invalid","x")'


def _servings(names: list[str], days: int = 31, carbs: str = "60.00") -> str:
    header = fx.CRONOMETER_SERVINGS.splitlines()[0]
    lines = [header]
    for day in range(1, days + 1):
        for n, name in enumerate(names):
            quoted = '"' + name.replace('"', '""') + '"'
            lines.append(
                f'2026-03-{day:02d},8:{n:02d} AM,"Breakfast",{quoted},"1.00 serving",'
                f'{400 + n}.00,{carbs},1.00,10.00,8.00,59.00,5.00,10.00,"Baked Products"'
            )
    return "\n".join(lines) + "\n"


def test_the_share_bundle_cannot_run_a_food_name_as_a_formula(tmp_path, run):
    names = [HOSTILE_FOOD, "Bread, white", 'Oats "quick"', "Rice\nwhite", "-cookie"]
    food = tmp_path / "servings.csv"
    food.write_text(_servings(names))
    assert run("ingest", str(food)).exit_code == 0
    bundle = tmp_path / "share.zip"
    made = run("share", "--month", "2026-03", "-o", str(bundle))
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(bundle) as z:
        rows = list(csv.DictReader(io.StringIO(z.read("foods.csv").decode(), newline="")))
    foods = {r["food"] for r in rows if r["list"] == "refined carbohydrate"}
    assert foods == {"'" + HOSTILE_FOOD, "Bread, white", 'Oats "quick"', "Rice\nwhite", "'-cookie"}
    assert {r["amount"] for r in rows if r["list"] == "refined carbohydrate"} == {"1860"}


def test_quarantine_csv_and_cohort_csv_cannot_run_a_cell(tmp_path, run):
    food = tmp_path / "servings.csv"
    bad = _servings(["-cookie"], days=1, carbs="@SUM(1)").splitlines()[1]
    food.write_text(_servings([HOSTILE_FOOD]) + bad + "\n")
    # a person's name may begin with @ or - (not =: --person refuses it)
    assert run("ingest", str(food), "--person", "@home").exit_code == 0
    out = run("quarantine", "--csv")
    assert out.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.output, newline="")))
    assert len(rows) == 1 and rows[0]["value"] == "'@SUM(1)" and rows[0]["line"] == "33"
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    everyone = run("summary", "--all", "--month", "2026-03", "--csv")
    people = {r["person"] for r in csv.DictReader(io.StringIO(everyone.output, newline=""))}
    assert people == {"'@home"}


def test_the_memory_limit_holds(tmp_path):
    """The limit the attacks run under is real: 2 GB in one piece is refused."""
    code = RUNNER.split("from pipeline")[0] + "b = bytearray(2 * 1024**3)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode != 0 and "MemoryError" in out.stderr
