"""The statistical tier: cosine similarity of the query's TF-IDF vector to every indexed sentence,
through an inverted index, best sentence per action (nearest neighbour), with typo repair.

Unknown words are mapped to the nearest vocabulary word within a small edit distance
("mortage" -> "mortgage"), found through a character-trigram index of the vocabulary.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from itertools import chain
from typing import Callable

from intents.resolver import text
from intents.resolver.index import OOS, SCALE, Postings


COMMON = 2_000  # a feature in more sentences than this is common (see candidate_scores): only big catalogs have any
UNKNOWN_WEIGHT = 2.5  # a word no sentence uses: it dilutes, less than a rare known word
NEAREST = 0.7  # weight of the best single sentence; the rest is the action's whole vocabulary
POOL = 40  # typo repair checks this many of the words sharing the most trigrams with an unknown word


class Classifier:
    def __init__(self, index: dict, words=None) -> None:
        self.words = words
        self.ids: list[str] = index["ids"]
        self.doc_action: list[int] = index["doc_action"]
        self.postings: Postings = index["postings"]
        self.idf = _Idf(self.postings)
        self.vocab: list[str] = index["vocab"]
        self.vocab_set = set(self.vocab)
        self._grams: dict[str, list[str]] | None = None
        self._surface: dict[str, str] = {}  # a word a typo may have meant -> the token it stands for
        self._shapes: dict[tuple[str, int], list[str]] = {}  # (first letter, length) -> surface words
        self._one_edit: dict[tuple[str, int], dict[str, list[str]]] = {}  # see _one_edit_forms
        self.oos_index = self.ids.index(OOS)
        self.centroids = set(index.get("centroids", ()))
        self._vocab_of: dict[int, set[str]] | None = None
        # action id -> the tokens of its slots' cue words: its own words as much as its samples' ("my
        # recipe makes 4 portions but I'm feeding 10": "makes", "feed" cue its slots)
        self.declared_of: Callable[[str], set[str]] | None = None
        self._first: list[int] | None = None
        self._owner: list[int] | None = None
        self._max_w: dict[str, float] = {}
        self.index_of: dict[str, int] = {}  # what ids.index() says, without its scan of 5,000 ids
        for i, a in enumerate(self.ids):
            self.index_of.setdefault(a, i)
        # In a big catalog a feature found in a fifth of all sentences ("<money>") says little and
        # its posting list dominates the time; small catalogs keep every feature.
        limit = max(500, len(self.doc_action) // 5)
        lengths = self.postings.lengths()
        self.skip = {k for k, n in zip(self.postings.features, lengths) if n > limit}
        self.any_common = any(n > COMMON for n in lengths)  # none in a small catalog: candidate_scores is scores

    def vocab_of(self, action: int) -> set[str]:
        """The words an action's sentences use (from its whole-bag document) and the words its slots
        declare (`declared_of`, when the caller gives it), built on first need."""
        if self._vocab_of is None:
            self._vocab_of = {}
        got = self._vocab_of.get(action)
        if got is None:
            got = self.postings.bag(action)
            if self.declared_of is not None and action != self.oos_index:
                got = got | self.declared_of(self.ids[action])
            self._vocab_of[action] = got
        return got

    def support(self, toks: list[str], action: int) -> float:
        """Share of the query's content words (idf-weighted; unknown words weigh most) that the action
        itself uses: low when an utterance borrows one of its words to ask for something else."""
        vocab = self.vocab_of(action)
        total = known = 0.0
        pos, idfs = self.postings.pos, self.postings._idf  # self.idf.get(t, 3.0), inline
        for t in set(toks):
            if t.startswith("<"):
                continue
            i = pos.get(t)
            w = 3.0 if i is None else idfs[i] / SCALE
            total += w
            if t in vocab:
                known += w
        return known / total if total else 1.0

    def _gram_index(self) -> dict[str, list[str]]:
        if self._grams is None:
            # The words a typo may have meant: the vocabulary, and the spellings the tokenizer maps onto
            # it ("mortage" meant "mortgage", which the index knows as "loan")
            surface = {w: w for w in self.vocab}
            own = self.words.synonyms if self.words is not None else {}
            for raw in (*text.SYNONYMS, *own, *(self.words.expansions if self.words is not None else ())):
                tok = text.stem(own.get(raw, raw))
                if tok in self.vocab_set:
                    surface.setdefault(raw, tok)
            # a misspelt function word ("shwo", "waht") is a function word, not an unknown content word that
            # makes the request look foreign: it repairs to nothing
            for w in text.STOP:
                if len(w) >= 4 and w.isalpha():
                    surface.setdefault(w, "")
            grams: dict[str, list[str]] = {}
            for w in surface:
                if len(w) >= 4:
                    for g in text.trigrams(w):
                        grams.setdefault(g, []).append(w)
            shapes: dict[tuple[str, int], list[str]] = {}
            for w in surface:
                if w:
                    shapes.setdefault((w[0], len(w)), []).append(w)
            self._surface = surface
            self._shapes = shapes
            self._grams = grams
        return self._grams

    def repair(self, word: str) -> str | None:
        """The vocabulary word a misspelt `word` most likely meant, or None."""
        if len(word) < 4 or word.startswith("<"):
            return None
        grams = self._gram_index()
        n = len(word)
        near: set[str] | None = None  # n <= 7: the words of its first letter that can be one edit away
        if n <= 7:  # one edit allowed (see limit below)
            forms = self._one_edit_forms(word[0], n)
            near = set()
            for form in (word, *[word[:i] + word[i + 1:] for i in range(n)]):
                got = forms.get(form)
                if got:
                    near.update(got)
            if not near:
                return None  # no word of its first letter is one edit away: nothing to find

        def one_edit(w: str) -> int:
            """edit_distance(word, w, 1), without the call for a word of its first letter not in `near`."""
            if near is not None and w[0] == word[0] and w not in near:
                return 2
            return text.edit_distance(word, w, 1)

        counts = Counter(chain.from_iterable(grams.get(g, ()) for g in text.trigrams(word)))
        # most shared trigrams first, then the closest length: "redcat" shares only "^re" and "red" with
        # "redact", as do dozens of re- words
        pool = [w for w, _ in sorted(_top_counts(counts, POOL), key=lambda kv: (-kv[1], abs(len(kv[0]) - len(word))))[:POOL]]
        if len(word) <= 6 and not any(one_edit(w) <= 1 for w in pool):
            # a swapped pair in a short word shares no trigram with it ("hlep", "help"): every word of
            # the same first letter and length, checked by edit distance below
            extra = [w for w in self._shapes.get((word[0], len(word)), ()) if w not in counts]
            pool += extra
            counts.update(dict.fromkeys(extra, 0))
        limit = 1 if len(word) <= 7 else 2  # two edits turn "pancak(es)" into "pack(s)"
        best, best_d = None, limit + 1
        for w in pool:
            if w[0] != word[0] and n < 8:
                continue  # people rarely mistype the first letter of a short word
            if abs(len(w) - n) > limit:
                continue  # more than `limit` edits apart, as edit_distance would say
            d = one_edit(w) if limit == 1 else text.edit_distance(word, w, limit)
            if d < best_d or (d == best_d and best is not None and counts[w] > counts[best]):
                best, best_d = w, d
        if best_d > limit:
            return None
        if self._surface[best] == "" and len(word) <= 4 and sorted(word) != sorted(best):
            return None  # "shop" is not "show": a short word reads as a function word only when letters swapped
        return self._surface[best]

    def _one_edit_forms(self, first: str, n: int) -> dict[str, list[str]]:
        """The surface words of this first letter and a length within one of n, by each of their forms:
        the word as it is and less any one letter. Two words are one edit apart (a letter changed, added,
        dropped or swapped) only if they share a form ("hlep" and "help" both make "hlp"); sharing one
        does not make them so ("abcd" and "xabc" share "abc"). Built on first need."""
        key = (first, n)
        got = self._one_edit.get(key)
        if got is None:
            got = {}
            for m in (n - 1, n, n + 1):
                for w in self._shapes.get((first, m), ()):
                    for form in {w, *[w[:i] + w[i + 1:] for i in range(len(w))]}:
                        got.setdefault(form, []).append(w)
            self._one_edit[key] = got
        return got

    def query_tokens(self, toks: list[str], declared: frozenset = frozenset()) -> tuple[list[str], dict[str, str]]:
        """The tokens with typos repaired; a word in `declared` (a slot's choice or synonym, any pack's) is
        a word the catalog knows, never a typo of another."""
        fixed, repairs = [], {}
        for t in toks:
            if t in self.vocab_set or t.startswith("<") or t in declared:
                fixed.append(t)
                continue
            r = self.repair(t)
            if r is not None:
                repairs[t] = r
                if r:  # "" is a function word, dropped like the tokenizer drops it
                    fixed.append(r)
            else:
                fixed.append(t)
        return fixed, repairs

    def _vector(self, toks: list[str]) -> tuple[dict[str, float], float, float]:
        """The query's weighted features the index knows, the norm over all of them, and coverage."""
        feats = text.features(toks)
        vec = {}
        known = total = 0.0
        pos, idfs = self.postings.pos, self.postings._idf  # Postings.idf, inline: it is asked per feature
        for k, v in feats.items():
            i = pos.get(k)
            idf = None if i is None else idfs[i] / SCALE
            w = (1 + math.log(v)) * (idf if idf is not None else UNKNOWN_WEIGHT) * (0.6 if " " in k else 1.0)
            total += w * w
            if idf is not None:
                vec[k] = w
                known += w * w
        norm = math.sqrt(total) or 1.0
        return vec, norm, (math.sqrt(known / total) if total else 0.0)

    def _by_action(self, doc_scores: dict[int, float]) -> dict[int, float]:
        """Per action: NEAREST x its best sentence + the rest x its whole bag."""
        best: dict[int, float] = {}
        bag: dict[int, float] = {}
        owner = self._owners()
        get = best.get
        for d, s in doc_scores.items():
            a = owner[d]
            if a < 0:  # a whole-bag document
                bag[~a] = s
            elif s > get(a, 0.0):
                best[a] = s
        for a, s in bag.items():
            best[a] = NEAREST * best.get(a, 0.0) + (1 - NEAREST) * s
        return best

    def scores(self, toks: list[str]) -> tuple[dict[int, float], float]:
        """Best cosine per action index, and the share of the query's weight the index knows."""
        vec, norm, coverage = self._vector(toks)
        return self._full(vec, norm), coverage

    def _full(self, vec: dict[str, float], norm: float) -> dict[int, float]:
        doc_scores: dict[int, float] | None = None
        get = None
        postings, skip = self.postings, self.skip
        for k, w in vec.items():
            if k in skip:
                continue
            plist = postings.get(k)
            if plist is None:
                continue
            docs, ws = plist
            qw = w / norm
            if doc_scores is None:
                # the first list fills an empty table: 0.0 + c is c, so it is built in C
                doc_scores = dict(zip(docs, map(qw.__mul__, ws)))
                get = doc_scores.get
                if len(doc_scores) == len(docs):
                    continue
                doc_scores.clear()  # a document twice in one list (only a damaged cache): added up below
            for d, dw in zip(docs, ws):  # qw * dw inline: cheaper than a bound method called by map
                doc_scores[d] = get(d, 0.0) + qw * dw
        return self._by_action(doc_scores or {})

    def candidate_scores(self, toks: list[str]) -> tuple[dict[int, float], float, float]:
        """`scores` for the actions that can be near the text, and a bound on every other action's score.

        In a big catalog most of a query's time went to its common features (a verb or filler word found
        in thousands of sentences) adding a little to thousands of sentences that share nothing else with
        it. Here the candidates are the actions with a sentence that has one of the query's less common
        features, and the out-of-scope class; every sentence of theirs is scored in full, the common
        features looked up in their sorted posting lists, each sentence's sum added in the same order as
        `scores` adds it (the same floating-point result). Any other action has only common features,
        so its score is at most the returned bound (0.0: nothing was left out, the result is `scores`'s).
        The caller decides whether the candidates' lead over that bound settles its question."""
        vec, norm, coverage = self._vector(toks)
        if not self.any_common:
            return self._full(vec, norm), coverage, 0.0
        postings, skip = self.postings, self.skip
        feats = [(k, w / norm, postings.length(k) > COMMON) for k, w in vec.items() if k not in skip and k in postings]
        if not any(common for _, _, common in feats):
            return self._full(vec, norm), coverage, 0.0
        doc_action = self.doc_action
        actions = {self.oos_index}
        for k, _, common in feats:
            if not common:
                actions.update(doc_action[d] for d in postings.get(k)[0])
        first = self._first_docs()
        docs = sorted(d for a in actions for d in range(first[a], first[a + 1]))
        doc_scores: dict[int, float] = {}
        get = doc_scores.get
        bound = 1e-9  # room for rounding in the sum below
        for k, qw, common in feats:
            plist_docs, plist_ws = postings.get(k)
            if not common:
                for d, dw in zip(plist_docs, plist_ws):
                    doc_scores[d] = get(d, 0.0) + qw * dw
                continue
            bound += qw * self._max_weight(k, plist_ws)
            n = len(plist_docs)
            for d in docs:
                i = bisect_left(plist_docs, d)
                if i < n and plist_docs[i] == d:
                    doc_scores[d] = get(d, 0.0) + qw * plist_ws[i]
        return self._by_action(doc_scores), coverage, bound

    def _max_weight(self, k: str, ws: list[float]) -> float:
        got = self._max_w.get(k)
        if got is None:
            got = self._max_w[k] = max(ws, default=0.0)
        return got

    def _owners(self) -> list[int]:
        """Per document: its action, or ~action (below zero) for an action's whole-bag document; one
        list read instead of a list and the set of centroids for every document scored."""
        if self._owner is None:
            owner = list(self.doc_action)
            for d in self.centroids:
                if 0 <= d < len(owner):
                    owner[d] = ~owner[d]
            self._owner = owner
        return self._owner

    def _first_docs(self) -> list[int]:
        """first[a]:first[a + 1] are action a's documents (they are written action by action)."""
        if self._first is None:
            n = len(self.ids)
            first = [0] * (n + 1)
            for a in self.doc_action:
                first[a + 1] += 1
            for a in range(n):
                first[a + 1] += first[a]
            self._first = first
        return self._first


def _top_counts(counts: dict[str, int], n: int) -> list[tuple[str, int]]:
    """The (word, count) items, in order, whose count is at least the n-th highest: sorting these alone
    by descending count gives the same first n as sorting them all (the sort is stable, and every item
    left out sorts after every item kept). An unknown word shares a trigram with hundreds of words,
    most of them once."""
    if len(counts) <= n:
        return list(counts.items())
    hist = Counter(counts.values())
    total = 0
    for least in sorted(hist, reverse=True):
        total += hist[least]
        if total >= n:
            break
    return [kv for kv in counts.items() if kv[1] >= least]


class _Idf:
    """The index's idf as the read-only mapping the classifier asks: `get(feature, default)`."""

    __slots__ = ("_postings",)

    def __init__(self, postings: Postings) -> None:
        self._postings = postings

    def get(self, k: str, default: float | None = None) -> float | None:
        return self._postings.idf(k, default)

    def __contains__(self, k: str) -> bool:
        return k in self._postings
