"""Issue 13, item 6: pack code does not run before consent.

Before the fix installing a pack, even one the user then declined, imported its module (in a checking
subprocess, then in the terminal's own process when the registry was rebuilt), and consent was asked
only for packs declaring risky actions or sensitive data. Consent is now built from the distribution's
static manifest (intent-pack.toml), asked for every third-party install, and only after "yes" is the
code imported, in a subprocess, and checked against that manifest.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.packenv import PackEnv, manifest_toml, pack_source, write_project

MANIFEST = manifest_toml("demo", {"double": {}}, network=["api.example.com"],
                         files_written=["nothing outside the output folder"])


def _markers(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def env(home, tmp_path):
    return PackEnv(tmp_path, home)


def test_declined_install_runs_no_pack_code_and_installs_nothing(env, tmp_path):
    marker = tmp_path / "imported.jsonl"
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo", marker=marker), MANIFEST)
    r = env.cli("packs", "install", str(root), "--json")  # no TTY, no --yes: declined
    assert r.code == 2, r.out + r.err
    assert "consent" in r.json["error"]["message"]
    assert _markers(marker) == [], "the pack's code ran before consent"
    assert env.leftovers() == []
    r = env.cli("packs", "install", str(root), input="n\n")
    assert r.code == 2 and _markers(marker) == [] and env.leftovers() == []


def test_consent_shows_the_static_manifest_for_a_harmless_pack(env, tmp_path):
    marker = tmp_path / "imported.jsonl"
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo", marker=marker), MANIFEST)
    r = env.cli("packs", "install", str(root), "--yes")
    assert r.code == 0, r.out + r.err
    for words in ("demo.double", "read-only", "api.example.com", "nothing outside the output folder", "pack.demo"):
        assert words in r.err, (words, r.err)
    seen = _markers(marker)
    assert seen and seen[0]["argv"][0] == "-c", "the first import must be the checking subprocess"
    assert env.cli("do", "demo.double", "x=4", "--json").json["result"]["value"] == 8
    r = env.cli("packs", "remove", "demo", "--json")
    assert r.code == 0, r.out + r.err
    assert env.leftovers() == []


@pytest.mark.parametrize("lie", ["risk", "extra_action", "metered", "sensitive"])
def test_code_that_differs_from_its_manifest_is_rolled_back(env, tmp_path, lie):
    extra = {
        "risk": '''
            @pack.action(samples=["wipe things", "wipe it all"], risk="destructive")
            def wipe() -> Doubled:
                """Deletes things."""
                return Doubled(value=0)
            ''',
        "extra_action": '''
            @pack.action(samples=["sneak in", "sneaky"])
            def sneak() -> Doubled:
                """Not in the manifest."""
                return Doubled(value=0)
            ''',
        "metered": "", "sensitive": "",
    }[lie]
    declared = {"double": {}}
    if lie == "risk":
        declared["wipe"] = {"risk": "read-only"}
    if lie == "metered":
        declared["double"] = {"metered": True, "feature": "demo.double"}
    source = pack_source("demo", actions=extra, **({"sensitive": ["PHI"]} if lie == "sensitive" else {}))
    root = write_project(tmp_path / "proj", "demo_pack", source, manifest_toml("demo", declared))
    r = env.cli("packs", "install", str(root), "--yes", "--json")
    assert r.code == 2, r.out + r.err
    assert "manifest" in r.json["error"]["message"], r.json
    assert env.leftovers() == [], env.leftovers()
    assert all(p["id"] != "demo" for p in env.cli("packs", "--json").json["packs"])


def test_pack_without_a_manifest_is_refused_before_any_code_runs(env, tmp_path):
    marker = tmp_path / "imported.jsonl"
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo", marker=marker), manifest=None)
    r = env.cli("packs", "install", str(root), "--yes", "--json")
    assert r.code == 2, r.out + r.err
    assert "intent-pack.toml" in r.json["error"]["message"]
    assert _markers(marker) == [] and env.leftovers() == []


def test_wheel_install_asks_from_the_wheel_before_any_code_runs(env, tmp_path):
    marker = tmp_path / "imported.jsonl"
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo", marker=marker), MANIFEST)
    wheels = tmp_path / "wheels"
    built = env.pip("wheel", "--no-deps", "-q", "-w", str(wheels), str(root))
    assert built.code == 0, built.err
    wheel = next(wheels.glob("*.whl"))
    r = env.cli("packs", "install", str(wheel), "--json")
    assert r.code == 2 and "consent" in r.json["error"]["message"], r.out + r.err
    assert _markers(marker) == [] and env.leftovers() == []


def test_check_does_not_import_the_pack_in_process(cli, tmp_path):
    marker = tmp_path / "imported.jsonl"
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo", marker=marker), MANIFEST)
    r = cli("packs", "check", str(root), "--json")
    assert r.code == 0, r.out + r.err
    assert all(m["argv"][0] == "-c" for m in _markers(marker)), _markers(marker)


def test_check_reports_a_manifest_that_differs_from_the_code(cli, tmp_path):
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo"),
                         manifest_toml("demo", {"double": {"risk": "writes-files"}}))
    r = cli("packs", "check", str(root), "--json")
    assert r.code == 2, r.out
    assert "manifest" in json.dumps(r.json["reports"]), r.json
