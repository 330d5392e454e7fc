"""The gate's interface: a decision per feature check, and atomic consumption of metered features."""
# No `from __future__ import annotations`: see entitlements/catalog.py.
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict


class Upgrade(BaseModel):
    # Part of Decision's schema; built on its own only when a denial names one (issue 20).
    model_config = ConfigDict(defer_build=True)

    plan: str
    how: str


class Decision(BaseModel):
    feature: str
    allowed: bool
    kind: Literal["ok", "not_entitled", "quota_exceeded", "expired"] = "ok"
    reason: str = ""
    limit: int | None = None
    used: int | None = None
    remaining: int | None = None
    resets_at: str | None = None  # ISO timestamp
    upgrade: Upgrade | None = None
    period: str | None = None  # metered: the usage period counted ("2026-11")
    value: Any = None  # config features: the plan's value (e.g. max_file_mb)
    grants: list[dict[str, Any]] | None = None  # metered: active top-ups with their balances


class Gate(Protocol):
    """What dispatch asks. A gate may also offer `reserve(feature, qty, idempotency_key)` and
    `settle(feature, idempotency_key)`: a use counted before the action runs and confirmed once its
    result is delivered, so a process killed in between does not burn quota (StoreGate does)."""

    def check(self, feature: str, qty: int = 1) -> Decision: ...

    def consume(self, feature: str, qty: int = 1, idempotency_key: str | None = None) -> Decision: ...

    def refund(self, feature: str, idempotency_key: str) -> bool: ...

    def summary(self) -> dict[str, Any]: ...
