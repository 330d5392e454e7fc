"""The store itself: migrations recorded, WAL, owner-only file, audit log, clear errors when damaged."""
from __future__ import annotations

import sqlite3
import stat

import pytest

from entitlements import audit, migrations
from entitlements.errors import StoreCorrupt, StoreLocked
from entitlements.store import Store, store_path


def test_migrations_recorded_wal_and_owner_only(home):
    store = Store(home)
    names = [r[0] for r in store.read("SELECT name FROM _migrations ORDER BY name")]
    assert names == [name for name, _ in migrations.MIGRATIONS]
    assert store.read("PRAGMA journal_mode")[0][0] == "wal"
    store.close()
    assert stat.S_IMODE(store_path(home).stat().st_mode) == 0o600
    # Re-opening an up-to-date store applies nothing again.
    again = Store(home)
    assert again.read("SELECT count(*) FROM _migrations")[0][0] == len(migrations.MIGRATIONS)
    again.close()


def test_record_event_appends_to_audit(home):
    assert audit.record_event(home, "pack.install", {"pack": "legal", "version": "0.1.0"})
    assert audit.record_event(home, "llm.call", {"model": "x"})
    got = audit.events(home)
    assert [e["kind"] for e in got] == ["llm.call", "pack.install"]
    assert got[1]["detail"] == {"pack": "legal", "version": "0.1.0"}
    assert audit.events(home, kind="pack.install")[0]["detail"]["pack"] == "legal"


def test_corrupt_store_is_a_clear_error(home):
    store_path(home).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreCorrupt) as info:
        Store(home).read("SELECT 1")
    assert "damaged" in info.value.message and "licence is safe" in info.value.message
    # record_event never raises; it reports that it could not write.
    assert audit.record_event(home, "x", {}) is False


def test_locked_store_is_a_clear_error(home):
    Store(home).close()
    holder = sqlite3.connect(store_path(home), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLocked) as info:
            with Store(home, busy_timeout_s=0.2).write():
                pass
        assert "locked by another process" in info.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_later_release_upgrades_an_old_store_once(home, monkeypatch):
    Store(home).close()  # a store made by this release

    def m999_add_note(db):
        db["usage"].add_column("note", str)

    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [("m999_add_note", m999_add_note)])
    for _ in range(2):  # opened twice: applied once
        store = Store(home)
        assert "note" in {c[1] for c in store.read("PRAGMA table_info(usage)")}
        store.close()
    store = Store(home)
    assert store.read("SELECT count(*) FROM _migrations WHERE name = 'm999_add_note'")[0][0] == 1
    store.close()
