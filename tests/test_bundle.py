"""The chart library is built once into the user's cache folder and read from there after."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import vl_convert

from pipeline import paths
from pipeline.report import bundle

NOTICE = "Building the chart library once (vl-convert {}); later reports reuse it.\n"


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """Every snippet vl-convert is asked to bundle (a fake, fast bundle)."""
    calls: list[str] = []

    def fake(snippet: str) -> str:
        calls.append(snippet)
        return f"/* vega */ window.vega = {{}}; // {len(calls)} </script>"

    monkeypatch.setattr(vl_convert, "javascript_bundle", fake)
    monkeypatch.setattr(vl_convert, "__version__", "1.9.0")
    return calls


def never(snippet: str) -> str:
    raise AssertionError("built again instead of reading the cache")


def cached_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("vega-*.js"))


def test_first_use_builds_with_a_notice_then_reads(tmp_path, builds, monkeypatch, capsys):
    text = bundle.cached_bundle(tmp_path)
    assert capsys.readouterr().err == NOTICE.format("1.9")
    assert text.startswith("/* vega */") and len(builds) == 1
    [path] = cached_files(tmp_path)
    assert path.name.startswith("vega-1.9.0-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # readable by this user only
    assert not list(tmp_path.glob(".vega-*"))  # no temporary file left behind

    monkeypatch.setattr(vl_convert, "javascript_bundle", never)
    assert bundle.cached_bundle(tmp_path) == text
    assert capsys.readouterr().err == ""


def test_a_new_vl_convert_version_builds_again(tmp_path, builds, monkeypatch, capsys):
    bundle.cached_bundle(tmp_path)
    monkeypatch.setattr(vl_convert, "__version__", "2.0.1")
    bundle.cached_bundle(tmp_path)
    assert capsys.readouterr().err.endswith(NOTICE.format("2.0"))
    assert len(builds) == 2 and len(cached_files(tmp_path)) == 2


def test_a_changed_snippet_builds_again(tmp_path, builds, monkeypatch):
    bundle.cached_bundle(tmp_path)
    monkeypatch.setattr(vl_convert, "get_vega_version", lambda: "9.9.9")
    bundle.cached_bundle(tmp_path)
    assert "vega@9.9.9" in builds[1] and len(cached_files(tmp_path)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[:-5]),  # cut short
        lambda p: p.write_text(p.read_text().replace("vega", "vegx")),  # changed
        lambda p: p.write_bytes(b"\xff\xfe\x00garbage"),  # not text
        lambda p: p.write_text(""),
    ],
)
def test_a_damaged_cache_file_is_built_again(tmp_path, builds, damage, capsys):
    first = bundle.cached_bundle(tmp_path)
    [path] = cached_files(tmp_path)
    damage(path)
    assert bundle.cached_bundle(tmp_path) == first.replace("// 1", "// 2")
    assert len(builds) == 2
    assert capsys.readouterr().err.count("Building the chart library") == 2
    builds.clear()
    bundle.cached_bundle(tmp_path)  # and the rebuilt file is good
    assert builds == []


def test_an_unwritable_cache_folder_still_gives_the_bundle(tmp_path, builds):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert bundle.cached_bundle(blocked / "cache").startswith("/* vega */")


def test_the_report_bundle_comes_from_spectrum_cache_and_is_escaped(tmp_path, builds, monkeypatch):
    monkeypatch.setenv("SPECTRUM_CACHE", str(tmp_path / "c"))
    bundle.vega_bundle.cache_clear()
    try:
        text = bundle.vega_bundle()
    finally:
        bundle.vega_bundle.cache_clear()  # the next test reads the session's real bundle
    assert text.endswith("<\\/script>")
    assert len(cached_files(tmp_path / "c")) == 1


def test_the_cache_folder_per_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("SPECTRUM_CACHE", raising=False)
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    monkeypatch.setattr(paths.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert paths.cache_dir() == Path("/xdg/spectrum")
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert paths.cache_dir() == tmp_path / ".cache" / "spectrum"
    monkeypatch.setattr(paths.sys, "platform", "darwin")
    assert paths.cache_dir() == tmp_path / "Library" / "Caches" / "spectrum"
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert paths.cache_dir() == tmp_path / "Local" / "spectrum" / "cache"
    monkeypatch.setenv("SPECTRUM_CACHE", "/anywhere")
    assert paths.cache_dir() == Path("/anywhere")
