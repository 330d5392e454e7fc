"""Issue 13, item 10: no result field is ever inf or NaN, whichever pack computed it.

A third-party pack that returns inf or NaN (top level, nested, in an extra field) gets a clear error
(exit 1, kind non_finite_result, the field named), never an answer printed as `inf` or `null`; a pack's
own parameters model that would let inf in is checked too.
"""
from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
from pydantic import BaseModel

from intents.errors import BadParameters, IntentError
from intents.sdk import Pack, Result, Slot

hostile = Pack(id="hostile", name="Hostile", version="1.0.0", description="Returns what it should not.",
               publisher="tests", vertical="demo")


class Number(Result):
    value: float


class Rows(Result):
    rows: list[dict]


@hostile.action(samples=["give me infinity"])
def infinite(x: float = Slot("x", kind="number", ge=-10, le=10)) -> Number:
    """Divides by almost nothing."""
    return Number(value=float("inf") if x >= 0 else float("-inf"))


@hostile.action(samples=["give me nan"])
def nan() -> Number:
    """Not a number."""
    return Number(value=float("nan"))


@hostile.action(samples=["nested nan rows"])
def nested() -> Rows:
    """A NaN deep in a table."""
    return Rows(rows=[{"month": 1, "balance": 1.0}, {"month": 2, "balance": float("nan")}])


@hostile.action(samples=["extra infinity"])
def extra() -> Number:
    """A finite declared field and an infinite extra one."""
    return Number(value=1.0, spread=float("inf"))


class LooseParams(BaseModel):
    x: float  # the pack's own model: pydantic allows inf here by default


@hostile.action(samples=["loose params"], params=LooseParams)
def loose(x: float) -> Number:
    """Echoes x."""
    return Number(value=x)


@pytest.fixture
def hostile_session(home, tmp_path):
    from intents.registry import GROUP, Registry
    from intents.session import Session
    from tests.test_tui_support import FixedGate

    eps = [EntryPoint(name="hostile", value="tests.security.test_values_results:hostile", group=GROUP)]
    reg = Registry.load(home, extra_entry_points=eps)
    reg.packs = {k: v for k, v in reg.packs.items() if k == "hostile"}
    reg.broken = {}
    reg.set_installed("hostile", True)
    session = Session(home=home, out_dir=tmp_path / "out")
    session.registry = reg
    session.gate = FixedGate(allowed=("pack.system", "pack.hostile"))
    return session


@pytest.mark.parametrize("action, values, field", [
    ("hostile.infinite", {"x": 1}, "value"),
    ("hostile.infinite", {"x": -1}, "value"),
    ("hostile.nan", {}, "value"),
    ("hostile.nested", {}, "rows.1.balance"),
    ("hostile.extra", {}, "spread"),
])
def test_a_non_finite_result_is_a_clear_error(hostile_session, action, values, field):
    with pytest.raises(IntentError) as err:
        hostile_session.run_action(action, values)
    e = err.value
    assert e.exit_code == 1 and e.kind == "non_finite_result" and e.extra["field"] == field
    assert action in e.message and field in e.message
    entry = hostile_session.history.entries()[0]
    assert entry["status"] == "non_finite_result" and entry["result"] is None


def test_a_packs_own_params_model_cannot_pass_inf(hostile_session):
    with pytest.raises(BadParameters) as err:
        hostile_session.run_action("hostile.loose", {"x": "inf"})
    assert err.value.extra["param"] == "x"
    assert hostile_session.run_action("hostile.loose", {"x": 2}).result["value"] == 2


FLAT = ",".join(["1"] * 60)


@pytest.mark.parametrize("action, values", [
    ("finance.loan_payment", ["principal=300000", "rate_pct=1e-320", "years=30"]),
    ("finance.amortization", ["principal=1000", "rate_pct=1e-320", "years=1"]),
    ("finance.savings_goal", ["target=1000", "rate_pct=1e-320", "years=10"]),
    ("finance.npv", ["rate_pct=-99.9999999", f"cash_flows={FLAT}"]),
    ("finance.npv", ["rate_pct=-99", "cash_flows=" + ",".join(["1"] * 1200)]),
])
def test_the_built_ins_never_answer_inf_or_null(cli, action, values):
    r = cli("do", action, *values, "--json")
    assert r.code in (1, 2), r.out[:300]
    assert "error" in r.json and "result" not in r.json
