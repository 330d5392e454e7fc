"""`intent history --rerun ID`: a recorded run again with the values it ran with; a chain's step re-runs
the whole chain, each step through the gate (issue 15, item 5)."""


def test_rerun_of_a_chain_step_reruns_the_whole_chain(cli):
    first = cli("run", "--json", "payment on 300k at 6.5% for 30 years, then convert it to euros")
    assert first.code == 0, first.err
    steps = first.json["steps"]
    again = cli("history", "--rerun", "2", "--json")  # the second step: the chain's later step
    assert again.code == 0, again.err
    data = again.json
    assert [s["action"] for s in data["steps"]] == [s["action"] for s in steps]
    assert [s["params"] for s in data["steps"]] == [s["params"] for s in steps]
    assert data["result"]["converted"] == first.json["result"]["converted"]
    rows = cli("history", "--json").json["entries"]
    assert len(rows) == 4
    assert rows[0]["chain"] == rows[1]["id"]  # the re-run is recorded as a chain of its own


def test_rerun_of_a_single_run_and_of_nothing(cli):
    assert cli("run", "--json", "monthly payment on a 300k loan at 6.5% over 30 years").code == 0
    again = cli("history", "--rerun", "1", "--json")
    assert again.code == 0 and not again.json.get("steps")
    assert again.json["action"] == "finance.loan_payment"
    missing = cli("history", "--rerun", "99", "--json")
    assert missing.code == 2 and "no run #99" in missing.json["error"]["message"]


def test_a_refused_step_of_a_rerun_stops_and_says_which(cli):
    r = cli("run", "--json", "monthly payment on 300k at 6% over 30 years and then the bmi for 80 kg 180 cm")
    assert r.code == 5  # the free plan has no healthcare: step 2 is refused (and recorded so)
    again = cli("history", "--rerun", "1", "--json")
    assert again.code == 5  # re-running the chain meets the same gate at the same step
    err = again.json["error"]
    assert err["step"] == 2 and err["step_action"] == "healthcare.bmi" and err["message"].startswith("step 2 of 2")
    assert err["completed"][0]["action"] == "finance.loan_payment"


def test_rerun_on_a_damaged_history_is_a_clear_error(cli, home):
    assert cli("run", "--json", "monthly payment on a 300k loan at 6.5% over 30 years").code == 0
    (home / "history.db").write_bytes(b"not a database, " * 200)
    r = cli("history", "--rerun", "1", "--json")
    assert r.code == 1 and r.json["error"]["kind"] == "history_damaged"  # as `intent history` says it
