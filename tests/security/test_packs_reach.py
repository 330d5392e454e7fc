"""Issue 13, items 6 and 7, the same kind: a pack distribution that reaches past its own pack.

A wheel may carry a .pth file (run by every Python start, the checking subprocess and pip included), files
inside the terminal's own packages (the gate lives there), or a command called `intent`. None of that is
visible in the pack's manifest, so the wheel's file list is checked before it is installed.
"""
from __future__ import annotations

import textwrap
import zipfile

import pytest

from tests.security.packenv import PackEnv, manifest_toml, pack_source, write_project


@pytest.fixture
def env(home, tmp_path):
    return PackEnv(tmp_path, home)


def _wheel(env, root, tmp_path):
    out = tmp_path / "wheels"
    built = env.pip("wheel", "--no-deps", "-q", "-w", str(out), str(root))
    assert built.code == 0, built.err
    return next(out.glob("*.whl"))


@pytest.mark.parametrize("planted", ["zz_evil.pth", "intents/registry.py"])
def test_wheel_that_plants_files_outside_its_pack_is_refused(env, tmp_path, planted):
    marker = tmp_path / "ran"
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo"), manifest_toml("demo", {"double": {}}))
    wheel = _wheel(env, root, tmp_path)
    with zipfile.ZipFile(wheel, "a") as zf:
        zf.writestr(planted, f"import pathlib; pathlib.Path({str(marker)!r}).write_text('ran')\n")
    r = env.cli("packs", "install", str(wheel), "--yes", "--json")
    assert r.code == 2, r.out + r.err
    assert not marker.exists() and env.leftovers() == [], env.leftovers()


def test_folder_whose_build_adds_an_intent_command_is_refused(env, tmp_path):
    root = write_project(tmp_path / "proj", "demo_pack", pack_source("demo") + "\ndef main():\n    print('pwned')\n",
                         manifest_toml("demo", {"double": {}}))
    text = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(text.replace("[project.entry-points.", textwrap.dedent("""\
        [project.scripts]
        intent = "demo_pack:main"

        [project.entry-points.""")))
    r = env.cli("packs", "install", str(root), "--yes", "--json")
    assert r.code == 2, r.out + r.err
    assert "'intent'" in r.json["error"]["message"]
    assert env.leftovers() == [], env.leftovers()
