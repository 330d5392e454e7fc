"""Follow-ups for third-party packs (issue 15): a pack on the public SDK only, installed beside the built-in
ones, gets the same follow-up behaviour as they do. Nothing in intents/conversation.py names a pack; what
points back at a turn ("the same samples", "at that speed", "the stamped file") comes from the installed
actions' specs. The packs under tests/data/thirdparty are installed here as a real distribution with an
entry point, and every first turn is run for real through the gate and history."""
from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import pytest

from intents.conversation import Turn
from tests.fakepacks import write_pack

THIRDPARTY = Path(__file__).resolve().parent / "data" / "thirdparty"

# A pack of our own for what the two data packs do not have: a list slot, and an action that writes a file.
SURVEY = '''
from intents.sdk import Pack, Render, Result, Slot

pack = Pack(id="survey", name="Survey", version="0.1.0", description="Summaries of measured samples",
            vertical="science")


class Mean(Result):
    mean: float


@pack.action(samples=["mean of 3, 5 and 9", "average of the readings 10, 12, 14", "arithmetic mean of 2.5, 3.5, 4"])
def mean(readings: list[float] = Slot("The measured readings", kind="number_list", elements={"baseline": 0})) -> Mean:
    """Arithmetic mean of readings."""
    return Mean(mean=sum(readings) / len(readings), basis="sum / count")


class Spread(Result):
    spread: float


@pack.action(samples=["spread of 3, 5 and 9", "range between the highest and lowest of 4, 8, 15",
                      "max minus min of 2, 7, 7, 10"])
def spread(readings: list[float] = Slot("The measured readings", kind="number_list")) -> Spread:
    """Spread (highest minus lowest) of readings."""
    return Spread(spread=max(readings) - min(readings), basis="max - min")


class Stamped(Result):
    path: str


@pack.action(samples=["stamp notes.txt", "stamp the file report.txt with today's date", "add a date stamp to memo.txt"],
             render=Render(kind="document", document="path"))
def stamp(source: str = Slot("The text file to stamp", kind="document")) -> Stamped:
    """Write a copy of a text file with a date line on top."""
    from pathlib import Path

    src = Path(source)
    out = src.with_name(src.stem + ".stamped" + src.suffix)
    out.write_text("stamped\\n" + src.read_text())
    return Stamped(path=str(out), basis="a copy with a date line")


class Count(Result):
    words: int


@pack.action(samples=["count the words in notes.txt", "word count of report.txt", "how many words are in memo.txt"])
def word_count(source: str = Slot("The text file to count", kind="document")) -> Count:
    """Count the words in a text file."""
    from pathlib import Path

    return Count(words=len(Path(source).read_text().split()), basis="whitespace-separated words")
'''


def _install(site, folder):
    """Copy a pack project's package into `site` with a dist-info registering its entry point."""
    package = next(p for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    shutil.copytree(package, site / package.name)
    dist = site / f"{package.name}-1.0.0.dist-info"
    dist.mkdir()
    pack_id = package.name.removesuffix("_pack")
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package.name}\nVersion: 1.0.0\n")
    (dist / "entry_points.txt").write_text(f"[intent_terminal.packs]\n{pack_id} = {package.name}:pack\n")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    home = tmp_path_factory.mktemp("tp-home")
    for name in ("physics_pack", "ustax_pack"):
        _install(site, THIRDPARTY / name)
    write_pack(site, "survey_pack", SURVEY)
    sys.path.insert(0, str(site))
    mp = pytest.MonkeyPatch()
    mp.setenv("INTENT_HOME", str(home))
    mp.setenv("INTENT_CURRENCY", "USD")
    from intents.session import Session

    s = Session(home=home, out_dir=home / "out", mode="local")
    assert {"physics", "ustax", "survey"} <= set(s.registry.packs)
    yield s
    mp.undo()
    sys.path.remove(str(site))
    for name in ("physics_pack", "ustax_pack", "survey_pack"):
        sys.modules.pop(name, None)


def _turn(session, text: str) -> Turn:
    out = session.run_text(text)
    return Turn(out.history_id, out.action, out.params, out.result, text)


def _check(m, action, expect, last):
    assert m.action == action, (m.action, m.slots, m.explain)
    assert m.follows == last.id
    assert not m.missing
    for name, want in expect.items():
        got = m.slots.get(name)
        assert got == (pytest.approx(want) if isinstance(want, float) else want), (name, m.slots)


@pytest.mark.parametrize("first, second, action, expect", [
    # a new value replaces the one it names
    ("how long to travel 120 km at 60 km/h", "what about at 80 km/h?", "physics.travel_time",
     {"distance": 120.0, "speed": 80.0}),
    ("how long to travel 120 km at 60 km/h", "no wait, make that 250 km", "physics.travel_time",
     {"distance": 250.0, "speed": 60.0}),
    ("kinetic energy of a 1500 kg car at 100 km/h", "double the mass", "physics.kinetic_energy",
     {"mass": 3000.0}),
    ("quarterly estimated tax on 90000 of income", "and 120k instead", "ustax.estimated_payment",
     {"income": 120000.0, "filing_status": "single"}),
    # a choice that another action of the pack also takes: still a change to the last request
    ("quarterly estimated tax on 90000 of income", "what about married filing jointly?", "ustax.estimated_payment",
     {"income": 90000.0, "filing_status": "married_joint"}),
    ("capital gains tax on a 20000 long term gain", "what if it was short term?", "ustax.capital_gains",
     {"gain": 20000.0, "holding": "short"}),
    # a related action of the pack, taking what it lacks by name (converted into its slot's unit) ...
    ("how long to travel 120 km at 60 km/h", "and the kinetic energy of a 1500 kg car at that speed",
     "physics.kinetic_energy", {"mass": 1500.0, "speed": 16.666667}),
    ("estimated tax on 90k income married filing jointly", "and the standard deduction for that status",
     "ustax.standard_deduction", {"filing_status": "married_joint"}),
    # ... or from the last result for "that"
    ("how long to travel 100 km at 50 km/h", "and the average speed for 150 km in that time",
     "physics.average_speed", {"distance": 150.0, "duration": 2.0}),
    ("average speed for 42 km in 3 hours", "how long would 100 km take at that speed", "physics.travel_time",
     {"distance": 100.0, "speed": 14.0}),
    # the pack's own slot names point back ("the same readings"), and one element of the list is changed
    ("mean of 3, 5 and 10", "and the spread of the same readings", "survey.spread", {"readings": [3, 5, 10]}),
    ("mean of 3, 5 and 10", "the last one was 13", "survey.mean", {"readings": [3, 5, 13]}),
    # an element by the pack's own word for it (Slot(elements=...)), and one more element after the others
    ("mean of 3, 5 and 10", "what if the baseline was 4", "survey.mean", {"readings": [4, 5, 10]}),
    ("mean of 3, 5 and 10", "add a final 12", "survey.mean", {"readings": [3, 5, 10, 12]}),
])
def test_third_party_follow_ups(session, first, second, action, expect):
    last = _turn(session, first)
    _check(session.resolve(second, last=last), action, expect, last)


@pytest.mark.parametrize("first, second, action, expect", [
    # no verb: a value and a noun for "the same thing with this changed" (a terminal command's own noun too)
    ("how long to travel 120 km at 60 km/h", "the 90 km/h version", "physics.travel_time",
     {"distance": 120.0, "speed": 90.0}),
    ("how long to travel 120 km at 60 km/h", "a 200 km one", "physics.travel_time", {"distance": 200.0, "speed": 60.0}),
    ("quarterly estimated tax on 90000 of income", "the married filing jointly scenario", "ustax.estimated_payment",
     {"income": 90000.0, "filing_status": "married_joint"}),
    ("kinetic energy of a 1500 kg car at 100 km/h", "the 2000 kg variant", "physics.kinetic_energy", {"mass": 2000.0}),
    ("capital gains tax on a 20000 long term gain", "the short term case", "ustax.capital_gains",
     {"gain": 20000.0, "holding": "short"}),
])
def test_third_party_verbless_follow_ups(session, first, second, action, expect):
    last = _turn(session, first)
    _check(session.resolve(second, last=last), action, expect, last)


@pytest.mark.parametrize("first, second, action, expect", [
    # a lone new value goes to the slot of its kind that the words near it (or its declared range) mean
    ("mileage deduction for 8000 business miles", "the 2023 version", "ustax.mileage_deduction",
     {"miles": 8000, "year": 2023}),
    ("kinetic energy of a 1500 kg car at 100 km/h", "what if it weighs 2000 instead", "physics.kinetic_energy",
     {"mass": 2000.0}),
    ("how long to travel 120 km at 60 km/h", "and going 90 instead", "physics.travel_time",
     {"distance": 120.0, "speed": 90.0}),
    ("how long to travel 120 km at 60 km/h", "a 250 trip instead", "physics.travel_time",
     {"distance": 250.0, "speed": 60.0}),
])
def test_third_party_new_value_goes_to_the_slot_it_names(session, first, second, action, expect):
    last = _turn(session, first)
    _check(session.resolve(second, last=last), action, expect, last)


@pytest.mark.parametrize("first, second, action, expect", [
    # changes relative to the last value, in the unit of the slot they change
    ("how long to travel 120 km at 60 km/h", "20 km/h faster", "physics.travel_time", {"distance": 120.0, "speed": 80.0}),
    ("how long to travel 120 km at 60 km/h", "10 km/h slower", "physics.travel_time", {"speed": 50.0}),
    ("how long to travel 120 km at 60 km/h", "twice the distance", "physics.travel_time", {"distance": 240.0}),
    ("quarterly estimated tax on 90000 of income", "10% more income", "ustax.estimated_payment", {"income": 99000.0}),
    ("quarterly estimated tax on 90000 of income", "and 5k less", "ustax.estimated_payment", {"income": 85000.0}),
])
def test_third_party_relative_changes(session, first, second, action, expect):
    last = _turn(session, first)
    _check(session.resolve(second, last=last), action, expect, last)


def test_in_a_third_party_chain_that_is_the_step_before_s_result(session):
    """ "..., then X for that, then Y at that": each "that" is the result of the step just before it."""
    out = session.run_text("how long to travel 100 km at 50 km/h, then the average speed for 150 km in that time, "
                           "then how long would 300 km take at that speed")
    assert [s["action"] for s in out.steps] == ["physics.travel_time", "physics.average_speed", "physics.travel_time"]
    assert out.steps[1]["params"]["duration"] == pytest.approx(2.0)
    assert out.steps[2]["params"] == {"distance": 300.0, "speed": pytest.approx(75.0)}


def test_the_file_a_third_party_action_wrote_is_named_by_its_participle(session, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("one two three")
    last = _turn(session, "stamp notes.txt")
    assert last.result["path"].endswith("notes.stamped.txt")
    m = session.resolve("how many words are in the stamped file?", last=last)
    _check(m, "survey.word_count", {"source": last.result["path"]}, last)


@pytest.mark.parametrize("second", ["what's the weather tomorrow", "monthly payment on 200k at 5% over 10 years",
                                    "book me a table for two"])
def test_third_party_turns_do_not_swallow_other_requests(session, second):
    last = _turn(session, "kinetic energy of a 1500 kg car at 100 km/h")
    m = session.resolve(second, last=last)
    assert m.follows is None and m.action != "physics.kinetic_energy"


def test_the_core_names_no_pack():
    """The conversation modules' code (its strings: word lists and patterns, not its docstrings and comments, which give
    examples) holds no built-in pack's words: what points back at a turn is derived from specs."""
    root = Path(__file__).resolve().parent.parent / "intents"
    words = ("redacted", "drafted", "parties", "flows", "cash", "loan", "creatinine", "nda", "egfr",
             "finance", "legal", "healthcare", "outlay")
    for name in ("conversation.py", "conversation_edits.py", "compound.py"):
        tree = ast.parse((root / name).read_text())
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        code = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and id(n) not in docs]
        found = {w for w in words for c in code if w in c.lower()}
        assert not found, (name, found)
