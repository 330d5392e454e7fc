"""The resolver index cache: compact, checked, never trusted for more than an index.

The cache under INTENT_HOME/cache is a file the user can write. Whatever it holds, resolving gives the
answers a fresh build gives or rebuilds; nothing in it is executed, and no value read from it makes a
score that is not finite.
"""
from __future__ import annotations

import json
import math

import pytest

from intents.resolver import index as index_mod
from intents.resolver.local import LocalResolver
from intents.sdk import ActionSpec, SlotSpec

TEXTS = ["double 21", "convert 30 kg to pounds please", "what is the weather", "twice 8", "halve 10"]


def _actions():
    return [
        ActionSpec(id="demo.double", pack="demo", title="Double a number",
                   slots=[SlotSpec(name="x", kind="number", type="number")],
                   samples=["double 21", "twice 4", "multiply 8 by two"], templates=["double {x}"]),
        ActionSpec(id="demo.halve", pack="demo", title="Halve a number",
                   slots=[SlotSpec(name="x", kind="number", type="number")],
                   samples=["halve 10", "half of 8", "divide 6 by two"], templates=["halve {x}"]),
        ActionSpec(id="demo.weigh", pack="demo", title="Convert a weight",
                   slots=[SlotSpec(name="kg", kind="weight", type="number")],
                   samples=["convert 30 kg to pounds", "how many pounds is 12 kg"]),
    ]


def _answers(resolver):
    return [(m.action, m.confidence, m.slots) for m in map(resolver.resolve, TEXTS)]


def _files(home):
    (js,) = (home / "cache").glob("resolver-*.json")
    return js, js.with_suffix(".bin")


@pytest.fixture()
def built(tmp_path):
    r = LocalResolver.for_actions(_actions(), home=tmp_path, key="t")
    return tmp_path, _answers(r)


def test_the_cache_is_json_and_integer_arrays_and_loads_to_the_same_answers(built):
    home, fresh = built
    js, blob = _files(home)
    head = json.loads(js.read_text())
    assert head["format"] == index_mod.INDEX_VERSION and bytes.fromhex(head["arrays_tag"]) == blob.read_bytes()[:16]
    assert _answers(LocalResolver.for_actions(_actions(), home=home, key="t")) == fresh


def _tamper_json(home, change):
    js, _ = _files(home)
    head = json.loads(js.read_text())
    change(head)
    js.write_text(json.dumps(head))


@pytest.mark.parametrize("change", [
    lambda h: h.update(stamp="someone-else"),  # another catalog's index
    lambda h: h.update(ids=["demo.double", "x.y", "z.w", "_oos"]),
    lambda h: h.update(arrays_tag="00" * 16),  # a JSON file with arrays not its own
    lambda h: h["arrays"].update(docs=[16, 10 ** 9]),  # an array past the end of the file
    lambda h: h["arrays"].update(docs="nonsense"),
    lambda h: h.update(features=[1, 2, 3]),
    lambda h: h.update(vocab=None),
    lambda h: h.update(templates={"a": 1}),
], ids=["stamp", "ids", "tag", "array-range", "array-type", "features", "vocab", "templates"])
def test_a_malformed_or_foreign_cache_is_rebuilt(built, change):
    home, fresh = built
    _tamper_json(home, change)
    assert _answers(LocalResolver.for_actions(_actions(), home=home, key="t")) == fresh
    head = json.loads(_files(home)[0].read_text())  # and the rebuilt one is well formed again
    assert head["stamp"] != "someone-else" and isinstance(head["features"], list)


def test_nan_and_infinity_in_the_json_are_refused(built):
    home, fresh = built
    js, _ = _files(home)
    js.write_text(js.read_text().replace('"format":', '"x":NaN,"y":-Infinity,"format":', 1))
    assert index_mod.loads(js.read_text(), _files(home)[1].read_bytes(), "any", []) is None
    assert _answers(LocalResolver.for_actions(_actions(), home=home, key="t")) == fresh


def test_a_truncated_arrays_file_is_rebuilt(built):
    home, fresh = built
    _, blob = _files(home)
    blob.write_bytes(blob.read_bytes()[:-5])
    assert _answers(LocalResolver.for_actions(_actions(), home=home, key="t")) == fresh


def test_every_value_the_arrays_can_hold_resolves_to_finite_scores(built):
    """Arrays overwritten with the largest integers (the JSON kept, so the file is read): document numbers
    past the end are dropped, weights and idf stay finite, and every answer is a well-formed match."""
    home, _ = built
    js, blob = _files(home)
    data = bytearray(blob.read_bytes())
    head = json.loads(js.read_text())
    for name in ("docs", "weights", "idf", "bag_words", "starts"):
        at, n = head["arrays"][name]
        data[at:at + 4 * n] = b"\xff" * (4 * n)
    blob.write_bytes(bytes(data))
    r = LocalResolver.for_actions(_actions(), home=home, key="t")
    for text in TEXTS + ["multiply 8 by two", "how many pounds is 12 kg"]:
        m = r.resolve(text)
        assert math.isfinite(m.confidence) and 0.0 <= m.confidence <= 1.0
        assert m.action is None or m.action in {a.id for a in _actions()}
        assert all(math.isfinite(a.confidence) for a in m.alternatives)


def test_candidate_scoring_gives_what_scoring_everything_gives(monkeypatch):
    """With every feature counted common (so the candidate path and its fall-back both run on a small
    catalog), resolving gives exactly what the full scoring gives."""
    from intents.resolver import classifier

    actions = _actions()
    texts = TEXTS + ["multiply 8 by two", "divide 6 by two", "how many pounds is 12 kg", "double or halve 4"]
    full = [LocalResolver.for_actions(actions).resolve(t).to_json(explain=True) for t in texts]
    monkeypatch.setattr(classifier, "COMMON", 1)
    pruned = [LocalResolver.for_actions(actions).resolve(t).to_json(explain=True) for t in texts]
    for a, b in zip(full, pruned):
        a["explain"].pop("ms")
        b["explain"].pop("ms")
    assert pruned == full


def test_the_cache_is_never_unpickled_or_executed():
    import inspect

    source = inspect.getsource(index_mod)
    assert "pickle" not in source.replace("no pickle", "") and "marshal" not in source and "eval(" not in source
