"""Classify a logged food item as refined carbohydrate and/or ultra-processed, and say why.

The rules are data (food_rules.toml, plus the user's own [food_rules] from config.toml, which
come first). Every decision names the rule that made it, so a surprising label can be traced
to one pattern and fixed there. See METRICS.md, "Classifying a logged food item".
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.metrics import food_names
from pipeline.metrics.food_names import normalise

__all__ = [
    "Decision",
    "Rules",
    "build_rules",
    "classify",
    "normalise",
    "rules_from_json",
    "rules_json",
]

CARB_RICH_G = 5.0  # under this an item's ratio means nothing (meat, oil, coffee)
WHOLE_RATIO = 10.0  # carbs:fibre above 10:1 counts as refined (Mozaffarian 2013)
RATIO_SHOWN_MAX = 1e6  # larger ratios are shown as this

CLASSES = ("refined", "not_refined", "ultra_processed", "not_ultra_processed")
REFINED_EFFECTS = ("refined", "exempt", "low_carb", "by_ratio")
# A user's class maps onto the built-in effects: "not_refined" is a plain exemption.
USER_CLASS_EFFECT = {
    "refined": ("refined", "refined"),
    "not_refined": ("refined", "exempt"),
    "ultra_processed": ("ultra_processed", True),
    "not_ultra_processed": ("ultra_processed", False),
}
NO_NAME = "no food name"
NO_RULE = "no rule matched; needs carbs and fibre"

# ---------------------------------------------------------------------------------------------
# Rules


class _Pattern(NamedTuple):
    text: str  # as written, for the explanation
    tokens: tuple[str, ...]  # normalised, may carry a leading/trailing "*"


class _Rule(NamedTuple):
    """A rule as written: its patterns and what it says."""

    id: str
    patterns: tuple[_Pattern, ...]
    refined: str | None  # one of REFINED_EFFECTS
    ultra_processed: bool | None


class _Says(NamedTuple):
    """What a rule says, without its patterns (those are in Rules.patterns)."""

    id: str
    refined: str | None
    ultra_processed: bool | None


@dataclass(frozen=True)
class Rules:
    """Compiled rules, user rules first. Build with build_rules() (pipeline.food_rules.load_rules
    reads the shipped ones). The indexes hold pattern numbers, positions in `patterns`: plain
    data, quick to store and read back (rules_json, rules_from_json)."""

    rules: tuple[_Says, ...]
    # every rule's patterns in order: (rule index, text as written, normalised words)
    patterns: Sequence[Sequence] = field(repr=False, compare=False)
    # first exact word -> patterns
    by_token: Mapping[str, Sequence[int]] = field(repr=False, compare=False, hash=False)
    # wildcard-led patterns by the first letters of their first word (_grams)
    wild: Mapping[str, Sequence[int]] = field(repr=False, compare=False, hash=False)
    # one-word patterns by themselves and with one letter left out, for misspelt names; as
    # JSON text until a name needs it (most names match a rule exactly)
    near_index: Mapping[str, Sequence[int]] | str = field(repr=False, compare=False, hash=False)

    @property
    def n_patterns(self) -> int:
        return len(self.patterns)

    @functools.cached_property
    def near(self) -> Mapping[str, Sequence[int]]:
        index = self.near_index
        return json.loads(index) if isinstance(index, str) else index

    def at(self, numbers: Iterable[int]) -> Iterator[tuple[int, _Pattern]]:
        """(rule index, pattern) of each pattern number."""
        for j in numbers:
            i, text, words = self.patterns[j]
            yield i, _Pattern(text, tuple(words))

    def wild_in(self, text: str) -> Iterator[tuple[int, _Pattern]]:
        """The wildcard-led patterns whose first word's letters may occur in `text`, in
        order: those whose key (_GRAM letters) is a piece of the text."""
        found = {j for gram in _grams(text) for j in self.wild.get(gram, ())}
        return self.at(sorted(found))


# Wildcard patterns ("*brot", "*蛋白*"; thousands, as Chinese, Japanese and Korean names have
# no spaces) are keyed by the first letters of their core: a name can only match those whose
# key is a piece of it, so each name is tried against a handful instead of all of them.
_GRAM = 3


def _grams(text: str) -> set[str]:
    """Every piece of `text` up to _GRAM letters long."""
    return {text[i : i + n] for n in range(1, _GRAM + 1) for i in range(len(text) - n + 1)}


def _token_matches(pat: str, tok: str) -> bool:
    star_start, star_end = pat.startswith("*"), pat.endswith("*")
    core = pat.strip("*")
    if star_start and star_end:
        return core in tok
    if star_start:
        return tok.endswith(core)
    if star_end:
        return tok.startswith(core)
    return pat == tok


def _pattern_at(pattern: _Pattern, tokens: Sequence[str], start: int) -> bool:
    if start + len(pattern.tokens) > len(tokens):
        return False
    return all(_token_matches(p, tokens[start + i]) for i, p in enumerate(pattern.tokens))


def _compile_pattern(text: str) -> _Pattern:
    words = tuple(t for t in food_names.tokens(text, keep_star=True) if t.strip("*"))
    if not words:
        raise ValueError(f"food rule pattern {text!r} is empty once normalised")
    return _Pattern(text, words)


def _compile(rules: Sequence[_Rule]) -> Rules:
    patterns = [(i, p.text, p.tokens) for i, rule in enumerate(rules) for p in rule.patterns]
    by_token: dict[str, list[int]] = {}
    wild: dict[str, list[int]] = {}
    near: dict[str, list[int]] = {}
    for j, (_, _, words) in enumerate(patterns):
        first = words[0]
        if "*" in first:
            wild.setdefault(first.strip("*")[:_GRAM], []).append(j)
            continue
        by_token.setdefault(first, []).append(j)
        if len(words) == 1 and len(first) >= food_names.NEAR_MIN:
            for key in {first, *food_names.deletes(first)}:
                near.setdefault(key, []).append(j)
    says = tuple(_Says(r.id, r.refined, r.ultra_processed) for r in rules)
    return Rules(says, patterns, by_token, wild, near)


def rules_json(rules: Rules) -> str:
    """The compiled rules as text, to keep in the user's cache folder (food_rules.py):
    reading them back is several times faster than compiling 13,000 patterns again. Two
    lines of JSON: the rules with their indexes, then the misspelling index alone."""
    main = {
        "rules": rules.rules,
        "patterns": rules.patterns,
        "by_token": rules.by_token,
        "wild": rules.wild,
    }
    return "\n".join(
        json.dumps(part, ensure_ascii=False, separators=(",", ":")) for part in (main, rules.near)
    )


def rules_from_json(text: str) -> Rules:
    """Rules as rules_json wrote them (the misspelling index is parsed when first used)."""
    main, _, near = text.partition("\n")
    data = json.loads(main)
    says = tuple(_Says(*r) for r in data["rules"])
    return Rules(says, data["patterns"], data["by_token"], data["wild"], near)


def parse_rules(raw_rules: Sequence[Mapping]) -> tuple[_Rule, ...]:
    """Rules as written in food_rules.toml (a list of tables), checked and compiled."""
    out = []
    for raw in raw_rules:
        refined = raw.get("refined")
        if refined is not None and refined not in REFINED_EFFECTS:
            raise ValueError(f"food_rules.toml rule {raw['id']!r}: bad refined {refined!r}")
        up = raw.get("ultra_processed")
        patterns = tuple(_compile_pattern(p) for p in raw["patterns"])
        out.append(_Rule(raw["id"], patterns, refined, up))
    return tuple(out)


def _user_rule(pattern: str, classes: Sequence[str] | str) -> _Rule:
    if isinstance(classes, str):  # a TOML string instead of a list: one class
        classes = (classes,)
    refined: str | None = None
    up: bool | None = None
    for cls in classes:
        if cls not in USER_CLASS_EFFECT:
            raise ValueError(
                f"food rule '{pattern}': unknown class '{cls}'; use one of {', '.join(CLASSES)}"
            )
        label, value = USER_CLASS_EFFECT[cls]
        if label == "refined":
            refined = str(value)
        else:
            up = bool(value)
    return _Rule(f"config: {pattern}", (_compile_pattern(pattern),), refined, up)


def build_rules(
    builtin: Sequence[_Rule], user_rules: Mapping[str, Sequence[str]] | None = None
) -> Rules:
    """Built-in rules, preceded by the user's (pattern -> classes), which therefore win."""
    users = [_user_rule(p, c) for p, c in (user_rules or {}).items()]
    return _compile([*users, *builtin])


# ---------------------------------------------------------------------------------------------
# Name part


@dataclass(frozen=True)
class _NameOutcome:
    """What the name alone says; nutrients are combined later (per item, or in polars)."""

    has_name: bool
    refined: str | None  # effect of the first rule that sets it
    refined_text: str  # "name 'white bread' (refined_grain)"
    ultra_processed: bool | None
    up_text: str


def _matched_rules(tokens: Sequence[str], rules: Rules) -> dict[int, _Pattern]:
    """Rule index -> the longest of that rule's patterns found in the name (for the text)."""
    found: dict[int, _Pattern] = {}

    def hit(i: int, p: _Pattern) -> None:
        if i not in found or len(p.tokens) > len(found[i].tokens):
            found[i] = p

    for start, tok in enumerate(tokens):
        for i, p in rules.at(rules.by_token.get(tok, ())):
            if _pattern_at(p, tokens, start):
                hit(i, p)
    text = " ".join(tokens)
    for i, p in rules.wild_in(text):
        # a cheap substring test first, the word-by-word match only where it can succeed
        if p.tokens[0].strip("*") not in text:
            continue
        if any(_pattern_at(p, tokens, s) for s in range(len(tokens))):
            hit(i, p)
    if len(tokens) > 1:
        # "Hafer Flocken" is "haferflocken": try the name run together on one-word patterns.
        joined = "".join(tokens)
        for i, p in rules.at(rules.by_token.get(joined, ())):
            if len(p.tokens) == 1:
                hit(i, p)
        for i, p in rules.wild_in(joined):
            if (
                len(p.tokens) == 1
                and p.tokens[0].strip("*") in joined
                and _token_matches(p.tokens[0], joined)
            ):
                hit(i, p)
    return found


def _near_rules(tokens: Sequence[str], rules: Rules) -> tuple[dict, dict]:
    """Rules whose one-word pattern is one edit away from a word of the name, when no rule
    matched exactly; also which word was read as which (for the explanation)."""
    found: dict[int, _Pattern] = {}
    misspelt: dict[int, str] = {}
    for tok in tokens:
        if len(tok) < food_names.NEAR_MIN:
            continue
        for key in {tok, *food_names.deletes(tok)}:
            for i, p in rules.at(rules.near.get(key, ())):
                if i not in found and food_names.one_edit_apart(tok, p.tokens[0]):
                    found[i], misspelt[i] = p, tok
    return found, misspelt


def _name_outcome(name: str | None, rules: Rules) -> _NameOutcome:
    tokens = food_names.tokens(name) if name is not None else []
    if not tokens:
        return _NameOutcome(False, None, NO_NAME, None, NO_NAME)
    found, misspelt = _matched_rules(tokens, rules), {}
    if not found:
        found, misspelt = _near_rules(tokens, rules)
    refined, refined_text = None, ""
    up, up_text = None, "no rule matched (unknown)"
    for i in sorted(found):
        rule = rules.rules[i]
        why = f"name '{found[i].text}' ({rule.id})"
        if i in misspelt:
            why = f"name '{found[i].text}' ({rule.id}; '{misspelt[i]}' read as a misspelling)"
        if refined is None and rule.refined is not None:
            refined, refined_text = rule.refined, why
        if up is None and rule.ultra_processed is not None:
            up, up_text = rule.ultra_processed, why
        if refined is not None and up is not None:
            break
    return _NameOutcome(True, refined, refined_text, up, up_text)


# ---------------------------------------------------------------------------------------------
# Whole decision


@dataclass(frozen=True)
class Decision:
    name: str
    refined: bool | None
    ultra_processed: bool | None
    rule: str

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "refined": self.refined,
            "ultra_processed": self.ultra_processed,
            "rule": self.rule,
        }


def _known(x: float | None) -> float | None:
    # NaN and infinity are as unknown as a missing value; the same holds in polars (_known_expr).
    return float(x) if x is not None and math.isfinite(x) else None


def _tenths(x: float) -> str:
    # Rounded half-up with the same float steps as the polars version, so texts agree exactly;
    # capped, as a trace of fibre can make the ratio astronomically large.
    x = min(max(x, -RATIO_SHOWN_MAX), RATIO_SHOWN_MAX)
    t = math.floor(x * 10 + 0.5)
    sign = "-" if t < 0 else ""
    return f"{sign}{abs(t) // 10}.{abs(t) % 10}"


def _refined_part(
    out: _NameOutcome, carbs: float | None, fiber: float | None
) -> tuple[bool | None, str]:
    """Steps 1-6 of the contract, in order."""
    if carbs is not None and carbs < CARB_RICH_G:
        return False, "under 5 g carbohydrate"
    if out.refined == "exempt":
        return False, out.refined_text
    if out.refined == "refined":
        return True, out.refined_text
    prefix = f"{out.refined_text}, " if out.refined == "by_ratio" else ""
    if carbs is not None and fiber is not None:
        if fiber == 0:
            return True, f"{prefix}no fibre (carbs:fibre > 10)"
        ratio = carbs / fiber
        if ratio > WHOLE_RATIO:
            return True, f"{prefix}carbs:fibre {_tenths(ratio)} > 10"
        return False, f"{prefix}carbs:fibre {_tenths(ratio)} <= 10"
    if out.refined == "low_carb":
        return False, out.refined_text
    if out.refined == "by_ratio":
        # A whole-grain name without nutrients: the name is the best evidence there is.
        return False, f"{out.refined_text}, no carbs/fibre given"
    return None, NO_RULE


def classify(
    name: str | None,
    rules: Rules,
    carbs_g: float | None = None,
    fiber_g: float | None = None,
) -> Decision:
    """Refined / ultra-processed for one logged item, with the rule that decided each."""
    out = _name_outcome(name, rules)
    if not out.has_name:
        return Decision(name or "", None, None, NO_NAME)
    refined, why = _refined_part(out, _known(carbs_g), _known(fiber_g))
    rule = f"refined: {why}; ultra_processed: {out.up_text}"
    return Decision(name or "", refined, out.ultra_processed, rule)
