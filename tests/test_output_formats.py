"""Output formats come from packs through the SDK (`Pack.output_format`): the CLI names none itself."""
from __future__ import annotations

import json
from pathlib import Path

from intents.sdk import Pack, Result, Slot

ROOT = Path(__file__).resolve().parent.parent


def test_a_pack_declares_a_format_for_its_actions_before_or_after_them():
    pack = Pack(id="thermo", name="Thermo", version="1.0.0")

    class Out(Result):
        fahrenheit: float

    @pack.output_format("csv-line", description="one CSV line", actions=["thermo.c2f"])
    def csv_line(outcome) -> str:
        return f"{outcome.params['celsius']},{outcome.result['fahrenheit']}"

    @pack.action(samples=["convert 20 c"])
    def c2f(celsius: float = Slot("Degrees C", kind="number")) -> Out:
        """Celsius to Fahrenheit."""
        return Out(fahrenheit=celsius * 9 / 5 + 32)

    @pack.action(samples=["convert 20 f"])
    def f2c(fahrenheit: float = Slot("Degrees F", kind="number")) -> Out:
        """Fahrenheit to Celsius (no format)."""
        return Out(fahrenheit=fahrenheit)

    @pack.output_format("plain", description="the number alone")
    def plain(outcome) -> str:
        return str(outcome.result["fahrenheit"])

    spec = {a.id: a for a in pack.spec().actions}
    assert spec["thermo.c2f"].formats == ["csv-line", "plain"] and spec["thermo.f2c"].formats == ["plain"]
    assert pack.actions["thermo.c2f"].formats["csv-line"].render is csv_line


def test_fhir_is_the_healthcare_packs_format_and_other_actions_say_they_have_none(cli, unlocked):
    r = cli("do", "healthcare.bmi", "weight_kg=68", "height_cm=165", "--format", "fhir")
    assert r.code == 0, r.err
    assert json.loads(r.out)["resourceType"] == "Observation"
    r = cli("do", "finance.npv", "rate_pct=5", "cash_flows=-100,60,60", "--format", "fhir")
    assert r.code == 2 and "finance.npv has no output format 'fhir' (its formats: none)" in r.err
    run_py = (ROOT / "terminal" / "commands" / "run.py").read_text()
    assert "vertical_packs" not in run_py  # the generic CLI imports no pack
