"""Property: whatever sequence of consumptions and retries, the quota holds, retries count once, and the
counters always equal the append-only ledger."""
from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entitlements.gate import StoreGate
from entitlements.keys import trusted_keys
from entitlements.store import store_path
from entitlements.wallet import activate
from tests.licensing import licence_token

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)

ops = st.lists(st.tuples(st.integers(1, 4), st.integers(0, 12)), min_size=1, max_size=40)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=ops)
def test_quota_and_ledger_invariants(tmp_path_factory, monkeypatch, ops):
    # Homes side by side share one throwaway vendor key (tests.licensing keeps it next to the home).
    home = tmp_path_factory.getbasetemp() / "ledger" / uuid.uuid4().hex
    home.mkdir(parents=True)
    activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW), trusted_keys(), NOW)
    gate = StoreGate(home, clock=lambda: NOW)
    granted: dict[int, int] = {}
    for qty, key in ops:
        d = gate.consume("legal.draft_nda", qty, idempotency_key=f"k{key}")
        if d.allowed and key not in granted:
            granted[key] = qty
    assert sum(granted.values()) <= 20
    db = sqlite3.connect(store_path(home))
    ledger = db.execute("SELECT coalesce(sum(qty), 0) FROM usage").fetchone()[0]
    counter = db.execute("SELECT coalesce(sum(used), 0) FROM counters").fetchone()[0]
    keys = db.execute("SELECT count(*) FROM usage").fetchone()[0]
    db.close()
    assert ledger == counter == sum(granted.values())
    assert keys == len(granted)
    assert gate.summary()["usage"][0]["used"] == sum(granted.values())
    gate.close()


def test_refund_gives_a_failed_run_back_once(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW), trusted_keys(), NOW)
    gate = StoreGate(home, clock=lambda: NOW)
    assert gate.consume("legal.draft_nda", 1, idempotency_key="run-1").allowed
    assert gate.consume("legal.draft_nda", 1, idempotency_key="run-2").allowed
    assert gate.refund("legal.draft_nda", "run-1") is True
    assert gate.refund("legal.draft_nda", "run-1") is False  # never twice
    assert gate.refund("legal.draft_nda", "never-consumed") is False
    usage = {u["feature"]: u for u in gate.summary()["usage"]}
    assert usage["legal.draft_nda"]["used"] == 1
    db = sqlite3.connect(store_path(home))
    ledger = db.execute("SELECT coalesce(sum(qty), 0) FROM usage").fetchone()[0]
    counter = db.execute("SELECT coalesce(sum(used), 0) FROM counters").fetchone()[0]
    assert ledger == counter == 1
    assert db.execute("SELECT count(*) FROM usage").fetchone()[0] == 3  # append-only: nothing deleted
