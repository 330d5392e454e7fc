"""Into a pipe the CLI prints results without importing rich (issue 20): the lines must be exactly those
the piped rich console printed, so scripts that grep, awk or diff the output see no change."""
from __future__ import annotations

import io
import subprocess
import sys

from intents.dispatch import Outcome
from intents.registry import Registry
from terminal import render
from terminal.output import PlainConsole, console

LOAN = ("do", "finance.loan_payment", "principal=300000", "rate_pct=6.5", "years=30")


def both(outcome, spec) -> tuple[str, str]:
    rich_out = io.StringIO()
    con = console()
    con.file = rich_out
    if not con.piped:  # pytest's stdout may be a terminal: force what a pipe gets
        con.piped = True
        con.no_color = True
        con.width = 10_000
    render.outcome(outcome, spec, con)
    plain_out = io.StringIO()
    render.outcome(outcome, spec, PlainConsole(plain_out))
    return rich_out.getvalue(), plain_out.getvalue()


def test_plain_lines_are_the_piped_rich_lines(home):
    spec = Registry.load(home).spec("finance.loan_payment")
    outcome = Outcome(action=spec.id, params={}, result={
        "monthly_payment": 1896.2, "total_interest": 0.00012, "count": 1234567, "flag": True, "nothing": None,
        "label": "日本語 text", "rows": [{"month": 1, "name": "a"}, {"month": 12, "name": "日本", "extra": 2.5},
                                        {"month": None, "name": "bbb", "extra": True}],
        "basis": "line one\nline two", "disclaimer": "not advice"})
    rich_text, plain_text = both(outcome, spec)
    assert plain_text == rich_text
    assert "monthly payment: 1,896.20" in plain_text and "日本" in plain_text


def test_a_piped_run_and_its_error_do_not_import_rich(cli):
    # main(), not the entry point: that one ends the process as soon as the command is done
    probe = ("import sys\nfrom terminal.cli import main\n"
             "try:\n    main(sys.argv[1:])\n"
             "except SystemExit:\n    pass\n"
             "sys.stderr.write('RICH' if any(m.startswith('rich') for m in sys.modules) else 'NORICH')\n")
    for args in (LOAN, ("do", "finance.loan_payment", "principal=-3", "rate_pct=6.5", "years=1")):
        proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120)
        assert proc.stderr.endswith("NORICH"), proc.stderr
    r = cli(*LOAN)
    assert r.code == 0 and "monthly payment: 1,896.20" in r.out
    r = cli("do", "finance.loan_payment", "principal=-3", "rate_pct=6.5", "years=1")
    assert r.code == 2 and r.err.startswith("error: principal:")
