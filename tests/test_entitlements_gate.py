"""The gate in-process: free by default, licences unlock, refusals have reasons, the store grants nothing,
metered quotas with idempotency, grants and month-boundary resets (injected clock), clock rollback."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from entitlements import audit
from entitlements.errors import LicenceRefused
from entitlements.gate import StoreGate
from entitlements.keys import keygen, load_private, trusted_keys
from entitlements.licence import issue_grant, issue_licence
from entitlements.store import store_path
from entitlements.wallet import activate, licence_dir
from tests.licensing import licence_token, vendor_key

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


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


def test_fresh_home_is_free(home, clock):
    gate = StoreGate(home, clock=clock)
    assert gate.check("pack.finance").allowed and gate.check("pack.system").allowed
    assert gate.check("voice").allowed
    for feature in ("pack.legal", "pack.healthcare", "llm", "legal.draft_nda"):
        d = gate.check(feature)
        assert not d.allowed and d.kind == "not_entitled"
        assert d.upgrade.plan == "pro" and "intent license activate" in d.upgrade.how
    assert gate.check("max_file_mb").value == 10
    s = gate.summary()
    assert (s["plan"], s["status"], s["usage"]) == ("free", "active", [])
    assert s["features"] == ["pack.finance", "pack.system", "voice"]
    # A pack the vendor does not sell (third-party, user-made) is not locked.
    assert gate.check("pack.my_own_tools").allowed
    # Denials are audited.
    assert any(e["detail"]["feature"] == "pack.legal" for e in audit.events(home, kind="denied"))


def test_trusted_licence_unlocks_its_plan(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW), clock)
    gate = StoreGate(home, clock=clock)
    for feature in ("pack.legal", "pack.healthcare", "llm", "pack.finance"):
        assert gate.check(feature).allowed, feature
    d = gate.check("legal.draft_nda")
    assert d.allowed and (d.limit, d.used, d.remaining) == (20, 0, 19)
    assert d.resets_at == "2026-12-01T00:00:00+00:00"
    s = gate.summary()
    assert (s["plan"], s["status"], s["subject"]) == ("pro", "active", "test@example.com")
    assert s["usage"] == [{"feature": "legal.draft_nda", "used": 0, "limit": 20, "remaining": 20,
                           "resets_at": "2026-12-01T00:00:00+00:00", "grants": None}]
    assert [e["kind"] for e in audit.events(home)] == ["licence.activated"]
    # The licence file is kept owner-only under INTENT_HOME.
    assert (licence_dir(home) / "licence.token").stat().st_mode & 0o077 == 0


def test_enterprise_has_everything_unmetered(home, clock, monkeypatch):
    _activate(home, licence_token(home, "enterprise", 30, monkeypatch, now=NOW), clock)
    gate = StoreGate(home, clock=clock)
    assert all(gate.check(f).allowed for f in ("pack.legal", "pack.healthcare", "llm", "voice"))
    for i in range(25):
        assert gate.consume("legal.draft_nda", 1, f"k{i}").allowed
    assert gate.summary()["usage"][0] | {} == {"feature": "legal.draft_nda", "used": 25, "limit": None,
                                               "remaining": None, "resets_at": "2026-12-01T00:00:00+00:00",
                                               "grants": None}


def test_untrusted_tampered_expired_are_refused_with_reasons(home, clock, monkeypatch, tmp_path):
    vendor_key(home, monkeypatch)
    keygen(tmp_path / "stranger")
    stranger = issue_licence(load_private(tmp_path / "stranger" / "private.pem"), "pro", 30, now=NOW)
    with pytest.raises(LicenceRefused) as info:
        _activate(home, stranger, clock)
    assert info.value.reason == "untrusted" and "does not trust" in info.value.message

    good = licence_token(home, "pro", 30, monkeypatch, now=NOW)
    body, footer = good.split(".")[2], good.split(".")[3]
    tampered = good.replace(body, body[:20] + ("A" if body[20] != "A" else "B") + body[21:])
    with pytest.raises(LicenceRefused) as info:
        _activate(home, tampered, clock)
    assert info.value.reason == "tampered" and "altered" in info.value.message

    old = licence_token(home, "pro", 30, monkeypatch, now=NOW - timedelta(days=60))
    with pytest.raises(LicenceRefused) as info:
        _activate(home, old, clock)
    assert info.value.reason == "expired" and "expired on" in info.value.message

    with pytest.raises(LicenceRefused) as info:
        _activate(home, "hello", clock)
    assert info.value.reason == "malformed"
    assert StoreGate(home, clock=clock).summary()["plan"] == "free"


def test_licence_file_edited_after_activation_is_refused(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW), clock)
    path = licence_dir(home) / "licence.token"
    token = path.read_text().strip()
    body = token.split(".")[2]
    path.write_text(token.replace(body, body[:-5] + ("x" if body[-5] != "x" else "y") + body[-4:]))
    gate = StoreGate(home, clock=clock)
    d = gate.check("pack.legal")
    assert not d.allowed and "refused" in d.reason
    assert gate.summary()["plan"] == "free" and "altered" in gate.summary()["licence_problem"]


def test_editing_the_store_grants_nothing(home, clock, monkeypatch):
    vendor_key(home, monkeypatch)
    StoreGate(home, clock=clock).check("pack.finance")  # creates the store
    db = sqlite3.connect(store_path(home))
    # Forge a licence row with a plan, and write "unlimited" facts wherever a user might try.
    db.execute("INSERT INTO licences (jti, kind, token, subject, plan, activated_at, expires_at) VALUES "
               "('forged0001', 'licence', 'v4.public.forged', 'me', 'enterprise', '2026-11-27', '2099-01-01')")
    db.execute("INSERT INTO meta (key, value) VALUES ('plan', 'enterprise')")
    db.execute("INSERT INTO counters (feature, period, used) VALUES ('legal.draft_nda', '2026-11', -1000)")
    db.commit()
    db.close()
    gate = StoreGate(home, clock=clock)
    assert gate.summary()["plan"] == "free"
    assert not gate.check("pack.legal").allowed and not gate.check("legal.draft_nda").allowed


def test_store_history_is_reverified_when_the_file_is_lost(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW), clock)
    (licence_dir(home) / "licence.token").unlink()
    assert StoreGate(home, clock=clock).summary()["plan"] == "pro"  # restored from the store, re-verified
    assert (licence_dir(home) / "licence.token").exists()


def test_consume_quota_idempotency_and_month_reset(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 90, monkeypatch, now=NOW), clock)
    gate = StoreGate(home, clock=clock)
    for i in range(20):
        d = gate.consume("legal.draft_nda", 1, idempotency_key=f"run-{i}")
        assert d.allowed and d.used == i + 1 and d.remaining == 19 - i
    again = gate.consume("legal.draft_nda", 1, idempotency_key="run-3")  # a retry counts nothing
    assert again.allowed and "already counted" in again.reason
    d = gate.consume("legal.draft_nda", 1, idempotency_key="run-20")
    assert not d.allowed and d.kind == "quota_exceeded"
    assert (d.limit, d.used, d.remaining) == (20, 20, 0)
    assert d.upgrade.plan == "enterprise" and "resets 2026-12-01" in d.reason
    assert not gate.check("legal.draft_nda").allowed
    assert gate.summary()["usage"][0]["used"] == 20
    # The next calendar month starts from zero; November's count is kept in the ledger.
    clock.now = datetime(2026, 12, 1, 0, 0, 1, tzinfo=timezone.utc)
    d = gate.consume("legal.draft_nda", 1, idempotency_key="dec-1")
    assert d.allowed and d.used == 1 and d.remaining == 19 and d.resets_at == "2027-01-01T00:00:00+00:00"
    assert gate.summary()["usage"][0]["used"] == 1
    kinds = [e["kind"] for e in audit.events(home, limit=500)]
    assert kinds.count("consumed") == 21 and "denied" in kinds


def test_grants_top_up_after_the_quota(home, clock, monkeypatch):
    key, _ = vendor_key(home, monkeypatch)
    _activate(home, licence_token(home, "pro", 90, monkeypatch, now=NOW), clock)
    _activate(home, issue_grant(key, "legal.draft_nda", 3, days=10, now=NOW), clock)
    gate = StoreGate(home, clock=clock)
    results = [gate.consume("legal.draft_nda", 1, f"g{i}").allowed for i in range(25)]
    assert results == [True] * 23 + [False] * 2
    usage = gate.summary()["usage"][0]
    assert usage["used"] == 20 and usage["grants"][0]["used"] == 3 and usage["remaining"] == 0
    # An expired grant adds nothing.
    clock.now = NOW + timedelta(days=11)
    assert gate.refresh().grants == []
    with pytest.raises(ValueError, match="not a metered"):
        issue_grant(key, "pack.legal", 3, days=10)


def test_grace_then_expired_then_renewed(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW, grace_days=7), clock)
    clock.now = NOW + timedelta(days=32)
    gate = StoreGate(home, clock=clock)
    assert gate.summary()["status"] == "grace" and gate.check("pack.legal").allowed
    assert "renew" in gate.summary()["warnings"][0]
    clock.now = NOW + timedelta(days=38)
    gate = StoreGate(home, clock=clock)
    d = gate.check("pack.legal")
    assert not d.allowed and d.kind == "expired" and "expired on" in d.reason
    assert d.upgrade.plan == "pro" and "renew" in d.upgrade.how
    assert gate.check("pack.finance").allowed  # the free plan still applies
    assert gate.summary()["status"] == "expired"
    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=clock.now), clock)
    assert StoreGate(home, clock=clock).check("pack.legal").allowed


def test_canceled_subscription_has_no_grace(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW, status="canceled"), clock)
    assert StoreGate(home, clock=clock).summary()["status"] == "canceled"
    clock.now = NOW + timedelta(days=31)
    assert not StoreGate(home, clock=clock).check("pack.legal").allowed


def test_clock_set_back_turns_licensed_features_off(home, clock, monkeypatch):
    _activate(home, licence_token(home, "pro", 365, monkeypatch, now=NOW), clock)
    gate = StoreGate(home, clock=clock)
    clock.now = NOW + timedelta(days=40)
    gate.consume("legal.draft_nda", 1, "a")  # the store now has seen day 40
    clock.now = NOW + timedelta(days=5)  # someone winds the clock back to reuse an old month
    gate = StoreGate(home, clock=clock)
    d = gate.check("pack.legal")
    assert not d.allowed and d.kind == "expired" and "clock" in d.reason
    assert "clock" in d.upgrade.how
    assert gate.check("pack.finance").allowed
    assert audit.events(home, kind="clock_rollback")
    # A gate that stays open (the TUI) notices at the next consumption.
    clock.now = NOW + timedelta(days=41)
    running = StoreGate(home, clock=clock)
    assert running.consume("legal.draft_nda", 1, "b").allowed
    clock.now = NOW + timedelta(days=2)
    d = running.consume("legal.draft_nda", 1, "c")
    assert not d.allowed and d.kind == "expired" and "clock" in d.reason
    # A licence issued "in the future" also reveals a clock that is behind.
    clock.now = NOW - timedelta(days=3)
    assert not StoreGate(home, clock=clock).check("pack.legal").allowed


def test_new_licence_is_picked_up_by_a_running_gate(home, clock, monkeypatch):
    gate = StoreGate(home, clock=clock)
    assert not gate.check("pack.legal").allowed
    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW), clock)
    assert gate.refresh().plan == "pro" and gate.check("pack.legal").allowed


def test_damaged_store_keeps_the_licence_and_says_so(home, clock, monkeypatch):
    from entitlements.errors import StoreCorrupt

    _activate(home, licence_token(home, "pro", 30, monkeypatch, now=NOW), clock)
    for suffix in ("", "-wal", "-shm"):
        path = store_path(home).with_name(store_path(home).name + suffix)
        if path.exists():
            path.unlink()
    store_path(home).write_bytes(b"garbage" * 1000)
    gate = StoreGate(home, clock=clock)
    assert gate.check("pack.legal").allowed  # the licence file is intact and re-verified
    with pytest.raises(StoreCorrupt) as info:
        gate.consume("legal.draft_nda", 1, "x")
    assert "damaged" in info.value.message and "licence is safe" in info.value.message
    s = gate.summary()
    assert s["plan"] == "pro" and s["usage"] == []
    assert "damaged" in s["warnings"][0] and "unavailable" in s["warnings"][1]


def test_a_key_anyone_could_have_planted_is_not_trusted(home, clock, monkeypatch, capsys):
    token = licence_token(home, "pro", 30, monkeypatch, now=NOW)
    _, trust = vendor_key(home, monkeypatch)
    pem = trust / "test-vendor.pem"
    pem.chmod(0o666)  # writable by anyone: whoever could write it could have put their own key there
    with pytest.raises(LicenceRefused) as info:
        _activate(home, token, clock)
    assert info.value.reason == "untrusted"
    assert "writable by group or others" in capsys.readouterr().err
    pem.chmod(0o644)
    assert _activate(home, token, clock).plan == "pro"


def test_system_plan_action_returns_the_summary(session, monkeypatch):
    from tests.licensing import activate_plan

    activate_plan(session.home, "pro", monkeypatch=monkeypatch)
    result = session.run_action("system.plan", {}).result
    assert {"plan", "status", "features", "usage"} <= set(result)
    assert (result["plan"], result["status"]) == ("pro", "active")
    assert result["usage"][0]["feature"] == "legal.draft_nda" and result["usage"][0]["limit"] == 20
