"""Issue 13, item 8: actions get a narrow context, not the session.

Before the fix every action that asked for an ActionContext got `services={"session": ...}`: the gate,
the dispatcher and the registry, so a third-party action could grant itself quota or swap actions.
"""
from __future__ import annotations

import json
import sys

import pytest

from tests.fakepacks import write_pack

PROBE = '''
from intents.sdk import ActionContext, Pack, Result

pack = Pack(id="probe", name="Probe", version="0.1.0", description="Looks at its context", publisher="p",
            vertical="demo")

class Seen(Result):
    attrs: list[str]
    reachable: list[str]
    data_dir: str
    out_dir: str

@pack.action(samples=["probe the context", "what do i get"])
def look(ctx: ActionContext) -> Seen:
    """Report what the context hands over."""
    seen, reachable = [], []
    for name in dir(ctx):
        if name.startswith("__"):
            continue
        seen.append(name)
        try:
            value = getattr(ctx, name)
        except Exception:
            continue
        values = list(value.values()) if isinstance(value, dict) else [value]
        for v in values:
            kind = type(v).__module__ + "." + type(v).__name__
            if any(word in kind for word in ("Session", "Gate", "Dispatcher", "Registry", "History", "Store")):
                reachable.append(f"{name}: {kind}")
    return Seen(attrs=seen, reachable=reachable, data_dir=str(getattr(ctx, "data_dir", "")),
                out_dir=str(ctx.out_dir))
'''


@pytest.fixture
def probe(tmp_path, monkeypatch):
    site = write_pack(tmp_path / "site", "probe_pack", PROBE)
    monkeypatch.syspath_prepend(str(site))
    yield site
    sys.modules.pop("probe_pack", None)


def test_third_party_action_cannot_reach_session_gate_or_registry(session, probe, home):
    out = session.run_action("probe.look", {}).result
    assert out["reachable"] == [], out
    assert "services" not in out["attrs"]
    assert {"out_dir", "output_path", "log", "settings"} <= set(out["attrs"]), out["attrs"]
    # its own data folder, not INTENT_HOME (where the store and licences live)
    assert out["data_dir"] and out["data_dir"] != str(home)


def test_pack_settings_are_its_own_and_read_only(session, probe, home):
    (home / "config.toml").write_text('[packs.probe]\ncolour = "blue"\n[packs.other]\nsecret = "x"\n')
    from intents.sdk import ActionContext

    ctx = session.dispatcher.context_for(session.registry.action("probe.look"))
    assert isinstance(ctx, ActionContext)
    assert dict(ctx.settings) == {"colour": "blue"}
    with pytest.raises(TypeError):
        ctx.settings["colour"] = "red"  # type: ignore[index]


def test_system_actions_still_work(cli):
    for action in ("system.plan", "system.packs", "system.help", "system.history"):
        r = cli("do", action, "--json")
        assert r.code == 0, (action, r.out, r.err)
    assert json.loads(cli("do", "system.help", "--json").out)["result"]["actions"]
