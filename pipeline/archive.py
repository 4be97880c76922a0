"""The files an ingest reads: named files, the export files in folders (CSV, and the XML and
JSON of Apple Health and Fitbit Takeout), and the same members of zip archives (a
MyFitnessPal, Withings or Apple Health export arrives as a zip).

A zip is read as a stream, member by member, never extracted to disk; a member that unpacks
to more than 2 GB, or to more than 200 times its packed size, is refused (a "zip bomb").
Only regular files are read: a device or a pipe named by mistake is an error.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import DataError, HostileInput

MAX_MEMBER_BYTES = 2 * 1024**3
MAX_RATIO = 200
CHUNK = 1 << 20
HEAD = 1 << 16  # what format detection sees of a file
# what a folder or zip member may be: exports are CSV, Apple Health XML, Fitbit Takeout JSON
READ_SUFFIXES = (".csv", ".xml", ".json")


@dataclass(frozen=True)
class Input:
    path: Path  # for messages: a file, or "archive.zip!/member.csv"
    named: bool  # named by the user (an unknown format is an error, not a skip)
    open: Callable[[], BinaryIO]  # a fresh stream from the start (close it when done)
    skip: str | None = None  # why it is not read at all (a link, a device), said by ingest
    size: int = 0  # bytes it unpacks to (0: unknown), for the progress of large files

    def read(self) -> bytes:
        with self.open() as f:
            return f.read()

    def head(self) -> bytes:
        with self.open() as f:
            return f.read(HEAD)


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


class _CappedMember(io.RawIOBase):
    """A zip member's stream that stops with an Error past its unpacked-size cap, so a zip
    bomb is refused while it is read, whoever reads it (a CSV read whole, XML streamed)."""

    def __init__(self, archive: Path, info: zipfile.ZipInfo) -> None:
        self.archive, self.info = archive, info
        self.limit = min(MAX_MEMBER_BYTES, MAX_RATIO * max(info.compress_size, 1) + CHUNK)
        self.total = 0
        try:
            self.zip = zipfile.ZipFile(archive)
            self.member = self.zip.open(info)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _not_zip(archive, exc) from exc
        except (RuntimeError, NotImplementedError) as exc:  # a password, or AES / deflate64
            raise _unreadable(archive, info) from exc

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.member.read(len(buffer))
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _not_zip(self.archive, exc) from exc
        except (RuntimeError, NotImplementedError) as exc:
            raise _unreadable(self.archive, self.info) from exc
        self.total += len(data)
        if self.total > self.limit:
            raise HostileInput(
                f"{self.archive}: {self.info.filename} unpacks to far more than its packed "
                "size (a damaged or hostile zip); it was not read. Unzip the export yourself "
                "and ingest its files."
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.member.close()
            self.zip.close()
        super().close()


def _unreadable(archive: Path, info: zipfile.ZipInfo) -> DataError:
    return DataError(
        f"{archive}!/{info.filename} is password-protected or packed in a way spectrum cannot "
        "unpack (AES, deflate64); unzip the export yourself and ingest its files."
    )


def _not_zip(archive: Path, exc: Exception) -> DataError:
    return DataError(f"{archive} is not a readable zip ({exc}); export it again.")


def _open_member(archive: Path, info: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    def opener() -> BinaryIO:
        return io.BufferedReader(_CappedMember(archive, info), CHUNK)

    return opener


def is_export_name(name: str) -> bool:
    return name.lower().endswith(READ_SUFFIXES)


def members(archive: Path) -> list[Input]:
    """The members of a zip, in name order (folders inside it included)."""
    try:
        with zipfile.ZipFile(archive) as z:
            infos = [
                i
                for i in z.infolist()
                if not i.is_dir() and not i.filename.startswith("__MACOSX/")
            ]  # fmt: skip
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_zip(archive, exc) from exc
    return [
        Input(
            Path(f"{archive}!/{i.filename}"),
            False,
            _open_member(archive, i),
            _odd_member(i),
            i.file_size,
        )
        for i in sorted(infos, key=lambda i: i.filename)
    ]


def _odd_member(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member is not read: a link (its bytes are a path, not a file) or a name
    that climbs out of the archive (nothing is extracted, but no real export has one)."""
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link inside the zip, not read"
    if ".." in Path(info.filename).parts or info.filename.startswith("/"):
        return "a member whose name leads outside the zip, not read"
    return None


def _folder_member(p: Path) -> list[Input]:
    """A file found in a folder: read if it is a regular file (not a link, a pipe, a
    device); a zip in the folder is read member by member."""
    if p.name.startswith("."):  # .DS_Store and the like are no one's export
        return []
    if p.is_symlink():
        return [Input(p, False, open_file(p), "a symbolic link, not followed")]
    if not p.is_file():
        return [Input(p, False, open_file(p), "not a regular file (a pipe or a device)")]
    if p.suffix.lower() == ".zip":
        return members(p)
    return [Input(p, False, open_file(p), size=p.stat().st_size)]


def expand(paths: list[Path]) -> list[Input]:
    """Every file to read: named files, the files in folders and the members of zips, named
    or inside a folder (members that are not CSV, XML or JSON are listed as skipped)."""
    out: list[Input] = []
    for path in paths:
        if path.is_symlink() and not path.is_dir():
            raise DataError(
                f"{path} is a symbolic link; name the file it points to "
                f"({path.resolve()}) if you mean to read it."
            )
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if not p.is_dir():
                    out.extend(_folder_member(p))
        elif path.is_file():
            named = [Input(path, True, open_file(path), size=path.stat().st_size)]
            out.extend(members(path) if is_zip(path) else named)
        elif path.exists():
            raise DataError(f"{path} is not a regular file (a device or a pipe?); name a file.")
        else:
            raise DataError(f"{path} does not exist; check the path.")
    return out
