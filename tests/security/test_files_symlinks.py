"""Issue 13, item 9: the terminal never writes through a symbolic link.

Each test plants a link where the terminal is about to create a file (a generated document, the store,
history, licences, a cache or its temporary file) and checks that nothing appears at, or changes in,
the link's target; and that generated files are 0600 in 0700 directories, INTENT_HOME 0700.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from intents.sdk import ActionContext

NDA = {"party_a": "Acme Corp", "party_b": "Bob Smith"}
NDA_STEM = "NDA-Acme-Corp-Bob-Smith"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def regular(path: Path) -> bool:
    return stat.S_ISREG(os.lstat(path).st_mode)


# ---- generated files --------------------------------------------------------------------------------
def test_nda_through_planted_dangling_links_writes_nothing_at_their_targets(session, unlocked, tmp_path):
    out = session.out_dir
    out.mkdir(mode=0o700)
    victim_docx, victim_md = tmp_path / "victim.docx", tmp_path / "victim.md"
    (out / f"{NDA_STEM}.docx").symlink_to(victim_docx)
    (out / f"{NDA_STEM}.md").symlink_to(victim_md)

    result = session.run_action("legal.draft_nda", NDA).result

    assert not victim_docx.exists() and not victim_md.exists()
    for key in ("path", "markdown_path"):
        made = Path(result[key])
        assert made.parent == out and regular(made) and made.stat().st_size > 0
        assert mode(made) == 0o600
    assert os.path.islink(out / f"{NDA_STEM}.docx")  # the planted link is left as it was


def test_amortization_csv_beside_a_planted_link_is_written_as_a_new_file(session, tmp_path):
    out = session.out_dir
    out.mkdir()
    victim = tmp_path / "victim.csv"
    (out / "amortization-1000-at-5pct-12m.csv").symlink_to(victim)

    result = session.run_action("finance.amortization_csv", {"principal": 1000, "rate_pct": 5, "years": 1}).result

    assert not victim.exists()
    made = Path(result["path"])
    assert made.parent == out and regular(made) and mode(made) == 0o600
    assert made.read_text().startswith("month,payment")


def test_deadline_ics_beside_a_planted_link_is_a_new_owner_only_file(session, unlocked, tmp_path):
    out = session.out_dir
    out.mkdir()
    victim = tmp_path / "victim.ics"
    (out / "deadline-2026-01-15.ics").symlink_to(victim)

    result = session.run_action("legal.deadline", {"start_date": "2026-01-05", "days": 10, "calendar": True}).result

    assert result["due_date"] == "2026-01-15" and not victim.exists()
    made = Path(result["ics_path"])
    assert made.parent == out and regular(made) and mode(made) == 0o600
    assert made.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_output_path_never_hands_out_a_link(tmp_path):
    """What the TUI export and third-party packs do: output_path, then write_text."""
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.json"
    (out / "export.json").symlink_to(victim)
    ctx = ActionContext(home=tmp_path, out_dir=out)

    path = ctx.output_path("export.json")
    path.write_text("{}")

    assert not victim.exists()
    assert path != out / "export.json" and regular(path) and mode(path) == 0o600


@pytest.mark.parametrize("name, expected", [
    ("../../escape.txt", "escape.txt"),
    ("..", "output"),
    ("../..", "output"),
    ("/etc/evil.conf", "evil.conf"),
    ("sub/dir/x.txt", "x.txt"),
    ("..\\..\\win.txt", "win.txt"),
    (".bashrc", "bashrc"),
    ("a\x00b\n.txt", "a_b_.txt"),
])
def test_output_path_keeps_any_name_inside_its_directory(tmp_path, name, expected):
    out = tmp_path / "deep" / "out"
    ctx = ActionContext(home=tmp_path, out_dir=out)
    path = ctx.output_path(name)
    assert path.parent == out and path.name == expected and regular(path)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [expected]


def test_output_path_survives_a_very_long_name(tmp_path):
    ctx = ActionContext(home=tmp_path, out_dir=tmp_path / "out")
    path = ctx.output_path("x" * 5000 + ".docx")
    assert path.suffix == ".docx" and len(path.name.encode()) <= 255 and path.exists()


def test_generated_legal_files_are_owner_only_in_an_owner_only_directory(session, unlocked):
    out = session.out_dir  # does not exist yet: the terminal creates it
    result = session.run_action("legal.draft_nda", NDA).result
    assert mode(out) == 0o700
    assert mode(Path(result["path"])) == 0o600 and mode(Path(result["markdown_path"])) == 0o600
    red = session.run_action("legal.redact", {"source": "call 212-555-0100 or mail a@b.com"}).result
    assert mode(Path(red["path"])) == 0o600


def test_an_output_directory_that_is_a_dangling_link_is_refused(home, tmp_path):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError, match="symbolic link"):
        ActionContext(home=home, out_dir=link).output_path("x.txt")
    assert not (tmp_path / "elsewhere").exists()


# ---- INTENT_HOME -------------------------------------------------------------------------------------
def test_a_new_intent_home_is_owner_only(cli, tmp_path):
    fresh = tmp_path / "fresh" / "home"
    r = cli("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1", env={"INTENT_HOME": str(fresh)})
    assert r.code == 0, r.err
    assert mode(fresh) == 0o700
    for path in fresh.rglob("*"):
        if path.is_dir():
            assert mode(path) == 0o700, path
        else:
            assert mode(path) & 0o077 == 0, path


def test_an_existing_open_intent_home_is_tightened(cli, home):
    home.chmod(0o755)
    assert cli("plan").code == 0
    assert mode(home) == 0o700


def test_an_intent_home_that_is_a_link_is_refused(cli, tmp_path):
    real = tmp_path / "real-home"
    real.mkdir(mode=0o755)
    link = tmp_path / "linked-home"
    link.symlink_to(real)
    r = cli("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1", env={"INTENT_HOME": str(link)})
    assert r.code != 0 and "symbolic link" in r.err and "Traceback" not in r.err
    assert list(real.iterdir()) == [] and mode(real) == 0o755


# ---- the entitlement store ---------------------------------------------------------------------------
def test_a_dangling_store_link_creates_nothing(cli, home, tmp_path):
    victim = tmp_path / "victim.db"
    (home / "entitlements.db").symlink_to(victim)
    r = cli("plan")
    assert r.code != 0 and "symbolic link" in r.err and "Traceback" not in r.err
    assert not victim.exists()


def test_a_store_link_to_a_file_neither_chmods_nor_writes_it(home, tmp_path):
    from entitlements.store import Store

    victim = tmp_path / "victim.db"
    victim.write_bytes(b"")
    victim.chmod(0o644)
    (home / "entitlements.db").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        Store(home).conn
    assert mode(victim) == 0o644 and victim.stat().st_size == 0


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_a_link_beside_the_store_is_refused(home, tmp_path, suffix):
    """SQLite itself opens these with O_NOFOLLOW (a cryptic error); we refuse them first, saying why."""
    from entitlements.store import Store

    victim = tmp_path / "victim"
    (home / f"entitlements.db{suffix}").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        Store(home).conn
    assert not victim.exists()


# ---- history -----------------------------------------------------------------------------------------
def test_a_dangling_history_link_creates_nothing_and_the_answer_still_comes(cli, home, tmp_path):
    victim = tmp_path / "victim.db"
    (home / "history.db").symlink_to(victim)
    r = cli("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1", "--json")
    assert r.code == 0 and r.json["result"]["monthly_payment"] > 0
    assert not victim.exists()
    assert "symbolic link" in r.err  # the history line was not kept, and the user is told why


def test_a_history_link_to_a_file_leaves_it_untouched(home, tmp_path):
    from intents.history import History

    victim = tmp_path / "victim.db"
    victim.write_bytes(b"")
    victim.chmod(0o644)
    (home / "history.db").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        History(home).record(action="x.y", params={}, status="ok", exit_code=0)
    assert victim.stat().st_size == 0 and mode(victim) == 0o644


# ---- licences ----------------------------------------------------------------------------------------
def test_a_licences_link_to_another_directory_receives_nothing(cli, home, tmp_path):
    from tests.licensing import licence_token

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (home / "licences").symlink_to(elsewhere, target_is_directory=True)
    token_file = tmp_path / "pro.token"
    token_file.write_text(licence_token(home, "pro"))
    r = cli("license", "activate", str(token_file))
    assert r.code != 0 and "symbolic link" in r.err and "Traceback" not in r.err
    assert list(elsewhere.iterdir()) == []


def test_licence_files_are_owner_only_in_owner_only_directories(home, monkeypatch):
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch)
    assert mode(home / "licences") == 0o700
    assert mode(home / "licences" / "licence.token") == 0o600


def test_the_licence_temp_file_is_not_a_predictable_name_a_link_can_take(home, monkeypatch, tmp_path):
    """The old code wrote `.licence.token.<pid>.tmp` with O_TRUNC and no O_NOFOLLOW."""
    from tests.licensing import activate_plan

    victim = tmp_path / "victim"
    (home / "licences").mkdir(mode=0o700)
    (home / "licences" / f".licence.token.{os.getpid()}.tmp").symlink_to(victim)
    activate_plan(home, "pro", monkeypatch)
    assert not victim.exists()


# ---- caches ------------------------------------------------------------------------------------------
def test_the_pack_cache_temp_file_is_not_a_predictable_name_a_link_can_take(home, tmp_path):
    from intents.registry import Registry

    victim = tmp_path / "victim"
    (home / "cache").mkdir(mode=0o700)
    (home / "cache" / f"packs.{os.getpid()}.tmp").symlink_to(victim)
    Registry.load(home)
    assert not victim.exists()
    assert mode(home / "cache" / "packs.json") == 0o600


def test_a_cache_directory_link_receives_nothing(cli, home, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (home / "cache").symlink_to(elsewhere, target_is_directory=True)
    r = cli("resolve", "--json", "monthly payment on a 300k loan at 6.5% over 30 years")
    assert "Traceback" not in r.err
    assert list(elsewhere.iterdir()) == []


# ---- the helpers themselves --------------------------------------------------------------------------
def test_write_atomic_refuses_a_link_and_leaves_no_temp_file(tmp_path):
    from intents.safe_files import UnsafePath, write_atomic

    victim = tmp_path / "victim"
    link = tmp_path / "settings.json"
    link.symlink_to(victim)
    with pytest.raises(UnsafePath):
        write_atomic(link, "{}")
    assert not victim.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_append_text_refuses_a_link(tmp_path):
    from intents.safe_files import UnsafePath, append_text

    victim = tmp_path / "victim"
    (tmp_path / "tui.log").symlink_to(victim)
    with pytest.raises(UnsafePath):
        append_text(tmp_path / "tui.log", "line\n")
    assert not victim.exists()
