"""A gate that allows everything: the skeleton's stand-in until the store lands. Not for release."""
from __future__ import annotations

from entitlements.decision import Decision


class PermissiveGate:
    def check(self, feature: str, qty: int = 1) -> Decision:
        return Decision(feature=feature, allowed=True)

    def consume(self, feature: str, qty: int = 1, idempotency_key: str | None = None) -> Decision:
        return Decision(feature=feature, allowed=True)

    def summary(self) -> dict:
        return {"plan": "development", "status": "active", "features": ["*"], "usage": []}
