"""Thresholds come from the store's config.toml when it exists."""

from __future__ import annotations

import json

import pytest

from pipeline.config import Config, load_config
from pipeline.errors import DataError
from tests import fixtures as fx
from tests.conftest import write


def test_defaults_without_a_file(tmp_path):
    assert load_config(tmp_path) == Config()


def test_a_setting_changes_a_metric(run, tmp_path, store_dir):
    run("ingest", str(write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)))
    before = json.loads(run("summary", "--month", "2026-03", "--json").stdout)
    assert before["metrics"]["food_logged_days"] == 1  # 1200 kcal on 1 March; 100 on 2 March
    (store_dir / "config.toml").write_text("food_kcal_logged = 50\n")
    after = json.loads(run("summary", "--month", "2026-03", "--json").stdout)
    assert after["metrics"]["food_logged_days"] == 2


def test_unknown_setting_is_named(tmp_path):
    (tmp_path / "config.toml").write_text("steps_goal = 1\n")
    with pytest.raises(DataError) as err:
        load_config(tmp_path)
    assert str(err.value).startswith(
        f"{tmp_path / 'config.toml'} has unknown setting(s) steps_goal; "
        "known: added_sugar_target_pct_kcal,"
    )


def test_config_command_says_where_each_setting_comes_from(run, store_dir):
    store_dir.mkdir(parents=True)
    (store_dir / "config.toml").write_text("steps_target = 10000\nfood_kcal_logged = 1000\n")
    out = run("config").output.splitlines()
    assert out[0] == f"Settings for the store at {store_dir} (file: config.toml)"
    assert (
        "  steps_target                    10000  (config.toml): personal target: steps per "
        "valid day"
    ) in out
    assert (
        "  food_kcal_logged                1000  (config.toml): kcal that make a food day logged "
        "(lighter days are partial)"
    ) in out
    assert (
        "  wear_min_valid                  600  (default): minutes of wear that make an activity "
        "day valid"
    ) in out
    data = json.loads(run("config", "--json").stdout)
    assert data["steps_target"] == {"value": 10000, "source": "config.toml"}
    assert data["short_sleep_min"] == {"value": 420, "source": "default"}
    assert data["food_source_priority"]["value"] == [
        "cronometer_servings",
        "mfp_nutrition",
        "cronometer_dailysummary",
    ]


def test_a_wrong_type_names_the_key_and_the_type(run, store_dir):
    store_dir.mkdir(parents=True)
    (store_dir / "config.toml").write_text('steps_target = "lots"\n')
    result = run("summary", "--month", "2026-03")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {store_dir / 'config.toml'}: steps_target must be a whole number, not 'lots'; "
        "fix it in config.toml (default: 8000).\n"
    )
    (store_dir / "config.toml").write_text("include_weight = 1\n")
    assert run("config").output == (
        f"Error: {store_dir / 'config.toml'}: include_weight must be true or false, not 1; "
        "fix it in config.toml (default: true).\n"
    )


def test_a_float_setting_accepts_a_whole_number(tmp_path):
    (tmp_path / "config.toml").write_text("food_kcal_logged = 900\n")
    assert load_config(tmp_path).food_kcal_logged == 900.0


def test_food_rules_with_an_unknown_class_are_refused(tmp_path):
    (tmp_path / "config.toml").write_text('[food_rules]\n"bjorn qorn" = "crunchy"\n')
    with pytest.raises(DataError) as err:
        load_config(tmp_path)
    assert str(err.value) == (
        f"{tmp_path / 'config.toml'}: food rule 'bjorn qorn': unknown class 'crunchy'; use one "
        "of refined, not_refined, ultra_processed, not_ultra_processed"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "weight_alpha = 5",
            "weight_alpha must be between 0.001 and 1, not 5; fix it in config.toml "
            "(default: 0.1).",
        ),
        (
            "min_days_per_week = 0",
            "min_days_per_week must be between 1 and 7, not 0; fix it in config.toml (default: 4).",
        ),
        (
            "waking_start_hour = 23\nwaking_end_hour = 6",
            "waking_start_hour (23) must come before waking_end_hour (6); fix them in config.toml.",
        ),
        (
            'food_source_priority = ["garmin"]',
            "food_source_priority names garmin, which spectrum does not read; use names from "
            "'spectrum formats'.",
        ),
    ],
)
def test_values_that_cannot_work_are_named(tmp_path, text, message):
    (tmp_path / "config.toml").write_text(text + "\n")
    with pytest.raises(DataError) as err:
        load_config(tmp_path)
    assert str(err.value) == f"{tmp_path / 'config.toml'}: {message}"


def test_every_setting_is_explained():
    from dataclasses import fields

    from pipeline.config import HELP

    assert [f.name for f in fields(Config)] == list(HELP)


def test_a_minimum_change_per_metric(run, store_dir):
    store_dir.mkdir(parents=True)
    (store_dir / "config.toml").write_text("[min_change]\nsteps_mean = 300\n")
    out = json.loads(run("config", "--json").stdout)
    assert out["min_change"] == {"value": {"steps_mean": 300.0}, "source": "config.toml"}
    (store_dir / "config.toml").write_text("[min_change]\nsteps = 300\n")
    assert run("config").output == (
        f"Error: {store_dir / 'config.toml'}: [min_change] names steps, which is not a metric; "
        "use keys of spectrum summary --json.\n"
    )


def test_an_absolute_minimum_relabels_a_small_change():
    from pipeline.travel import at_least

    d = {"baseline": 7000.0, "value": 7200.0, "delta": 200.0, "ci95": [50.0, 350.0]}
    d |= {"label": "toward", "note": None}
    # +200 steps with an interval above 0, but under a minimum of 300 steps: steady, and why
    out = at_least(dict(d), +1, 300.0)
    assert out["label"] == "steady"
    assert out["note"] == (
        "the interval excludes no change, but the change is smaller than the minimum that matters"
    )
    assert at_least(dict(d), +1, 100.0)["label"] == "toward"
