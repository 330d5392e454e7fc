"""Pilot tests of the terminal UI: type, preview, Enter, result; inline questions; denial; confirmation;
cancellation; every screen; voice without a microphone. Each drives the real app over a real Session."""
from __future__ import annotations

import asyncio
import functools
import sys

import pytest
from textual.widgets import DataTable, Digits, Input, Markdown, Static

from terminal.tui.app import IntentApp
from terminal.tui.messages import RunRequested
from terminal.tui.screens.confirm import ConfirmScreen
from terminal.tui.widgets.preview import MatchPreview
from terminal.tui.widgets.panels import DenialPanel, Notice
from terminal.tui.widgets.result_view import ResultView
from tests.test_tui_support import FixedGate, demo_session, settle

def sync(fn):
    """Run an async Pilot test with asyncio (no async pytest plugin needed); fixtures pass through."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


LOAN = "monthly payment on a 300k loan at 6.5% over 30 years"
SIZE = (80, 24)


async def until(pilot, condition, timeout: float = 20.0) -> None:
    """Wait (under any machine load) until `condition()` holds."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


async def enter(pilot, text: str) -> None:
    """Put a whole utterance in the intent line (as a paste would) and press Enter."""
    pilot.app.main_screen.query_one("#intent", Input).value = text
    await pilot.pause()
    await pilot.press("enter")


def text_of(widget) -> str:
    return str(widget.render())


def results_text(app) -> str:
    return "\n".join(text_of(w) for w in app.main_screen.query("#results Static"))


@pytest.fixture
def demo(home, tmp_path):
    return demo_session(home, tmp_path / "out")


@sync
async def test_typing_previews_the_loan_and_enter_shows_the_payment(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*LOAN[:30])  # part-way through typing the preview already knows
        assert "finance.loan_payment" in text_of(app.main_screen.query_one(MatchPreview))
        await pilot.press(*LOAN[30:])
        preview = text_of(app.main_screen.query_one(MatchPreview))
        assert "finance.loan_payment" in preview and "300,000" in preview and "6.5%" in preview
        await pilot.press("enter")
        await settle(pilot)
        digits = app.main_screen.query_one(Digits)
        assert digits.value == "1,896.20"
        shown = results_text(app)
        assert "382,633.47" in shown and "basis: PMT" in shown and "Not investment" in shown
        assert app.main_screen.query_one(Input).value == ""
        assert session.history.entries()[0]["source"] == "tui"


@sync
async def test_the_first_frame_has_the_line_and_the_next_the_footer_keys_and_the_plan(session):
    from textual.widgets import Footer

    from terminal.tui.widgets.title_bar import TitleBar

    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.first_frame_ms is not None and app.complete_frame_ms >= app.first_frame_ms
        keys = " ".join(str(k.render()) for k in app.main_screen.query_one(Footer).query("FooterKey"))
        assert "packs" in keys and "plan" in keys and "history" in keys and "quit" in keys
        title = text_of(app.main_screen.query_one(TitleBar))
        assert "Intent Terminal" in title and "plan: free" in title
        assert app.main_screen.query_one("#intent", Input).has_focus


@sync
async def test_missing_slots_are_asked_one_at_a_time(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("finance.loan_payment", {"principal": 300000}, "a 300k loan"))
        await pilot.pause()
        preview = app.main_screen.query_one(MatchPreview)
        assert "interest rate" in text_of(preview) and "1/2" in text_of(preview)
        await pilot.press(*"6.5%", "enter")
        assert "how many years" in text_of(preview).lower() and "2/2" in text_of(preview)
        await pilot.press(*"30 years", "enter")
        await settle(pilot)
        assert app.main_screen.query_one(Digits).value == "1,896.20"


@sync
async def test_a_bad_answer_is_asked_again_naming_the_parameter(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5}))
        await pilot.pause()
        await pilot.press(*"-3", "enter")  # years must be > 0
        await settle(pilot)
        assert "years" in results_text(app)
        assert "how many years" in text_of(app.main_screen.query_one(MatchPreview)).lower()
        await pilot.press("escape")
        assert app.main_screen.asking is None


@sync
async def test_a_denied_action_names_the_plan_and_f4_opens_the_plan_screen(session):
    session.gate = FixedGate(allowed=("pack.system",), plan="free")
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await enter(pilot, LOAN)
        await settle(pilot)
        denial = text_of(app.main_screen.query_one(DenialPanel))
        assert "pack.finance" in denial and "enterprise" in denial and "F4" in denial
        assert not app.main_screen.query(Digits)
        await pilot.press("f4")
        await settle(pilot)
        assert type(app.screen).__name__ == "PlanScreen"
        assert "free" in text_of(app.screen.query_one("#plan-summary"))


@sync
async def test_destructive_action_asks_confirmation_first(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("system.remove_pack", {"pack": "legal"}))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert session.registry.is_installed("legal")
        assert "Not run" in results_text(app)
        app.main_screen.post_message(RunRequested("system.remove_pack", {"pack": "legal"}))
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: not session.registry.is_installed("legal"))
        await until(pilot, lambda: app.main_screen.ready)  # the resolver was rebuilt without legal
        assert all(not a.id.startswith("legal.") for a in session.registry.actions())
        assert app.main_screen._resolve_local("deadline 30 days from 2026-03-02").action != "legal.deadline"


@sync
async def test_a_long_run_shows_a_spinner_and_escape_cancels_it(demo):
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("demo.wait", {"seconds": 1.5}))
        await pilot.pause()
        assert app.main_screen.query("LoadingIndicator")
        await pilot.press("escape")
        await pilot.pause()
        assert "Cancelled" in results_text(app) and not app.main_screen.running
        await settle(pilot)  # the late answer is dropped
        assert not app.main_screen.query(ResultView)


@sync
async def test_table_and_document_results_copy_and_export(demo, tmp_path):
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("demo.schedule", {"principal": 1200, "rate_pct": 12, "months": 4}))
        await settle(pilot)
        table = app.main_screen.query_one(DataTable)
        assert table.row_count == 4 and app.main_screen.query_one(Digits).value == "307.54"
        await pilot.press("ctrl+y")
        assert "307.54" in app.clipboard
        await pilot.press("ctrl+s")
        json_path, csv_path = app.main_screen.exported
        assert csv_path.read_text().splitlines()[0] == "month,payment,interest,balance"
        assert '"demo.schedule"' in json_path.read_text()
        app.main_screen.post_message(RunRequested("demo.note", {"title": "Hello"}))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # writes files
        await pilot.press("y")
        await until(pilot, lambda: app.main_screen.last and app.main_screen.last[1].id == "demo.note")
        await settle(pilot)
        assert (tmp_path / "out" / "note.md").exists()
        assert str(tmp_path / "out" / "note.md") in results_text(app)
        assert app.main_screen.query_one(Markdown)


@sync
async def test_not_understood_and_a_locked_pack(demo):
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await enter(pilot, "zzqx blorp")
        await pilot.pause()
        assert "Not understood" in results_text(app)
        app.main_screen.post_message(RunRequested("vault.open_vault", {}))
        await settle(pilot)
        assert "pack.vault" in text_of(app.main_screen.query_one(DenialPanel))


@sync
async def test_each_screen_opens_and_history_reruns(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await enter(pilot, LOAN)
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert type(app.screen).__name__ == "PacksScreen"
        packs = app.screen.query_one(DataTable)
        assert {"finance", "system"} <= {str(k.value) for k in packs.rows}
        await pilot.press("escape", "f4")
        await settle(pilot)
        assert type(app.screen).__name__ == "PlanScreen"
        await pilot.press("escape", "f5")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        await pilot.press(*"300k")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert app.main_screen.query_one(Digits).value == "1,896.20"
        assert len(session.history.entries()) == 2
        await pilot.press("f1")
        await settle(pilot)
        assert app.main_screen.query_one(DataTable).row_count >= 1  # system.help lists actions


@sync
async def test_packs_screen_removes_and_installs_a_pack_after_confirmation(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("legal"))
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: not session.registry.is_installed("legal"))
        await settle(pilot)
        assert "available" in str(app.screen.query_one(DataTable).get_row("legal")[3])
        await pilot.press("i", "y")
        await until(pilot, lambda: session.registry.is_installed("legal"))
        await settle(pilot)
        assert any(a.id.startswith("legal.") for a in session.registry.actions())


@sync
async def test_the_chosen_theme_is_kept_for_the_next_start(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    again = IntentApp(session=session)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


class AmbiguousResolver:
    """A resolver that is unsure between two actions, whatever the text (alternatives are rare otherwise)."""

    def resolve(self, text):
        from intents.resolver import Alternative, Match

        return Match(text=text, action="finance.loan_payment", confidence=0.55,
                     slots={"principal": 300000.0, "rate_pct": 6.5, "years": 30.0},
                     alternatives=[Alternative(action="finance.amortization", confidence=0.5)])


@sync
async def test_ctrl_n_picks_an_alternative_keeping_the_values(session):
    session.resolver = AmbiguousResolver()
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.query_one(Input).value = LOAN
        await pilot.pause()
        assert "ctrl+n for finance.amortization" in text_of(app.main_screen.query_one(MatchPreview))
        await pilot.press("ctrl+n")
        preview = text_of(app.main_screen.query_one(MatchPreview))
        assert "finance.amortization" in preview.splitlines()[0] and "300,000" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.last[1].id == "finance.amortization"
        assert app.main_screen.query_one(DataTable).row_count == 360


@sync
async def test_voice_key_without_capture_says_so(session, monkeypatch):
    monkeypatch.setitem(sys.modules, "terminal.voice.capture", None)  # import fails as on a machine without it
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert "voice not available on this machine" in results_text(app)


@sync
async def test_command_palette_lists_screens_and_actions(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"packs")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PacksScreen"
        await pilot.press("escape", "ctrl+p", *"loan pay")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await settle(pilot)
        spec = session.registry.spec("finance.loan_payment")
        assert app.main_screen.query_one(Input).value == spec.samples[0]  # an example to edit, not a blind run


@sync
async def test_free_plan_denies_legal_and_a_licence_file_activated_on_the_plan_screen_unlocks_it(
        session, home, tmp_path, monkeypatch):
    from tests.licensing import licence_token

    values = {"start_date": "2026-03-02", "days": 30}
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("legal.deadline", values))
        await settle(pilot)
        denial = text_of(app.main_screen.query_one(DenialPanel))
        assert "pack.legal" in denial and "pro" in denial
        licence = tmp_path / "pro.licence"
        licence.write_text(licence_token(home, "pro", monkeypatch=monkeypatch))
        await pilot.press("f4")
        await settle(pilot)
        app.screen.query_one("#licence-path", Input).value = str(licence)
        await pilot.press("enter")
        await settle(pilot)
        assert "plan pro" in text_of(app.screen.query_one("#plan-summary"))
        assert "▶ Pro" in text_of(app.screen.query_one("#plans"))  # the catalog's plans, this one marked
        assert session.gate.check("pack.legal").allowed


@sync
async def test_voice_transcript_lands_in_the_intent_line_for_checking(session, monkeypatch):
    import types

    levels = []

    def transcribe_microphone(on_level=None, registry=None, **_):  # stands in for a microphone
        on_level(0.6)
        levels.append(registry is session.registry)
        return types.SimpleNamespace(text="monthly payment on a 300k loan at 6.5% over 30 years",
                                     normalized="", engine="test")

    monkeypatch.setitem(sys.modules, "terminal.voice.capture", types.SimpleNamespace(transcribe_microphone=transcribe_microphone))
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert levels == [True]
        assert app.main_screen.query_one(Input).value == LOAN
        assert "finance.loan_payment" in text_of(app.main_screen.query_one(MatchPreview))
        assert not app.main_screen.query(Digits)  # not run until the person presses Enter


@sync
async def test_a_risky_action_the_plan_refuses_is_denied_before_any_confirmation(demo):
    demo.gate.allowed.discard("pack.demo")
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("demo.note", {"title": "Hello"}))
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert "pack.demo" in text_of(app.main_screen.query_one(DenialPanel))


def test_intent_without_a_terminal_says_how_to_script_it(cli):
    result = cli(input="")
    assert result.code == 2
    assert "needs a terminal" in result.err and "intent run" in result.err


@sync
async def test_a_list_result_shows_each_item(demo):
    app = IntentApp(session=demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.post_message(RunRequested("demo.find", {"query": "fever"}))
        await settle(pilot)
        shown = results_text(app)
        assert "matches (1)" in shown and "• A01  Typhoid fever" in shown and "basis: demo table" in shown


class UnsureCascade:
    """The cascade's interface (resolve_local / wants_llm / refine) with a scripted second tier."""

    def __init__(self, local):
        self.local = local
        self.refined = []

    def resolve(self, text):
        return self.refine(self.resolve_local(text))

    def resolve_local(self, text):
        return self.local.resolve(text)

    def wants_llm(self, match):
        return match.action is None

    def refine(self, match):
        from intents.resolver import Match

        self.refined.append(match.text)
        return Match(text=match.text, action="finance.loan_payment", confidence=0.9, source="llm",
                     slots={"principal": 300000, "rate_pct": 6.5, "years": 30}, notice="answered by the LLM tier")


@sync
async def test_enter_on_a_request_the_local_tier_is_unsure_of_asks_the_second_tier(session):
    from intents.resolver import local_resolver

    session.resolver = UnsureCascade(local_resolver(session.registry))
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await enter(pilot, "zzqx blorp")
        await until(pilot, lambda: app.main_screen.last is not None)
        assert session.resolver.refined == ["zzqx blorp"]
        assert app.main_screen.query_one(Digits).value == "1,896.20"
        await enter(pilot, LOAN)  # sure locally: no second tier
        await settle(pilot)
        assert session.resolver.refined == ["zzqx blorp"]


@sync
async def test_a_registry_that_cannot_load_is_reported_not_hung(session):
    class Broken:
        def actions(self):
            raise OSError("cache unreadable")

    session.registry = Broken()
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "Could not load the installed packs" in results_text(app))
        assert "cache unreadable" in results_text(app)
