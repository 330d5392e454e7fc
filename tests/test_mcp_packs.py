"""MCP servers as packs: a small MCP server of our own (tests/mcp_demo_server.py) taken in with
`intent packs add-mcp`, its tools resolved from words and run through the gate; consent, removal, the
`mcp` feature, and a dead or hanging server contained like a broken pack."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import anyio
import pytest

pytest.importorskip("mcp")

from tests.mcp_helpers import connect, run  # noqa: E402

DEMO = str(Path(__file__).with_name("mcp_demo_server.py"))


def add(cli, *extra, name="demo", yes=True):
    return cli("packs", "add-mcp", name, *(["--yes"] if yes else []), "--json", *extra, "--", sys.executable, DEMO)


@pytest.fixture
def pro(home, monkeypatch):
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch=monkeypatch)
    return home


def test_add_shows_tools_and_records_consent(cli, pro):
    r = add(cli)
    assert r.code == 0, r.err
    data = r.json
    assert data["pack"] == "demo" and data["source"] == "mcp" and data["entitled"] is True
    assert set(data["declaration"]["actions"]) == {"demo.convert_temperature", "demo.count_words", "demo.pid",
                                                   "demo.forget_everything"}
    # un-annotated tools are taken as destructive, as MCP says
    assert data["declaration"]["destructive"] == ["demo.forget_everything"]
    assert "demo.convert_temperature" in r.err and "Celsius" in r.err  # the tools were shown before asking
    from entitlements.audit import events

    consent = events(pro, "pack.consent")[0]["detail"]
    assert consent["accepted"] is True and consent["source"] == "mcp"
    listed = {p["id"]: p for p in cli("packs", "list", "--json").json["packs"]}
    assert listed["demo"]["installed"] and listed["demo"]["entitled"]


def test_add_without_consent_saves_nothing(cli, home):
    r = add(cli, yes=False)
    assert r.code == 2 and "consent" in r.json["error"]["message"]
    assert not (home / "mcp_packs.json").exists()
    assert "demo" not in {p["id"] for p in cli("packs", "list", "--json").json["packs"]}


def test_tools_resolve_from_words_and_run(cli, pro):
    assert add(cli).code == 0
    r = cli("resolve", "--json", "convert 100 degrees to fahrenheit")
    assert r.json["action"] == "demo.convert_temperature"
    assert r.json["slots"] == {"degrees": 100, "to_unit": "fahrenheit"}
    r = cli("resolve", "--json", "count the words in the quick brown fox jumps")
    assert r.json["action"] == "demo.count_words" and r.json["slots"]["text"] == "quick brown fox jumps"
    out = cli("run", "--json", "convert 100 degrees to fahrenheit")
    assert out.code == 0, out.err
    result = out.json["result"]
    assert result["value"] == 212 and result["unit"] == "F"
    assert "MCP tool `convert_temperature`" in result["basis"] and "third-party" in result["disclaimer"]
    done = cli("do", "demo.count_words", "text=one two three", "--json")
    assert done.code == 0 and done.json["result"]["words"] == 3


def test_mcp_packs_need_the_mcp_feature(cli, home):
    assert add(cli).code == 0  # taking it in is allowed; running it is the plan's business
    r = cli("run", "--json", "convert 100 degrees to fahrenheit")
    assert r.code == 5
    assert r.json["error"]["feature"] == "mcp" and r.json["error"]["upgrade"]["plan"] == "pro"


def test_editing_the_store_grants_nothing(cli, home):
    assert add(cli).code == 0
    path = home / "mcp_packs.json"
    data = json.loads(path.read_text())
    data["packs"]["demo"]["spec"]["manifest"]["feature"] = "pack.finance"  # a free feature
    path.write_text(json.dumps(data))
    r = cli("do", "demo.pid", "--json")
    assert r.code == 5 and r.json["error"]["feature"] == "mcp"


def test_remove(cli, pro):
    assert add(cli).code == 0
    r = cli("packs", "remove", "demo", "--json")
    assert r.code == 0 and r.json["installed"] is False
    assert cli("resolve", "--json", "convert 100 degrees to fahrenheit").json["action"] != "demo.convert_temperature"
    assert cli("do", "demo.pid", "--json").code == 2


def test_bad_names_and_commands_are_refused(cli, home):
    assert add(cli, name="finance").code == 2  # taken
    assert add(cli, name="Bad-Name").code == 2
    r = cli("packs", "add-mcp", "nope", "--yes", "--json", "--", "/no/such/mcp-server")
    assert r.code == 1 and "could not" in r.json["error"]["message"]
    assert not (home / "mcp_packs.json").exists()


# ---- the server process: started on first use, reused, restarted, contained --------------------------
def _session_with(home, *server_args, timeout="3"):
    from intents.mcp_packs import add as add_pack
    from intents.session import Session

    session = Session(home=home)
    add_pack(session, "demo", [sys.executable, DEMO, *server_args], confirm=lambda d, s: True,
             timeout_s=float(timeout))
    return Session(home=home)


def test_server_is_reused_and_restarted_when_it_dies(pro):
    from intents.errors import PackBroken

    session = _session_with(pro, "--die-on", "count_words")
    first = session.run_action("demo.pid", {}).result["result"]
    assert session.run_action("demo.pid", {}).result["result"] == first  # reused
    with pytest.raises(PackBroken) as err:
        session.run_action("demo.count_words", {"text": "boom"})
    assert "exited" in err.value.message
    again = session.run_action("demo.pid", {}).result["result"]
    assert again != first  # started again on next use
    # other packs were never affected
    assert session.run_action("finance.loan_payment", {"principal": 1000, "rate_pct": 5, "years": 1}).result


def test_hanging_server_times_out_and_is_replaced(pro):
    from intents.errors import PackBroken

    session = _session_with(pro, "--hang-on", "count_words", timeout="2")
    first = session.run_action("demo.pid", {}).result["result"]
    with pytest.raises(PackBroken) as err:
        session.run_action("demo.count_words", {"text": "hang"})
    assert "did not answer" in err.value.message
    assert session.run_action("demo.pid", {}).result["result"] != first
    rows = session.history.entries()
    assert rows[1]["status"] == "pack_broken"


def test_served_back_over_mcp_with_list_changed(cli, pro):
    """Taken in, then served by `intent mcp`: the client hears tools/list_changed and calls the new tool."""
    changed = anyio.Event()

    async def on_message(message):
        if getattr(message, "method", None) == "notifications/tools/list_changed":
            changed.set()

    async def scenario():
        async with connect(pro, "--poll", "0.2", on_message=on_message) as s:
            before = {t.name for t in (await s.list_tools()).tools}
            r = await anyio.to_thread.run_sync(add, cli)
            assert r.code == 0, r.err
            with anyio.fail_after(60):  # a poll away; generous for a loaded CI machine
                await changed.wait()
            tools = {t.name: t for t in (await s.list_tools()).tools}
            res = await s.call_tool("demo_convert_temperature", {"degrees": 0, "to_unit": "fahrenheit"})
            words = await s.call_tool("intent_run", {"text": "convert 100 degrees to fahrenheit"})
            return before, tools, res, words

    before, tools, res, words = run(scenario)
    assert "demo_convert_temperature" not in before
    assert "demo_convert_temperature" in tools and "demo_forget_everything" in tools
    assert tools["demo_convert_temperature"].input_schema["required"] == ["degrees", "to_unit"]
    assert not res.is_error and res.structured_content["value"] == 32
    assert not words.is_error and words.structured_content["result"]["value"] == 212


# ---- resolving tools nobody wrote samples for ------------------------------------------------------------
OTHER_TOOLS = [
    {"name": "get_weather", "description": "Get the current weather for a city.",
     "inputSchema": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}},
                     "required": ["city"]}, "annotations": {"readOnlyHint": True}},
    {"name": "search_notes", "description": "Search the user's notes for a phrase.",
     "inputSchema": {"type": "object", "properties": {"query": {"type": "string", "description": "What to search for"},
                                                      "limit": {"type": "integer", "default": 10}},
                     "required": ["query"]}, "annotations": {"readOnlyHint": True}},
    {"name": "create_ticket", "title": "Create a support ticket", "description": "Open a new ticket in the help desk.",
     "inputSchema": {"type": "object", "properties": {"title": {"type": "string"},
                                                      "priority": {"type": "string", "enum": ["low", "normal", "high"]}},
                     "required": ["title"]}},
    {"name": "translateText", "description": "Translate text into another language.",
     "inputSchema": {"type": "object", "properties": {"text": {"type": "string"},
                                                      "target_language": {"type": "string", "description": "Language"}},
                     "required": ["text", "target_language"]}, "annotations": {"readOnlyHint": True}},
    {"name": "tip_calculator", "description": "Work out the tip for a restaurant bill.",
     "inputSchema": {"type": "object", "properties": {"bill_amount": {"type": "number", "description": "The bill amount"},
                                                      "tip_percent": {"type": "number", "description": "Tip in percent"}},
                     "required": ["bill_amount", "tip_percent"]}, "annotations": {"readOnlyHint": True}},
]


@pytest.mark.parametrize("text, action, slots", [
    ("what's the weather in Paris", "tools.get_weather", {"city": "paris"}),
    ("get weather for london", "tools.get_weather", {"city": "london"}),
    ("search my notes for quarterly report", "tools.search_notes", {"query": "quarterly report"}),
    ("find notes about the budget", "tools.search_notes", {"query": "budget"}),
    ("create a ticket called printer is broken", "tools.create_ticket", {"title": "printer is broken"}),
    ("translate hello world into french", "tools.translate_text", {"text": "hello world", "target_language": "french"}),
    ("tip on a 80 dollar bill at 18%", "tools.tip_calculator", {"bill_amount": 80, "tip_percent": 18}),
    ("how much tip on $120 at 20 percent", "tools.tip_calculator", {"bill_amount": 120, "tip_percent": 20}),
    ("monthly payment on a 300k loan at 6.5% over 30 years", "finance.loan_payment",
     {"principal": 300000, "rate_pct": 6.5, "years": 30}),  # the built-in packs keep their requests
])
def test_tools_resolve_from_their_schemas_alone(tmp_path, text, action, slots):
    from intents.mcp_packs import build_pack
    from intents.registry import Registry
    from intents.resolver.local import LocalResolver

    spec, _ = build_pack("tools", ["some-server"], {"name": "tools"}, None, OTHER_TOOLS)
    assert {a.risk.value for a in spec.actions if a.id == "tools.create_ticket"} == {"destructive"}
    resolver = LocalResolver.for_actions(Registry.load(tmp_path).actions() + spec.actions)
    m = resolver.resolve(text)
    assert (m.action, m.slots) == (action, slots)
