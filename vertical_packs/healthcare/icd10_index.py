"""A keyword index over every ICD-10-CM code (simple-icd-10-cm ships the codes but has no search).

The library takes seconds to import, so the index is built once per process on first use and cached as
JSON under INTENT_HOME/cache (keyed by the library version and the index format): later processes load
that file instead of importing the library at all.

Ranking: codes whose description has every query word come first, best first by how few specific words
the description has beyond them (so "Sepsis, unspecified organism" before "Salmonella sepsis"); then codes
that match a word only by prefix, stem or inclusion term ("high blood pressure" is an inclusion term of I10).
"""
from __future__ import annotations

import base64
import binascii
import bisect
import functools
import heapq
import json
import math
import re
import sys
import threading
from array import array
from dataclasses import dataclass, field
from pathlib import Path

RELEASE = "ICD-10-CM April 2026 (CDC/NCHS, public domain)"
DISTRIBUTION = "simple-icd-10-cm"
CACHE_FORMAT = 4  # bump when the index layout, ranking or tokenising changes

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


def _pack(values: array) -> str:
    return base64.b64encode(values.tobytes()).decode("ascii")


def _unpack(typecode: str, text: str) -> array:
    return array(typecode, binascii.a2b_base64(text))


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


@dataclass
class Index:
    codes: list[str]
    descriptions: list[str]
    billable: list[bool]
    position: dict[str, int] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    postings: dict[str, array] = field(default_factory=dict)  # description words -> codes, in rank order
    extra: dict[str, array] = field(default_factory=dict)  # inclusion terms, "includes" notes
    vocab: list[str] = field(default_factory=list)
    rank: array = field(default_factory=lambda: array("q"))  # real codes before blocks, then fewer specific words
    parents: list[str] = field(default_factory=list)
    _masks: dict[str, Mask] = field(default_factory=dict)
    _sets: dict[str, frozenset[int]] = field(default_factory=dict)
    _loose_cache: dict[str, tuple] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[list]) -> "Index":
        """Build from (code, description, parent, is_leaf, inclusion text) rows."""
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
        # Compact int arrays: a list holds an int object per posting (~36 bytes each, 800k of them).
        return cls(codes=[r[0] for r in rows], descriptions=[r[1] for r in rows],
                   billable=[bool(r[3]) for r in rows], parents=[r[2] or "" for r in rows], rank=array("q", rank),
                   postings={w: array("i", hits) for w, hits in postings.items()},
                   extra={w: array("i", hits) for w, hits in extra.items()})._prepare()

    @classmethod
    def from_state(cls, state: dict) -> "Index":
        """Load what `state()` wrote; ValueError when it was written by another format or machine."""
        if state.get("format") != CACHE_FORMAT or state.get("byteorder") != sys.byteorder:
            raise ValueError("ICD index cache from another format or byte order")
        return cls(codes=state["codes"], descriptions=state["descriptions"], billable=state["billable"],
                   parents=state["parents"], rank=_unpack("q", state["rank"]),
                   postings={w: _unpack("i", hits) for w, hits in state["postings"].items()},
                   extra={w: _unpack("i", hits) for w, hits in state["extra"].items()})._prepare()

    def state(self) -> dict:
        """JSON-ready form; int arrays as base64 of their bytes, which loads far faster than int lists."""
        return {"format": CACHE_FORMAT, "byteorder": sys.byteorder, "codes": self.codes,
                "descriptions": self.descriptions, "billable": self.billable, "parents": self.parents,
                "rank": _pack(self.rank), "postings": {w: _pack(a) for w, a in self.postings.items()},
                "extra": {w: _pack(a) for w, a in self.extra.items()}}

    def _prepare(self) -> "Index":
        """Derived lookups: code positions, children, the sorted vocabulary, masks of common words."""
        index = self
        index.position = dict(zip(index.codes, range(len(index.codes))))
        for code, parent in zip(index.codes, index.parents):
            if parent:
                index.children.setdefault(parent, []).append(code)
        index.vocab = sorted(set(index.postings) | set(index.extra))
        n = len(index.codes)
        for word, hits in index.postings.items():  # masks for the commonest words, so no search builds one
            if len(hits) > COMMON:
                index._masks[word] = Mask(hits, n)
        return index

    # ---- queries ---------------------------------------------------------------------------------
    def lookup(self, code: str) -> list[int]:
        """The code itself, then its direct children."""
        i = self.position[code]
        return [i] + [self.position[c] for c in self.children.get(code, [])]

    def prefixed(self, code: str, limit: int) -> list[int]:
        bare = code.replace(".", "")
        hits = [i for c, i in self.position.items() if c.replace(".", "").startswith(bare)]
        return sorted(hits)[:limit]

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
            start = bisect.bisect_left(self.vocab, token)
            for word in self.vocab[start:start + 200]:
                if not word.startswith(token):
                    break
                if word != token:
                    candidates.append(word)
        if not exact and not candidates and len(token) >= 6:
            # "diabetic" -> "diabet*", "hyperglycemic" -> "hyperglycemi*": shorten until something matches
            for cut in range(len(token) - 1, 4, -1):
                stem = token[:cut]
                start = bisect.bisect_left(self.vocab, stem)
                candidates = [w for w in self.vocab[start:start + 200] if w.startswith(stem)]
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


# ---- building and caching ------------------------------------------------------------------------
_LOCK = threading.Lock()
_INDEX: Index | None = None


@functools.lru_cache(maxsize=1)
def library_version() -> str:
    from importlib.metadata import version  # a few ms per call: asked once per process

    return version(DISTRIBUTION)


def rows_from_library() -> list[list]:
    import warnings

    with warnings.catch_warnings():  # its pkg_resources-style data loading warns on every import
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as icd  # ~2 s import: only here, and only when no cache exists

    rows = []
    for code in icd.get_all_codes(True):
        extra = " ".join(icd.get_inclusion_term(code) + icd.get_includes(code))
        rows.append([code, icd.get_description(code), icd.get_parent(code), icd.is_leaf(code), extra])
    return rows


def cache_path(home: Path | None) -> Path | None:
    if home is None:
        return None
    return Path(home) / "cache" / f"icd10cm-{library_version()}-index{CACHE_FORMAT}.json"


def get_index(home: Path | None = None) -> Index:
    """The process-wide index: from memory, else the INTENT_HOME cache, else built from the library."""
    global _INDEX
    if _INDEX is not None:
        return _INDEX
    with _LOCK:
        if _INDEX is None:
            _INDEX = _load(cache_path(home))
    return _INDEX


def _load(path: Path | None) -> Index:
    if path is not None and path.is_file():
        try:
            return Index.from_state(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache is rebuilt from the library below
    index = Index.from_rows(rows_from_library())
    if path is not None:
        try:
            from intents.sdk import private_dir, write_atomic

            private_dir(path.parent)
            write_atomic(path, json.dumps(index.state(), separators=(",", ":")))
            for stale in path.parent.glob("icd10cm-*.json"):  # other library versions or index formats
                if stale != path:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # the cache only saves time; a read-only home still works
    return index
