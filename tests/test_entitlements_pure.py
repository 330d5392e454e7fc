"""derive_state() and decide() are pure: hand-made claims, a replay and a usage function, no store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from entitlements.catalog import load_catalog
from entitlements.decide import allocate, decide
from entitlements.licence import GrantClaims, LicenceClaims
from entitlements.state import derive_state
from entitlements.usage_record import Replay

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)
CAT = load_catalog()


def _licence(plan="pro", jti="a" * 32, iat=NOW - timedelta(days=1), sub="s@example.com") -> LicenceClaims:
    return LicenceClaims(jti=jti, sub=sub, iat=iat, nbf=iat, exp=iat + timedelta(days=30), plan=plan,
                         features=dict(CAT.plan(plan).features), all_features=CAT.plan(plan).all_features)


def _record(*licences: LicenceClaims, grants=()) -> Replay:
    return Replay(status="ok", n=1, licences={c.jti: (c.sub, c.iat) for c in licences}, grants=set(grants))


def test_free_without_tokens_and_pro_with_a_bound_licence():
    free = derive_state(CAT, NOW)
    assert free.plan == "free" and not decide(CAT, free, "pack.legal", 1, lambda f, p: 0, NOW).allowed
    lic = _licence()
    pro = derive_state(CAT, NOW, licence=lic, record=_record(lic))
    d = decide(CAT, pro, "legal.draft_nda", 1, lambda f, p: 19, NOW)
    assert d.allowed and (d.used, d.remaining, d.period) == (19, 0, "2026-11")
    d = decide(CAT, pro, "legal.draft_nda", 1, lambda f, p: 20, NOW)
    assert not d.allowed and d.kind == "quota_exceeded"


def test_metering_needs_a_record_that_knows_the_licence():
    lic = _licence()
    for record in (None, Replay(status="broken", problem="altered"), _record()):
        state = derive_state(CAT, NOW, licence=lic, record=record)
        assert decide(CAT, state, "pack.legal", 1, lambda f, p: 0, NOW).allowed  # unmetered still works
        d = decide(CAT, state, "legal.draft_nda", 1, lambda f, p: 0, NOW)
        assert not d.allowed and "activate" in d.reason


def test_a_superseded_licence_and_a_clock_behind_give_the_free_plan():
    old, new = _licence("enterprise", jti="o" * 32, iat=NOW - timedelta(days=9)), _licence(jti="n" * 32)
    state = derive_state(CAT, NOW, licence=old, record=_record(old, new),
                         known_licences={new.jti: (new.sub, new.iat)})
    assert state.plan == "free" and "newer" in state.problem
    other = derive_state(CAT, NOW, licence=old, known_licences={"x" * 32: ("someone-else", NOW)}, record=_record(old))
    assert other.plan == "enterprise"
    behind = derive_state(CAT, NOW, licence=new, record=_record(new), high_water=NOW + timedelta(days=3))
    assert behind.plan == "free" and behind.clock_behind and behind.licensed_plan == "pro"


def test_allocation_takes_the_period_first_then_grants_soonest_expiring_first():
    lic = _licence()
    soon = GrantClaims(jti="g" * 32, sub=lic.sub, iat=NOW, nbf=NOW, exp=NOW + timedelta(days=5),
                       feature="legal.draft_nda", qty=3)
    late = soon.model_copy(update={"jti": "h" * 32, "exp": NOW + timedelta(days=50)})
    state = derive_state(CAT, NOW, licence=lic, grants=[late, soon], record=_record(lic, grants=[soon.jti, late.jti]))
    used = {("legal.draft_nda", "2026-11"): 18}
    parts = allocate(CAT, state, "legal.draft_nda", 6, lambda f, p: used.get((f, p), 0), NOW)
    assert parts == [("2026-11", 2), (f"grant:{soon.jti}", 3), (f"grant:{late.jti}", 1)]


def test_the_gate_leaves_sql_to_the_ledger():
    """A second ledger backend (PostgreSQL, the fleet issue) must be able to stand in: no SQL in the gate."""
    import re
    from pathlib import Path

    import entitlements.decide
    import entitlements.gate
    import entitlements.state

    for module in (entitlements.gate, entitlements.decide, entitlements.state):
        text = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b .*\b(FROM|INTO|SET)\b", text), module.__name__
