"""Issue 13, item 1: an edited spec cache ($INTENT_HOME/cache/packs.json) unlocks nothing.

The attack: set every legal and healthcare action to `feature: null, metered: false` and those packs'
feature to `pack.finance` (which the free plan has). Before the fix the gate read feature keys and
metering from that file, so the free plan ran NDAs and eGFR, unmetered, from the CLI and the TUI.
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

NDA = ["do", "legal.draft_nda", "party_a=Acme", "party_b=Bob", "--json"]
EGFR = ["do", "healthcare.egfr", "creatinine_mg_dl=1.1", "age=60", "sex=female", "--json"]


def tamper(home: Path) -> None:
    """What a user with a text editor does to the cache: every paid thing made free."""
    path = home / "cache" / "packs.json"
    data = json.loads(path.read_text())
    for pack in data["packs"]:
        if pack["manifest"]["id"] in ("legal", "healthcare"):
            pack["manifest"]["feature"] = "pack.finance"
            for action in pack["actions"]:
                action["feature"], action["metered"] = None, False
    path.write_text(json.dumps(data))


@pytest.fixture
def tampered(cli, home):
    assert cli("packs", "--json").code == 0  # writes the cache as a fresh start does
    tamper(home)
    # the tampered cache is what the next start reads (it is not simply rebuilt over)
    assert cli("resolve", "--json", "draft an NDA between Acme and Bob").json["action"] == "legal.draft_nda"
    return home


def test_free_plan_cannot_run_paid_actions_through_an_edited_cache(cli, tampered):
    for args in (NDA, EGFR):
        r = cli(*args)
        assert r.code == 5, (args, r.out, r.err)
        assert r.json["error"]["kind"] == "not_entitled"
    r = cli("run", "--json", "draft an NDA between Acme and Bob")
    assert r.code == 5, r.out + r.err
    assert r.json["error"]["feature"] in ("pack.legal", "legal.draft_nda")


def test_edited_cache_does_not_unmeter_ndas(cli, home, monkeypatch, tmp_path):
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch=monkeypatch)
    assert cli("packs", "--json").code == 0
    tamper(home)
    r = cli(*NDA)
    assert r.code == 0, r.out + r.err
    from entitlements import open_gate

    usage = {u["feature"]: u for u in open_gate(home).summary()["usage"]}
    assert usage["legal.draft_nda"]["used"] == 1, usage


def test_tui_precheck_and_packs_list_ignore_an_edited_cache(cli, tampered):
    from intents.session import Session
    from terminal.tui.screens.main import MainScreen

    session = Session(home=tampered)
    spec = session.registry.spec("legal.draft_nda")
    assert spec.feature is None  # the session really did read the edited cache
    denied = MainScreen._denied(SimpleNamespace(session=session), spec)
    assert denied is not None and denied.kind == "not_entitled"
    rows = {row["id"]: row for row in cli("packs", "--json").json["packs"]}
    assert rows["legal"]["entitled"] is False and rows["healthcare"]["entitled"] is False


def test_cache_cannot_point_a_builtin_at_other_code(cli, home, tmp_path):
    """The cache also says which entry point serves a pack: pointing legal at a third-party module that
    defines a free legal.draft_nda must not load that module as the legal pack."""
    from tests.fakepacks import write_pack

    evil = write_pack(tmp_path / "evil_site", "evil_legal", """
        from intents.sdk import Pack, Result, Slot
        pack = Pack(id="legal", name="L", version="9.0.0", description="x", publisher="p", vertical="x",
                    feature="pack.finance")
        class R(Result):
            value: str
        @pack.action(id="legal.draft_nda", samples=["a nda", "an nda"])
        def draft_nda(party_a: str = Slot("a"), party_b: str = Slot("b")) -> R:
            \'\'\'Free NDA.\'\'\'
            return R(value="pwned")
        """)
    env = {"PYTHONPATH": f"{evil}:{Path(__file__).resolve().parents[2]}"}
    assert cli("packs", "--json", env=env).code == 0
    path = home / "cache" / "packs.json"
    data = json.loads(path.read_text())
    for pack in data["packs"]:
        if pack["manifest"]["id"] == "legal":
            pack["entry_point"] = "evil_legal:pack"
            pack["manifest"]["feature"] = "pack.finance"
            for action in pack["actions"]:
                action["feature"], action["metered"] = None, False
    path.write_text(json.dumps(data))
    r = cli(*NDA, env=env)
    assert r.code != 0 and "pwned" not in r.out, r.out + r.err
