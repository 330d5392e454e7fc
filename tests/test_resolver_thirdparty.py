"""Slot roles for a pack the resolver has no tables for: cue words are the ones the slots declare
(`Slot(cues=...)`, issue 14: no longer guessed from descriptions) and their names, before or after the
value (the real-estate example pack's actions, loaded from its source)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from intents.resolver.local import LocalResolver

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "realestate_pack"


@pytest.fixture(scope="module")
def resolver():
    from intents.registry import reset_module_cache

    # the shared environment may hold another checkout's copy, imported earlier through its entry point
    reset_module_cache(["realestate_pack"])
    sys.path.insert(0, str(EXAMPLE))
    try:
        from realestate_pack import pack
    finally:
        sys.path.remove(str(EXAMPLE))
    return LocalResolver.for_actions([a.spec for a in pack.actions.values()])


@pytest.mark.parametrize("text, action, slots", [
    ("cap rate for a 1.2 million building with 84k net operating income", "realestate.cap_rate",
     {"noi": 84_000, "price": 1_200_000}),
    ("what is the capitalization rate if noi is 50000 and the price is 800000", "realestate.cap_rate",
     {"noi": 50_000, "price": 800_000}),
    ("cap rate on a $2,500,000 property with noi of $175,000", "realestate.cap_rate",
     {"noi": 175_000, "price": 2_500_000}),
    ("gross rent multiplier for a 500k house renting for 40k a year", "realestate.rent_multiplier",
     {"price": 500_000, "annual_rent": 40_000}),
    ("cash on cash return with 12k yearly cash flow on 150k invested", "realestate.cash_on_cash",
     {"annual_cash_flow": 12_000, "cash_invested": 150_000}),
])
def test_roles_from_slot_descriptions(resolver, text, action, slots):
    m = resolver.resolve(text)
    assert m.action == action
    assert m.slots == slots
