"""Issue 14: value kinds are an SDK registry, and the resolver core names no built-in pack's words.

Third-party packs under tests/data/thirdparty are written on the public SDK only, as the README
documents; their labelled requests were written for them, not taken from the packs' samples."""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

from intents.kinds import CORE_KINDS
from intents.pack_check import check_language, check_samples
from intents.resolver.local import LocalResolver
from intents.sdk import Pack, Result, Slot

ROOT = Path(__file__).resolve().parent.parent
THIRDPARTY = ROOT / "tests" / "data" / "thirdparty"
sys.path.insert(0, str(ROOT / "bench"))
from resolver import load_pack, same, thirdparty_figures, thirdparty_resolver  # noqa: E402


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    from intents.registry import Registry

    return Registry.load(tmp_path_factory.mktemp("kinds-home"))


@pytest.fixture(scope="module")
def physics(registry):
    return thirdparty_resolver(registry, load_pack(THIRDPARTY / "physics_pack"))


@pytest.fixture(scope="module")
def ustax(registry):
    return thirdparty_resolver(registry, load_pack(THIRDPARTY / "ustax_pack"))


def test_third_party_packs_meet_the_issue_targets(registry):
    figures, misses = thirdparty_figures(registry)
    assert figures["physics_slot_fill"] >= 0.9, misses
    right, total = map(int, figures["ustax_right"].split()[0].split("/"))
    assert right >= 23, misses


@pytest.mark.parametrize("text, slots", [
    ("how long to go 4 metres at 8 m/s", {"distance": 0.004, "speed": 28.8}),  # not a height, not 8 million
    ("travel time for 10 miles at 20 mph", {"distance": 16.0934, "speed": 32.1869}),
    ("how long to travel 3 km at 2 knots", {"distance": 3, "speed": 3.704}),
])
def test_quantities_are_converted_to_the_slots_unit(physics, text, slots):
    m = physics.resolve(text)
    assert m.action == "physics.travel_time"
    assert all(same(v, m.slots.get(k)) for k, v in slots.items()), m.slots


def test_a_dimension_mismatch_is_refused_with_a_reason(physics):
    m = physics.resolve("kinetic energy of a 5 kg ball at 8 kg")
    assert m.slots.get("mass") == 5 and "speed" not in m.slots
    assert "a mass" in m.explain["slots"]["speed"] and "speed" in m.explain["slots"]["speed"]


def test_integers_keep_their_whole_range_and_9k_miles_is_not_money(ustax):
    m = ustax.resolve("mileage deduction for 12000 miles in 2024")
    assert m.slots == {"miles": 12000, "year": 2024}
    assert ustax.resolve("i drove 9k miles for business in 2023").slots == {"miles": 9000, "year": 2023}


def test_choices_take_synonyms(ustax):
    assert ustax.resolve("standard deduction married filing jointly").slots["filing_status"] == "married_joint"
    assert ustax.resolve("standard deduction for head of household").slots["filing_status"] == "head_of_household"


def test_a_form_code_is_not_a_number(ustax):
    m = ustax.resolve("1040-ES quarterly payment on 85000 income")
    assert m.slots == {"income": 85000}
    assert not any(e["kind"] == "number" and e["text"].startswith("1040") for e in m.explain["entities"])


def test_every_slot_left_empty_has_a_reason(ustax, physics):
    for resolver, text in ((ustax, "standard deduction please"), (physics, "kinetic energy of a truck"),
                           (ustax, "IRS rate deduction for 12000 miles")):
        m = resolver.resolve(text)
        spec = resolver.actions[m.action]
        for slot in spec.slots:
            assert slot.name in m.slots or m.explain["slots"].get(slot.name), (text, slot.name)


def test_description_words_are_not_cue_words():
    """'IRS rate' in a request used to make 12000 the tax year, because 'rate' was in its description."""
    pack = Pack(id="cuetest", name="Cue test", version="1.0.0", description="d", publisher="p")

    class Out(Result):
        value: float

    @pack.action(samples=["deduction for 500 miles", "miles deduction 800"])
    def deduction(miles: int = Slot("Miles", kind="integer", cues=["miles"]),
                  year: int = Slot("Tax year at the IRS rate", default=2024, kind="integer", ge=2020, le=2030)) -> Out:
        """A deduction."""
        return Out(value=miles)

    m = LocalResolver.for_packs([pack]).resolve("miles deduction at the IRS rate 12000")
    assert m.slots.get("miles") == 12000 and "year" not in m.slots


def _pack_with(kind: str, template: str = "double {x}") -> Pack:
    pack = Pack(id="badpack", name="Bad", version="1.0.0", description="d", publisher="p")

    class Out(Result):
        value: float

    @pack.action(samples=["double 21", "twice 4"], templates=[template])
    def double(x: float = Slot("The number", kind=kind)) -> Out:
        """Double it."""
        return Out(value=2 * x)

    return pack


def test_packs_check_rejects_an_unknown_kind_naming_the_closest():
    problems = check_language(_pack_with("quantiti").spec())
    assert any("unknown kind 'quantiti'" in p and "'quantity'" in p for p in problems), problems
    assert any("unknown kind 'banana'" in p for p in check_language(_pack_with("banana").spec()))
    assert check_language(_pack_with("number").spec()) == []


def test_packs_check_rejects_a_template_slot_that_is_no_parameter():
    problems = check_language(_pack_with("number", "double {y}").spec())
    assert any("'{y}'" in p and "not a parameter" in p for p in problems), problems


def test_packs_check_rejects_a_sample_that_resolves_to_another_action(registry):
    pack = Pack(id="clash", name="Clash", version="1.0.0", description="d", publisher="p")

    class Out(Result):
        value: float

    @pack.action(samples=["monthly payment on a 300k loan at 6.5% over 30 years", "weather in paris tomorrow"])
    def weather(city: str = Slot("City", kind="text", default="")) -> Out:
        """Weather."""
        return Out(value=1)

    problems = check_samples(pack.spec(), registry.actions(), registry.kinds())
    assert any("resolves to finance.loan_payment" in p for p in problems), problems


def test_a_pack_kind_is_validated_where_it_is_declared():
    pack = Pack(id="kindpack", name="K", version="1.0.0", description="d", publisher="p")
    with pytest.raises(ValueError):
        pack.kind("number")  # a core kind's name
    with pytest.raises(ValueError):
        pack.kind("speedy", base="nonsense")
    with pytest.raises(Exception):
        pack.kind("code", base="text", pattern="([unclosed")
    spec = pack.kind("hull_code", base="text", pattern=r"\bHC-\d{3}\b", description="a hull code")
    assert spec.pack == "kindpack" and pack.spec().kinds == [spec]


def test_a_pack_kind_recognises_its_values():
    pack = Pack(id="ships", name="Ships", version="1.0.0", description="d", publisher="p")
    pack.kind("hull_code", base="text", pattern=r"\b(?P<value>HC-\d{3})\b", normalise="upper")

    class Out(Result):
        value: str

    @pack.action(samples=["inspect hull HC-101", "hull inspection for HC-220"])
    def inspect(code: str = Slot("Hull code", kind="hull_code")) -> Out:
        """Inspect a hull."""
        return Out(value=code)

    assert LocalResolver.for_packs([pack]).resolve("please inspect hull HC-042").slots == {"code": "HC-042"}


def test_every_core_kind_is_documented():
    for kind in CORE_KINDS.values():
        assert kind.description and kind.examples, kind.name


# ---- the core names no built-in pack's words ---------------------------------------------------------
DOMAIN_WORDS = {"loan", "mortgage", "npv", "irr", "principal", "creatinine", "egfr", "qtc", "qt", "bpm", "icd",
                "icd10", "nda", "jurisdiction", "analyte", "glucose", "court", "calendar", "citation", "redact",
                "mutual", "disclose", "discloses", "disclosing", "california", "delaware", "frcp", "bazett",
                "fridericia", "lab", "dose", "diagnosis", "contribution"}
# issue 14 items 2 and 4 (developer refusal): the out-of-scope examples move into the packs, and the
# pasted-document split is rewritten; until then these two are the only places allowed
ALLOWED = {("oos.py", "*"), ("slots.py", "TEXT_FOLLOWS"), ("local.py", "_GENERIC")}


def _code_words(path: Path) -> list[tuple[str, str, str]]:
    """(enclosing top-level name, word, where) of identifiers and strings in code, not docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    out = []
    for top in tree.body:
        owner = getattr(top, "name", None) or next((t.id for t in getattr(top, "targets", []) if isinstance(t, ast.Name)), "")
        if isinstance(top, ast.AnnAssign) and isinstance(top.target, ast.Name):
            owner = top.target.id
        for n in ast.walk(top):
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings:
                text = n.value
            elif isinstance(n, ast.Name):
                text = n.id
            elif isinstance(n, ast.Attribute):
                text = n.attr
            else:
                continue
            for w in re.findall(r"[a-z0-9]+", text.lower().replace("_", " ")):
                out.append((owner, w, f"{path.name}:{getattr(n, 'lineno', '?')}"))
    return out


def test_the_resolver_core_names_no_built_in_action_slot_or_domain_word(registry):
    builtin = [a for a in registry.actions() if a.pack != "system"]
    words = set(DOMAIN_WORDS) | {a.id.split(".", 1)[1] for a in builtin}
    words |= {s.name for a in builtin for s in a.slots if "_" in s.name}
    from intents.resolver.dates import MONTHS

    words = {w for w in words if "_" not in w and w not in MONTHS} | {w for w in words if "_" in w}  # "apr" is April too
    found = []
    for path in sorted((ROOT / "intents" / "resolver").glob("*.py")):
        src = path.read_text().lower()
        for name in (w for w in words if "_" in w):  # slot names like monthly_contribution, as written
            if re.search(rf"\b{re.escape(name)}\b", src):
                found.append(f"{path.name}: {name}")
        for owner, w, where in _code_words(path):
            if w in words and (path.name, "*") not in ALLOWED and (path.name, owner) not in ALLOWED:
                found.append(f"{where} ({owner}): {w}")
    assert not found, "\n".join(sorted(set(found)))


# ---- one template syntax tree ------------------------------------------------------------------------
def test_the_matcher_accepts_every_sentence_the_index_and_the_voice_grammar_draw_from_a_template(registry):
    import random

    from intents.resolver import template_tree
    from intents.resolver.index import expand_template
    from intents.resolver.templates import Templates, compile_template
    from terminal.voice.grammar import _Expander

    assert template_tree.slots(template_tree.parse("[the] (a|b {x}) {y}")) == ["x", "y"]
    with pytest.raises(template_tree.TemplateError):
        template_tree.parse("broken (x")
    from intents.resolver.lexicon import Lexicon

    vocab, syn = registry.vocabulary()
    lex = Lexicon.build(registry.actions(), registry.kinds(), vocab, syn)
    checked = 0
    for spec in registry.actions():
        kinds = {s.name: s.kind for s in spec.slots}
        for tpl in spec.templates:
            src = compile_template(tpl, kinds, lex)
            assert src is not None, tpl
            matcher = Templates([(spec.id, src)])
            for sentence in expand_template(tpl, kinds, lexicon=lex):
                assert matcher.match(sentence) is not None, (tpl, sentence)
                checked += 1
            spoken = _Expander(spec, ["finance"], random.Random(3), ["words"]).expand(tpl)
            assert spoken and "{" not in spoken and "[" not in spoken, (tpl, spoken)
    assert checked > 50
