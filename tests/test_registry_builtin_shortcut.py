"""Issue 20: a built-in pack's entry point, read from our own distribution alone, is exactly the one the
full scan of every installed distribution (discover) gives."""
from __future__ import annotations

import sys

import pytest

from intents.registry import BUILTIN, _builtin_entry_point, discover


@pytest.mark.parametrize("pack_id", sorted(BUILTIN))
def test_a_builtin_entry_point_is_the_one_the_full_scan_gives(pack_id):
    eps, _refused = discover()
    assert _builtin_entry_point(pack_id) == eps[pack_id]


def test_an_unknown_id_finds_nothing():
    assert _builtin_entry_point("no-such-pack") is None


# ---- the shortcut finds our distribution as importlib.metadata does, without its scan (issue 20) -------

def _library_way(pack_id):
    """What _builtin_entry_point gave before the shortcut: importlib.metadata.distribution() itself."""
    import importlib.metadata as md

    from intents.registry import GROUP, is_builtin_entry_point

    try:
        dist = md.distribution("intent-terminal")
    except md.PackageNotFoundError:
        return None
    for ep in dist.entry_points:
        if ep.group == GROUP and ep.name == pack_id:
            return ep if is_builtin_entry_point(ep) else None
    return None


def test_the_shortcut_finds_the_distribution_the_library_finds():
    import importlib.metadata as md

    from intents.registry import _own_distribution

    mine, lib = _own_distribution(), md.distribution("intent-terminal")
    assert mine is not None and str(mine._path) == str(lib._path)
    assert mine.name == lib.name == lib.metadata["Name"]


def _fake(folder, dirname: str, metadata: str, finance: str = "vertical_packs.finance:pack"):
    info = folder / dirname
    info.mkdir(parents=True)
    (info / "METADATA").write_text(metadata)
    (info / "entry_points.txt").write_text(f"[intent_terminal.packs]\nfinance = {finance}\n")


@pytest.mark.parametrize("dirname,metadata,finance,builtin", [
    # first on sys.path, named ours, claiming the finance entry point with another value: refused
    ("intent_terminal-9.0.dist-info", "Metadata-Version: 2.1\nName: intent-terminal\nVersion: 9.0\n", "evil:pack", False),
    # the fixed value from a distribution that is not ours by its METADATA: refused
    ("intent_terminal-9.0.dist-info", "Metadata-Version: 2.1\nName: evil-pack\nVersion: 9.0\n", None, False),
    # a folded Name: the shortcut leaves it to the library, which refuses it too
    ("intent_terminal-9.0.dist-info", "Metadata-Version: 2.1\nName: intent-\n terminal\nVersion: 9.0\n", None, False),
    # no Name at all: the shortcut leaves it to the library (whose entry points then carry no name)
    ("intent_terminal-9.0.dist-info", "Metadata-Version: 2.1\nVersion: 9.0\n", None, True),
    # a folder name the library normalises to ours, and our name in METADATA (with a body): ours
    ("Intent.Terminal-1.egg-info", "Metadata-Version: 2.1\nName: intent-terminal\nLicense: a\n  b\n\nName: x\n", None, True),
])
def test_the_first_intent_terminal_on_sys_path_decides_as_in_the_library(tmp_path, monkeypatch, dirname, metadata,
                                                                         finance, builtin):
    import sys

    _fake(tmp_path, dirname, metadata, finance or "vertical_packs.finance:pack")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    got, lib = _builtin_entry_point("finance"), _library_way("finance")
    assert got == lib
    assert (got is not None) == builtin
    if builtin:
        assert str(got.dist._path).startswith(str(tmp_path))


def test_no_intent_terminal_on_sys_path_finds_nothing(tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert _builtin_entry_point("finance") is None and _library_way("finance") is None


def test_another_distribution_finder_leaves_the_look_up_to_the_library(monkeypatch):
    import sys

    from intents.registry import _own_distribution

    class Finder:
        def find_spec(self, *a, **k):
            return None

        def find_distributions(self, *a, **k):
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    assert _own_distribution() is None
    assert _builtin_entry_point("finance") == _library_way("finance")


@pytest.mark.parametrize("text", [
    "Name: x\n", "Name:x", "Name:  x  \n", "A: b\n c\nName: x\n\nName: y", "Name: x\n y", " Name: x",
    "Name: a\nName: b", "Foo\nName: x", "\nName: x", "Name: x\r\nVersion: 1", "Name: x\rVersion: 1",
    "From x\nName: y", "Name\t: x", "NAME: Intent-Terminal\n", "name: x\n\tmore", "Version: 1\n",
])
def test_metadata_name_is_the_email_parser_s_or_left_to_it(text):
    import email

    from intents.registry import _metadata_name

    mine = _metadata_name(text)
    assert mine is None or mine == email.message_from_string(text)["Name"]


def test_a_run_of_a_builtin_needs_no_email_parser(home):
    """The distribution's name is read from its METADATA's header block; the email package's parser (and
    the scan of every folder on sys.path) is not paid by `intent do` (issue 20)."""
    import subprocess

    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "rc = main(['do', 'finance.loan_payment', 'principal=300000', 'rate_pct=6.5', 'years=30', '--json'])\n"
        "print(f'RC:{rc} EMAIL:' + ','.join(sorted(m for m in sys.modules if m in ('email.parser', 'email.feedparser'))),"
        " file=sys.stderr)\n"
    )
    subprocess.run([sys.executable, "-m", "terminal.cli", "resolve", "--json", "warm the cache"], capture_output=True)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "RC:0 EMAIL:", proc.stderr
