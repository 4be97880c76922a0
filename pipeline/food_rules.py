"""The food rules spectrum ships (food_rules.toml) and the user's own, ready to classify with.

Reading the file lives here, outside metrics/, so that the classifier stays a pure function
of the rules it is given. Compiling the 13,000 patterns takes about 0.15 s, a noticeable part
of a `summary`, so the compiled rules are kept in the user's cache folder (pipeline/cache.py)
under a hash of everything they are made from: the rules file, the code that normalises and
indexes them, and the user's own rules. Changing any of them compiles afresh.
"""

from __future__ import annotations

import functools
import json
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline import cache
from pipeline.metrics import food_class, food_names
from pipeline.metrics.food_class import Rules, build_rules, parse_rules
from pipeline.paths import cache_dir

RULES_FILE = Path(__file__).parent / "food_rules.toml"
WHAT = "food rules"
# what the compiled rules are made from, besides the user's own rules
MADE_FROM = (RULES_FILE, Path(food_class.__file__), Path(food_names.__file__))


@functools.cache
def _builtin() -> tuple:
    # Parsed once per process: every report and every `classify` call asks for the rules.
    with RULES_FILE.open("rb") as f:
        return parse_rules(tomllib.load(f)["rule"])


@functools.cache
def _cached(user_key: str) -> Rules:
    # the user's rules in their order in config.toml: the first that sets a class wins
    user_rules = dict(json.loads(user_key))
    made_from = "".join(cache.sha256(p.read_text(encoding="utf-8")) for p in MADE_FROM)
    made_from += unicodedata.unidata_version  # names are normalised with it
    path = cache_dir() / f"food-rules-{cache.sha256(made_from + user_key)[:24]}.json"
    text = cache.read_text(path, WHAT)
    if text is not None:
        return food_class.rules_from_json(text)
    rules = build_rules(_builtin(), user_rules)
    cache.write_text(path, food_class.rules_json(rules), WHAT)
    return rules


def load_rules(user_rules: Mapping[str, Sequence[str]] | None = None) -> Rules:
    """The built-in rules, preceded by the user's [food_rules] (pattern -> classes)."""
    return _cached(json.dumps(list((user_rules or {}).items()), ensure_ascii=False))
