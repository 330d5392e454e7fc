"""Is a value the model returned actually in the words? A slot it invented is treated as missing.

Numbers must match a number in the text, directly or through a unit the person used (300k, 2 million,
18 months -> 1.5 years, 150 lb -> kg, 5 ft 10 in -> cm, 0.065 for 6.5%). Words must appear in the text,
or be the canonical value of something that does (woman -> female, euros -> EUR).
"""
from __future__ import annotations

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
}
# factors between what people say and the catalog's units (months->years, lb->kg, in->cm, m->cm, %)
_FACTORS = (1, 1e3, 1e6, 1e9, 1 / 12, 12, 1 / 52, 52, 7, 1 / 7, 365, 1 / 365, 0.45359237, 2.54, 30.48, 100,
            0.01, 1e-3)
_CUES = {
    "female": ("female", "woman", "women", "girl", "lady", "she", "her", "f"),
    "male": ("male", "man", "men", "boy", "gentleman", "he", "him", "his", "m"),
    "EUR": ("eur", "euro", "euros", "€"), "USD": ("usd", "dollar", "dollars", "$", "bucks"),
    "GBP": ("gbp", "pound", "pounds", "sterling", "£", "quid"), "JPY": ("jpy", "yen", "¥"),
    "CHF": ("chf", "franc", "francs"), "CAD": ("cad", "canadian"), "AUD": ("aud", "australian"),
    "INR": ("inr", "rupee", "rupees", "₹"), "CNY": ("cny", "yuan", "renminbi", "rmb"),
    "court": ("court", "business", "working"), "calendar": ("calendar",),
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


def number_supported(value: float, found: list[float]) -> bool:
    if isinstance(value, bool):
        return False
    for n in found:
        if _close(value, n, exact=True):
            return True
        for f in _FACTORS[1:]:
            if n and _close(value, n * f, exact=False):
                return True
        # money in words with thousands the model did not scale: "6.5 percent" -> 6.5 already above
    return False


def _tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[\w$€£¥₹'-]+", text.lower()) if t}


def text_supported(value: str, text: str) -> bool:
    low_text = text.lower()
    value_low = value.strip().lower()
    if not value_low:
        return False
    if value_low in low_text:
        return True
    cues = _CUES.get(value.strip()) or _CUES.get(value.strip().upper())
    tokens = _tokens(text)
    if cues and any((c in tokens) if c.isalnum() else (c in low_text) for c in cues):
        return True
    words = [w for w in re.findall(r"\w+", value_low) if len(w) > 1]
    if not words:
        return False
    hits = sum(1 for w in words if w in tokens or w in low_text)
    return hits / len(words) >= 0.6


def supported(slot, value: Any, text: str) -> bool:
    """Whether `value` for `slot` (a SlotSpec) is backed by the words of `text`."""
    if value is None:
        return False
    if slot is not None and not slot.required and slot.default is not None and _same(value, slot.default):
        return True  # the default: harmless, it is what an empty slot means anyway
    if isinstance(value, bool):
        return text_supported(str(value), text) or (slot is not None and slot.name.split("_")[0] in text.lower())
    if isinstance(value, (int, float)):
        return number_supported(float(value), numbers(text))
    if isinstance(value, (list, tuple)):
        return bool(value) and all(supported(None, v, text) for v in value)
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
