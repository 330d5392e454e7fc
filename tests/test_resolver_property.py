"""Arbitrary text, unicode and megabyte inputs: the resolver answers or refuses; it never crashes or hangs."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    from intents.registry import Registry
    from intents.resolver import local_resolver

    return local_resolver(Registry.load(tmp_path_factory.mktemp("home")))


def check(resolver, text: str) -> None:
    m = resolver.resolve(text)
    assert m.text == text
    assert 0.0 <= m.confidence <= 1.0
    assert m.action is None or m.action in resolver.actions
    if m.action is None:
        assert m.slots == {} and m.missing == []
    m.to_json(explain=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_unicode_text(resolver, text):
    check(resolver, text)


PIECES = st.sampled_from([
    "loan", "bmi", "nda between", " and ", "$", "€", "%", "percent", "kg", "lbs", "5'", "10\"", "mg/dl",
    "umol/l", "years", "months", "days", "march", "2026-", "/", "~/", ".pdf", '"', "'", "minus", "point",
    "three", "hundred", "thousand", "million", "k", "m", ",", ";", "-", "0", "7", "42", "1.5", "yo", "f",
    "compounded", "to", "from", "in", "icd", "E11.", "help", "install", "pack", "\u0000", "\u202e", "🙂",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_domain_shaped_noise(resolver, text):
    check(resolver, text)


@pytest.mark.parametrize("text", [
    "a" * 1_000_000,
    "1" * 1_000_000,
    ("300k loan at 6.5% over 30 years " * 40_000)[:1_000_000],
    ("between Acme and " * 60_000)[:1_000_000],
    "extract citations from: " + "Roe v. Wade, 410 U.S. 113 (1973). " * 30_000,
    "\u00e9\u0301" * 500_000,
])
def test_megabyte_inputs_are_clipped_early(resolver, text):
    t0 = time.perf_counter()
    check(resolver, text)
    assert time.perf_counter() - t0 < 2.0


def test_long_pasted_source_is_kept_whole(resolver):
    body = "Roe v. Wade, 410 U.S. 113 (1973). " * 1000
    m = resolver.resolve("extract citations from: " + body)
    assert m.action == "legal.extract_citations"
    assert m.slots["source"] == body.strip()
