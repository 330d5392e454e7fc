"""The read-only "last run" reader behind `-c` (intents/history_last.py): what it continues, and that a
history it cannot use (missing, damaged, not ours, a link, a FIFO, a row edited by hand) is "no last run",
read without writing anything and without a traceback."""
from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from intents import history, history_last
from intents.history import History

LOAN = "monthly payment on a 300k loan at 6.5% over 30 years"


def _record(home, **kw):
    row = dict(action="finance.loan_payment", params={"principal": 300000.0, "rate_pct": 6.5, "years": 30.0},
               status="ok", exit_code=0, text=LOAN, result={"monthly_payment": 1896.2})
    row.update(kw)
    return History(home).record(**row)


def test_it_names_the_file_history_writes():
    assert history_last.FILENAME == history.FILENAME


def test_the_newest_run_that_ran_or_lacked_values(home):
    first = _record(home)
    _record(home, action=None, params={}, status="no_match", exit_code=3, text="blah")
    _record(home, action="finance.irr", status="failed", exit_code=6)
    assert history_last.last_run(home) == {
        "id": first, "text": LOAN, "action": "finance.loan_payment",
        "params": {"principal": 300000.0, "rate_pct": 6.5, "years": 30.0}, "result": {"monthly_payment": 1896.2}}
    lacking = _record(home, params={"principal": 1.0}, status="missing_parameters", exit_code=4, result=None)
    got = history_last.last_run(home)
    assert got["id"] == lacking and got["result"] is None
    assert History(home).last_run() == got  # one implementation: History.last_run is this reader


def test_no_history_is_no_last_run(home):
    assert history_last.last_run(home) is None
    assert history_last.last_run(home / "not-made-yet") is None
    assert not (home / "history.db").exists()  # and reading made no file


def test_reading_writes_nothing_and_makes_no_schema(home):
    (home / "history.db").write_bytes(b"")  # an empty file is an empty SQLite database
    assert history_last.last_run(home) is None
    assert (home / "history.db").read_bytes() == b""  # no table created, no journal mode set
    _record(home)
    before = (home / "history.db").read_bytes()
    wal = home / "history.db-wal"
    wal_before = wal.read_bytes() if wal.exists() else b""
    assert history_last.last_run(home)["action"] == "finance.loan_payment"
    assert (home / "history.db").read_bytes() == before
    # (a WAL reader may make an empty -wal and the -shm index when they are missing: nothing is logged)
    assert (wal.read_bytes() if wal.exists() else b"") == wal_before


@pytest.mark.parametrize("content", [b"not a database, " * 200, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_damaged_file_is_no_last_run_and_is_left_as_found(home, content):
    (home / "history.db").write_bytes(content)
    assert history_last.last_run(home) is None
    assert (home / "history.db").read_bytes() == content  # `intent run` moves it aside, not this


def test_a_table_this_terminal_did_not_write(home):
    conn = sqlite3.connect(home / "history.db")
    conn.execute("CREATE TABLE runs (id TEXT, colour TEXT)")
    conn.execute("INSERT INTO runs VALUES ('x', 'red')")
    conn.commit()
    conn.close()
    assert history_last.last_run(home) is None
    conn = sqlite3.connect(home / "history.db")
    conn.execute("DROP TABLE runs")
    conn.execute("CREATE TABLE runs (id TEXT, text TEXT, action TEXT, params TEXT, result TEXT, status TEXT)")
    conn.execute("INSERT INTO runs VALUES ('x', 'hi', 'finance.irr', '{}', NULL, 'ok')")  # an id that is not a run's
    conn.commit()
    conn.close()
    assert history_last.last_run(home) is None


@pytest.mark.parametrize("params, result, text, action", [
    ("{not json", None, LOAN, "finance.irr"),
    ("5", "[1, 2]", LOAN, "finance.irr"),          # valid JSON, but not objects
    ("[" * 100_000 + "]" * 100_000, None, LOAN, "finance.irr"),  # nested past the parser's depth
    ('{"rate_pct": 7}', '"a string"', 12345, "finance.irr"),  # a number where the text was
    ('{"rate_pct": 7}', None, LOAN, 42),            # a number where the action id was
])
def test_a_row_edited_by_hand(home, params, result, text, action):
    _record(home)
    conn = sqlite3.connect(home / "history.db")
    conn.execute("UPDATE runs SET params = ?, result = ?, text = ?, action = ?", (params, result, text, action))
    conn.commit()
    conn.close()
    got = history_last.last_run(home)
    if got is not None:  # what it hands out is always of the documented shape
        assert isinstance(got["params"], dict) and (got["result"] is None or isinstance(got["result"], dict))
        assert isinstance(got["text"], str) and isinstance(got["action"], str)


def test_a_link_at_the_history_is_not_followed(home, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _record(elsewhere)
    os.symlink(elsewhere / "history.db", home / "history.db")
    assert history_last.last_run(home) is None  # History refuses a link there: never a history we wrote
    os.unlink(home / "history.db")
    os.symlink(tmp_path / "missing", home / "history.db")  # dangling
    assert history_last.last_run(home) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_directory_is_not_opened(home):
    os.mkfifo(home / "history.db")
    done = []
    t = threading.Thread(target=lambda: done.append(history_last.last_run(home)), daemon=True)
    t.start()
    t.join(10)
    assert done == [None]  # answered at once: opening a FIFO for reading would wait for a writer
    os.unlink(home / "history.db")
    (home / "history.db").mkdir()
    assert history_last.last_run(home) is None


@pytest.mark.parametrize("name", ["with space", "hash#mark", "question?mark", "per%25cent"])
def test_any_home_name(tmp_path, name):
    home = tmp_path / name
    home.mkdir()
    rid = _record(home)
    assert history_last.last_run(home)["id"] == rid  # the name is a file URI's path, quoted


def test_resolve_c_on_a_damaged_history_reads_the_words_afresh(cli, home):
    assert cli("run", "--json", LOAN).code == 0
    (home / "history.db").write_bytes(b"not a database, " * 200)
    for name in ("history.db-wal", "history.db-shm"):
        (home / name).unlink(missing_ok=True)
    r = cli("resolve", "-c", "--json", "what about at 7%?")
    assert "Traceback" not in r.err
    assert r.json["follows"] is None and r.json["missing"]  # as without -c: nothing to continue
    full = cli("resolve", "-c", "--json", "bmi 70 kg 175 cm")
    assert full.code == 0 and full.json["action"] == "healthcare.bmi" and full.json["follows"] is None
    run = cli("run", "-c", "--json", "what about at 7%?")
    assert "Traceback" not in run.err and run.code == 4  # a first request that lacks values
    assert any(p.name.startswith("history.db.damaged-") for p in home.iterdir())  # the run moved it aside
    assert cli("history", "--json").code == 0


def test_resolve_c_through_a_link_at_the_history(cli, home, tmp_path):
    other = tmp_path / "other-home"
    other.mkdir()
    assert cli("run", "--json", LOAN, env={"INTENT_HOME": str(other)}).code == 0
    os.symlink(other / "history.db", home / "history.db")
    r = cli("resolve", "-c", "--json", "what about at 7%?")
    assert "Traceback" not in r.err and r.json["follows"] is None
