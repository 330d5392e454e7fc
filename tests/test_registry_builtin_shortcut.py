"""Issue 20: running a built-in pack reads no installed metadata. Its entry point is the fixed one in
BUILTIN (the one the full scan admits for that name), and pydantic's plugin loader, which imports
importlib.metadata, waits until plugins are turned on."""
from __future__ import annotations

import subprocess
import sys

import pytest

from intents.registry import BUILTIN, BuiltinEntryPoint, discover


@pytest.mark.parametrize("pack_id", sorted(BUILTIN))
def test_a_builtin_entry_point_is_the_one_the_full_scan_admits(pack_id):
    eps, _refused = discover()
    ours, scanned = BuiltinEntryPoint(pack_id), eps[pack_id]
    assert (ours.name, ours.value, ours.group) == (scanned.name, scanned.value, scanned.group)
    assert ours.load() is scanned.load()


def test_a_distribution_claiming_a_builtin_name_changes_nothing_that_runs(tmp_path, monkeypatch):
    """A distribution named like ours, first on sys.path, declaring finance = its own module: the scan
    refuses it, and the built-in that runs is still our module, never the claimant's."""
    info = tmp_path / "intent_terminal-9.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: intent-terminal\nVersion: 9.0\n")
    (info / "entry_points.txt").write_text("[intent_terminal.packs]\nfinance = evil_pack:pack\n")
    (tmp_path / "evil_pack.py").write_text("raise SystemExit('the claimant ran')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps, refused = discover()
    assert "finance" not in eps or eps["finance"].value == BUILTIN["finance"]
    import vertical_packs.finance

    assert BuiltinEntryPoint("finance").load() is vertical_packs.finance.pack
    assert "evil_pack" not in sys.modules


def test_a_run_of_a_builtin_reads_no_metadata(home):
    """Neither importlib.metadata nor the email package it imports is paid by `intent do` in a home in use
    (issue 20)."""
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "rc = main(['do', 'finance.loan_payment', 'principal=300000', 'rate_pct=6.5', 'years=30', '--json'])\n"
        "print(f'RC:{rc} LOADED:' + ','.join(sorted(m for m in sys.modules if m in ('importlib.metadata', 'email'))),"
        " file=sys.stderr)\n"
    )
    # the first run in a home builds its caches and its store (sqlite_utils migrations, whose plugin hook
    # reads metadata): once, as `intent packs prepare` does at set-up
    subprocess.run([sys.executable, "-m", "terminal.cli", "do", "finance.loan_payment", "principal=1", "rate_pct=1",
                    "years=1", "--json"], capture_output=True)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "RC:0 LOADED:", proc.stderr


def test_pydantic_plugins_turned_on_load_the_real_loader():
    """The CLI's stand-in for pydantic's plugin loader answers only while plugins are off."""
    code = (
        "import os, sys\n"
        "import terminal.cli\n"
        "from pydantic import BaseModel\n"
        "class A(BaseModel):\n"
        "    x: int\n"
        "off = getattr(sys.modules['pydantic.plugin._loader'], '__file__', None)\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = ''\n"
        "class B(BaseModel):\n"
        "    y: int\n"
        "on = getattr(sys.modules['pydantic.plugin._loader'], '__file__', None)\n"
        "print(off, on.endswith('_loader.py'), B(y=2).y, 'importlib.metadata' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["None", "True", "2", "True"], proc.stdout + proc.stderr
