"""Exact under concurrency across machines: 2 terminals x 8 processes race for the last uses of a
20-a-month quota and get exactly 20; kill -9 mid-action leaves ledger and deliveries equal."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fleet.helpers import activate, dbname, fleet_licence, new_home

ROOT = Path(__file__).resolve().parents[2]

WORKER = r"""
import json, os, sys, time
from pathlib import Path
home, n, start, tag, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
if mode == "dispatch":
    from intents.errors import IntentError
    from intents.session import Session
    session = Session(home=home, out_dir=home.parent / f"out-{tag}")
    session.dispatcher, session.gate
    # Delivery is the dispatcher handing back the result (the use is settled there); the history line
    # written after it is bookkeeping a kill may cut, not part of what the ledger must agree with.
    session.dispatcher.history = None
    log = open(home.parent / f"delivered-{tag}", "a", buffering=1)
    def once(i):
        try:
            session.run_action("legal.draft_nda", {"party_a": f"Acme {tag}{i} Inc", "party_b": "Beta LLC"})
        except IntentError as err:
            return err.kind
        log.write(f"{tag}-{i}\n")  # the result reached its user
        return "ok"
else:
    from entitlements import open_gate
    gate = open_gate(home)
    gate.state()
    def once(i):
        return gate.consume("legal.draft_nda", 1, f"{tag}-{i}").kind
print("ready", flush=True)
while not os.path.exists(start):
    time.sleep(0.002)
if n < 0:
    i = 0
    while True:
        once(i); i += 1
        if i == 3:
            print("busy", flush=True)
print(json.dumps([once(i) for i in range(n)]), flush=True)
"""


def _spawn(home: Path, n: int, start: Path, tag: str, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORKER, str(home), str(n), str(start), tag, mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=dict(os.environ))


def test_two_terminals_eight_processes_each_get_exactly_the_last_uses(store_url, pg, tmp_path, monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch)
    homes = [new_home(tmp_path, "t1"), new_home(tmp_path, "t2")]
    for h in homes:
        activate(h, token)
    from entitlements import open_gate

    g = open_gate(homes[0])
    for i in range(12):  # 8 uses left of 20
        assert g.consume("legal.draft_nda", 1, f"pre-{i}").allowed
    g.close()
    start = tmp_path / "start"
    procs = [_spawn(h, 2, start, f"{n}{p}", "consume") for n, h in enumerate(homes) for p in range(8)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    start.touch()
    kinds = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        kinds += json.loads(out.strip().splitlines()[-1])
    assert kinds.count("ok") == 8 and kinds.count("quota_exceeded") == 24, kinds
    db = dbname(store_url)
    assert pg.sql("SELECT sum(used) FROM counters WHERE feature = 'legal.draft_nda'", db=db)[0][0] == 20
    assert pg.sql("SELECT sum(qty) FROM usage WHERE feature = 'legal.draft_nda'", db=db)[0][0] == 20


def test_kill_9_mid_action_leaves_ledger_and_deliveries_equal(store_url, pg, tmp_path, monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch, plan="enterprise")  # unmetered: counted, never refused
    homes = [new_home(tmp_path, "k1"), new_home(tmp_path, "k2")]
    for h in homes:
        activate(h, token)
    from intents.history import History

    for h in homes:
        History(h)._db().conn.close()
    for round_ in range(2):
        start = tmp_path / f"start-{round_}"
        procs = [_spawn(h, -1, start, f"r{round_}h{n}", "dispatch") for n, h in enumerate(homes)]
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        start.touch()
        for p in procs:
            assert p.stdout.readline().strip() == "busy", p.stderr.read()
        time.sleep(0.1 + 0.15 * round_)
        for p in procs:
            os.kill(p.pid, signal.SIGKILL)
        for p in procs:
            p.wait(timeout=30)
    from entitlements import open_gate

    for h in homes:  # the next start of each terminal gives back what its killed process never delivered
        g = open_gate(h)
        g.summary()
        g.close()
    delivered = sum(len(f.read_text().splitlines()) for f in tmp_path.glob("delivered-*"))
    db = dbname(store_url)
    net = pg.sql("SELECT coalesce(sum(qty), 0) FROM usage WHERE feature = 'legal.draft_nda'", db=db)[0][0]
    counted = pg.sql("SELECT coalesce(sum(used), 0) FROM counters WHERE feature = 'legal.draft_nda'", db=db)[0][0]
    assert delivered >= 12
    assert net == counted == delivered
