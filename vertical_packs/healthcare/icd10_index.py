"""A keyword index over every ICD-10-CM code (simple-icd-10-cm ships the codes but has no search).

The library takes seconds to import, so the index is built once per process on first use and its source
rows are cached as JSON under INTENT_HOME/cache, keyed by the library version: later processes load that
file instead of importing the library at all.
"""
from __future__ import annotations

import bisect
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

RELEASE = "ICD-10-CM April 2026 (CDC/NCHS, public domain)"
DISTRIBUTION = "simple-icd-10-cm"

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


@dataclass
class Index:
    codes: list[str]
    descriptions: list[str]
    billable: list[bool]
    position: dict[str, int] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    postings: dict[str, list[int]] = field(default_factory=dict)  # description words
    extra: dict[str, list[int]] = field(default_factory=dict)  # inclusion terms, "includes" notes
    vocab: list[str] = field(default_factory=list)
    rank: list[int] = field(default_factory=list)  # shorter descriptions of real codes first

    @classmethod
    def from_rows(cls, rows: list[list]) -> "Index":
        index = cls(codes=[r[0] for r in rows], descriptions=[r[1] for r in rows], billable=[bool(r[3]) for r in rows])
        n = len(rows)
        for i, (code, description, parent, _leaf, extra_text) in enumerate(rows):
            index.position[code] = i
            if parent:
                index.children.setdefault(parent, []).append(code)
            words = tokens(description)
            for w in set(words):
                index.postings.setdefault(w, []).append(i)
            for w in set(tokens(extra_text)) - set(words):
                index.extra.setdefault(w, []).append(i)
            structural = 0 if CODE.match(code) else 1  # chapters and blocks after real codes
            index.rank.append((structural * 1000 + len(words)) * n + i)
        index.vocab = sorted(set(index.postings) | set(index.extra))
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

    def _words_for(self, token: str) -> tuple[set[int], set[int]]:
        """(codes whose description has the word, codes that match it loosely: prefix, stem, inclusion)."""
        exact = set(self.postings.get(token, ()))
        loose: set[int] = set(self.extra.get(token, ()))
        candidates: list[str] = []
        if len(token) >= 3:
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
        return exact, loose - exact

    def search(self, query: str, limit: int = 10) -> list[int]:
        words = expand(query)
        if not words:
            return []
        matched = [self._words_for(w) for w in dict.fromkeys(words)]
        matched = [m for m in matched if m[0] or m[1]]  # a word found nowhere is ignored, not fatal
        if not matched:
            return []
        candidates = set.intersection(*(exact | loose for exact, loose in matched))
        if not candidates:  # no code has every word: rank by how many words each code has
            counts: dict[int, int] = {}
            for exact, loose in matched:
                for i in exact | loose:
                    counts[i] = counts.get(i, 0) + 1
            best = max(counts.values())
            candidates = {i for i, c in counts.items() if c == best}
        rank = self.rank
        loose_sets = [loose for _exact, loose in matched if loose]
        if not loose_sets:
            return sorted(candidates, key=rank.__getitem__)[:limit]
        penalty = 10**12  # an exact description word beats a prefix or inclusion-term match
        return sorted(candidates, key=lambda i: rank[i] + penalty * sum(i in s for s in loose_sets))[:limit]


def expand(query: str) -> list[str]:
    """Query words with filler dropped, abbreviations spelt out and 'type ii' read as 'type 2'."""
    out: list[str] = []
    previous = ""
    for w in tokens(query):
        skip = w in FILLER or (w == "10" and previous == "icd")
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


def library_version() -> str:
    from importlib.metadata import version

    return version(DISTRIBUTION)


def rows_from_library() -> list[list]:
    import simple_icd_10_cm as icd  # ~2 s import: only here, and only when no cache exists

    rows = []
    for code in icd.get_all_codes(True):
        extra = " ".join(icd.get_inclusion_term(code) + icd.get_includes(code))
        rows.append([code, icd.get_description(code), icd.get_parent(code), icd.is_leaf(code), extra])
    return rows


def cache_path(home: Path | None) -> Path | None:
    if home is None:
        return None
    return Path(home) / "cache" / f"icd10cm-{library_version()}.json"


def get_index(home: Path | None = None) -> Index:
    global _INDEX
    if _INDEX is not None:
        return _INDEX
    with _LOCK:
        if _INDEX is None:
            _INDEX = Index.from_rows(_load_rows(cache_path(home)))
    return _INDEX


def _load_rows(path: Path | None) -> list[list]:
    if path is not None and path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # a damaged cache is rebuilt from the library below
    rows = rows_from_library()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(rows, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            pass  # the cache only saves time; a read-only home still works
    return rows
