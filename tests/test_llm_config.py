"""LLM settings (file, environment, `intent config`), the CLI's --llm/--local, and the cold path."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.test_llm_server import llm_env, llm_server  # noqa: F401 - fixtures

KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"


@pytest.fixture
def clean_env(monkeypatch):
    from intents.llm.config import ENV

    for var in ENV.values():
        monkeypatch.delenv(var, raising=False)


def test_defaults_are_off_and_private(home, clean_env):
    from intents.llm.config import load

    cfg = load()
    assert not cfg.configured and cfg.timeout == 10.0 and cfg.tool_mode == "auto" and cfg.share_sensitive == []


def test_a_key_alone_never_turns_the_tier_on(home, clean_env, monkeypatch):
    from intents.llm.config import load

    monkeypatch.setenv("OPENAI_API_KEY", KEY)  # there for other tools
    assert not load().configured


def test_file_then_environment(home, clean_env, monkeypatch):
    from intents.llm.config import load

    (home / "config.toml").write_text('[ui]\ntheme = "dark"\n\n[llm]\nmodel = "qwen2.5:7b"\n'
                                      'base_url = "http://localhost:11434/v1"\ntimeout = 4\n'
                                      'share_sensitive = ["legal"]\n')
    cfg = load()
    assert cfg.configured and cfg.local and cfg.model == "qwen2.5:7b" and cfg.timeout == 4.0
    assert cfg.sources["model"] == "file" and cfg.share_sensitive == ["legal"]
    monkeypatch.setenv("INTENT_LLM_MODEL", "llama3.1")
    monkeypatch.setenv("INTENT_LLM_TIMEOUT", "2.5")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://llm.example.com/v1")
    cfg = load()
    assert (cfg.model, cfg.timeout, cfg.local) == ("llama3.1", 2.5, False)
    assert cfg.sources["timeout"] == "env INTENT_LLM_TIMEOUT"


def test_bad_values_are_reported_and_ignored(home, clean_env, monkeypatch):
    from intents.llm.config import load

    (home / "config.toml").write_text('[llm]\nmodel = "m"\ntimeout = "soon"\ncolour = 3\n')
    monkeypatch.setenv("INTENT_LLM_TOOL_MODE", "telepathy")
    cfg = load()
    assert cfg.configured and cfg.timeout == 10.0 and cfg.tool_mode == "auto"
    text = " ".join(cfg.problems)
    assert "timeout" in text and "tool_mode" in text and "colour" in text


def test_broken_toml_never_crashes(home, clean_env):
    from intents.llm.config import load

    (home / "config.toml").write_text("[llm\nmodel = ")
    cfg = load()
    assert not cfg.configured and "cannot read" in cfg.problems[0]


def test_save_keeps_other_tables(home, clean_env):
    import tomllib

    from intents.llm.config import save

    (home / "config.toml").write_text('[ui]\ntheme = "dark"\n\n[llm]\nmodel = "a"\n\n[voice]\nengine = "x"\n')
    save("model", "b")
    save("share_sensitive", "healthcare, legal")
    save("timeout", "3")
    data = tomllib.loads((home / "config.toml").read_text())
    assert data["ui"] == {"theme": "dark"} and data["voice"] == {"engine": "x"}
    assert data["llm"] == {"model": "b", "share_sensitive": ["healthcare", "legal"], "timeout": 3.0}
    with pytest.raises(ValueError, match="timeout"):
        save("timeout", "-1")
    with pytest.raises(ValueError, match="unknown setting"):
        save("colour", "red")


def test_intent_config_json_masks_the_key(cli, home, clean_env):
    (home / "config.toml").write_text(f'[llm]\nmodel = "gpt-4o-mini"\napi_key = "{KEY}"\n')
    result = cli("config", "--json")
    assert result.code == 0, result.err
    shown = result.json["llm"]
    assert shown["configured"] is True and shown["model"] == "gpt-4o-mini"
    assert shown["api_key"] == "sk-…0123" and KEY not in result.out
    assert shown["base_url"] == "https://api.openai.com/v1" and shown["local"] is False
    assert shown["timeout"] == 10.0 and shown["sources"]["api_key"] == "file"
    human = cli("config", env={"OPENAI_API_KEY": KEY + "x"})
    assert human.code == 0 and KEY not in human.out and "env OPENAI_API_KEY" in human.out


def test_intent_config_set_and_bad_value(cli, home, clean_env):
    ok = cli("config", "set", "base_url", "http://127.0.0.1:8080/v1", "--json")
    assert ok.code == 0 and ok.json["llm"]["local"] is True
    bad = cli("config", "set", "tool_mode", "telepathy", "--json")
    assert bad.code == 2 and bad.json["error"]["kind"] == "usage"
    gone = cli("config", "unset", "base_url", "--json")
    assert gone.json["llm"]["base_url"] == "https://api.openai.com/v1"


def test_cli_resolve_with_llm(cli, unlocked, llm_env):  # noqa: F811
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    text = "what would I pay each month borrowing three hundred grand for thirty years at six and a half"
    asked = cli("resolve", "--json", "--llm", text)
    assert asked.code == 0, asked.err
    assert asked.json["source"] == "llm" and asked.json["slots"] == {"principal": 300000.0, "rate_pct": 6.5,
                                                                     "years": 30.0}
    assert len(llm_env.requests) == 1
    llm_env.status(503)
    failed = cli("resolve", "--json", "--llm", text)
    assert failed.json["source"] == "local" and "503" in failed.json["notice"]
    assert "LLM tier failed" in failed.err  # the one-line notice for people, stdout stays JSON
    json.loads(failed.out)


def test_openai_is_not_imported_on_the_cold_path(home, clean_env, tmp_path):
    """No LLM configured: resolving never imports openai. Configured but the local tier is sure: neither."""
    code = (
        "import sys\n"
        "from intents.session import Session\n"
        "m = Session().resolve('monthly payment on a 300k loan at 6.5% over 30 years')\n"
        "print(m.action, 'openai' in sys.modules)\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("OPENAI_", "INTENT_LLM"))}
    env["INTENT_HOME"] = str(home)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.split() == ["finance.loan_payment", "False"], out.stderr
