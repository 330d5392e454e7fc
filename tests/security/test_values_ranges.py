"""Issue 13, item 10: absurd values never print nonsense with exit 0.

Every input of the built-in packs declares a plausible range in its parameters model; a value outside
it exits 2 naming the slot and the range, in the CLI's message, the JSON error and the TUI. inf and NaN
are refused for every float slot. A four-digit year is read as written ('0001' is not 2001).
"""
from __future__ import annotations

import math
import typing
from pathlib import Path

import pytest

from intents.errors import BadParameters

BUILT_IN = ("finance", "legal", "healthcare")


def _registry(home: Path):
    from intents.registry import Registry

    return Registry.load(home)


def _inputs(home: Path):
    reg = _registry(home)
    for spec in reg.actions():
        if spec.pack not in BUILT_IN:
            continue
        action = reg.action(spec.id)
        for name, info in action.params_model.model_fields.items():
            yield spec.id, name, info, action.params_model


def _kind(annotation) -> str:
    if typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    origin = typing.get_origin(annotation)
    if origin is typing.Literal or annotation is bool:
        return "choice"
    if origin is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
        origin = typing.get_origin(annotation)
    if origin is list or annotation is str:
        return "sized"
    return "ordered"  # int, float, date


def test_every_built_in_input_declares_a_plausible_range(home):
    from intents.params import slot_range

    missing = []
    for action_id, name, info, model in _inputs(home):
        kind = _kind(info.annotation)
        if kind == "choice":
            continue  # its choices are its range
        r = slot_range(model, name) or {}
        if kind == "sized" and "max_length" not in r:
            missing.append(f"{action_id}.{name}: no max_length")
        if kind == "ordered" and ("min" not in r or "max" not in r):
            missing.append(f"{action_id}.{name}: no lower and upper bound")
    assert not missing, missing


def _numeric_slots(home):
    for action_id, name, info, model in _inputs(home):
        base = info.annotation
        if typing.get_origin(base) in (typing.Union, __import__("types").UnionType):
            base = next(a for a in typing.get_args(base) if a is not type(None))
        if base in (int, float):
            yield action_id, name, base, model


def _valid(model) -> dict:
    """Values the model accepts for its required fields, so that only the slot under test is wrong."""
    from intents.params import slot_range

    out = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        base = info.annotation
        r = slot_range(model, name) or {}
        if typing.get_origin(base) is typing.Literal:
            out[name] = typing.get_args(base)[0]
        elif "min" in r and "max" in r and not hasattr(r["min"], "isoformat"):
            out[name] = (r["min"] + r["max"]) / 2 if base is float else int((r["min"] + r["max"]) // 2)
        elif "min" in r:
            out[name] = r["min"]
        elif typing.get_origin(base) is list or "list" in str(base):
            out[name] = [1.0]
        else:
            out[name] = "text"
    return out


def test_outside_its_range_every_numeric_input_is_refused_naming_the_slot_and_range(home):
    from intents.params import slot_range, validate

    checked = 0
    for action_id, name, base, model in _numeric_slots(home):
        r = slot_range(model, name)
        for value in (r["max"] * 10 + 1, r["min"] - 10 * (abs(r["min"]) + 1)):
            with pytest.raises(BadParameters) as err:
                validate(model, {**_valid(model), name: base(value)})
            e = err.value
            assert e.extra["param"] == name and e.exit_code == 2, (action_id, name, value, e.message)
            assert r["text"] in e.message and e.extra["range"]["text"] == r["text"], e.message
            checked += 1
    assert checked > 40


def test_inf_and_nan_are_refused_for_every_float_input(home):
    from intents.params import validate

    for action_id, name, base, model in _numeric_slots(home):
        if base is not float:
            continue
        for value in (math.inf, -math.inf, math.nan, "nan", "inf"):
            with pytest.raises(BadParameters) as err:
                validate(model, {**_valid(model), name: value})
            assert err.value.extra["param"] == name, (action_id, name, value)


def test_a_tiny_rate_exits_2_with_the_range_in_text_and_json(cli):
    r = cli("do", "finance.loan_payment", "principal=300000", "rate_pct=1e-320", "years=30")
    assert r.code == 2 and "inf" not in r.out
    assert "rate_pct" in r.err and "0, or 0.0001 to 100 %" in r.err
    r = cli("do", "finance.loan_payment", "principal=300000", "rate_pct=1e-320", "years=30", "--json")
    assert r.code == 2
    error = r.json["error"]
    assert error["param"] == "rate_pct" and error["range"]["max"] == 100 and error["range"]["min_nonzero"] == 0.0001
    assert "0.0001 to 100" in error["message"]
    assert cli("do", "finance.loan_payment", "principal=12000", "rate_pct=0", "years=1", "--json").json[
        "result"]["monthly_payment"] == 1000  # 0% still stands


@pytest.mark.parametrize("action, values, slot, words", [
    ("healthcare.egfr", ["creatinine_mg_dl=1e-320", "age=60", "sex=female"], "creatinine_mg_dl", "0.05 to 2,500 mg/dL"),
    ("healthcare.bmi", ["weight_kg=1e-300", "height_cm=170"], "weight_kg", "0.2 to 650 kg"),
    ("healthcare.dose", ["weight_kg=70", "dose_mg_per_kg=1e-300"], "dose_mg_per_kg", "0.0001 to 1,000 mg/kg"),
    ("finance.savings_goal", ["target=1e-300", "rate_pct=5", "years=10"], "target", "0.01 to 1,000,000,000,000"),
    ("finance.compound_interest", ["principal=1000", "rate_pct=1e-300", "years=10"], "rate_pct", "0.0001 to 100"),
    ("legal.deadline", ["start_date=2026-01-05", "days=99999999"], "days", "-3,650 to 3,650"),
])
def test_absurd_values_exit_2_naming_slot_and_range(cli, unlocked, action, values, slot, words):
    r = cli("do", action, *values, "--json")
    assert r.code == 2, r.out
    assert r.json["error"]["param"] == slot and words in r.json["error"]["message"]


def test_deadline_from_the_year_1_is_not_read_as_2001(cli, unlocked):
    r = cli("resolve", "--json", "deadline 30 days after 0001-01-01")
    assert r.json["slots"]["start_date"] == "0001-01-01"
    r = cli("run", "--json", "deadline 30 days after 0001-01-01")
    assert r.code == 2 and r.json["error"]["param"] == "start_date"
    assert "1900-01-01 to 2150-12-31" in r.json["error"]["message"]
    assert "2001" not in r.out


@pytest.mark.parametrize("text, iso", [
    ("deadline 30 days after 3/15/26", "2026-03-15"),  # a two-digit year is still this century
    ("deadline 30 days after january 1 0001", "0001-01-01"),
    ("deadline 30 days after 1/1/0099", "0099-01-01"),
])
def test_years_are_read_as_written(text, iso):
    from intents.resolver.dates import find_dates

    assert [d for _, _, d in find_dates(text)] == [iso]


def test_the_tui_shows_the_range(session):
    import asyncio

    from terminal.tui.app import IntentApp
    from terminal.tui.messages import RunRequested
    from tests.test_tui_support import settle

    async def go() -> str:
        app = IntentApp(session=session)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.main_screen.post_message(RunRequested(
                "finance.loan_payment", {"principal": 300000, "rate_pct": 1e-320, "years": 30}))
            await pilot.pause()
            await settle(pilot)
            return "\n".join(str(w.render()) for w in app.main_screen.query("#results Static"))

    shown = asyncio.run(go())
    # the TUI re-asks in its own words (intents/resolver/answers.py), with the slot's range
    assert ("0.0001 to 100" in shown or "from 0 to 100" in shown) and "1e-320" in shown
    assert "monthly payment" not in shown.lower() and "inf\n" not in shown
