"""The ICD-10-CM index file: built once from simple-icd-10-cm, then opened read-only and checked each time.

Where: the pack's cache folder (INTENT_HOME/packs/healthcare/cache), as
`icd10cm-<library version>-index<format>-<sha256 of the file>.sqlite`. Building takes the library's ~2 s
import and a few seconds more, so it happens once, with progress shown (or ahead of use, see `main`);
a home that cannot be written gets the index built in memory instead, every process, and still works.

The folder is the user's to write, so nothing in the file is believed because of where it was found:
- its name carries the SHA-256 of its bytes, checked on every open: a file truncated, damaged or edited (a
  description changed, a posting list rewritten) no longer matches, is deleted and rebuilt from the library;
- its schema must be exactly ours (no view, trigger or virtual table standing in for a table), it is opened
  read-only with trusted_schema off, and only plain SELECTs of our own tables are run on it;
- its meta rows must name this index format, this library version, this library's data files (name, size,
  mtime) and this machine's byte order, so an upgraded library rebuilds it;
- an error while reading it (a file swapped under a running process) drops it and rebuilds: never a
  traceback, never a half-read answer.
What no check can stop: whoever can write the folder can also write a forged file under a matching name (the
digest is no secret). That person can equally edit the library's own data or this code; the file grants
nothing (no plan, no quota, no code runs from it), so at worst their own look-ups are wrong.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import threading
import time
from array import array
from pathlib import Path

from intents.sdk import open_new, private_dir, progress

FORMAT = 5  # bump when the tables, the ranking or the tokenising change
MAX_BYTES = 256 * 1024 * 1024  # a real index is ~20 MB; anything far larger is not ours
PREFIX = "icd10cm-"

SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE code(i INTEGER PRIMARY KEY, code TEXT NOT NULL, bare TEXT NOT NULL, description TEXT NOT NULL,"
    " billable INTEGER NOT NULL, parent TEXT NOT NULL)",
    "CREATE INDEX code_code ON code(code)",
    "CREATE INDEX code_parent ON code(parent)",
    "CREATE INDEX code_bare ON code(bare)",
    "CREATE TABLE posting(word TEXT PRIMARY KEY, hits BLOB NOT NULL) WITHOUT ROWID",
    "CREATE TABLE extra(word TEXT PRIMARY KEY, hits BLOB NOT NULL) WITHOUT ROWID",
    "CREATE TABLE vocab(word TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE arrays(name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID",
)


class IndexFileError(Exception):
    """The index file is not one we built for this library (damaged, edited, stale): it gets rebuilt."""


class Reader:
    """Read-only queries on an index (a verified file, or one built in memory), safe across threads."""

    def __init__(self, db: sqlite3.Connection, path: Path | None = None, fd: int | None = None) -> None:
        self.db, self.path, self._fd = db, path, fd
        self._lock = threading.Lock()
        meta = dict(self.all("SELECT key, value FROM meta"))
        self.meta = meta
        self.size = int(meta["codes"])

    def one(self, sql: str, args: tuple = ()):
        with self._lock:
            return self.db.execute(sql, args).fetchone()

    def all(self, sql: str, args: tuple = ()) -> list:
        with self._lock:
            return self.db.execute(sql, args).fetchall()

    @staticmethod
    def ints(blob: bytes) -> array:
        return array("i", blob)

    def rank(self) -> array:
        row = self.one("SELECT data FROM arrays WHERE name = 'rank'")
        rank = array("q", row[0])
        if len(rank) != self.size:
            raise IndexFileError("rank array of the wrong length")
        return rank

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


# ---- what the file must say ----------------------------------------------------------------------
def library_version() -> str:
    from importlib.metadata import version

    return version("simple-icd-10-cm")


def source_fingerprint() -> str:
    """The library's data files as (name, size, mtime): a reinstall or upgrade changes it. Found without
    importing the library (find_spec of a top-level package runs none of its code)."""
    import importlib.util

    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.origin:
        raise IndexFileError("simple-icd-10-cm is not installed")
    data = Path(spec.origin).parent / "data"
    files = []
    for entry in sorted(os.scandir(data), key=lambda e: e.name) if data.is_dir() else ():
        if entry.is_file() and not entry.name.endswith(".py"):
            st = entry.stat()
            files.append([entry.name, st.st_size, st.st_mtime_ns])
    return json.dumps(files, separators=(",", ":"))


def expected_meta() -> dict[str, str]:
    return {"format": str(FORMAT), "library": library_version(), "source": source_fingerprint(),
            "byteorder": sys.byteorder, "int_size": str(array("i").itemsize)}


def _reference_schema() -> list[tuple]:
    db = sqlite3.connect(":memory:")
    try:
        for statement in SCHEMA:
            db.execute(statement)
        return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        db.close()


# ---- building ------------------------------------------------------------------------------------
def rows_from_library() -> list[list]:
    import warnings

    with warnings.catch_warnings():  # its pkg_resources-style data loading warns on every import
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as icd  # ~2 s import: only here, when the index is built

    rows = []
    for code in icd.get_all_codes(True):
        extra = " ".join(icd.get_inclusion_term(code) + icd.get_includes(code))
        rows.append([code, icd.get_description(code), icd.get_parent(code) or "", bool(icd.is_leaf(code)), extra])
    return rows


def tables(rows: list[list]) -> tuple[list[int], dict[str, list[int]], dict[str, list[int]]]:
    """(rank of each code, description words -> codes, inclusion-term words -> codes), lists in rank order."""
    from vertical_packs.healthcare.icd10_index import CODE, GENERIC, tokens

    n = len(rows)
    rank: list[int] = []
    words_of: list[list[str]] = []
    for i, (code, description, _parent, _leaf, _extra) in enumerate(rows):
        words = tokens(description)
        words_of.append(words)
        structural = 0 if CODE.match(code) else 1  # chapters and blocks after real codes
        specific = len(words) - sum(w in GENERIC for w in words)
        rank.append((structural * 1000 + specific) * n + i)
    # Posting lists are filled in rank order, so the best matches of a word are its first entries.
    postings: dict[str, list[int]] = {}
    extra: dict[str, list[int]] = {}
    for i in sorted(range(n), key=rank.__getitem__):
        words = words_of[i]
        for w in dict.fromkeys(words):
            postings.setdefault(w, []).append(i)
        for w in set(tokens(rows[i][4])).difference(words):
            extra.setdefault(w, []).append(i)
    return rank, postings, extra


def write(db: sqlite3.Connection, rows: list[list]) -> None:
    """Fill an empty database with the index of `rows` (code, description, parent, is_leaf, inclusion text)."""
    rank, postings, extra = tables(rows)
    for statement in SCHEMA:
        db.execute(statement)
    meta = {**expected_meta(), "codes": str(len(rows))}
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.executemany("INSERT INTO code VALUES (?, ?, ?, ?, ?, ?)",
                   ((i, r[0], r[0].replace(".", ""), r[1], int(bool(r[3])), r[2] or "") for i, r in enumerate(rows)))
    db.executemany("INSERT INTO posting VALUES (?, ?)", ((w, array("i", h).tobytes()) for w, h in sorted(postings.items())))
    db.executemany("INSERT INTO extra VALUES (?, ?)", ((w, array("i", h).tobytes()) for w, h in sorted(extra.items())))
    db.executemany("INSERT INTO vocab VALUES (?)", ((w,) for w in sorted(set(postings) | set(extra))))
    db.execute("INSERT INTO arrays VALUES ('rank', ?)", (array("q", rank).tobytes(),))
    db.commit()


def build_in_memory(rows: list[list] | None = None) -> Reader:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    write(db, rows if rows is not None else rows_from_library())
    return Reader(db)


def build_file(folder: Path, rows: list[list] | None = None) -> Path:
    """Write the index into `folder` under its digest name (atomically: a temporary file renamed) and remove
    the files of other versions. Raises OSError when the folder cannot be written."""
    private_dir(folder)
    tmp = folder / f".{PREFIX}{os.urandom(6).hex()}.tmp"
    open_new(tmp, "wb").close()  # created owner-only, never through a planted link
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode=OFF")  # a fresh private file: a crash just leaves a .tmp to remove
            db.execute("PRAGMA synchronous=OFF")
            write(db, rows if rows is not None else rows_from_library())
            db.execute("VACUUM")
        finally:
            db.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        path = folder / f"{PREFIX}{library_version()}-index{FORMAT}-{digest}.sqlite"
        os.replace(tmp, path)  # rename replaces a link at `path` itself, never its target
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for stale in folder.iterdir():  # other versions, older formats (the JSON index), damaged files
        if stale.name.startswith((PREFIX, f".{PREFIX}")) and stale != path and _stale(stale):
            stale.unlink(missing_ok=True)
    return path


def _stale(path: Path) -> bool:
    """Not a temporary file of a build that may still be running (those are left an hour)."""
    if not path.name.endswith(".tmp"):
        return True
    try:
        return time.time() - path.lstat().st_mtime > 3600
    except OSError:
        return False


# ---- opening -------------------------------------------------------------------------------------
def candidates(folder: Path) -> list[Path]:
    try:
        return sorted(folder.glob(f"{PREFIX}{library_version()}-index{FORMAT}-*.sqlite"))
    except OSError:
        return []


def open_verified(path: Path) -> Reader:
    """Open an index file after checking its digest, schema and meta; IndexFileError when any is wrong."""
    digest = path.name.rsplit("-", 1)[-1].removesuffix(".sqlite")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise IndexFileError(f"cannot open: {exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not 0 < st.st_size <= MAX_BYTES:
            raise IndexFileError("not a regular file of a plausible size")
        with os.fdopen(os.dup(fd), "rb") as fh:
            actual = hashlib.file_digest(fh, "sha256").hexdigest()
        if actual != digest:
            raise IndexFileError("its content does not match its digest (damaged or edited)")
        # SQLite opens the very file just hashed (on Linux, through our descriptor), read-only, and assumes
        # it does not change; another file renamed into its place later is not seen.
        by_fd = Path(f"/proc/self/fd/{fd}")
        target = by_fd if by_fd.exists() else Path(os.path.abspath(path))
        db = sqlite3.connect(f"{target.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except BaseException:
        os.close(fd)
        raise
    try:
        db.execute("PRAGMA trusted_schema=OFF")
        db.execute("PRAGMA query_only=ON")
        schema = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        if schema != _reference_schema():
            raise IndexFileError("its schema is not the index's")
        reader = Reader(db, path, fd)
        meta = {**expected_meta(), "codes": reader.meta.get("codes", "")}
        if reader.meta != meta:
            raise IndexFileError("built by another format, library version or machine")
        if reader.one("SELECT count(*), min(i), max(i) FROM code") != (reader.size, 0, reader.size - 1):
            raise IndexFileError("its code table is incomplete")
        return reader
    except (sqlite3.Error, KeyError, ValueError) as exc:
        db.close()
        os.close(fd)
        raise IndexFileError(f"unreadable: {exc}") from None
    except BaseException:
        db.close()
        os.close(fd)
        raise


def discard(path: Path) -> None:
    try:
        if path.name.startswith(PREFIX):
            path.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only folder: it is skipped again next time, and a memory index used


def open_index(folder: Path | None) -> Reader:
    """The index: a verified file in `folder`, else one built there now (once, under a lock, with progress),
    else (no folder, or it cannot be written) one built in memory."""
    if folder is None:
        with progress("Building the ICD-10-CM search index in memory (no cache folder)…"):
            return build_in_memory()
    found = _first_good(folder)
    if found is not None:
        return found
    try:
        private_dir(folder)
        with _build_lock(folder):
            found = _first_good(folder)  # another process may have built it while we waited
            if found is not None:
                return found
            with progress("Building the ICD-10-CM search index, once (a few seconds)…"):
                rows = rows_from_library()
                try:
                    path = build_file(folder, rows)
                except OSError:
                    return build_in_memory(rows)
            return open_verified(path)
    except (OSError, IndexFileError):
        with progress("Building the ICD-10-CM search index in memory (the cache folder is not writable)…"):
            return build_in_memory()


def _first_good(folder: Path) -> Reader | None:
    for path in candidates(folder):
        try:
            return open_verified(path)
        except IndexFileError:
            discard(path)
    return None


class _build_lock:
    """An exclusive lock on `folder/.icd10cm.lock` while building, so two first uses build once."""

    def __init__(self, folder: Path) -> None:
        self.path, self.fd = folder / f".{PREFIX}build.lock", None

    def __enter__(self):
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        self.fd = os.open(self.path, flags, 0o600)
        try:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except ImportError:  # no flock (Windows): two builders each write a complete file, one rename wins
            pass
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)  # closing releases the lock


def main(argv: list[str] | None = None) -> int:
    """`python -m vertical_packs.healthcare.icd10_store FOLDER`: build the index into FOLDER ahead of use."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m vertical_packs.healthcare.icd10_store CACHE_FOLDER", file=sys.stderr)
        return 2
    reader = open_index(Path(args[0]))
    print(reader.path or "(in memory: the folder could not be written)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
