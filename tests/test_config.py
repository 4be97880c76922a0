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
        f"{tmp_path / 'config.toml'} has unknown setting(s) steps_goal; known: baseline_months,"
    )
