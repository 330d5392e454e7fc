"""More of the same kinds (issue 13, entitlements 2-4): grants, half-deleted records, reservations that
were delivered, a denial with the store locked, and the CLI's answers to each."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from entitlements.gate import StoreGate
from entitlements.keys import trusted_keys
from entitlements.licence import issue_grant
from entitlements.store import store_path
from entitlements.wallet import activate, licence_dir
from tests.licensing import licence_token, vendor_key

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)
NDA = "legal.draft_nda"
ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def record_path(home) -> Path:  # the usage record next to the licence (entitlements/usage_record.py)
    return licence_dir(home) / "usage.chain"


def head_path(home) -> Path:
    return licence_dir(home) / "usage.head"


def _remove_store(home):
    for suffix in ("", "-wal", "-shm"):
        path = store_path(home).with_name(store_path(home).name + suffix)
        if path.exists():
            path.unlink()


def _left(home, clock) -> int:
    usage = {u["feature"]: u for u in StoreGate(home, clock=clock).summary()["usage"]}
    return usage[NDA]["remaining"]


def test_a_used_grant_is_not_restored_by_losing_the_record(home, monkeypatch):
    clock = Clock(NOW)
    licence = licence_token(home, "pro", 90, monkeypatch, now=NOW)
    key, _ = vendor_key(home, monkeypatch)
    grant = issue_grant(key, NDA, 5, 60, subject="test@example.com", now=NOW)
    activate(home, licence, trusted_keys(), NOW)
    activate(home, grant, trusted_keys(), NOW)
    gate = StoreGate(home, clock=clock)
    for i in range(25):
        assert gate.consume(NDA, 1, idempotency_key=f"k{i}").allowed, i
    assert not gate.consume(NDA, 1, idempotency_key="k25").allowed
    gate.close()
    _remove_store(home)
    record_path(home).unlink()
    head_path(home).unlink()
    clock.now = NOW + timedelta(hours=1)
    activate(home, licence, trusted_keys(), clock.now)
    activate(home, grant, trusted_keys(), clock.now)
    assert _left(home, clock) == 0
    assert not StoreGate(home, clock=clock).consume(NDA, 1, idempotency_key="again").allowed
    # December: the licence's 20 come back; the grant stays spent.
    clock.now = datetime(2026, 12, 3, tzinfo=timezone.utc)
    assert _left(home, clock) == 20


@pytest.mark.parametrize("lost", ["head", "chain"])
def test_half_a_record_is_a_broken_record(home, monkeypatch, lost):
    clock = Clock(NOW)
    activate(home, licence_token(home, "pro", 90, monkeypatch, now=NOW), trusted_keys(), NOW)
    gate = StoreGate(home, clock=clock)
    assert gate.consume(NDA, 1, idempotency_key="one").allowed
    gate.close()
    (head_path(home) if lost == "head" else record_path(home)).unlink()
    d = StoreGate(home, clock=clock).check(NDA)
    assert not d.allowed and "activate" in d.reason


def test_an_older_copy_of_the_record_is_noticed_while_the_store_remembers(home, monkeypatch):
    clock = Clock(NOW)
    activate(home, licence_token(home, "pro", 90, monkeypatch, now=NOW), trusted_keys(), NOW)
    saved = record_path(home).read_bytes(), head_path(home).read_bytes()  # a backup, before any use
    gate = StoreGate(home, clock=clock)
    for i in range(20):
        assert gate.consume(NDA, 1, idempotency_key=f"k{i}").allowed
    gate.close()
    record_path(home).write_bytes(saved[0])
    head_path(home).write_bytes(saved[1])
    gate = StoreGate(home, clock=clock)
    assert not gate.check(NDA).allowed
    assert not gate.consume(NDA, 1, idempotency_key="restored").allowed


SETTLED = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from intents.session import Session

    out = Session(home=Path(sys.argv[1]), out_dir=Path(sys.argv[2])).run_action(
        "legal.draft_nda", {"party_a": "Acme Corp", "party_b": "Bob Smith"})
    assert Path(out.result["path"]).exists()
    os.kill(os.getpid(), signal.SIGKILL)  # delivered, then killed: the use stays counted
""")
PLAIN = textwrap.dedent("""
    import sys
    from pathlib import Path
    from entitlements.gate import StoreGate

    assert StoreGate(Path(sys.argv[1])).consume("legal.draft_nda", 1, idempotency_key="plain").allowed
""")


def test_delivered_and_plainly_counted_uses_stay_counted_when_their_process_ends(home, tmp_path, monkeypatch):
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch)
    env = {**os.environ, "INTENT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    for script in (SETTLED, PLAIN):
        proc = subprocess.run([sys.executable, "-c", script, str(home), str(tmp_path / "out")], env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, -9), proc.stderr
    usage = {u["feature"]: u for u in StoreGate(home).summary()["usage"]}
    assert usage[NDA]["used"] == 2


def test_the_cli_refuses_a_superseded_licence_and_a_denial_does_not_wait_for_a_locked_store(cli, home, tmp_path,
                                                                                           monkeypatch):
    now = datetime.now(timezone.utc)
    old = tmp_path / "old.licence"
    new = tmp_path / "new.licence"
    old.write_text(licence_token(home, "enterprise", 365, monkeypatch, now=now - timedelta(days=30)))
    new.write_text(licence_token(home, "pro", 365, monkeypatch, now=now - timedelta(days=1)))
    assert cli("license", "activate", str(old)).code == 0
    assert cli("license", "activate", str(new)).code == 0
    refused = cli("license", "activate", str(old), "--json")
    assert refused.code == 5 and "newer licence" in refused.out + refused.err
    assert cli("license", "show", "--json").json["plan"]["plan"] == "pro"

    # A pro terminal holding the store's write lock does not stall a denial (or a free action) elsewhere.
    db = sqlite3.connect(store_path(home), isolation_level=None)
    db.execute("UPDATE meta SET value = '2026-01-01T00:00:00+00:00' WHERE key = 'clock_high_water'")
    db.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        shown = cli("do", "system.plan", "--json")
        elapsed = time.monotonic() - started
        assert shown.code == 0 and elapsed < 8, (elapsed, shown.err)
        denied = cli("do", "healthcare.egfr", "age=60", "sex=female", "creatinine_mg_dl=1.1", "--json",
                     env={"INTENT_TRUST_DIR": str(tmp_path / "nowhere")})  # no trusted key: the free plan
        assert denied.code == 5 and time.monotonic() - started < 16, denied.err
    finally:
        db.execute("ROLLBACK")
        db.close()


RACER = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from intents.errors import IntentError
    from intents.session import Session

    home, start, tag = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    session = Session(home=home, out_dir=home.parent / f"out-{tag}")
    session.dispatcher, session.gate
    print("ready", flush=True)
    while not start.exists():
        time.sleep(0.002)
    kinds = []
    for i in range(10):
        try:
            session.run_action("legal.draft_nda", {"party_a": f"Acme {tag}{i} Inc", "party_b": "Beta LLC"})
            kinds.append("ok")
        except IntentError as err:
            kinds.append(err.kind)
    print(json.dumps(kinds), flush=True)
""")


def test_terminals_racing_agree_in_store_and_record_and_never_pass_the_limit(home, tmp_path, monkeypatch):
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch)
    start = tmp_path / "go"
    env = {**os.environ, "INTENT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(home), str(start), tag], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for tag in "abc"]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results += json.loads(out.strip().splitlines()[-1])
    assert results.count("ok") == 20 and results.count("quota_exceeded") == 10
    db = sqlite3.connect(store_path(home))
    try:
        counted = db.execute("SELECT coalesce(sum(used), 0) FROM counters WHERE feature = ?", [NDA]).fetchone()[0]
    finally:
        db.close()
    from entitlements.usage_record import UsageRecord

    replay = UsageRecord(home).replay()
    assert replay.ok and not replay.pending()
    assert counted == 20 and sum(v for (f, _), v in replay.used.items() if f == NDA) == 20
