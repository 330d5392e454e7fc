"""The subscription-entitlement store. It knows feature keys only, never packs' code.

`open_gate(home)` returns the gate dispatch asks before an action runs: entitlements come from
verified licence tokens (or the free plan); usage and the audit log live in a SQLite store, and usage
also in the hash-chained usage record next to the licence. Threat model: docs/security.md.

Reading order: state.py (derive_state, pure) -> decide.py (decide, pure) -> gate.py (gathers inputs,
writes) -> ledger.py (the store's SQL, an interface for other backends) -> usage_record.py -> wallet.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from entitlements.decision import Decision, Gate

__all__ = ["Decision", "Gate", "open_gate"]


def __getattr__(name: str):
    # Decision and Gate on first use (PEP 562): importing a submodule (the audit log, the catalog) runs this
    # file, and must not build the decision models and import pydantic for it (issue 20).
    if name in ("Decision", "Gate"):
        from entitlements import decision

        return getattr(decision, name)
    raise AttributeError(f"module 'entitlements' has no attribute {name!r}")


def open_gate(home: Path | None = None, clock=None) -> Gate:
    """The gate for INTENT_HOME (or `home`); `clock` (a callable returning an aware datetime) is for tests."""
    from entitlements.gate import StoreGate

    if home is None:
        from intents.paths import home as default_home

        home = default_home()
    from entitlements.fleet import fleet_ledger

    return StoreGate(home, clock=clock, ledger=fleet_ledger(home))
