"""The recogniser's model is generated from the installed packs, only with words it can pronounce,
cached under INTENT_HOME and rebuilt when the packs change."""
from __future__ import annotations

import pytest

pytest.importorskip("pocketsphinx", reason="the voice extra (pocketsphinx) is not installed")

from intents.sdk import ActionSpec, SlotSpec  # noqa: E402
from terminal.voice import grammar  # noqa: E402
from terminal.voice.spoken import normalize  # noqa: E402


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    from intents.registry import Registry

    return Registry.load(tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="module")
def model(registry):
    return grammar.for_registry(registry)


def test_every_word_of_the_model_has_a_pronunciation(model):
    unigrams = set()
    section = None
    for line in model.arpa.splitlines():
        if line.startswith("\\"):
            section = line
            continue
        if section == "\\1-grams:" and line.strip():
            unigrams.add(line.split()[1])
    unigrams -= {"<s>", "</s>"}
    assert unigrams and unigrams <= set(model.lexicon)
    assert all(model.lexicon[w].split() for w in unigrams)


def test_vocabulary_comes_from_every_installed_pack(model):
    vocab = set(model.lexicon)
    for word in ("payment", "amortization", "install", "glucose", "deadline", "citations", "history",
                 "percent", "thousand", "hundred", "march", "euros", "legal", "healthcare"):
        assert word in vocab, word


def test_acronyms_the_dictionary_lacks_are_spelled(model):
    assert "egfr" not in grammar.dictionary()
    assert model.added["egfr"] == "IY JH IY EH F AA R"
    assert model.added["bmi"] == "B IY EH M AY"


def test_unknown_words_are_pieced_spelled_or_dropped_never_a_crash():
    spec = ActionSpec(
        id="demo.odd", pack="demo", title="Odd words",
        samples=["zorbify the initech quux for 3 days", "frobnicate 12 $$$ ~~~ \u00e9t\u00e9 42%"],
        templates=["(zorbify|frobnicate) {thing} for {n} [days", "unbalanced ) ] |"],
        slots=[SlotSpec(name="thing", kind="text"), SlotSpec(name="n", kind="integer")],
    )
    model = grammar.build([spec], ["demo"], key="t")
    lex = grammar.dictionary()
    for word, phones in model.lexicon.items():
        assert phones.split(), word
        assert word in lex or word in model.added
    assert "initech" in model.added and "zorbify" in model.added  # pieced from dictionary words and letters
    assert "~~~" not in model.lexicon and "$$$" not in model.lexicon


def test_the_model_is_cached_and_rebuilt_when_packs_change(tmp_path):
    from intents.registry import Registry

    reg = Registry.load(tmp_path)
    first = grammar.for_registry(reg)
    cache = grammar.cache_dir(tmp_path) / "model.json"
    stamp = cache.stat().st_mtime_ns
    assert grammar.for_registry(Registry.load(tmp_path)).key == first.key
    assert cache.stat().st_mtime_ns == stamp  # read from the cache, not rebuilt
    assert "nda" in first.lexicon
    reg.set_installed("legal", False)
    second = grammar.for_registry(reg)
    assert second.key != first.key
    assert "nda" not in second.lexicon  # legal's words left with the pack


def test_arpa_model_is_a_proper_distribution():
    import math

    sentences = [["a", "b", "c"], ["a", "b", "d"], ["b", "c"]]
    text = grammar.arpa(sentences)
    probs = {}
    section = None
    for line in text.splitlines():
        if line.startswith("\\") or not line.strip() or line.startswith("ngram"):
            section = line if line.startswith("\\") else section
            continue
        parts = line.split()
        if section == "\\1-grams:":
            probs[parts[1]] = 10 ** float(parts[0]) if parts[0] != "-99" else 0.0
    assert sum(probs.values()) == pytest.approx(1.0, abs=1e-3)
    assert math.isclose(probs["<s>"], 0.0)


@pytest.mark.parametrize("n, words", [
    (0, "zero"), (7, "seven"), (15, "fifteen"), (40, "forty"), (99, "ninety nine"), (100, "one hundred"),
    (325_000, "three hundred twenty five thousand"), (1_000_000, "one million"),
    (1_200_305, "one million two hundred thousand three hundred five"), (-40, "minus forty"),
])
def test_say_int(n, words):
    assert grammar.say_int(n) == words


def test_say_number_ordinal_year():
    assert grammar.say_number("6.5") == "six point five"
    assert grammar.say_number("4.75") == "four point seven five"
    assert grammar.say_ordinal(3) == "third" and grammar.say_ordinal(21) == "twenty first"
    assert grammar.say_year(2026) == "twenty twenty six" and grammar.say_year(2005) == "two thousand five"


@pytest.mark.parametrize("heard, written", [
    ("monthly payment on a three hundred thousand dollar loan at six point five percent over thirty years",
     "monthly payment on a 300000 dollar loan at 6.5 percent over 30 years"),
    ("deadline thirty days after march third twenty twenty six", "deadline 30 days after march 3rd 2026"),
    ("answer due twenty one days after the fifth of june twenty twenty five",
     "answer due 21 days after the 5th of june 2025"),
    ("a one year loan", "a 1 year loan"),
    ("three hundred k at two percent", "300k at 2 percent"),
    ("npv of minus ten thousand and four thousand", "npv of -10000, 4000"),
    ("minus forty thousand five thousand eight thousand", "-40000, 5000, 8000"),
    ("one million two hundred thousand", "1200000"),
    ("loan for twenty five thousand nine percent", "loan for 25000 at 9 percent"),
    ("install the legal pack", "install the legal pack"),
    ("egfr creatinine one point one", "egfr creatinine 1.1"),
    ("e g f r for a man", "egfr for a man"),
    ("i c d ten code", "icd 10 code"),
    ("what plan am i on", "what plan am i on"),
])
def test_spoken_numbers_become_digits(heard, written):
    assert normalize(heard) == written


def test_sphinx_pauses_between_numbers_become_list_commas():
    from terminal.voice.engines import _with_pauses

    segs = [("<s>", 27), ("minus", 30), ("one", 25), ("hundred", 50), ("<sil>", 17), ("thirty", 30), ("<sil>", 6),
            ("nine", 30), ("<sil>", 24), ("fifty", 30), ("nine(2)", 30), ("[NOISE]", 5), ("</s>", 50)]
    text = _with_pauses(segs)
    assert text == "minus one hundred, thirty nine, fifty nine"
    assert normalize(text) == "-100, 39, 59"
    # a pause inside "six point five" or before a word is not a list separator
    assert _with_pauses([("six", 30), ("point", 20), ("<sil>", 13), ("five", 20), ("<sil>", 30),
                         ("percent", 40)]) == "six point five percent"


def test_misheard_words_are_repaired_towards_the_catalog_vocabulary(model):
    from terminal.voice.spoken import correct

    vocab = model.vocabulary
    assert "redact" in vocab
    assert correct("Renact exhibit.txt", vocab) == "redact exhibit.txt"
    # words the catalog knows, short words and far-off words (names, queries) are left as heard
    assert correct("show my plan", vocab) == "show my plan"
    assert correct("Draft an NDA between Zorblax and Quuxcorp", vocab) == "Draft an NDA between Zorblax and Quuxcorp"
    assert correct("anything at all", []) == "anything at all"
