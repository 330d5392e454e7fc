"""The registry: entry-point discovery, the spec cache, lazy imports, broken packs isolated."""
from __future__ import annotations

import json
import sys

import pytest

from intents.errors import ActionFailed, ActionTimeout, PackBroken
from intents.registry import Registry
from tests.fakepacks import BROKEN, GOOD, write_pack


@pytest.fixture
def site(tmp_path, monkeypatch):
    path = tmp_path / "site"
    write_pack(path, "demo_good", GOOD.replace("{id}", "demo"))
    write_pack(path, "demo_broken", BROKEN)
    monkeypatch.syspath_prepend(str(path))
    yield path
    for name in ("demo_good", "demo_broken"):
        sys.modules.pop(name, None)


def test_builtin_packs_are_discovered(home):
    reg = Registry.load(home)
    assert {"system", "finance", "legal", "healthcare"} <= set(reg.packs)
    assert reg.spec("finance.loan_payment").required == ["principal", "rate_pct", "years"]


def test_broken_pack_is_reported_and_others_work(home, site):
    reg = Registry.load(home)
    assert "demo_broken" in reg.broken
    assert "broken on purpose" in reg.broken["demo_broken"].error
    assert "demo" in reg.packs
    assert "finance.loan_payment" in {a.id for a in reg.actions()}


def test_cache_is_used_and_pack_code_not_imported(home, site):
    Registry.load(home)  # builds the cache
    cache = json.loads((home / "cache" / "packs.json").read_text())
    assert any(p["manifest"]["id"] == "demo" for p in cache["packs"])
    sys.modules.pop("demo_good", None)
    reg = Registry.load(home)
    assert "demo_good" not in sys.modules, "a cached start must not import pack code"
    assert reg.spec("demo.double").samples
    reg.action("demo.double")
    assert "demo_good" in sys.modules


def test_cache_rebuilds_when_pack_changes(home, site):
    reg = Registry.load(home)
    before = reg.fingerprint
    source = (site / "demo_good.py").read_text().replace('"twice 4"', '"twice 4", "two times 9"')
    (site / "demo_good.py").write_text(source)
    import os, time

    os.utime(site / "demo_good.py", (time.time() + 5, time.time() + 5))
    sys.modules.pop("demo_good", None)
    reg = Registry.load(home)
    assert reg.fingerprint != before
    assert "two times 9" in reg.spec("demo.double").samples


def test_corrupt_cache_is_rebuilt(home):
    (home / "cache").mkdir(exist_ok=True)
    (home / "cache" / "packs.json").write_text("{not json")
    reg = Registry.load(home)
    assert "finance" in reg.packs


def test_crashing_and_hanging_actions_are_contained(session, site):
    with pytest.raises(ActionFailed, match="boom"):
        session.run_action("demo.crash", {})
    with pytest.raises(ActionTimeout):
        session.run_action("demo.hang", {})
    assert session.run_action("demo.double", {"x": "21"}).result["value"] == 42


def test_disabled_pack_actions_disappear(home):
    reg = Registry.load(home)
    reg.set_installed("legal", False)
    reg = Registry.load(home)
    assert not reg.is_installed("legal")
    assert all(a.pack != "legal" for a in reg.actions())
    with pytest.raises(Exception, match="not installed"):
        reg.spec("legal.deadline")


def test_broken_pack_listed_by_cli(cli, site):
    import os

    r = cli("packs", "--json", env={"PYTHONPATH": f"{site}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    assert r.code == 0, r.err
    rows = {p["id"]: p for p in r.json["packs"]}
    assert rows["demo_broken"]["health"].startswith("broken")
    assert rows["finance"]["health"] == "ok"
    r = cli("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1", "--json",
            env={"PYTHONPATH": str(site)})
    assert r.code == 0
