"""Is a value the model returned actually in the words? A slot it invented is treated as missing.

Numbers must match a number in the text, directly or through a unit the person used (300k, 2 million,
18 months -> 1.5 years, 150 lb -> kg, 5 ft 10 in -> cm, 0.065 for 6.5%). Words must appear in the text,
or be the canonical value of something that does (woman -> female, euros -> EUR).
"""
from __future__ import annotations

import dataclasses

import math
import re
from datetime import date
from typing import Any

_NUM = re.compile(r"(?<![\w.])[-+]?\$?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?")
_SCALE = re.compile(r"\s*(k|m|mm|bn|b|thousand|grand|million|billion)\b", re.I)
_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12,
    "half": 0.5, "a year": 1, "a month": 1, "a week": 7, "a day": 1, "a decade": 10, "a century": 100,
    # how often: compounding and payment frequencies said as adverbs
    "daily": 365, "weekly": 52, "biweekly": 26, "fortnightly": 26, "monthly": 12, "quarterly": 4,
    "semiannually": 2, "semi-annually": 2, "twice a year": 2, "annually": 1, "yearly": 1, "continuously": 365,
}
# factors between what people say and the catalog's units (months->years, lb->kg, in->cm, m->cm, %)
# Factors between what people say and the catalog's unit, per slot kind: a factor is only tried where
# that conversion makes sense, so coincidences (1000 lb = 454 kg) cannot pass as support elsewhere.
_SCALES = (1e3, 1e6, 1e9)
_KIND_FACTORS = {
    "money": _SCALES,
    "percent": (100, 0.01),
    "years": (1 / 12, 1 / 52, 1 / 365),
    "weight": (0.45359237, 1e-3),  # lb, g -> kg
    "height": (2.54, 30.48, 100),  # in, ft, m -> cm
    "creatinine": (1 / 88.4,),  # umol/L -> mg/dL
    "days": (7,),  # weeks -> days
}
_UNIT_KIND = {"kg": "weight", "cm": "height", "mg/dL": "creatinine"}
_CUES = {
    "female": ("female", "woman", "women", "girl", "lady", "she", "her", "f"),
    "male": ("male", "man", "men", "boy", "gentleman", "he", "him", "his", "m"),
    "EUR": ("eur", "euro", "euros", "€"), "USD": ("usd", "dollar", "dollars", "$", "bucks"),
    "GBP": ("gbp", "pound", "pounds", "sterling", "£", "quid"), "JPY": ("jpy", "yen", "¥"),
    "CHF": ("chf", "franc", "francs"), "CAD": ("cad", "canadian"), "AUD": ("aud", "australian"),
    "INR": ("inr", "rupee", "rupees", "₹"), "CNY": ("cny", "yuan", "renminbi", "rmb"),
    "court": ("court", "business", "working"), "calendar": ("calendar",),
    "glucose": ("glucose", "sugar", "bg"), "mmol/L": ("mmol", "millimole", "millimoles", "millimolar"),
    "mg/dL": ("mg/dl", "mg per dl", "mg per deciliter", "milligrams per deciliter", "mgdl"),
    "umol/L": ("umol", "µmol", "micromol", "micromole", "micromoles"),
    "True": ("yes", "true", "mutual", "both", "two-way", "bilateral"),
    "False": ("no", "false", "one-way", "unilateral", "one-sided", "non-mutual"),
}
_RELATIVE_DATE = re.compile(r"\b(today|tomorrow|yesterday|now|monday|tuesday|wednesday|thursday|friday|saturday|"
                            r"sunday|week|month|year|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


def numbers(text: str) -> list[float]:
    """Every number written in the text, with its scale (300k -> 300000) and as written (300); spoken
    numbers too ("three hundred thousand", "six and a half"), through the local resolver's grammar."""
    spoken = _spoken(text)
    found: list[float] = _numbers(spoken) if spoken != text else []
    return found + _numbers(text)


def _spoken(text: str) -> str:
    try:
        from intents.resolver.numbers import words_to_digits

        return words_to_digits(text)
    except Exception:  # the grammar is an aid; without it digits still count
        return text


def _numbers(text: str) -> list[float]:
    found: list[float] = []
    for m in _NUM.finditer(text):
        whole, frac = m.group(1), m.group(2)
        if not whole and not frac:
            continue
        value = float((whole or "0").replace(",", "") + (frac or ""))
        found.append(value)
        scale = _SCALE.match(text, m.end())
        if scale:
            factor = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
                      "billion": 1e9}[scale.group(1).lower()]
            found.append(value * factor)
    lowered = text.lower()
    for word, value in _WORDS.items():
        if re.search(rf"\b{re.escape(word)}\b", lowered):
            found.append(float(value))
    # 5 ft 10 in, 5'10": a height said in two parts
    for m in re.finditer(r"(\d+)\s*(?:ft|feet|foot|')\s*(\d+(?:\.\d+)?)\s*(?:in|inches|\"|'')?", text, re.I):
        found.append(float(m.group(1)) * 30.48 + float(m.group(2)) * 2.54)
    # 1 year 6 months
    for m in re.finditer(r"(\d+)\s*years?\s*(?:and\s*)?(\d+)\s*months?", text, re.I):
        found.append(float(m.group(1)) + float(m.group(2)) / 12)
    return found


def _close(a: float, b: float, exact: bool) -> bool:
    if exact:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return math.isclose(a, b, rel_tol=0.01, abs_tol=0.005)


def number_supported(value: float, found: list[float], kind: str | None = None) -> bool:
    if isinstance(value, bool):
        return False
    value = abs(value)  # the sign is often said in words ("minus", "an outflow of")
    factors = (1.0, *_KIND_FACTORS.get(kind or "", _SCALES))
    for n in found:
        if _close(value, n, exact=True):
            return True
        for f in factors:
            if n and _close(value, n * f, exact=False):
                return True
    return False


def _tokens(text: str) -> set[str]:
    low = text.lower()
    return {t for t in re.findall(r"[\w$€£¥₹'-]+", low) if t} | set(re.findall(r"[a-z]+|\d+", low))


def text_supported(value: str, text: str) -> bool:
    low_text = text.lower()
    value_low = value.strip().lower()
    if not value_low:
        return False
    if value_low in low_text:
        return True
    cues = list(_CUES.get(value.strip(), ()) or _CUES.get(value.strip().upper(), ())) + _named(value.strip())
    tokens = _tokens(text)
    if cues and any((c in tokens) if c.isalnum() else (c in low_text) for c in cues):
        return True
    words = [w for w in re.findall(r"\w+", value_low) if len(w) > 1]
    if not words:
        return False
    hits = sum(1 for w in words if w in tokens or w in low_text or _typo_of(w, tokens))
    return hits / len(words) >= 0.6


def _typo_of(word: str, tokens: set[str]) -> bool:
    """"fredericia" for fridericia, "glucse" for glucose: a close spelling of a word of 5+ letters."""
    if len(word) < 5:
        return False
    from difflib import SequenceMatcher

    return any(abs(len(t) - len(word)) <= 2 and SequenceMatcher(None, word, t).ratio() >= 0.8 for t in tokens)


def _named(value: str) -> list[str]:
    """Words people use for a code: a currency's English name (SEK -> swedish, krona), a US state's name."""
    out: list[str] = []
    if re.fullmatch(r"[A-Z]{3}", value):
        try:
            from babel.numbers import get_currency_name

            name = get_currency_name(value, locale="en").lower()
        except Exception:
            name = ""
        if name and name != value.lower():
            out.append(name)
            out += [w for w in re.findall(r"[a-z]+", name) if w not in ("dollar", "dollars", "us", "new")]
            out += [w + "s" for w in re.findall(r"[a-z]+", name) if w not in ("dollar", "us", "new")]
    m = re.fullmatch(r"US-([A-Z]{2})", value)
    if m and m.group(1) in _US_STATES:
        out += [_US_STATES[m.group(1)], m.group(1).lower()]
    return out


_US_STATES = {
    code: name.replace("_", " ") for code, name in (pair.split(":") for pair in (
        "AL:alabama AK:alaska AZ:arizona AR:arkansas CA:california CO:colorado CT:connecticut DE:delaware "
        "FL:florida GA:georgia HI:hawaii ID:idaho IL:illinois IN:indiana IA:iowa KS:kansas KY:kentucky "
        "LA:louisiana ME:maine MD:maryland MA:massachusetts MI:michigan MN:minnesota MS:mississippi "
        "MO:missouri MT:montana NE:nebraska NV:nevada NH:new_hampshire NJ:new_jersey NM:new_mexico "
        "NY:new_york NC:north_carolina ND:north_dakota OH:ohio OK:oklahoma OR:oregon PA:pennsylvania "
        "RI:rhode_island SC:south_carolina SD:south_dakota TN:tennessee TX:texas UT:utah VT:vermont "
        "VA:virginia WA:washington WV:west_virginia WI:wisconsin WY:wyoming DC:district_of_columbia"
    ).split())
}


def supported(slot, value: Any, text: str) -> bool:
    """Whether `value` for `slot` (a SlotSpec) is backed by the words of `text`."""
    if value is None:
        return False
    if slot is not None and not slot.required and slot.default is not None and _same(value, slot.default):
        return True  # the default: harmless, it is what an empty slot means anyway
    if isinstance(value, bool):
        return text_supported(str(value), text) or (slot is not None and slot.name.split("_")[0] in text.lower())
    if isinstance(value, (int, float)):
        kind = None if slot is None else (slot.kind if slot.kind in _KIND_FACTORS else _UNIT_KIND.get(slot.unit or ""))
        return number_supported(float(value), numbers(text), kind)
    if isinstance(value, (list, tuple)):
        element = None if slot is None else dataclasses.replace(slot, required=True, default=None)
        return bool(value) and all(supported(element, v, text) for v in value)
    if isinstance(value, date):
        return _date_supported(value, text)
    if hasattr(value, "value"):  # an Enum member
        return text_supported(str(value.value), text)
    return text_supported(str(value), text)


def _date_supported(value: date, text: str) -> bool:
    if value.isoformat() in text:
        return True
    nums = {int(n) for n in numbers(text) if float(n).is_integer()}
    if value.day in nums and (value.month in nums or value.strftime("%b").lower() in text.lower()):
        return True
    return bool(_RELATIVE_DATE.search(text))


def _same(a: Any, b: Any) -> bool:
    if hasattr(a, "value"):
        a = a.value
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b))
    return a == b or str(a) == str(b)
