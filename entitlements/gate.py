"""The real gate: entitlements derived from verified licences (or the free plan), metered usage counted in
the ledger (the store) and in the usage record next to the licence.

What a person may do is recomputed from signed tokens whenever they change (`state.derive_state`);
whether one use fits is `decide.decide`; both are pure. This module gathers their inputs and does the
writing: a consumption checks and writes in one ledger transaction (BEGIN IMMEDIATE), holding the usage
record's lock, so concurrent terminals can never pass a limit and the two copies never disagree.
On a fleet ledger that offers `consume_one`, the common case (the period's quota has room, no grant to
split over) is one statement on the server instead (`_consume_fast`): the server checks the limit and
counts under the counter's row lock, which is held only inside that statement; this home's record line
travels with it and is written after the commit (a kill in between is completed from the server's copy).
Free actions never wait for a write lock: what they write (the latest time seen, a denial's audit
line) is written only when the lock is free at once, and skipped otherwise.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from entitlements import wallet
from entitlements.catalog import Catalog, load_catalog
from entitlements.decide import allocate, clock_denial, counts, decide
from entitlements.decision import Decision
from entitlements.errors import LicenceRefused, StoreError
from entitlements.ledger import RECORD_HEAD, RECORD_PENDING, Ledger, SqliteLedger
from entitlements.state import ROLLBACK_TOLERANCE, State, derive_state, iso
from entitlements.store import Store
from entitlements.usage_record import Replay, UsageRecord, owner_alive, owner_id

__all__ = ["StoreGate", "State", "system_clock"]

Clock = Callable[[], datetime]
HIGH_WATER_EVERY = timedelta(minutes=10)  # how stale the recorded latest-seen time may get
REFRESH_EVERY_S = 1.0  # poll the licence directory at most this often
COUNTER_TTL_S = 0.25  # how long check() may reuse a counter read (consume() always reads afresh)
SEAT_RECHECK_S = 600.0  # how often a terminal running on a seat licence asks the store whether it still holds it
DENIAL_AUDIT_EVERY_S = 60.0  # the same denial is audited once a minute per process, not per check


class _RecordBehind(Exception):
    """The server's copy of this home's record head is ahead of the record: it was cut or rolled back."""

    def __init__(self, replay: Replay) -> None:
        super().__init__(replay.problem)
        self.replay = replay


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class StoreGate:
    def __init__(self, home: Path, clock: Clock | None = None, catalog: Catalog | None = None,
                 trust_dir: Path | None = None, ledger: Ledger | None = None) -> None:
        self.home = Path(home)
        self.clock = clock or system_clock
        self.catalog = catalog or load_catalog()
        self.trust_dir = trust_dir
        self.store = Store(self.home)  # the local store; `ledger` is what the gate counts with
        self.ledger: Ledger = ledger or SqliteLedger(self.store)
        self.record = UsageRecord(self.home)
        self._lock = threading.RLock()
        self._state: State | None = None
        self._stamp: tuple | None = None
        self._polled = 0.0
        self._denials: dict[tuple[str, str], float] = {}
        self._trusted: dict | None = None
        self._counters: dict[tuple[str, str], tuple[int, float]] = {}
        self._audited: set[str] = set()
        self.store_error: StoreError | None = None  # why the store could not be opened, if it could not

    # ---- the Gate interface ----------------------------------------------------------------------
    def check(self, feature: str, qty: int = 1) -> Decision:
        state = self.state()
        decision = decide(self.catalog, state, feature, qty, self._used_now, self.clock())
        if not decision.allowed:
            self._audit_denial(decision)
        return decision

    def consume(self, feature: str, qty: int = 1, idempotency_key: str | None = None) -> Decision:
        """Count a use now, for good (a caller that cannot tell delivery from failure)."""
        return self._consume_or_reserve(feature, qty, idempotency_key, pending=False)

    def reserve(self, feature: str, qty: int = 1, idempotency_key: str | None = None) -> Decision:
        """Count a use that is not yet delivered: `settle(key)` once it is, `refund(key)` if it failed.
        If this process dies first, the next gate to consume gives it back (see `_recover`)."""
        return self._consume_or_reserve(feature, qty, idempotency_key, pending=True)

    def _consume_or_reserve(self, feature: str, qty: int, key: str | None, pending: bool) -> Decision:
        if qty < 1:
            raise ValueError("qty must be at least 1")
        state = self.state()
        if not counts(self.catalog, state, feature):
            return self.check(feature, qty)  # nothing to count
        now = self.clock()
        key = key or f"auto:{time.time_ns()}:{id(self)}"
        try:
            if getattr(self.ledger, "consume_one", None) is not None:
                decision = self._consume_fast(state, feature, qty, key, now, pending)
                if decision is not None:
                    return decision
            return self._consume(state, feature, qty, key, now, pending)
        finally:
            self._counters.clear()  # after the commit: later checks see this consumption

    def _consume_fast(self, state: State, feature: str, qty: int, key: str, now: datetime,
                      pending: bool) -> Decision | None:
        """One round trip to a fleet server, or None for the full transaction (`_consume`), which handles
        every other case: a retry, a denial, grants, a clock behind, refunds owed, a record to repair.

        Order: under this home's record lock (which no other terminal shares), decide on the record's
        count, hash the record line, then one statement on the server checks the server's count against
        the limit, counts, writes the usage row, the audit line, the latest-seen time, the record's
        sealed head and the line itself, and commits; only then is the line appended here. The server's
        counter row is locked from the statement's last write to its commit, not across this process's
        file writes. A kill after the commit leaves the server one entry ahead with the line in hand:
        the next gate of this home writes it (`_against_store`), and a reservation whose process is gone
        is then given back on both sides as always, so the ledger still equals what was delivered."""
        with self._lock, self.record.locked() as replay:
            if not replay.ok or state.metering_off or key in replay.uses:
                return None
            if replay.high and now < replay.high - ROLLBACK_TOLERANCE:
                return None
            if replay.owners and any(not owner_alive(o) for o in replay.owners.values()):
                return None  # refunds owed first
            decision = decide(self.catalog, state, feature, qty, replay.used_of, now)
            if not decision.allowed or decision.grants or decision.period is None:
                return None
            entry = {"op": "use", "key": key, "feature": feature, "parts": [[decision.period, qty]]}
            if pending:
                entry["owner"] = owner_id()
            prepared = self.record.prepare(replay, [entry], now)
            status, used, stored = self.ledger.consume_one(
                key=key, feature=feature, period=decision.period, qty=qty, limit=decision.limit, now=now,
                kind="reserved" if pending else "consumed", head=prepared.sealed_head(), line=prepared.line,
                floor=now + ROLLBACK_TOLERANCE)
            if status != "ok":
                return None  # nothing was written: the full transaction decides (and says why)
            checked = self.record.check_store_head(replay, stored)
            try:
                if not checked.ok:
                    raise _RecordBehind(checked)
                self.record.write(replay, prepared)
            except (OSError, _RecordBehind) as exc:
                # Counted on the server, not here: give it back there, so nothing undelivered stays counted,
                # and take back the head it was sent with (a cut record keeps the head that exposed it).
                self._give_back(key, feature, now, stored if isinstance(exc, _RecordBehind) else replay.sealed_head())
                if isinstance(exc, OSError):
                    raise
                self.record.distrust(checked)  # until the files change again, as a fresh read would say
                return decide(self.catalog, self._with_record_problem(state, checked), feature, qty,
                              replay.used_of, now)
            remaining = None if decision.limit is None else max(decision.limit - used, 0)
            return decision.model_copy(update={"used": used, "remaining": remaining})

    def _give_back(self, key: str, feature: str, now: datetime, head: str) -> None:
        with self.ledger.transaction() as tx:
            tx.set_meta(RECORD_HEAD, head)
            tx.set_meta(RECORD_PENDING, "")
            given = tx.refund(key, now)
            if given:
                tx.audit("refunded", {"feature": feature, "key": key, "qty": sum(q for _, _, q in given),
                                      "why": "this terminal's usage record could not take the use"}, now)

    def _against_store(self, replay: Replay, get_meta) -> Replay:
        """The record checked against the store's copy of its head (caller holds the record's lock): first
        completed with the line a killed fleet consumption committed but never wrote here, if that is
        all that is missing."""
        head = get_meta(RECORD_HEAD)
        if self.record.one_behind(replay, head):
            replay = self.record.complete(replay, head, get_meta(RECORD_PENDING))
        return self.record.check_store_head(replay, head)

    def _consume(self, state: State, feature: str, qty: int, key: str, now: datetime, pending: bool) -> Decision:
        with self._lock, self.ledger.transaction() as tx, self.record.locked() as replay:
            replay = self._against_store(replay, tx.get_meta)
            replay = self._recover(tx, replay, now)
            if key in replay.uses or tx.has_key(key):
                # A retry of a consumption already made: report it, count nothing twice.
                decision = decide(self.catalog, state, feature, 0, self._both(tx, replay), now)
                return decision.model_copy(update={"reason": "already counted (same idempotency key)"})
            high = max(filter(None, [tx.high_water(), replay.high]), default=None)
            if high and now < high - ROLLBACK_TOLERANCE:
                # The clock went back while this gate was open: an older period must not be reopened.
                decision = clock_denial(state, feature, now, iso(high))
                tx.audit("denied", decision.model_dump(mode="json", exclude_none=True), now)
                return decision
            if not replay.ok and not state.metering_off:
                state = self._with_record_problem(state, replay)
            tx.raise_high_water(now)
            decision = decide(self.catalog, state, feature, qty, self._both(tx, replay), now)
            if not decision.allowed:
                tx.audit("denied", decision.model_dump(mode="json", exclude_none=True), now)
                return decision
            parts = allocate(self.catalog, state, feature, qty, self._both(tx, replay), now)
            entry = {"op": "use", "key": key, "feature": feature, "parts": [list(p) for p in parts]}
            if pending:
                entry["owner"] = owner_id()
            replay = self.record.append(replay, [entry], now)
            tx.record_use(key, feature, parts, now)
            tx.set_meta(RECORD_HEAD, replay.sealed_head())
            # Report the count after this consumption (the decision was computed before it).
            used = (decision.used or 0) + sum(a for p, a in parts if p == decision.period)
            decision = decision.model_copy(update={"used": used})
            tx.audit("reserved" if pending else "consumed",
                     {"feature": feature, "qty": qty, "key": key, "used": used, "limit": decision.limit}, now)
            return decision

    def settle(self, feature: str, idempotency_key: str) -> bool:
        """A reserved use was delivered: it stays counted, and no later gate refunds it."""
        with self._lock, self.record.locked() as replay:
            if not replay.ok or idempotency_key not in replay.pending():
                return False
            self.record.append(replay, [{"op": "settle", "key": idempotency_key}], self.clock())
            return True

    def refund(self, feature: str, idempotency_key: str) -> bool:
        """Give back a consumption whose action then failed. The ledger stays append-only: a compensating
        entry with negative quantity, written once per key. Returns whether anything was given back."""
        now = self.clock()
        try:
            with self._lock, self.ledger.transaction() as tx, self.record.locked() as replay:
                given = tx.refund(idempotency_key, now)
                if replay.ok and idempotency_key in replay.uses and idempotency_key not in replay.refunded:
                    replay = self.record.append(replay, [{"op": "refund", "key": idempotency_key}], now)
                    tx.set_meta(RECORD_HEAD, replay.sealed_head())
                    given = given or replay.uses[idempotency_key]
                if not given:
                    return False
                tx.audit("refunded", {"feature": feature, "key": idempotency_key,
                                      "qty": sum(q for _, _, q in given)}, now)
                return True
        finally:
            self._counters.clear()

    def _recover(self, tx, replay: Replay, now: datetime) -> Replay:
        """Refund on restart: reserved uses whose process died before delivering them are given back."""
        if not replay.ok:
            return replay
        dead = [k for k, owner in replay.pending().items() if owner and not owner_alive(owner)]
        if not dead:
            return replay
        replay = self.record.append(replay, [{"op": "refund", "key": k, "why": "not delivered"} for k in dead], now)
        for key in dead:
            tx.refund(key, now)
        tx.set_meta(RECORD_HEAD, replay.sealed_head())
        tx.audit("refunded", {"keys": dead, "why": "the process that counted them died before delivering"}, now)
        return replay

    def recover(self) -> None:
        """Run refund-on-restart now if nobody holds the locks (summary() calls it; nothing waits)."""
        try:
            with self._lock, self.ledger.transaction(blocking=False) as tx, \
                    self.record.locked(blocking=False) as replay:
                if replay is not None:
                    self._recover(tx, self._against_store(replay, tx.get_meta), self.clock())
        except (StoreError, sqlite3.Error, OSError):
            pass
        finally:
            self._counters.clear()

    def summary(self) -> dict[str, Any]:
        state = self.state()  # first: a fleet ledger learns whose counts these are
        if self.record.path.exists():
            self.recover()
        now = self.clock()
        names = set(state.features) | (set(self.catalog.features) if state.all_features else set())
        features = sorted(n for n in names if self.catalog.kind(n) != "config")
        usage, warnings = [], list(state.warnings)
        if not self._ledger_ok() and self.store_error is not None:
            warnings.append(self.store_error.message)
        for name in features:
            if self.catalog.kind(name) != "metered":
                continue
            try:
                d = decide(self.catalog, state, name, 0, self._used_now, now)
            except StoreError:
                warnings.append(f"usage of {name} is unavailable until the store is repaired")
                continue
            row = {"feature": name, "used": d.used, "limit": d.limit, "remaining": d.remaining,
                   "resets_at": d.resets_at, "grants": d.grants}
            if name in state.pools:
                row["pool"] = dict(state.pools[name])
            here = getattr(self.ledger, "used_here", None)
            if here is not None and d.period:
                try:
                    row["this_terminal"] = here(name, d.period)  # this terminal's share of the shared count
                except StoreError:
                    pass
            usage.append(row)
        out = {
            "plan": state.plan, "status": state.status, "features": features, "usage": usage,
            "subject": state.subject, "expires_at": iso(state.expires_at),
            "config": {k: v for k, v in state.features.items() if self.catalog.kind(k) == "config"},
        }
        if state.seats is not None:
            out["seats"] = state.seats
        where = getattr(self.ledger, "where", None)
        if where is not None:
            out["store"] = {"backend": "postgresql", "where": where, "machine": self.ledger.machine,
                            "connected": self.ledger.problem() is None}
        if state.problem:
            out["licence_problem"] = state.problem
        if warnings:
            out["warnings"] = warnings
        return out

    def value(self, feature: str, default: Any = None) -> Any:
        """A config feature's value on the current plan (e.g. max_file_mb)."""
        return self.state().features.get(feature, default)

    def close(self) -> None:
        self.ledger.close()

    # ---- deriving entitlements -------------------------------------------------------------------
    def state(self) -> State:
        """The current entitlements; recomputed when tokens or the usage record change (polled at most
        once a second)."""
        mono = time.monotonic()
        if self._state is not None and mono - self._polled < REFRESH_EVERY_S:
            return self._state
        with self._lock:
            replay = self.record.replay()
            alive = getattr(self.ledger, "alive", None)  # a fleet server: re-derive when it goes or comes back
            # A seat is checked again every SEAT_RECHECK_S (an administrator may have revoked it; the check
            # also tells the server this seat is still in use).
            seat_round = int(mono // SEAT_RECHECK_S) if self._state is not None and self._state.seats else 0
            stamp = (wallet.stamp(self.home), replay.status, len(replay.licences), len(replay.grants),
                     replay.opened_at, alive() if alive else True, seat_round)
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

    def _derive(self) -> State:
        now = self.clock()
        ok = self._ledger_ok()
        licence_token, grant_tokens = wallet.read_tokens(self.home, self.ledger if ok else None)
        replay = self.record.replay()
        if ok:
            try:
                head = self.ledger.get_meta(RECORD_HEAD)
                if self.record.one_behind(replay, head):
                    with self.record.locked() as fresh:  # a killed fleet consumption's line: write it now
                        replay = self._against_store(fresh, self.ledger.get_meta)
                else:
                    replay = self.record.check_store_head(replay, head)
            except (StoreError, OSError):
                pass
        high = max(filter(None, [self.ledger.high_water() if ok else None, replay.high]),
                   default=None)
        if not licence_token and not grant_tokens:
            self._bind(None)
            state = derive_state(self.catalog, now, high_water=high)
            self._after_derive(state, replay, now, high)
            return state
        # Only a home with tokens pays for the licence module (pydantic claim models, cryptography).
        from entitlements import licence
        from entitlements.licence import LicenceClaims, verify

        trusted = self.trusted()
        claims, problem, verified = None, None, {}
        if licence_token:
            try:
                claims = verify(licence_token, trusted, now, allow_expired=True)
            except LicenceRefused as err:
                problem = f"your licence in {wallet.licence_dir(self.home)} was refused: {err.message}"
            if not isinstance(claims, LicenceClaims):
                claims = None
            else:
                verified[licence_token.strip()] = claims
        grants = []
        for token in grant_tokens:
            try:
                grant = verify(token, trusted, now)
            except LicenceRefused:
                continue  # an expired or refused grant simply adds nothing
            if isinstance(grant, licence.GrantClaims):  # created here, only where grants are held
                grants.append(grant)
        self._bind(claims.sub if claims is not None else (grants[0].sub if grants else None))
        pin = getattr(self.ledger, "pin", None)
        if pin is not None:
            pin(claims)
        if claims is not None and claims.store_host:
            store_problem = self._store_problem(claims)
            if store_problem:
                claims, problem = None, store_problem
        if claims is not None and claims.seats is not None:
            seat_problem = self._seat_problem(claims)
            if seat_problem:
                claims, problem = None, seat_problem
        known = wallet.known_licences(self.ledger if ok else None, replay, trusted, now, verified)
        state = derive_state(self.catalog, now, licence=claims, licence_problem=problem, grants=grants,
                             record=replay, high_water=high, known_licences=known)
        self._after_derive(state, replay, now, high)
        return state

    def _bind(self, account: str | None) -> None:
        """Tell a fleet ledger whose counts to use (the licence subject): a quota belongs to the licence."""
        bind = getattr(self.ledger, "bind", None)
        if bind is not None:
            bind(account)

    def _store_problem(self, claims) -> str | None:
        """A licence bound to a fleet store applies only through a verified connection to that store."""
        if getattr(self.ledger, "pinned_host", None) != claims.store_host:
            return (f"this {claims.plan} licence for {claims.sub} is bound to the fleet store at {claims.store_host}: "
                    f"it applies only with INTENT_STORE_URL (or url in [store] of config.toml) naming that server")
        err = self.ledger.problem()
        if err is not None:
            return f"this {claims.plan} licence for {claims.sub} is not applied until its fleet store answers: {err.message}"
        return None

    def _seat_problem(self, claims) -> str | None:
        """A licence with seats applies only on a terminal that holds one (fail closed when unsure), and
        seats are counted only by a fleet store: on a local store it would apply on any number of machines."""
        if not getattr(self.ledger, "authoritative", False):
            return (f"this {claims.plan} licence for {claims.sub} has {claims.seats} seat"
                    f"{'s' if claims.seats != 1 else ''}, which the fleet's store counts: it applies only with "
                    f"INTENT_STORE_URL (or url in [store] of config.toml) set to your organisation's store")
        try:
            if self.ledger.seat_held(claims.sub):
                return None
        except StoreError as err:
            return (f"this terminal's seat of the {claims.plan} licence for {claims.sub} cannot be confirmed, so "
                    f"the licence is not applied until the store answers: {err.message}")
        return (f"this terminal holds no seat of the {claims.plan} licence for {claims.sub} ({claims.seats} "
                f"seat{'s' if claims.seats != 1 else ''}); `intent license activate FILE` takes one if one is free")

    def _after_derive(self, state: State, replay: Replay, now: datetime, high: datetime | None) -> None:
        """Audit a clock set back, or move the latest-seen time forward: never waiting for a lock."""
        if state.clock_behind is not None:
            self._audit_once("clock_rollback", {"now": iso(now), "seen": iso(state.clock_behind[1])})
            return
        if high is not None and now <= high + HIGH_WATER_EVERY:
            return
        try:
            with self.ledger.transaction(blocking=False) as tx:
                tx.raise_high_water(now)
        except (StoreError, sqlite3.Error):
            pass
        if replay.ok:
            try:
                with self.record.locked(blocking=False) as fresh:
                    if fresh is not None and fresh.ok and (fresh.high is None or now > fresh.high + HIGH_WATER_EVERY):
                        self.record.append(fresh, [{"op": "seen"}], now)
            except OSError:
                pass

    def _with_record_problem(self, state: State, replay: Replay) -> State:
        from dataclasses import replace

        why = replay.problem or "the usage record is missing"
        return replace(state, metering_off=(f"{why}; metered features are off until you activate your licence "
                                            f"again (`intent license activate FILE`); this period's allowance "
                                            f"then counts as used"))

    def _ledger_ok(self) -> bool:
        self.store_error = self.ledger.problem()
        return self.store_error is None

    # ---- counting --------------------------------------------------------------------------------
    def _used_now(self, feature: str, period: str) -> int:
        """Counter read for check()/summary(): may reuse a read for COUNTER_TTL_S (consume() never does).
        The larger of the store's count and the usage record's: either alone may have been deleted."""
        mono = time.monotonic()
        hit = self._counters.get((feature, period))
        if hit is not None and mono - hit[1] < COUNTER_TTL_S:
            return hit[0]
        if not self._ledger_ok():
            raise StoreError(f"{feature} is metered and the entitlement store is unavailable; "
                             f"see `intent plan` for details", feature=feature)
        value = max(self.ledger.used(feature, period), self.record.replay().used_of(feature, period))
        self._counters[(feature, period)] = (value, mono)
        return value

    @staticmethod
    def _both(tx, replay: Replay):
        """used(feature, period) inside a consumption: the transaction's count or the record's, the larger."""
        def used(feature: str, period: str) -> int:
            return max(tx.used(feature, period), replay.used_of(feature, period))
        return used

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
            with self.ledger.transaction(blocking=False) as tx:
                tx.audit(kind, detail, self.clock())
        except (StoreError, sqlite3.Error):
            pass  # an audit failure never changes the decision, and never makes anyone wait

