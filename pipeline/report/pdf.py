"""Print a self-contained HTML report to PDF with headless Chromium.

Paper size, margins and the running footer come from the page's own CSS `@page` rule (margin
boxes such as `@bottom-right`), so Chromium's built-in header and footer are switched off and
nothing about the paper is set on the command line: one source of truth for the layout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import DataError

ENV_VAR = "SPECTRUM_CHROMIUM"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = (
    "--pdf needs Chromium or Google Chrome to print; install it "
    "(Debian/Ubuntu: sudo apt install chromium; macOS: brew install --cask chromium) "
    f"or set {ENV_VAR} to its path."
)
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    # The report is offline: no update checks, sync, extensions or other background traffic.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    # The footer is drawn by the page's @page margin boxes, not by Chromium's URL/date header.
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    # Virtual time lets the page's scripts (the charts) finish before the page is printed.
    "--virtual-time-budget=5000",
)


def find_browser() -> str:
    """Return the path of a Chromium-family browser: $SPECTRUM_CHROMIUM first, then PATH."""
    override = os.environ.get(ENV_VAR)
    if override:
        # An explicit choice that is wrong is an error, not a reason to silently pick another.
        if os.path.isfile(override) and os.access(override, os.X_OK):
            return override
        raise DataError(
            f"{ENV_VAR} is set to {override}, which is not an executable file; "
            f"point it at Chromium or Google Chrome, or unset it to search PATH."
        )
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise DataError(INSTALL_HINT)


def _reason(stderr: str) -> str:
    """The last non-empty stderr line, short enough for a one-line error."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    reason = lines[-1] if lines else "no output"
    return reason if len(reason) <= 200 else reason[:197] + "..."


def html_to_pdf(html: str, output: Path, timeout: float = 120) -> Path:
    """Print `html` to the PDF file `output` (parents created) and return `output`."""
    browser = find_browser()
    output = Path(output)
    # Everything Chromium touches lives in a temp dir: the user's folders get only the PDF,
    # and a throw-away profile keeps runs independent of any browser the user has open.
    with tempfile.TemporaryDirectory(prefix="spectrum-pdf-") as tmp:
        tmp_dir = Path(tmp)
        page = tmp_dir / "report.html"
        page.write_text(html, encoding="utf-8")
        pdf = tmp_dir / "report.pdf"
        command = [browser, *FLAGS, f"--user-data-dir={tmp_dir / 'profile'}"]
        if os.geteuid() == 0:
            # Chromium refuses to start as root unless its sandbox is disabled (containers, CI).
            command.append("--no-sandbox")
        command += [f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise DataError(
                f"Chromium did not finish printing the PDF within {timeout:g} s; "
                "run again with --debug to see why."
            ) from exc
        except OSError as exc:
            raise DataError(
                f"cannot start {browser}: {exc.strerror or exc}; " + INSTALL_HINT
            ) from exc
        if done.returncode != 0:
            raise DataError(
                f"Chromium failed to print the PDF (exit {done.returncode}: "
                f"{_reason(done.stderr)}); run again with --debug."
            )
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise DataError(
                f"Chromium wrote no PDF ({_reason(done.stderr)}); run again with --debug."
            )
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            # copyfile, not move: the temp dir may be on another filesystem.
            shutil.copyfile(pdf, output)
        except OSError as exc:
            raise DataError(
                f"cannot write {output}: {exc.strerror or exc}; pick another file with -o."
            ) from exc
    return output
