"""The installation's shared cache (intents.paths.shared_cache_dir, ActionContext.shared_cache_dir): data that
depends only on installed libraries (the ICD-10-CM index, the ECB rates, the courts table) is built once per
installation, so the first use in a new INTENT_HOME costs what a later one does (issue 20).

Thinking like the machine's owner and like a second home: the shared folder is as writable as any cache, so
a file there is checked exactly like one in a home (a forged or damaged one is never used); a shared folder
that cannot be made (a file in its way, a symbolic link) leaves each home to build its own; a home's own
file is used before the installation's; nothing is ever written into a home that found the shared file."""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from intents import cache_files, paths
from intents.sdk import ActionContext, cached_sqlite

from tests.icd10_fixtures import rows  # noqa: F401  (fixture)

SCHEMA = ["CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
          "CREATE TABLE t(x INTEGER NOT NULL)"]
META = {"format": "1", "library": "demo 1.0"}
PREFIX = "demo-1.0-v1-"


class Writes:
    """A `write(db)` that counts its calls: a call means the data was built (again)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, db: sqlite3.Connection) -> None:
        self.calls += 1
        db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])


def open_cache(folder: Path | None, shared: Path | None, write: Writes):
    return cached_sqlite(folder, PREFIX, SCHEMA, META, write, shared=shared)


def files(folder: Path) -> list[Path]:
    return cache_files.candidates(folder, PREFIX)


def test_the_folder_is_the_installations_unless_set_or_off(monkeypatch, tmp_path):
    monkeypatch.delenv("INTENT_SHARED_CACHE")
    assert paths.shared_cache_dir("healthcare") == Path(sys.prefix) / "share" / "intent-terminal" / "cache" / "healthcare"
    monkeypatch.setenv("INTENT_SHARED_CACHE", str(tmp_path / "fleet"))
    assert paths.shared_cache_dir("finance") == tmp_path / "fleet" / "finance"
    for off in ("off", "", "0", "NONE"):
        monkeypatch.setenv("INTENT_SHARED_CACHE", off)
        assert paths.shared_cache_dir("finance") is None


def test_actions_and_preparations_get_their_packs_shared_folder(monkeypatch, tmp_path, session):
    from intents.prepare import context_for

    monkeypatch.setenv("INTENT_SHARED_CACHE", str(tmp_path / "shared"))
    dispatcher = session.dispatcher
    action = dispatcher.registry.action("healthcare.icd10_lookup")
    assert dispatcher.context_for(action).shared_cache_dir == tmp_path / "shared" / "healthcare"
    assert context_for(dispatcher.registry, "finance").shared_cache_dir == tmp_path / "shared" / "finance"
    assert ActionContext(home=tmp_path).shared_cache_dir is None  # a context made by hand shares nothing


def test_built_once_in_the_shared_folder_then_every_home_reads_it(tmp_path):
    shared, write = tmp_path / "shared", Writes()
    first = open_cache(tmp_path / "home-a" / "cache", shared, write)
    assert first.path.parent == shared and write.calls == 1
    first.close()
    for name in ("home-b", "home-c"):
        found = open_cache(tmp_path / name / "cache", shared, write)
        assert found.path == first.path and found.db.execute("SELECT count(*) FROM t").fetchone() == (100,)
        found.close()
    assert write.calls == 1
    assert not (tmp_path / "home-b").exists() and not (tmp_path / "home-c").exists()  # nothing written there


def test_a_homes_own_file_comes_first(tmp_path):
    home, shared, write = tmp_path / "home" / "cache", tmp_path / "shared", Writes()
    own = cached_sqlite(home, PREFIX, SCHEMA, META, write)  # built before the installation had one
    own.close()
    found = open_cache(home, shared, write)
    assert found.path == own.path and write.calls == 1 and not files(shared)
    found.close()


@pytest.mark.parametrize("damage", ["edited", "truncated", "other meta"])
def test_a_bad_shared_file_is_never_used(tmp_path, damage):
    shared, write = tmp_path / "shared", Writes()
    good = open_cache(tmp_path / "a", shared, write)
    path = good.path
    good.close()
    if damage == "edited":
        data = bytearray(path.read_bytes())
        data[-100] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "truncated":
        with open(path, "r+b") as fh:
            fh.truncate(path.stat().st_size // 2)
    else:  # a file another library version built, renamed to this one's digest name
        other = cached_sqlite(tmp_path / "elsewhere", PREFIX, SCHEMA, {**META, "library": "demo 0.9"}, Writes())
        os.replace(other.path, path)
        other.close()
    found = open_cache(tmp_path / "b", shared, write)
    assert write.calls == 2  # built again, never read from the bad file
    assert found.db.execute("SELECT count(*) FROM t").fetchone() == (100,)
    assert cache_files.open_verified(found.path, SCHEMA, META)  # what it opened checks out
    found.close()


@pytest.mark.parametrize("obstacle", ["a file in its place", "a symbolic link"])
def test_a_shared_folder_that_cannot_be_made_leaves_the_home_its_own(tmp_path, obstacle):
    shared = tmp_path / "shared"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if obstacle == "a file in its place":
        shared.write_text("not a folder")
    else:
        shared.symlink_to(elsewhere, target_is_directory=True)
    write = Writes()
    home = tmp_path / "home" / "cache"
    found = open_cache(home, shared, write)
    assert found.path.parent == home and write.calls == 1
    assert not list(elsewhere.iterdir())  # nothing written through the link
    found.close()


def test_no_folder_at_all_still_answers_from_memory(tmp_path):
    (tmp_path / "x").write_text("")
    write = Writes()
    found = open_cache(tmp_path / "x" / "home", tmp_path / "x" / "shared", write)
    assert found.path is None and found.db.execute("SELECT count(*) FROM t").fetchone() == (100,)
    found.close()


def test_icd10_prepared_once_then_a_new_home_hashes_and_builds_nothing(tmp_path, rows, monkeypatch):  # noqa: F811
    """`intent packs prepare` in one home leaves the index, stamped, in the installation's folder: the first
    look-up in another, brand-new home opens that file without hashing it and writes nothing in its home."""
    import hashlib

    from vertical_packs.healthcare import icd10, icd10_index
    from vertical_packs.healthcare import icd10_stamp as stamp
    from vertical_packs.healthcare import icd10_store as store

    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    shared = tmp_path / "shared" / "healthcare"
    prepared = ActionContext(home=tmp_path / "a" / "packs" / "healthcare", shared_cache_dir=shared)
    icd10_index.forget_index()
    try:
        icd10.prepare_icd10_index(prepared)
        assert len(store.candidates(shared)) == 1 and (shared / stamp.NAME).is_file()
        assert not prepared.cache_dir.exists()
        icd10_index.forget_index()  # a new process
        hashed = []
        real = hashlib.file_digest
        monkeypatch.setattr(hashlib, "file_digest", lambda fh, d: hashed.append(fh) or real(fh, d))
        fresh = ActionContext(home=tmp_path / "b" / "packs" / "healthcare", shared_cache_dir=shared)
        out = icd10.icd10_lookup(query="type 2 diabetes with hyperglycemia", limit=3, ctx=fresh)
        assert out.matches[0].code == "E11.65" and hashed == []
        assert not (tmp_path / "b").exists()
    finally:
        icd10_index.forget_index()


def _counting_discover(monkeypatch) -> list:
    from intents import registry

    calls = []
    real = registry.discover

    def discover(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(registry, "discover", discover)
    return calls


def test_a_new_home_starts_from_the_installations_pack_cache(tmp_path, monkeypatch):
    from intents.registry import Registry

    monkeypatch.setenv("INTENT_SHARED_CACHE", str(tmp_path / "shared"))
    scans = _counting_discover(monkeypatch)
    first = Registry.load(tmp_path / "a")
    assert scans == [1] and (tmp_path / "shared" / "packs.json").is_file()
    assert (tmp_path / "a" / "cache" / "packs.json").is_file()  # the home keeps its own copy too
    second = Registry.load(tmp_path / "b")
    assert scans == [1]  # no entry-point scan, no pack imported: the shared cache was fresh
    assert sorted(second.packs) == sorted(first.packs) and second.fingerprint == first.fingerprint
    assert second.action("finance.loan_payment") is not None


def test_a_shared_pack_cache_is_checked_like_the_homes(tmp_path, monkeypatch):
    """Edited to serve a built-in id from another entry point, or stale, or garbage: never used."""
    import json

    from intents.registry import Registry

    shared = tmp_path / "shared"
    monkeypatch.setenv("INTENT_SHARED_CACHE", str(shared))
    Registry.load(tmp_path / "a")
    data = json.loads((shared / "packs.json").read_text())
    scans = _counting_discover(monkeypatch)
    forged = json.loads(json.dumps(data))
    for pack in forged["packs"]:
        if pack["manifest"]["id"] == "finance":
            pack["entry_point"] = "evil_pack:pack"
    stale = {**data, "quick": "0" * 24}
    for n, edited in enumerate([forged, stale, "not json"], start=1):
        (shared / "packs.json").write_text(edited if isinstance(edited, str) else json.dumps(edited))
        reg = Registry.load(tmp_path / f"home-{n}")
        assert len(scans) == n, edited if isinstance(edited, str) else n  # scanned again, not believed
        assert reg.packs["finance"].entry_point == "vertical_packs.finance:pack"


def test_a_pack_cache_that_cannot_be_shared_stays_in_the_home(tmp_path, monkeypatch):
    from intents.registry import Registry

    (tmp_path / "file").write_text("")
    monkeypatch.setenv("INTENT_SHARED_CACHE", str(tmp_path / "file" / "shared"))
    reg = Registry.load(tmp_path / "a")
    assert reg.action("finance.loan_payment") is not None and (tmp_path / "a" / "cache" / "packs.json").is_file()


def test_a_new_homes_first_resolve_reads_the_installations_index(tmp_path, monkeypatch):
    from intents.registry import Registry
    from intents.resolver import index as index_mod
    from intents.resolver.local import LocalResolver

    monkeypatch.setenv("INTENT_SHARED_CACHE", str(tmp_path / "shared"))
    builds = []
    real = index_mod.build
    monkeypatch.setattr(index_mod, "build", lambda *a, **k: builds.append(1) or real(*a, **k))
    text = "monthly payment on a 300k loan at 6.5% over 30 years"
    first = LocalResolver.for_registry(Registry.load(tmp_path / "a")).resolve(text)
    assert builds == [1] and list((tmp_path / "shared").glob("resolver-*.json"))
    second = LocalResolver.for_registry(Registry.load(tmp_path / "b")).resolve(text)
    assert builds == [1] and (second.action, second.slots) == (first.action, first.slots) == (
        "finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    # an index in the shared folder for another set of actions is never used for this one
    for path in (tmp_path / "shared").glob("resolver-*.json"):
        data = path.read_text().replace('"finance.loan_payment"', '"finance.loan_paymenx"')
        path.write_text(data)
    third = LocalResolver.for_registry(Registry.load(tmp_path / "c")).resolve(text)
    assert builds == [1, 1] and third.action == "finance.loan_payment"


def test_packs_prepare_also_leaves_the_resolver_index_for_new_homes(tmp_path, monkeypatch, home):
    """`intent packs prepare` with no names is the README's set-up: after it, a new home's first resolve reads
    the index instead of building it (the packs' own preparations are tested in test_packs_prepare.py)."""
    import argparse

    from intents.resolver import index as index_mod
    from terminal.commands import packs as packs_cmd

    monkeypatch.setenv("INTENT_SHARED_CACHE", str(tmp_path / "shared"))
    monkeypatch.setattr(packs_cmd, "_run_prepare", lambda registry, names, quiet=False: [])
    assert packs_cmd._prepare(argparse.Namespace(packs=[], json=True)) == 0
    assert list((tmp_path / "shared").glob("resolver-*.json"))
    monkeypatch.setattr(index_mod, "build", lambda *a, **k: pytest.fail("built again in a new home"))
    from intents.session import Session

    monkeypatch.setenv("INTENT_HOME", str(tmp_path / "new-home"))
    m = Session(home=tmp_path / "new-home").resolve("monthly payment on a 300k loan at 6.5% over 30 years")
    assert m.action == "finance.loan_payment"
