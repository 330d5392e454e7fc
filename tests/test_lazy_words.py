"""lazy_words: a word alternation compiled for each text with only the alternatives it can match must
find exactly what the whole pattern finds (search, match, findall, finditer, sub), for every pattern the
follow-up readings build that way, on our own sets' words and on awkward text (case, Unicode, punctuation)."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from intents import conversation, conversation_edits
from intents.resolver import lazyre
from intents.resolver.lazyre import LazyWords, lazy_words

DATA = Path(__file__).parent / "data"


def _own_texts() -> list[str]:
    texts = []
    for name in ("conversation_set.jsonl", "compound_set.jsonl", "conversation_seed.jsonl", "dev_set.jsonl"):
        for line in (DATA / name).read_text().splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            for part in (row, row.get("first") or {}, row.get("second") or {}):
                if isinstance(part.get("text"), str):
                    texts.append(part["text"])
    return texts


AWKWARD = [
    "", " ", "THAT", "İt is", "ıt", "ſo what", "WHAT   ABOUT 7%?", "what\nabout 7", "what about", "whatabout",
    "and", "andrew", "ok", "okay then", "oka", "okayish", "i meant 5", "I MEAN it", "my bad", "my  mistake",
    "change it", "change that to 5", "changes", "the result", "theresult", "the  signed  file", "the file",
    "3rd one", "21st", "1st", "doubled", "DOUBLE", "re-extend", "prolonged", "half", "halves", "two weeks",
    "3 parties", "both parties", "42", "that_thing", "it's", "(it)", "—that—", "ﬁrst", "Ⅰ", "the ﬁle",
    "the last one", "one more", "last   one", "then", "and then?", "say it again", "hers", "he", "shed",
]


def _patterns():
    mods = (conversation, conversation_edits)
    return [(f"{m.__name__}.{n}", v) for m in mods for n, v in vars(m).items() if isinstance(v, LazyWords)]


def _fresh(p: LazyWords) -> LazyWords:
    return lazy_words(p.head, p.alternatives, p.tail, p.flags)


def _texts() -> list[str]:
    rng = random.Random(15)
    own = _own_texts()
    words = " ".join(own).split() + [w for t in AWKWARD for w in t.split()]
    mixed = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(600)]
    cased = [t.upper() for t in own[:200]] + [t.title() for t in own[200:400]]
    return own + AWKWARD + mixed + cased


def test_the_follow_up_patterns_are_word_alternations():
    names = {n.rsplit(".", 1)[1] for n, _ in _patterns()}
    assert {"_REFERS", "_CONTINUES", "_THAT", "_COUNT", "_MAYBE"} <= names


@pytest.mark.parametrize("name,pattern", _patterns(), ids=[n for n, _ in _patterns()])
def test_a_subset_finds_what_the_whole_pattern_finds(name, pattern):
    whole = re.compile(pattern.pattern, pattern.flags)
    for text in _texts():
        p = _fresh(pattern)  # each text alone: its own subset, never the whole pattern
        got, want = p.search(text), whole.search(text)
        assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (name, text)
        p = _fresh(pattern)
        assert p.findall(text) == whole.findall(text), (name, text)
        p = _fresh(pattern)
        assert [m.span() for m in p.finditer(text)] == [m.span() for m in whole.finditer(text)], (name, text)
        p = _fresh(pattern)
        assert p.sub("#", text) == whole.sub("#", text), (name, text)
        p = _fresh(pattern)
        m1, m2 = p.match(text), whole.match(text)
        assert (m1 and m1.span()) == (m2 and m2.span()), (name, text)


def test_a_text_that_can_match_nothing_compiles_nothing():
    p = lazy_words(r"\b(?:", ("first", "second", r"what\s+about"), r")\b", re.I)
    assert p.search("how much is 7% on 300k") is None
    assert p._rx is None and not p._parts
    assert p.search("and what about 8%?").group() == "what about"
    assert p._rx is None and list(p._parts) == [(2,)]


def test_after_a_few_subsets_the_whole_pattern_is_compiled_once():
    p = lazy_words(r"\b(?:", tuple(f"w{i}" for i in range(20)), r")\b")
    for i in range(lazyre._SUBSETS + 3):
        assert p.search(f"x w{i} y").group() == f"w{i}"
    assert p._rx is not None and len(p._parts) == lazyre._SUBSETS


@pytest.mark.parametrize("alternative,lead", [
    ("what\\s+about", "what"), ("ok(?:ay)?", "ok"), ("colou?r", "colo"), ("ab*c", "a"), ("a{2}", ""),
    ("\\d+", ""), ("double\\w*", "double"), ("brand[\\s-]new", "brand"), ("Inc", "inc"), ("l\\.?p", "l"),
])
def test_an_alternative_s_lead_is_only_what_it_must_begin_with(alternative, lead):
    assert lazyre._lead(alternative) == lead


@pytest.mark.parametrize("head,alternatives", [
    (r"(?:", ("a", "b")),  # not where a word begins
    (r"\b(?:", ("a|b", "c")),  # a top-level bar
    (r"\b(?:", ("(a)b", "c")),  # a capturing group
])
def test_a_pattern_the_subsets_cannot_stand_for_is_refused(head, alternatives):
    with pytest.raises(ValueError):
        lazy_words(head, alternatives, r")\b").search("a b c")


@pytest.mark.parametrize("alternative,refused", [
    ("a|b", True), ("(a)b", True), ("(?P<x>a)", True), ("(?<x>a)", True), ("(?:a|b)c", False), ("a(?=b|c)", False),
    ("(?<=x)a", False), ("(?<!x)a", False), ("[|(]a", False), ("a\\|b", False), ("a\\(b", False), ("[]|]a", False),
])
def test_an_alternative_is_one_alternative_without_groups(alternative, refused):
    assert lazyre._not_an_alternative(alternative) is refused
