"""Test helper: give a home a real, signed licence for a plan.

Until the entitlement store lands, the gate is permissive and this has nothing to do.
"""
from __future__ import annotations

from pathlib import Path


def activate_plan(home: Path, plan: str) -> None:
    return None
