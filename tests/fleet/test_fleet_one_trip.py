"""The fleet's hot path: one metered use is one statement on the server (schema m002's intent_consume),
and the usage record's line is written after the commit. These tests pin what that order must keep:
exact counts, a kill between the commit and the record line, and a record rolled back by its owner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fleet.helpers import activate, dbname, fleet_licence, new_home

ROOT = Path(__file__).resolve().parents[2]
NDA = "legal.draft_nda"


def _gate(home):
    from entitlements import open_gate

    return open_gate(home)


def _sum(pg, url, sql):
    return pg.sql(sql, db=dbname(url))[0][0]


def test_a_use_is_one_statement_and_the_counts_agree(store_url, pg, tmp_path, monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch)
    home = new_home(tmp_path, "a")
    activate(home, token)
    gate = _gate(home)
    try:
        gate.state()
        assert gate.consume(NDA, 1, "warm").allowed
        # libpq's protocol trace: every round trip ends with the server's ReadyForQuery.
        from psycopg import pq

        pgconn = gate.ledger._connect().pgconn
        trace = tmp_path / "trace"
        with open(trace, "w") as fh:
            pgconn.trace(fh.fileno())
            pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
            try:
                for i in range(5):
                    d = gate.consume(NDA, 1, f"k{i}")
                    assert d.allowed and d.used == i + 2 and d.remaining == 20 - (i + 2)
            finally:
                pgconn.untrace()
        lines = trace.read_text().splitlines()
        assert sum("ReadyForQuery" in line for line in lines) == 5, lines
        assert sum("\tParse\t" in line for line in lines) == 0  # prepared once, before: only Bind/Execute/Sync
        assert sum("\tBind\t" in line for line in lines) == 5
        # The record saw every use, and the server keeps the record's head and the last line.
        assert gate.record.replay().used_of(NDA, d.period) == 6
        meta = dict(pg.sql("SELECT key, value FROM meta", db=dbname(store_url)))
        assert meta["usage_record_head"] == gate.record.replay().sealed_head()
        assert '"key":"k4"' in meta["usage_record_pending"]
        # A retry, the last use and the one past it: the full transaction answers, exactly as before.
        assert gate.consume(NDA, 1, "k0").reason.startswith("already counted")
        for i in range(5, 19):
            assert gate.consume(NDA, 1, f"k{i}").allowed, i
        over = gate.consume(NDA, 1, "over")
        assert not over.allowed and over.kind == "quota_exceeded" and "20 of 20" in over.reason
    finally:
        gate.close()
    assert _sum(pg, store_url, "SELECT sum(used) FROM counters") == 20
    assert _sum(pg, store_url, "SELECT sum(qty) FROM usage") == 20
    kinds = pg.sql("SELECT kind, count(*) FROM audit GROUP BY kind", db=dbname(store_url))
    assert dict(kinds)["consumed"] == 20


KILLED_AFTER_COMMIT = r"""
import os, sys
from pathlib import Path
from entitlements import open_gate
from entitlements.fleet.ledger import PgLedger

real = PgLedger.consume_one
def consume_then_die(self, **kw):
    out = real(self, **kw)
    if out[0] == "ok":
        os._exit(9)  # committed on the server; the record line is never written here
    return out
PgLedger.consume_one = consume_then_die
gate = open_gate(Path(sys.argv[1]))
getattr(gate, sys.argv[2])("legal.draft_nda", 1, "lost-line")
raise SystemExit("not reached")
"""


def _killed_after_commit(home: Path, how: str) -> None:
    proc = subprocess.run([sys.executable, "-c", KILLED_AFTER_COMMIT, str(home), how], cwd=ROOT,
                          env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr


def test_a_reservation_killed_between_the_commit_and_the_record_line_is_given_back(store_url, pg, tmp_path,
                                                                                   monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch)
    home = new_home(tmp_path, "a")
    activate(home, token)
    _killed_after_commit(home, "reserve")
    assert _sum(pg, store_url, "SELECT sum(qty) FROM usage") == 1  # counted there, not delivered
    gate = _gate(home)
    try:
        gate.summary()  # the next start writes the line from the server's copy, then refunds it
        assert _sum(pg, store_url, "SELECT sum(qty) FROM usage") == 0
        assert _sum(pg, store_url, "SELECT sum(used) FROM counters") == 0
        replay = gate.record.replay()
        assert replay.ok and "lost-line" in replay.refunded
        d = gate.consume(NDA, 1, "next")  # the record is whole: metering works, nothing was burnt
        assert d.allowed and d.used == 1
    finally:
        gate.close()


def test_a_consumption_killed_after_its_commit_stays_counted_on_both_sides(store_url, pg, tmp_path, monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch)
    home = new_home(tmp_path, "a")
    activate(home, token)
    _killed_after_commit(home, "consume")
    gate = _gate(home)
    try:
        d = gate.consume(NDA, 1, "next")  # the server is one line ahead: completed first, then counted
        assert d.allowed and d.used == 2
        replay = gate.record.replay()
        assert replay.ok and "lost-line" in replay.uses and replay.used_of(NDA, d.period) == 2
    finally:
        gate.close()
    assert _sum(pg, store_url, "SELECT sum(qty) FROM usage") == 2


def test_a_record_rolled_back_by_its_owner_is_noticed_and_counts_nothing_more(store_url, pg, tmp_path, monkeypatch):
    from entitlements.usage_record import head_path, record_path

    token = fleet_licence(tmp_path, monkeypatch)
    home = new_home(tmp_path, "a")
    activate(home, token)
    gate = _gate(home)
    assert gate.consume(NDA, 1, "first").allowed
    gate.close()
    saved = record_path(home).read_bytes(), head_path(home).read_bytes()
    gate = _gate(home)
    for i in range(3):
        assert gate.consume(NDA, 1, f"k{i}").allowed
    gate.close()
    record_path(home).write_bytes(saved[0])  # the owner restores the older copy of both files
    head_path(home).write_bytes(saved[1])
    gate = _gate(home)
    try:
        d = gate.consume(NDA, 1, "after-rollback")
        assert not d.allowed and "activate" in d.reason
    finally:
        gate.close()
    assert _sum(pg, store_url, "SELECT sum(qty) FROM usage") == 4


def test_another_homes_record_copied_in_is_noticed_after_the_statement_and_given_back(store_url, pg, tmp_path,
                                                                                     monkeypatch):
    """A longer chain from elsewhere passes the server's length check; its seal does not match the
    server's copy, which is only known once the statement has counted: that use is given back."""
    from entitlements.usage_record import head_path, record_path

    token = fleet_licence(tmp_path, monkeypatch)
    a, b = new_home(tmp_path, "a"), new_home(tmp_path, "b")
    activate(a, token)
    activate(b, token)
    ga, gb = _gate(a), _gate(b)
    assert ga.consume(NDA, 1, "a0").allowed
    for i in range(4):
        assert gb.consume(NDA, 1, f"b{i}").allowed
    gb.close()
    ga.refresh()  # a terminal already open (its state derived): the copy lands under it
    for path in (record_path, head_path):  # new files (inodes), so the open gate reads them afresh
        copy = path(a).with_name("copy")
        copy.write_bytes(path(b).read_bytes())
        os.replace(copy, path(a))
    try:
        d = ga.consume(NDA, 1, "copied")
        assert not d.allowed and "activate" in d.reason
        assert not ga.consume(NDA, 1, "copied-again").allowed
    finally:
        ga.close()
    assert _sum(pg, store_url, "SELECT sum(qty) FROM usage") == 5
    assert _sum(pg, store_url, "SELECT sum(used) FROM counters") == 5
    refunds = pg.sql("SELECT detail->>'key' FROM audit WHERE kind = 'refunded'", db=dbname(store_url))
    assert refunds == [("copied",)]
