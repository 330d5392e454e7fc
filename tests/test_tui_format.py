"""The TUI's pure helpers: money formatting, inline answers, clipboard text and CSV export."""
from __future__ import annotations

import csv
import io

import pytest

from intents.sdk import SlotSpec
from terminal.tui.format import as_csv, as_text, fmt_value, parse_answer

NUMBER = SlotSpec(name="principal", type="number", kind="money")
INTEGER = SlotSpec(name="months", type="integer")


@pytest.mark.parametrize("value, kind, shown", [
    (1896.2, "money", "1,896.20"), (300000, "money", "300,000.00"), (6.5, "percent", "6.50%"),
    (382633.47, "number", "382,633.47"), (1200, "number", "1,200"), (0.004, "number", "0.004"),
    (True, "number", "yes"), (None, "number", "–"),
])
def test_values_are_formatted_for_people(value, kind, shown):
    assert fmt_value(value, kind) == shown


@pytest.mark.parametrize("typed, value", [
    ("300k", 300000.0), ("$1,200.50", 1200.5), ("6.5%", 6.5), ("30 years", 30.0), ("1.2m", 1200000.0),
    ("-3", -3.0), ("  42  ", 42.0), ("abc", "abc"), ("", None),
])
def test_inline_answers_for_number_slots(typed, value):
    assert parse_answer(NUMBER, typed) == value


def test_inline_answers_for_integer_list_and_boolean_slots():
    assert parse_answer(INTEGER, "12") == 12 and isinstance(parse_answer(INTEGER, "12"), int)
    assert parse_answer(SlotSpec(name="cash_flows", type="array"), "-1000, 300; 400") == ["-1000", "300", "400"]
    assert parse_answer(SlotSpec(name="mutual", type="boolean"), "no") is False


def test_export_writes_the_table_as_csv_and_the_rest_as_fields():
    table = {"action": "finance.amortization", "result": {"monthly_payment": 1.5, "rows": [
        {"month": 1, "balance": 10.0}, {"month": 2, "balance": 0.0}]}}
    rows = list(csv.reader(io.StringIO(as_csv(table, "rows"))))
    assert rows == [["month", "balance"], ["1", "10.0"], ["2", "0.0"]]
    scalar = {"action": "finance.loan_payment", "result": {"monthly_payment": 1896.2, "basis": "PMT"}}
    assert list(csv.reader(io.StringIO(as_csv(scalar)))) == [["field", "value"], ["monthly_payment", "1896.2"],
                                                              ["basis", "PMT"]]


def test_clipboard_text_has_every_field_basis_and_disclaimer():
    text = as_text({"action": "finance.loan_payment", "result": {
        "monthly_payment": 1896.2, "basis": "PMT", "disclaimer": "Not advice."}}, "Loan payment")
    assert text.splitlines() == ["Loan payment (finance.loan_payment)", "monthly payment: 1,896.20",
                                 "basis: PMT", "disclaimer: Not advice."]
