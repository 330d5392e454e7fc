"""Packs as an ecosystem: scaffold, check, install, remove, consent, the third-party example (issue 9)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "realestate_pack"


@pytest.fixture
def venv_cli(home, tmp_path):
    """The `intent` CLI of a throwaway venv layered over ours (tests/security/packenv.py): the packs these
    tests pip-install land there, never in the environment other tests (and other workers) load packs from."""
    from tests.security.packenv import PackEnv

    base = tmp_path / "venv-env"
    base.mkdir()
    return PackEnv(base, home).cli


def test_scaffold_is_a_valid_pack_with_passing_tests(cli, tmp_path):
    r = cli("packs", "new", "weather_demo", "--dir", str(tmp_path), "--json")
    assert r.code == 0, r.err
    root = Path(r.json["path"])
    for rel in ("pyproject.toml", "weather_demo/__init__.py", "tests/test_weather_demo.py", "README.md"):
        assert (root / rel).is_file(), rel
    r = cli("packs", "check", str(root), "--json")
    assert r.code == 0, r.out + r.err
    assert r.json["ok"] is True
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root / "tests")],
                          capture_output=True, text=True, cwd=root,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_scaffold_refuses_bad_names_and_existing_folders(cli, tmp_path):
    assert cli("packs", "new", "Bad-Name", "--dir", str(tmp_path), "--json").code == 2
    assert cli("packs", "new", "demo_x", "--dir", str(tmp_path)).code == 0
    r = cli("packs", "new", "demo_x", "--dir", str(tmp_path), "--json")
    assert r.code == 2 and "already exists" in r.json["error"]["message"]


BAD_PACK = '''
from intents.sdk import Pack, Result, Slot

pack = Pack(id="Bad-Pack", name="Bad", version="one", description="", vertical="x",
            sensitive=["secrets"], pack_api=">=2", feature="made.up")

class R(Result):
    v: float

@pack.action(samples=[], feature="other.feature")
def act(x: float = Slot("")) -> R:
    return R(v=x)
'''


def write_project(root: Path, module: str, source: str) -> Path:
    root.mkdir(parents=True)
    (root / f"{module}.py").write_text(textwrap.dedent(source))
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""
        [project]
        name = "{module}"
        version = "0.1.0"
        [project.entry-points."intent_terminal.packs"]
        {module} = "{module}:pack"
    """))
    return root


def test_check_lists_every_problem(cli, tmp_path):
    root = write_project(tmp_path / "bad", "bad_pack", BAD_PACK)
    r = cli("packs", "check", str(root), "--json")
    assert r.code == 2
    problems = " | ".join(p for rep in r.json["reports"] for p in rep["problems"])
    for expected in ("manifest.id", "manifest.version", "description is empty", "publisher",
                     "pack_api", "unknown data classes", "manifest.feature", "sample utterances",
                     "no description", "parameter 'x' has no description", "feature 'other.feature'",
                     "id must look like"):
        assert expected in problems, f"missing: {expected}\n{problems}"


def test_check_reports_import_failures(cli, tmp_path):
    root = write_project(tmp_path / "broken", "broken_pack", "raise RuntimeError('kaboom')\n")
    r = cli("packs", "check", str(root), "--json")
    assert r.code == 2
    assert "kaboom" in r.json["reports"][0]["problems"][0]
    r = cli("packs", "check", str(tmp_path / "nowhere"))
    assert r.code == 2


def test_builtin_pack_consent_and_audit(cli, home, unlocked):
    assert cli("packs", "remove", "legal", "--json").code == 0
    assert all(p["id"] != "legal" or not p["installed"] for p in cli("packs", "--json").json["packs"])
    r = cli("do", "legal.deadline", "start_date=2026-12-11", "days=21", "--json")
    assert r.code == 2 and "not installed" in r.json["error"]["message"]
    # legal declares privileged data: without a TTY and without --yes, nothing is enabled
    r = cli("packs", "install", "legal", "--json")
    assert r.code == 2 and "consent" in r.json["error"]["message"]
    r = cli("packs", "install", "legal", "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json["installed"] is True and r.json["declaration"]["sensitive"]
    from entitlements.audit import events

    kinds = [e["kind"] for e in events(home)]
    assert "pack.consent" in kinds and "pack.install" in kinds and "pack.remove" in kinds


def test_system_pack_cannot_be_removed(cli):
    r = cli("packs", "remove", "system", "--json")
    assert r.code == 2 and r.json["error"]["param"] == "pack"


def test_locked_pack_installs_locked(cli):
    """On the free plan, enabling healthcare works but says which plan unlocks it."""
    cli("packs", "remove", "healthcare")
    r = cli("packs", "install", "healthcare", "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json["installed"] is True
    if not r.json["entitled"]:  # the real store is active: free plan
        assert r.json["unlock"] in ("pro", "enterprise")


@pytest.mark.slow
def test_install_scaffold_resolve_run_remove(venv_cli, tmp_path):
    """The issue's done-when line: new -> install -> its sample resolves to its action -> remove."""
    root = Path(venv_cli("packs", "new", "weather_demo", "--dir", str(tmp_path), "--json").json["path"])
    try:
        r = venv_cli("packs", "install", str(root), "--yes", "--json")
        assert r.code == 0, r.out + r.err
        assert r.json["pack"] == "weather_demo" and r.json["source"] == "path"
        r = venv_cli("resolve", "--json", "convert 20 celsius to fahrenheit")
        assert r.json["action"] == "weather_demo.celsius_to_fahrenheit"
        r = venv_cli("do", "weather_demo.celsius_to_fahrenheit", "celsius=100", "--json")
        assert r.code == 0 and r.json["result"]["fahrenheit"] == 212
        assert venv_cli("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1", "--json").code == 0
    finally:
        r = venv_cli("packs", "remove", "weather_demo", "--json")
    assert r.code == 0, r.err
    ids = [p["id"] for p in venv_cli("packs", "--json").json["packs"]]
    assert "weather_demo" not in ids


def test_example_pack_passes_check_and_its_tests(cli):
    r = cli("packs", "check", str(EXAMPLE), "--json")
    assert r.code == 0, r.out
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
                          capture_output=True, text=True, cwd=EXAMPLE,
                          env={**os.environ, "PYTHONPATH": str(EXAMPLE)})
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_example_pack_installs_and_runs_from_words(venv_cli):
    """The third-party example, pip-installed into this environment, works from plain words."""
    try:
        r = venv_cli("packs", "install", str(EXAMPLE), "--yes", "--json")
        assert r.code == 0, r.out + r.err
        r = venv_cli("run", "--json", "cap rate for a 1.2 million building with 84k net operating income")
        assert r.code == 0, r.out + r.err
        assert r.json["action"] == "realestate.cap_rate"
        assert r.json["result"]["cap_rate_pct"] == 7.0
    finally:
        venv_cli("packs", "remove", "realestate")


@pytest.mark.slow
def test_installing_an_installed_pack_upgrades_it_in_place_and_e_installs_it_editable(venv_cli, tmp_path):
    """Issue 14: re-installing an edited pack used to fail with 'already provided by another installed
    pack' (itself). Since issue 13 the upgrade goes through consent and the manifest check like any
    install (so the edit bumps intent-pack.toml too), and an editable install, whose code could change
    after consent, is refused with a plain reason."""
    root = Path(venv_cli("packs", "new", "kinds_upgrade_demo", "--dir", str(tmp_path), "--json").json["path"])
    init = next(root.rglob("__init__.py"))
    manifest = next(root.rglob("intent-pack.toml"))
    try:
        assert venv_cli("packs", "install", str(root), "--yes", "--json").code == 0
        init.write_text(init.read_text().replace('version="0.1.0"', 'version="0.2.0"'))
        manifest.write_text(manifest.read_text().replace('version = "0.1.0"', 'version = "0.2.0"'))
        r = venv_cli("packs", "install", str(root), "--yes", "--json")
        assert r.code == 0, r.out + r.err
        assert r.json["pack"] == "kinds_upgrade_demo"
        listed = {p["id"]: p for p in venv_cli("packs", "--json").json["packs"]}
        assert listed["kinds_upgrade_demo"]["version"] == "0.2.0"
        r = venv_cli("packs", "install", "-e", str(root), "--yes", "--json", cwd=root)
        assert r.code == 2 and "editable" in r.out + r.err
    finally:
        venv_cli("packs", "remove", "kinds_upgrade_demo", cwd=root)
