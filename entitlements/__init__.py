"""The subscription-entitlement store. It knows feature keys only, never packs' code.

`open_gate(home)` returns the gate dispatch asks before an action runs: entitlements come from
verified licence tokens (or the free plan); usage and the audit log live in a SQLite store.
"""
from __future__ import annotations

from pathlib import Path

from entitlements.decision import Decision, Gate

__all__ = ["Decision", "Gate", "open_gate"]


def open_gate(home: Path | None = None, clock=None) -> Gate:
    """The gate for INTENT_HOME (or `home`); `clock` (a callable returning an aware datetime) is for tests."""
    from entitlements.gate import StoreGate

    if home is None:
        from intents.paths import home as default_home

        home = default_home()
    return StoreGate(home, clock=clock)
