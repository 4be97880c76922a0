"""Any other CSV through a [mappings] table in config.toml (the README's worked example)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import sources
from pipeline.config import load_config
from pipeline.errors import DataError
from pipeline.store import Store
from tests.conftest import write

# The README's worked example: a German step counter app, dates day-first, miles.
CONFIG = """
[mappings.schrittzaehler]
table = "activity_daily"
date_format = "%d.%m.%Y"
[mappings.schrittzaehler.columns]
date = "Datum"
steps = ["Schritte", "Steps"]
distance_km = "Strecke"
[mappings.schrittzaehler.units]
distance_km = "mi"
"""
APP = """
Datum,Schritte,Strecke,Notiz
01.03.2026,8200,3.5,
02.03.2026,,2.0,no steps column filled: unknown
03.03.2026,9100,zwei,
"""


@pytest.fixture(autouse=True)
def _forget_mappings():
    yield
    sources.use_mappings([])  # the registry is process-wide: leave it as the next test expects


def test_a_mapped_app_is_read_like_a_known_one(run, tmp_path, store_dir):
    store_dir.mkdir(parents=True)
    (store_dir / "config.toml").write_text(CONFIG)
    out = run("ingest", str(write(tmp_path / "export.csv", APP)))
    assert out.exit_code == 0, out.output
    assert out.output.startswith(
        f"{tmp_path / 'export.csv'}: schrittzaehler, 3 rows read, 2 stored, 1 quarantined"
    )
    rows = (
        Store(store_dir)
        .read("activity_daily")
        .collect()
        .sort("date")
        .select("date", "source", "steps", "distance_km")
        .rows()
    )
    # 3.5 mi = 5.632704 km; 2.0 mi = 3.218688 km; a missing step count is unknown, not 0
    assert rows == [
        (dt.date(2026, 3, 1), "schrittzaehler", 8200, pytest.approx(5.632704)),
        (dt.date(2026, 3, 2), "schrittzaehler", None, pytest.approx(3.218688)),
    ]
    why = run("quarantine", "--json")
    assert "Strecke 'zwei' is not a number" in why.output


def test_formats_lists_the_mapping(run, store_dir):
    store_dir.mkdir(parents=True)
    (store_dir / "config.toml").write_text(CONFIG)
    out = run("formats")
    assert "schrittzaehler  ->  activity_daily\n  Your mapping 'schrittzaehler' (config.toml)" in (
        out.output
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('table = "activity_daily"', 'table = "steps"'),
            "[mappings.schrittzaehler] table = 'steps' is not a table; use one of activity_daily,",
        ),
        (
            ('distance_km = "mi"', 'distance_km = "lb"'),
            "[mappings.schrittzaehler.units] distance_km = 'lb' cannot convert to km; use km, m, "
            "mi.",
        ),
        (
            ('date = "Datum"', 'day = "Datum"'),
            "[mappings.schrittzaehler.columns] names day, not a column of activity_daily; use ",
        ),
        (
            ("[mappings.schrittzaehler]", "[mappings.mfp_nutrition]"),
            "[mappings.mfp_nutrition] has the name of a built-in format; choose another.",
        ),
    ],
)
def test_a_mapping_that_cannot_work_is_named(tmp_path, change, message):
    text = CONFIG.replace(*change)
    if change[0].startswith("[mappings"):
        text = text.replace("mappings.schrittzaehler.", "mappings.mfp_nutrition.")
    (tmp_path / "config.toml").write_text(text)
    with pytest.raises(DataError) as err:
        load_config(tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'config.toml'}: {message}")


def test_a_mapping_name_too_short_says_the_rule(tmp_path):
    (tmp_path / "config.toml").write_text(CONFIG.replace("schrittzaehler", "x"))
    with pytest.raises(DataError) as err:
        load_config(tmp_path)
    assert str(err.value) == (
        f"{tmp_path / 'config.toml'}: [mappings.x]: a mapping's name is 2 to 41 lower-case "
        "letters, digits or _, starting with a letter (e.g. [mappings.stepsapp])."
    )
