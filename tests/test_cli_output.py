"""The CLI as scripts and people meet it: piped output is plain unwrapped text with grouped numbers
(exact in JSON), files go to one documented place, questions at a terminal understand words."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from terminal.output import article


def test_piped_tables_are_plain_unwrapped_lines_with_grouped_numbers(cli):
    r = cli("run", "amortization schedule for 2 million at 5% over 1 year")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert not any(ch in r.out for ch in "┏┃│━") and not any(line != line.rstrip() for line in lines)
    header = next(line for line in lines if line.startswith("month "))
    assert header.split() == ["month", "payment", "principal", "interest", "balance"]
    assert sum(1 for line in lines if line.split() and line.split()[0].isdigit()) == 12  # every row, one line each
    assert "1,837,118.37" in r.out and "e+0" not in r.out


def test_a_long_basis_is_one_line_and_its_figures_are_grouped(cli):
    r = cli("run", "compound interest on 2 million at 5% for 10 years")
    basis = next(line for line in r.out.splitlines() if line.startswith("basis:"))
    assert "P = 2,000,000" in basis and "compoundings a year" in basis and "e+06" not in r.out
    data = cli("run", "--json", "compound interest on 2 million at 5% for 10 years").json
    assert data["params"]["principal"] == 2000000 and isinstance(data["result"]["future_value"], float)


def test_files_go_to_the_documents_folder_unless_out_says_otherwise(cli, home, tmp_path):
    r = cli("do", "finance.amortization_csv", "principal=1000", "rate_pct=5", "years=1", "--json")
    path = r.json["result"]["path"]
    assert path.startswith(str(home / "documents")) and os.path.isfile(path)
    assert not list(tmp_path.glob("*.csv"))  # never the current directory
    r = cli("do", "finance.amortization_csv", "principal=1000", "rate_pct=5", "years=1")
    assert f"saved {home / 'documents'}" in r.out and "--out DIR" in r.out
    r = cli("do", "finance.amortization_csv", "principal=1000", "rate_pct=5", "years=1", "--out",
            str(tmp_path / "elsewhere"), "--json")
    assert r.json["result"]["path"].startswith(str(tmp_path / "elsewhere"))
    assert "documents/ in the data dir" in " ".join(cli("run", "--help").out.split())


def test_small_words():
    assert [article(w) for w in ("enterprise", "pro", "free", "NDA", "user", "hour")] == \
        ["an", "a", "a", "an", "a", "an"]


def test_a_question_at_the_terminal_understands_words(home, tmp_path):
    import pty
    import select
    import time

    main, child = pty.openpty()
    env = {**os.environ, "INTENT_HOME": str(home), "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "terminal.cli", "do", "finance.loan_payment", "principal=300000",
                             "rate_pct=6.5"], stdin=child, stdout=child, stderr=child, env=env, cwd=tmp_path)
    os.close(child)
    out, sent = b"", []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        text = out.decode(errors="replace")
        if "years" in text.lower() and not sent:
            os.write(main, b"a long time\n")
            sent.append(1)
        elif "should be" in text and len(sent) == 1:
            os.write(main, b"thirty\n")
            sent.append(2)
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    os.close(main)
    text = out.decode(errors="replace")
    assert "Years should be a number of years" in text and "(not “a long time”)" in text
    assert proc.returncode == 0 and "1,896.20" in text
