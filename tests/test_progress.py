"""Slow work says what it is doing: a spinner on a terminal's stderr, nothing in a pipe."""
from __future__ import annotations

import os
import subprocess
import sys


def test_the_first_index_build_shows_a_spinner_on_a_terminal(home, tmp_path):
    import pty

    main, child = pty.openpty()
    env = {**os.environ, "INTENT_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "terminal.cli", "resolve", "--json", "npv at 8% of -1000, 500, 700"],
                            stdout=subprocess.PIPE, stderr=child, env=env, cwd=tmp_path)
    os.close(child)
    out, _ = proc.communicate(timeout=120)
    err = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(main)
    assert proc.returncode == 0 and b'"finance.npv"' in out  # stdout, a pipe, stays clean JSON
    assert "building the resolver index" in err.decode(errors="replace")


def test_nothing_is_drawn_into_a_pipe(cli):
    r = cli("resolve", "--json", "npv at 8% of -1000, 500, 700")
    assert r.code == 0 and "building" not in r.err and r.err == ""


def test_the_core_names_slow_work_only_to_a_reporter():
    from intents import progress

    seen = []

    class Reporter:
        def __init__(self, message):
            seen.append(message)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    with progress.status("quiet"):  # no reporter: nothing happens
        pass
    progress.set_reporter(Reporter)
    try:
        with progress.status("installing x…"):
            pass
    finally:
        progress.set_reporter(None)
    assert seen == ["installing x…"]
