"""Importing a slow module in a thread while this one works on something else."""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading

_started: set[str] = set()


def preload(*names: str) -> None:
    """Import `names` in a thread (once per process). It pays where the calling thread
    meanwhile runs polars or reads files, which let go of Python's lock; an import of the
    same module here then waits for the thread's, and a failure shows where it matters: at
    that import."""
    left = [n for n in names if n not in sys.modules and n not in _started]
    if left:
        _started.update(left)
        threading.Thread(target=_import_quietly, args=(left,), daemon=True).start()


def _import_quietly(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
