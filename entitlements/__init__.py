"""The subscription-entitlement store. It knows feature keys only, never packs' code.

`open_gate(home)` returns the gate dispatch asks before an action runs.
"""
from __future__ import annotations

from pathlib import Path

from entitlements.decision import Decision, Gate

__all__ = ["Decision", "Gate", "open_gate"]


def open_gate(home: Path | None = None) -> Gate:
    from entitlements.permissive import PermissiveGate

    return PermissiveGate()
