"""Typed entity tagging, before any matching: the text's numbers, amounts, rates, durations, dates, body
measures, lab values, currencies, paths, codes and quotes, each with its span and a value in the
catalog's units (kg, cm, mg/dL, ms, bpm, ISO dates, ISO 4217 codes).

Taggers run from the most specific to the least and claim their spans, so "60 year old" is an age and
never a 60-year duration, and "5'6\"" is a height, not two numbers. An entity that reads two ways
("180 pounds": a weight or GBP; "1.5 m": a height or 1.5 million) keeps the other reading in `alts`,
and the slot filler picks the one the chosen action can use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from intents.resolver import currencies, dates, spelling
from intents.resolver.lazyre import lazy
from intents.resolver.numbers import SCALE_WORDS, parse_number, plain_numbers, words_to_digits

MAX_CHARS = 2000  # matching looks at this much; longer input is clipped before any regex runs

NUM = r"(?:[-−]\s?)?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
SCALE = r"(?:k|thousand|grand|mm|mn|million|bn|billion|m|b)"


@dataclass
class Entity:
    kind: str
    value: Any
    start: int
    end: int
    text: str
    unit: str | None = None  # the unit as written (lb, ft/in, umol/L ...) before conversion
    alts: list[tuple[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {"kind": self.kind, "value": self.value, "span": [self.start, self.end], "text": self.text}
        if self.unit:
            out["unit"] = self.unit
        if self.alts:
            out["alts"] = [{"kind": k, "value": v} for k, v in self.alts]
        return out


@dataclass
class Tagged:
    raw: str  # the input as given (clipped)
    text: str  # spoken numbers as digits; entity spans index this
    entities: list[Entity]

    def of(self, *kinds: str) -> list[Entity]:
        return [e for e in self.entities if e.kind in kinds]

    def placeholder_text(self) -> str:
        """The text with every entity replaced by <kind>, what the classifier sees."""
        out, pos = [], 0
        for e in self.entities:
            out.append(self.text[pos:e.start])
            out.append(f" <{e.kind}> ")
            pos = e.end
        out.append(self.text[pos:])
        return "".join(out)


def _num(raw: str) -> float | None:
    return parse_number(raw.replace("−", "-").replace(" ", ""))


def _scaled(raw: str, scale: str | None) -> float | None:
    value = _num(raw)
    if value is None:
        return None
    return value * SCALE_WORDS.get((scale or "").lower(), 1)


class _Claims:
    def __init__(self, n: int) -> None:
        self.used = bytearray(n + 1)

    def free(self, a: int, b: int) -> bool:
        return self.used.find(1, a, b) < 0  # no claimed position in [a, b), without copying the slice

    def take(self, a: int, b: int) -> None:
        self.used[a:b] = b"\x01" * (b - a)


# ---- patterns ------------------------------------------------------------------------------------
QUOTED = lazy(r"\"([^\"]{1,5000})\"|“([^”]{1,5000})”|(?<![\w])'([^']{2,5000})'(?![\w])")
PATH = lazy(
    r"(?<![\w/])(?:~|\.{1,2})?/[\w.\-/]*[\w]|(?<![\w/])[\w\-]+(?:/[\w.\-]+)*\.(?:pdf|docx?|txt|md|rtf|html?|odt|csv|xlsx?|json|xml)\b",
    re.I)
FEET_INCHES = lazy(
    rf"(?P<ft>\d(?:\.\d+)?)\s*(?:'|’|ft\.?|feet|foot)\s*(?:(?:and\s+)?(?P<inch>\d{{1,2}}(?:\.\d+)?)\s*(?:\"|”|''|in\.?|inch|inches)?)?(?!\w)",
    re.I)
METRES_AND_CM = lazy(r"(?P<m>[12])\s*(?:m|met(?:er|re)s?)\s+(?:and\s+)?(?P<cm>\d{1,2})(?:\s*(?:cm|centimet(?:er|re)s?))?(?![\w]|[.,]\d|\s*(?:kg|kilo|lb|pound|%|percent|years?|mg))", re.I)
HEIGHT_METRIC = lazy(
    rf"(?P<num>{NUM})\s*(?P<unit>cm|cms|centimet(?:er|re)s?|met(?:er|re)s?|m(?=\s+tall)|m(?=[\s,.;]|$)|in(?=\s+tall)|inch(?:es)?|mm)(?!\w)", re.I)
STONE_LB = lazy(rf"(?P<st>\d{{1,2}})\s*(?:st|stones?)\s*(?:and\s+)?(?P<lb>\d{{1,2}}(?:\.\d+)?)\s*(?:lbs?|pounds?)(?!\w)", re.I)
WEIGHT = lazy(
    rf"(?P<num>{NUM})\s*(?P<unit>kgs?|kilo(?:gram)?s?|kilogrammes?|lbs?|pounds?|st|stones?|g|grams?)(?!\w)", re.I)
AGE = lazy(
    rf"(?<![\d.,])(?P<num>\d{{1,3}})\s*(?:-\s*)?(?:years?|yrs?|y)\s*(?:-\s*)?old\b|(?<![\d.,])(?P<num2>\d{{1,3}})\s*(?:yo|y/o|y\.o\.)(?:\s*(?P<sexl2>[mf])\b)?(?!\w)"
    rf"|\b(?:aged|age(?:\s+of|\s+is|:)?)\s*(?P<num3>\d{{1,3}})\b|(?<![\d.,])(?P<num4>\d{{1,3}})\s*(?P<sexl>[mf])(?![\w'./²³^])",
    re.I)
PERCENT = lazy(rf"(?P<num>{NUM})\s*(?:%|percent\b|per\s*cent\b|pct\b|percentage\b)", re.I)
PERCENT_RANGE = lazy(rf"(?P<a>\d+(?:\.\d+)?)\s*(?:->|→|-|–|to)\s*(?P<b>\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s*cent\b|pct\b)", re.I)
MONEY_SYMBOL = lazy(
    rf"(?P<sym>{currencies.SYMBOL_RE})\s?(?P<num>{NUM})(?:\s*(?P<scale>{SCALE})(?![\w]))?", re.I)
# a number, an optional scale, then up to three words looked up in the currency table
MONEY_WORD = lazy(
    rf"(?P<num>{NUM})(?:\s*(?P<scale>{SCALE})(?![\w]))?\s*(?P<words>[A-Za-z]+(?:[ ][A-Za-z]+){{0,2}})")
MONEY_CODE_FIRST = lazy(
    rf"\b(?P<cur>usd|eur|gbp|jpy|chf|cad|aud|nzd|cny|inr|sek|nok|dkk|mxn|brl|zar|krw|hkd|sgd|pln|czk|huf|ils|thb|idr|myr|ron|bgn|isk)\s?(?P<num>{NUM})(?:\s*(?P<scale>{SCALE})(?![\w]))?",
    re.I)
MONEY_SCALED = lazy(rf"(?P<num>{NUM})\s*(?P<scale>k|thousand|grand|mm|mn|million|bn|billion)(?![\w])", re.I)
# "200 a month", "$150 per month", "300 monthly": a periodic amount (not a starting one)
PERIODIC = lazy(
    rf"(?P<num>{NUM})(?:\s*(?P<scale>k|thousand|grand)(?![\w]))?"
    rf"(?:\s*(?P<cur>[A-Za-z]+(?: [A-Za-z]+)?))??\s*(?:(?:a|per|each|every|/)\s*(?P<per>month|mo|week|year|yr)\b|(?P<per2>monthly|weekly|yearly|annually)\b(?!\s+(?:compound|payment|installment)))",
    re.I)
MONEY_M = lazy(rf"(?P<num>{NUM})\s*(?P<scale>m|b)(?![\w'])", re.I)
DURATION = lazy(
    rf"(?P<num>{NUM})\s*(?:-\s*)?(?P<qual>(?!(?:and|or|to|of|a|an|the|more|than|per|each|every|other|first|last)\s)[A-Za-z]{{4,}}\s+)?"
    rf"(?P<unit>years?|yrs?|yr|y(?=\b)|months?|mos?|mo|weeks?|wks?|days?)(?!\w)",
    re.I)
# "for a year" is a duration; "how much a month", "save 500 a month" is a rate, not one
A_UNIT = lazy(r"(?<!much )(?<!once )(?<!twice )(?<!times )(?<!\d )(?<!\d)(?<!k )\b(?P<lead>a|an|one)\s+(?P<unit>year|month|week|decade)\b(?!\s+old)", re.I)
FREQUENCY = lazy(
    r"\b(?:compound(?:ed|ing|s)?\s+(?P<f1>daily|weekly|monthly|quarterly|annually|yearly|semi-?annually|bi-?annually|twice a year|continuously)"
    r"|(?P<f2>daily|weekly|monthly|quarterly|annual|yearly|semi-?annual|bi-?annual)\s+compounding)\b", re.I)
FREQ_VALUES = {"daily": 365, "weekly": 52, "monthly": 12, "quarterly": 4, "annually": 1, "annual": 1, "yearly": 1,
               "semiannually": 2, "semi-annually": 2, "biannually": 2, "bi-annually": 2, "twice a year": 2,
               "semiannual": 2, "semi-annual": 2, "biannual": 2, "bi-annual": 2, "continuously": 365}
SEX = lazy(
    r"\b(?P<f>female|woman|women|lady|girl|she|her|feminine|f)\b|\b(?P<m>male|man|men|gentleman|guy|boy|he|his|him|masculine)\b",
    re.I)
_CODES = {c.lower() for c in currencies.CODES}
_DEGREE_BEFORE = lazy(r"(?:°|\bdeg(?:rees?|s)?\.?)\s*$", re.I)
_SEX_WORDS = set("female woman women lady girl she her feminine f male man men gentleman guy boy he his him masculine".split())
# "between Acme Corp and Beta LLC": names end at punctuation, a number or a word that starts the rest (the
# catalog's party kinds add their own words: `KindSpec.cues` of a party kind)
_PARTY_END_WORDS = ["for", "under", "with", "in", "that", "using", "about", "on", "starting", "valid", "through",
                    "until", "to", "please", "per"]


def _party_end(words) -> str:
    alts = "|".join(re.escape(w).replace(r"\-", "[- ]?") for w in sorted(set(words), key=len, reverse=True))
    return rf"(?=\s*(?:[,.;:!?(]|$|\b(?:{alts})\b|\d))"


_PARTY_END = _party_end(_PARTY_END_WORDS)
_NAME_REST = r"[\w.&'-]*(?:\s+[\w.&'-]+){0,5}?"  # a name: up to six words, as few as the pattern allows
_NAME = r"[A-Za-z0-9]" + _NAME_REST
CAPITALISED_NAME = r"[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4}"  # "Sakura Technologies K.K."
_NOT_A_NAME = r"(?!(?:between|among|for|with|and|the|a|an|to|in|of|under|my|our|your)\b)"
_PARTIES = r"\b(?:between|among|parties)\s+(?:the\s+)?(?P<a>[A-Za-z0-9][\w.&'-]*(?:\s+[\w.&'-]+){0,5}?)\s+(?:and|&)\s+(?P<b>[A-Za-z0-9][\w.&'-]*(?:\s+[\w.&'-]+){0,5}?)%END%"
# "for Soylent and Massive Dynamic": only capitalised names, without "between" to anchor them
_NAMED_PAIR = r"\b(?:for|with|by)\s+(?P<a>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4})\s+(?:and|&)\s+(?P<b>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4})%END%"
# "party A Vandelay Industries, party B Kramerica"
_LABELLED_PAIR = (r"\b(?:party\s*(?:a|1|one)|first\s+party)\s*[:=\-–]?\s*(?:is\s+)?(?P<a>%NAME%)"
                  r"\s*[,;]?\s*(?:and\s+)?(?:the\s+)?(?:party\s*(?:b|2|two)|second\s+party)\s*[:=\-–]?\s*"
                  r"(?:is\s+)?(?P<b>%NAME%)%END%")


def expand_pair(src: str, end: str = _PARTY_END) -> str:
    """A party pattern's building blocks (%NAME%, %CAPITALISED%, %END% ...) as regular expressions."""
    for token, rx in (("%NAME_REST%", _NAME_REST), ("%NAME%", _NAME), ("%CAPITALISED%", CAPITALISED_NAME),
                      ("%NOT_A_NAME%", _NOT_A_NAME), ("%END%", end)):
        src = src.replace(token, rx)
    return src


_PAIRS_OF: dict[int, list] = {}


class _Guarded:
    """A party pattern, compiled on first use and tried only when one of its anchor words is said. A
    pattern without anchor words (a pack's) is tried only when the lowercased text holds one of the
    literals every match of it holds (intents.resolver.literals), read from the pattern itself."""

    def __init__(self, src: str, flags: int, needs: tuple[str, ...]) -> None:
        self.src, self.flags, self.needs, self._rx = src, flags, needs, None
        self._literals: tuple[str, ...] | None = None if not needs else ()

    def finditer(self, text: str, words: set[str], low: str | None = None):
        if self.needs and words.isdisjoint(self.needs):
            return ()
        if self._literals is None:
            from intents.resolver.literals import required

            self._literals = required(self.src, self.flags)
        if self._literals and low is not None and text.isascii() and not _has(low, *self._literals):
            return ()
        if self._rx is None:
            try:
                self._rx = re.compile(self.src, self.flags)
            except re.error:
                self._rx = re.compile(r"(?!x)x")  # a broken pack pattern never breaks tagging
        return self._rx.finditer(text)


def pair_patterns(lexicon) -> list:
    """The patterns that name two parties, the first that finds a pair is used: the core's, then the
    catalog's party kinds' (`KindSpec.pairs`), all ending names at the catalog's words."""
    key = id(lexicon)
    if key not in _PAIRS_OF:
        kinds = [k for k in lexicon.pack_kinds.values() if k.base == "party"] if lexicon is not None else []
        end = _party_end(_PARTY_END_WORDS + [w for k in kinds for w in k.cues])
        # the core's patterns are compiled only when their anchor word is in the text (start-up cost)
        out = [_Guarded(expand_pair(_PARTIES, end), re.I, ("between", "among", "parties")),
               _Guarded(expand_pair(_NAMED_PAIR, end), 0, ("for", "with", "by")),
               _Guarded(expand_pair(_LABELLED_PAIR, end), re.I, ("party",))]
        for k in kinds:
            for src in k.pairs:
                out.append(_Guarded(expand_pair(src, end), re.I if "(?-i" not in src else 0, ()))
        _PAIRS_OF.clear() if len(_PAIRS_OF) > 8 else None
        _PAIRS_OF[key] = out
    return _PAIRS_OF[key]


_NOT_PARTY = {"me", "us", "them", "you", "it", "a", "an", "the", "someone"}
_DIGIT = re.compile(r"\d")
_WORDS_RX = re.compile(r"[a-z]+")  # ASCII only: a charset beyond Latin-1 (Greek mu) costs ms to compile
_AGE_SEX_HINT = re.compile(r"\d\s*[mfMF]\b")
NUM_START = lazy(rf"(?<![\d.,]){NUM}")
NEGATIVE_WORD = lazy(rf"\b(?:minus|negative)\s+(?={NUM})", re.I)
# a number, not part of a code glued to letters by a hyphen ("1040-ES", "W-2", "I-9")
NUMBER = lazy(rf"(?<![\w.])(?<![A-Za-z]-){NUM}(?![\w]|\.\d|-[A-Za-z])|\({NUM}\)")
# between list items: commas, "and", "then", "followed by", or a cash-flow label ("cf1", "CF 2:")
LIST_SEP = lazy(r"^\s*(?:,|;|and|then|,\s*and|,\s*then|/|,?\s*followed\s+by|,?\s*and\s+then|,?\s*c\.?f\.?\s*\d{1,2}\s*[:=]?)?\s*$", re.I)


def tag(text: str, today: date | None = None, spell: bool = True, lexicon=None) -> Tagged:
    """Tag `text` (clipped to MAX_CHARS): misspelt unit words are repaired (`spell`; a pack's own
    samples are taken as written) and spoken numbers become digits first, then each tagger claims its
    spans, most specific first. `lexicon` (intents.resolver.lexicon) brings the installed packs'
    kinds: their recognisers and declared units, and the unit table of quantity slots."""
    raw = text[:MAX_CHARS]
    spell_words = lexicon.spell_words if lexicon is not None else frozenset()
    known = lexicon.abbreviations if lexicon is not None else frozenset()
    norm = words_to_digits(plain_numbers(spelling.repair(raw, spell_words, known) if spell else raw))
    low = norm.lower()
    if not norm.isascii() or "minus" in low or "negative" in low:  # beyond ASCII, re.I folds more than lower()
        norm = NEGATIVE_WORD.sub("-", norm)
        low = norm.lower()
    claims = _Claims(len(norm))
    ents: list[Entity] = []

    def add(kind: str, value: Any, m: re.Match, unit: str | None = None, alts=None, extra=None, span=None) -> None:
        a, b = span or m.span()
        ents.append(Entity(kind, value, a, b, norm[a:b], unit, list(alts or []), dict(extra or {})))
        claims.take(a, b)

    # Every number-led tagger is tried only where a number starts (an anchored match), which keeps
    # tagging well under a millisecond however many unit patterns there are.
    digits = _DIGIT.search(norm) is not None
    starts = [m.start() for m in NUM_START.finditer(norm)] if digits else []

    used = claims.used

    def at(pattern):
        """Matches anchored at a number's start, on text no other tagger has claimed yet."""
        if len(starts) == 1:  # one number (the most common case): its match, if any, read at once
            pos = starts[0]
            if used[pos]:
                return ()
            m = pattern.compiled().match(norm, pos)
            return (m,) if m and used.find(1, pos, m.end()) < 0 else ()
        return _at_each(pattern)

    def _at_each(pattern):
        # several numbers: each is tried after the caller has read (and claimed) the one before
        match = pattern.compiled().match
        for pos in starts:
            if used[pos]:
                continue
            m = match(norm, pos)
            if m and used.find(1, pos, m.end()) < 0:  # claims.free(*m.span()): an anchored match starts at pos
                yield m

    if _has(norm, '"', "“", "'"):
        for m in QUOTED.finditer(norm):
            inner = next(g for g in m.groups() if g is not None)
            add("quoted", inner, m)
    for m in (PATH.finditer(norm) if "/" in norm or "." in norm else ()):  # a path has a "/" or ".ext"
        if claims.free(*m.span()) and not re.fullmatch(r"[\d/.\-]+", m.group(0)) and not re.search(r"\d+/(?:l|dl|kg|min)\b", m.group(0), re.I):
            add("path", m.group(0), m)
    said = words = set(_WORDS_RX.findall(low))  # read only, by every tagger below
    found: list = []
    for p in pair_patterns(lexicon):  # the first pattern that finds a pair
        it = p.finditer(norm, said, low)
        if it != () and (found := list(it)):
            break
    for m in found:
        pair = resplit_pair(norm, m.start("a"), m.end("a"), m.start("b"), m.end("b"))
        for g, (ga, gb) in zip(("a", "b"), pair):
            raw_name = norm[ga:gb]
            name = party_name(raw_name)
            a = ga + max(0, raw_name.find(name))  # after a dropped "my company"
            if name and claims.free(a, a + len(name)) and name.lower() not in _NOT_PARTY:
                add("party", name, m, span=(a, a + len(name)))
    for a, b, iso, yearless in dates.find_dates_marked(norm, today, said):
        if claims.free(a, b):
            # a year-less date is this year's; the slot filler moves it to the next or last such day
            ents.append(Entity("date", iso, a, b, norm[a:b], extra={"yearless": True} if yearless else {}))
            claims.take(a, b)
    tagger = lexicon.tagger if lexicon is not None else None
    for kind, rx in (tagger.patterns if tagger is not None else ()):
        spec = lexicon.kind(kind)
        for m in rx.finditer(norm):
            span = m.span("value") if "value" in rx.groupindex and m.group("value") else m.span()
            if span[1] > span[0] and claims.free(*span):
                add(kind, _normalised(norm[span[0]:span[1]], spec.normalise), m, span=span)

    if starts and tagger is not None and tagger.has_units and not tagger.words.isdisjoint(words):
        _declared(norm, tagger, lexicon, add, at)
    units_table = lexicon.units if lexicon is not None else None
    if starts and units_table:
        _quantities(norm, units_table, claims, add, at, deferred=False)
    if starts:
        _measures(norm, low, claims, add, at, lexicon)
        if units_table:
            _quantities(norm, units_table, claims, add, at, deferred=True)
        _amounts(norm, low, words, claims, add, at)
    else:
        _one_unit(norm, words, claims, add)
    _rest(norm, low, words, claims, add, ents, digits)
    ents.sort(key=lambda e: e.start)
    return Tagged(raw=raw, text=norm, entities=ents)


def _normalised(value: str, how: str | None) -> str:
    return {"upper": value.upper(), "lower": value.lower(), "title": value.title()}.get(how or "", value)


def _declared(norm: str, tagger, lexicon, add, at) -> None:
    """Values in the units the packs' kinds declare ("1.1 mg/dL", "72 bpm"): tagged as the kind."""
    for m in at(_Compiled(tagger.unit_rx)):
        found = tagger.unit(m.group("unit"))
        value = _num(m.group("num"))
        if found is None or value is None:
            continue
        kind, unit = found
        add(kind, value, m, unit=unit, extra={"declared": True})


class _Compiled:
    """A compiled pattern in the shape `at` expects (lazy patterns have `compiled()`)."""

    def __init__(self, rx) -> None:
        self.rx = rx

    def compiled(self):
        return self.rx


# core measure words: their own taggers read them (a height, a weight, a duration); a quantity slot
# converts those entities, and only what they leave is read as a generic quantity
_DEFERRED = {"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "lb", "lbs", "pound", "pounds", "g", "gram",
             "grams", "st", "stone", "stones", "cm", "cms", "centimetre", "centimetres", "centimeter", "centimeters",
             "m", "metre", "metres", "meter", "meters", "mm", "in", "inch", "inches", "ft", "foot", "feet", "year",
             "years", "yr", "yrs", "y", "month", "months", "mo", "mos", "week", "weeks", "wk", "wks", "day", "days"}
# durations are read by the duration tagger, whose entity a quantity slot of time converts
_TIME_WORDS = {"year", "years", "yr", "yrs", "y", "month", "months", "mo", "mos", "week", "weeks", "wk", "wks", "day",
               "days"}
# spellings pint knows that are everyday words, never units after a number here
_NOT_UNITS = {"in", "a", "an", "at", "as", "is", "it", "or", "on", "of", "to", "by", "per", "are", "point", "and", "the",
              "for", "from", "with", "over", "into", "mil", "pi", "percent", "month", "each", "every", "sec", "e", "d",
              "t", "b", "k", "x", "p", "c", "u", "dozen", "grand", "quid", "bucks", "times", "cup", "cups", "pint",
              "pints", "bar", "bars", "quad", "quads", "gross", "number", "rem", "ton", "tons", "mark", "marks",
              "count", "percentage", "year", "years", "day", "days", "week", "weeks", "month", "months"}
# a unit word: letters, with digits only as a power right after a letter ("m2", "m3") or as the count of a
# compound's denominator after its slash ("L/100km", "kg/100m2"); a word that is only a count follows "per"
# ("6.2 litres per 100 km")
_UNIT_WORD = r"[A-Za-zµ°](?:[^\s\d,;:()!?]|(?<=/)\d+(?:\.\d+)?|(?<=[A-Za-z])[23](?![\d.]))*"
QTY = lazy(rf"(?P<num>{NUM})(?:\s*(?P<scale>k|thousand|million|mn|bn|billion)(?=\s+[A-Za-z]))?\s*"
           rf"(?P<unit>{_UNIT_WORD}(?:\s+(?:{_UNIT_WORD}|(?<=per\s)\d+(?:\.\d+)?(?:{_UNIT_WORD})?)){{0,4}})")
_SCALE_LETTER = {"m": 1e6, "b": 1e9}
_COMPOUND = re.compile(r"/|\sper\s")
_TIME_PER = re.compile(r"(?:/|\bper|\ban?|\beach|\bevery)\s*(?:s|sec|second|min|minute|h|hr|hour|day|week|wk|month|mo|year|yr)s?$", re.I)


def _quantities(norm: str, table: dict, claims: _Claims, add, at, deferred: bool) -> None:
    """Numbers with a unit pint knows ("8 m/s", "9k miles", "2.5 kWh"), for quantity slots. The first
    pass leaves the core measure words to their taggers; the second reads what they left."""
    from intents.resolver import units

    for m in at(QTY):
        words = m.group("unit").split()
        for k in range(len(words), 0, -1):
            phrase = " ".join(words[:k]).rstrip(".")
            first = re.split(r"[/\-]", phrase)[0].lower()
            lead = first.split()[0] if " " in first else first  # "30c per kWh": "c" starts it, an everyday word
            if not phrase or first in _NOT_UNITS or first in _TIME_WORDS or (lead in _NOT_UNITS and lead not in _TIME_WORDS):
                continue
            parsed = units.parse(table, phrase)
            if parsed is None:
                continue
            # "3 kg per 100 m2" is one compound unit, read before the weight tagger takes "3 kg"; a core
            # measure word alone, or per a time ("2 lbs a week"), is left to its own tagger first
            compound = phrase != first and _COMPOUND.search(phrase) is not None and not _TIME_PER.search(phrase)
            if (first in _DEFERRED and not compound) != deferred:
                continue
            value = _scaled(m.group("num"), m.group("scale"))
            if value is None:
                break
            end = m.start("unit") + len(" ".join(words[:k]).rstrip("."))
            if not claims.free(m.start(), end):
                break
            alts = [("money", value * _SCALE_LETTER[phrase])] if phrase in _SCALE_LETTER else []
            add("quantity", value, m, unit=phrase, alts=alts, extra={"dims": parsed[0]}, span=(m.start(), end))
            break


def _has(low: str, *needles: str) -> bool:
    for n in needles:
        if n in low:
            return True
    return False


def _measures(norm: str, low: str, claims: _Claims, add, at, lexicon=None) -> None:
    # Each unit pattern is only tried (and compiled, on first use) when its unit can be in the text.
    for m in (at(FEET_INCHES) if _has(low, "'", "’", "ft", "feet", "foot") else ()):
        ft = float(m.group("ft"))
        inch = float(m.group("inch") or 0)
        if not (2 <= ft <= 8) or inch >= 12:
            continue
        add("height", round((ft * 12 + inch) * 2.54, 1), m, unit="ft/in")
    for m in (AGE.finditer(norm) if _has(low, "old", "yo", "y/o", "y.o", "age") or _AGE_SEX_HINT.search(norm) else ()):
        if not claims.free(*m.span()):
            continue
        raw = m.group("num") or m.group("num2") or m.group("num3") or m.group("num4")
        value = int(raw)
        if value > 125:
            continue
        if m.group("sexl2"):
            a, b = m.start("num2"), m.start("sexl2")
            add("age", value, m, span=(a, b - 1 if norm[b - 1] == " " else b))
            add("sex", "male" if m.group("sexl2").lower() == "m" else "female", m, span=(b, b + 1))
            continue
        if m.group("num4"):
            # "60 m" / "45f": an age with a sex, as clinicians write it
            if value < 12 or _near_money(norm, m.start(), lexicon):
                continue
            sex = "male" if m.group("sexl").lower() == "m" else "female"
            a = m.start("num4")
            add("age", value, m, span=(a, m.end("num4")))
            s = m.start("sexl")
            add("sex", sex, m, span=(s, s + 1))
            continue
        add("age", value, m)
    for m in (at(METRES_AND_CM) if _has(low, "met", " m ") else ()):  # "1 meter 70", "1 m 25"
        add("height", float(m.group("m")) * 100 + float(m.group("cm")), m, unit="m+cm")
    for m in at(HEIGHT_METRIC):
        value = _num(m.group("num"))
        if value is None:
            continue
        unit = m.group("unit").lower()
        if unit.startswith("c"):
            add("height", value, m, unit="cm")
        elif unit == "mm":
            add("height", value / 10, m, unit="mm", alts=[("money", value * 1e6)])
        elif unit.startswith("in"):
            add("height", round(value * 2.54, 1), m, unit="in")
        else:
            cm = round(value * 100, 1)
            if unit == "m" and not (0.4 <= value <= 2.6):
                continue  # "2 m" is more likely two million: the money tagger takes it
            add("height", cm, m, unit="m", alts=[("money", value * 1e6)] if unit == "m" else [])
    for m in (at(STONE_LB) if _has(low, "st") else ()):  # "11 stone 4 pounds"
        add("weight", round(float(m.group("st")) * 6.35029318 + float(m.group("lb")) * 0.45359237, 2), m,
            unit="st+lb")
    for m in at(WEIGHT):
        value = _num(m.group("num"))
        if value is None:
            continue
        unit = m.group("unit").lower()
        if unit.startswith(("lb", "pound")):
            add("weight", round(value * 0.45359237, 2), m, unit="lb", alts=[("money", value), ("currency", "GBP")])
        elif unit.startswith(("st", "stone")):
            add("weight", round(value * 6.35029318, 2), m, unit="st")
        elif unit.startswith("g"):
            add("weight", value / 1000, m, unit="g")
        else:
            add("weight", value, m, unit="kg")


# words between an amount and "a month" that qualify the amount rather than name a thing
_AMOUNT_WORDS = {"extra", "more", "additional", "added", "bucks", "on top", "spare", "bonus"}


def _amounts(norm: str, low: str, words: set[str], claims: _Claims, add, at) -> None:
    ascii_ = norm.isascii()  # beyond ASCII, re.I folds more than lower() ("ſ" matches "s"): no literal guards
    if not ascii_ or _has(low, "%", "cent", "pct"):  # their unit's literals
        # "from 10 to 80%", "20-90%": the sign said once, after a range, is both ends'
        for m in at(PERCENT_RANGE):
            add("percent", _num(m.group("a")), m, span=m.span("a"))
            add("percent", _num(m.group("b")), m, span=(m.start("b"), m.end()))
    for m in (at(PERCENT) if not ascii_ or _has(low, "%", "cent", "pct") else ()):  # its unit's literals
        add("percent", _num(m.group("num")), m)
    periodic = _has(low, "month", "week", "year", "annual", "/mo")
    for m in (at(PERIODIC) if periodic else ()):
        start = m.start()
        sym = norm[start - 1] if start and norm[start - 1] in "$€£¥₹₩₪" else None
        value = _scaled(m.group("num"), m.group("scale"))
        per = (m.group("per") or m.group("per2") or "").lower()
        per = {"mo": "month", "monthly": "month", "weekly": "week", "yearly": "year", "annually": "year", "yr": "year"}.get(per, per)
        code = currencies.code_of(sym) if sym else (currencies.code_of(m.group("cur")) if m.group("cur") else None)
        if m.group("cur") and code is None and m.group("cur").lower() not in _AMOUNT_WORDS:
            continue  # "200 apples a month" is not money (but "500 extra a month" is)
        if value is not None:
            add("money", value, m, unit=code, extra={"per": per}, span=(start - (1 if sym else 0), m.end()))
    for pattern in (MONEY_SYMBOL, MONEY_CODE_FIRST):
        if pattern is MONEY_SYMBOL and not _has(norm, "$", "€", "£", "¥", "₹", "₩", "₪"):
            continue
        if pattern is MONEY_CODE_FIRST and not (words & _CODES):
            continue
        for m in pattern.finditer(norm):
            if not claims.free(*m.span()):
                continue
            value = _scaled(m.group("num"), m.group("scale"))
            cur = m.groupdict().get("cur")
            code = currencies.code_of(m.group("sym")) if "sym" in m.groupdict() and m.group("sym") else (
                currencies.code_of(cur) if cur else None)
            if value is None or code is None:
                continue
            add("money", value, m, unit=code)
    for m in at(MONEY_WORD):
        said = m.group("words").split(" ")
        for k in range(len(said), 0, -1):
            phrase = " ".join(said[:k])
            code = currencies.code_of(phrase)
            if code and (phrase.upper() not in currencies.CAPS_ONLY or phrase.isupper()):
                end = m.start("words") + len(phrase)
                value = _scaled(m.group("num"), m.group("scale"))
                if value is not None and claims.free(m.start(), end):
                    add("money", value, m, unit=code, span=(m.start(), end))
                break
    for m in (at(MONEY_SCALED) if not ascii_ or _has(low, "k", "thousand", "grand", "mm", "mn", "million", "bn", "billion")
              else ()):
        if re.fullmatch(r"(?:401|403|457)\s*k", m.group(0), re.I):
            continue  # a retirement plan, not an amount
        value = _scaled(m.group("num"), m.group("scale"))
        if value is not None:
            add("money", value, m)
    for m in at(DURATION):
        value = _num(m.group("num"))
        if value is None or value < 0:
            continue
        unit = m.group("unit").lower()
        qual = (m.group("qual") or "").strip().lower()
        if unit.startswith("y"):
            add("duration", value, m, unit="years")
        elif unit.startswith("mo"):
            add("duration", round(value / 12, 4), m, unit="months", extra={"months": value})
        elif unit.startswith("w"):
            add("duration", round(value * 7 / 365, 4), m, unit="weeks", extra={"days": value * 7})
        else:
            # "10 court days": the word said before "days" is kept for a choice that qualifies it
            add("days", int(value) if value == int(value) else value, m, unit="days", extra={"qualifier": qual or None})
    _one_unit(norm, words, claims, add)
    for m in at(MONEY_M):
        value = _scaled(m.group("num"), m.group("scale"))
        if value is not None:
            add("money", value, m)


def _one_unit(norm: str, words: set[str], claims: _Claims, add) -> None:
    """ "a decade", "a year": one of a unit of time, said with no number (also in words with no digit at
    all: "what about over a decade")."""
    for m in (A_UNIT.finditer(norm) if words & {"year", "month", "week", "decade"} else ()):
        if claims.free(*m.span()):
            unit = m.group("unit").lower()
            years = {"year": 1, "decade": 10, "month": 1 / 12, "week": 7 / 365}[unit]
            add("duration", round(years, 4), m, unit=unit + "s", extra={"days": 7} if unit == "week" else None)


def _rest(norm: str, low: str, words: set[str], claims: _Claims, add, ents: list[Entity], digits: bool = True) -> None:
    for m in (FREQUENCY.finditer(norm) if "compound" in low else ()):
        if claims.free(*m.span()):
            word = (m.group("f1") or m.group("f2")).lower()
            add("frequency", FREQ_VALUES.get(word, FREQ_VALUES.get(word.replace("-", ""), 12)), m)
    for a, b, word, code in currencies.find(norm, words):
        if claims.free(a, b):
            ents.append(Entity("currency", code, a, b, word, alts=[("weight_unit", "lb")] if word.lower().startswith("pound") else []))
            claims.take(a, b)
    for m in (SEX.finditer(norm) if not _SEX_WORDS.isdisjoint(words) else ()):
        if not claims.free(*m.span()):
            continue
        word = m.group(0)
        if word.lower() == "f" and (not _near_clinical(norm, m.start()) or _DEGREE_BEFORE.search(norm, 0, m.start())):
            continue  # "325 deg f": after a degree word "f" is Fahrenheit
        add("sex", "female" if m.group("f") else "male", m)
    numbers = []
    for m in (NUMBER.finditer(norm) if digits else ()):  # NUMBER needs a digit
        if not claims.free(*m.span()):
            continue
        value = _num(m.group(0))
        if value is None:
            continue
        numbers.append((m.start(), m.end(), value))
    # Runs of three or more plain numbers (or two with a comma) are a list: cash flows. Amounts count as
    # items too ("returns of 15k, 20k, 25k"), but only three or more of them: "300k, 50k down" is two.
    items = [(a, b, v, None) for a, b, v in numbers]
    items += [(e.start, e.end, e.value, e) for e in ents if e.kind == "money" and not e.extra.get("per")]
    items.sort(key=lambda x: x[0])
    i = 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and LIST_SEP.match(norm[items[j][1]:items[j + 1][0]]):
            j += 1
        run = items[i:j + 1]
        comma = any("," in norm[run[k][1]:run[k + 1][0]] for k in range(len(run) - 1))
        amounts = [x[3] for x in run if x[3] is not None]
        if len(run) >= 3 or (len(run) == 2 and comma and not amounts):
            a, b = run[0][0], run[-1][1]
            for e in amounts:
                ents.remove(e)
            ents.append(Entity("number_list", [v for _, _, v, _ in run], a, b, norm[a:b]))
            claims.take(a, b)
        else:
            for a, b, v, e in run:
                if e is None:
                    ents.append(Entity("number", v, a, b, norm[a:b]))
                    claims.take(a, b)
        i = j + 1


_DESCRIBED = re.compile(r"^(?:(?:my|our|their|the|a|an)\s+)?(?:company|client|firm|employer|consultant|contractor|"
                        r"employee|vendor|supplier|customer|partner|startup|business)\s+(?:(?:named|called)\s+)?(?=\S)", re.I)
_ABBREVIATED = re.compile(r"\b(?:inc|ltd|co|corp|llc|plc|l\.?p|k\.k|s\.a|n\.v|b\.v|ag)\.$", re.I)


# where two names joined by "and"/"&" divide when either name may hold one ("Wexler and Sons Ltd and Marlow
# Inc", "Salt & Pepper Catering and Juniper Events"): after a company's legal form, never before "Sons"
_JOINT = re.compile(r"\s+(and|&)\s+", re.I)
_FORM_END = re.compile(r"\b(?:inc|ltd|llc|llp|lp|corp|corporation|co|plc|gmbh|ag|sa|nv|bv|kk|pty|sons|partners|"
                       r"associates|group|company|brothers|bros|limited|incorporated)\.?$", re.I)
_NAME_TAIL = re.compile(r"^(?:sons|co|company|partners|associates|brothers|bros|daughters|son)\b", re.I)


def resplit_pair(text: str, a0: int, a1: int, b0: int, b1: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The spans of two names said as "A and B", choosing among the joints of the whole phrase the one
    that divides it best; the joint found first wins a tie (so "Acme and Bob" stays as it was)."""
    joints = list(_JOINT.finditer(text, a0, b1))
    if len(joints) < 2:
        return (a0, a1), (b0, b1)

    def score(j) -> float:
        left, right = text[a0:j.start()].strip(), text[j.end():b1].strip()
        if not left or not right:
            return -9
        return ((-1 if j.group(1) == "&" else 0) + (2 if _FORM_END.search(left) else 0)
                - (3 if _NAME_TAIL.match(right) else 0))

    first = next((j for j in joints if j.start() >= a1), joints[0])
    best = max(joints, key=lambda j: (score(j), j is first))
    if score(best) <= score(first):
        return (a0, a1), (b0, b1)
    return (a0, best.start()), (best.end(), b1)


def party_name(raw: str) -> str:
    """ "my company Brightwater Analytics LLC" -> "Brightwater Analytics LLC"; "Initech Inc." keeps its period."""
    name = raw.strip(" ,;:\"'")
    if name.endswith(".") and not _ABBREVIATED.search(name):
        name = name.rstrip(".")
    return _DESCRIBED.sub("", name)


def _near_clinical(text: str, pos: int) -> bool:
    window = text[max(0, pos - 25):pos + 25].lower()
    return bool(re.search(r"\d|sex|gender|\bage", window))


def _near_money(text: str, pos: int, lexicon=None) -> bool:
    """ "60 m" near words of money ("$", "budget", or a cue word of a money slot in the catalog) is an
    amount, not a 60-year-old man."""
    window = text[max(0, pos - 30):pos + 30].lower()
    if re.search(r"[$€£¥]|dollar|euro|money|budget|fund|cash|invest|sav", window):
        return True
    cues = lexicon.money_cues if lexicon is not None else ()
    return any(w in cues for w in re.findall(r"[a-z]+", window))
