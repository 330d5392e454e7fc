"""Currency names, symbols and ISO 4217 codes (the ECB reference set the finance pack converts between).

A small table of our own: babel knows every currency but costs ~36 MB of locale data and import time,
and people say "bucks", "quid" and "aussie dollars", which no locale lists.
"""
from __future__ import annotations

import re

NAMES: dict[str, str] = {
    "us dollars": "USD", "us dollar": "USD", "american dollars": "USD", "dollars": "USD", "dollar": "USD",
    "bucks": "USD", "usd": "USD",
    "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "british pounds": "GBP", "british pound": "GBP", "pounds sterling": "GBP", "pound sterling": "GBP",
    "sterling": "GBP", "quid": "GBP", "gbp": "GBP",
    "japanese yen": "JPY", "yen": "JPY", "jpy": "JPY",
    "swiss francs": "CHF", "swiss franc": "CHF", "francs": "CHF", "franc": "CHF", "chf": "CHF",
    "canadian dollars": "CAD", "canadian dollar": "CAD", "cad": "CAD",
    "australian dollars": "AUD", "australian dollar": "AUD", "aussie dollars": "AUD", "aud": "AUD",
    "new zealand dollars": "NZD", "new zealand dollar": "NZD", "nzd": "NZD",
    "chinese yuan": "CNY", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY",
    "indian rupees": "INR", "indian rupee": "INR", "rupees": "INR", "rupee": "INR", "inr": "INR",
    "swedish kronor": "SEK", "swedish krona": "SEK", "sek": "SEK",
    "norwegian kroner": "NOK", "norwegian krone": "NOK", "nok": "NOK",
    "danish kroner": "DKK", "danish krone": "DKK", "dkk": "DKK",
    "mexican pesos": "MXN", "mexican peso": "MXN", "pesos": "MXN", "peso": "MXN", "mxn": "MXN",
    "brazilian reais": "BRL", "brazilian real": "BRL", "reais": "BRL", "brl": "BRL",
    "south african rand": "ZAR", "rand": "ZAR", "zar": "ZAR",
    "korean won": "KRW", "south korean won": "KRW", "krw": "KRW",
    "hong kong dollars": "HKD", "hong kong dollar": "HKD", "hkd": "HKD",
    "singapore dollars": "SGD", "singapore dollar": "SGD", "sgd": "SGD",
    "polish zloty": "PLN", "zloty": "PLN", "zlotys": "PLN", "pln": "PLN",
    "czech koruna": "CZK", "czech crowns": "CZK", "koruna": "CZK", "czk": "CZK",
    "hungarian forint": "HUF", "forint": "HUF", "huf": "HUF",
    "turkish lira": "TRY", "lira": "TRY",
    "israeli shekels": "ILS", "shekels": "ILS", "shekel": "ILS", "ils": "ILS",
    "thai baht": "THB", "baht": "THB", "thb": "THB",
    "indonesian rupiah": "IDR", "rupiah": "IDR", "idr": "IDR",
    "malaysian ringgit": "MYR", "ringgit": "MYR", "myr": "MYR",
    "philippine pesos": "PHP", "philippine peso": "PHP",
    "romanian lei": "RON", "romanian leu": "RON", "ron": "RON",
    "bulgarian lev": "BGN", "bgn": "BGN",
    "icelandic krona": "ISK", "isk": "ISK",
    # "pounds" alone is also a weight: the tagger keeps both readings and the slot filler chooses.
    "pounds": "GBP", "pound": "GBP",
}
# Uppercase codes that are also English words only count when written in capitals.
CAPS_ONLY = {"TRY", "PHP", "WON"}
SYMBOLS = {"us$": "USD", "c$": "CAD", "a$": "AUD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "$": "USD",
           "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₺": "TRY", "r$": "BRL"}
CODES = set(NAMES.values())

SYMBOL_RE = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_WORD = re.compile(r"[A-Za-z]+")
_FIRST = {n.split()[0] for n in NAMES} | {c.lower() for c in CODES} | {"won"}


def find(text: str, words: set[str] | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, words, ISO code) of every currency named in `text`, longest phrase first
    ("canadian dollars" is CAD, not USD). A word scan with dictionary look-ups: a regex alternation
    of every name costs ~15 ms to compile at each start-up. `words`: the lowercased text's [a-z]+
    words, when the caller has them."""
    if _FIRST.isdisjoint(words if words is not None else _WORD.findall(text.lower())):
        return []
    words = list(_WORD.finditer(text))
    out, i = [], 0
    while i < len(words):
        if words[i].group(0).lower() not in _FIRST:
            i += 1
            continue
        for k in (3, 2, 1):
            if i + k > len(words):
                continue
            a, b = words[i].start(), words[i + k - 1].end()
            phrase = text[a:b]
            if k > 1 and not re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)*", phrase):
                continue
            code = code_of(phrase)
            if code and (phrase.upper() not in CAPS_ONLY or phrase.isupper()):
                out.append((a, b, phrase, code))
                i += k
                break
        else:
            i += 1
    return out


def code_of(word: str) -> str | None:
    """ISO code for a currency word, code or symbol, or None."""
    w = word.strip()
    if w.upper() in CAPS_ONLY and w.isupper():
        return "KRW" if w.upper() == "WON" else w.upper()
    low = w.lower()
    return NAMES.get(low) or SYMBOLS.get(low) or (w.upper() if w.upper() in CODES and w.upper() not in CAPS_ONLY else None)
