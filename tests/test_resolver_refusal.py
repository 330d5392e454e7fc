"""Refusal and calibrated confidence (issue 14): foreign requests are refused, packs declare their own
near-domain negatives through the SDK, confident answers are right, and the LLM tier's shortlist holds
the right action for requests worded far from every sample.

The negative sets (tests/data/negatives/, written for this project from templates and by hand; no public
NLU data set) are split by a hash of each line into a tuning half and a held-out half;
`python bench/resolver.py --refusal` prints the figures. The thresholds here sit a little below them
(measured: refused 0.979 / 0.980, would run at once 0 / 0, right at >= 0.9: 0.992, recall@5 0.999).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.resolver import answered, builtin_only, negatives, read_rows, reliability, shortlist_recall
from intents.resolver.local import LocalResolver
from intents.sdk import Pack, Result, Slot

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    from intents.registry import Registry

    return builtin_only(Registry.load(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="module")
def resolver(registry):
    from intents.resolver import local_resolver

    return local_resolver(registry)


def test_the_negative_sets_are_broad_and_split_by_hash():
    import hashlib

    halves = {h: read_rows(DATA / "negatives" / f"{h}.jsonl") for h in ("tuning", "heldout")}
    for half, rows in halves.items():
        assert len(rows) >= 2000
        assert len({r["domain"] for r in rows}) >= 15
        assert sum(r["source"] == "hand" for r in rows) >= 100
        for r in rows:
            assert r["action"] is None
            digest = hashlib.sha256(r["text"].lower().encode()).digest()[0] % 2
            assert ("heldout" if digest else "tuning") == half
    assert not {r["text"].lower() for r in halves["tuning"]} & {r["text"].lower() for r in halves["heldout"]}


@pytest.mark.parametrize("half", ["tuning", "heldout"])
def test_foreign_requests_are_refused(resolver, half):
    figures, _ = negatives(resolver, read_rows(DATA / "negatives" / f"{half}.jsonl"))
    assert figures["refused"] >= 0.97, figures
    assert figures["would_run_at_once"] <= 0.0005, figures


@pytest.mark.parametrize("text", [
    "what's the spanish word for pasta", "I want a new insurance plan", "put in a vacation request",
    "that would be correct", "show my browsing history", "help me write a cover letter", "run the dishwasher",
])
def test_system_actions_do_not_answer_for_one_shared_word(resolver, text):
    assert resolver.resolve(text).action is None


@pytest.mark.parametrize("text, action", [
    ("help", "system.help"), ("what plan am i on", "system.plan"), ("show history", "system.history"),
    ("list packs", "system.packs"), ("shwo my histroy", "system.history"),
])
def test_system_actions_keep_their_own_words(resolver, text, action):
    assert resolver.resolve(text).action == action


def test_confident_answers_are_right(resolver):
    rows = [r for name in ("dev_set", "crowd_set", "heldout_set") for r in read_rows(DATA / f"{name}.jsonl")]
    answers = answered(resolver, rows)
    for half in ("tuning", "heldout"):
        answers += negatives(resolver, read_rows(DATA / "negatives" / f"{half}.jsonl"))[1]
    bucket, n, share = reliability(answers)[-1]
    assert bucket.startswith("0.90") and n >= 500
    assert share >= 0.97


def test_an_answer_resting_on_little_is_not_called_sure(resolver):
    m = resolver.resolve("set the oven to 20 percent")
    assert m.action is None or m.confidence <= 0.85


def test_shortlist_recall(resolver, registry):
    rows = [r for name in ("dev_set", "crowd_set", "heldout_set", "far_set") for r in read_rows(DATA / f"{name}.jsonl")]
    recall = shortlist_recall(resolver, registry, rows, ks=(5,))
    assert recall[5][0] >= 0.97


def test_shortlist_ranks_by_general_signals(resolver):
    # nothing here is a sample's wording; kinds (money, percent, duration) and words still point the way
    top = resolver.shortlist("what would the bank take each month for 410k borrowed at 6.1% across three decades", 3)
    assert "finance.loan_payment" in top
    assert resolver.shortlist("what can you do", 3) == []  # no words to rank by: the caller's fallback


# ---- packs ship their own negatives ------------------------------------------------------------------
class Cooked(Result):
    minutes: float


def _bakery(negatives):
    pack = Pack(id="bakery", name="Bakery", version="1.0.0", vertical="food", negatives=negatives)

    @pack.action(samples=["how long to bake a loaf of 800 g", "baking time for a 1 kg sourdough loaf",
                          "bake time for bread weighing 500 grams"])
    def bake_time(grams: float = Slot("Weight of the dough", kind="number")) -> Cooked:
        """Baking time for a loaf."""
        return Cooked(minutes=grams / 20)

    return pack


def test_pack_negatives_are_declared_through_the_sdk_and_cached():
    from intents.specs import pack_from_dict, to_dict

    pack = _bakery(["order a loaf from the bakery down the street"])
    spec = pack.spec()
    assert spec.negatives == ["order a loaf from the bakery down the street"]
    assert pack_from_dict(json.loads(json.dumps(to_dict(spec)))).negatives == spec.negatives
    with pytest.raises(Exception):
        Pack(id="x", name="X", version="1", negatives=[{"not": "a string"}])


def test_a_packs_negatives_make_the_resolver_refuse_its_near_domain(tmp_path):
    near = "buy a sourdough loaf"
    pack = _bakery(["buy a loaf of sourdough at the bakery", "order a loaf from the bakery down the street"])
    actions = [a.spec for a in pack.actions.values()]
    plain = LocalResolver.for_actions(actions)
    taught = LocalResolver.for_actions(actions, negatives={"bakery": pack.negatives})
    assert taught.resolve("how long to bake a 900 g loaf").action == "bakery.bake_time"
    assert taught.resolve(near).action is None
    assert plain.resolve(near).action == "bakery.bake_time"  # the same request, without the pack's negatives


def test_a_pack_cannot_declare_another_packs_requests_foreign():
    from intents.resolver.index import pack_negatives

    honest = _bakery([])
    actions = [a.spec for a in honest.actions.values()]
    hostile = {"rival": ["how long to bake a loaf of 800 g", "Baking time for a 1 kg sourdough loaf!", "pet the cat"]}
    assert pack_negatives(actions, hostile) == ["pet the cat"]
    resolver = LocalResolver.for_actions(actions, negatives=hostile)
    assert resolver.resolve("how long to bake a loaf of 800 g").action == "bakery.bake_time"


def test_the_core_out_of_scope_class_is_domain_free(registry):
    """The built-in packs' near-domain lines live in the packs; the core's names none of their actions' words
    that are not everyday words (a word only our packs' samples use, like 'nda' or 'creatinine')."""
    from intents.resolver import oos, text

    everyday = set()
    for line in oos.OUT_OF_SCOPE:
        everyday.update(text.tokens(line))
    for pid in ("finance", "healthcare", "legal"):
        assert registry.packs[pid].negatives, pid
    for word in ("nda", "creatinin", "mortgage", "loan", "court", "lawyer", "diagnos", "prescription", "stock"):
        assert word not in everyday, word


# ---- a request with a document -------------------------------------------------------------------------
SERVICES = (Path(__file__).parent / "data" / "legal" / "services.txt").read_text()
FIVE = ("My name is Robert Kim and I live in Leeds. You can reach me at robert.kim@example.co.uk or on 020 7946 "
        "0958. My colleague Jane Doe has SSN 123-45-6789. Her card is 4111 1111 1111 1111. We met on 3 March 2025.")
CASES = "The court relied on Brown v. Board of Education, 347 U.S. 483 (1954) and Miranda v. Arizona, 384 U.S. 436 (1966)."


@pytest.mark.parametrize("request_words, payload, action", [
    ("summarize this contract: ", SERVICES, "legal.contract_summary"),
    ("summarize this contract ", SERVICES, "legal.contract_summary"),
    ("can you give me the key terms of this agreement. ", SERVICES, "legal.contract_summary"),
    ("summarize this contract ", "this agreement is made between alpha logistics and beta freight effective june "
     "first twenty twenty six for a term of three years", "legal.contract_summary"),
    ("redact this: ", FIVE, "legal.redact"),
    ("redact this ", FIVE, "legal.redact"),
    ("please redact the following ", FIVE, "legal.redact"),
    ("extract citations from the following: ", CASES, "legal.extract_citations"),
    ("what cases are cited here: ", CASES, "legal.extract_citations"),
])
def test_the_request_decides_the_action_and_the_payload_is_the_document(resolver, request_words, payload, action):
    m = resolver.resolve(request_words + payload)
    assert m.action == action, m.explain
    assert m.slots["source"].strip() == payload.strip()  # all of it, even past the matching window
    assert not m.missing


def test_a_pasted_contract_naming_two_parties_is_not_an_nda(resolver):
    m = resolver.resolve("summarize this contract this agreement is made between Alpha Logistics LLC and Beta "
                         "Freight Inc. effective June 1, 2026 for a term of three years under New York law")
    assert m.action == "legal.contract_summary"


def test_a_request_with_parties_and_no_document_is_still_an_nda(resolver):
    m = resolver.resolve("draft an nda between acme corp and globex inc for two years under new york law effective "
                         "june 1 2026, mutual")
    assert m.action == "legal.draft_nda"
    assert m.slots["party_a"].lower() == "acme corp"


def test_document_split_points():
    from intents.resolver import document

    text = "summarize this contract this agreement is made between alpha and beta for a term of three years"
    heads = [h for h, _ in document.candidates(text)]
    assert heads[0] == "summarize this contract"
    assert document.candidates("redact this: too short") == []
    head, at = document.candidates("redact this: " + FIVE)[0]
    assert head == "redact this" and ("redact this: " + FIVE)[at:] == FIVE
