"""Clause readers for legal.contract_summary: term, renewal, termination notice, liability cap, governing law.

Agreements state periods three ways at once ("two (2) years", "a two-year term", "24 months"), so every
period is read by one grammar (`QTY` then a unit) and normalised to digits: "thirty (30) days'" -> "30 days".
When the words and the digits in parentheses disagree ("two (3) years"), the digits win: they are what
drafters add to remove doubt. Clauses are looked for sentence by sentence, so a match never runs into the
next sentence ("... the State of Texas. Consultant shall ..." is Texas). What is not found is None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_WORD_VALUE = {w: i for i, w in enumerate(_UNITS)} | _TENS | {"a": 1, "an": 1}
_SMALL = rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS[1:10])}))?|{'|'.join(sorted(_UNITS, key=len, reverse=True))})"
NUM_WORDS = rf"(?:{_SMALL}(?:\s+hundred(?:\s+(?:and\s+)?{_SMALL})?)?)"
# "two (2)", "(2)", "2", "two", "1.5"; the unit follows
QTY = rf"(?:(?:{NUM_WORDS})\s*\(\s*\d+(?:\.\d+)?\s*\)|\(\s*\d+(?:\.\d+)?\s*\)|\d+(?:\.\d+)?|{NUM_WORDS})"
UNIT = r"(?:(?:calendar|business|working|banking)\s+)?(?:years?|months?|weeks?|days?)"


def PERIOD_(tag: str = "") -> str:
    """A period as a pattern with named groups qty<tag> and unit<tag> (several may appear in one pattern)."""
    return rf"(?P<qty{tag}>{QTY})\s*(?:-\s*)?(?P<unit{tag}>{UNIT})"


PERIOD = PERIOD_()
_ORDINALS = {w: i for i, w in enumerate("zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split())}

# sentence ends: a full stop, ; or : that does not close an abbreviation, or a blank line
_ABBREVIATIONS = ("Inc", "Ltd", "Corp", "Co", "LLC", "LLP", "PLC", "N.A", "S.A", "Jr", "Sr", "St", "No", "Mr", "Ms",
                  "Mrs", "Dr", "L.P", "P.C", "U.S", "Sec", "Secs", "Art", "e.g", "i.e", "etc", "v", "vs", "para")
_ABBREVIATION_END = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")$", re.I)


@lru_cache(maxsize=None)
def _rx(pattern: str, flags: int = re.I) -> re.Pattern:
    """Compiled once, on first use: importing the pack for another action should not pay for these."""
    return re.compile(pattern, flags)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs, whitespace collapsed inside each sentence (memoised: every clause reader
    walks the same sentences)."""
    return _sentences(text)


@lru_cache(maxsize=4)
def _sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for m in _rx(r"[.;!?](?=\s+[\"“(A-Z0-9]|\s*$)|\n\s*\n|\n(?=\s*(?:(?:\d+(?:\.\d+)*\.?|\([a-z0-9]{1,4}\))\s+[A-Z\"“]|"
                 r"[A-Z][A-Z ]{3,}$))", re.M).finditer(text):
        if m.group(0) == "." and _ABBREVIATION_END.search(text, max(0, m.start() - 8), m.start()):
            continue  # "Inc. (the Company)", "Sec. 4": not the end of a sentence
        chunk = text[pos:m.end()]
        if chunk.strip():
            out.append((pos, re.sub(r"\s+", " ", chunk).strip()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, re.sub(r"\s+", " ", text[pos:]).strip()))
    return out


MAX_SENTENCE = 2000  # longer "sentences" are run-on text (a table, a hostile paste): read their start only


def candidates(text: str, *words: str) -> list[str]:
    """The sentences (each cut to MAX_SENTENCE) that hold any of `words` (lower case): every clause reader
    looks only there, so its time grows with the sentences that matter, never with the square of a paste."""
    return [s[:MAX_SENTENCE] for _pos, s in sentences(text) if any(w in s.lower() for w in words)]


def number(qty: str) -> float | None:
    """'two (2)' -> 2, '(30)' -> 30, 'thirty-six' -> 36, 'one hundred twenty' -> 120, '1.5' -> 1.5."""
    digits = re.search(r"\d+(?:\.\d+)?", qty)
    if digits:
        return float(digits.group(0))
    total, current = 0, 0
    for word in re.findall(r"[a-z]+", qty.lower()):
        if word == "and":
            continue
        if word == "hundred":
            current = max(current, 1) * 100
        elif word in _WORD_VALUE:
            current += _WORD_VALUE[word]
        else:
            return None
    total += current
    return float(total)


def period(qty: str, unit: str) -> str | None:
    """'thirty (30)', "calendar days" -> '30 calendar days'; None when the words are not a number."""
    n = number(qty)
    if n is None:
        return None
    unit = re.sub(r"\s+", " ", unit.lower())
    qualifier, _, base = unit.rpartition(" ")
    base = base.rstrip("s")
    text = f"{n:g} {qualifier + ' ' if qualifier else ''}{base}{'' if n == 1 else 's'}"
    return text


@dataclass
class Found:
    value: str
    text: str  # the words of the contract it was read from


# ---- term -----------------------------------------------------------------------------------------------
_TERM = (
    # "The term is two (2) years", "The lease term is 12 months", "The Term of this Lease shall be twelve (12) months"
    rf"\b(?:initial\s+|lease\s+|original\s+|primary\s+)?term\b(?:\s+of\s+(?:this|the)\s+[\w-]+)?(?:\s*\([^)]{{0,30}}\))?\s+"
    rf"(?:is|shall\s+be|will\s+be|is\s+for|shall\s+be\s+for|will\s+last|shall\s+last|shall\s+run)\s+(?:for\s+)?(?:a\s+period\s+of\s+)?"
    rf"(?:an?\s+)?{PERIOD}",
    # "for an initial term of three (3) years", "a term of 5 years"
    rf"(?<!renewal\s)(?<!additional\s)(?<!extension\s)(?<!successive\s)(?<!further\s)(?<!notice\s)"
    rf"\b(?:initial\s+|original\s+|primary\s+|fixed\s+)?(?:term|period)\s+of\s+(?:this\s+\w+\s+)?{PERIOD}",
    # "This Agreement will begin on the Effective Date and will continue for six (6) months", "will last for fifteen years"
    rf"\b(?:agreement|lease|contract|licen[cs]e|engagement|arrangement)\s+(?:shall|will)\s+(?:(?:begin|commence|start|take\s+effect)"
    rf"[^.;]{{0,100}}?\s+(?:and\s+)?(?:shall\s+|will\s+)?)?(?:continue|last|run|remain\s+in\s+(?:full\s+force\s+and\s+)?effect)"
    rf"\s+for\s+(?:a\s+(?:period|term)\s+of\s+)?{PERIOD}",
    # "The term ... shall commence on the Effective Date and continue for a period of three (3) years"
    rf"\bterm\b[^.;]{{0,160}}?\b(?:continu\w*|remain\w*\s+in\s+(?:full\s+force\s+and\s+)?effect|last\w*|run\w*|expir\w*|end\w*)"
    rf"\s+(?:for\s+|after\s+|upon\s+the\s+expiration\s+of\s+)(?:a\s+(?:period|term)\s+of\s+)?{PERIOD}",
    # "a two-year term", "a 12-month initial term"
    rf"\b{PERIOD}\s+(?:initial\s+|fixed\s+)?(?:term|lease|tenancy)\b",
    # "shall continue in effect for 5 years", "will remain in force for two (2) years"
    rf"\b(?:continue|remain)\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+for\s+(?:a\s+period\s+of\s+)?{PERIOD}",
    # NDAs: "the obligations hereunder shall survive for three (3) years"
    rf"\bobligations\s+(?:hereunder\s+|under\s+this\s+\w+\s+)?(?:shall\s+|will\s+)?(?:continue|survive|remain\s+in\s+effect)\s+"
    rf"for\s+(?:a\s+period\s+of\s+)?{PERIOD}",
)
_ANNIVERSARY = (r"\b(?:term\b|expire|terminate|end)[^.;]{0,120}?\b(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|"
                r"ninth|tenth)\s+anniversary\s+of\s+the\s+(?:Effective|Commencement|Start)\s+Date")
_TERM_UNTIL = r"\bterm\b[^.;]{0,160}?\b(?:until|through|ending\s+on|expir\w*\s+on|end\s+on|terminat\w*\s+on)\s+(?P<date>{date})"


def find_term(text: str, date_pattern: str) -> Found | None:
    pool = candidates(text, "term", "continu", "remain", "last", "obligation", "anniversary", "tenancy", "lease")
    for pattern in _TERM:  # patterns in order of how surely they state the term, then sentence order
        for s in pool:
            m = _rx(pattern).search(s)
            if m and (value := period_of(m)):
                return Found(_plain_unit(value), _words(m.group("qty") + " " + m.group("unit")))
    for s in pool:
        m = _rx(_ANNIVERSARY).search(s)
        if m:
            n = _ORDINALS[m.group("ord").lower()]
            return Found(f"{n} year{'s' if n != 1 else ''}", _words(m.group(0)))
    for s in pool:
        m = _rx(_TERM_UNTIL.replace("{date}", date_pattern)).search(s)
        if m:
            return Found(f"until {_words(m.group('date'))}", _words(m.group(0)))
    return None


def _plain_unit(value: str) -> str:
    """A term is stated in calendar time: '12 calendar months' -> '12 months'."""
    return re.sub(r"\b(?:calendar|business|working|banking)\s+", "", value)


# ---- renewal ---------------------------------------------------------------------------------------------
_RENEW = r"\b(?:renew\w*|extend\w*|extension|roll\s*over)\b"
_RENEW_PERIOD = (rf"\bfor\s+(?:an?\s+|one\s+|1\s+)?(?:(?:additional|successive|further|consecutive|subsequent|like|renewal|similar)\s+)*"
                 rf"(?:(?:period|term)s?\s+of\s+)?{PERIOD_('a')}"
                 rf"|\b(?:additional|successive|further|consecutive|subsequent|renewal)\s+{PERIOD_('b')}"
                 rf"|\b{PERIOD_('c')}\s+(?:renewal\s+)?(?:terms?|periods?)\b"
                 rf"|\b(?:terms?|periods?)\s+of\s+{PERIOD_('d')}")
_MONTH_TO_MONTH = r"\bmonth[- ]to[- ]month\b|\byear[- ]to[- ]year\b"
_NON_RENEWAL = (rf"(?:non-?renewal|not\s+to\s+renew|intention\s+not\s+to|terminate)[^.;]{{0,120}}?"
                rf"(?:at\s+least|not\s+less\s+than|no\s+(?:less|later)\s+than|a\s+minimum\s+of)?\s*{PERIOD_('a')}"
                rf"|{PERIOD_('b')}['’]?s?\s+(?:(?:prior|advance|written)\s+)*notice\s+of\s+(?:non-?renewal|its\s+intention)")


def find_renewal(text: str) -> Found | None:
    for s in candidates(text, "renew", "extend", "extension", "roll", "month-to-month", "month to month",
                        "year-to-year", "year to year"):
        low = s.lower()
        month_to_month = _rx(_MONTH_TO_MONTH).search(s)
        if not (_rx(_RENEW).search(s) or month_to_month):
            continue
        automatic = bool(re.search(r"\bautomatic\w*|\bauto-renew|\bshall\s+(?:be\s+)?(?:renewed|extended)|"
                                   r"\bshall\s+renew|\bwill\s+renew|\brenews\b|\bunless\b", low))
        if month_to_month and not _rx(_RENEW).search(s):
            return Found(f"continues {month_to_month.group(0).lower().replace(' ', '-')}", _clip(s))
        renew_at = _rx(_RENEW).search(s)
        m = _rx(_RENEW_PERIOD).search(s, renew_at.start() if renew_at else 0)  # the renewal's period, not the term's
        if not m:
            if re.search(r"\bmutual\w*\s+(?:written\s+)?(?:agreement|consent)|\bmutually\s+agree", low):
                return Found("only by mutual agreement", _clip(s))
            continue
        value = period_of(m)
        if value is None:
            continue
        value = _plain_unit(value)
        successive = bool(re.search(r"\b(?:successive|consecutive|subsequent)\b", low))
        count = re.search(rf"\bup\s+to\s+(?P<n>{NUM_WORDS}|\d+)(?:\s*\(\d+\))?\s+(?:additional\s+|successive\s+|further\s+)*"
                          r"(?:renewal\s+)?(?:terms|periods|times)", low)
        option = re.search(r"\boption\s+to\s+(?:renew|extend)|\bmay\s+(?:renew|extend|elect\s+to)", low)
        if automatic and not option:
            how = f"renews automatically for {'successive ' if successive else ''}terms of {value}"
        elif option:
            how = f"option to renew for {value}"
        else:
            how = f"renewable for {value}"
        if count and number(count.group("n")):
            how += f" (up to {number(count.group('n')):g})"
        notice = _rx(_NON_RENEWAL).search(s)
        if notice and automatic and (p := period_of(notice)):
            how += f", unless notice of non-renewal is given {p} before it ends"
        return Found(how, _clip(s))
    return None


def period_of(m: re.Match) -> str | None:
    """The normalised period of whichever PERIOD_ alternative matched."""
    found = {k: v for k, v in m.groupdict().items() if v}
    for key, qty in found.items():
        if key.startswith("qty"):
            unit = found.get("unit" + key[3:])
            if unit:
                return period(qty, unit)
    return None


# ---- termination notice ------------------------------------------------------------------------------------
_NOTICE = (rf"{PERIOD_('a')}['’]?\s*(?:s\s+)?(?:(?:prior|advance|written|previous)\s+)*(?:notice|notification)"
           rf"|(?:notice|notification)\s+(?:in\s+writing\s+)?(?:to\s+the\s+other\s+part(?:y|ies)\s+)?"
           rf"(?:of\s+)?(?:at\s+least|not\s+less\s+than|no\s+less\s+than|a\s+minimum\s+of|of)\s+{PERIOD_('b')}")


def find_termination_notice(text: str) -> Found | None:
    """The notice a party must give to end the agreement (for convenience first; a cure period is not one)."""
    found: list[tuple[int, Found]] = []
    for s in candidates(text, "terminat", "cancel", "end this", "end the"):
        low = s.lower()
        if not re.search(r"\bterminat\w*|\bcancel\w*|\bend\s+(?:this|the)\s+(?:agreement|lease)", low):
            continue
        for m in _rx(_NOTICE).finditer(s):
            p = period_of(m)
            if not p:
                continue
            # a non-renewal notice or a cure period ranks after a plain notice of termination
            rank = (2 if re.search(r"renew", low) else 0) + (1 if re.search(r"\bcure|\bbreach", low) else 0)
            found.append((rank, Found(p, _words(m.group(0)))))
            break
    if not found:
        return None
    return min(found, key=lambda c: c[0])[1]


# ---- liability cap ---------------------------------------------------------------------------------------
_CAP = (r"\b(?:shall|will|may)\s+not\s+(?:in\s+the\s+aggregate\s+)?exceed|\bexceed(?:s|ing)?\b|"
        r"(?<!not\s)(?<!\bnot\s\s)\blimited\s+to\b|\bcapped\s+at\b|\bnot\s+(?:be\s+)?(?:more|greater)\s+than\b|"
        r"\bmaximum\s+(?:aggregate\s+)?liability\b[^.;]{0,60}?\bis\b|\bcap\b[^.;]{0,30}?\bof\b|\bliability\s+cap\s*(?:is|:|of)\b")
_CAP_END = r",?\s+(?:whether\s+(?:in|arising|based)|regardless\s+of|except\s+(?:for|that|with)|provided\s+that|"
_CAP_END += r"and\s+(?:in\s+no\s+event|neither)|save\s+for|other\s+than\s+for)\b.*$"


def find_liability_cap(text: str) -> Found | None:
    for s in candidates(text, "liabilit", "liable"):
        low = s.lower()
        if re.search(r"\bunlimited\s+liability\b", low):
            continue
        for m in _rx(_CAP).finditer(s):
            before = low[max(0, m.start() - 12):m.start()]
            if re.search(r"\bnot\s*$|\bbut\s*$|including\s*,?\s*$", before):  # "including but not limited to"
                continue
            if "liabilit" not in low[:m.end()] and "liable" not in low[:m.end()]:
                continue
            rest = s[m.end():m.end() + 400].strip(" ,:")
            rest = re.sub(_CAP_END, "", rest, flags=re.I | re.S).strip(" ,.;")
            rest = re.sub(r"^(?:in\s+the\s+aggregate\s+|,\s*)|\s+in\s+the\s+aggregate$", "", rest, flags=re.I).strip(" ,")
            if len(rest) < 3 or not re.search(r"\d|fees|amount|paid|payable|price|charges|value|insurance", rest, re.I):
                continue
            return Found(_clip(rest, 200), _clip(s))
    return None


# ---- governing law ---------------------------------------------------------------------------------------
_LAW_LEAD = (
    r"\bgoverned\s+(?:by|under)(?:\s*,?\s*and\s+(?:shall\s+be\s+)?(?:construed|interpreted|enforced)"
    r"(?:\s*(?:,|and)\s*(?:construed|interpreted|enforced))*\s+(?:in\s+accordance\s+with|under|pursuant\s+to)\s*,?)?",
    r"\b(?:construed|interpreted|enforced)(?:\s*(?:,|and)\s*(?:construed|interpreted|enforced|governed))*\s+"
    r"(?:in\s+accordance\s+with|under|pursuant\s+to|by)",
    r"\bsubject\s+to",
    r"\bapplicable\s+law\s+(?:is|shall\s+be)",
    r"\bGoverning\s+Law\s*[:.\-–—]",
)
_LAW_OF = (r"\s+(?:the\s+)?(?:internal\s+|substantive\s+|domestic\s+)?(?:laws?|law)\s+(?:in\s+force\s+in\s+|of\s+|"
           r"prevailing\s+in\s+)")
_SOVEREIGN = r"(?:the\s+)?(?:(?:State|Commonwealth|Province|Republic|Kingdom|Federal\s+Republic|Territory|Emirate)\s+of\s+)?"


def find_governing_law(text: str) -> Found | None:
    pool = candidates(text, "law")
    for lead in _LAW_LEAD:
        for s in pool:
            found = _law_in(s, lead)
            if found:
                return found
    # "The laws of the State of Ohio shall govern this Agreement"
    for s in pool:
        m = _rx(r"\blaws?\s+of\s+" + _SOVEREIGN + r"(?P<rest>.{0,80}?)\s+(?:shall|will)\s+govern").search(s)
        if m and (name := jurisdiction_at(m.group("rest"))):
            return Found(name, _words(m.group(0)))
    return None


def _law_in(text: str, lead: str) -> Found | None:
    """The jurisdiction after one lead phrase ("governed by the laws of") in one sentence."""
    for m in _rx(lead + r"(?:" + _LAW_OF + r")?").finditer(text):
        # "governed by Delaware law" / "by English law": an adjective or name before "law"
        tail = text[m.end():m.end() + 200]
        if not re.match(_LAW_OF, " " + tail.lstrip(), re.I) and "law" not in m.group(0).lower():
            m2 = re.match(r"\s*(?:the\s+)?([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)\s+law\b", tail)
            if m2:
                name = jurisdiction(m2.group(1)) or _ADJECTIVES.get(m2.group(1))
                if name:
                    return Found(name, _words(m.group(0) + tail[:m2.end()]))
            if "Governing" not in m.group(0):
                continue
        start = re.match(r"\s*" + _SOVEREIGN, tail, re.I)
        name = jurisdiction_at(tail[start.end():])
        if name:
            return Found(name, _words(m.group(0) + tail[:start.end()] + name))
    return None


_ADJECTIVES = {"English": "England and Wales", "Scottish": "Scotland", "Irish": "Ireland", "German": "Germany",
               "French": "France", "Swiss": "Switzerland", "Dutch": "the Netherlands", "Indian": "India",
               "Japanese": "Japan", "Singaporean": "Singapore", "Australian": "Australia", "Canadian": "Canada",
               "Italian": "Italy", "Spanish": "Spain", "Swedish": "Sweden", "Belgian": "Belgium",
               "Austrian": "Austria", "Luxembourg": "Luxembourg", "Israeli": "Israel", "Chinese": "China"}
_EXTRA_PLACES = ("England and Wales", "England", "Wales", "Scotland", "Northern Ireland", "the Netherlands",
                 "Hong Kong", "District of Columbia", "Dubai International Financial Centre", "the United States")


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Lower-case name -> how we report it: US states and territories, Canadian provinces, Australian states
    (the holidays package's subdivision tables) and the world's countries (babel's CLDR names)."""
    import holidays
    from babel import Locale

    out: dict[str, str] = {}
    for country in (holidays.US, holidays.CA, holidays.AU):
        for name in country.subdivisions_aliases:
            if name.isascii() and " " not in name.strip() or name.isascii():
                out.setdefault(name.lower(), name.replace(", U.S.", ""))
    for code, name in Locale("en").territories.items():
        if code.isalpha() and len(code) == 2:
            out.setdefault(name.lower(), name)
    for name in _EXTRA_PLACES:
        out[name.lower()] = name
    out["united kingdom"] = "United Kingdom"
    out["england & wales"] = "England and Wales"
    out["new york state"] = "New York"
    return out


def jurisdiction(name: str) -> str | None:
    return _places().get(re.sub(r"\s+", " ", name).strip().lower())


def jurisdiction_at(tail: str) -> str | None:
    """The jurisdiction named at the start of `tail`: the longest known place, else capitalised words
    that stop at the end of the sentence (never the next sentence's first word)."""
    words = re.match(r"\s*((?:[A-Z][\w'’&-]*|of|and|the|&)(?:\s+(?:[A-Z][\w'’&-]*|of|and|the|&)){0,6})", tail)
    if not words:
        return None
    parts = words.group(1).split()
    places = _places()
    for n in range(len(parts), 0, -1):
        candidate = " ".join(parts[:n])
        if candidate.lower() in places:
            return places[candidate.lower()]
    kept = []
    for p in parts:
        if not p[0].isupper():
            break
        kept.append(p)
    return " ".join(kept[:3]) or None


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clip(text: str, limit: int = 300) -> str:
    text = _words(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
