"""A keyword index over every ICD-10-CM code (simple-icd-10-cm ships the codes but has no search), kept in
an SQLite file and queried in place.

The library takes seconds to import and the index built from it is ~100 MB of Python objects, so it is
built once (icd10_store.py: at first use with progress shown, or ahead with `python -m
vertical_packs.healthcare.icd10_store`) into the pack's cache folder. A lookup opens that file and reads only
the posting lists of its words and the rows it shows: milliseconds and a few MiB, and the library is not
imported at all.

Ranking: codes whose description has every query word come first, best first by how few specific words
the description has beyond them (so "Sepsis, unspecified organism" before "Salmonella sepsis"); then codes
that match a word only by prefix, stem or inclusion term ("high blood pressure" is an inclusion term of I10).
"""
from __future__ import annotations

import functools
import heapq
import math
import re
import threading
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vertical_packs.healthcare import icd10_store

RELEASE = "ICD-10-CM April 2026 (CDC/NCHS, public domain)"

CODE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")
BLOCK = re.compile(r"^[A-Z][0-9][0-9A-Z]-[A-Z][0-9][0-9A-Z]$")
WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning in a search (in queries and descriptions alike).
STOP = frozenset("a an and as at by for from in is of on or the to".split())
# Filler people put around what they look for: "what is the icd 10 code for ...".
FILLER = frozenset("what whats s find search lookup look up get icd icd10 cm code codes diagnosis dx".split())
# Clinical abbreviations -> the words ICD-10-CM descriptions use.
ABBREVIATIONS = {
    "t2dm": "type 2 diabetes mellitus", "t1dm": "type 1 diabetes mellitus", "dm": "diabetes mellitus",
    "htn": "hypertension", "mi": "myocardial infarction", "copd": "chronic obstructive pulmonary disease",
    "chf": "heart failure", "afib": "atrial fibrillation", "uti": "urinary tract infection",
    "ckd": "chronic kidney disease", "cad": "atherosclerotic heart disease coronary artery",
    "gerd": "gastro esophageal reflux disease", "dvt": "deep vein thrombosis", "pe": "pulmonary embolism",
    "osa": "obstructive sleep apnea", "hld": "hyperlipidemia", "uri": "upper respiratory infection",
    "tia": "transient cerebral ischemic attack", "bph": "benign prostatic hyperplasia",
}
ROMAN = {"i": "1", "ii": "2"}


def tokens(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOP]


def normalise_code(text: str) -> str | None:
    """'e119' -> 'E11.9', 'E11.9' -> 'E11.9', 'e08-e13' -> 'E08-E13'; None when it cannot be a code."""
    raw = re.sub(r"\s+", "", text).upper()
    if BLOCK.match(raw):
        return raw
    if not CODE.match(raw):
        return None
    bare = raw.replace(".", "")
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


# Qualifiers that do not make a description more specific to what was asked: they do not count against
# a match's length, so "Urinary tract infection, site not specified" outranks "Neonatal urinary tract infection".
GENERIC = frozenset("unspecified not specified site nos elsewhere classified organism initial subsequent "
                    "encounter sequela".split())


CODE_FILLER = frozenset(
    "icd icd10 icd-10 icd-10-cm icd10cm 10 cm code codes what is whats what's the look up lookup for of mean means "
    "does meaning describe description find get show".split()
)


def code_in(query: str) -> tuple[str | None, bool]:
    """(the code a query asks about, whether it was written with a dot) once filler is dropped:
    'icd10 e119' -> ('E11.9', False), 'what does J45.909 mean' -> ('J45.909', True)."""
    parts = [p.strip("?!,;:\"'()") for p in query.split()]
    kept = [p for p in parts if p and p.lower() not in CODE_FILLER]
    if len(kept) != 1:
        return None, False
    return normalise_code(kept[0]), "." in kept[0]


COMMON = 2000  # words in more descriptions than this get a byte mask for membership tests


class Mask:
    """Membership of a common word's codes as one byte per code (98 KB) instead of a set (~1.5 MB)."""

    __slots__ = ("bits", "hits")

    def __init__(self, hits: array, size: int) -> None:
        bits = bytearray(size)
        for i in hits:
            bits[i] = 1
        self.bits, self.hits = bytes(bits), hits

    def __contains__(self, i: int) -> bool:
        return self.bits[i] == 1

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __bool__(self) -> bool:
        return bool(self.hits)


def _intersect_masks(masks: list[Mask]) -> list[int]:
    """Codes in every mask, with the AND done on whole integers in C."""
    size = len(masks[0].bits)
    acc = int.from_bytes(masks[0].bits, "little")
    for m in masks[1:]:
        acc &= int.from_bytes(m.bits, "little")
    both = acc.to_bytes(size, "little")
    out, j = [], both.find(1)
    while j != -1:
        out.append(j)
        j = both.find(1, j + 1)
    return out


class _Rows:
    """(code, description, billable) of code number i, read from the file when first asked."""

    def __init__(self, db: "icd10_store.Reader") -> None:
        self.db, self.cache = db, {}

    def __getitem__(self, i: int) -> tuple:
        row = self.cache.get(i)
        if row is None:
            found = self.db.one("SELECT code, description, billable FROM code WHERE i = ?", (i,))
            if found is None:  # a number the file's own lists point to: the file is not one we built
                from vertical_packs.healthcare.icd10_store import IndexFileError

                raise IndexFileError(f"code number {i} is missing from its code table")
            row = self.cache[i] = (found[0], found[1], bool(found[2]))
        return row


class _Column:
    """One column of the codes as a read-only sequence: index.codes[i], index.descriptions[i]."""

    def __init__(self, rows: _Rows, which: int, name: str, size: int) -> None:
        self.rows, self.which, self.name, self.size = rows, which, name, size

    def __getitem__(self, i: int):
        return self.rows[i][self.which]

    def __len__(self) -> int:
        return self.size

    def __iter__(self):  # the whole column (tests and scans): one query, not one per row
        convert = bool if self.name == "billable" else (lambda v: v)
        return (convert(v) for (v,) in self.rows.db.all(f"SELECT {self.name} FROM code ORDER BY i"))


class _Position:
    """code -> its number; for a code listed twice (a one-category block such as B10) the last one."""

    def __init__(self, db) -> None:
        self.db, self.cache = db, {}

    def get(self, code: str, default=None):
        if code not in self.cache:
            self.cache[code] = self.db.one("SELECT max(i) FROM code WHERE code = ?", (code,))[0]
        found = self.cache[code]
        return default if found is None else found

    def __contains__(self, code: str) -> bool:
        return self.get(code) is not None

    def __getitem__(self, code: str) -> int:
        found = self.get(code)
        if found is None:
            raise KeyError(code)
        return found


class _Lists:
    """word -> its codes in rank order (int array), read from table `table` of the file when first asked."""

    def __init__(self, db, table: str) -> None:
        self.db, self.table, self.cache = db, table, {}

    def get(self, word: str, default=None):
        try:
            found = self.cache[word]
        except KeyError:
            row = self.db.one(f"SELECT hits FROM {self.table} WHERE word = ?", (word,))
            found = self.cache[word] = None if row is None else self.db.ints(row[0])
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> array:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found


class _Masks:
    """The byte mask of every word in more than COMMON descriptions, made when first needed."""

    def __init__(self, postings: _Lists, size: int) -> None:
        self.postings, self.size, self.cache = postings, size, {}

    def get(self, word: str, default=None):
        if word not in self.cache:
            hits = self.postings.get(word)
            self.cache[word] = Mask(hits, self.size) if hits is not None and len(hits) > COMMON else None
        found = self.cache[word]
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> Mask:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found


class Index:
    """Searches over the index file (icd10_store.Reader); reads what a query needs, keeps what it read."""

    def __init__(self, db: "icd10_store.Reader") -> None:
        self.db = db
        size = db.size
        rows = _Rows(db)
        self.codes = _Column(rows, 0, "code", size)
        self.descriptions = _Column(rows, 1, "description", size)
        self.billable = _Column(rows, 2, "billable", size)
        self.position = _Position(db)
        self.postings = _Lists(db, "posting")  # description words -> codes, in rank order
        self.extra = _Lists(db, "extra")  # inclusion terms, "includes" notes
        self._masks = _Masks(self.postings, size)
        self._sets: dict[str, frozenset[int]] = {}
        self._loose_cache: dict[str, tuple] = {}

    @functools.cached_property
    def rank(self) -> array:
        """Real codes before blocks, then fewer specific words: one 0.8 MB read (~8 ms), made when a search
        first orders by it (a code look-up and most word searches, which walk rank-ordered lists, never do)."""
        return self.db.rank()

    # ---- queries ---------------------------------------------------------------------------------
    def lookup(self, code: str) -> list[int]:
        """The code itself, then its direct children."""
        i = self.position[code]
        children = self.db.all("SELECT code FROM code WHERE parent = ? ORDER BY i", (code,))
        return [i] + [self.position[c] for (c,) in children]

    def prefixed(self, code: str, limit: int) -> list[int]:
        """Codes whose undotted form begins with `code`'s, in list order (GLOB on an indexed column)."""
        bare = code.replace(".", "")
        if not re.fullmatch(r"[A-Z0-9-]+", bare):  # normalise_code gives nothing else; GLOB must see no *?[
            return []
        rows = self.db.all("SELECT max(i) FROM code WHERE bare GLOB ? GROUP BY code ORDER BY 1 LIMIT ?",
                           (bare + "*", limit))
        return [i for (i,) in rows]

    def vocabulary_from(self, word: str, count: int = 200) -> list[str]:
        """The `count` index words sorting at or after `word` (a prefix range of the sorted vocabulary)."""
        return [w for (w,) in self.db.all("SELECT word FROM vocab WHERE word >= ? ORDER BY word LIMIT ?",
                                          (word, count))]

    def search(self, query: str, limit: int = 10) -> list[int]:
        words = list(dict.fromkeys(expand(query)))
        if not words:
            return []
        found: list[int] = []
        if all(w in self.postings for w in words):
            found = self._exact(words, limit)
            if len(found) >= limit:
                return found
        return found + self._loose(words, limit - len(found), exclude=set(found))

    def _exact(self, words: list[str], limit: int) -> list[int]:
        """Codes whose description has every word, best first: walk the shortest list in rank order."""
        words = sorted(words, key=lambda w: len(self.postings[w]))
        if len(words) > 1 and words[0] in self._masks:
            # only common words ("left", "right"): intersect in C rather than walk a long list in Python
            both = _intersect_masks([self._masks[w] for w in words])
            return heapq.nsmallest(limit, both, key=self.rank.__getitem__)
        # masks are tested by indexing their bytes directly: no Python-level __contains__ per code
        bits = [self._masks[w].bits for w in words[1:] if w in self._masks]
        sets = [self._set(w) for w in words[1:] if w not in self._masks]
        out = []
        for i in self.postings[words[0]]:
            if all(b[i] for b in bits) and all(i in s for s in sets):
                out.append(i)
                if len(out) == limit:
                    break
        return out

    def _set(self, word: str):
        """Membership test for a word's codes: its mask when common, else a (cached) frozenset."""
        mask = self._masks.get(word)
        if mask is not None:
            return mask
        s = self._sets.get(word)
        if s is None:
            if len(self._sets) > 4096:
                self._sets.clear()
            s = self._sets[word] = frozenset(self.postings[word])
        return s

    def _loose(self, words: list[str], limit: int, exclude: set[int]) -> list[int]:
        """Prefix, stem and inclusion-term matches; codes with every word first, else the most words."""
        if limit <= 0:
            return []
        groups = [self._words_for(w) for w in words]
        groups = [g for g in groups if g[0] or g[1]]  # a word found nowhere is ignored, not fatal
        if not groups:
            return []
        rank = self.rank
        groups.sort(key=lambda g: len(g[0]) + len(g[1]))
        # Codes matching every word exactly were all found by _exact (when it ran, it ran to the end),
        # so a new candidate matches at least one word loosely: start from the smaller of the loose
        # union and the rarest word.
        any_loose = set().union(*(loose for _exact, loose in groups))
        first = groups[0]
        pool = any_loose if len(any_loose) <= len(first[0]) + len(first[1]) else (*first[0], *first[1])
        candidates = [
            i for i in pool
            if i not in exclude and all(i in exact or i in loose for exact, loose in groups)
        ]
        if candidates:
            penalty = 10**12  # each word matched only loosely ranks a code behind every exact one
            return heapq.nsmallest(
                limit, candidates, key=lambda i: rank[i] + penalty * sum(i in loose for _e, loose in groups)
            )
        if exclude:
            return []
        # No code has every word: rarer words count more (idf), then the usual rank.
        total = len(self.codes)
        score: dict[int, float] = {}
        for exact, loose in groups:
            weight = math.log(total / (len(exact) + len(loose)))
            for i in exact:
                score[i] = score.get(i, 0.0) + weight
            for i in loose:
                score[i] = score.get(i, 0.0) + 0.8 * weight
        return heapq.nsmallest(limit, score, key=lambda i: (-round(score[i], 6), rank[i]))

    def _words_for(self, token: str) -> tuple:
        """(codes whose description has the word, codes that match it loosely: prefix, stem, inclusion)."""
        cached = self._loose_cache.get(token)
        if cached is not None:
            return cached
        exact = self._set(token) if token in self.postings else frozenset()
        loose: set[int] = set(self.extra.get(token, ()))
        candidates: list[str] = []
        if len(token) >= 3 and len(exact) < 200:  # variants only matter for rarer words
            for word in self.vocabulary_from(token):
                if not word.startswith(token):
                    break
                if word != token:
                    candidates.append(word)
        if not exact and not candidates and len(token) >= 6:
            # "diabetic" -> "diabet*", "hyperglycemic" -> "hyperglycemi*": shorten until something matches
            for cut in range(len(token) - 1, 4, -1):
                stem = token[:cut]
                candidates = [w for w in self.vocabulary_from(stem) if w.startswith(stem)]
                if candidates:
                    break
        for word in candidates:
            loose.update(self.postings.get(word, ()))
            loose.update(self.extra.get(word, ()))
        result = (exact, frozenset(i for i in loose if i not in exact))
        if len(self._loose_cache) > 2048:
            self._loose_cache.clear()
        self._loose_cache[token] = result
        return result



def expand(query: str) -> list[str]:
    """Query words with filler dropped, abbreviations spelt out and 'type ii' read as 'type 2'."""
    out: list[str] = []
    previous = ""
    for w in tokens(query):
        skip = w in FILLER or (w == "10" and previous in ("icd", ""))  # "icd 10 ...", or "10 code for ..."
        previous = w
        if skip:
            continue
        if w in ROMAN and out and out[-1] == "type":
            w = ROMAN[w]
        out.extend(ABBREVIATIONS.get(w, w).split())
    return out


# ---- the process-wide index ----------------------------------------------------------------------
_LOCK = threading.Lock()
_INDEX: Index | None = None


@functools.lru_cache(maxsize=1)
def library_version() -> str:
    from vertical_packs.healthcare.icd10_store import library_version as version  # a few ms: once per process

    return version()


def get_index(cache: Path | None = None, shared: Path | None = None) -> Index:
    """The process-wide index: from memory, else the verified file in `cache` (the pack's cache folder,
    ActionContext.cache_dir) or `shared` (the installation's, ActionContext.shared_cache_dir), else built
    in `shared` when it can be written, else in `cache` (or in memory without a folder)."""
    global _INDEX
    if _INDEX is not None:
        return _INDEX
    with _LOCK:
        if _INDEX is None:
            from vertical_packs.healthcare.icd10_store import open_index

            _INDEX = Index(open_index(None if cache is None else Path(cache),
                                      shared=None if shared is None else Path(shared)))
    return _INDEX


def forget_index(damaged: bool = False) -> None:
    """Drop the process-wide index (the next get_index opens or builds it again); `damaged` also deletes
    its file, for when reading it failed part way (it was swapped or damaged under this process)."""
    global _INDEX
    with _LOCK:
        index, _INDEX = _INDEX, None
    if index is not None:
        from vertical_packs.healthcare.icd10_store import discard

        if damaged and index.db.path is not None:
            discard(index.db.path)
        index.db.close()
