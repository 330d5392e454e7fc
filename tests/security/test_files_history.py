"""Issue 13, item 11 (history): a damaged history never crashes `intent history` and costs nothing else;
text that is not valid UTF-8 (bytes on argv) does not lose its history row."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

LOAN = ("do", "finance.loan_payment", "principal=1000", "rate_pct=5", "years=1")


def damage(path, how: str) -> bytes:
    if how == "garbage":
        path.write_bytes(os.urandom(3000))
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[:1500])
    elif how == "zeroed-header":
        data = bytearray(path.read_bytes())
        data[:100] = b"\0" * 100
        path.write_bytes(bytes(data))
    elif how == "wrong-table":
        conn = sqlite3.connect(path)
        conn.execute("DROP TABLE runs")
        conn.execute("CREATE TABLE runs (x)")
        conn.execute("INSERT INTO runs VALUES (1)")
        conn.commit()
        conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("how", ["garbage", "truncated", "zeroed-header", "wrong-table"])
def test_damaged_history_gives_a_clear_error_and_the_next_run_starts_afresh(cli, home, how):
    for i in range(3):
        assert cli(*LOAN).code == 0
    for name in ("history.db-wal", "history.db-shm"):
        (home / name).unlink(missing_ok=True)  # the runs are checkpointed; damage the main file alone
    damaged = damage(home / "history.db", how)

    r = cli("history")
    assert r.code == 1 and "Traceback" not in r.err
    assert "damaged" in r.err and "history.db" in r.err
    r = cli("history", "--json")
    assert r.code == 1 and r.json["error"]["kind"] == "history_damaged"

    assert cli("plan").code == 0  # nothing else is lost: the store and licence are untouched
    r = cli(*LOAN, "--json")
    assert r.code == 0 and r.json["result"]["monthly_payment"] > 0
    kept = sorted(home.glob("history.db.damaged-*"))
    assert [p.name for p in kept if not p.name.endswith(("-wal", "-shm"))], "the damaged file is kept"
    assert kept[0].read_bytes() == damaged
    r = cli("history", "--json")
    assert r.code == 0 and [e["action"] for e in r.json["entries"]] == ["finance.loan_payment"]


def test_a_hand_edited_row_is_shown_not_a_crash(cli, home):
    assert cli(*LOAN).code == 0
    conn = sqlite3.connect(home / "history.db")
    conn.execute("UPDATE runs SET params = '{not json', result = 'x', text = 42, ts = NULL")
    conn.commit()
    conn.close()
    r = cli("history", "--json")
    assert r.code == 0, r.err
    entry = r.json["entries"][0]
    assert entry["params"] == {"unreadable": "{not json"} and entry["text"] == "42"
    r = cli("history")
    assert r.code == 0 and "Traceback" not in r.err


def test_invalid_utf8_on_argv_keeps_its_history_row(home, tmp_path):
    env = {**os.environ, "INTENT_HOME": str(home), "NO_COLOR": "1"}
    text = b"monthly payment on a 300k loan at 6.5% over 30 years \xff\xfe"
    proc = subprocess.run([sys.executable.encode(), b"-m", b"terminal.cli", b"run", text],
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert b"could not record" not in proc.stderr
    proc = subprocess.run([sys.executable.encode(), b"-m", b"terminal.cli", b"do", b"finance.loan_payment",
                           b"principal=1000", b"rate_pct=5", b"years=1\xff"],
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr

    out = subprocess.run([sys.executable, "-m", "terminal.cli", "history", "--json"], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    entries = json.loads(out.stdout)["entries"]
    assert [e["status"] for e in entries] == ["bad_parameters", "ok"]
    assert entries[1]["text"].endswith("30 years \ufffd\ufffd")
    assert entries[0]["params"]["years"] == "1\ufffd"
    table = subprocess.run([sys.executable, "-m", "terminal.cli", "history"], capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=120)
    assert table.returncode == 0 and "Traceback" not in table.stderr


def test_history_api_stores_lone_surrogates_as_replacement_characters(home):
    from intents.history import History

    h = History(home)
    h.record(text="a\udcffb\ud800c", action="x.y", params={"k\udcff": ["v\udcfe"]}, status="ok", exit_code=0,
             result={"r": "\udcff"})
    entry = h.entries()[0]
    assert entry["text"] == "a\ufffdb\ufffdc"
    assert entry["params"] == {"k\ufffd": ["v\ufffd"]} and entry["result"] == {"r": "\ufffd"}
