"""Red-team regressions (issue 13, entitlements 2-4 and 11): the machine's owner deletes, empties, edits or
replays local files, or kills the process at the wrong moment, and gains nothing by it.

Each test replays one attack from the issue against the real gate, the real store and real signed licences.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from entitlements.errors import LicenceRefused, StoreError
from entitlements.gate import StoreGate
from entitlements.keys import trusted_keys
from entitlements.store import store_path
from entitlements.wallet import activate, licence_dir
from tests.licensing import licence_token

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)
NDA = "legal.draft_nda"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(NOW)


def _activate(home, token, clock):
    return activate(home, token, trusted_keys(), clock())


def _use_up(home, clock, n=20):
    gate = StoreGate(home, clock=clock)
    for i in range(n):
        assert gate.consume(NDA, 1, idempotency_key=f"run-{i}").allowed, i
    if n >= 20:
        assert not gate.consume(NDA, 1, idempotency_key="one-more").allowed
    gate.close()


def _remove_store(home):
    for suffix in ("", "-wal", "-shm"):
        path = store_path(home).with_name(store_path(home).name + suffix)
        if path.exists():
            path.unlink()


def _usage_records(home) -> list[Path]:
    """Whatever the gate keeps next to the licence besides the licence itself (and grants)."""
    return [p for p in licence_dir(home).iterdir() if p.is_file() and p.name != "licence.token"]


def _allowed(home, clock) -> bool:
    gate = StoreGate(home, clock=clock)
    try:
        return gate.consume(NDA, 1, idempotency_key=f"probe-{time.time_ns()}").allowed
    except StoreError:
        return False
    finally:
        gate.close()


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_deleting_or_emptying_the_store_does_not_reset_the_quota(home, clock, monkeypatch, how):
    _activate(home, licence_token(home, "pro", 90, monkeypatch, now=NOW), clock)
    _use_up(home, clock)
    _remove_store(home)
    if how == "emptied":
        store_path(home).write_bytes(b"")
    gate = StoreGate(home, clock=clock)
    assert gate.check("pack.legal").allowed  # the licence itself still applies
    d = gate.consume(NDA, 1, idempotency_key="after-reset")
    assert not d.allowed and d.used == 20 and d.kind == "quota_exceeded"
    usage = {u["feature"]: u for u in gate.summary()["usage"]}
    assert usage[NDA]["used"] == 20 and usage[NDA]["remaining"] == 0
    # Next month the allowance comes back as it should.
    clock.now = datetime(2026, 12, 2, tzinfo=timezone.utc)
    assert StoreGate(home, clock=clock).consume(NDA, 1, idempotency_key="december").allowed


def test_deleting_the_store_keeps_the_clock_rollback_record(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 365, monkeypatch, now=NOW), clock)
    clock.now = NOW + timedelta(days=40)
    assert StoreGate(home, clock=clock).consume(NDA, 1, idempotency_key="late").allowed
    _remove_store(home)
    clock.now = NOW + timedelta(days=5)  # wind the clock back to reuse November
    d = StoreGate(home, clock=clock).check("pack.legal")
    assert not d.allowed and d.kind == "expired" and "clock" in d.reason


def test_a_missing_usage_record_blocks_metered_use_and_reactivation_restores_nothing(home, clock, monkeypatch):
    token = licence_token(home, "pro", 90, monkeypatch, now=NOW)
    _activate(home, token, clock)
    _use_up(home, clock, n=5)
    records = _usage_records(home)
    assert records, "the licence's usage must be recorded next to it, outside the store"
    _remove_store(home)
    for path in records:
        path.unlink()
    gate = StoreGate(home, clock=clock)
    assert gate.check("pack.legal").allowed  # unmetered features of the licence still work
    d = gate.check(NDA)
    assert not d.allowed and "activate" in d.reason
    assert not _allowed(home, clock)
    # Activating the same licence again in the same period does not give the allowance back ...
    _activate(home, token, clock)
    assert not _allowed(home, clock)
    usage = {u["feature"]: u for u in StoreGate(home, clock=clock).summary()["usage"]}
    assert usage[NDA]["remaining"] == 0
    # ... and the next period starts normally.
    clock.now = datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc)
    assert _allowed(home, clock)


@pytest.mark.parametrize("edit", ["drop_last_line", "change_a_count", "truncate_to_first_line", "garbage",
                                  "drop_lines_and_fix_the_head_by_hand"])
def test_an_edited_usage_record_is_detected(home, clock, monkeypatch, edit):
    _activate(home, licence_token(home, "pro", 90, monkeypatch, now=NOW), clock)
    _use_up(home, clock, n=20)
    records = _usage_records(home)
    assert records
    _remove_store(home)  # the owner also removes the store, which could tell the counts
    if edit == "drop_lines_and_fix_the_head_by_hand":
        # Cut the last ten uses off, and write the head a reader would guess from the visible fields.
        import json

        chain = next(p for p in records if p.name.endswith(".chain"))
        lines = chain.read_bytes().splitlines(keepends=True)[:-10]
        chain.write_bytes(b"".join(lines))
        last = json.loads(lines[-1])
        for head in (p for p in records if p.name.endswith(".head")):
            head.write_text(f"{last['n']} {last['h']}\n")
        records = []
    for path in records:
        lines = path.read_bytes().splitlines(keepends=True)
        if edit == "drop_last_line":
            path.write_bytes(b"".join(lines[:-1]))
        elif edit == "truncate_to_first_line":
            path.write_bytes(b"".join(lines[:1]))
        elif edit == "change_a_count":
            path.write_bytes(b"".join(line.replace(b'"qty":1', b'"qty":0') for line in lines))
        else:
            path.write_bytes(b"\x00garbage\n")
    gate = StoreGate(home, clock=clock)
    d = gate.check(NDA)
    assert not d.allowed
    assert not _allowed(home, clock)


def test_the_store_corrupt_message_does_not_advise_a_reset_that_grants_quota(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 90, monkeypatch, now=NOW), clock)
    _use_up(home, clock)
    _remove_store(home)
    store_path(home).write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreError) as info:
        StoreGate(home, clock=clock).consume(NDA, 1, idempotency_key="x")
    message = info.value.message
    assert "restart" not in message and "damaged" in message
    # Following the advice (moving the damaged store aside) restores nothing either.
    store_path(home).rename(store_path(home).with_name("entitlements.db.damaged"))
    assert not _allowed(home, clock)


def test_a_superseded_licence_cannot_be_activated_again(home, clock, monkeypatch):
    old = licence_token(home, "enterprise", 365, monkeypatch, now=NOW - timedelta(days=20))
    new = licence_token(home, "pro", 365, monkeypatch, now=NOW - timedelta(days=1))  # the renewal, a downgrade
    _activate(home, old, clock)
    _activate(home, new, clock)
    assert StoreGate(home, clock=clock).summary()["plan"] == "pro"
    with pytest.raises(LicenceRefused) as info:
        _activate(home, old, clock)
    assert info.value.reason == "superseded" and "newer" in info.value.message
    # Copying the old token over the current one (no activation at all) does not work either.
    (licence_dir(home) / "licence.token").write_text(old)
    gate = StoreGate(home, clock=clock)
    assert gate.summary()["plan"] != "enterprise"
    # ... nor after deleting the store as well.
    _remove_store(home)
    assert StoreGate(home, clock=clock).summary()["plan"] != "enterprise"


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from intents.dispatch import Dispatcher
    from intents.session import Session

    def die(self, action, params):  # the process is killed after the count, before the result is delivered
        os.kill(os.getpid(), signal.SIGKILL)

    Dispatcher._call = die
    Session(home=Path(sys.argv[1]), out_dir=Path(sys.argv[2])).run_action(
        "legal.draft_nda", {"party_a": "Acme Corp", "party_b": "Bob Smith"})
""")


def test_a_kill_between_count_and_delivery_does_not_burn_quota(home, tmp_path, monkeypatch):
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch)
    env = {**os.environ, "INTENT_HOME": str(home), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(home), str(tmp_path / "out")], env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == -9, proc.stderr
    gate = StoreGate(home)
    usage = {u["feature"]: u for u in gate.summary()["usage"]}
    assert usage[NDA]["used"] == 0
    d = gate.consume(NDA, 1, idempotency_key="after-the-kills")
    assert d.allowed and d.used == 1 and d.remaining == 19
    db = sqlite3.connect(store_path(home))
    try:  # the store's ledger agrees with what was delivered, too
        assert db.execute("SELECT coalesce(sum(used), 0) FROM counters WHERE feature = ?", [NDA]).fetchone()[0] == 1
    finally:
        db.close()


def test_a_write_locked_store_does_not_block_a_free_action(home, session):
    session.run_action("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    session.gate.close()
    db = sqlite3.connect(store_path(home), isolation_level=None)
    # Make the gate want to write (its latest-seen time is old), then hold the write lock.
    db.execute("UPDATE meta SET value = '2026-01-01T00:00:00+00:00' WHERE key = 'clock_high_water'")
    db.execute("BEGIN IMMEDIATE")
    try:
        from intents.session import Session

        fresh = Session(home=home, out_dir=session.out_dir if hasattr(session, "out_dir") else None)
        started = time.monotonic()
        out = fresh.run_action("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
        elapsed = time.monotonic() - started
        assert out.result and elapsed < 2.0, f"a free action waited {elapsed:.1f} s for the store's write lock"
    finally:
        db.execute("ROLLBACK")
        db.close()
