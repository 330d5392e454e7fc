"""Issue 20: a built-in pack's entry point, read from our own distribution alone, is exactly the one the
full scan of every installed distribution (discover) gives."""
from __future__ import annotations

import pytest

from intents.registry import BUILTIN, _builtin_entry_point, discover


@pytest.mark.parametrize("pack_id", sorted(BUILTIN))
def test_a_builtin_entry_point_is_the_one_the_full_scan_gives(pack_id):
    eps, _refused = discover()
    assert _builtin_entry_point(pack_id) == eps[pack_id]


def test_an_unknown_id_finds_nothing():
    assert _builtin_entry_point("no-such-pack") is None
