"""The entitlement store on a real PostgreSQL: the same gate, shared counts, migrations, CloudEvents."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fleet.helpers import activate, dbname, fleet_licence, new_home

ROOT = Path(__file__).resolve().parents[2]


def _gate(home):
    from entitlements import open_gate

    return open_gate(home)


def test_migrations_are_recorded_in_both_backends(store_url, pg, tmp_path):
    home = new_home(tmp_path, "a")
    gate = _gate(home)
    try:
        assert gate.ledger.problem() is None
        gate.store.conn  # the local store also exists (history of files, the fallback)
        db = sqlite3.connect(gate.store.path)
        assert [r[0] for r in db.execute("SELECT name FROM _migrations")] == ["m001_initial"]
        db.close()
    finally:
        gate.close()
    db = dbname(store_url)
    assert [r[0] for r in pg.sql("SELECT name FROM _migrations ORDER BY name", db=db)] == ["m001_fleet",
                                                                                     "m002_consume_one"]


def test_two_terminals_share_one_licence_quota_on_the_server(store_url, tmp_path, monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch)
    a, b = new_home(tmp_path, "a"), new_home(tmp_path, "b")
    activate(a, token)
    activate(b, token)
    ga, gb = _gate(a), _gate(b)
    try:
        for i in range(12):
            assert ga.consume("legal.draft_nda", 1, f"a{i}").allowed
        results = [gb.consume("legal.draft_nda", 1, f"b{i}") for i in range(10)]
        assert [r.allowed for r in results] == [True] * 8 + [False] * 2
        assert results[-1].kind == "quota_exceeded" and "20 of 20" in results[-1].reason
        summary = ga.summary()
        nda = [u for u in summary["usage"] if u["feature"] == "legal.draft_nda"][0]
        assert (nda["used"], nda["limit"], nda["this_terminal"]) == (20, 20, 12)
        assert summary["store"]["backend"] == "postgresql" and summary["store"]["connected"]
        # A retry under the same key counts nothing twice.
        assert ga.consume("legal.draft_nda", 1, "a0").reason.startswith("already counted")
    finally:
        ga.close()
        gb.close()


def test_deleting_a_homes_files_resets_nothing_on_the_server(store_url, tmp_path, monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch)
    a = new_home(tmp_path, "a")
    activate(a, token)
    gate = _gate(a)
    for i in range(20):
        assert gate.consume("legal.draft_nda", 1, f"a{i}").allowed
    gate.close()
    for p in list(a.iterdir()):  # the owner wipes the store and the usage record, then activates again
        if p.name != "machine_id":
            subprocess.run(["rm", "-rf", str(p)], check=True)
    activate(a, token)
    gate = _gate(a)
    try:
        d = gate.consume("legal.draft_nda", 1, "again")
        assert not d.allowed and d.kind == "quota_exceeded"
    finally:
        gate.close()


def test_admin_usage_exports_cloudevents_one_a_line(store_url, tmp_path, monkeypatch, cli, home):
    token = fleet_licence(tmp_path, monkeypatch)
    activate(home, token)
    gate = _gate(home)
    for i in range(3):
        gate.consume("legal.draft_nda", 1, f"k{i}")
    gate.refund("legal.draft_nda", "k2")
    gate.close()
    r = cli("admin", "usage", "--json", env={"INTENT_STORE_URL": store_url})
    assert r.code == 0, r.err
    events = [json.loads(line) for line in r.out.splitlines()]
    assert len(events) == 4
    for e in events:
        assert e["specversion"] == "1.0" and e["type"] == "com.intent-terminal.usage"
        assert e["subject"] == "test@example.com" and e["time"].endswith("Z")
        assert set(e["data"]) == {"feature", "qty", "period", "kind"}
    assert [e["data"]["qty"] for e in events] == [1, 1, 1, -1]
    assert len({e["id"] for e in events}) == 4
    r = cli("admin", "usage", "--since", "2999-01-01", env={"INTENT_STORE_URL": store_url})
    assert r.code == 0 and r.out == ""
    r = cli("admin", "usage", "--since", "yesterday", env={"INTENT_STORE_URL": store_url})
    assert r.code == 2


def test_admin_usage_on_the_local_store_too(cli, home, tmp_path, monkeypatch):
    monkeypatch.delenv("INTENT_STORE_URL", raising=False)
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch=monkeypatch)
    from entitlements.gate import StoreGate

    g = StoreGate(home)
    g.consume("legal.draft_nda", 1, "local-1")
    g.close()
    r = cli("admin", "usage")
    assert r.code == 0, r.err
    (event,) = [json.loads(line) for line in r.out.splitlines()]
    assert event["data"] == {"feature": "legal.draft_nda", "qty": 1, "period": event["data"]["period"],
                             "kind": "gate"}


def test_server_sees_no_request_text(store_url, pg, tmp_path, monkeypatch, cli, home):
    token = fleet_licence(tmp_path, monkeypatch)
    activate(home, token)
    secret = "Zanzibar Widgets Incorporated"
    r = cli("do", "legal.draft_nda", f"party_a={secret}", "party_b=Beta LLC", "--json",
            env={"INTENT_STORE_URL": store_url})
    assert r.code == 0, r.err
    db = dbname(store_url)
    dump = json.dumps([pg.sql(f"SELECT * FROM {t}", db=db) for t in ("usage", "audit", "counters", "meta")],
                      default=str)
    assert "Zanzibar" not in dump and "legal.draft_nda" in dump
