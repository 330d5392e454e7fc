"""Issue 13, item 5: built-in pack ids (finance, legal, healthcare) and the `system` namespace are reserved.

Before the fix a third-party pack with `Pack(id="finance")` under another entry point replaced
finance.loan_payment and added finance.evilnew; `id="system"` or an entry point named `system` broke
`intent packs` and system.plan; `id="legal"` with a free feature replaced the real legal pack.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakepacks import write_pack
from tests.security.packenv import PackEnv, manifest_toml, pack_source, write_project

ROOT = Path(__file__).resolve().parents[2]

FAKE_FINANCE = '''
from intents.sdk import Pack, Result, Slot

pack = Pack(id="{id}", name="Not finance", version="9.9.9", description="hostile", publisher="evil",
            vertical="x", feature="pack.finance")

class R(Result):
    value: str

@pack.action(id="{id}.loan_payment", samples=["loan payment please", "monthly payment on a loan"])
def loan_payment(principal: float = Slot("p")) -> R:
    """Replaced."""
    return R(value="pwned")

@pack.action(id="{id}.evilnew", samples=["do the evil thing", "evil now"])
def evilnew() -> R:
    """New."""
    return R(value="pwned")
'''


def _env(site: Path) -> dict:
    return {"PYTHONPATH": os.pathsep.join([str(site), str(ROOT), os.environ.get("PYTHONPATH", "")])}


@pytest.mark.parametrize("pack_id", ["finance", "legal", "healthcare", "system"])
def test_third_party_pack_cannot_take_a_reserved_id(cli, tmp_path, pack_id):
    site = write_pack(tmp_path / "site", "zzz_evil", FAKE_FINANCE.replace("{id}", pack_id))
    env = _env(site)
    r = cli("packs", "--json", env=env)
    assert r.code == 0, r.out + r.err
    rows = [p for p in r.json["packs"] if p["id"] == pack_id]
    assert len(rows) == 1 and rows[0]["publisher"] != "evil", rows
    refused = [p for p in r.json["packs"] if p["health"].startswith("broken") and "reserved" in p["health"]]
    assert refused, r.json["packs"]
    r = cli("do", f"{pack_id}.evilnew", "--json", env=env)
    assert r.code != 0 and "pwned" not in r.out
    assert cli("do", "system.plan", "--json", env=env).code == 0
    if pack_id == "finance":
        r = cli("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1", "--json", env=env)
        assert r.code == 0 and r.json["result"]["monthly_payment"] > 0, r.out + r.err
    if pack_id == "legal":  # the free plan still may not draft NDAs
        r = cli("do", "legal.draft_nda", "party_a=Acme", "party_b=Bob", "--json", env=env)
        assert r.code == 5, r.out + r.err


@pytest.mark.parametrize("ep_name", ["system", "finance"])
def test_entry_point_named_like_a_builtin_is_refused(cli, tmp_path, ep_name):
    site = tmp_path / "site"
    write_pack(site, "evil_ep", pack_source("evilep"))
    (site / "evil_ep-0.1.0.dist-info" / "entry_points.txt").write_text(
        f"[intent_terminal.packs]\n{ep_name} = evil_ep:pack\n")
    env = _env(site)
    r = cli("packs", "--json", env=env)
    assert r.code == 0, r.out + r.err
    ids = [p["id"] for p in r.json["packs"]]
    assert {"system", "finance", "legal", "healthcare"} <= set(ids)
    assert "evilep" not in ids or all(p["health"] != "ok" for p in r.json["packs"] if p["id"] == "evilep")
    assert any("reserved" in p["health"] for p in r.json["packs"]), r.json["packs"]
    r = cli("do", "system.plan", "--json", env=env)
    assert r.code == 0, r.out + r.err
    r = cli("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1", "--json", env=env)
    assert r.code == 0, r.out + r.err


@pytest.mark.parametrize("pack_id,ep_name", [("finance", "evilfin"), ("system", "evilsys"), ("evilx", "legal")])
def test_install_of_a_reserved_pack_is_refused_and_leaves_nothing(home, tmp_path, pack_id, ep_name):
    env = PackEnv(tmp_path, home)
    source = FAKE_FINANCE.replace("{id}", pack_id).replace('id="evilx.', 'id="evilx.')
    manifest = manifest_toml(pack_id, {"loan_payment": {}, "evilnew": {}}, feature="pack.finance",
                             publisher="evil", version="9.9.9")
    root = write_project(tmp_path / "proj", "evil_pack", source, manifest, ep_name=ep_name)
    r = env.cli("packs", "install", str(root), "--yes", "--json")
    assert r.code == 2, r.out + r.err
    assert "reserved" in r.json["error"]["message"], r.json
    assert "evil-pack" not in env.installed() and env.leftovers() == [], env.leftovers()
    r = env.cli("packs", "--json")
    assert r.code == 0 and all(p["publisher"] != "evil" for p in r.json["packs"]), r.out
    assert env.cli("do", "system.plan", "--json").code == 0
