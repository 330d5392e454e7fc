"""How long a run waits when another process holds the entitlement store's write lock.

    python bench/entitlements_lock.py

A fresh INTENT_HOME (free plan): one run creates the store, its latest-seen time is made stale (so the
gate would like to write it), another connection takes BEGIN IMMEDIATE, and then a free action
(finance.loan_payment) and a denied one (legal.deadline, not on the free plan) run as `intent do`
subprocesses. Wall time of each, seconds. Issue 13: neither may wait for the lock (before: 10 s and 20 s,
the store's busy timeout once per write the gate attempted).
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FREE = [sys.executable, "-m", "terminal.cli", "do", "finance.loan_payment", "principal=300000", "rate_pct=6.5",
        "years=30"]
DENIED = [sys.executable, "-m", "terminal.cli", "do", "legal.deadline", "start_date=2026-03-02", "days=30"]


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "INTENT_HOME": home, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        subprocess.run(FREE, capture_output=True, env=env, check=True)
        db = sqlite3.connect(Path(home) / "entitlements.db", isolation_level=None)
        db.execute("UPDATE meta SET value = '2026-01-01T00:00:00+00:00' WHERE key = 'clock_high_water'")
        db.execute("BEGIN IMMEDIATE")
        try:
            for label, cmd in (("free action", FREE), ("denied action", DENIED)):
                started = time.monotonic()
                proc = subprocess.run(cmd, capture_output=True, env=env)
                print(f"{label}, store write-locked: {time.monotonic() - started:6.2f} s (exit {proc.returncode})")
        finally:
            db.execute("ROLLBACK")
            db.close()


if __name__ == "__main__":
    main()
