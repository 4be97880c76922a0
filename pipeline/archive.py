"""The files an ingest reads: named files, the export files in folders (CSV, and the XML and
JSON of Apple Health and Fitbit Takeout), and the same members of zip archives (a
MyFitnessPal, Withings or Apple Health export arrives as a zip) and of gzip files.

Every file may come from someone else, so each is read as if it were hostile (OWASP: zip
bombs, "zip slip", endless lines, special files):

- A zip is read as a stream, member by member, never extracted to disk; zips inside a zip
  are read two levels deep. A member, or a gzip file, that unpacks to more than
  `max_ratio` times its packed size or to more than `max_bytes` (pipeline/limits.py, config
  [archive]) is refused while it is read: the sizes an archive declares are not trusted.
- A member whose name is absolute or climbs out with `..`, and a link, are listed, not read.
- Only regular files are read: a device, a pipe or a socket named by mistake is an error,
  and in a folder it is listed; links in a folder are listed, not followed (so a link loop
  cannot trap the walk).
- Text is read in chunks checked as they come: binary bytes, a line longer than any
  export's, a file larger than any of its kind, or a file that changes while it is read
  stop the reading there, in bounded memory.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import os
import stat
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue
from typing import BinaryIO

from pipeline.errors import DataError, HostileInput
from pipeline.limits import DEFAULT, Limits, size_text

CHUNK = 1 << 20
ONE_READ = 256 * 1024**2  # a regular file up to this size is read in one piece
# what zipfile raises besides BadZipFile for a damaged or hostile zip: a name that is not
# UTF-8 (UnicodeDecodeError is a ValueError), a cut member, a broken header or LZMA stream
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error, zlib.error,
              lzma.LZMAError)  # fmt: skip
HEAD = 1 << 16  # what format detection sees of a file
# what a folder or zip member may be: exports are CSV, Apple Health XML, Fitbit Takeout JSON
READ_SUFFIXES = (".csv", ".xml", ".json")
# a zip inside a zip is unpacked in memory (zipfile needs to seek): up to this size
NESTED_ZIP_BYTES = 256 * 1024**2
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Input:
    path: Path  # for messages: a file, or "archive.zip!/member.csv"
    named: bool  # named by the user (an unknown format is an error, not a skip)
    open: Callable[[], BinaryIO]  # a fresh stream from the start (close it when done)
    skip: str | None = None  # why it is not read at all (a link, a device), said by ingest
    size: int = 0  # bytes it unpacks to (0: unknown), for the progress of large files

    def read(self, max_line: int | None = None, max_bytes: int | None = None) -> bytes:
        """The whole file as text bytes, checked chunk by chunk (see read_checked)."""
        with self.open() as f:
            return read_checked(f, self.path, max_line, max_bytes)

    def read_hashed(self, max_line: int | None = None) -> tuple[bytes, str]:
        """`read`, and the bytes' sha256, hashed in a thread as the chunks come: hashing
        lets go of Python's lock, so it runs beside the reading (a tenth of a second of a
        minute file's 93 MB)."""
        digest = hashlib.sha256()
        chunks: SimpleQueue[bytes | None] = SimpleQueue()

        def hash_chunks() -> None:
            while (chunk := chunks.get()) is not None:
                digest.update(chunk)

        hasher = threading.Thread(target=hash_chunks, daemon=True)
        hasher.start()
        try:
            with self.open() as f:
                data = read_checked(f, self.path, max_line, seen=chunks.put)
        finally:
            chunks.put(None)
            hasher.join()
        return data, digest.hexdigest()

    def head(self) -> bytes:
        with self.open() as f:
            return f.read(HEAD)


def read_checked(
    f: BinaryIO,
    path: Path,
    max_line: int | None = None,
    max_bytes: int | None = None,
    seen: Callable[[bytes], None] | None = None,
) -> bytes:
    """Every byte of `f`, stopping with an Error at the first chunk that shows it is no
    text export (a binary byte), or that holds a line longer than `max_line`, or once more
    than `max_bytes` came; and an Error when the file changed while it was read. `seen` is
    given the bytes as they are read."""
    before = _regular_stat(f)
    check = _TextCheck(path, max_line, max_bytes)
    if max_bytes is not None and before is not None and before.st_size > max_bytes:
        raise DataError(too_large(path, max_bytes))  # said before a byte is read
    if before is not None and f.seekable() and before.st_size <= ONE_READ:
        # a regular file of a size any export has: its first chunk is checked before the
        # rest is read, then the file is read in one piece (chunks joined would copy a
        # minute file's 93 MB once more) and the rest is checked. A larger file is read
        # chunk by chunk, each checked as it comes, so that a file that is text for a
        # megabyte and then binary is refused once its first binary chunk is read.
        head = os.pread(f.fileno(), check.step, f.tell())
        check(head, lambda: b"")
        data = f.read() if max_bytes is None else f.read(max_bytes + 1)
        if seen is not None:
            seen(data)
        for at in range(len(head), len(data), check.step):
            check(data[at : at + check.step], lambda at=at: data[:at])
    else:
        parts: list[bytes] = []
        while chunk := f.read(check.step):
            check(chunk, lambda: b"".join(parts))
            parts.append(chunk)
            if seen is not None:
                seen(chunk)
        data = b"".join(parts)
    _same_after(f, path, before, len(data))
    return data


class _TextCheck:
    """read_checked's checks of each chunk, in order: the size, binary bytes, line length."""

    def __init__(self, path: Path, max_line: int | None, max_bytes: int | None) -> None:
        self.path, self.max_line, self.max_bytes = path, max_line, max_bytes
        self.step = min(CHUNK, max_line) if max_line else CHUNK  # a line fits in one chunk
        self.total = self.since = 0  # bytes, bytes since the last newline
        self.utf16: bool | None = None  # UTF-16 text holds NUL bytes; its decoding checks it

    def __call__(self, chunk: bytes, before: Callable[[], bytes]) -> None:
        """Check the next chunk; `before()` gives the bytes before it, asked for only to say
        an error's line (counting every line costs 0.02 s of a minute file)."""
        from pipeline.sources._csv import damaged_at, has_control_bytes

        def line_at(offset: int) -> int:
            return before().count(b"\n") + chunk[:offset].count(b"\n") + 1

        if self.utf16 is None:
            self.utf16 = chunk.startswith(UTF16_BOMS)
        self.total += len(chunk)
        if self.max_bytes is not None and self.total > self.max_bytes:
            raise DataError(too_large(self.path, self.max_bytes))
        if not self.utf16 and has_control_bytes(chunk):
            raise damaged_at(self.path, line_at(_first_bad(chunk)))
        if self.max_line is not None:  # in UTF-16 too: its newline holds the byte 0x0A
            first = chunk.find(b"\n")
            if self.since + (len(chunk) if first == -1 else first) > self.max_line:
                raise DataError(
                    f"{self.path}: line {line_at(0)} is longer than {size_text(self.max_line)} "
                    "(a line of an export is a few hundred bytes); this is no export spectrum "
                    "reads, and it was not read."
                )
            last = chunk.rfind(b"\n")
            self.since = self.since + len(chunk) if last == -1 else len(chunk) - last - 1


def looks_binary(head: bytes) -> bool:
    """The start of a file that no text export begins with: binary bytes in text that is
    neither UTF-16 nor XML (Apple's export.xml may hold a stray control character, read as
    a space). Such a file is refused at its first chunk; hashing it all first would read
    a 2 GB file for nothing."""
    from pipeline.sources._csv import has_control_bytes

    if head.startswith(UTF16_BOMS) or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return False
    return has_control_bytes(head)


def too_large(path: Path, bound: int) -> str:
    return (
        f"{path} is larger than {size_text(bound)}, more than any export of its kind; it was "
        "not read. Check that it is the file the app made."
    )


def _first_bad(chunk: bytes) -> int:
    """Where the first binary byte of `chunk` is."""
    from pipeline.sources._csv import BINARY

    found = BINARY.search(chunk)
    return found.start() if found else 0


def _regular_stat(f: BinaryIO) -> os.stat_result | None:
    try:
        st = os.fstat(f.fileno())
    except (OSError, AttributeError, io.UnsupportedOperation):
        return None  # a zip member or a gzip stream: no file of its own
    return st if stat.S_ISREG(st.st_mode) else None


def _same_after(f: BinaryIO, path: Path, before: os.stat_result | None, read: int) -> None:
    """An Error when the file grew, shrank or was rewritten while it was read (an app still
    writing its export, or a file swapped underneath): its rows would be half of two files."""
    if before is None:
        return
    after = os.fstat(f.fileno())
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or read != (
        after.st_size
    ):
        raise DataError(
            f"{path} changed while it was read ({size_text(before.st_size)} when opened, "
            f"{size_text(after.st_size)} after); ingest it again once the app has finished "
            "writing it."
        )


def is_zip(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    try:
        with path.open("rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


WATCHED_BYTES = 50 * 1024**2  # a file this large shows a progress bar as it is read


class _Counted(io.RawIOBase):
    """A stream that tells `seen` how many bytes each read returned."""

    def __init__(self, inner: BinaryIO, seen: Callable[[int], None]) -> None:
        self.inner, self.seen = inner, seen

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:  # a regular file's size is checked after reading
        return self.inner.fileno()

    def readinto(self, buffer) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.seen(len(data))
        return len(data)

    def readall(self) -> bytes:
        parts = []
        while chunk := self.inner.read(CHUNK):
            self.seen(len(chunk))
            parts.append(chunk)
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            self.inner.close()
        super().close()


def watched(item: Input, seen: Callable[[int], None]) -> Input:
    """`item` whose streams report the bytes read to `seen` (a progress bar)."""

    def opener() -> BinaryIO:
        return io.BufferedReader(_Counted(item.open(), seen), CHUNK)

    return Input(item.path, item.named, opener, item.skip, item.size)


def open_file(path: Path) -> Callable[[], BinaryIO]:
    def opener() -> BinaryIO:
        try:
            return path.open("rb")
        except OSError as exc:
            raise DataError(f"cannot read {path}: {exc.strerror}; check the path.") from exc

    return opener


class _Capped(io.RawIOBase):
    """An unpacking stream (a zip member, a gzip file) that stops with an Error once it has
    given more bytes than its cap, so a bomb is refused while it is read, whoever reads it
    (a CSV read whole, XML streamed). The cap is the smaller of `max_ratio` times the bytes
    it was packed into and `max_bytes`; the message names the config key to raise."""

    def __init__(
        self,
        label: str,
        opened: Callable[[], tuple[BinaryIO, Callable[[], None]]],
        packed: int,
        limits: Limits,
    ) -> None:
        by_ratio = limits.max_ratio * max(packed, 1) + CHUNK
        self.label, self.limits = label, limits
        self.ratio_bound = by_ratio < limits.max_bytes
        self.limit = min(by_ratio, limits.max_bytes)
        self.total = 0
        self.stream, self.closer = opened()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        self.total += len(data)
        if self.total > self.limit:
            raise HostileInput(self._refusal())
        buffer[: len(data)] = data
        return len(data)

    def _refusal(self) -> str:
        if self.ratio_bound:
            return (
                f"{self.label} expands beyond {self.limits.max_ratio:g} times its packed size "
                "(a zip bomb, or a damaged archive); it was not read. If this file is genuine, "
                "raise archive.max_ratio in config.toml."
            )
        return (
            f"{self.label} expands beyond {size_text(self.limits.max_bytes)}; it was not read. "
            "If this file is genuine, raise archive.max_mb in config.toml."
        )

    def close(self) -> None:
        if not self.closed:
            self.closer()
        super().close()


class _Member(_Capped):
    """A zip member's stream (zipfile's own errors become one-line Errors)."""

    def __init__(self, where: _Zip, info: zipfile.ZipInfo, limits: Limits) -> None:
        self.where, self.info = where, info
        label = f"{where.label}: member {info.filename}"
        # the packed size the archive declares is believed only up to the archive's own size
        packed = min(info.compress_size, where.size)
        super().__init__(label, self._open, packed, limits)

    def _open(self) -> tuple[BinaryIO, Callable[[], None]]:
        z = self.where.open()
        try:
            member = z.open(self.info)
        except ZIP_ERRORS as exc:
            z.close()
            raise _not_zip(self.where.label, exc) from exc
        except (RuntimeError, NotImplementedError) as exc:  # a password, or AES / deflate64
            z.close()
            raise _unreadable(self.where.label, self.info) from exc

        def close() -> None:
            member.close()
            z.close()

        return member, close

    def readinto(self, buffer) -> int:
        try:
            return super().readinto(buffer)
        except ZIP_ERRORS as exc:
            raise _not_zip(self.where.label, exc) from exc
        except (RuntimeError, NotImplementedError) as exc:
            raise _unreadable(self.where.label, self.info) from exc


@dataclass(frozen=True)
class _Zip:
    """A zip to open again for each member: a file, or a zip inside a zip (its bytes read
    again each time, so that no more than one nested zip is in memory at once)."""

    label: str  # "export.zip", or "outer.zip!/inner.zip"
    source: Path | Callable[[], bytes]
    size: int  # its bytes: no member can have been packed into more

    def open(self) -> zipfile.ZipFile:
        try:
            if isinstance(self.source, Path):
                return zipfile.ZipFile(self.source)
            return zipfile.ZipFile(io.BytesIO(self.source()))
        except ZIP_ERRORS as exc:
            raise _not_zip(self.label, exc) from exc


def _unreadable(label: str, info: zipfile.ZipInfo) -> DataError:
    return DataError(
        f"{label}!/{info.filename} is password-protected or packed in a way spectrum cannot "
        "unpack (AES, deflate64); unzip the export yourself and ingest its files."
    )


def _not_zip(label: str | Path, exc: Exception) -> DataError:
    said = str(exc) or (
        "it ends before its member does" if isinstance(exc, EOFError) else type(exc).__name__
    )
    return DataError(f"{label} is not a readable zip ({said}); export it again.")


def _member_opener(where: _Zip, info: zipfile.ZipInfo, limits: Limits):
    def opener() -> BinaryIO:
        return io.BufferedReader(_Member(where, info, limits), CHUNK)

    return opener


def _gzip_opener(label: str, outer: Callable[[], BinaryIO], packed: int, limits: Limits):
    """A gzip file's text as a capped stream (`outer`: the .gz bytes, a file or a member)."""

    def opened() -> tuple[BinaryIO, Callable[[], None]]:
        raw = outer()
        inner = gzip.GzipFile(fileobj=raw)

        def close() -> None:
            inner.close()
            raw.close()

        return _GzipErrors(inner, label), close

    def opener() -> BinaryIO:
        return io.BufferedReader(_Capped(f"{label}", opened, packed, limits), CHUNK)

    return opener


class _GzipErrors:
    """gzip's own errors (a cut or damaged file) as one-line Errors."""

    def __init__(self, inner: gzip.GzipFile, label: str) -> None:
        self.inner, self.label = inner, label

    def read(self, n: int) -> bytes:
        try:
            return self.inner.read(n)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(
                f"{self.label} is not a readable gzip file ({exc}); export it again."
            ) from exc


def is_export_name(name: str) -> bool:
    return name.lower().endswith(READ_SUFFIXES)


def is_gzip_name(name: str) -> bool:
    return name.lower().endswith(".gz")


def members(archive: Path, limits: Limits = DEFAULT) -> list[Input]:
    """The members of a zip file, in name order (folders and zips inside it included)."""
    try:
        size = archive.stat().st_size
    except OSError as exc:
        raise DataError(f"cannot read {archive}: {exc.strerror}; check the path.") from exc
    return _members(_Zip(str(archive), archive, size), limits, 1)


def _members(where: _Zip, limits: Limits, depth: int) -> list[Input]:
    with where.open() as z:
        infos = [i for i in z.infolist() if not i.is_dir()]
        _no_overlap(where, z.infolist())
    out: list[Input] = []
    for info in sorted(infos, key=lambda i: i.filename):
        if info.filename.startswith("__MACOSX/"):  # the Finder's resource forks
            continue
        path = Path(f"{where.label}!/{info.filename}")
        opener = _member_opener(where, info, limits)
        odd = _odd_member(info)
        name = info.filename.lower()
        if odd is None and name.endswith(".zip"):
            out.extend(_nested(where, info, path, opener, limits, depth))
        elif odd is None and is_gzip_name(name):
            out.append(_gunzipped(path, opener, min(info.compress_size, where.size), limits))
        else:
            out.append(Input(path, False, opener, odd, info.file_size))
    return out


def _no_overlap(where: _Zip, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose members share packed bytes: each member's cap holds, but one
    built with overlapping entries unpacks the same bytes once per member (a "non-recursive
    zip bomb", Fifield 2019). A member's bytes start at its header and run at least its
    packed size, so a member starting before the previous one's end overlaps it."""
    end, previous = -1, ""
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end:
            raise HostileInput(
                f"{where.label}: members {previous} and {info.filename} share their packed "
                "bytes (a zip built to unpack the same bytes many times); it was not read."
            )
        end, previous = info.header_offset + info.compress_size, info.filename


def _nested(where, info, path: Path, opener, limits: Limits, depth: int) -> list[Input]:
    """A zip inside a zip: its members (read into memory: zipfile must seek), or the member
    itself, listed, when it is too deep or too large."""
    if depth >= limits.max_zip_depth:
        why = f"a zip {depth} levels down inside zips, not read; unzip it and ingest its files"
        return [Input(path, False, opener, why, info.file_size)]

    def data() -> bytes:
        with opener() as f:
            return _read_zip_bytes(f, path)

    try:
        read = [data()]  # listing its members uses these bytes; each member reads it again
        where = _Zip(str(path), lambda: read.pop() if read else data(), len(read[0]))
        return _members(where, limits, depth + 1)
    except HostileInput:
        raise
    except DataError as exc:  # too large, or not a zip at all: listed with the reason
        why = after_label(str(exc), str(path))
        return [Input(path, False, opener, why, info.file_size)]


def after_label(message: str, label: str) -> str:
    """A message about `label` without its name in front (for a "skipped, ..." line)."""
    return message.removeprefix(label).lstrip(" :").rstrip(".")


def _read_zip_bytes(f: BinaryIO, path: Path) -> bytes:
    parts, total = [], 0
    while chunk := f.read(CHUNK):
        total += len(chunk)
        if total > NESTED_ZIP_BYTES:
            raise DataError(
                f"{path} is a zip inside a zip larger than {size_text(NESTED_ZIP_BYTES)}; "
                "unzip it and ingest its files."
            )
        parts.append(chunk)
    return b"".join(parts)


def _gunzipped(path: Path, outer: Callable[[], BinaryIO], packed: int, limits: Limits) -> Input:
    """A gzip file read as the file inside it ("steps.csv.gz" -> "steps.csv.gz!/steps.csv")."""
    inner = path.name[: -len(".gz")] or "unnamed"
    label = f"{path}"
    return Input(Path(f"{path}!/{inner}"), False, _gzip_opener(label, outer, packed, limits))


def _odd_member(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member is not read: a link (its bytes are a path, not a file) or a name
    that climbs out of the archive (nothing is extracted, but no real export has one)."""
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link inside the zip, not read"
    name = info.filename.replace("\\", "/")
    if ".." in name.split("/") or name.startswith("/") or name[1:3] == ":/":
        return "a member whose name leads outside the zip, not read"
    return None


def _folder_member(p: Path, folder: Path, limits: Limits) -> list[Input]:
    """A file found in a folder: read if it is a regular file (not a link, a pipe, a
    device); a zip or a gzip file in the folder is read member by member."""
    if p.name.startswith("."):  # .DS_Store and the like are no one's export
        return []
    if p.is_symlink():
        return [Input(p, False, open_file(p), _link_reason(p, folder))]
    if not p.is_file():
        return [Input(p, False, open_file(p), "not a regular file (a pipe, a socket or a device)")]
    if p.suffix.lower() == ".zip":
        return members(p, limits)
    if is_gzip_name(p.name):
        return [_gunzipped(p, open_file(p), p.stat().st_size, limits)]
    return [Input(p, False, open_file(p), size=p.stat().st_size)]


def _link_reason(p: Path, folder: Path) -> str:
    """Why a link in a folder is not followed, by where it leads."""
    try:
        target = p.resolve(strict=True)
    except (OSError, RuntimeError):
        return "a symbolic link that loops or leads nowhere, not followed"
    if not target.is_relative_to(folder.resolve()):
        return f"a symbolic link leading outside {folder}, not followed"
    return "a symbolic link, not followed (what it points to is read where it is)"


def _walk(folder: Path, limits: Limits) -> list[Input]:
    """Every file under `folder`, links to folders included (listed, never entered: a
    link loop cannot trap the walk), in path order."""
    found: list[tuple[Path, list[Input]]] = []

    def unreadable(exc: OSError) -> None:  # a folder os.walk cannot list: said, not lost
        p = Path(exc.filename)
        found.append((p, [Input(p, False, open_file(p), f"cannot be read ({exc.strerror})")]))

    for root, dirs, files in os.walk(folder, onerror=unreadable):  # followlinks=False
        for name in [*dirs, *files]:
            p = Path(root) / name
            if name in dirs and not p.is_symlink():
                continue
            found.append((p, _folder_member(p, folder, limits)))
    return [item for _, items in sorted(found, key=lambda pair: pair[0]) for item in items]


def expand(paths: list[Path], limits: Limits = DEFAULT) -> list[Input]:
    """Every file to read: named files, the files in folders and the members of zips and
    gzip files, named or inside a folder (members that are not CSV, XML or JSON are listed
    as skipped)."""
    out: list[Input] = []
    for path in paths:
        if path.is_symlink() and not path.is_dir():
            raise DataError(
                f"{path} is a symbolic link; name the file it points to "
                f"({path.resolve()}) if you mean to read it."
            )
        if path.is_dir():
            out.extend(_walk(path, limits))
        elif path.is_file():
            if is_zip(path):
                out.extend(members(path, limits))
            elif is_gzip_name(path.name):
                out.append(_named(_gunzipped(path, open_file(path), path.stat().st_size, limits)))
            else:
                out.append(Input(path, True, open_file(path), size=path.stat().st_size))
        elif path.exists():
            raise DataError(
                f"{path} is not a regular file (a pipe, a socket or a device); name a file."
            )
        else:
            raise DataError(f"{path} does not exist; check the path.")
    return out


def _named(item: Input) -> Input:
    return Input(item.path, True, item.open, item.skip, item.size)
