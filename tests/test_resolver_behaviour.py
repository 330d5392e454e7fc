"""Resolver behaviour: tiers, out-of-scope refusal, alternatives, confidence, the cached index, the CLI."""
from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    from intents.registry import Registry
    from intents.resolver import local_resolver

    return local_resolver(Registry.load(tmp_path_factory.mktemp("home")))


@pytest.mark.parametrize("text", [
    "buy 10 shares of Apple", "diagnose my chest pain", "file a lawsuit", "sell my bitcoin",
    "book a flight to Paris", "what's the weather tomorrow", "prescribe antibiotics for my cough",
    "sue my landlord", "", "   ", "12345", "asdf qwer",
])
def test_out_of_scope_is_refused(resolver, text):
    m = resolver.resolve(text)
    assert m.action is None
    assert m.confidence < 0.5
    assert m.slots == {} and m.missing == []


def test_template_tier_is_exact(resolver):
    m = resolver.resolve("monthly payment on a 300k loan at 6.5% over 30 years")
    assert m.explain["tier"] == "template"
    assert m.confidence >= 0.95


def test_statistical_tier_generalises_to_paraphrase_and_typos(resolver):
    m = resolver.resolve("what would I pay monthly if I borow 250 thousand for twenty years at 5.5 percent")
    assert m.action == "finance.loan_payment"
    assert m.explain["tier"] == "statistical"
    assert m.slots == {"principal": 250000, "rate_pct": 5.5, "years": 20}


def test_close_actions_are_offered_as_alternatives(resolver):
    m = resolver.resolve("80 kg 180 cm")  # BMI and BSA take the same values
    assert {m.action, *(a.action for a in m.alternatives)} >= {"healthcare.bmi", "healthcare.bsa"}
    assert all(0 <= a.confidence <= 1 for a in m.alternatives)
    assert m.confidence < 0.75  # unsure: below the LLM tier's default threshold, so it is not a guess


def test_confidence_is_calibrated_between_0_and_1(resolver):
    sure = resolver.resolve("amortization schedule for a 300k loan at 6.5% over 30 years")
    vague = resolver.resolve("schedule")
    assert 0 <= vague.confidence <= 1 and 0 <= sure.confidence <= 1
    assert sure.confidence > 0.9
    assert vague.action is None or vague.confidence < sure.confidence


def test_explain_has_tier_entities_and_reasons(resolver):
    m = resolver.resolve("bmi 180 lbs 5'10\"")
    info = m.explain
    assert info["tier"] in ("template", "statistical")
    assert [e["kind"] for e in info["entities"]] == ["weight", "height"]
    assert info["entities"][0]["unit"] == "lb" and info["entities"][0]["span"] == [4, 11]
    assert set(info["slots"]) == {"weight_kg", "height_cm"}


def test_match_json_is_the_catalog_shape(resolver):
    data = resolver.resolve("convert 500 euros to dollars").to_json()
    assert set(data) >= {"text", "action", "slots", "confidence", "missing", "alternatives", "source"}
    assert "explain" not in data
    json.dumps(data)


def test_index_is_cached_and_rebuilt_when_packs_change(tmp_path):
    from intents.registry import Registry
    from intents.resolver import local_resolver

    reg = Registry.load(tmp_path)
    r1 = local_resolver(reg)
    cached = list((tmp_path / "cache").glob("resolver-*.json"))
    assert len(cached) == 1
    assert r1.resolve("draft an nda between Acme and Beta").action == "legal.draft_nda"
    reg.set_installed("legal", False)
    r2 = local_resolver(reg)
    after = list((tmp_path / "cache").glob("resolver-*.json"))
    assert len(after) == 1 and after != cached
    assert r2.resolve("draft an nda between Acme and Beta").action != "legal.draft_nda"
    reg.set_installed("legal", True)
    assert local_resolver(reg).resolve("draft an nda between Acme and Beta").action == "legal.draft_nda"


def test_a_corrupt_cache_is_rebuilt(tmp_path):
    from intents.registry import Registry
    from intents.resolver import local_resolver

    reg = Registry.load(tmp_path)
    local_resolver(reg)
    for f in (tmp_path / "cache").glob("resolver-*.json"):
        f.write_text("{not json")
    assert local_resolver(reg).resolve("list packs").action == "system.packs"


def test_broken_templates_never_break_resolving():
    from intents.resolver.local import LocalResolver
    from intents.sdk import ActionSpec, SlotSpec

    spec = ActionSpec(id="demo.double", pack="demo", title="Double a number",
                      slots=[SlotSpec(name="x", kind="number", type="number")],
                      samples=["double 21", "twice 4", "multiply 8 by two"], templates=["(double|twice {x}", "double {x}"])
    r = LocalResolver.for_actions([spec])
    m = r.resolve("double 21")
    assert m.action == "demo.double" and m.slots == {"x": 21}


def test_cli_explain_and_exit_codes(cli):
    ok = cli("resolve", "--local", "--explain", "monthly payment on a 300k loan at 6.5% over 30 years")
    assert ok.code == 0
    assert "tier:" in ok.out and "money" in ok.out and "principal:" in ok.out
    refused = cli("resolve", "--local", "--json", "buy 10 shares of Apple")
    assert refused.code == 3 and refused.json["action"] is None
    lines = cli("resolve", "--local", "--jsonl", input="list packs\nconvert 5 usd to eur\n")
    assert [json.loads(x)["action"] for x in lines.out.splitlines()] == ["system.packs", "finance.convert_currency"]


@pytest.mark.parametrize("text", ["what packs are installed", "packs are installed",
                                  "show me what packs i have installed", "which packs are installed"])
def test_asking_what_is_installed_lists_packs(resolver, text):
    # "installed" and "install" share a stem; the action that needs nothing more wins a near tie
    # against one whose required pack nobody named
    assert resolver.resolve(text).action == "system.packs"


@pytest.mark.parametrize("text,action", [("install pack", "system.install_pack"),
                                         ("install a pack", "system.install_pack"),
                                         ("remove the pack", "system.remove_pack")])
def test_a_pack_verb_without_a_name_asks_for_the_pack(resolver, text, action):
    m = resolver.resolve(text)
    assert m.action == action
    assert "pack" not in m.slots and m.missing == ["pack"]


@pytest.mark.parametrize("text, action", [
    ("monthly paymnet on a 200k mortage at 5% for 15 years", "finance.loan_payment"),  # a synonym's typo
    ("hlep", "system.help"),  # a swapped pair in a short word
    ("recent histroy", "system.history"),
])
def test_typos_of_known_spellings_are_repaired(resolver, text, action):
    m = resolver.resolve(text)
    assert m.action == action, m.explain
    assert m.explain.get("typo_repairs")


@pytest.mark.parametrize("text, action, start", [
    ("summarize the following contract This Agreement is made between Vance Ltd and Grant LLC, effective May 2 2026",
     "legal.contract_summary", "This Agreement"),  # the pasted parties do not make it an NDA
    ("redact the following text call Jane Roe on 555-201-3344 about her account", "legal.redact", "call Jane"),
    ("list the citations in this text See Roe v. Wade, 410 U.S. 113 (1973) and Brown v. Board, 347 U.S. 483",
     "legal.extract_citations", "See Roe"),
])
def test_text_pasted_after_the_request_is_the_source(resolver, text, action, start):
    m = resolver.resolve(text)
    assert m.action == action, m.explain
    assert str(m.slots.get("source", "")).startswith(start)
