"""Pilot tests of the TUI as a professional uses it all day: keyboard-only long results, answers in
words, paths shown as paths, copying that reaches a clipboard, locks before Enter, the licence's state."""
from __future__ import annotations

import pytest
from textual.widgets import DataTable, Digits, Input

from terminal.tui.app import IntentApp
from terminal.tui.messages import RunRequested
from terminal.tui.widgets.preview import MatchPreview
from tests.test_tui_app import SIZE, enter, results_text, sync, text_of, until
from tests.test_tui_support import FixedGate, demo_session, settle


@pytest.fixture
def demo(home, tmp_path):
    return demo_session(home, tmp_path / "out")


def footer_keys(app) -> str:
    from textual.widgets import Footer

    return " ".join(str(k.render()) for k in app.main_screen.query_one(Footer).query("FooterKey"))


@sync
async def test_a_long_table_scrolls_from_the_keyboard_while_the_line_keeps_focus(demo):
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "scroll" not in footer_keys(app)  # nothing to scroll yet: not offered
        app.main_screen.post_message(RunRequested("demo.schedule", {"principal": 120000, "rate_pct": 6, "months": 360}))
        await settle(pilot)
        await pilot.pause()
        line = app.main_screen.query_one("#intent", Input)
        area = app.main_screen.query_one("#results")
        table = app.main_screen.query_one(DataTable)
        assert line.has_focus and table.row_count == 360
        assert "PgUp/Dn" in footer_keys(app) and "scroll" in footer_keys(app)
        assert table.size.height <= area.size.height  # as tall as the area, so its header stays in view
        for _ in range(3):
            await pilot.press("pagedown")
        assert table.scroll_y > 0 and line.has_focus
        before = table.scroll_y
        await pilot.press("down")
        assert table.scroll_y == before + 1
        await pilot.press("end")  # the line is empty: End goes to the end of the result
        assert table.scroll_y == table.max_scroll_y and area.scroll_y == area.max_scroll_y
        await pilot.press("home")
        assert table.scroll_y == 0 and area.scroll_y == 0
        await pilot.press(*"abc", "home")  # with text in the line, Home moves the cursor as ever
        assert line.cursor_position == 0 and area.scroll_y == 0
        await pilot.press("ctrl+end")
        assert table.scroll_y == table.max_scroll_y
        assert line.has_focus and line.value == "abc"


@sync
async def test_inline_answers_are_read_like_the_main_line(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("finance.loan_payment", {"principal": 300000}, "a 300k loan"))
        await pilot.pause()
        await pilot.press(*"6 and a half percent", "enter")
        await pilot.pause()
        assert "2/2" in text_of(app.main_screen.query_one(MatchPreview))
        await pilot.press(*"thirty", "enter")
        await settle(pilot)
        assert app.main_screen.query_one(Digits).value == "1,896.20"


@sync
async def test_a_wrong_answer_gets_one_sentence_saying_what_is_expected(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5}))
        await pilot.pause()
        await pilot.press(*"a long time", "enter")
        await pilot.pause()
        shown = results_text(app)
        assert "Years should be a number of years" in shown and "“a long time”" in shown
        assert "Input should be" not in shown and "years: years" not in shown
        assert app.main_screen.asking is not None  # asked again
        await pilot.press(*"thirty years", "enter")
        await settle(pilot)
        assert app.main_screen.query_one(Digits).value == "1,896.20"


@sync
async def test_clinical_answers_in_units_and_words(session, unlocked):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("healthcare.egfr", {}, "egfr"))
        await pilot.pause()
        for answer in ("1.1 mg/dl", "sixty", "woman"):
            await pilot.press(*answer, "enter")
            await pilot.pause()
        await settle(pilot)
        outcome, spec = app.main_screen.last
        assert spec.id == "healthcare.egfr"
        assert (outcome.params["creatinine_mg_dl"], outcome.params["age"], outcome.params["sex"]) == (1.1, 60, "female")
