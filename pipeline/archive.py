"""The files an ingest reads: named files, the CSV files in folders, and the CSV members of
zip archives (a MyFitnessPal or Withings export arrives as a zip).

A zip is read as a stream, member by member, never extracted to disk; a member that unpacks
to more than 2 GB, or to more than 200 times its packed size, is refused (a "zip bomb").
Only regular files are read: a device or a pipe named by mistake is an error.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import DataError

MAX_MEMBER_BYTES = 2 * 1024**3
MAX_RATIO = 200
CHUNK = 1 << 20


@dataclass(frozen=True)
class Input:
    path: Path  # for messages: a file, or "archive.zip!/member.csv"
    named: bool  # named by the user (an unknown format is an error, not a skip)
    read: Callable[[], bytes]


def is_zip(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    try:
        with path.open("rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _read_file(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise DataError(f"cannot read {path}: {exc.strerror}; check the path.") from exc

    return read


def _read_member(archive: Path, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        limit = min(MAX_MEMBER_BYTES, MAX_RATIO * max(info.compress_size, 1) + CHUNK)
        parts, total = [], 0
        try:
            with zipfile.ZipFile(archive) as z, z.open(info) as f:
                while chunk := f.read(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise DataError(
                            f"{archive}: {info.filename} unpacks to far more than its packed "
                            "size (a damaged or hostile zip); it was not read. Unzip the "
                            "export yourself and ingest the CSV files."
                        )
                    parts.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DataError(f"{archive} is not a readable zip ({exc}); export it again.") from exc
        return b"".join(parts)

    return read


def members(archive: Path) -> list[Input]:
    """The CSV members of a zip, in name order (folders inside it included)."""
    try:
        with zipfile.ZipFile(archive) as z:
            infos = [
                i
                for i in z.infolist()
                if not i.is_dir() and i.filename.lower().endswith(".csv")
                and not i.filename.startswith("__MACOSX/")
            ]  # fmt: skip
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{archive} is not a readable zip ({exc}); export it again.") from exc
    return [
        Input(Path(f"{archive}!/{i.filename}"), False, _read_member(archive, i))
        for i in sorted(infos, key=lambda i: i.filename)
    ]


def expand(paths: list[Path]) -> list[Input]:
    """Every file to read: named files, the CSV files in folders (whatever the case of
    `.csv`) and the CSV members of zips, named or inside a folder."""
    out: list[Input] = []
    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if not p.is_file():
                    continue
                if p.suffix.lower() == ".csv":
                    out.append(Input(p, False, _read_file(p)))
                elif p.suffix.lower() == ".zip":
                    out.extend(members(p))
        elif path.is_file():
            out.extend(members(path) if is_zip(path) else [Input(path, True, _read_file(path))])
        elif path.exists():
            raise DataError(f"{path} is not a regular file (a device or a pipe?); name a file.")
        else:
            raise DataError(f"{path} does not exist; check the path.")
    return out
