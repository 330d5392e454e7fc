"""The example pack's own tests: reference figures and refused input, through the public SDK only."""
import pytest
from pydantic import ValidationError

from intents.sdk import ParameterError
from realestate_pack import pack


def run(action_id, **params):
    action = pack.actions[action_id]
    return action.call(action.params_model.model_validate(params))


def test_cap_rate_textbook_example():
    # NOI 84,000 on a 1,200,000 property: 7 % (NOI / value, Appraisal Institute definition)
    assert run("realestate.cap_rate", noi=84_000, price=1_200_000).cap_rate_pct == 7.0
    assert run("realestate.cap_rate", noi=50_000, price=800_000).cap_rate_pct == 6.25


def test_rent_multiplier_and_cash_on_cash():
    assert run("realestate.rent_multiplier", price=600_000, annual_rent=48_000).grm == 12.5
    assert run("realestate.cash_on_cash", annual_cash_flow=12_000, cash_invested=150_000).cash_on_cash_pct == 8.0


def test_bad_input_is_refused():
    with pytest.raises(ValidationError):
        run("realestate.cap_rate", noi=1, price=0)
    with pytest.raises(ParameterError):
        run("realestate.cash_on_cash", annual_cash_flow=1, cash_invested=0)
