"""Food names as the classifier sees them: lower case, no accents, no quantities, no
punctuation, singular words. Patterns in the rules go through the same steps, so the two
only have to be consistent, not linguistically perfect."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD leaves alone but people type in food names.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d"})
_UNITS = (
    r"fl\.?\s*oz|oz|ml|cl|dl|l|ltr|litre|liter|mg|mcg|µg|ug|g|gr|gram|grams|kg|lb|lbs|iu|ie"
    r"|kcal|cal|kj|pc|pcs|ct|count|servings?|cups?|tbsp|tbs|tsp|tablespoons?|teaspoons?|pieces?"
    r"|slices?|scoops?|packets?|bars?|sticks?|cans?|bottles?|%"
)
# Only numbers that start a token: "b12" and "7up" keep their digits, "330ml" and "70%" go.
_QUANTITY = re.compile(rf"(?<![a-z0-9])\d+(?:[.,]\d+)?\s*(?:(?:{_UNITS})(?![a-z])|(?![a-z]))")
# Letters of every script are words ("хлеб", "寿司"); only punctuation and symbols split them.
_NON_WORD = re.compile(r"[^\w*]+|_")

# Words that end in "s" but are not plurals. "pates" stays plural so French pasta ("pâtes") is not
# liver paste ("pâté").
_KEEP = frozenset(
    {
        "hummus",
        "couscous",
        "asparagus",
        "swiss",
        "glass",
        "chia",
        "molasses",
        "citrus",
        "octopus",
        "jus",
        "anis",
        "cassis",
        "mais",
        "gras",
        "frais",
        "sans",
        "plus",
        "pois",
        "pates",
        "ananas",
        "kvas",
        "kvass",
        "hops",
        "cactus",
        "always",
        "less",
        "this",
        "its",
        "his",
        "yes",
    }
)
# Singulars ending in "ie": their plural "-ies" must not become "-y" ("cookies" -> "cookie").
_IE_WORDS = frozenset(
    {
        "cookie",
        "brownie",
        "smoothie",
        "pie",
        "veggie",
        "hoagie",
        "krispie",
        "frostie",
        "smartie",
        "sweetie",
        "toastie",
        "goodie",
        "wheatie",
        "lollie",
        "movie",
        "calorie",
        "birdie",
        "brekkie",
        "sarnie",
        "tattie",
        "junkie",
        "beanie",
        "zombie",
        "hippie",
        "selfie",
        "rookie",
    }
)
# Irregular plurals.
_PLURAL = {
    "loaves": "loaf",
    "halves": "half",
    "knives": "knife",
    "leaves": "leaf",
    "shelves": "shelf",
    "quiches": "quiche",
    "brioches": "brioche",
    "ganaches": "ganache",
    "ceviches": "ceviche",
    "peches": "peche",
    "mousses": "mousse",
}


def _singular(token: str) -> str:
    """English-ish singular; it only has to be consistent, as patterns get the same treatment."""
    if token in _PLURAL:
        return _PLURAL[token]
    if len(token) <= 3 or token in _KEEP or not token.endswith("s"):
        return token
    if token.endswith(("ss", "us")):
        return token
    if token.endswith("ies"):
        return token[:-1] if token[:-1] in _IE_WORDS else token[:-3] + "y"
    if token.endswith(("ches", "shes", "xes", "sses", "oes")):
        return token[:-2]
    return token[:-1]


def tokens(text: str, keep_star: bool = False) -> list[str]:
    """The normalised words of `text`; with `keep_star`, a pattern's "*" wildcards stay."""
    text = text.lower().translate(_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("&", " and ").replace("w/", "with ")
    # "lay's" -> "lays" (one token), but "d'avoine" -> "d avoine"
    text = re.sub(r"(?<=[a-z])['’]s\b", "s", text)
    text = _QUANTITY.sub(" ", text)
    if not keep_star:
        text = text.replace("*", " ")
    return [_singular_star(t) for t in _NON_WORD.sub(" ", text).split()]


def _singular_star(token: str) -> str:
    # "schoko*" is a stem: singularising it would change what it means.
    if token.endswith("*"):
        return token
    if token.startswith("*"):
        return "*" + _singular(token[1:])
    return _singular(token)


def normalise(name: str) -> str:
    """Lowercase, accent-free, quantity-free, punctuation-free, singular tokens."""
    return " ".join(tokens(name))


# Misspellings ("bananna", "brocoli", "spagetti") are read as the word one edit away, but
# only for words this long: shorter ones are too often another real word ("bread"/"broad").
NEAR_MIN = 6


def deletes(word: str) -> set[str]:
    """`word` with one letter left out, each way (the index for one-edit look-ups)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_edit_apart(a: str, b: str) -> bool:
    """True when `a` becomes `b` by one insertion, deletion, substitution or swap of
    neighbours (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
