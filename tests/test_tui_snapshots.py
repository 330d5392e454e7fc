"""Snapshot tests (pytest-textual-snapshot) at 80x24: the main screen, a table result, Packs and Plan.

They run over the demo packs and a fixed gate (tests/test_tui_support.py) with fixed inputs, so a frame
changes only when the TUI's own rendering does. Update with `pytest tests/test_tui_snapshots.py
--snapshot-update` after checking the new frames by eye."""
from __future__ import annotations

from pathlib import Path

import pytest

from terminal.tui.app import IntentApp
from terminal.tui.messages import RunRequested
from tests.test_tui_support import demo_session, settle


# A fixed documents folder: the confirmation says where files go, so the frame must not carry a random
# tmp path. No snapshot runs an action that writes there.
OUT = Path("/tmp/intent-terminal-snapshots/documents")


@pytest.fixture
def app(home):
    return IntentApp(session=demo_session(home, OUT))




def test_main_screen(snap_compare, app):
    assert snap_compare(app, run_before=settle)


def test_table_result(snap_compare, app):
    async def run(pilot):
        await settle(pilot)
        pilot.app.main_screen.post_message(
            RunRequested("demo.schedule", {"principal": 1200, "rate_pct": 12, "months": 4}))
        await settle(pilot)

    assert snap_compare(app, run_before=run)


def test_packs_screen(snap_compare, app):
    async def run(pilot):
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(app, run_before=run)


def test_plan_screen(snap_compare, app):
    async def run(pilot):
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)

    assert snap_compare(app, run_before=run)


def test_confirmation_modal(snap_compare, app):
    async def run(pilot):
        await settle(pilot)
        pilot.app.main_screen.post_message(RunRequested("demo.note", {"title": "Hello"}))
        await pilot.pause()

    assert snap_compare(app, run_before=run)
