"""Where things live by default. No heavy imports: `spectrum --help` must stay instant."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO_ROOT / "sample_data"


def default_store() -> Path:
    """$SPECTRUM_STORE, else the platform's per-user data folder + /spectrum."""
    if env := os.environ.get("SPECTRUM_STORE"):
        return Path(env)
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "spectrum"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "spectrum"
    return Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "spectrum"
