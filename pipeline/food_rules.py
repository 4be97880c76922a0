"""The food rules spectrum ships (food_rules.toml) and the user's own, ready to classify with.

Reading the file lives here, outside metrics/, so that the classifier stays a pure function
of the rules it is given.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.metrics.food_class import Rules, build_rules, parse_rules

RULES_FILE = Path(__file__).parent / "food_rules.toml"


@functools.cache
def _builtin() -> tuple:
    # Parsed once per process: every report and every `classify` call asks for the rules.
    with RULES_FILE.open("rb") as f:
        return parse_rules(tomllib.load(f)["rule"])


@functools.cache
def _builtin_compiled() -> Rules:
    return build_rules(_builtin())


def load_rules(user_rules: Mapping[str, Sequence[str]] | None = None) -> Rules:
    """The built-in rules, preceded by the user's [food_rules] (pattern -> classes)."""
    if not user_rules:
        return _builtin_compiled()
    return build_rules(_builtin(), user_rules)
