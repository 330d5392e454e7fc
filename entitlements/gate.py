"""The real gate: entitlements derived from verified licences (or the free plan), metered usage in the store.

What a person may do is recomputed from signed tokens whenever they change; the SQLite store only
counts usage and keeps the audit log, so editing it grants nothing. Consumption runs check and write in
one BEGIN IMMEDIATE transaction, so concurrent terminals can never pass a limit.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from entitlements import audit, wallet
from entitlements.catalog import FREE, Catalog, load_catalog
from entitlements.decision import Decision, Upgrade
from entitlements.errors import LicenceRefused, StoreError

if TYPE_CHECKING:
    from entitlements.licence import GrantClaims, LicenceClaims
from entitlements.periods import CLOCK_SKEW, PeriodCache, period_of
from entitlements.store import Store

Clock = Callable[[], datetime]
ROLLBACK_TOLERANCE = timedelta(minutes=10)  # clock corrections smaller than this are not a rollback
HIGH_WATER_EVERY = timedelta(minutes=10)  # how stale the stored latest-seen time may get
REFRESH_EVERY_S = 1.0  # poll the licence directory at most this often
COUNTER_SQL = "SELECT used FROM counters WHERE feature = ? AND period = ?"
COUNTER_TTL_S = 0.25  # how long check() may reuse a counter read (consume() always reads afresh)
DENIAL_AUDIT_EVERY_S = 60.0  # the same denial is audited once a minute per process, not per check


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def _iso(dt: datetime | None) -> str | None:
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds") if dt else None


@dataclass
class State:
    """What the verified tokens entitle, at one moment."""

    plan: str
    status: str
    rank: int
    features: dict[str, Any]
    all_features: bool = False
    subject: str | None = None
    expires_at: datetime | None = None
    licensed_plan: str | None = None  # the plan of a licence that no longer applies (expired, clock)
    licensed_features: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why the licence does not apply, in words
    problem_kind: str = "not_entitled"  # decision kind for features only that licence would grant
    grants: list[GrantClaims] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class StoreGate:
    def __init__(self, home: Path, clock: Clock | None = None, catalog: Catalog | None = None,
                 trust_dir: Path | None = None) -> None:
        self.home = Path(home)
        self.clock = clock or system_clock
        self.catalog = catalog or load_catalog()
        self.trust_dir = trust_dir
        self.store = Store(self.home)
        self._lock = threading.RLock()
        self._state: State | None = None
        self._stamp: tuple | None = None
        self._polled = 0.0
        self._denials: dict[tuple[str, str], float] = {}
        self._trusted: dict | None = None
        self._periods = PeriodCache()
        self._counters: dict[tuple[str, str], tuple[int, float]] = {}
        self.store_error: StoreError | None = None  # why the store could not be opened, if it could not

    # ---- the Gate interface ----------------------------------------------------------------------
    def check(self, feature: str, qty: int = 1) -> Decision:
        state = self.state()
        decision = self._decide(state, feature, qty, self._used_now)
        if not decision.allowed:
            self._audit_denial(decision)
        return decision

    def consume(self, feature: str, qty: int = 1, idempotency_key: str | None = None) -> Decision:
        if qty < 1:
            raise ValueError("qty must be at least 1")
        state = self.state()
        if self.catalog.kind(feature) != "metered" and not self._limit_of(state, feature)[1]:
            return self.check(feature, qty)  # nothing to count
        now = self.clock()
        key = idempotency_key or f"auto:{time.time_ns()}:{id(self)}"
        try:
            return self._consume(state, feature, qty, key, now)
        finally:
            self._counters.clear()  # after the commit: later checks see this consumption

    def _consume(self, state: State, feature: str, qty: int, key: str, now: datetime) -> Decision:
        with self._lock, self.store.write() as conn:
            row = conn.execute("SELECT qty, period FROM usage WHERE idempotency_key = ?", [key]).fetchone()
            if row is not None:
                # A retry of a consumption already made: report it, count nothing twice.
                decision = self._decide(state, feature, 0, self._reader(conn), now)
                return decision.model_copy(update={"reason": "already counted (same idempotency key)"})
            high = conn.execute("SELECT value FROM meta WHERE key = 'clock_high_water'").fetchone()
            if high and now < datetime.fromisoformat(high[0]) - ROLLBACK_TOLERANCE:
                # The clock went back while this gate was open: an older period must not be reopened.
                decision = Decision(
                    feature=feature, allowed=False, kind="expired",
                    reason=(f"the system clock ({_iso(now)}) is behind a time this terminal has already seen "
                            f"({high[0][:19]}Z); metered features are off until the clock is fixed"),
                    upgrade=Upgrade(plan=state.plan, how="set the system clock to the correct time"),
                )
                audit.insert(conn, "denied", decision.model_dump(mode="json", exclude_none=True), now)
                return decision
            self._raise_high_water(conn, now)
            decision = self._decide(state, feature, qty, self._reader(conn), now)
            if not decision.allowed:
                audit.insert(conn, "denied", decision.model_dump(mode="json", exclude_none=True), now)
                return decision
            at = now.isoformat(timespec="microseconds")
            parts = self._allocate(state, feature, qty, self._reader(conn), now)
            for n, (period, amount) in enumerate(parts):
                # The first part carries the caller's key (what a retry looks up); further parts are suffixed.
                conn.execute(
                    "INSERT INTO usage (idempotency_key, feature, qty, period, source, at) VALUES (?, ?, ?, ?, ?, ?)",
                    [key if n == 0 else f"{key}#{n}", feature, amount, period, "gate", at],
                )
                conn.execute(
                    "INSERT INTO counters (feature, period, used) VALUES (?, ?, ?) "
                    "ON CONFLICT (feature, period) DO UPDATE SET used = used + excluded.used",
                    [feature, period, amount],
                )
            # Report the count after this consumption (the decision was computed before it).
            used = (decision.used or 0) + sum(a for p, a in parts if p == decision.period)
            decision = decision.model_copy(update={"used": used})
            audit.insert(conn, "consumed", {"feature": feature, "qty": qty, "key": key,
                                            "used": used, "limit": decision.limit}, now)
            return decision

    def refund(self, feature: str, idempotency_key: str) -> bool:
        """Give back a consumption whose action then failed. The ledger stays append-only: a compensating
        entry with negative quantity, written once per key. Returns whether anything was given back."""
        refund_key = f"{idempotency_key}!refund"
        now = self.clock()
        try:
            with self._lock, self.store.write() as conn:
                if conn.execute("SELECT 1 FROM usage WHERE idempotency_key = ?", [refund_key]).fetchone():
                    return False
                rows = conn.execute(
                    "SELECT qty, period FROM usage WHERE feature = ? AND qty > 0 AND "
                    "(idempotency_key = ? OR substr(idempotency_key, 1, ?) = ?)",
                    [feature, idempotency_key, len(idempotency_key) + 1, idempotency_key + "#"],
                ).fetchall()
                if not rows:
                    return False
                at = now.isoformat(timespec="microseconds")
                for n, (qty, period) in enumerate(rows):
                    conn.execute(
                        "INSERT INTO usage (idempotency_key, feature, qty, period, source, at) VALUES (?, ?, ?, ?, ?, ?)",
                        [refund_key if n == 0 else f"{refund_key}#{n}", feature, -qty, period, "refund", at],
                    )
                    conn.execute("UPDATE counters SET used = max(used - ?, 0) WHERE feature = ? AND period = ?",
                                 [qty, feature, period])
                audit.insert(conn, "refunded", {"feature": feature, "key": idempotency_key,
                                                "qty": sum(q for q, _ in rows)}, now)
                return True
        finally:
            self._counters.clear()

    def summary(self) -> dict[str, Any]:
        state = self.state()
        read = self._used_now
        names = set(state.features) | (set(self.catalog.features) if state.all_features else set())
        features = sorted(n for n in names if self.catalog.kind(n) != "config")
        usage, warnings = [], list(state.warnings)
        if self._store_or_none() is None and self.store_error is not None:
            warnings.append(self.store_error.message)
        for name in features:
            if self.catalog.kind(name) != "metered":
                continue
            try:
                d = self._decide(state, name, 0, read)
            except StoreError:
                warnings.append(f"usage of {name} is unavailable until the store is repaired")
                continue
            usage.append({"feature": name, "used": d.used, "limit": d.limit, "remaining": d.remaining,
                          "resets_at": d.resets_at, "grants": d.grants})
        out = {
            "plan": state.plan, "status": state.status, "features": features, "usage": usage,
            "subject": state.subject, "expires_at": _iso(state.expires_at),
            "config": {k: v for k, v in state.features.items() if self.catalog.kind(k) == "config"},
        }
        if state.problem:
            out["licence_problem"] = state.problem
        if warnings:
            out["warnings"] = warnings
        return out

    def value(self, feature: str, default: Any = None) -> Any:
        """A config feature's value on the current plan (e.g. max_file_mb)."""
        return self.state().features.get(feature, default)

    def close(self) -> None:
        self.store.close()

    # ---- deriving entitlements -------------------------------------------------------------------
    def state(self) -> State:
        """The current entitlements; recomputed when tokens change (polled at most once a second)."""
        mono = time.monotonic()
        if self._state is not None and mono - self._polled < REFRESH_EVERY_S:
            return self._state
        with self._lock:
            stamp = wallet.stamp(self.home)
            self._polled = mono
            if self._state is None or stamp != self._stamp:
                self._trusted = None
                self._state = self._derive()
                self._stamp = stamp
            return self._state

    def refresh(self) -> State:
        with self._lock:
            self._state = None
            self._polled = 0.0
        return self.state()

    def trusted(self) -> dict:
        """kid -> trusted public key; read again when the tokens change (see `state`)."""
        if self._trusted is None:
            from entitlements.keys import trusted_keys

            self._trusted = trusted_keys(self.trust_dir)
        return self._trusted

    def _free(self) -> State:
        plan = self.catalog.plan(FREE)
        return State(plan=FREE, status="active", rank=plan.rank, features=dict(plan.features),
                     all_features=plan.all_features)

    def _derive(self) -> State:
        now = self.clock()
        state = self._free()
        licence_token, grant_tokens = wallet.read_tokens(self.home, self._store_or_none())
        if not licence_token and not grant_tokens:
            self._check_clock(now, None, state)
            return state
        # Only a home with tokens pays for the licence module (pydantic claim models, cryptography).
        from entitlements.licence import GrantClaims, LicenceClaims, verify

        trusted = self.trusted()
        if licence_token:
            try:
                claims = verify(licence_token, trusted, now, allow_expired=True)
            except LicenceRefused as err:
                state.problem = f"your licence in {wallet.licence_dir(self.home)} was refused: {err.message}"
                state.warnings.append(state.problem)
                claims = None
            if isinstance(claims, LicenceClaims):
                self._apply_licence(state, claims, now)
        for token in grant_tokens:
            try:
                grant = verify(token, trusted, now)
            except LicenceRefused:
                continue  # an expired or refused grant simply adds nothing
            if isinstance(grant, GrantClaims):
                state.grants.append(grant)
        state.grants.sort(key=lambda g: g.exp)
        return state

    def _apply_licence(self, state: State, claims: LicenceClaims, now: datetime) -> None:
        from entitlements.licence import subscription_status

        status = subscription_status(claims, now)
        state.subject, state.expires_at = claims.sub, claims.exp
        state.licensed_plan, state.licensed_features = claims.plan, dict(claims.features)
        rank = self.catalog.plans[claims.plan].rank if claims.plan in self.catalog.plans else 1
        if status == "expired":
            state.status = "expired"
            state.problem_kind = "expired"
            state.problem = f"your {claims.plan} licence expired on {_iso(claims.exp)}; renew it"
            state.warnings.append(state.problem)
            return
        if not self._check_clock(now, claims, state):
            return
        merged = dict(state.features)
        merged.update(claims.features)
        state.plan, state.status, state.rank = claims.plan, status, rank
        state.features, state.all_features = merged, claims.all_features
        if status == "grace":
            state.warnings.append(f"your {claims.plan} licence expired on {_iso(claims.exp)}; it keeps working "
                                  f"until {_iso(claims.exp + timedelta(days=claims.grace_days))}; renew it")

    def _check_clock(self, now: datetime, claims: LicenceClaims | None, state: State) -> bool:
        """False (and the licence does not apply) when the clock is behind the latest time seen."""
        seen = claims.iat - CLOCK_SKEW if claims else None
        high = self._high_water()
        behind = None
        if seen and now < seen:
            behind = claims.iat
        elif high and now < high - ROLLBACK_TOLERANCE:
            behind = high
        if behind is not None:
            state.problem_kind = "expired"
            state.problem = (f"the system clock ({_iso(now)}) is behind a time this terminal has already seen "
                             f"({_iso(behind)}); licensed features are off until the clock is fixed")
            state.warnings.append(state.problem)
            if claims:
                state.status = "expired"
            self._audit_once("clock_rollback", {"now": _iso(now), "seen": _iso(behind)})
            return False
        if high is None or now > high + HIGH_WATER_EVERY:
            try:
                with self.store.write() as conn:
                    self._raise_high_water(conn, now)
            except StoreError:
                pass
        return True

    def _high_water(self) -> datetime | None:
        store = self._store_or_none()
        if store is None:
            return None
        try:
            value = store.get_meta("clock_high_water")
        except StoreError:
            return None
        try:
            return datetime.fromisoformat(value) if value else None
        except ValueError:
            return None

    @staticmethod
    def _raise_high_water(conn, now: datetime) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('clock_high_water', ?) ON CONFLICT (key) DO UPDATE SET "
            "value = max(value, excluded.value)", [now.astimezone(timezone.utc).isoformat(timespec="microseconds")],
        )

    def _store_or_none(self) -> Store | None:
        try:
            self.store.conn
        except StoreError as err:
            self.store_error = err
            return None
        self.store_error = None
        return self.store

    # ---- deciding --------------------------------------------------------------------------------
    def _limit_of(self, state: State, feature: str) -> tuple[bool, bool, int | None]:
        """(entitled, metered, limit per period or None for unlimited)."""
        kind = self.catalog.kind(feature)
        if feature in state.features:
            value = state.features[feature]
            if kind == "metered":
                return True, True, value if isinstance(value, int) else None
            return True, False, None
        if state.all_features:
            return True, False, None
        if kind is None and feature.startswith("pack.") and self.catalog.unlisted_pack_features == "allow":
            return True, False, None  # a pack the vendor does not sell (third-party, user-made)
        if kind == "metered" and any(g.feature == feature for g in state.grants):
            return True, True, 0  # grants alone entitle
        return False, kind == "metered", None

    def _used_now(self, feature: str, period: str) -> int:
        """Counter read for check()/summary(): may reuse a read for COUNTER_TTL_S (consume() never does)."""
        mono = time.monotonic()
        hit = self._counters.get((feature, period))
        if hit is not None and mono - hit[1] < COUNTER_TTL_S:
            return hit[0]
        if self._store_or_none() is None:
            raise StoreError(f"{feature} is metered and the entitlement store is unavailable; "
                             f"see `intent plan` for details", feature=feature)
        rows = self.store.read(COUNTER_SQL, (feature, period))
        value = int(rows[0][0]) if rows else 0
        self._counters[(feature, period)] = (value, mono)
        return value

    @staticmethod
    def _reader(conn):
        """used(feature, period) -> int, on the transaction's connection (never cached)."""
        def used(feature: str, period: str) -> int:
            row = conn.execute(COUNTER_SQL, (feature, period)).fetchone()
            return int(row[0]) if row else 0
        return used

    def _decide(self, state: State, feature: str, qty: int, used_of, now: datetime | None = None) -> Decision:
        entitled, metered, limit = self._limit_of(state, feature)
        if not entitled:
            return self._deny_not_entitled(state, feature)
        if not metered:
            return Decision(feature=feature, allowed=True, value=state.features.get(feature))
        now = now or self.clock()
        spec = self.catalog.features.get(feature)
        period, resets, resets_iso = self._periods.get(spec.period if spec else None, now)
        used = used_of(feature, period)
        grants = self._grant_balances(state, feature, used_of, now)
        grant_left = sum(g["remaining"] for g in grants)
        base = dict(feature=feature, limit=limit, used=used, resets_at=resets_iso, period=period,
                    grants=grants or None)
        if limit is None:
            return Decision(allowed=True, **base)
        remaining = max(limit - used, 0) + grant_left
        if qty <= remaining:
            return Decision(allowed=True, remaining=remaining - qty, **base)
        upgrade = self.catalog.upgrade_for(feature, state.rank, need=limit + qty)
        if upgrade is None:
            upgrade = (state.plan, f"wait until the count resets on {_iso(resets)} or activate a grant "
                                   f"(`intent license activate FILE`)")
        plan_label = f"the {state.plan} plan" if state.plan else "your plan"
        return Decision(
            allowed=False, kind="quota_exceeded", remaining=remaining,
            reason=(f"{feature}: {used} of {limit} used this period on {plan_label} (resets {_iso(resets)}); "
                    f"the {upgrade[0]} plan lifts the limit" if upgrade[0] != state.plan else
                    f"{feature}: {used} of {limit} used this period (resets {_iso(resets)})"),
            upgrade=Upgrade(plan=upgrade[0], how=upgrade[1]), **base,
        )

    def _deny_not_entitled(self, state: State, feature: str) -> Decision:
        if state.licensed_plan and (feature in state.licensed_features or state.problem_kind == "expired"):
            if state.problem_kind == "expired":
                how = (f"renew your {state.licensed_plan} licence and run `intent license activate FILE`"
                       if "clock" not in (state.problem or "") else "set the system clock to the correct time")
                return Decision(feature=feature, allowed=False, kind="expired",
                                reason=f"{feature} needs your {state.licensed_plan} licence: {state.problem}",
                                upgrade=Upgrade(plan=state.licensed_plan, how=how))
        upgrade = self.catalog.upgrade_for(feature, state.rank)
        if upgrade is None:
            upgrade = ("enterprise" if "enterprise" in self.catalog.plans else state.plan,
                       f"{feature} is not part of any plan in the catalog; ask your vendor")
        spec = self.catalog.features.get(feature)
        label = f"{spec.title} ({feature})" if spec and spec.title else feature
        reason = f"{label} is not in the {state.plan} plan; the {upgrade[0]} plan unlocks it"
        if state.problem:
            reason += f" ({state.problem})"
        return Decision(feature=feature, allowed=False, kind="not_entitled", reason=reason,
                        upgrade=Upgrade(plan=upgrade[0], how=upgrade[1]))

    def _grant_balances(self, state: State, feature: str, used_of, now: datetime) -> list[dict]:
        out = []
        for grant in state.grants:
            if grant.feature != feature or not (grant.nbf - CLOCK_SKEW <= now < grant.exp):
                continue
            used = used_of(feature, f"grant:{grant.jti}")
            out.append({"id": grant.jti, "qty": grant.qty, "used": used, "remaining": max(grant.qty - used, 0),
                        "expires_at": _iso(grant.exp)})
        return out

    def _allocate(self, state: State, feature: str, qty: int, used_of, now: datetime) -> list[tuple[str, int]]:
        """Split a consumption: the period's quota first, then grants, soonest-expiring first."""
        _, _, limit = self._limit_of(state, feature)
        spec = self.catalog.features.get(feature)
        period, _ = period_of(spec.period if spec else None, now)
        if limit is None:
            return [(period, qty)]
        parts = []
        take = min(max(limit - used_of(feature, period), 0), qty)
        if take:
            parts.append((period, take))
        left = qty - take
        for grant in self._grant_balances(state, feature, used_of, now):
            if left <= 0:
                break
            part = min(grant["remaining"], left)
            if part:
                parts.append((f"grant:{grant['id']}", part))
                left -= part
        return parts

    # ---- audit -----------------------------------------------------------------------------------
    def _audit_denial(self, decision: Decision) -> None:
        key = (decision.feature, decision.kind)
        mono = time.monotonic()
        if mono - self._denials.get(key, -1e9) < DENIAL_AUDIT_EVERY_S:
            return
        self._denials[key] = mono
        self._audit_once("denied", decision.model_dump(mode="json", exclude_none=True))

    def _audit_once(self, kind: str, detail: dict) -> None:
        try:
            with self.store.write() as conn:
                audit.insert(conn, kind, detail, self.clock())
        except (StoreError, sqlite3.Error):
            pass  # an audit failure never changes the decision
