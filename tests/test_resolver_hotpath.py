"""The warm path's shortcuts answer exactly what the long way answers: the edit distance without its
full table, the literals a pattern needs before it is run, the repair pool sorted in part."""
from __future__ import annotations

import itertools
import random
import re

from intents.resolver.classifier import _top_counts
from intents.resolver.literals import required
from intents.resolver.text import edit_distance


def _reference(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, the whole table, capped at limit + 1."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return min(d[-1][-1], limit + 1)


def test_edit_distance_equals_the_whole_table():
    words = [""] + ["".join(p) for n in range(1, 4) for p in itertools.product("abc", repeat=n)] + ["".join(p) for p in itertools.product("ab", repeat=4)]
    for a in words:
        for b in words:
            for limit in (0, 1, 2):
                assert edit_distance(a, b, limit) == _reference(a, b, limit), (a, b, limit)
    rng = random.Random(3)
    for _ in range(1000):
        a = "".join(rng.choice("abcdefg") for _ in range(rng.randint(1, 11)))
        b = list(a)
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(len(b) + 1)
            op = rng.randrange(3)
            if op == 0:
                b.insert(i, rng.choice("abcdefg"))
            elif b and op == 1:
                del b[min(i, len(b) - 1)]
            elif len(b) > 1:
                j = min(i, len(b) - 2)
                b[j], b[j + 1] = b[j + 1], b[j]
        b = "".join(b)
        for limit in (1, 2, 3):
            assert edit_distance(a, b, limit) == _reference(a, b, limit), (a, b, limit)


def test_top_counts_keeps_the_first_n_of_the_full_sort():
    rng = random.Random(5)
    for _ in range(300):
        counts = {f"w{i}{'x' * rng.randint(0, 6)}": rng.choice((1, 1, 1, 2, 2, 3, 4)) for i in range(rng.randint(0, 120))}
        key = lambda kv: (-kv[1], len(kv[0]))  # noqa: E731
        assert sorted(_top_counts(counts, 40), key=key)[:40] == sorted(counts.items(), key=key)[:40]


PATTERNS = [
    (r"\b(?:party\s*(?:a|1|one)|first\s+party|disclosing\s+party)\s*[:=]?\s*(?P<a>\w+)", re.I),
    (r"(?-i:(?P<a>[A-Z]\w*)\s+(?:discloses|disclosing|will\s+disclose|shares|will\s+share)\s+(?:to|with)\s+(?P<b>[A-Z]\w*))", re.I),
    (r"\b(?:nda|agreement|contract)\s*(?:(?P<colon>[:\-])\s*|\s+)(?P<a>\w+)", re.I),
    (r"(?:foo|bar)+baz?", 0),
]


def test_required_literals_are_in_every_match():
    assert required(PATTERNS[2][0], PATTERNS[2][1]) == ("agreement", "contract", "nda")
    assert required(r"[a-z]+\d", 0) == ()  # nothing literal: never guarded
    assert required(r"(unbalanced", 0) == ()
    rng = random.Random(11)
    vocab = ["party", "Party", "A", "first", "disclosing", "Acme", "Bob", "discloses", "will", "disclose", "to",
             "with", "NDA", "nda", ":", "agreement", "Contract", "foo", "bar", "baz", "shares", "x", "PARTY"]
    for src, flags in PATTERNS:
        lits = required(src, flags)
        assert lits
        rx = re.compile(src, flags)
        for _ in range(500):
            text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 8)))
            if rx.search(text):
                assert any(w in text.lower() for w in lits), (src, text)
