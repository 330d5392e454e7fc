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


async def layout_done(pilot, ready, tries: int = 40) -> None:
    """Layout and the footer's bindings refresh a few frames after the result is mounted; on a loaded
    machine that can take longer than one pause. Wait (bounded) for the frame the test looks at."""
    for _ in range(tries):
        if ready():
            return
        await pilot.pause(0.05)


@sync
async def test_a_long_table_scrolls_from_the_keyboard_while_the_line_keeps_focus(demo):
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "scroll" not in footer_keys(app)  # nothing to scroll yet: not offered
        app.main_screen.post_message(RunRequested("demo.schedule", {"principal": 120000, "rate_pct": 6, "months": 360}))
        await settle(pilot)
        await layout_done(pilot, lambda: "PgUp/Dn" in footer_keys(app))
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


@sync
async def test_a_written_file_is_shown_as_a_path_with_its_folder_never_as_big_digits(session, tmp_path, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)  # a bare terminal: no file manager to open
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("finance.amortization_csv",
                                                  {"principal": 2500, "rate_pct": 8.24, "years": 1}))
        await pilot.pause()
        await pilot.press("y")  # it writes a file: confirmed first
        await until(pilot, lambda: app.main_screen.last is not None)
        await settle(pilot)
        assert not app.main_screen.query(Digits)
        shown = results_text(app)
        path = app.main_screen.last[0].result["path"]
        assert path.startswith(str(tmp_path / "out"))
        assert f"saved {tmp_path / 'out' / 'amortization-2500-at-8.24pct-12m.csv'}" in shown
        assert "ctrl+o open folder" in shown
        await pilot.press("ctrl+o")
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any(f"the folder is {tmp_path / 'out'}" in n for n in notes)


@sync
async def test_copy_falls_back_to_a_clipboard_tool_or_says_where_it_saved(demo, tmp_path, monkeypatch):
    import stat

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    got = tmp_path / "clip.txt"
    tool = bin_dir / "xclip"  # a real executable on PATH, standing in for the X clipboard tool
    tool.write_text(f"#!/bin/sh\ncat > {got}\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("demo.schedule", {"principal": 1200, "rate_pct": 12, "months": 4}))
        await settle(pilot)
        await pilot.press("ctrl+y")
        assert app.main_screen.copied.ok and app.main_screen.copied.how == "xclip"
        assert "307.54" in got.read_text()
        monkeypatch.setenv("PATH", "/nonexistent")  # no tool at all: saved, and it says where
        await pilot.press("ctrl+y")
        copied = app.main_screen.copied
        assert not copied.ok and copied.saved == tmp_path / "out" / "clipboard.txt"
        assert "307.54" in copied.saved.read_text()
        assert f"saved in {copied.saved}" in copied.message


@sync
async def test_the_preview_shows_the_lock_and_the_plan_that_unlocks_it(demo):
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"open the vault")
        preview = text_of(app.main_screen.query_one(MatchPreview))
        assert "vault.open_vault" in preview and "🔒 enterprise plan" in preview.splitlines()[0]
        await pilot.press("ctrl+u", *"repayment schedule for 1200 at 12% over 4 months")
        assert "🔒" not in text_of(app.main_screen.query_one(MatchPreview))


@sync
async def test_f1_marks_the_locked_actions_the_same_way(session):
    app = IntentApp(session=session)  # a fresh install: the free plan
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"draft an nda between Acme Inc. and Bob Smith")
        assert "🔒 pro plan" in text_of(app.main_screen.query_one(MatchPreview)).splitlines()[0]
        await pilot.press("ctrl+u", "f1")
        await settle(pilot)
        table = app.main_screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        assert "🔒 pro plan" in rows["legal.draft_nda"] and "🔒 pro plan" in rows["healthcare.egfr"]
        assert not any("🔒" in c for c in rows["finance.loan_payment"])


@sync
async def test_a_refused_licence_is_marked_in_the_title_and_said_once_on_f4(session, tmp_path, monkeypatch):
    from entitlements import wallet
    from terminal.tui.widgets.title_bar import TitleBar
    from tests.licensing import licence_token

    token = licence_token(session.home, "pro", monkeypatch=monkeypatch)
    wallet.licence_dir(session.home).mkdir(parents=True, exist_ok=True)
    from entitlements.keys import trusted_keys
    from entitlements.wallet import activate
    from datetime import datetime, timezone

    activate(session.home, token, trusted_keys(), datetime.now(timezone.utc))
    monkeypatch.setenv("INTENT_TRUST_DIR", str(tmp_path / "no-keys-here"))  # the trust dir not set up
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = text_of(app.main_screen.query_one(TitleBar))
        assert "plan: free — licence refused" in title
        await pilot.press("f4")
        await until(pilot, lambda: getattr(app.screen, "summary", None) is not None)
        await pilot.pause()
        shown = text_of(app.screen.query_one("#plan-summary"))
        assert shown.count("does not trust") == 1 and "warnings" not in shown and "['" not in shown
        assert "fix: Put the vendor's public key" in shown


@sync
async def test_history_rows_use_the_terminal_width(session):
    long = "monthly payment on a 300k loan at 6.5% over 30 years with nothing extra paid each month"
    session.history.record(text=long, action="finance.loan_payment", params={}, status="ok", exit_code=0,
                           result={}, elapsed_ms=1.0, source="cli")
    for width, whole in ((80, False), (160, True)):
        app = IntentApp(session=session)
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f5")
            await until(pilot, lambda: getattr(app.screen, "loaded", None))
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            request = str(table.get_row_at(0)[2])
            assert (request == long) is whole
            assert len(request) >= min(len(long), width - 60)  # the room the other columns leave, not 34


@sync
async def test_a_schedule_is_drawn_as_the_charts_its_render_hints_declare(session):
    from textual_plotext import PlotextPlot

    app = IntentApp(session=session)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("finance.amortization",
                                                  {"principal": 300000, "rate_pct": 6.5, "years": 30}))
        await settle(pilot)
        await layout_done(pilot, lambda: len(app.main_screen.query(PlotextPlot)) == 2 and all(
            p.size.height > 5 for p in app.main_screen.query(PlotextPlot)))
        plots = list(app.main_screen.query(PlotextPlot))
        assert [p.chart.title for p in plots] == ["balance", "principal and interest in each payment"]
        assert all(p.size.height > 5 and p.size.width > 20 for p in plots)
        assert app.main_screen.query_one(DataTable).row_count == 360  # the numbers stay beside the picture


def test_a_value_among_bands_marks_its_band():
    from intents.specs import Chart
    from terminal.tui.widgets.charts import bands_text, bucketed

    chart = Chart(kind="bands", title="KDIGO GFR categories", value="egfr", unit="mL/min/1.73 m²",
                  bands=[{"label": "G5", "from": 0, "to": 15}, {"label": "G4", "from": 15, "to": 30},
                         {"label": "G3b", "from": 30, "to": 45}, {"label": "G3a", "from": 45, "to": 60},
                         {"label": "G2", "from": 60, "to": 90}, {"label": "G1", "from": 90, "to": 130}])
    text = bands_text(chart, 57.5).plain
    assert "egfr 57.5 mL/min/1.73 m²: G3a" in text and text.count("▼") == 1
    marker, strip = text.splitlines()[1:3]
    at = marker.index("▼")
    assert strip[at - 1:at + 2].strip() and "G3a" in strip[max(0, at - 6):at + 6]
    xs, series = bucketed(list(range(1, 361)), {"interest": [1.0] * 360})
    assert len(xs) <= 30 and sum(series["interest"]) == 360  # summed, not sampled


@sync
async def test_an_export_carries_the_charts_as_images(session, tmp_path):
    import xml.etree.ElementTree as ET

    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("finance.amortization",
                                                  {"principal": 300000, "rate_pct": 6.5, "years": 30}))
        await settle(pilot)
        await pilot.press("ctrl+s")
        json_path, csv_path, *images = app.main_screen.exported
        assert [p.name for p in images] == ["finance-amortization-chart-1.svg", "finance-amortization-chart-2.svg"]
        for image in images:
            root = ET.fromstring(image.read_text())
            assert root.tag.endswith("svg") and image.parent == tmp_path / "out"
        assert "polyline" in images[0].read_text() and images[1].read_text().count("<rect") > 30


def test_bands_as_an_image_mark_the_value():
    import xml.etree.ElementTree as ET

    from intents.specs import Chart
    from terminal.chart_svg import chart_svg

    chart = Chart(kind="bands", title="KDIGO GFR categories", value="egfr", unit="mL/min/1.73 m²",
                  bands=[{"label": "G3a", "from": 45, "to": 60}, {"label": "G2", "from": 60, "to": 90}])
    svg = chart_svg(chart, {"egfr": 57.5})
    ET.fromstring(svg)
    assert "egfr 57.5 mL/min/1.73 m²" in svg and svg.count("#3a9e5a") == 1
    assert chart_svg(chart, {"egfr": "n/a"}) is None
