"""Speed of the entitlement store on each backend: local SQLite and the fleet's PostgreSQL.

    python bench/fleet.py [--seconds 3] [--procs 1,8]

For each backend and each process count, every process opens a gate (its own home on PostgreSQL,
as separate terminals would; one shared home on SQLite, the only way several processes share a
local store), waits for a common start, then for --seconds runs
  checks:   gate.check("legal.draft_nda") (a metered check: the period's counter is read)
  consumes: gate.consume("legal.draft_nda") with fresh keys (the full write path: counter row lock,
            usage row, counter, audit, usage record line, commit)
on one enterprise licence (metered but unlimited, so nothing is refused). All processes count for
the same licence, so on PostgreSQL they contend for the same counter row: the worst case.
Figures are totals per second over all processes (median of --runs). PostgreSQL is started here
(tests/pgserver.py: Debian's package, unprivileged, unix socket) with the server's defaults for
durability except fsync (a test server on a shared disk), which the output states.
Target (issue 19): >= 2,000 metered consumes/s on PostgreSQL with 8 processes.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKER = r"""
import json, os, sys, time
home, start, seconds, what = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
from entitlements import open_gate
gate = open_gate(home)
gate.state(); gate.check("legal.draft_nda"); gate.consume("legal.draft_nda", 1, f"warm-{os.getpid()}")
print("ready", flush=True)
while not os.path.exists(start):
    time.sleep(0.001)
n, t0 = 0, time.perf_counter()
end = t0 + seconds
if what == "check":
    while time.perf_counter() < end:
        gate.check("legal.draft_nda"); n += 1
else:
    tag = f"{os.getpid()}-{time.time_ns()}"
    while time.perf_counter() < end:
        assert gate.consume("legal.draft_nda", 1, f"{tag}-{n}").allowed
        n += 1
print(json.dumps({"n": n, "s": time.perf_counter() - t0}), flush=True)
"""


def _activate(home: Path, token: str) -> None:
    from entitlements import open_gate
    from entitlements.wallet import activate

    gate = open_gate(home)
    try:
        activate(home, token, gate.trusted(), datetime.now(timezone.utc), ledger=gate.ledger)
    finally:
        gate.close()


def _round(homes: list[Path], what: str, seconds: float, env: dict, base: Path, tag: str) -> float:
    start = base / f"start-{tag}"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(h), str(start), str(seconds), what],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for h in homes]
    for p in procs:
        line = p.stdout.readline().strip()
        if line != "ready":
            raise SystemExit(f"worker failed: {p.stderr.read()[-2000:]}")
    start.touch()
    total = 0.0
    for p in procs:
        out, err = p.communicate(timeout=seconds * 20 + 120)
        if p.returncode:
            raise SystemExit(f"worker failed: {err[-2000:]}")
        r = json.loads(out.strip().splitlines()[-1])
        total += r["n"] / r["s"]
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--procs", default="1,8")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    counts = [int(x) for x in args.procs.split(",")]
    from tests.pgserver import PgServer, unavailable_reason
    from tests.licensing import licence_token

    base = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    anchor = base / "vendor"
    anchor.mkdir()
    token = licence_token(anchor, "enterprise", 30)  # sets INTENT_TRUST_DIR in os.environ
    reason = unavailable_reason()
    server = None
    if reason is None:
        server = PgServer()
        server.init()
        server.start()
    results: dict[tuple[str, str, int], float] = {}
    try:
        for backend in ("sqlite", "postgresql"):
            if backend == "postgresql" and server is None:
                print(f"postgresql: skipped ({reason})")
                continue
            env = {k: v for k, v in os.environ.items() if k != "INTENT_STORE_URL"}
            for n in counts:
                if backend == "postgresql":
                    url = server.new_database(f"bench_{n}")
                    env["INTENT_STORE_URL"] = url
                    os.environ["INTENT_STORE_URL"] = url
                    homes = [base / f"pg{n}-{i}" for i in range(n)]
                else:
                    os.environ.pop("INTENT_STORE_URL", None)
                    homes = [base / f"sqlite{n}"] * n
                for h in dict.fromkeys(homes):
                    h.mkdir()
                    _activate(h, token)
                for what in ("check", "consume"):
                    figures = [_round(homes, what, args.seconds, env, base, f"{backend}{n}{what}{r}")
                               for r in range(args.runs)]
                    results[(backend, what, n)] = statistics.median(figures)
    finally:
        os.environ.pop("INTENT_STORE_URL", None)
        if server is not None:
            server.cleanup()
    print(f"entitlement store, totals per second over all processes ({args.seconds:g} s each, median of "
          f"{args.runs}; os.cpu_count()={os.cpu_count()}, load {os.getloadavg()[0]:.1f})")
    header = f"{'':28}" + "".join(f"{b + ' x' + str(n):>16}" for b in ("sqlite", "postgresql") for n in counts)
    print(header)
    for what, label in (("check", "metered checks/s"), ("consume", "metered consumes/s")):
        row = f"{label:28}"
        for b in ("sqlite", "postgresql"):
            for n in counts:
                v = results.get((b, what, n))
                row += f"{'-' if v is None else f'{v:,.0f}':>16}"
        print(row)
    print("postgresql: fsync=off, synchronous_commit=off (a throwaway test server); target >= 2,000 consumes/s "
          "with 8 processes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
