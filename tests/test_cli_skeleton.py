"""The walking skeleton end to end through the real CLI (issue 2's acceptance lines)."""
from __future__ import annotations

LOAN = "monthly payment on a 300k loan at 6.5% over 30 years"


def test_do_loan_payment_json(cli):
    r = cli("do", "finance.loan_payment", "principal=300000", "rate_pct=6.5", "years=30", "--json")
    assert r.code == 0, r.err
    assert r.json["action"] == "finance.loan_payment"
    assert r.json["result"]["monthly_payment"] == 1896.20
    # issue 17 added the optional extra_monthly and timing, reported with their defaults
    assert r.json["params"] == {"principal": 300000.0, "rate_pct": 6.5, "years": 30.0, "extra_monthly": 0.0,
                                "timing": "end"}


def test_run_utterance_gives_same_answer(cli):
    r = cli("run", "--json", LOAN)
    assert r.code == 0, r.err
    assert r.json["result"]["monthly_payment"] == 1896.20


def test_gibberish_is_not_understood(cli):
    r = cli("run", "--json", "qwxz plorf vint")
    assert r.code == 3
    assert r.json["error"]["kind"] == "not_understood"


def test_missing_slot_exits_4_naming_it(cli):
    r = cli("run", "--json", "monthly payment on a 300k loan at 6.5%")
    assert r.code == 4
    assert r.json["error"]["missing"] == ["years"]


def test_bad_value_exits_2_naming_param(cli):
    r = cli("do", "finance.loan_payment", "principal=300000", "rate_pct=6.5", "years=abc", "--json")
    assert r.code == 2
    assert r.json["error"]["param"] == "years"
    assert "years" in r.json["error"]["message"]


def test_unknown_parameter_and_action(cli):
    r = cli("do", "finance.loan_payment", "principle=1", "--json")
    assert r.code == 2 and r.json["error"]["param"] == "principle"
    r = cli("do", "finance.nope", "--json")
    assert r.code == 2 and r.json["error"]["kind"] == "unknown_action"


def test_resolve_json_shape(cli):
    r = cli("resolve", "--json", LOAN)
    assert r.code == 0
    data = r.json
    # "follows" and "changed" joined the contract with follow-ups (issue 15, the catalog's Planned section)
    assert set(data) == {"text", "action", "slots", "confidence", "missing", "alternatives", "source",
                         "follows", "changed"}
    assert data["follows"] is None and data["changed"] == []
    assert data["action"] == "finance.loan_payment"
    assert data["source"] == "local"
    assert 0 <= data["confidence"] <= 1


def test_resolve_jsonl(cli):
    r = cli("resolve", "--jsonl", input=LOAN + "\nzzqx blorp\n")
    lines = [__import__("json").loads(l) for l in r.out.splitlines()]
    assert [l["action"] for l in lines] == ["finance.loan_payment", None]


def test_human_output_formats_money(cli):
    r = cli("run", LOAN)
    assert r.code == 0
    assert "1,896.20" in r.out
    assert "Not investment" in r.out


def test_history_records_runs(cli):
    cli("run", "--json", LOAN)
    r = cli("history", "--json")
    entries = r.json["entries"]
    assert entries and entries[0]["action"] == "finance.loan_payment" and entries[0]["status"] == "ok"


def test_a_one_shot_command_ends_at_once_yet_its_exit_work_is_done(tmp_path, home):
    """The entry point skips the interpreter's teardown after a one-shot command (terminal/cli.py _end_now):
    the exit code, every byte of output, atexit handlers and a reader that stops early all stay as they were;
    and the garbage collector, off for the command, is never turned back on to walk everything just before the end."""
    import json
    import os
    import subprocess
    import sys

    probe = ("import atexit, gc, sys\n"
             "marker = sys.argv[1]\n"
             "atexit.register(lambda: open(marker, 'a').write(f'atexit ran, gc {gc.isenabled()}'))\n"
             "sys.argv = ['intent', *sys.argv[2:]]\n"
             "from terminal.cli import entry\n"
             "entry()\n"
             "open(marker, 'a').write('returned')  # never: the process ends inside entry()\n")
    marker = tmp_path / "marker"
    env = {**os.environ, "INTENT_HOME": str(home)}
    ok = subprocess.run([sys.executable, "-c", probe, str(marker), "do", "finance.loan_payment", "principal=300000",
                         "rate_pct=6.5", "years=30", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["result"]["monthly_payment"] == 1896.2
    assert marker.read_text() == "atexit ran, gc False"
    marker.unlink()
    bad = subprocess.run([sys.executable, "-c", probe, str(marker), "do", "finance.loan_payment", "principal=-3",
                          "rate_pct=6.5", "years=30"], capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("error: principal:")
    # a reader that closes the pipe after a few bytes: no traceback, no "Exception ignored"
    reader = subprocess.Popen([sys.executable, "-m", "terminal.cli", "do", "finance.amortization", "principal=300000",
                               "rate_pct=6.5", "years=30", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env)
    reader.stdout.read(10)
    reader.stdout.close()
    _, err = reader.communicate(timeout=120)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err
