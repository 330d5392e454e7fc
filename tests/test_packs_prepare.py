"""One-time pack preparation (`@pack.prepare`, intents/prepare.py): `intent packs prepare` builds the ICD-10
index ahead, so the first look-up neither builds it nor imports simple_icd_10_cm; a third-party pack's
failing preparation is isolated; it runs with the pack's narrowed home, only for installed packs; the
terminal UI runs it in the background after its first frame."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from intents.sdk import ActionContext, Pack, Result

prepped = Pack(id="prepped", name="Prepped", version="1.0.0", description="A pack that prepares a cache.",
               publisher="tests", vertical="demo")
boom = Pack(id="boom", name="Boom", version="1.0.0", description="A pack whose preparation fails.",
            publisher="tests", vertical="demo")
SEEN: list[dict] = []


class Echo(Result):
    text: str


@prepped.action(title="Echo", samples=["echo the prepared word"])
def echo(text: str = "x") -> Echo:
    """Echo a word."""
    return Echo(text=text, basis="echo")


@prepped.prepare(what="marker file")
def make_marker(ctx: ActionContext) -> None:
    """Writes a marker once (idempotent)."""
    from intents.sdk import progress

    SEEN.append({"home": ctx.home, "pack": ctx.pack})
    marker = ctx.cache_dir / "marker"
    if marker.exists():
        return
    with progress("writing the marker, once…"):
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("ok")


@boom.action(title="Boom echo", samples=["boom echo"])
def boom_echo(text: str = "x") -> Echo:
    """Echo a word."""
    return Echo(text=text, basis="echo")


@boom.prepare
def explode(ctx: ActionContext) -> None:
    """Build nothing, fail."""
    raise RuntimeError("the data file is missing")


def _registry(home: Path, names=("boom", "prepped")):
    from intents.registry import GROUP, Registry

    eps = [EntryPoint(name=n, value=f"tests.test_packs_prepare:{n}", group=GROUP) for n in names]
    return Registry.load(home, extra_entry_points=eps)


def test_the_sdk_records_preparations():
    assert [what for what, _ in prepped.preparations] == ["marker file"]
    assert [what for what, _ in boom.preparations] == ["Build nothing, fail"]  # bare decorator: the docstring
    assert Pack(id="plain", name="P", version="1", description="d", publisher="p", vertical="v").preparations == []


def test_a_failing_preparation_is_isolated_and_the_home_is_narrowed(home):
    from intents.prepare import prepare

    SEEN.clear()
    reg = _registry(home)
    rows = {r.pack: r for r in prepare(reg, ["boom", "prepped"])}
    assert rows["boom"].status == "failed" and "the data file is missing" in rows["boom"].error
    assert rows["prepped"].status == "ready" and rows["prepped"].built
    assert (home / "packs" / "prepped" / "cache" / "marker").read_text() == "ok"
    assert SEEN == [{"home": home / "packs" / "prepped", "pack": "prepped"}]
    again = {r.pack: r for r in prepare(reg, ["prepped"])}
    assert again["prepped"].status == "ready" and not again["prepped"].built  # idempotent: nothing built


def test_only_installed_packs_are_prepared(home):
    from intents.errors import UsageError
    from intents.prepare import prepare

    reg = _registry(home)
    reg.set_installed("prepped", False)
    assert [r.status for r in prepare(reg, ["prepped"])] == ["not installed"]
    assert not (home / "packs" / "prepped" / "cache" / "marker").exists()
    assert "prepped" not in [r.pack for r in prepare(reg)]
    with pytest.raises(UsageError):
        prepare(reg, ["no_such_pack"])


ICD_QUERY = "type 2 diabetes with hyperglycemia"
NO_LIBRARY = ("import atexit, runpy, sys; "
              "atexit.register(lambda: sys.stderr.write('ICD_LIBRARY=%s\\n' % ('simple_icd_10_cm' in sys.modules))); "
              "sys.argv = ['intent'] + sys.argv[1:]; runpy.run_module('terminal.cli', run_name='__main__')")


def test_packs_prepare_builds_the_icd_index_so_the_first_lookup_does_not(unlocked, cli):
    folder = unlocked / "packs" / "healthcare" / "cache"
    first = cli("packs", "prepare", "--json")
    assert first.code == 0, first.err
    rows = {r["pack"]: r for r in first.json["packs"]}
    assert rows["healthcare"]["status"] == "ready" and rows["healthcare"]["built"], rows
    assert rows["healthcare"]["what"] == ["ICD-10 index"]
    files = sorted(folder.glob("icd10cm-*.sqlite"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns

    again = cli("packs", "prepare", "healthcare", "--json")  # idempotent, nothing built
    assert again.code == 0 and not again.json["packs"][0]["built"]

    env = {**os.environ, "INTENT_HOME": str(unlocked), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-c", NO_LIBRARY, "do", "healthcare.icd10_lookup", f"query={ICD_QUERY}",
                           "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["result"]["matches"][0]["code"] == "E11.65"
    assert "ICD_LIBRARY=False" in proc.stderr  # the first look-up neither built the index nor imported the library
    assert sorted(folder.glob("icd10cm-*.sqlite")) == files and files[0].stat().st_mtime_ns == stamp


def test_packs_prepare_prints_progress_on_stderr_and_names_unknown_packs(cli):
    out = cli("packs", "prepare", "finance")
    assert out.code == 0 and out.out == ""
    assert "nothing to prepare" in out.err
    bad = cli("packs", "prepare", "no_such_pack")
    assert bad.code != 0 and "no_such_pack" in bad.err


def test_the_tui_prepares_in_the_background(home, tmp_path, monkeypatch):
    from terminal.tui.app import IntentApp
    from tests.test_tui_support import demo_session

    monkeypatch.delenv("INTENT_NO_PREPARE")
    session = demo_session(home, tmp_path / "out")
    extra = _registry(home)
    for pid in ("boom", "prepped"):  # the demo packs plus the two here, one of which fails
        session.registry.packs[pid] = extra.packs[pid]
        session.registry._entry_points[pid] = extra._entry_points[pid]
    session.registry._index_actions()

    async def go():
        app = IntentApp(session=session)
        assert app.prepare_on_start
        async with app.run_test(size=(80, 24)) as pilot:
            deadline = time.monotonic() + 30
            while app.prepared is None:
                assert time.monotonic() < deadline, "the background preparation did not finish"
                await pilot.pause(0.05)
            await pilot.pause(0.1)
            rows = {r.pack: r.status for r in app.prepared}
            assert rows["boom"] == "failed" and rows["prepped"] == "ready"
            shown = " ".join(str(n.message) for n in app._notifications)
            assert "preparing prepped (marker file, once)…" in shown
            assert "could not prepare boom" in shown
            await pilot.press("a")  # typing still works: the app is alive and responsive
            assert app.main_screen.query_one("#intent").value.endswith("a")

    asyncio.run(go())
    assert (home / "packs" / "prepped" / "cache" / "marker").read_text() == "ok"


def test_once_skips_a_stamped_pack_without_importing_it(home, monkeypatch):
    from intents.prepare import prepare

    reg = _registry(home)
    SEEN.clear()
    assert [r.status for r in prepare(reg, ["prepped", "boom"], once=True)] == ["ready", "failed"]
    assert len(SEEN) == 1
    with monkeypatch.context() as m:
        m.setattr(reg, "live_pack", lambda pack_id: pytest.fail(f"imported {pack_id}"), raising=False)
        assert [r.status for r in prepare(reg, ["prepped"], once=True)] == ["ready"]  # stamped: not imported
    assert [r.status for r in prepare(reg, ["boom"], once=True)] == ["failed"]  # a failure is never stamped
    assert len(SEEN) == 1
    (home / "packs" / "prepped" / "cache" / ".prepared").write_text("stale\n")
    prepare(reg, ["prepped"], once=True)
    assert len(SEEN) == 2  # a stamp that does not match runs it again


def test_the_tui_does_not_prepare_when_told_not_to(home, tmp_path):
    from terminal.tui.app import IntentApp

    assert os.environ.get("INTENT_NO_PREPARE")  # the suite's default (tests/conftest.py)
    assert not IntentApp().prepare_on_start


@pytest.mark.parametrize("pack_id, status", [("prepped", "ready"), ("boom", "failed")])
def test_install_runs_the_new_packs_preparation_after_consent(home, monkeypatch, capsys, pack_id, status):
    """`intent packs install` (after the consent, once installed) prepares that pack; its failure is
    reported and the install still succeeds."""
    import argparse

    import intents.pack_install as pack_install
    import intents.session as session_mod
    from intents.pack_install import InstallResult
    from terminal.commands import packs as packs_cmd

    reg = _registry(home)

    class FakeSession:
        registry = reg

    monkeypatch.setattr(session_mod, "Session", lambda *a, **k: FakeSession())
    monkeypatch.setattr(pack_install, "install",
                        lambda session, target, confirm=None, editable=False: InstallResult(
                            pack=target, installed=True, source="path"))
    args = argparse.Namespace(verb="install", pack=pack_id, yes=True, editable=False, json=True)
    assert packs_cmd.run(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pack"] == pack_id and [r["status"] for r in data["prepared"]] == [status]
    assert (home / "packs" / "prepped" / "cache" / "marker").exists() == (pack_id == "prepped")

    refused = InstallResult(pack=pack_id, installed=False, source="path")  # no consent: nothing runs
    monkeypatch.setattr(pack_install, "install", lambda *a, **k: refused)
    assert packs_cmd.run(args) == 0
    assert "prepared" not in json.loads(capsys.readouterr().out)
