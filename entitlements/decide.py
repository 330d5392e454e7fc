"""decide(): may this state use this feature now, and how much is left. Pure: usage comes in as a function.

`used_of(feature, period) -> int` is whatever the caller counts with (a cached read for a check, the
transaction's own reads for a consumption), so the same rules serve both and need no store to test.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from entitlements.catalog import Catalog
from entitlements.decision import Decision, Upgrade
from entitlements.periods import CLOCK_SKEW, PeriodCache
from entitlements.state import State, iso

UsedOf = Callable[[str, str], int]
_periods = PeriodCache()


def limit_of(catalog: Catalog, state: State, feature: str) -> tuple[bool, bool, int | None]:
    """(entitled, metered, limit per period or None for unlimited)."""
    kind = catalog.kind(feature)
    if feature in state.features:
        value = state.features[feature]
        if kind == "metered":
            return True, True, value if isinstance(value, int) else None
        return True, False, None
    if state.all_features:
        return True, False, None
    if kind is None and feature.startswith("pack.") and catalog.unlisted_pack_features == "allow":
        return True, False, None  # a pack the vendor does not sell (third-party, user-made)
    if kind == "metered" and any(g.feature == feature for g in state.grants):
        return True, True, 0  # grants alone entitle
    return False, kind == "metered", None


def counts(catalog: Catalog, state: State, feature: str) -> bool:
    """Whether a use of `feature` is counted (metered, by kind or by the plan's limit)."""
    return catalog.kind(feature) == "metered" or limit_of(catalog, state, feature)[1]


def decide(catalog: Catalog, state: State, feature: str, qty: int, used_of: UsedOf, now: datetime) -> Decision:
    entitled, metered, limit = limit_of(catalog, state, feature)
    if not entitled:
        return deny_not_entitled(catalog, state, feature)
    if not metered:
        return Decision(feature=feature, allowed=True, value=state.features.get(feature))
    if state.metering_off:
        return Decision(feature=feature, allowed=False, kind="not_entitled", reason=f"{feature}: {state.metering_off}",
                        upgrade=Upgrade(plan=state.plan, how="activate your licence file again: "
                                                             "`intent license activate FILE`"))
    spec = catalog.features.get(feature)
    period, resets, resets_iso = _periods.get(spec.period if spec else None, now)
    used = used_of(feature, period)
    grants = grant_balances(state, feature, used_of, now)
    grant_left = sum(g["remaining"] for g in grants)
    base = dict(feature=feature, limit=limit, used=used, resets_at=resets_iso, period=period, grants=grants or None)
    if limit is None:
        return Decision(allowed=True, **base)
    remaining = max(limit - used, 0) + grant_left
    if qty <= remaining:
        return Decision(allowed=True, remaining=remaining - qty, **base)
    upgrade = catalog.upgrade_for(feature, state.rank, need=limit + qty)
    if upgrade is None:
        upgrade = (state.plan, f"wait until the count resets on {iso(resets)} or activate a grant "
                               f"(`intent license activate FILE`)")
    plan_label = f"the {state.plan} plan" if state.plan else "your plan"
    return Decision(
        allowed=False, kind="quota_exceeded", remaining=remaining,
        reason=(f"{feature}: {used} of {limit} used this period on {plan_label} (resets {iso(resets)}); "
                f"the {upgrade[0]} plan lifts the limit" if upgrade[0] != state.plan else
                f"{feature}: {used} of {limit} used this period (resets {iso(resets)})"),
        upgrade=Upgrade(plan=upgrade[0], how=upgrade[1]), **base,
    )


def clock_denial(state: State, feature: str, now: datetime, seen: str) -> Decision:
    """A consumption while the clock is behind a time already seen: an older period must not reopen."""
    return Decision(
        feature=feature, allowed=False, kind="expired",
        reason=(f"the system clock ({iso(now)}) is behind a time this terminal has already seen "
                f"({seen[:19]}Z); metered features are off until the clock is fixed"),
        upgrade=Upgrade(plan=state.plan, how="set the system clock to the correct time"),
    )


def deny_not_entitled(catalog: Catalog, state: State, feature: str) -> Decision:
    if state.licensed_plan and (feature in state.licensed_features or state.problem_kind == "expired"):
        if state.problem_kind == "expired":
            how = (f"renew your {state.licensed_plan} licence and run `intent license activate FILE`"
                   if "clock" not in (state.problem or "") else "set the system clock to the correct time")
            return Decision(feature=feature, allowed=False, kind="expired",
                            reason=f"{feature} needs your {state.licensed_plan} licence: {state.problem}",
                            upgrade=Upgrade(plan=state.licensed_plan, how=how))
    upgrade = catalog.upgrade_for(feature, state.rank)
    if upgrade is None:
        upgrade = ("enterprise" if "enterprise" in catalog.plans else state.plan,
                   f"{feature} is not part of any plan in the catalog; ask your vendor")
    spec = catalog.features.get(feature)
    label = f"{spec.title} ({feature})" if spec and spec.title else feature
    reason = f"{label} is not in the {state.plan} plan; the {upgrade[0]} plan unlocks it"
    if state.problem:
        reason += f" ({state.problem})"
    return Decision(feature=feature, allowed=False, kind="not_entitled", reason=reason,
                    upgrade=Upgrade(plan=upgrade[0], how=upgrade[1]))


def grant_balances(state: State, feature: str, used_of: UsedOf, now: datetime) -> list[dict]:
    out = []
    for grant in state.grants:
        if grant.feature != feature or not (grant.nbf - CLOCK_SKEW <= now < grant.exp):
            continue
        used = used_of(feature, f"grant:{grant.jti}")
        out.append({"id": grant.jti, "qty": grant.qty, "used": used, "remaining": max(grant.qty - used, 0),
                    "expires_at": iso(grant.exp)})
    return out


def allocate(catalog: Catalog, state: State, feature: str, qty: int, used_of: UsedOf,
             now: datetime) -> list[tuple[str, int]]:
    """Split a consumption: the period's quota first, then grants, soonest-expiring first."""
    _, _, limit = limit_of(catalog, state, feature)
    spec = catalog.features.get(feature)
    period, _, _ = _periods.get(spec.period if spec else None, now)
    if limit is None:
        return [(period, qty)]
    parts = []
    take = min(max(limit - used_of(feature, period), 0), qty)
    if take:
        parts.append((period, take))
    left = qty - take
    for grant in grant_balances(state, feature, used_of, now):
        if left <= 0:
            break
        part = min(grant["remaining"], left)
        if part:
            parts.append((f"grant:{grant['id']}", part))
            left -= part
    return parts
