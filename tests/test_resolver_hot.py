"""More of the warm path's shortcuts, each against the long way it skips: a pattern's whole words before
its regex runs, a typo with no word one edit away, a kind's value names searched on the lowered text,
the phrase pieces before a phrase pattern."""
from __future__ import annotations

import random
import re

import pytest

from intents.resolver import slots as slots_mod
from intents.resolver.classifier import Classifier
from intents.resolver.literals import whole_words
from intents.resolver.templates import _WORD_RUN, _says, compile_template


def _quick(src: str) -> list:
    """whole_words in the shape Templates._words_of keeps it."""
    out = []
    for alternatives in whole_words(src):
        out.append(frozenset().union(*alternatives) if all(len(a) == 1 for a in alternatives) else tuple(alternatives))
    return out


_WORDS = ["in", "at", "to", "into", "of", "dose", "for", "convert", "mmol/l", "mg/dl", "qt", "qtc", "hr", "rate", "a",
          "an", "the", "what", "is", "max", "maximum", "cap", "si units", "weight based", "<number>", "<money>",
          "<weight>", "<percent>", "<quantity>", "inch", "tin", "at-home", "x"]


def test_whole_words_never_rule_out_a_text_the_regex_matches():
    """Every text a pattern matches (full or search) holds one alternative of each of its whole-word
    runs, for templates and hand-written patterns with optional, alternative and bounded parts."""
    kinds = {"w": "weight", "v": "number", "a": None, "u": None}
    templates = ["[what is] [a|an] {a} [of] {v} {u} in [mmol/l|mg/dl]", "[convert] {a} {v} {u} (to|in|into) [si units]",
                 "[dose|weight based dose] [for] {w} at {v} [max|maximum|cap] [{v}]", "(qt|qtc) {v} (hr|rate) {v}",
                 "at {v}", "{a} (in|at) the {u}", "max[imum] {v}"]
    from intents.resolver.index import expand_template

    patterns = [(src, [" ".join(e.split()) for e in expand_template(t, kinds, limit=6)])
                for t in templates if (src := compile_template(t, kinds)) is not None]
    patterns += [(src, []) for src in (r"\bin\b", r"(?:\bat\b|\bin\b)\s*x", r"\b(?:to|in)\b",
                                       r"<number>\s*\bat\b", r"(?:x\b)?in\b", r"\bin(?:to)?\b\s*\bthe\b", r"(?i)\bat\b")]
    rng = random.Random(11)
    for src, seeds in patterns:
        rx = re.compile(src)
        words = _quick(src)
        hits = 0
        for _ in range(4000):
            if seeds and rng.random() < 0.6:  # a sentence the template accepts, a word or two changed
                toks = rng.choice(seeds).split()
                for _ in range(rng.randint(0, 2)):
                    i = rng.randrange(len(toks) + 1)
                    if rng.random() < 0.5 and i < len(toks):
                        del toks[i]
                    else:
                        toks.insert(i, rng.choice(_WORDS))
            else:
                toks = [rng.choice(_WORDS) for _ in range(rng.randint(1, 6))]
            text = " ".join(toks)
            if rx.fullmatch(text) or rx.search(text):
                hits += 1
                assert _says(set(_WORD_RUN.findall(text)), words), (src, text, words)
        assert hits, src  # the texts did exercise the pattern


def test_whole_words_know_nothing_of_case_folding_patterns():
    assert whole_words(r"(?i)\bin\b") == [] and whole_words(r"(?a)\bin\b") == []
    assert whole_words(r"((") == []  # unparsable: no guard
    assert _quick(r"\bin\b\s*<number>") == [frozenset({"in"}), frozenset({"number"})]


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    from intents.registry import Registry
    from intents.resolver import local_resolver

    return local_resolver(Registry.load(tmp_path_factory.mktemp("home"))).classifier


def test_repair_without_a_word_one_edit_away_is_what_the_full_search_says(classifier):
    rng = random.Random(7)
    vocab = [w for w in classifier.vocab if w.isalpha()]
    words = []
    for _ in range(3000):
        w = list(rng.choice(vocab) if rng.random() < 0.7 else "".join(rng.choice("aeioucdmnrst") for _ in range(rng.randint(4, 9))))
        for _ in range(rng.randint(0, 2)):
            i = rng.randrange(len(w))
            op = rng.randrange(4)
            if op == 0:
                w[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
            elif op == 1:
                w.insert(i, rng.choice("aeiou"))
            elif op == 2 and len(w) > 4:
                del w[i]
            elif i + 1 < len(w):
                w[i], w[i + 1] = w[i + 1], w[i]
        words.append("".join(w))
    fast = [classifier.repair(w) for w in words]
    assert fast == [_repair_the_long_way(classifier, w) for w in words]
    assert any(f is None for f in fast) and any(f for f in fast)


def _repair_the_long_way(c, word: str):
    """Classifier.repair as it was before the one-edit test: the trigram pool, every distance computed."""
    from collections import Counter
    from itertools import chain

    from intents.resolver import text
    from intents.resolver.classifier import POOL, _top_counts

    if len(word) < 4 or word.startswith("<"):
        return None
    grams = c._gram_index()
    counts = Counter(chain.from_iterable(grams.get(g, ()) for g in text.trigrams(word)))
    pool = [w for w, _ in sorted(_top_counts(counts, POOL), key=lambda kv: (-kv[1], abs(len(kv[0]) - len(word))))[:POOL]]
    if len(word) <= 6 and not any(text.edit_distance(word, w, 1) <= 1 for w in pool):
        extra = [w for w in c._shapes.get((word[0], len(word)), ()) if w not in counts]
        pool += extra
        counts.update(dict.fromkeys(extra, 0))
    limit = 1 if len(word) <= 7 else 2
    best, best_d = None, limit + 1
    n = len(word)
    for w in pool:
        if w[0] != word[0] and n < 8:
            continue
        d = text.edit_distance(word, w, limit)
        if d < best_d or (d == best_d and best is not None and counts[w] > counts[best]):
            best, best_d = w, d
    if best_d > limit:
        return None
    if c._surface[best] == "" and len(word) <= 4 and sorted(word) != sorted(best):
        return None
    return c._surface[best]


def test_value_names_on_the_lowered_text_find_what_the_case_insensitive_search_finds():
    from intents.kinds import KindSpec

    values = {"new york": "US-NY", "north carolina": "US-NC", "texas": "US-TX", "federal": "US-federal",
              "frcp": "US-federal", "district of columbia": "US-DC", "iowa": "US-IA"}
    spec = KindSpec(name="venue", base="choice", values=values)
    rx = slots_mod._values_rx(spec)
    firsts, lowered = slots_mod._values_quick(spec, rx)
    rng = random.Random(2)
    pool = ["New York", "new-york", "NewYork", "TEXAS", "texan", "Iowa", "iowan", "north  carolina", "the", "court",
            "district of Columbia", "Federal", "frcp.", "in", "days", "newyorker", "york"]
    for _ in range(3000):
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))
        low = text.lower()
        m = rx.search(text)
        quick = lowered.search(low) if slots_mod._any_in(firsts, low) else None
        assert (m is None) == (quick is None), text
        if m:
            assert m.span(1) == quick.span(1) and m.group(1) == text[quick.start(1):quick.end(1)]


def test_phrase_pieces_are_in_every_text_the_phrase_pattern_finds():
    rng = random.Random(4)
    phrases = ["one-way", "one way", "married filing jointly", "phone_number", "e-mail", "ssn", "head of household"]
    pool = ["one", "way", "one-way", "oneway", "married", "filing", "jointly", "phone", "number", "phone_number",
            "e", "mail", "email", "e-mail", "ssns", "head", "of", "household", "-", "_"]
    for _ in range(3000):
        low = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))
        for p in phrases:
            for rx in (slots_mod._said_rx(p), slots_mod._word_rx(p), slots_mod._listed_rx(p)):
                if rx.search(low):
                    assert slots_mod._may_say(low, p), (p, low)
