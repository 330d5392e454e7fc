"""The ICD-10-CM index file in the pack's cache folder: built once, reused, and never believed blindly.

The folder is the user's to write, so a damaged, truncated, edited, stale or schema-swapped file must be
detected and rebuilt (never a crash, never a wrong code), two first uses at once must not corrupt it, and a
home that cannot be written must still answer (an index built in memory)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vertical_packs.healthcare import icd10_store as store
from vertical_packs.healthcare.icd10_index import Index

from tests.icd10_fixtures import E11_65, built, rows  # noqa: F401  (fixtures)


def copy_of(built: Path, folder: Path) -> Path:
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(built, folder / built.name))


def first_hit(reader: store.Reader, query: str = "type 2 diabetes with hyperglycemia") -> tuple[str, str]:
    ix = Index(reader)
    i = ix.search(query)[0]
    return ix.codes[i], ix.descriptions[i]


def test_fresh_build_then_reuse(tmp_path, rows):
    folder = tmp_path / "cache"
    path = store.build_file(folder, rows)
    assert store.candidates(folder) == [path] and oct(path.stat().st_mode & 0o777) == "0o600"
    reader = store.open_verified(path)
    assert first_hit(reader) == ("E11.65", E11_65)
    reader.close()
    mtime = path.stat().st_mtime_ns
    reader = store.open_index(folder)  # reused as it is: not rebuilt
    assert reader.path == path and path.stat().st_mtime_ns == mtime
    reader.close()


def test_the_file_answers_like_the_memory_index(tmp_path, rows, built):
    """Queried in place or held in memory: the same codes in the same order."""
    on_disk = Index(store.open_verified(built))
    in_memory = Index(store.build_in_memory(rows))
    for query in ("left right", "fracture of left femur", "diabetic", "high blood pressure", "hyperglycemic t2dm"):
        assert on_disk.search(query, 60) == in_memory.search(query, 60), query
    assert on_disk.lookup("E11") == in_memory.lookup("E11") and on_disk.prefixed("E11.6", 10) == in_memory.prefixed("E11.6", 10)


def _edit(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()


@pytest.mark.parametrize("damage", ["edited", "truncated", "garbage", "empty"])
def test_a_damaged_or_edited_file_is_detected_and_rebuilt(tmp_path, rows, built, damage, monkeypatch):
    folder = tmp_path / "cache"
    path = copy_of(built, folder)
    if damage == "edited":  # a wrong description for E11.65, in a file that is otherwise a valid index
        _edit(path, "UPDATE code SET description = 'Essential hypertension' WHERE code = 'E11.65'")
    elif damage == "truncated":
        os.truncate(path, path.stat().st_size // 2)
    elif damage == "garbage":
        path.write_bytes(os.urandom(8192))
    else:
        path.write_bytes(b"")
    with pytest.raises(store.CacheFileError):
        store.open_verified(path)
    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    reader = store.open_index(folder)  # detected, removed, rebuilt
    assert first_hit(reader) == ("E11.65", E11_65)
    assert store.candidates(folder) == [reader.path]
    reader.close()


def test_a_forged_digest_still_needs_our_schema(tmp_path, built):
    """A file renamed to its own digest (so the digest matches) but with a view standing in for a table:
    refused, since its SQL would run when we query."""
    path = copy_of(built, tmp_path)
    _edit(path, "ALTER TABLE posting RENAME TO posting_real")
    _edit(path, "CREATE VIEW posting AS SELECT word, hits FROM posting_real")
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    forged = path.with_name(f"{path.name.rsplit('-', 1)[0]}-{digest}.sqlite")
    path.rename(forged)
    with pytest.raises(store.CacheFileError, match="schema"):
        store.open_verified(forged)


def _forge(path: Path, *sql: str) -> Path:
    """Edit a copy, then rename it to its own new digest: a file every check up to the data itself passes."""
    import hashlib

    for statement in sql:
        _edit(path, statement)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return path.rename(path.with_name(f"{path.name.rsplit('-', 1)[0]}-{digest}.sqlite"))


def test_a_forged_file_missing_its_last_codes_is_refused_at_open(tmp_path, built):
    forged = _forge(copy_of(built, tmp_path), "DELETE FROM code WHERE i >= 98000")
    with pytest.raises(store.CacheFileError, match="incomplete"):
        store.open_verified(forged)


def test_a_forged_file_with_a_hole_is_rebuilt_by_the_action(unlocked, session, monkeypatch, rows, built):
    """The open checks only the ends of the code numbers (cheap); a row missing in between is found when a
    look-up reads it, and the action deletes that file, rebuilds and answers."""
    from vertical_packs.healthcare import icd10_index

    folder = unlocked / "packs" / "healthcare" / "cache"
    forged = _forge(copy_of(built, folder), "DELETE FROM code WHERE code = 'E11.65'")
    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    icd10_index.forget_index()
    try:
        out = session.run_action("healthcare.icd10_lookup", {"query": "type 2 diabetes with hyperglycemia"})
        assert out.result["matches"][0]["code"] == "E11.65"
        assert not forged.exists() and len(store.candidates(folder)) == 1
    finally:
        icd10_index.forget_index()


def test_a_stale_file_is_rebuilt_for_the_installed_library(tmp_path, rows, monkeypatch):
    """The meta rows name format, library version and the library's data files: any other is rebuilt."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(store, "source_fingerprint", lambda: '[["other.xml",1,1]]')
    old = store.build_file(folder, rows)
    monkeypatch.undo()
    with pytest.raises(store.CacheFileError, match="library version"):
        store.open_verified(old)
    legacy = folder / "icd10cm-1.4.0-index4.json"  # the JSON index of earlier releases
    legacy.write_text("{}")
    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    reader = store.open_index(folder)
    assert reader.path != old and not old.exists() and not legacy.exists()
    reader.close()


def test_no_cache_folder_or_an_unwritable_one_still_answers(tmp_path, rows, monkeypatch):
    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be")  # private_dir refuses it
    reader = store.open_index(blocked)
    assert reader.path is None and first_hit(reader)[0] == "E11.65"
    reader = store.open_index(None)
    assert reader.path is None and first_hit(reader)[0] == "E11.65"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes through any mode")
def test_a_read_only_home_still_answers(tmp_path, rows, monkeypatch):
    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    try:
        reader = store.open_index(home / "cache")
        assert reader.path is None and first_hit(reader)[0] == "E11.65"
    finally:
        home.chmod(0o700)


def test_a_file_swapped_under_a_running_process_is_rebuilt(unlocked, session, monkeypatch, rows):
    """Reading fails part way (here: the open file is replaced by garbage): the action rebuilds and answers."""
    from vertical_packs.healthcare import icd10_index

    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    icd10_index.forget_index()
    folder = unlocked / "packs" / "healthcare" / "cache"
    assert session.run_action("healthcare.icd10_lookup", {"query": "I10"}).result["matches"][0]["code"] == "I10"
    index = icd10_index.get_index()
    index.db.db.close()  # what a reader of a vanished or garbled file meets: every query fails
    out = session.run_action("healthcare.icd10_lookup", {"query": "type 2 diabetes with hyperglycemia"})
    assert out.result["matches"][0]["code"] == "E11.65"
    assert icd10_index.get_index() is not index and len(store.candidates(folder)) == 1


def test_two_first_uses_at_once_build_one_good_file(tmp_path):
    """Two processes start on an empty cache together: one builds (under the lock), the other waits and
    opens that file; both answer, and one verified file is left."""
    folder = tmp_path / "cache"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from vertical_packs.healthcare.icd10_index import get_index
        ix = get_index(Path({str(folder)!r}))
        print(ix.codes[ix.search("type 2 diabetes with hyperglycemia")[0]], ix.db.path.name)
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _out, err in outs]
    answers = [out.split() for out, _err in outs]
    assert answers[0] == answers[1] and answers[0][0] == "E11.65"
    files = store.candidates(folder)
    assert [f.name for f in files] == [answers[0][1]]
    store.open_verified(files[0]).close()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
