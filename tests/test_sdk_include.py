"""`Pack.include`: a pack names the modules that declare its actions, and a run imports only the one that
declares the action it runs (issue 20); everything that reads `actions` sees every action, in order."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from intents.errors import PackBroken
from intents.registry import Registry

PKG = "demo_split"

INIT = '''
from intents.sdk import Pack

pack = Pack(id="split", name="Split", version="0.1.0", description="A pack in modules", vertical="demo")
pack.include(".first", "demo_split.second")
'''

FIRST = '''
from intents.sdk import Result, Slot
from demo_split import pack

class Doubled(Result):
    value: float

@pack.action(samples=["double the number 21", "twice 4"])
def double(x: float = Slot("The number to double", kind="number")) -> Doubled:
    """Double a number."""
    return Doubled(value=2 * x, basis="x * 2")

@pack.action(samples=["halve the number 8"])
def halve(x: float = Slot("The number to halve", kind="number")) -> Doubled:
    """Halve a number."""
    return Doubled(value=x / 2, basis="x / 2")
'''

SECOND = '''
from intents.sdk import Result, Slot
from demo_split import pack

class Tripled(Result):
    value: float

@pack.action(samples=["triple the number 3"])
def triple(x: float = Slot("The number to triple", kind="number")) -> Tripled:
    """Triple a number."""
    return Tripled(value=3 * x)
'''

# a module of the same site the pack does not name: a hint pointing at it must never import it
OTHER = '''
import os
open(os.environ["SPLIT_MARK"], "w").write("imported")
'''


def _forget():
    for name in list(sys.modules):
        if name == PKG or name.startswith(PKG + ".") or name == "demo_other":
            del sys.modules[name]


@pytest.fixture
def split_site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    pkg = site / PKG
    pkg.mkdir(parents=True)
    for name, source in (("__init__", INIT), ("first", FIRST), ("second", SECOND)):
        (pkg / f"{name}.py").write_text(textwrap.dedent(source))
    (site / "demo_other.py").write_text(textwrap.dedent(OTHER))
    dist = site / f"{PKG}-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {PKG}\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text(f"[intent_terminal.packs]\n{PKG} = {PKG}:pack\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("SPLIT_MARK", str(tmp_path / "mark"))
    _forget()
    yield site
    _forget()


def _pack():
    import importlib

    return importlib.import_module(PKG).pack


def test_importing_the_pack_imports_none_of_its_modules_and_actions_imports_all_in_order(split_site):
    pack = _pack()
    assert f"{PKG}.first" not in sys.modules and f"{PKG}.second" not in sys.modules
    assert dict(pack.loaded_actions) == {}
    assert list(pack.actions) == ["split.double", "split.halve", "split.triple"]
    assert f"{PKG}.first" in sys.modules and f"{PKG}.second" in sys.modules
    assert pack.action_modules() == {"split.double": f"{PKG}.first", "split.halve": f"{PKG}.first",
                                     "split.triple": f"{PKG}.second"}
    assert [a.id for a in pack.spec().actions] == ["split.double", "split.halve", "split.triple"]


def test_action_for_imports_only_the_hinted_module_and_the_order_stays_the_same(split_site):
    pack = _pack()
    assert pack.action_for("split.triple", f"{PKG}.second").id == "split.triple"
    assert f"{PKG}.second" in sys.modules and f"{PKG}.first" not in sys.modules
    assert list(pack.loaded_actions) == ["split.triple"]
    assert list(pack.actions) == ["split.double", "split.halve", "split.triple"]  # include order, not import order


def test_a_wrong_or_foreign_hint_imports_the_pack_s_own_modules_only(split_site, tmp_path):
    pack = _pack()
    assert pack.action_for("split.double", "demo_other").id == "split.double"  # not a module the pack names
    assert not (tmp_path / "mark").exists() and "demo_other" not in sys.modules
    _forget()
    pack = _pack()
    assert pack.action_for("split.double", f"{PKG}.second").id == "split.double"  # its own, but the wrong one
    assert f"{PKG}.first" in sys.modules
    assert pack.action_for("split.nothing", None) is None


def test_a_module_that_fails_to_import_fails_every_time_it_is_needed(split_site):
    (split_site / PKG / "second.py").write_text("raise RuntimeError('second is broken')\n")
    pack = _pack()
    assert pack.action_for("split.double", f"{PKG}.first").id == "split.double"
    for _ in range(2):
        with pytest.raises(RuntimeError, match="second is broken"):
            pack.actions  # noqa: B018


def test_a_run_imports_only_the_module_of_its_action_and_a_tampered_hint_grants_nothing(home, split_site, tmp_path):
    Registry.load(home)  # discovery imports every module and writes which one declares each action
    cache_file = home / "cache" / "packs.json"
    cache = json.loads(cache_file.read_text())
    assert cache["modules"]["split"] == {"split.double": f"{PKG}.first", "split.halve": f"{PKG}.first",
                                         "split.triple": f"{PKG}.second"}
    _forget()
    reg = Registry.load(home)
    action = reg.action("split.triple")
    assert action.call(action.params_model.model_validate({"x": 2})).value == 6
    assert f"{PKG}.second" in sys.modules and f"{PKG}.first" not in sys.modules
    reg.action("split.double")  # a second action of the same live pack: its module now
    assert f"{PKG}.first" in sys.modules

    cache["modules"]["split"] = {"split.double": "demo_other", "split.triple": 7}
    cache_file.write_text(json.dumps(cache))
    _forget()
    reg = Registry.load(home)
    assert reg.action("split.double").id == "split.double"
    assert reg.action("split.triple").id == "split.triple"
    assert not (tmp_path / "mark").exists() and "demo_other" not in sys.modules


def test_a_run_of_an_action_whose_module_breaks_is_pack_broken(home, split_site):
    Registry.load(home)
    _forget()
    reg = Registry.load(home)
    (split_site / PKG / "second.py").write_text("raise RuntimeError('second is broken')\n")
    assert reg.action("split.double").id == "split.double"
    with pytest.raises(PackBroken, match="second is broken"):
        reg.action("split.triple")


def test_a_module_declaring_an_action_outside_the_namespace_is_refused_when_a_run_imports_it(home, split_site):
    Registry.load(home)
    _forget()
    reg = Registry.load(home)
    (split_site / PKG / "second.py").write_text(textwrap.dedent(SECOND).replace(
        "@pack.action(samples=", '@pack.action(id="finance.triple", samples='))
    with pytest.raises(PackBroken, match="outside its own namespace"):
        reg.action("split.triple")


def _modules_after_do(prefix: str) -> tuple[str, str]:
    """(stdout, "RC:<code> MODS:<the loaded modules under prefix, sorted, comma-separated>") of one cold
    `intent do finance.loan_payment ...` in a new process, after a resolve has warmed the cache."""
    subprocess.run([sys.executable, "-m", "terminal.cli", "resolve", "--json", "warm the cache"],
                   capture_output=True, check=False)
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "rc = main(['do', 'finance.loan_payment', 'principal=300000', 'rate_pct=6.5', 'years=30', '--json'])\n"
        f"mods = sorted(m for m in sys.modules if m.startswith({prefix!r}))\n"
        "print(f'RC:{rc} MODS:' + ','.join(mods), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout, proc.stderr.strip().splitlines()[-1]


def test_do_loan_payment_imports_no_other_finance_module(home):
    """`intent do finance.loan_payment` imports the finance pack's loans module, not its savings, cash-flow
    or currency code (issue 20)."""
    out, line = _modules_after_do("vertical_packs.finance.")
    assert '"monthly_payment": 1896.2' in out, out + line
    assert line == "RC:0 MODS:vertical_packs.finance.loans,vertical_packs.finance.manifest,vertical_packs.finance.slots", line


def test_do_imports_no_resolver(home):
    """`intent do` names an action: the resolver is never imported (Match is only a type in dispatch/session)."""
    _out, line = _modules_after_do("intents.resolver")
    assert line == "RC:0 MODS:", line



def test_a_malformed_cached_record_is_refused_as_malformed():
    from intents.specs import action_from_dict

    with pytest.raises(TypeError):
        action_from_dict({"id": "a.b", "slots": ["not a mapping"]})
    with pytest.raises(TypeError):
        action_from_dict(["not", "a", "mapping"])
