"""The SDK builds an action's models and spec on first use (issue 20), and a declaration pydantic cannot
build is still refused where a pack is discovered or checked, with pydantic's own error."""
from __future__ import annotations

import sys

import pytest
from pydantic.errors import PydanticSchemaGenerationError

from intents.registry import Registry
from intents.sdk import Pack, Result, Slot
from tests.fakepacks import GOOD, write_pack

UNBUILDABLE = '''
from intents.sdk import Pack, Result, Slot

pack = Pack(id="demo_odd", name="Odd", version="0.1.0", description="A pack with an odd result", vertical="demo")

class Thing:  # neither a pydantic type nor one with a schema
    pass

class Odd(Result):
    thing: Thing | None = None

@pack.action(samples=["make an odd thing", "odd thing please"])
def odd(x: float = Slot("A number", kind="number")) -> Odd:
    """Return an odd thing."""
    return Odd()
'''


def _pack():
    pack = Pack(id="lazy", name="Lazy", version="1.0.0", description="d", vertical="demo")

    class One(Result):
        value: float

    class Two(Result):
        words: list[str]

    @pack.action(samples=["one"])
    def one(x: float = Slot("A number", kind="number", ge=0)) -> One:
        """One thing."""
        return One(value=x)

    @pack.action(samples=["two"])
    def two(n: int = Slot("How many", kind="integer", ge=1, le=5)) -> Two:
        """Two things."""
        return Two(words=["w"] * n)

    return pack


def test_declaring_builds_nothing_and_one_use_builds_one_action():
    pack = _pack()
    one, two = pack.actions["lazy.one"], pack.actions["lazy.two"]
    assert one._params_model is None and two._params_model is None and one._spec is None
    assert not one.result_model.__pydantic_complete__ and not two.result_model.__pydantic_complete__
    assert one.call(one.params_model.model_validate({"x": 2})).value == 2.0
    assert one.spec.required == ["x"] and one.spec.slot("x").minimum == 0
    assert one.params_model.__pydantic_complete__ and one.result_model.__pydantic_complete__
    assert two._params_model is None and two._spec is None and not two.result_model.__pydantic_complete__
    assert one.params_model is one.params_model  # created once: every caller validates with one class


def test_pack_spec_is_the_same_built_late():
    """The spec built on first use is the one the SDK built at declaration before (slots from one JSON
    schema, equal to params_schema's)."""
    pack = _pack()
    spec = pack.spec()
    two = next(a for a in spec.actions if a.id == "lazy.two")
    assert two.params_schema == pack.actions["lazy.two"].params_model.model_json_schema()
    assert [(s.name, s.type, s.kind, s.minimum, s.maximum, s.required) for s in two.slots] == [
        ("n", "integer", "integer", 1, 5, True)]
    assert two.result_fields == ["words"]
    assert all(a.result_model.__pydantic_complete__ for a in pack.actions.values())


def test_explicit_params_model_is_kept():
    from pydantic import BaseModel

    class Given(BaseModel):
        q: str

    pack = Pack(id="x", name="X", version="1", vertical="x")

    class Out(Result):
        q: str

    @pack.action(samples=["q"], params=Given)
    def echo(q: str) -> Out:
        """Echo."""
        return Out(q=q)

    action = pack.actions["x.echo"]
    assert action.params_model is Given and action.spec.required == ["q"]


def _odd_pack() -> Pack:
    """A pack whose one action returns a result model pydantic cannot build (declaring it is fine: the SDK
    builds models on first use)."""
    pack = Pack(id="x", name="X", version="1", vertical="x")

    class Thing:
        pass

    class Odd(Result):
        thing: Thing | None = None

    @pack.action(samples=["odd"])
    def odd(n: int = Slot("A number", kind="integer")) -> Odd:
        """Odd."""
        return Odd()

    return pack


def test_unbuildable_result_model_is_refused_by_pack_spec():
    pack = _odd_pack()
    with pytest.raises(PydanticSchemaGenerationError):
        pack.spec()


@pytest.fixture
def site(tmp_path, monkeypatch):
    path = tmp_path / "site"
    write_pack(path, "demo_good", GOOD.replace("{id}", "demo"))
    write_pack(path, "demo_odd", UNBUILDABLE)
    monkeypatch.syspath_prepend(str(path))
    yield path
    for name in ("demo_good", "demo_odd"):
        sys.modules.pop(name, None)


def test_registry_reports_an_unbuildable_pack_as_broken_and_keeps_the_others(home, site):
    reg = Registry.load(home)
    assert "demo_odd" in reg.broken
    assert "PydanticSchemaGenerationError" in reg.broken["demo_odd"].error
    assert "Thing" in reg.broken["demo_odd"].error
    assert "demo" in reg.packs and "finance" in reg.packs
    assert reg.spec("demo.double").required == ["x"]


def test_dispatch_reports_a_model_that_cannot_be_built_as_a_broken_pack():
    """Built first at a run (a pack that changed under a fresh cache): the pack is broken, exit 1, as when
    such a declaration failed at import; never a traceback, never the action's own failure."""
    from intents.dispatch import Dispatcher
    from intents.errors import PackBroken

    pack = _odd_pack()
    with pytest.raises(PackBroken) as err:
        Dispatcher._built(pack.actions["x.odd"])
    assert err.value.exit_code == 1 and "pack 'x' failed to load: PydanticSchemaGenerationError" in err.value.message
