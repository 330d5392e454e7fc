"""Spoken words to the written form the resolver reads: "six point five percent" -> "6.5 percent".

Recognisers write numbers as words. text2num turns them into digits; before that, spoken years after a
date ("march third twenty twenty six") are joined into one number, which text2num would split in two.
"""
from __future__ import annotations

import re

from intents.resolver.numbers import LIST_BREAK, NUMWORD, TENS, UNITS

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_ORD = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
        r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
        r"(?:twenty|thirty)[ -](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)")
_U100 = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ -](?:one|two|three|four|five|six|"
         r"seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
_YEAR_AFTER_DATE = re.compile(
    rf"\b((?:{_MONTHS})\s+(?:{_ORD}|\w+)|(?:{_ORD})\s+of\s+(?:{_MONTHS}))\s+(nineteen|twenty)\s+({_U100})\b", re.I)
_SPACED_K = re.compile(r"\b(\d+(?:\.\d+)?)\s+k\b", re.I)
_NUMBER_ONE = re.compile(r"(?<!twenty )(?<!thirty )(?<!forty )(?<!fifty )(?<!sixty )(?<!seventy )(?<!eighty )"
                         r"(?<!ninety )(?<!hundred )(?<!and )(?<!point )\b(one|two|three)(?=\s+(?:years?|months?|days?|percent)\b)",
                         re.I)


# "twenty five thousand nine percent": the "at" between an amount and a rate is the word recognisers drop
# most; a rate is never said as "thousand nine percent", so the amount ends at the scale word.
_RATE_AFTER_AMOUNT = re.compile(
    rf"\b(thousand|million|k)\s+(?=(?:{NUMWORD}\s+){{1,3}}(?:point\s+(?:{NUMWORD}\s+){{1,3}})?per\s?cent\b)", re.I)


_SCALED = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?) (million|billion)\b", re.I)  # Whisper writes "$1.2 million"


def _unscale(m: re.Match) -> str:
    value = float(m.group(1)) * (1e6 if m.group(2).lower() == "million" else 1e9)
    return str(int(value)) if value == int(value) else str(value)


# Spelled acronyms come back letter by letter ("e g f r", "i c d"); the resolver knows them as words
# (and would read a lone "f" as female).
_SPELLED = re.compile(r"\b[a-z](?: [a-z]\b){1,5}", re.I)


def _join_letters(m: re.Match) -> str:
    letters = m.group(0).split()
    if len(letters) == 2 and {letters[0].lower(), letters[1].lower()} & {"a", "i"}:
        return m.group(0)  # "a b", "i e": more likely words than an acronym
    return "".join(letters)


def _u100(words: str) -> int:
    total = 0
    for w in re.split(r"[ -]", words.lower()):
        total += TENS.get(w, UNITS.get(w, 0))
    return total


def _join_year(m: re.Match) -> str:
    century = 1900 if m.group(2).lower() == "nineteen" else 2000
    return f"{m.group(1)} {century + _u100(m.group(3))}"


def normalize(text: str) -> str:
    """Digits for spoken numbers; leaves everything else as it was heard."""
    try:
        from text_to_num import alpha2digit
    except ImportError:  # the resolver reads spoken numbers too, only less well
        return text.strip()
    out = _SPELLED.sub(_join_letters, text)
    out = _SCALED.sub(_unscale, out)
    out = _YEAR_AFTER_DATE.sub(_join_year, out)
    out = LIST_BREAK.sub(r"\1, ", out)
    out = _RATE_AFTER_AMOUNT.sub(r"\1 at ", out)
    # text2num leaves small isolated numbers ("one year") as words; before a unit they are quantities.
    out = _NUMBER_ONE.sub(lambda m: str(UNITS[m.group(1).lower()]), out)
    out = alpha2digit(out, "en")
    out = _SPACED_K.sub(r"\1k", out)
    out = re.sub(r"\b(?:minus|negative)\s+(?=\d)", "-", out, flags=re.I)
    return re.sub(r"\s+", " ", out).strip()


_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def correct(text: str, vocabulary, cutoff: float = 0.8, min_len: int = 5) -> str:
    """Mishearings repaired towards the packs' vocabulary: a word the catalog never uses ("renact",
    "switch") becomes the closest catalog word ("redact", "which") when they are close enough
    (difflib ratio >= cutoff). Short words are left alone (too many near neighbours), and so is every
    word the catalog knows; an engine restricted to the vocabulary (sphinx) is unchanged by it.
    """
    import difflib

    vocab = {w.lower() for w in vocabulary if w.isalpha()}
    if not vocab:
        return text
    candidates = sorted(w for w in vocab if len(w) >= min_len - 1)

    def fix(m: re.Match) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < min_len or low in vocab or "'" in low:
            return word
        close = difflib.get_close_matches(low, candidates, n=1, cutoff=cutoff)
        return close[0] if close else word

    return _WORD.sub(fix, text)
