"""Where things live by default. No heavy imports: `spectrum --help` must stay instant."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO_ROOT / "sample_data"


def default_store() -> Path:
    """$SPECTRUM_STORE, else the platform's per-user data folder + /spectrum."""
    return _per_user("SPECTRUM_STORE", "Application Support", (), "XDG_DATA_HOME", ".local/share")


def cache_dir() -> Path:
    """$SPECTRUM_CACHE, else the platform's per-user cache folder + /spectrum (files that
    can be rebuilt at any time: deleting the folder loses nothing)."""
    return _per_user("SPECTRUM_CACHE", "Caches", ("cache",), "XDG_CACHE_HOME", ".cache")


def _per_user(env: str, mac: str, windows: tuple[str, ...], xdg: str, xdg_home: str) -> Path:
    if value := os.environ.get(env):
        return Path(value)
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / mac / "spectrum"
    if sys.platform == "win32":
        local = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return local.joinpath("spectrum", *windows)
    return Path(os.environ.get(xdg) or home / xdg_home) / "spectrum"


# A store on object storage (a study's own bucket): read with the credentials and endpoint
# the environment gives deltalake and polars (README, "Beyond one machine").
REMOTE_SCHEMES = ("s3://", "s3a://", "gs://", "gcs://", "az://", "abfs://", "abfss://")


def is_remote(root: object) -> bool:
    """Whether a --store value names object storage rather than a local folder."""
    return isinstance(root, str) and root.lower().startswith(REMOTE_SCHEMES)
