"""Derived data a pack keeps in its cache folder as an SQLite file: built once, checked on every open.

A pack's cache folder (ActionContext.cache_dir) is the user's to write, so nothing read from it is believed
because of where it was found. A cache file made here is
- named `<prefix><sha256 of its bytes>.sqlite` and hashed again on every open: a file truncated, damaged or
  edited (a row changed with any SQLite tool) no longer matches and is deleted, to be rebuilt;
- required to have exactly the schema its pack declares (no view, trigger or virtual table standing in for a
  table, whose SQL would run when queried), opened read-only, immutable, with trusted_schema off;
- required to carry the pack's `meta` rows exactly (format, library version, the source data's fingerprint),
  so a library upgrade or another machine's file is rebuilt;
- written to a fresh owner-only temporary file and renamed into place (a crash leaves no half file), under
  an exclusive lock so that two first uses build once and the other waits for that file.
What no check can stop: whoever can write the folder can write a forged file under a matching name (a digest
is no secret). Such a person can equally edit the library's data or the code; a cache grants nothing (no
plan, no quota, no code runs from it), so at worst their own answers are wrong.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
import time
from pathlib import Path
from typing import Callable, Sequence

from intents.safe_files import open_new, private_dir

MAX_BYTES = 512 * 1024 * 1024  # no pack's cache is anywhere near this; a larger file is not ours
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class CacheFileError(Exception):
    """A cache file that is not the one we built for this data (damaged, edited, stale): rebuild it."""


class CacheFile:
    """A read-only, verified cache file: `.db` (sqlite3 connection, usable from any thread under `.lock`
    if the caller adds one), `.path`, `.meta`."""

    def __init__(self, db: sqlite3.Connection, path: Path | None, fd: int | None, meta: dict[str, str]) -> None:
        self.db, self.path, self._fd, self.meta = db, path, fd, meta

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __del__(self) -> None:  # a cache dropped without close() (an evicted converter) keeps no descriptor
        try:
            self.close()
        except Exception:
            pass


def _schema_of(db: sqlite3.Connection) -> list[tuple]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def _reference(schema: Sequence[str]) -> list[tuple]:
    db = sqlite3.connect(":memory:")
    try:
        for statement in schema:
            db.execute(statement)
        return _schema_of(db)
    finally:
        db.close()


def _is_index(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("CREATE INDEX", "CREATE UNIQUE INDEX"))


def fill(db: sqlite3.Connection, schema: Sequence[str], meta: dict[str, str],
         write: Callable[[sqlite3.Connection], None]) -> None:
    """Create `schema`'s tables (one must be `CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
    in an empty database, write the meta rows, `write(db)` the rest, then create the indexes (made once over
    all rows, they are built faster and packed denser than when kept up to date row by row)."""
    for statement in schema:
        if not _is_index(statement):
            db.execute(statement)
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    write(db)
    for statement in schema:
        if _is_index(statement):
            db.execute(statement)
    db.commit()


def in_memory(schema: Sequence[str], meta: dict[str, str], write: Callable[[sqlite3.Connection], None]) -> CacheFile:
    """The same tables in memory, for a home whose cache folder cannot be written."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    fill(db, schema, meta, write)
    return CacheFile(db, None, None, dict(db.execute("SELECT key, value FROM meta").fetchall()))


def build(folder: Path, prefix: str, schema: Sequence[str], meta: dict[str, str],
          write: Callable[[sqlite3.Connection], None]) -> Path:
    """Write a cache file into `folder` (atomically) under its digest name; remove other files of `prefix`'s
    family (`family` = prefix up to its first '-' plus '-'). Raises OSError when the folder is not writable."""
    private_dir(folder)
    family = prefix.split("-", 1)[0] + "-"
    tmp = folder / f".{family}{os.urandom(6).hex()}.tmp"
    open_new(tmp, "wb").close()  # owner-only, never through a planted link
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode=OFF")  # a private temporary file: a crash leaves only a .tmp
            db.execute("PRAGMA synchronous=OFF")
            fill(db, schema, meta, write)
        finally:
            db.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        path = folder / f"{prefix}{digest}.sqlite"
        os.replace(tmp, path)  # rename replaces a link at `path` itself, never its target
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for stale in folder.iterdir():  # other versions, older formats, damaged files of this family
        if stale.name.startswith((family, f".{family}")) and stale != path and _stale(stale):
            try:
                stale.unlink()
            except OSError:
                pass
    return path


def _stale(path: Path) -> bool:
    if path.name.endswith(".lock"):
        return False
    if not path.name.endswith(".tmp"):
        return True
    try:  # a temporary file of a build that may still be running is left for an hour
        return time.time() - path.lstat().st_mtime > 3600
    except OSError:
        return False


def open_verified(path: Path, schema: Sequence[str], meta: dict[str, str]) -> CacheFile:
    """Open a cache file after checking its digest, schema and meta rows; CacheFileError when any is wrong."""
    digest = path.name.rsplit("-", 1)[-1].removesuffix(".sqlite")
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError as exc:
        raise CacheFileError(f"cannot open: {exc}") from None
    db = None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not 0 < st.st_size <= MAX_BYTES:
            raise CacheFileError("not a regular file of a plausible size")
        with os.fdopen(os.dup(fd), "rb") as fh:
            if hashlib.file_digest(fh, "sha256").hexdigest() != digest:
                raise CacheFileError("its content does not match its digest (damaged or edited)")
        # SQLite opens the very file just hashed (on Linux through our descriptor), read-only, and takes it as
        # unchanging: another file renamed into its place afterwards is not seen.
        by_fd = Path(f"/proc/self/fd/{fd}")
        target = by_fd if by_fd.exists() else Path(os.path.abspath(path))
        db = sqlite3.connect(f"{target.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        db.execute("PRAGMA trusted_schema=OFF")
        db.execute("PRAGMA query_only=ON")
        if _schema_of(db) != _reference(schema):
            raise CacheFileError("its schema is not the cache's")
        found = dict(db.execute("SELECT key, value FROM meta").fetchall())
        extra = {k: v for k, v in found.items() if k not in meta}
        if {k: found.get(k) for k in meta} != meta:
            raise CacheFileError("built by another format, library version, data file or machine")
        return CacheFile(db, path, fd, {**meta, **extra})
    except sqlite3.Error as exc:
        _close(db, fd)
        raise CacheFileError(f"unreadable: {exc}") from None
    except BaseException:
        _close(db, fd)
        raise


def _close(db, fd) -> None:
    if db is not None:
        db.close()
    os.close(fd)


_CACHE_NAME = re.compile(r"^[^/]*-[0-9a-f]{64}\.sqlite$")


def discard(path: Path | None) -> None:
    """Delete a cache file found bad (a read-only folder keeps it: it is refused again next time). Only a
    name of the cache-file form (`...-<sha256>.sqlite`) is ever deleted, whatever path is passed."""
    if path is None or not _CACHE_NAME.match(Path(path).name):
        return
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def candidates(folder: Path, prefix: str) -> list[Path]:
    try:
        return sorted(p for p in folder.glob(f"{prefix}*.sqlite") if len(p.name) == len(prefix) + 64 + 7)
    except OSError:
        return []


def first_good(folder: Path, prefix: str, schema: Sequence[str], meta: dict[str, str]) -> CacheFile | None:
    for path in candidates(folder, prefix):
        try:
            return open_verified(path, schema, meta)
        except CacheFileError:
            discard(path)
    return None


class build_lock:
    """An exclusive lock on `folder/.<family>build.lock` while building, so two first uses build once."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.path, self.fd = folder / f".{prefix.split('-', 1)[0]}-build.lock", None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
        try:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except ImportError:  # no flock (Windows): two builders each write a whole file, one rename wins
            pass
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)  # closing releases the lock


def cached(folder: Path | None, prefix: str, schema: Sequence[str], meta: dict[str, str],
           write: Callable[[sqlite3.Connection], None], message: str = "", shared: Path | None = None) -> CacheFile:
    """The verified cache file `prefix*` in `folder`, else in `shared` (the installation's folder for data that
    depends only on installed libraries); else built now (once, under a lock, with `message` shown as
    progress) in `shared` when it can be written (one copy for every home), else in `folder`; else (no
    folder can be written) the same tables built in memory.
    `write(db)` fills the tables (the meta rows are already there). It runs again for the memory copy when
    writing the file fails part way, so keep expensive inputs outside it (computed once)."""
    from intents.progress import status

    places = [p for p in (folder, shared) if p is not None]
    for place in places:  # the home's own file first: one it built before the installation had one
        found = first_good(place, prefix, schema, meta)
        if found is not None:
            return found
    for place in places[::-1]:
        try:
            private_dir(place)
            with build_lock(place, prefix):
                found = first_good(place, prefix, schema, meta)  # built by another process while we waited
                if found is not None:
                    return found
                with status(message or "Building a cache, once…"):
                    path = build(place, prefix, schema, meta, write)
                return open_verified(path, schema, meta)
        except (OSError, CacheFileError):
            continue  # an unwritable folder: the next one, else the tables are made in memory below
    with status(message or "Building a cache in memory…"):
        return in_memory(schema, meta, write)
