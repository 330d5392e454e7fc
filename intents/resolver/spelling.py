"""Typos in the words the entity taggers read: "singapore dolars", "compounded anually", "82 kilogams".

The taggers match a closed set of words (currency names, units, compounding frequencies, analytes);
a misspelt one makes the value vanish rather than look odd. Each longer word that is not one of them is
compared with the ones of its first letter and length (a swapped, missing, extra or wrong letter); the
classifier repairs the other words against the packs' own vocabulary (classifier.Classifier.repair).
"""
from __future__ import annotations

import re

from intents.resolver import currencies
from intents.resolver.text import edit_distance

_UNITS = """kilograms kilogram kilos pounds centimeters centimetres centimeter centimetre meters metres inches
milligrams milligram milliliters millilitres millimoles millimole micromoles deciliter decilitre deciliters
decilitres milliseconds millisecond minute minutes percent thousand million billion hundred
daily weekly monthly quarterly annually yearly annual semiannually biannually continuously compounded
compounding years months weeks""".split()
# currency nouns only ("dollars", "rupees"): a nationality is too close to other words ("indiana", "indian")
WORDS = frozenset(_UNITS) | {name.split()[-1] for name in currencies.NAMES if len(name.split()[-1]) >= 5}
_BY_KEY: dict[tuple[str, int], list[str]] = {}
for _w in WORDS:
    for _n in (len(_w) - 1, len(_w), len(_w) + 1):
        _BY_KEY.setdefault((_w[0], _n), []).append(_w)
_LETTERS = {w: set(w) for w in WORDS}
_WORD = re.compile(r"[A-Za-z]{6,}")


_SEEN: dict = {}  # word -> its repair; the same words come back in every request


def _near(word: str, extra: frozenset = frozenset()) -> str | None:
    low = word.lower()
    key = (low, hash(extra)) if extra else low  # a frozenset keeps its hash: the same catalog, the same key
    if key in _SEEN:
        return _SEEN[key]
    fixed = _SEEN[key] = _closest(low, extra)
    if len(_SEEN) > 50_000:  # bounded: arbitrary input must not grow it without end
        _SEEN.clear()
    return fixed


def _closest(low: str, extra: frozenset = frozenset()) -> str | None:
    if low in WORDS or low.rstrip("s") in WORDS or low + "s" in WORDS or low in extra or low.rstrip("s") in extra:
        return None  # the word itself, or its plural or singular
    limit = 2 if len(low) >= 9 else 1
    letters = set(low)
    found: dict[int, list[str]] = {}
    pool = list(_BY_KEY.get((low[0], len(low)), ()))
    pool += [w for w in extra if w[0] == low[0] and abs(len(w) - len(low)) <= 1 and len(w) >= 6
             and w not in WORDS and w + "s" not in WORDS and w.rstrip("s") not in WORDS]
    for w in pool:
        if len(letters ^ (_LETTERS.get(w) or set(w))) > 2 * limit:
            continue  # each edit changes at most two letters of the set: a cheap reject
        d = edit_distance(low, w, limit)
        if d <= limit:
            found.setdefault(d, []).append(w)
    if not found:
        return None
    closest = found[min(found)]
    return closest[0] if len(closest) == 1 else None  # two words as close: not ours to choose


def repair(text: str, extra: frozenset = frozenset(), known: frozenset = frozenset()) -> str:
    """`text` with misspelt unit, currency and frequency words written right (and the packs' own words,
    `extra`: their analytes, choices, units), and abbreviations spelled letter by letter joined when
    they are ones the packs declare (`known`); other words untouched."""
    # most requests hold no misspelt word: the words are looked up first, and the text is rewritten
    # only when one of them has a repair (the same result: every other word is replaced by itself)
    for w in _WORD.findall(text):
        if _near(w, extra):
            text = _WORD.sub(lambda m: _near(m.group(0), extra) or m.group(0), text)
            break
    return join_letters(text, known)


# "b m i", "e g f r": an abbreviation said (or dictated) letter by letter is joined when it is one we know
_SPELLED = re.compile(r"\b[A-Za-z](?:[ .][A-Za-z]\b){1,4}\.?")
def join_letters(text: str, known: frozenset = frozenset()) -> str:
    if not known:
        return text

    def join(m: re.Match) -> str:
        word = re.sub(r"[ .]", "", m.group(0))
        return word if word.lower() in known else m.group(0)

    return _SPELLED.sub(join, text) if " " in text else text
