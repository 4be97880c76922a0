"""The food classifier (pipeline.metrics.food_class): normalising names, rules as data, and
agreement with independently labelled food names."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import polars as pl
import pytest

from pipeline import cache as cache_module
from pipeline import food_rules
from pipeline.food_rules import load_rules
from pipeline.metrics.food_class import (
    Decision,
    classify,
    normalise,
    rules_from_json,
    rules_json,
)
from pipeline.metrics.food_frames import classify_items

DATA = Path(__file__).resolve().parent / "data"
LABEL_FILES = ["food_labels.csv", "food_labels_extra.csv"]
MIN_AGREEMENT = 0.90  # METRICS.md: tested against a labelled list of real food names

RULES = load_rules()
UNKNOWN = (
    "refined: no rule matched; needs carbs and fibre; ultra_processed: no rule matched (unknown)"
)


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _label(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


def _rows(file_name: str) -> list[dict[str, str]]:
    path = DATA / file_name
    if not path.exists():
        pytest.skip(f"{path.name} is not there (yet)")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _frame(rows: list[dict[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "food_name": [r["name"] for r in rows],
            "carbs_g": [_number(r["carbs_g"]) for r in rows],
            "fiber_g": [_number(r["fiber_g"]) for r in rows],
        },
        schema={"food_name": pl.String, "carbs_g": pl.Float64, "fiber_g": pl.Float64},
    )


# --- normalise ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Coca-Cola 330ml", "coca cola"),
        ("Hafer Flocken", "hafer flocken"),
        ("Crème brûlée", "creme brulee"),
        ("Blueberries, Frozen, Unsweetened", "blueberry frozen unsweetened"),
        ("Bread, white, commercial", "bread white commercial"),
        ("Nature's Bounty, Vitamin B12, 1000 mcg", "nature bounty vitamin b12"),
        ("Dark Chocolate Bar, 70%-85% Cacao", "dark chocolate bar cacao"),
        ("Straße & Smørrebrød w/ Œufs", "strasse and smorrebrod with oeuf"),
        ("Cookies, Tomatoes, Chips, Noodles, Dates", "cookie tomato chip noodle date"),
        ("Hummus, Couscous, Asparagus, Swiss, Glass, Chia, Molasses", None),
        ("Pâtes", "pates"),  # French pasta, kept apart from pâté
    ],
)
def test_normalise(name, expected):
    if expected is None:  # words that only look plural stay as they are
        expected = name.lower().replace(",", "")
    assert normalise(name) == expected


# --- rules as data ------------------------------------------------------------------------------


def test_builtin_rules_are_many_and_cached():
    assert load_rules() is RULES  # parsed once: reports ask for the rules often
    assert len(RULES.rules) >= 50
    assert RULES.n_patterns >= 500


def test_patterns_match_whole_words_only():
    # "tea" is not in "steak"; "sweetened" is not in "unsweetened"
    assert "tea" not in classify("Beef steak", RULES).rule
    assert classify("Apple juice, unsweetened", RULES).rule.startswith(
        "refined: name 'apple juice'"
    )


def test_a_star_matches_inside_compound_words():
    assert classify("Weißbrot", RULES).refined is True
    assert classify("Vollkornbrot", RULES).as_dict() == {
        "name": "Vollkornbrot",
        "refined": False,
        "ultra_processed": False,
        "rule": "refined: name 'vollkorn*' (whole_grain), no carbs/fibre given; "
        "ultra_processed: name '*brot' (fresh_bread_foreign)",
    }
    assert classify("Schokoriegel", RULES).refined is True


def test_a_name_run_together_matches_one_word_patterns():
    assert classify("Hafer Flocken", RULES).refined is False
    assert "whole_grain_plain" in classify("Pop Corn", RULES).rule


def test_specific_rules_come_before_generic_ones():
    assert classify("Fruit juice", RULES).refined is True
    assert classify("Fruit", RULES).refined is False
    assert classify("Peanut butter cups", RULES).refined is True
    assert classify("Peanuts", RULES).refined is False
    assert classify("Ice cream", RULES).ultra_processed is True
    assert classify("Sour cream", RULES).ultra_processed is False
    assert classify("Chocolate milk", RULES).refined is True
    assert classify("Milk", RULES).refined is False


def test_a_user_rule_overrides_the_builtin_rules():
    user = load_rules({"oreo": ("not_ultra_processed",), "bjorn qorn": ("not_refined",)})
    oreo = classify("Oreo Cookies", user, 25, 1.2)
    assert (oreo.refined, oreo.ultra_processed) == (True, False)  # refined still built-in
    assert oreo.rule == (
        "refined: name 'oreo' (sweet_bakery); ultra_processed: name 'oreo' (config: oreo)"
    )
    qorn = classify("Bjorn Qorn, Sun-Popped Corn", user, 30, 1)  # ratio 30 would say refined
    assert qorn.refined is False
    assert qorn.rule.startswith("refined: name 'bjorn qorn' (config: bjorn qorn); ")
    # the built-ins themselves are untouched
    assert classify("Oreo Cookies", RULES).ultra_processed is True


def test_a_user_rule_may_be_a_single_class():
    user = load_rules({"protein bar": "refined"})
    assert classify("Protein bar", user).refined is True


def test_an_unknown_user_class_is_named():
    with pytest.raises(ValueError) as err:
        load_rules({"protein bar": ("healthy",)})
    assert str(err.value) == (
        "food rule 'protein bar': unknown class 'healthy'; use one of refined, not_refined, "
        "ultra_processed, not_ultra_processed"
    )


# --- decisions ---------------------------------------------------------------------------------


def test_as_dict_has_exactly_the_four_keys():
    d = classify("Sprite", RULES, 9.4, 0)
    assert isinstance(d, Decision)
    assert list(d.as_dict()) == ["name", "refined", "ultra_processed", "rule"]


def test_the_rule_text_names_the_rule():
    assert classify("White bread", RULES).rule == (
        "refined: name 'white bread' (bread); ultra_processed: name 'white bread' (bread)"
    )
    assert classify("Soda", RULES, 39, 0).rule == (
        "refined: name 'soda' (soft_drink); ultra_processed: name 'soda' (soft_drink)"
    )


def test_refined_steps_in_order():
    # 1. under 5 g carbohydrate beats every name
    assert classify("Candy", RULES, 4.9, 0).rule.startswith("refined: under 5 g carbohydrate;")
    # 2./3. the name: exempt whole foods, refined foods
    assert classify("Dates, Medjool", RULES, 36, 3.2).refined is False  # ratio 11, still fruit
    assert classify("Olipop soda", RULES, 13.6, 7.2).refined is True  # ratio 1.9, still soda
    # 4. the ratio
    assert classify("Mystery loaf", RULES, 25, 2).rule == (
        "refined: carbs:fibre 12.5 > 10; ultra_processed: no rule matched (unknown)"
    )
    assert classify("Mystery loaf", RULES, 25, 4).rule.startswith("refined: carbs:fibre 6.3 <= 10")
    assert classify("Mystery loaf", RULES, 25, 0).refined is True
    assert classify("Beef liver", RULES, 5.3, 0).refined is True  # meat is not exempt
    # 5. low-carb names without nutrients
    assert classify("Chicken breast", RULES).refined is False
    # 6. nothing to go on
    unknown = classify("Mystery loaf", RULES)
    assert (unknown.refined, unknown.ultra_processed) == (None, None)
    assert unknown.rule == UNKNOWN


def test_whole_grain_names_without_nutrients_are_not_refined():
    for name in ["Vollkornbrot", "brown rice", "rolled oats", "whole wheat bread", "Quinoa"]:
        d = classify(name, RULES)
        assert d.refined is False, name
        assert "no carbs/fibre given" in d.rule, name
    # with nutrients the ratio decides
    assert classify("whole wheat bread", RULES, 25, 1.5).refined is True


def test_no_name_is_unknown():
    for name in [None, "", "  ", "330 ml"]:
        d = classify(name, RULES, 2, 0)
        assert (d.refined, d.ultra_processed, d.rule) == (None, None, "no food name")


def test_non_foods_are_neither():
    for name in ["Vitamin D", "Zinc", "Fish oil", "Creatine Monohydrate", "Ibuprofen"]:
        d = classify(name, RULES)
        assert (d.refined, d.ultra_processed) == (False, False), name
    for name in ["Whey protein isolate", "Collagen peptides"]:
        assert classify(name, RULES).ultra_processed is True, name


# --- frames ------------------------------------------------------------------------------------


def test_classify_items_on_a_small_frame():
    items = pl.DataFrame(
        {
            "food_name": [None, "Sprite Zero", "Mystery loaf", "Mystery loaf", "Apple"],
            "carbs_g": [20.0, 0.0, 25.0, None, None],
            "fiber_g": [1.0, 0.0, 2.0, None, None],
            "kcal": [100.0, 0.0, 120.0, 120.0, 95.0],
        },
        schema={
            "food_name": pl.String,
            "carbs_g": pl.Float64,
            "fiber_g": pl.Float64,
            "kcal": pl.Float64,
        },
    )
    out = classify_items(items, RULES)
    assert out.columns == [*items.columns, "refined", "ultra_processed", "food_rule"]
    assert out.schema["refined"] == pl.Boolean
    assert out.schema["ultra_processed"] == pl.Boolean
    assert out.schema["food_rule"] == pl.String
    assert out["refined"].to_list() == [None, False, True, None, False]
    assert out["ultra_processed"].to_list() == [None, True, None, None, False]
    assert out["food_rule"].to_list() == [
        "no food name",
        "refined: under 5 g carbohydrate; ultra_processed: name 'sprite zero' (sugar_free)",
        "refined: carbs:fibre 12.5 > 10; ultra_processed: no rule matched (unknown)",
        UNKNOWN,
        "refined: name 'apple' (whole_fruit); ultra_processed: name 'apple' (whole_fruit)",
    ]
    assert out.drop("refined", "ultra_processed", "food_rule").equals(items)


@pytest.mark.parametrize("file_name", LABEL_FILES)
def test_classify_items_equals_classify_row_by_row(file_name):
    rows = _rows(file_name)
    out = classify_items(_frame(rows), RULES)
    for row in out.iter_rows(named=True):
        d = classify(row["food_name"], RULES, row["carbs_g"], row["fiber_g"])
        assert (row["refined"], row["ultra_processed"], row["food_rule"]) == (
            d.refined,
            d.ultra_processed,
            d.rule,
        ), row["food_name"]


# --- agreement with the labelled names ---------------------------------------------------------


@pytest.mark.parametrize("label", ["refined", "ultra_processed"])
@pytest.mark.parametrize("file_name", LABEL_FILES)
def test_agreement_with_labelled_foods(file_name, label):
    rows = _rows(file_name)
    misses = []
    for r in rows:
        d = classify(r["name"], RULES, _number(r["carbs_g"]), _number(r["fiber_g"]))
        if getattr(d, label) != _label(r[label]):  # an unknown answer counts as a miss
            misses.append(f"{r['name']!r}: {getattr(d, label)} ({d.rule})")
    share = 1 - len(misses) / len(rows)
    assert share >= MIN_AGREEMENT, (
        f"{file_name} {label}: {share:.1%} agree with the labels (need {MIN_AGREEMENT:.0%}); "
        "misses:\n" + "\n".join(misses)
    )


def test_classify_items_equals_classify_on_awkward_numbers():
    numbers = [None, float("nan"), float("inf"), 0.0, 1e-12, 4.999, 5.0, 12.25, -3.0, 1e300]
    rows = [
        (name, carbs, fiber)
        for name in ["Mystery", "Brown rice", "Apple", "Chicken", None]
        for carbs in numbers
        for fiber in numbers
    ]
    items = pl.DataFrame(
        rows,
        schema={"food_name": pl.String, "carbs_g": pl.Float64, "fiber_g": pl.Float64},
        orient="row",
    )
    out = classify_items(items, RULES)
    for (name, carbs, fiber), row in zip(rows, out.iter_rows(named=True), strict=True):
        d = classify(name, RULES, carbs, fiber)
        assert (row["refined"], row["ultra_processed"], row["food_rule"]) == (
            d.refined,
            d.ultra_processed,
            d.rule,
        ), (name, carbs, fiber)


def test_names_in_other_scripts_are_words_not_missing():
    rules = load_rules()
    assert normalise("Кока-Кола 0,5 л") == "кока кола л"
    assert classify("Кока-Кола", rules).refined is True
    assert classify("хлеб", rules).as_dict()["rule"] == (
        "refined: name 'хлеб' (bread); ultra_processed: name 'хлеб' (bread)"
    )
    # a name no rule knows is unknown, not "no food name", and a user rule can name it
    assert classify("寿司", rules).rule == (
        "refined: no rule matched; needs carbs and fibre; ultra_processed: no rule matched "
        "(unknown)"
    )
    own = load_rules({"寿司": ["not_ultra_processed"]})
    assert classify("寿司", own).ultra_processed is False


def test_a_misspelt_word_is_read_as_the_word_one_edit_away():
    rules = load_rules()
    d = classify("bananna", rules)
    assert (d.refined, d.ultra_processed) == (False, False)
    assert d.rule.startswith(
        "refined: name 'banana' (whole_fruit; 'bananna' read as a misspelling)"
    )
    assert classify("spagetti", rules).refined is True
    # never for short words: "brea" is not read as "bread"
    assert classify("brea", rules).refined is None


# --- compiled rules kept in the cache folder ---------------------------------------------------


def _labelled_names() -> list[str]:
    names = [r["name"] for f in LABEL_FILES for r in _rows(f)]
    return [*names, "手作りクッキー", "自家製パン", "vollkornbrot", "Schokoriegel", "bananna"]


def test_rules_read_back_from_json_decide_every_labelled_name_alike():
    again = rules_from_json(rules_json(RULES))
    assert (again.rules, again.n_patterns) == (RULES.rules, RULES.n_patterns)
    for name in _labelled_names():
        assert classify(name, again, 30.0, 1.0) == classify(name, RULES, 30.0, 1.0), name
        assert classify(name, again) == classify(name, RULES), name


def test_the_wildcard_index_finds_what_trying_every_wildcard_pattern_finds():
    wild = sorted(j for numbers in RULES.wild.values() for j in numbers)
    assert len(wild) > 1000  # thousands: names in Chinese, Japanese and Korean
    for name in _labelled_names():
        text = normalise(name)
        for piece in (text, text.replace(" ", "")):
            every = [p for _, p in RULES.at(wild) if p.tokens[0].strip("*") in piece]
            assert [p for _, p in RULES.wild_in(piece) if p in every] == every, name


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SPECTRUM_CACHE", str(tmp_path))
    food_rules._cached.cache_clear()
    yield tmp_path
    food_rules._cached.cache_clear()


def test_compiled_rules_are_kept_and_read_back(cache, monkeypatch):
    first = food_rules.load_rules()
    [path] = cache.glob("food-rules-*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    food_rules._cached.cache_clear()

    def never(*args):
        raise AssertionError("compiled again instead of read from the cache folder")

    monkeypatch.setattr(food_rules, "build_rules", never)
    again = food_rules.load_rules()
    assert again is not first and again.rules == first.rules
    assert classify("white bread", again) == classify("white bread", first)


def test_a_damaged_rules_file_is_compiled_again(cache):
    food_rules.load_rules()
    [path] = cache.glob("food-rules-*.json")
    path.write_bytes(path.read_bytes()[:-10])  # cut short
    food_rules._cached.cache_clear()
    assert classify("white bread", food_rules.load_rules()).refined is True
    assert food_rules.load_rules().n_patterns == RULES.n_patterns
    food_rules._cached.cache_clear()
    assert cache_module.read_text(path, food_rules.WHAT) is not None  # written whole again


def test_user_rules_are_kept_apart_from_the_builtin_ones(cache):
    food_rules.load_rules()
    own = food_rules.load_rules({"white bread": ["not_refined"]})
    assert len(list(cache.glob("food-rules-*.json"))) == 2
    assert classify("white bread", own, 40, 1).refined is False
    food_rules._cached.cache_clear()
    assert classify("white bread", food_rules.load_rules(), 40, 1).refined is True


def test_user_rules_keep_their_order_from_the_config(cache):
    """The first rule that sets a class wins, so the order in config.toml is kept."""
    first = food_rules.load_rules({"protein bar": "not_ultra_processed", "bar": "ultra_processed"})
    assert classify("protein bar", first).ultra_processed is False
    other = food_rules.load_rules({"bar": "ultra_processed", "protein bar": "not_ultra_processed"})
    assert classify("protein bar", other).ultra_processed is True
    food_rules._cached.cache_clear()  # and the same read back from the cache folder
    again = food_rules.load_rules({"protein bar": "not_ultra_processed", "bar": "ultra_processed"})
    assert classify("protein bar", again).ultra_processed is False
