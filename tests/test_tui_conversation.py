"""Pilot tests of conversation in the TUI (issue 15): every request is read against the last result of
this TUI, the preview says what a follow-up continues and changes, ctrl+l (and the palette) starts
fresh, a compound request runs step by step through the gate, and history groups threads and re-runs
a chain. Each drives the real app over a real Session, store and history (the free plan)."""
from __future__ import annotations

from textual.widgets import DataTable, Digits, Input

from terminal.tui.app import IntentApp
from terminal.tui.conversation import chain_of, threads
from terminal.tui.messages import VoiceHeard
from terminal.tui.widgets.panels import DenialPanel
from terminal.tui.widgets.preview import MatchPreview
from tests.test_tui_app import LOAN, SIZE, enter, results_text, sync, text_of, until
from tests.test_tui_support import settle

COMPOUND = "payment on 300k at 6.5% for 30 years, then convert it to euros"


def preview(app) -> str:
    return text_of(app.main_screen.query_one(MatchPreview))


def headlines(app) -> list[str]:
    return [d.value for d in app.main_screen.query(Digits)]


async def done(pilot) -> None:
    """The request (every step of it) has run and its result is on screen; bounded, for a loaded machine."""
    app = pilot.app
    await until(pilot, lambda: app.main_screen.chain is None and not app.main_screen.running, timeout=60)
    await settle(pilot)


async def run_loan(pilot) -> int:
    await enter(pilot, LOAN)
    await done(pilot)
    assert headlines(pilot.app) == ["1,896.20"]
    return pilot.app.main_screen.context.id


@sync
async def test_a_follow_up_previews_what_it_continues_and_changes_and_runs(session, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # the preview says it in words, not only in colour
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*LOAN, "enter")  # typed, as a person would
        await done(pilot)
        first = session.history.entries()[0]
        assert headlines(app) == ["1,896.20"] and app.main_screen.context.id == first["id"]
        assert "continuing finance.loan_payment" in preview(app) and "ctrl+l" in preview(app)
        await pilot.press(*"what about at 7%?")
        shown = preview(app)
        assert "follow-up of finance.loan_payment" in shown
        assert "changed rate pct 7%" in shown and "300,000" in shown and "years 30" in shown
        assert "?" not in shown.splitlines()[1]  # nothing asked: the loan's other values stay
        await pilot.press("enter")
        await done(pilot)
        assert headlines(app) == ["1,995.91"]
        follow = session.history.entries()[0]
        assert follow["follows"] == first["id"] and follow["params"]["rate_pct"] == 7
        assert follow["source"] == "tui"
        # and again, from the follow-up: the term now
        await enter(pilot, "and over 15 years")
        await done(pilot)
        latest = session.history.entries()[0]
        assert latest["follows"] == follow["id"] and latest["params"]["years"] == 15
        assert latest["params"]["rate_pct"] == 7


@sync
async def test_a_request_for_another_action_takes_the_last_result(session, monkeypatch):
    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_loan(pilot)
        app.main_screen.query_one("#intent", Input).value = "convert that to euros"
        await pilot.pause()
        assert "finance.convert_currency" in preview(app) and "follow-up of finance.loan_payment" in preview(app)
        await pilot.press("enter")
        await done(pilot)
        row = session.history.entries()[0]
        assert row["action"] == "finance.convert_currency" and row["params"]["amount"] == 1896.2
        assert row["params"]["from_currency"] == "USD" and row["params"]["to_currency"] == "EUR"


@sync
async def test_a_complete_new_request_does_not_continue(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_loan(pilot)
        app.main_screen.query_one("#intent", Input).value = "monthly payment on 200k at 5% over 10 years"
        await pilot.pause()
        assert "follow-up" not in preview(app) and "does not continue finance.loan_payment" in preview(app)


@sync
async def test_the_fresh_context_key_makes_a_follow_up_a_first_request(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_loan(pilot)
        main = app.main_screen
        assert main.check_action("new_context", ()) is True
        await pilot.press("ctrl+l")
        assert main.context is None and "continuing" not in preview(app) and "fresh context" in preview(app)
        assert main.check_action("new_context", ()) is False  # nothing to forget now
        await pilot.press(*"what about at 7%?")
        assert "follow-up" not in preview(app)
        await pilot.press("enter")
        await settle(pilot)
        # as in a fresh terminal: the rate is understood, the rest is asked
        assert main.asking is not None and "1/2" in preview(app) and "?" in preview(app)
        await pilot.press("escape")
        assert main.asking is None


@sync
async def test_the_palette_starts_a_fresh_context(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_loan(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"context: new")

        def offered() -> bool:
            from textual.command import CommandList

            lists = app.screen.query(CommandList)
            return bool(lists) and lists.first().option_count > 0 and \
                "fresh start" in str(lists.first().get_option_at_index(0).prompt)

        await until(pilot, offered, timeout=20)
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.main_screen.context is None, timeout=20)
        assert app.screen is app.main_screen


@sync
async def test_a_compound_request_runs_each_step_and_shows_each_result(session, monkeypatch):
    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.query_one("#intent", Input).value = COMPOUND
        await pilot.pause()
        shown = preview(app)
        assert "2 steps" in shown and "finance.loan_payment → finance.convert_currency" in shown
        assert "amount ← step 1" in shown  # the conversion waits on the payment
        await pilot.press("enter")
        await done(pilot)
        text = results_text(app)
        assert "step 1 of 2 · finance.loan_payment · done" in text
        assert "step 2 of 2 · finance.convert_currency · done" in text
        assert headlines(app) == ["1,896.20"] and "converted text  €" in text  # each step's result
        convert, loan = session.history.entries()[:2]
        assert loan["action"] == "finance.loan_payment" and loan["chain"] is None
        assert convert["chain"] == loan["id"] and convert["params"]["amount"] == 1896.2
        assert app.main_screen.context.action == "finance.convert_currency"  # the last step is continued
        # words that change an earlier step's value continue that step, as `intent run -c` does
        app.main_screen.query_one("#intent", Input).value = "and 15 years"
        await until(pilot, lambda: f"follow-up of finance.loan_payment #{loan['id']}" in preview(app), timeout=20)
        assert "years 15" in preview(app) and "principal 300,000" in preview(app)


@sync
async def test_a_refused_step_stops_the_chain_and_says_which(session):
    app = IntentApp(session=session)  # the free plan: finance, not healthcare
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await enter(pilot, "monthly payment on 300k at 6.5% over 30 years, then bmi for 80 kg and 180 cm")
        await done(pilot)
        denial = text_of(app.main_screen.query_one(DenialPanel))
        assert "step 2 of 2 (healthcare.bmi)" in denial and "pro" in denial
        assert "step 1 of 2 · finance.loan_payment · done" in results_text(app)
        assert headlines(app) == ["1,896.20"]
        rows = session.history.entries()
        assert [r["action"] for r in rows[:2]] == ["healthcare.bmi", "finance.loan_payment"]
        assert rows[0]["status"] != "ok" and rows[0]["chain"] == rows[1]["id"]


@sync
async def test_history_groups_threads_and_re_runs_a_chain(session, monkeypatch):
    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        loan_id = await run_loan(pilot)
        await enter(pilot, "what about at 7%?")
        await done(pilot)
        await enter(pilot, COMPOUND)
        await done(pilot)
        before = len(session.history.entries())
        await pilot.press("f5")
        await until(pilot, lambda: app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count == 4)
        table = app.screen.query_one(DataTable)
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        # the newest thread first: the compound request, its second step under it; then the loan and
        # its follow-up, in the order they happened
        assert [c[0] for c in cells] == [str(loan_id + 2), str(loan_id + 3), str(loan_id), str(loan_id + 1)]
        assert cells[0][2].startswith("[2 steps]") and "step 2 of 2" in cells[1][2]
        assert cells[3][2].startswith("↳ what about at 7%?")
        table.focus()
        table.move_cursor(row=1)  # the chain's second step: Enter re-runs the whole chain
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is app.main_screen)
        await until(pilot, lambda: len(session.history.entries()) == before + 2, timeout=60)
        await done(pilot)
        convert, loan = session.history.entries()[:2]
        assert (loan["action"], convert["action"]) == ("finance.loan_payment", "finance.convert_currency")
        assert convert["chain"] == loan["id"] and convert["params"]["amount"] == 1896.2
        assert "step 2 of 2 · finance.convert_currency · done" in results_text(app)


@sync
async def test_voice_follows_the_same_context(session):
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_loan(pilot)
        # what the voice widget posts when a transcript comes back (no microphone on this machine)
        app.main_screen.post_message(VoiceHeard("what about at 7%", engine="test transcript"))
        await until(pilot, lambda: "follow-up of finance.loan_payment" in preview(app))
        await pilot.press("enter")
        await done(pilot)
        assert headlines(app) == ["1,995.91"]


class ContextCascade:
    """The cascade's interface over the real local resolver, with a scripted second tier that records the
    previous turn it is given (the TUI's last result)."""

    def __init__(self, local):
        self.local = local
        self.contexts = []

    def resolve(self, text):
        return self.refine(self.resolve_local(text))

    def resolve_local(self, text):
        return self.local.resolve(text)

    def fill_for(self, action_id, text):
        return self.local.fill_for(action_id, text)

    def foreign_words(self, action_id, text):
        return self.local.foreign_words(action_id, text)

    def wants_llm(self, match):
        return match.action is None

    def refine(self, match, context=None):
        from intents.resolver import Match

        if match.action is not None:
            return match
        self.contexts.append(context)
        return Match(text=match.text, action="finance.loan_payment", confidence=0.9, source="llm",
                     slots={"principal": 300000, "rate_pct": 7, "years": 30})


@sync
async def test_the_llm_tier_is_asked_on_enter_with_the_last_result_as_context(session):
    from intents.resolver import local_resolver

    session.resolver = ContextCascade(local_resolver(session.registry))
    app = IntentApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_loan(pilot)
        assert session.resolver.contexts == []  # sure locally, and no keystroke ever asks the second tier
        await enter(pilot, "zzqx blorp")
        await done(pilot)
        assert len(session.resolver.contexts) == 1
        assert session.resolver.contexts[0].startswith("finance.loan_payment(") and "300000" in session.resolver.contexts[0]
        assert headlines(app) == ["1,995.91"]


def test_threads_group_follow_ups_and_chains():
    rows = [{"id": i, "follows": f, "chain": c, "text": t} for i, f, c, t in [
        (1, None, None, "loan"), (2, 1, None, "at 7%"), (3, None, None, "bmi"),
        (4, 2, None, "x then y"), (5, 4, 4, "x then y"), (6, 5, None, "and 15 years"), (7, 99, None, "old")]]
    rows.reverse()  # as history gives them: newest first
    out = threads(rows)
    assert [(r.entry["id"], r.depth) for r in out] == [(7, 0), (1, 0), (2, 1), (4, 1), (5, 2), (6, 1), (3, 0)]
    links = {r.entry["id"]: r.link for r in out}
    assert links[2] == "after #1" and links[4] == "chain of 2" and links[5] == "step 2 of 2 (#4)"
    assert links[7] == "after #99"  # a link to a run not shown is named, not followed
    assert [e["id"] for e in chain_of(rows[2], rows)] == [4, 5] and chain_of(rows[0], rows) == [rows[0]]
