"""Misspelt unit, currency and frequency words are repaired before the taggers read them; other words
are left alone."""
from __future__ import annotations

import pytest

from intents.resolver import entities, spelling
from tests.conftest import builtin_lexicon


@pytest.mark.parametrize("typed, meant", [
    ("convert 500 singapore dolars to euros", "convert 500 singapore dollars to euros"),
    ("compounded anually", "compounded annually"),
    ("82 kilogams and 180 centimters", "82 kilograms and 180 centimeters"),
    ("glucoes 7 mmol/l", "glucose 7 mmol/l"),
    ("30 calender days", "30 calendar days"),
])
def test_misspelt_unit_words_are_repaired(typed, meant):
    # issue 14: analytes and day types are the packs' words (their choices), given through the lexicon
    lex = builtin_lexicon()
    assert spelling.repair(typed, lex.spell_words, lex.abbreviations) == meant


@pytest.mark.parametrize("text", ["under indiana law", "the governing law is indian", "Thousands of dollars",
                                  "monthly payments", "contract summary", "redact exhibit.txt", "xylophones"])
def test_other_words_are_left_alone(text):
    assert spelling.repair(text) == text


def test_the_repaired_word_is_tagged():
    kinds = [(e.kind, e.value) for e in entities.tag("exchange 10k rupees to singapore dolars").entities]
    assert ("currency", "SGD") in kinds
    assert [e.kind for e in entities.tag("compounded anually").entities] == ["frequency"]


def test_a_packs_own_samples_are_taken_as_written():
    assert entities.tag("compounded anually", spell=False).entities == []


@pytest.mark.parametrize("said, written", [("b m i for 70 kg", "bmi for 70 kg"), ("e g f r please", "egfr please"),
                                           ("q.t.c. 400", "qtc 400"), ("a b testing", "a b testing")])
def test_abbreviations_spelled_letter_by_letter_are_joined(said, written):
    lex = builtin_lexicon()  # issue 14: the abbreviations are the packs' own (pack.words)
    assert spelling.repair(said, lex.spell_words, lex.abbreviations) == written
