"""Issue 13, item 7: every failed or refused install is rolled back; remove removes what install added.

Before the fix a pack that pip installed but that then failed (it registered no new pack, its id was
taken, its import broke once installed) stayed installed, and `intent packs remove` then answered
"not a pip distribution" for a broken pack that was one.
"""
from __future__ import annotations

import pytest

from tests.security.packenv import PackEnv, manifest_toml, pack_source, write_project

# Imports fine from the project folder (data.txt is there) but not once installed (it is not package data).
NEEDS_DATA = '''
from pathlib import Path
Path(__file__).with_name("data.txt").read_text()
'''


@pytest.fixture
def env(home, tmp_path):
    return PackEnv(tmp_path, home)


def test_pack_that_breaks_once_installed_is_rolled_back(env, tmp_path):
    root = write_project(tmp_path / "proj", "demo_pack", NEEDS_DATA + pack_source("demo"),
                         manifest_toml("demo", {"double": {}}))
    (root / "demo_pack" / "data.txt").write_text("only in the source tree")
    r = env.cli("packs", "install", str(root), "--yes", "--json")
    assert r.code != 0, r.out + r.err
    assert env.leftovers() == [], env.leftovers()


def test_pack_whose_id_is_already_installed_is_rolled_back(env, tmp_path):
    first = write_project(tmp_path / "one", "demo_one", pack_source("demo"), manifest_toml("demo", {"double": {}}))
    assert env.cli("packs", "install", str(first), "--yes", "--json").code == 0
    before = env.leftovers()
    second = write_project(tmp_path / "two", "demo_two", pack_source("demo"), manifest_toml("demo", {"double": {}}))
    r = env.cli("packs", "install", str(second), "--yes", "--json")
    assert r.code == 2, r.out + r.err
    assert env.leftovers() == before
    assert env.cli("packs", "remove", "demo", "--json").code == 0
    assert env.leftovers() == []


def test_remove_uninstalls_a_broken_pip_installed_pack(env, tmp_path):
    root = write_project(tmp_path / "proj", "broken_pack", "raise ImportError('broken on purpose')\n",
                         manifest_toml("brokenp", {"double": {}}))
    assert env.pip("install", "-q", str(root)).code == 0  # put there by pip directly (or by an older terminal)
    rows = {p["id"]: p for p in env.cli("packs", "--json").json["packs"]}
    assert rows["broken_pack"]["health"].startswith("broken"), rows
    r = env.cli("packs", "remove", "broken_pack", "--json")
    assert r.code == 0, r.out + r.err
    assert env.leftovers() == [], env.leftovers()
    assert "broken_pack" not in {p["id"] for p in env.cli("packs", "--json").json["packs"]}


def test_an_edited_install_record_cannot_make_remove_uninstall_other_things(env, tmp_path):
    import json

    other = write_project(tmp_path / "other", "other_pack", pack_source("other"), manifest_toml("other", {"double": {}}))
    assert env.pip("install", "-q", str(other)).code == 0  # an unrelated distribution
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo"), manifest_toml("demo", {"double": {}}))
    assert env.cli("packs", "install", str(root), "--yes", "--json").code == 0
    record = env.home / "pack-installs.json"
    data = json.loads(record.read_text())
    data["demo"]["added"] += ["other-pack", "intent-terminal", "pip"]
    record.write_text(json.dumps(data))
    assert env.cli("packs", "remove", "demo", "--json").code == 0
    assert "other-pack" in env.installed() and "demo-pack" not in env.installed()
