"""The index file's identity stamp: an unchanged file that passed the full check opens without hashing again.

Why. cache_files.open_verified hashes the whole ~20 MB index (SHA-256, ~16-20 ms, half of the pack's share
of a look-up) on every open, and compares the result with the digest in the file's own name, which sits in
the same user-writable folder. So the hash protects against a file changed by accident (truncated, edited,
swapped, restored), not against a forger: whoever can write the folder renames a forged file to its digest.
The stamp gives the same protection for a `stat`: once a file passed the full check (digest, schema, meta),
its identity (st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns) is written to `.icd10cm-verified.json`
beside it, and a file with exactly that identity is opened without being hashed. Every change made through
the file system changes the identity:
- a write or truncate: size, mtime and ctime;
- another file renamed into place (a swap, a restore, a rebuild): the inode;
- mtime set back after an edit (touch, utime): ctime becomes now, and a user cannot set ctime;
- a copy or a restore from backup: inode and ctime.
Such a file is hashed again and, when it fails, deleted and rebuilt as before. Schema and meta rows are still
checked on every open (cheap), so a library upgrade still rebuilds. A forged stamp grants what a forged file
already could: nothing (a cache holds no plan, no quota, no code), at worst wrong answers to its own writer.

What a stamp cannot see: a change below the file system (a disk's silent corruption, a write to the raw
device), or on a file system that does not keep ctime (some network file systems cache attributes). The hash
saw that on every open. SQLite turns much such damage into an error (an invalid page, and with
cell_size_check a damaged cell), which the action answers by deleting the file and rebuilding it; a changed
byte inside a description it cannot see. A stamp is therefore honoured for MAX_AGE only; then one open hashes
the file again and renews it.

Racy stamps. The kernel stamps ctime with its clock tick (a few ms), so a change in the same tick as the
last one keeps ctime. A stamp is written only when the file's ctime is older than the start of its check
by MARGIN: any change made after the check began then gets a later ctime. A just-built file therefore gets
its stamp from `ensure_stamped` (`intent packs prepare`), which waits out the margin, or from the next open.
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Sequence

NAME = ".icd10cm-verified.json"  # the family's dot-prefix: cache_files.build deletes it with every rebuild
MAX_AGE_NS = 7 * 24 * 3600 * 10**9
MARGIN_NS = 100 * 10**6  # well above a clock tick (1-10 ms)
COARSE_MARGIN_NS = 3 * 10**9  # a file system keeping whole seconds (or FAT's two)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def identity(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def margin_ns(st: os.stat_result) -> int:
    return COARSE_MARGIN_NS if st.st_ctime_ns % 10**9 == 0 else MARGIN_NS


def _read(folder: Path) -> dict | None:
    try:
        fd = os.open(folder / NAME, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            data = json.loads(fh.read(4096))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    ident, verified = data.get("identity"), data.get("verified_ns")
    if not (isinstance(ident, list) and len(ident) == 5 and all(type(v) is int for v in ident)
            and type(verified) is int):
        return None
    return data


def trusted_name(folder: Path) -> tuple[str, list[int]] | None:
    """(file name, identity) the stamp vouches for now, or None (no stamp, unreadable, too old, from the future)."""
    data = _read(folder)
    if data is None:
        return None
    age = time.time_ns() - data["verified_ns"]
    if not 0 <= age <= MAX_AGE_NS:
        return None
    return data["name"], data["identity"]


def record(folder: Path, path: Path, before: os.stat_result | None, started_ns: int) -> bool:
    """After `path` passed the full check that began at `started_ns` (time.time_ns()), with `before` its
    stat taken before that check: stamp it, when it is unchanged since and not racy. True when stamped."""
    if before is None:
        return False
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(now.st_mode) or identity(now) != identity(before):
        return False  # changed while it was checked (or replaced): the next open checks it again
    if before.st_ctime_ns >= started_ns - margin_ns(before):
        return False  # changed too shortly before the check for ctime to tell a later change
    body = json.dumps({"name": path.name, "identity": identity(before), "verified_ns": started_ns}).encode()
    tmp = folder / f".icd10cm-{os.urandom(6).hex()}.tmp"
    try:
        from intents.safe_files import open_new

        with open_new(tmp, "wb") as fh:  # owner-only, never through a planted link
            fh.write(body)
        os.replace(tmp, folder / NAME)
    except OSError:  # a read-only folder: every open hashes, as before
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    return True


def forget(folder: Path) -> None:
    try:
        os.unlink(folder / NAME)
    except OSError:
        pass


def open_unchanged(folder: Path, candidates: Sequence[Path], schema: Sequence[str], meta: dict[str, str]):
    """The stamped file among `candidates` opened like cache_files.open_verified, minus the hash, when its
    identity is still the stamped one; else None (the caller does the full check)."""
    from intents.cache_files import MAX_BYTES, CacheFile

    vouched = trusted_name(folder)
    if vouched is None:
        return None
    name, ident = vouched
    path = next((p for p in candidates if p.name == name), None)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return None
    db = None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not 0 < st.st_size <= MAX_BYTES or identity(st) != ident:
            raise LookupError
        # As in open_verified: SQLite reads this very descriptor's file, read-only, as unchanging.
        by_fd = Path(f"/proc/self/fd/{fd}")
        target = by_fd if by_fd.exists() else Path(os.path.abspath(path))
        db = sqlite3.connect(f"{target.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        db.execute("PRAGMA trusted_schema=OFF")
        db.execute("PRAGMA query_only=ON")
        db.execute("PRAGMA cell_size_check=ON")  # between two full checks, a damaged b-tree cell is an error
        if _schema_of(db) != _reference(tuple(schema)):
            raise LookupError
        found = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if {k: found.get(k) for k in meta} != meta:
            raise LookupError  # another library version or data files: the full path rebuilds it
        extra = {k: v for k, v in found.items() if k not in meta}
        return CacheFile(db, path, fd, {**meta, **extra})
    except (LookupError, OSError, sqlite3.Error):
        if db is not None:
            db.close()
        os.close(fd)
        return None
    except BaseException:
        if db is not None:
            db.close()
        os.close(fd)
        raise


def _schema_of(db: sqlite3.Connection) -> list[tuple]:  # the same query as cache_files' check
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


_REFERENCES: dict[tuple, list[tuple]] = {}


def _reference(schema: tuple) -> list[tuple]:
    found = _REFERENCES.get(schema)
    if found is None:
        db = sqlite3.connect(":memory:")
        try:
            for statement in schema:
                db.execute(statement)
            found = _REFERENCES[schema] = _schema_of(db)
        finally:
            db.close()
    return found
