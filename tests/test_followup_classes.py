"""Classes of follow-ups and compound requests the general mechanisms read (conversation, compound):
each class with sentences of its own, across packs, none taken from the measured sets."""
from __future__ import annotations

import pytest

from intents.conversation import Turn


@pytest.fixture
def local(home, monkeypatch):
    from intents.session import Session

    monkeypatch.setenv("INTENT_CURRENCY", "USD")
    return Session(home=home, mode="local")


def _steps(local, text):
    m = local.resolve(text)
    return [(s.action, s.slots, s.missing) for s in (m.steps or [m])]


# ---- compounds: a plainly worded first request, then a step about its result ---------------------------
@pytest.mark.parametrize("text, second", [
    ("what's the monthly on 275,000 at 5.4% over 25 yrs and convert it to CHF", "finance.convert_currency"),
    ("work out the repayment on a 180,000 loan at 6.9% over 20 years and then give it to me in yen",
     "finance.convert_currency"),
    ("payment on 410k at 5.1% over 30 years and the total interest in pounds", "finance.convert_currency"),
])
def test_a_whole_first_request_then_its_result(local, text, second):
    steps = _steps(local, text)
    assert [a for a, _s, _m in steps] == ["finance.loan_payment", second]
    assert not steps[0][2]


# ---- compounds: a comma before a step about the result, and three steps --------------------------------
def test_a_comma_before_words_about_the_result_is_a_joint(local):
    steps = _steps(local, "repayment on 320k at 6.2% over 25 years, convert it to euros")
    assert [a for a, _s, _m in steps] == ["finance.loan_payment", "finance.convert_currency"]
    assert steps[1][1]["to_currency"] == "EUR"


@pytest.mark.parametrize("text", [
    "nda between Birch Labs and Cedar Works, make it 4 years",  # a change of the request, not a step
    "deadline 21 days after 2026-04-07, make it court days",
    "egfr for a 58 year old woman, creatinine 1.2",  # a comma between values
])
def test_a_comma_before_a_change_or_a_value_is_no_joint(local, text):
    steps = _steps(local, text)
    assert len(steps) == 1


def test_three_steps_the_third_takes_values_from_the_first(local):
    steps = _steps(local, "loan payment on 260k at 5.8% over 20 years, convert it to AUD, and then the amortization")
    assert [a for a, _s, _m in steps] == ["finance.loan_payment", "finance.convert_currency", "finance.amortization"]
    assert steps[2][1]["principal"] == 260000 and steps[2][1]["years"] == 20 and not steps[2][2]

