"""The ICD-10-CM index file: built once from simple-icd-10-cm, then opened read-only and checked each time.

Where: the pack's cache folder (INTENT_HOME/packs/healthcare/cache), as
`icd10cm-<library version>-index<format>-<sha256 of the file>.sqlite`, through the SDK's cached_sqlite: the
digest, the exact schema and the meta rows (index format, library version, the library's data files by name,
size and mtime, byte order) are checked, and a file that fails is deleted and rebuilt (see
intents/cache_files.py for the threat model). Schema and meta are checked on every open; the digest (a hash of
the whole 20 MB) once, and again whenever the file's identity (inode, size, mtime, ctime) is no longer the one
stamped after that check, or the stamp is a week old (icd10_stamp.py). Building takes the library's ~2 s import and a few seconds
more, so it happens once, under a lock, with progress shown, or ahead of use with
`python -m vertical_packs.healthcare.icd10_store FOLDER`; a home that cannot be written gets the index built
in memory instead, every process, and still answers.
"""
from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
import threading
import time
from array import array
from pathlib import Path

from intents.sdk import CacheFileError, cached_sqlite, discard_cache_file

FORMAT = 5  # bump when the tables, the ranking or the tokenising change
PREFIX = "icd10cm-"


class IndexFileError(CacheFileError):
    """The index file is not one we built for this library: it gets rebuilt."""

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


class Reader:
    """Read-only queries on the index (a verified file, or one built in memory), safe across threads."""

    def __init__(self, cache) -> None:
        self.cache, self.db, self.path = cache, cache.db, cache.path
        self._lock = threading.Lock()
        self.meta = cache.meta
        try:
            self.size = int(self.meta["codes"])
        except (KeyError, ValueError):
            raise IndexFileError("no code count") from None
        # The code numbers run 0 .. size-1. min(i) and max(i) asked alone are each one step down the rowid
        # tree; count(*) would scan an index (~1.5 MB), and the three asked together walk the whole 10 MB
        # table (~25 ms of a look-up). A hole inside the range (only a forged file has one) is found when a
        # look-up reads that row: IndexFileError, and the action rebuilds the file (see icd10_index._Rows).
        if (self.one("SELECT min(i) FROM code")[0], self.one("SELECT max(i) FROM code")[0]) != (0, self.size - 1):
            raise IndexFileError("its code table is incomplete")

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
        self.cache.close()


# ---- what the file must say ----------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def library_version() -> str:
    """simple-icd-10-cm's installed version, read from the header block of its METADATA: importlib's
    `version()` parses the whole file (500 lines of README) with the email parser, ~5 ms of a look-up, and
    every open asks twice (the file's name and its meta rows)."""
    from importlib.metadata import distribution

    dist = distribution("simple-icd-10-cm")
    headers = (dist.read_text("METADATA") or "").split("\n\n", 1)[0]
    for line in headers.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "version" and value.strip():
            return value.strip()
    return dist.version  # an unusual file: the email parser's reading


def source_fingerprint() -> str:
    """The library's data files as (name, size, mtime): a reinstall or upgrade changes it. Found without
    importing the library (find_spec of a top-level package runs none of its code)."""
    import importlib.util

    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.origin:
        raise ImportError("simple-icd-10-cm is not installed")
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


def writer(rows: list[list]):
    """The function that fills an empty index database with the index of `rows`."""
    rank, postings, extra = tables(rows)

    def write(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO meta VALUES ('codes', ?)", (str(len(rows)),))
        db.executemany("INSERT INTO code VALUES (?, ?, ?, ?, ?, ?)",
                       ((i, r[0], r[0].replace(".", ""), r[1], int(bool(r[3])), r[2] or "") for i, r in enumerate(rows)))
        db.executemany("INSERT INTO posting VALUES (?, ?)", ((w, array("i", h).tobytes()) for w, h in sorted(postings.items())))
        db.executemany("INSERT INTO extra VALUES (?, ?)", ((w, array("i", h).tobytes()) for w, h in sorted(extra.items())))
        db.executemany("INSERT INTO vocab VALUES (?)", ((w,) for w in sorted(set(postings) | set(extra))))
        db.execute("INSERT INTO arrays VALUES ('rank', ?)", (array("q", rank).tobytes(),))

    return write


def prefix() -> str:
    return f"{PREFIX}{library_version()}-index{FORMAT}-"


def _lazy_writer():
    """A writer that reads the library only when called (never when a good file is found)."""
    made = []

    def write(db: sqlite3.Connection) -> None:
        if not made:
            made.append(writer(rows_from_library()))
        made[0](db)

    return write


def open_index(folder: Path | None, rows: list[list] | None = None, shared: Path | None = None) -> Reader:
    """The index: the verified file in `folder` (the home's cache) or else in `shared` (the installation's,
    ActionContext.shared_cache_dir), opened without hashing while its identity stamp holds (icd10_stamp.py);
    else one built now (once, under a lock, with progress) in `shared` when it can be written, else in
    `folder`; else (no folder can be written) one built in memory."""
    for place in (folder, shared):
        if place is not None:
            reader = _open_stamped(place)
            if reader is not None:
                return reader
    write = writer(rows) if rows is not None else _lazy_writer()
    for _attempt in range(2):
        before, started = {**_stats(shared), **_stats(folder)}, time.time_ns()
        cache = cached_sqlite(folder, prefix(), list(SCHEMA), expected_meta(), write,
                              "Building the ICD-10-CM search index, once (a few seconds)…", shared=shared)
        try:
            reader = Reader(cache)
        except (IndexFileError, sqlite3.Error):  # meta and digest fine yet incomplete: a forged file
            cache.close()
            discard_cache_file(cache.path)
            continue
        if folder is not None and cache.path is not None:  # fully checked just now: stamp it for next time
            from vertical_packs.healthcare import icd10_stamp

            icd10_stamp.record(cache.path.parent, cache.path, before.get(cache.path), started)
        return reader
    raise IndexFileError("the ICD-10-CM index could not be built")


def _stats(folder: Path | None) -> dict[Path, os.stat_result]:
    """The index files' stats before a full check (what a stamp may vouch for afterwards)."""
    out = {}
    for path in candidates(folder) if folder is not None else ():
        try:
            out[path] = os.stat(path, follow_symlinks=False)
        except OSError:
            pass
    return out


def _open_stamped(folder: Path) -> Reader | None:
    """The stamped index file when it is unchanged since its full check (no hash), else None."""
    from vertical_packs.healthcare import icd10_stamp

    cache = icd10_stamp.open_unchanged(folder, candidates(folder), SCHEMA, expected_meta())
    if cache is None:
        return None
    try:
        return Reader(cache)
    except (IndexFileError, sqlite3.Error):  # a stamp vouching for a bad file: the full check decides
        cache.close()
        icd10_stamp.forget(folder)
        return None


def ensure_stamped(folder: Path) -> bool:
    """Give the index file in `folder` its identity stamp now, so that the next open skips the hash: what
    building ahead (`intent packs prepare`) ends with. A file built moments ago is stamped once the racy
    margin has passed (a wait of ~0.1 s, see icd10_stamp.py). True when the file is stamped."""
    from vertical_packs.healthcare import icd10_stamp

    paths = candidates(folder)
    found = icd10_stamp.open_unchanged(folder, paths, SCHEMA, expected_meta())
    if found is not None:
        found.close()
        return True
    for path in paths:
        try:
            before = os.stat(path, follow_symlinks=False)
        except OSError:
            continue
        wait = before.st_ctime_ns + icd10_stamp.margin_ns(before) - time.time_ns()
        if wait > 0:
            time.sleep(min(wait, icd10_stamp.COARSE_MARGIN_NS) / 1e9 + 0.001)
        started = time.time_ns()
        try:
            open_verified(path).close()
        except (CacheFileError, sqlite3.Error):  # not good: the next open deletes and rebuilds it
            continue
        return icd10_stamp.record(folder, path, before, started)
    return False


def build_in_memory(rows: list[list] | None = None) -> Reader:
    return open_index(None, rows)


def build_file(folder: Path, rows: list[list]) -> Path:
    """Build the index file into `folder` now (tests, and building ahead of use)."""
    from intents.cache_files import build

    return build(folder, prefix(), list(SCHEMA), expected_meta(), writer(rows))


def candidates(folder: Path) -> list[Path]:
    from intents.cache_files import candidates as found

    return found(folder, prefix())


def open_verified(path: Path) -> Reader:
    """Open one index file, checked; IndexFileError when it is not a good index for this library."""
    from intents.cache_files import open_verified as verified

    cache = verified(path, list(SCHEMA), expected_meta())
    try:
        return Reader(cache)
    except (IndexFileError, sqlite3.Error):
        cache.close()
        raise


def discard(path: Path | None) -> None:
    discard_cache_file(path)


def main(argv: list[str] | None = None) -> int:
    """`python -m vertical_packs.healthcare.icd10_store FOLDER`: build the index into FOLDER ahead of use."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m vertical_packs.healthcare.icd10_store CACHE_FOLDER", file=sys.stderr)
        return 2
    reader = open_index(Path(args[0]))
    if reader.path is not None:
        ensure_stamped(Path(args[0]))
    print(reader.path or "(in memory: the folder could not be written)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
