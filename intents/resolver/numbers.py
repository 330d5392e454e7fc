"""Spoken numbers to digits, as speech recognisers write them: "three hundred thousand" -> 300000,
"six point five" -> 6.5, "one point two million" -> 1200000, "two and a half" -> 2.5,
"twenty twenty six" -> 2026.

Our own small grammar rather than text2num: text2num leaves "1.2 1000000", "a 100", "two and a half"
and lone small numbers ("seven") as they are, and each needs a repair pass anyway.
"""
from __future__ import annotations

import re

from intents.resolver.lazyre import lazy

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
UNITS["oh"] = 0  # only inside decimals ("six point oh")
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
JOINERS = {"and", "a", "point", "half", "hundred", "dot"}

VOCAB = set(UNITS) | set(TENS) | set(SCALES) | JOINERS
_TOKEN = lazy(r"[A-Za-z]+")
_GAP = lazy(r"[ \t-]+")
_KEEP_AFTER = lazy(r"[ -]?(?:way|sided|side|off)\b", re.I)
# "another one", "a matching one", "the last one is 1.3m": "one" after a determiner or an adjective that
# picks a thing out is a pronoun, not the number 1 ("a one year term", "the one million" stay numbers), and so
# is "one" after an article and one describing word ("a one-way one", "a shorter one", "a 20-year one")
_PRONOUN_BEFORE = lazy(r"\b(?:another|the|this|that|which|each|any|every|matching|new|same|last|first|next|similar|"
                       r"separate|other|second|third|final|different|original|previous|latest|earlier|right|wrong|"
                       r"initial|older|newer|identical|fresh)\s+$|\b(?:a|an|the)\s+[a-z]+(?:-[a-z]+)?\s+$|"
                       r"\b(?:a|an|the)\s+\d+(?:\.\d+)?[\s-]*[a-z][a-z/%]*(?:-[a-z]+)?\s+$", re.I)
_UNIT_NEXT = lazy(r"\s*(?:years?|yrs?|months?|weeks?|days?|decades?|hours?|percent|%|point|hundred|thousand|million|"
                  r"billion|k\b|kg|cm|mg|lbs?|pounds?|dollars?|euros?|and\s+a\s+half|half)", re.I)


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 10)).rstrip("0").rstrip(".")


def parse_run(tokens: list[str]) -> list[tuple[float, int, int]]:
    """Numbers in a run of number words, as (value, first token, last token + 1)."""
    out: list[tuple[float, int, int]] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok in ("and", "point", "dot", "half", "oh") or (tok == "a" and not (i + 1 < n and tokens[i + 1] in ("hundred", *SCALES))):
            i += 1
            continue
        start = i
        total, current, last, seen = 0.0, 0.0, None, False
        decimals: str | None = None
        year_prefix = 0.0
        while i < n:
            tok = tokens[i]
            if decimals is not None:
                if tok in UNITS and UNITS[tok] < 10:
                    decimals += str(UNITS[tok])
                    i += 1
                    continue
                if tok in SCALES or tok == "hundred":
                    pass  # "one point two million": handled below by the scale branch
                else:
                    break
            if tok == "a" and i + 1 < n and tokens[i + 1] in ("hundred", *SCALES) and not seen:
                current, last, seen = 1, "unit", True
            elif tok in UNITS and tok != "oh":
                v = UNITS[tok]
                if last in ("unit", "teen"):
                    break
                if last == "tens" and v >= 10 and current in (19, 20) and total == 0 and not year_prefix:
                    year_prefix, current = current * 100, 0  # "twenty nineteen"
                elif last == "tens" and (v >= 10 or v == 0):
                    break
                current += v
                last = "teen" if v >= 10 else "unit"
                seen = True
            elif tok in TENS:
                if last in ("teen", "tens") and current in (19, 20) and total == 0 and not year_prefix:
                    # "twenty twenty six", "nineteen ninety": a spoken year
                    year_prefix, current = current * 100, 0
                elif last in ("unit", "tens", "teen"):
                    break
                current += TENS[tok]
                last = "tens"
                seen = True
            elif tok == "hundred":
                if decimals is not None:
                    break
                current = (current or 1) * 100
                last = "hundred"
                seen = True
            elif tok in SCALES:
                if decimals is not None:
                    current = float(f"{int(current)}.{decimals or '0'}")
                    decimals = None
                total += (current or 1) * SCALES[tok]
                current = 0
                last = "scale"
                seen = True
            elif tok == "and":
                # "three hundred and fifty", "two and a half"
                if i + 2 < n and tokens[i + 1] == "a" and tokens[i + 2] == "half" and seen:
                    current += 0.5
                    i += 3
                    last = "half"
                    break
                if last in ("hundred", "scale") and i + 1 < n and (tokens[i + 1] in UNITS or tokens[i + 1] in TENS):
                    last = "and"
                else:
                    break
            elif tok in ("point", "dot") and seen and decimals is None and i + 1 < n and tokens[i + 1] in UNITS:
                decimals = ""
            else:
                break
            i += 1
        if not seen:
            i = max(i, start + 1)
            continue
        value = total + current
        if decimals:
            value = float(f"{int(value)}.{decimals}")
        value += year_prefix
        out.append((value, start, i))
    return out


def _runs(text: str):
    """Runs of number words joined by spaces or hyphens, as lists of token matches (a word scan:
    a regex alternation of every number word costs ~10 ms to compile at start-up)."""
    run: list[re.Match] = []
    for m in _TOKEN.finditer(text):
        if m.group(0).lower() in VOCAB:
            if run and not _GAP.fullmatch(text, run[-1].end(), m.start()):
                yield run
                run = []
            run.append(m)
        elif run:
            yield run
            run = []
    if run:
        yield run


NUMBER_WORDS = (set(UNITS) | set(TENS) | set(SCALES) | {"hundred"}) - {"oh"}


_FRACTION_SCALE = re.compile(
    r"\b(?:a\s+|one\s+)?(half|quarter)\s+(?:of\s+)?(?:(?:a|one)\s+)?(million|thousand|billion)\b", re.I)
_AND_A_FRACTION = re.compile(r"(?<![\d.])(\d+) and (?:a |one )?(half|quarter|three quarters)\b", re.I)
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "three quarters": 0.75}
# "half an hour a day", "a quarter of an hour": a fraction of a clock unit said with no number
# "an hour a day", "an hour daily": one hour, as a rate's amount
_AN_HOUR_A_DAY = re.compile(r"(?<![\w.])an\s+hour(?=\s+(?:a|per|each|every)\s+(?:day|night|week)\b|\s*/\s*day\b|\s+daily\b)", re.I)
_FRACTION_OF_TIME = re.compile(r"\b(?:a\s+|one\s+)?(half|quarter|three quarters)\s+(?:of\s+)?(?:an?|one)\s+"
                               r"(hour|minute|second)\b", re.I)


NUMWORD = "(?:" + "|".join([w for w in UNITS if w != "oh"] + list(TENS) + ["hundred", "a"]) + ")"  # a spoken number's words
# "forty thousand five thousand" or "ten thousand and four thousand" is a list, not 40005 and 1000:
# a scale word followed by a number that ends in the same scale word starts a new number.
LIST_BREAK = lazy(rf"\b(thousand|million)\s+(?:and\s+)?(?=(?:{NUMWORD}\s+){{1,4}}\1\b)", re.I)


def words_to_digits(text: str) -> str:
    """Replace spoken numbers with digits, keeping all other text (and its case) as it is."""
    low = text.lower()  # lowered again only after a rewrite
    if "thousand" in low or "million" in low:
        text = LIST_BREAK.sub(r"\1, ", text)
        low = text.lower()
    if "half" in low or "quarter" in low:
        # "half a million" -> "0.5 million" (the amount tagger scales it)
        text = _FRACTION_SCALE.sub(lambda m: f"{_FRACTIONS[m.group(1).lower()]} {m.group(2)}", text)
        if "hour" in low or "minute" in low or "second" in low:
            text = _FRACTION_OF_TIME.sub(lambda m: f"{_FRACTIONS[m.group(1).lower()]} {m.group(2)}", text)
        low = text.lower()
    if "an hour" in low:
        text = _AN_HOUR_A_DAY.sub("1 hour", text)
        low = text.lower()
    if NUMBER_WORDS.isdisjoint(_TOKEN.findall(low)):
        return _fraction(text) if ("half" in low or "quarter" in low) else text
    pieces: list[str] = []
    pos = 0
    for parts in _runs(text):
        tokens = [p.group(0).lower() for p in parts]
        if tokens[0] in SCALES or tokens[0] == "hundred":
            continue  # "1.2 million", "300 thousand": digits with a scale word, read by the amount tagger
        numbers = parse_run(tokens)
        for value, a, b in numbers:
            end = parts[b - 1].end()
            if value == 1 and b - a == 1 and _KEEP_AFTER.match(text, end):
                continue  # "one-way", "one sided": not a quantity
            if value == 1 and b - a == 1 and tokens[a] == "one" and _PRONOUN_BEFORE.search(text, 0, parts[a].start()) \
                    and not _UNIT_NEXT.match(text, end):
                continue  # "another one", "the last one": a pronoun
            pieces.append(text[pos:parts[a].start()])
            pieces.append(_fmt(value))
            pos = end
    pieces.append(text[pos:])
    out = "".join(pieces)
    low = out.lower()
    return _fraction(out) if ("half" in low or "quarter" in low) else out


def _fraction(text: str) -> str:
    """ "7 and a quarter" -> "7.25", "6 and a half" -> "6.5". """
    return _AND_A_FRACTION.sub(lambda m: _fmt(float(m.group(1)) + _FRACTIONS[m.group(2).lower()]), text)


_SCALED = lazy(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(k|thousand|grand|mm|m|mn|million|bn|b|billion)(?![\w])", re.I)
SCALE_WORDS = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6,
               "b": 1e9, "bn": 1e9, "billion": 1e9}


def parse_number(raw: str) -> float | None:
    """A number as written: "32,500", "1.2", "-1000", "(500)" -> -500."""
    s = raw.strip().replace(" ", "")
    neg = s.startswith("(") and s.endswith(")")
    s = s.strip("()")
    s = s.replace(",", "").replace("_", "")
    if s.startswith(("−", "–")):
        s = "-" + s[1:]
    try:
        value = float(s)
    except ValueError:
        return None
    return -value if neg else value


# Numbers written the ways other locales and people write them, made plain before tagging.
_UNIT_AFTER = r"(?=\s*(?:%|percent\b|per\s*cent\b|pct\b|kg\b|kilos?\b|cm\b|mg\b|mmol\b|g\b|lb\b|ms\b|years?\b))"
_DECIMAL_COMMA = lazy(rf"(?<![\d,.])(\d{{1,3}}),(\d{{1,2}}){_UNIT_AFTER}", re.I)  # "3,8 percent"
_CODES = "usd|eur|gbp|jpy|chf|cad|aud|nzd|cny|inr|sek|nok|dkk|mxn|brl|zar|krw|hkd|sgd|pln|czk|huf|ils|thb|idr|myr"
# "1 200 000 SEK", "€ 250 000": thousands grouped by spaces, only beside a currency ("-2000 500 700 900" is a list)
_SPACED_MONEY = lazy(rf"(?<=[$€£¥₹])\s?\d{{1,3}}(?: \d{{3}})+(?![\d,.]?\d)|(?<![\d.,])\d{{1,3}}(?: \d{{3}})+(?=\s*(?:(?:{_CODES}|"
                     rf"euros?|dollars?|kronor|kroner|pounds|rupees|francs)\b|[€$£]))", re.I)
_DIGIT_SPACE_DIGIT = re.compile(r"\d \d")
_INDIAN = lazy(r"\b(\d+(?:\.\d+)?)\s*(lakhs?|lacs?|crores?)\b", re.I)  # "2 lakh" = 200,000; "1.5 crore" = 15,000,000


# "3/4 cup", "1 1/2 cups": a fraction (the numerator below the denominator, a kitchen's or a workshop's
# denominators) is the number it is. "24/7", "50/50", "120/80" and "3/15/2026" are not fractions.
_FRACTION = re.compile(r"(?<![\d/.,])(?:(?P<whole>\d{1,3})\s+)?(?P<num>\d{1,2})/(?P<den>2|3|4|8|16|32|5|10|6|12)(?![\d/.,])")


def _written_fraction(m: re.Match) -> str:
    num, den = int(m.group("num")), int(m.group("den"))
    if not 0 < num < den:
        return m.group(0)
    value = int(m.group("whole") or 0) + num / den
    return f"{value:.6g}"


def plain_numbers(text: str) -> str:
    """ "3,8 percent" -> "3.8 percent", "1 200 000 SEK" -> "1200000 SEK", "2 lakh" -> "200000"."""
    if "," in text:
        text = _DECIMAL_COMMA.sub(r"\1.\2", text)
    if _DIGIT_SPACE_DIGIT.search(text):  # each _SPACED_MONEY match holds a digit, a space, a digit
        text = _SPACED_MONEY.sub(lambda m: m.group(0).replace(" ", ""), text)
    if "/" in text:
        text = _FRACTION.sub(_written_fraction, text)
    low = text.lower()
    if "lak" in low or "lac" in low or "cror" in low:  # every _INDIAN match holds one (str.lower folds the Kelvin sign too)
        def scaled(m: re.Match) -> str:
            value = float(m.group(1)) * (1e5 if m.group(2).lower().startswith("la") else 1e7)
            return str(int(value)) if value == int(value) else str(value)

        text = _INDIAN.sub(scaled, text)
    return text
