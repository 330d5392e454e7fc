"""The ICD-10-CM index file's identity stamp (icd10_stamp.py): an unchanged file that passed the full check
opens without its SHA-256 being computed again, and every change made to it is still caught.

Thinking like a disk and like the home's owner: an edit in place (with or without its mtime put back), a
truncation, another file renamed onto the stamped name, a stamp that is garbage, old, from the future, a link,
or one vouching for a forged file: each must end in the full check (and a rebuild when the file is bad), and
every answer stays right."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from vertical_packs.healthcare import icd10_stamp as stamp
from vertical_packs.healthcare import icd10_store as store
from vertical_packs.healthcare.icd10_index import Index

from tests.icd10_fixtures import E11_65, built, rows  # noqa: F401  (fixtures)


@pytest.fixture
def hashes(monkeypatch):
    """How many times a file is hashed (cache_files' digest check)."""
    seen = []
    real = hashlib.file_digest

    def counting(fh, digest):
        seen.append(getattr(fh, "name", "?"))
        return real(fh, digest)

    monkeypatch.setattr(hashlib, "file_digest", counting)
    return seen


@pytest.fixture
def stamped(tmp_path, built, monkeypatch, rows) -> Path:
    """A cache folder holding a copy of the index, fully checked and stamped (as `intent packs prepare` leaves it)."""
    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    path = Path(shutil.copy2(built, folder / built.name))
    assert store.ensure_stamped(folder)
    assert (folder / stamp.NAME).is_file() and oct((folder / stamp.NAME).stat().st_mode & 0o777) == "0o600"
    return path


def answer(reader: store.Reader) -> tuple[str, str]:
    ix = Index(reader)
    i = ix.search("type 2 diabetes with hyperglycemia")[0]
    return ix.codes[i], ix.descriptions[i]


def test_a_stamped_file_opens_without_hashing(stamped, hashes):
    reader = store.open_index(stamped.parent)
    try:
        assert hashes == [] and reader.path == stamped
        assert answer(reader) == ("E11.65", E11_65)
    finally:
        reader.close()
    assert store.ensure_stamped(stamped.parent) and hashes == []  # prepared again: nothing to do


def test_the_first_full_check_stamps_a_file_that_is_not_new(tmp_path, built, hashes):
    """Without a stamp (a home from before, a stamp deleted) one open hashes, the next one does not."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    path = Path(shutil.copy2(built, folder / built.name))
    os.utime(path)  # the copy's mtime is the build's; what matters is ctime: make it older than the margin
    import time

    time.sleep(stamp.MARGIN_NS / 1e9 + 0.05)
    store.open_index(folder).close()
    assert len(hashes) == 1 and (folder / stamp.NAME).exists()
    store.open_index(folder).close()
    assert len(hashes) == 1


def test_a_file_changed_just_before_its_check_is_not_stamped(tmp_path, built, hashes, monkeypatch):
    """ctime ticks coarsely: a change in the same tick as the check could keep it, so a file whose ctime is
    within the margin of its check gets no stamp and is hashed again next time."""
    monkeypatch.setattr(stamp, "MARGIN_NS", 3600 * 10**9)
    monkeypatch.setattr(stamp, "COARSE_MARGIN_NS", 3600 * 10**9)
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    shutil.copy2(built, folder / built.name)
    store.open_index(folder).close()
    store.open_index(folder).close()
    assert len(hashes) == 2 and not (folder / stamp.NAME).exists()


def _edit(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()


WRONG = "UPDATE code SET description = 'Type 2 diabetes mellitus with hypoglycemia' WHERE code = 'E11.65'"


@pytest.mark.parametrize("change", ["edited", "edited, mtime put back", "truncated", "swapped", "chmod"])
def test_every_change_after_the_stamp_is_checked_in_full(stamped, hashes, change, tmp_path, built):
    path = stamped
    st = path.stat()
    if change == "edited":
        _edit(path, WRONG)
    elif change == "edited, mtime put back":  # same inode, same size, same mtime: only ctime tells
        _edit(path, WRONG)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        now = path.stat()
        assert (now.st_ino, now.st_size, now.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
    elif change == "truncated":
        os.truncate(path, st.st_size // 2)
    elif change == "swapped":  # another file renamed onto the stamped name, with the same mtime
        other = Path(shutil.copy2(built, tmp_path / "other.sqlite"))
        _edit(other, WRONG)
        os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(other, path)
    else:  # a metadata change only: the content is fine, checked once more and stamped again
        path.chmod(0o400)
        path.chmod(0o600)
    reader = store.open_index(path.parent)
    try:
        assert hashes, "the changed file was not hashed"
        assert answer(reader) == ("E11.65", E11_65)
        if change == "chmod":
            assert reader.path == path  # good: kept
        else:
            store.open_verified(reader.path).close()  # bad: deleted and rebuilt (the same bytes, maybe the name)
    finally:
        reader.close()


def _write_stamp(folder: Path, **changes) -> None:
    data = json.loads((folder / stamp.NAME).read_text())
    data.update(changes)
    (folder / stamp.NAME).write_text(json.dumps(data))


@pytest.mark.parametrize("bad", ["garbage", "a week old", "from the future", "another identity", "outside name",
                                 "a link"])
def test_a_stamp_that_cannot_vouch_is_ignored(stamped, hashes, bad, tmp_path):
    folder = stamped.parent
    import time

    if bad == "garbage":
        (folder / stamp.NAME).write_bytes(os.urandom(300))
    elif bad == "a week old":
        _write_stamp(folder, verified_ns=time.time_ns() - stamp.MAX_AGE_NS - 10**9)
    elif bad == "from the future":
        _write_stamp(folder, verified_ns=time.time_ns() + 3600 * 10**9)
    elif bad == "another identity":
        st = stamped.stat()
        _write_stamp(folder, identity=[st.st_dev, st.st_ino + 1, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    elif bad == "outside name":  # only the folder's own index files can be vouched for
        outside = Path(shutil.copy2(stamped, tmp_path / stamped.name))
        _write_stamp(folder, name=f"../{outside.name}")
    else:  # a link where the stamp goes: not read through, and replaced by a stamp of our own (not its target)
        target = tmp_path / "target.json"
        target.write_text((folder / stamp.NAME).read_text())
        (folder / stamp.NAME).unlink()
        (folder / stamp.NAME).symlink_to(target)
    reader = store.open_index(folder)
    try:
        assert len(hashes) == 1 and reader.path == stamped and answer(reader) == ("E11.65", E11_65)
    finally:
        reader.close()
    if bad == "a link":
        assert not (folder / stamp.NAME).is_symlink() and json.loads(target.read_text())
    if bad in ("garbage", "a week old", "a link"):  # renewed by that full check
        store.open_index(folder).close()
        assert len(hashes) == 1


def test_a_stamp_vouching_for_a_forged_file_still_meets_the_data_checks(stamped, hashes, monkeypatch, rows):
    """The owner of the home can forge the file and the stamp together: that buys nothing a forged file with
    a matching digest did not (a cache grants nothing). The checks on the data still hold: an incomplete
    code table is refused, fully checked, deleted and rebuilt."""
    _edit(stamped, "DELETE FROM code WHERE i >= 98000")
    digest = hashlib.sha256(stamped.read_bytes()).hexdigest()
    forged = stamped.rename(stamped.with_name(f"{stamped.name.rsplit('-', 1)[0]}-{digest}.sqlite"))
    st = forged.stat()
    _write_stamp(stamped.parent, name=forged.name,
                 identity=[st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    reader = store.open_index(stamped.parent)
    try:
        assert answer(reader) == ("E11.65", E11_65) and not forged.exists()
    finally:
        reader.close()


def test_a_library_change_under_a_stamped_file_rebuilds_it(stamped, hashes, monkeypatch, rows):
    """The stamp skips only the hash: the meta rows are still compared with the installed library."""
    monkeypatch.setattr(store, "source_fingerprint", lambda: '[["other.xml",1,1]]')
    reader = store.open_index(stamped.parent)
    try:
        assert reader.path != stamped and not stamped.exists() and reader.meta["source"] == '[["other.xml",1,1]]'
    finally:
        reader.close()


def test_the_prepare_hook_leaves_the_file_stamped(tmp_path, rows, monkeypatch, hashes):
    """`intent packs prepare` builds the index and stamps it: the first look-up after it hashes nothing."""
    from vertical_packs.healthcare import icd10, icd10_index

    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    folder = tmp_path / "cache"
    ctx = type("Ctx", (), {"cache_dir": folder, "shared_cache_dir": None})()
    icd10_index.forget_index()
    try:
        icd10.prepare_icd10_index(ctx)
        assert (folder / stamp.NAME).exists()
        icd10_index.forget_index()  # a new process
        del hashes[:]
        out = icd10.icd10_lookup(query="type 2 diabetes with hyperglycemia", limit=3, ctx=ctx)
        assert hashes == [] and out.matches[0].code == "E11.65"
    finally:
        icd10_index.forget_index()


def test_damage_below_the_file_system_is_an_error_not_a_wrong_answer(unlocked, session, monkeypatch, rows, built,
                                                                     hashes):
    """What a stamp cannot see (bytes changed under an unchanged identity: a disk, a raw write) is simulated by
    damaging the file and writing the stamp for its new identity. The page holding E11.65 zeroed is an invalid
    b-tree page to SQLite: the look-up fails, the action deletes the file, rebuilds it and answers right."""
    from vertical_packs.healthcare import icd10_index

    monkeypatch.setattr(store, "rows_from_library", lambda: rows)
    folder = unlocked / "packs" / "healthcare" / "cache"
    folder.mkdir(parents=True, mode=0o700)
    path = Path(shutil.copy2(built, folder / built.name))
    assert store.ensure_stamped(folder)
    del hashes[:]
    data = bytearray(path.read_bytes())
    at = data.find(E11_65.encode())
    page = 4096
    assert at > 0 and data.find(E11_65.encode(), at + 1) == -1  # the text is in one leaf page of `code`
    start = at - at % page
    data[start:start + page] = bytes(page)
    with open(path, "r+b") as fh:
        fh.write(data)
    st = path.stat()
    _write_stamp(folder, identity=[st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    icd10_index.forget_index()
    try:
        index = icd10_index.get_index(folder)
        assert index.db.path == path and hashes == []  # opened on the stamp's word, without the hash
        out = session.run_action("healthcare.icd10_lookup", {"query": "type 2 diabetes with hyperglycemia"})
        assert (out.result["matches"][0]["code"], out.result["matches"][0]["description"]) == ("E11.65", E11_65)
        assert icd10_index.get_index() is not index
        store.open_verified(store.candidates(folder)[0]).close()  # the rebuilt file passes the full check
    finally:
        icd10_index.forget_index()
