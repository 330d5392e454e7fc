"""Issue 20: a pack imported to run one of its actions (Registry.live_pack, from a cache discovery wrote)
has the declarations only its spec carries (renders, value kinds) checked when its spec is built; a bad one
still fails at Pack.spec(), where discovery, `intent packs check` and probes look, with the same error as
at declaration. Everything else is checked where the declaration enters, in both modes."""
from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from intents.sdk import Pack, Render, Result, Slot, spec_checks_at_build


def _declare(render=None, kind_fields=None, pack_id="later"):
    pack = Pack(id=pack_id, name="Later", version="1.0.0", description="d", vertical="demo")
    if kind_fields is not None:
        pack.kind("hull_code", base="text", **kind_fields)

    class Out(Result):
        value: float

    @pack.action(samples=["do it"], render=render)
    def thing(x: float = Slot("A number", kind="number")) -> Out:
        """A thing."""
        return Out(value=x)

    return pack


BAD_RENDERS = [{"kind": "hologram"}, Render(kind="hologram"), Render(headline_format="roman")]
BAD_KINDS = [{"pattern": "([unclosed"}, {"extract": ["(?P<value>x"]}, {"minimum": "low"}, {"units": "m"}]


@pytest.mark.parametrize("render", BAD_RENDERS)
def test_a_bad_render_fails_at_declaration_and_when_deferred_at_spec(render):
    with pytest.raises(ValidationError) as at_once:
        _declare(render=render)
    with spec_checks_at_build():
        pack = _declare(render=render)  # imported to run: not checked yet
    with pytest.raises(ValidationError) as later:
        pack.spec()
    assert str(later.value) == str(at_once.value)
    with pytest.raises(ValidationError):
        pack.actions["later.thing"].spec  # the spec itself is never built from an unchecked render


@pytest.mark.parametrize("fields", BAD_KINDS)
def test_a_bad_kind_fails_at_declaration_and_when_deferred_at_spec(fields):
    with pytest.raises(Exception) as at_once:
        _declare(kind_fields=fields)
    with spec_checks_at_build():
        pack = _declare(kind_fields=fields)
    with pytest.raises(type(at_once.value)) as later:
        pack.spec()
    assert str(later.value) == str(at_once.value)


def test_cheap_checks_stay_at_declaration_when_deferred():
    with spec_checks_at_build():
        with pytest.raises(ValidationError):
            Pack(id="x", name="X", version="1", sensitive="PHI-not-a-list")  # the manifest: the gate reads it
        pack = Pack(id="x", name="X", version="1")
        with pytest.raises(ValueError):
            pack.kind("number")  # a core kind's name
        with pytest.raises(TypeError):
            @pack.action()
            def nothing(a: int = Slot("a")):
                """No result model."""


def test_a_good_pack_gives_the_same_spec_either_way():
    fields = {"pattern": r"\b(?P<value>HC-\d{3})\b", "normalise": "upper", "units": {"hc": 1}}
    render = Render(kind="headline", headline="value", headline_format="number")
    at_once = _declare(render=render, kind_fields=fields).spec()
    with spec_checks_at_build():
        later = _declare(render=render, kind_fields=fields)
    assert later.actions["later.thing"].declared("feature") is None
    assert later.spec() == at_once
    assert later.kinds["hull_code"] == at_once.kinds[0]  # the checked kind replaces the unchecked one


def test_an_unknown_kind_field_is_left_out_either_way():
    """pydantic ignores a field KindSpec does not have; the unchecked kind a run keeps does too, so a pack
    that discovery accepted never fails to import for a run."""
    fields = {"pattern": r"\bHC-\d{3}\b", "colour": "blue"}
    at_once = _declare(kind_fields=fields).spec()
    with spec_checks_at_build():
        later = _declare(kind_fields=fields)
    assert not hasattr(later.kinds["hull_code"], "colour")
    assert later.spec() == at_once


def test_the_switch_is_per_thread_and_restored():
    import threading

    from intents import sdk

    seen = []
    with spec_checks_at_build():
        worker = threading.Thread(target=lambda: seen.append(sdk._checks_at_build()))
        worker.start()
        worker.join()
        assert sdk._checks_at_build()
    assert seen == [False] and not sdk._checks_at_build()


def test_a_run_builds_no_render_or_kind_validator(unlocked):
    """`intent do` of a healthcare action (a pack with value kinds) builds neither the Render nor the
    KindSpec validator; a resolve-free run reads neither (issue 20)."""
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "rc = main(['do', 'healthcare.bmi', 'weight_kg=70', 'height_cm=175', '--json'])\n"
        "from intents import sdk\n"
        "info = sdk._adapter.cache_info()\n"
        "print(f'RC:{rc} ADAPTERS:{info.currsize}', file=sys.stderr)\n"
    )
    subprocess.run([sys.executable, "-m", "terminal.cli", "resolve", "--json", "warm the cache"], capture_output=True)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert '"bmi"' in proc.stdout, proc.stdout + proc.stderr
    # the manifest's and the negatives' adapters only: no Render, no KindSpec
    assert proc.stderr.strip().splitlines()[-1] == "RC:0 ADAPTERS:2", proc.stderr
