"""derive_state(): what verified tokens entitle at one moment. Pure: no files, no store, no clock.

The gate gathers the inputs (verified claims, the usage record's replay, the latest time seen) and
calls this; tests can call it with hand-made inputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from entitlements.catalog import FREE, Catalog
from entitlements.periods import CLOCK_SKEW

if TYPE_CHECKING:
    from entitlements.licence import GrantClaims, LicenceClaims
    from entitlements.usage_record import Replay

ROLLBACK_TOLERANCE = timedelta(minutes=10)  # clock corrections smaller than this are not a rollback


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds") if dt else None


# eq and repr off: nothing compares or prints a State, and dataclasses would compile the generated
# methods again in every process (with Replay's and Prepared's, about 1 ms of a cold `intent do`; issue 20).
@dataclass(eq=False, repr=False)
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
    metering_off: str | None = None  # why no metered use is possible now (usage record missing/broken)
    clock_behind: tuple[datetime, datetime] | None = None  # (now, latest seen) when the clock went back
    seats: int | None = None  # a fleet licence: how many terminals may hold it
    pools: dict[str, dict[str, int]] = field(default_factory=dict)  # pooled feature -> seats, per_seat, limit


def free_state(catalog: Catalog) -> State:
    plan = catalog.plan(FREE)
    return State(plan=FREE, status="active", rank=plan.rank, features=dict(plan.features),
                 all_features=plan.all_features)


def superseded_by(claims: LicenceClaims, known: dict[str, tuple[str, datetime]]) -> datetime | None:
    """The issue time of a newer licence for the same subject this terminal has seen, if any."""
    newer = [iat for jti, (sub, iat) in known.items() if sub == claims.sub and jti != claims.jti and iat > claims.iat]
    return max(newer) if newer else None


def derive_state(catalog: Catalog, now: datetime, licence: LicenceClaims | None = None,
                 licence_problem: str | None = None, grants: list[GrantClaims] = (),
                 record: Replay | None = None, high_water: datetime | None = None,
                 known_licences: dict[str, tuple[str, datetime]] | None = None,
                 activate_hint: str = "`intent license activate FILE`") -> State:
    """Entitlements from a verified licence (or the free plan) and grants.

    record: the usage record's replay; metered use needs it intact and covering the licence and grants.
    high_water: the latest time this terminal has seen (record and store); a clock behind it turns
    licensed features off. known_licences: jti -> (subject, iat) of licences seen here; a licence with
    a newer one for its subject is superseded and refused.
    """
    state = free_state(catalog)
    if licence_problem:
        state.problem = licence_problem
        state.warnings.append(licence_problem)
    if licence is not None:
        newer = superseded_by(licence, known_licences or {})
        if newer is not None:
            state.problem = (f"your {licence.plan} licence (issued {iso(licence.iat)}) was replaced by a newer "
                             f"licence for {licence.sub} (issued {iso(newer)}) and is refused; activate the newer one")
            state.warnings.append(state.problem)
            licence = None
    if not _clock_ok(state, now, licence, high_water):
        return state
    if licence is not None:
        _apply_licence(catalog, state, licence, now)
    state.grants = sorted(grants, key=lambda g: g.exp)
    applied = licence if licence is not None and state.status != "expired" else None
    metered = any(catalog.kind(f) == "metered" for f in state.features) or (
        state.all_features and any(catalog.kind(f) == "metered" for f in catalog.features))
    if state.grants or (applied is not None and metered):
        _check_record(state, applied, record, activate_hint)
    return state


def _clock_ok(state: State, now: datetime, claims: LicenceClaims | None, high: datetime | None) -> bool:
    seen = claims.iat - CLOCK_SKEW if claims else None
    behind = None
    if seen and now < seen:
        behind = claims.iat
    elif high and now < high - ROLLBACK_TOLERANCE:
        behind = high
    if behind is None:
        return True
    state.clock_behind = (now, behind)
    state.problem_kind = "expired"
    state.problem = (f"the system clock ({iso(now)}) is behind a time this terminal has already seen "
                     f"({iso(behind)}); licensed features are off until the clock is fixed")
    state.warnings.append(state.problem)
    if claims:
        state.status = "expired"
        state.subject, state.expires_at = claims.sub, claims.exp
        state.licensed_plan, state.licensed_features = claims.plan, dict(claims.features)
    return False


def _apply_licence(catalog: Catalog, state: State, claims: LicenceClaims, now: datetime) -> None:
    from entitlements.licence import subscription_status

    status = subscription_status(claims, now)
    state.subject, state.expires_at = claims.sub, claims.exp
    state.licensed_plan, state.licensed_features = claims.plan, dict(claims.features)
    rank = catalog.plans[claims.plan].rank if claims.plan in catalog.plans else 1
    if status == "expired":
        state.status = "expired"
        state.problem_kind = "expired"
        state.problem = f"your {claims.plan} licence expired on {iso(claims.exp)}; renew it"
        state.warnings.append(state.problem)
        return
    merged = dict(state.features)
    merged.update(claims.features)
    state.seats = claims.seats
    for feature in claims.pooled:
        per_seat = merged.get(feature)
        if claims.seats and isinstance(per_seat, int) and not isinstance(per_seat, bool):
            # A pooled feature: one shared count for all the licence's terminals, limit x seats.
            merged[feature] = per_seat * claims.seats
            state.pools[feature] = {"seats": claims.seats, "per_seat": per_seat, "limit": per_seat * claims.seats}
    state.plan, state.status, state.rank = claims.plan, status, rank
    state.features, state.all_features = merged, claims.all_features
    if status == "grace":
        state.warnings.append(f"your {claims.plan} licence expired on {iso(claims.exp)}; it keeps working "
                              f"until {iso(claims.exp + timedelta(days=claims.grace_days))}; renew it")


def _check_record(state: State, licence: LicenceClaims | None, record: Replay | None, hint: str) -> None:
    """Metered use is bound to the usage record: it must be intact and know the licence and each grant."""
    if record is None or not record.ok:
        why = record.problem if record is not None and record.problem else "the usage record is missing"
        state.metering_off = (f"{why}; metered features are off until you activate your licence again "
                              f"({hint}); this period's allowance then counts as used")
        state.warnings.append(state.metering_off)
        state.grants = []
        return
    if licence is not None and licence.jti not in record.licences:
        state.metering_off = (f"this {licence.plan} licence was not activated on this terminal's usage record; "
                              f"activate it ({hint}) to use metered features")
        state.warnings.append(state.metering_off)
    unknown = [g for g in state.grants if g.jti not in record.grants]
    if unknown:
        state.grants = [g for g in state.grants if g.jti in record.grants]
        state.warnings.append(f"{len(unknown)} grant(s) in the grants folder were not activated here; "
                              f"activate them ({hint}) to use them")
