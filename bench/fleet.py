"""Speed of the entitlement store on each backend: local SQLite and the fleet's PostgreSQL.

    python bench/fleet.py [--seconds 3] [--procs 1,8] [--runs 3] [--tree before=/path/to/old/checkout]

For each backend and each process count, every process opens a gate (its own home on PostgreSQL,
as separate terminals would; one shared home on SQLite, the only way several processes share a
local store), waits for a common start, then for --seconds runs
  checks:   gate.check("legal.draft_nda") (a metered check: the period's counter is read)
  consumes: gate.consume("legal.draft_nda") with fresh keys (the full write path: the server's
            statement or the local transaction, the usage record's line and head)
on one enterprise licence (metered but unlimited, so nothing is refused). All processes count for
the same licence, so on PostgreSQL they contend for the same counter row: the worst case.

The machine is shared, so wall figures alone say little: each round also measures CPU seconds per
consume, in the terminals' processes (client) and in the PostgreSQL server's processes (server,
read from /proc), and the load average. `ceiling` is what the CPU cost allows on this many cores
with nothing else running: cores / (client + server CPU per consume) - what an idle machine would
give at most when the work is CPU-bound. Rounds alternate over every configuration (and every
--tree: LABEL=PATH runs the workers on another checkout's code, e.g. the code before a change, paired
with this one) and each figure is the median of --runs rounds.
PostgreSQL is started here (tests/pgserver.py: Debian's package, unprivileged, unix socket) with
fsync off (a test server on a shared disk), which the output states.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKER = r"""
import json, os, sys, time
home, start, seconds, what = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
from entitlements import open_gate
gate = open_gate(home)
gate.state(); gate.check("legal.draft_nda"); gate.consume("legal.draft_nda", 1, f"warm-{os.getpid()}-{time.time_ns()}")
print("ready", flush=True)
while not os.path.exists(start):
    time.sleep(0.001)
def backend_cpu():  # this terminal's server process (same machine): its CPU seconds, from /proc
    if not backend:
        return 0.0
    with open(f"/proc/{backend}/stat", "rb") as fh:
        f = fh.read().rsplit(b")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
backend = gate.ledger._read("SELECT pg_backend_pid()", [])[0][0] if os.environ.get("INTENT_STORE_URL") else None
n, t0, c0, b0 = 0, time.perf_counter(), time.process_time(), backend_cpu()
end = t0 + seconds
if what == "check":
    while time.perf_counter() < end:
        gate.check("legal.draft_nda"); n += 1
else:
    tag = f"{os.getpid()}-{time.time_ns()}"
    while time.perf_counter() < end:
        assert gate.consume("legal.draft_nda", 1, f"{tag}-{n}").allowed
        n += 1
print(json.dumps({"n": n, "s": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "server": backend_cpu() - b0}), flush=True)
"""

ACTIVATE = r"""
import sys
from datetime import datetime, timezone
from entitlements import open_gate
from entitlements.wallet import activate
gate = open_gate(sys.argv[1])
activate(sys.argv[1], sys.stdin.read().strip(), gate.trusted(), datetime.now(timezone.utc), ledger=gate.ledger)
gate.close()
"""

TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(root_pid: int) -> dict[int, float]:
    """pid -> CPU seconds (user + system) of a process and all its descendants, from /proc."""
    parent, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    out, todo = {}, [root_pid]
    while todo:
        pid = todo.pop()
        out[pid] = cpu.get(pid, 0.0)
        todo += [p for p, pp in parent.items() if pp == pid]
    return out


def _env(tree: Path, url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "INTENT_STORE_URL"}
    env["PYTHONPATH"] = str(tree)
    if url:
        env["INTENT_STORE_URL"] = url
    return env


def _round(tree: Path, homes: list[Path], what: str, seconds: float, env: dict, base: Path, tag: str,
           server_pid: int | None) -> dict:
    start = base / f"start-{tag}"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(h), str(start), str(seconds), what],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tree)
             for h in homes]
    for p in procs:
        line = p.stdout.readline().strip()
        if line != "ready":
            raise SystemExit(f"worker failed: {p.stderr.read()[-2000:]}")
    server0 = _tree_cpu(server_pid) if server_pid else {}
    load0 = os.getloadavg()[0]
    start.touch()
    rate, n, cpu, backends = 0.0, 0, 0.0, 0.0
    for p in procs:
        out, err = p.communicate(timeout=seconds * 20 + 120)
        if p.returncode:
            raise SystemExit(f"worker failed: {err[-2000:]}")
        r = json.loads(out.strip().splitlines()[-1])
        rate += r["n"] / r["s"]
        n += r["n"]
        cpu += r["cpu"]
        backends += r.get("server", 0.0)
    # The server: each terminal's backend (measured by its worker: a backend exits with its client) plus
    # what the server's other processes (WAL writer, checkpointer, autovacuum...) spent meanwhile.
    server1 = _tree_cpu(server_pid) if server_pid else {}
    others = sum(max(server1[p] - c, 0.0) for p, c in server0.items() if p in server1)
    return {"rate": rate, "client_ms": cpu / max(n, 1) * 1e3, "server_ms": (backends + others) / max(n, 1) * 1e3,
            "backend_ms": backends / max(n, 1) * 1e3, "load": (load0 + os.getloadavg()[0]) / 2}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--procs", default="1,8")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tree", action="append", default=[], metavar="LABEL=PATH",
                    help="also run the workers on another checkout's code (paired, alternating with this one)")
    ap.add_argument("--backends", default="sqlite,postgresql")
    args = ap.parse_args()
    counts = [int(x) for x in args.procs.split(",")]
    trees = [(label, Path(path).resolve()) for label, path in (t.split("=", 1) for t in args.tree)]
    trees.append(("this", ROOT))
    backends = args.backends.split(",")
    from tests.licensing import licence_token
    from tests.pgserver import PgServer, unavailable_reason

    base = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    anchor = base / "vendor"
    anchor.mkdir()
    token = licence_token(anchor, "enterprise", 30)  # sets INTENT_TRUST_DIR in os.environ
    reason = unavailable_reason() if "postgresql" in backends else "not asked for"
    server = None
    if reason is None:
        server = PgServer()
        server.init()
        server.start()
    configs = []  # (tree label, tree, backend, n, homes, env)
    results: dict[tuple, list[dict]] = {}
    try:
        for t, (label, tree) in enumerate(trees):
            for backend in backends:
                if backend == "postgresql" and server is None:
                    continue
                for n in counts:
                    url = server.new_database(f"bench_{t}_{n}") if backend == "postgresql" else None
                    env = _env(tree, url)
                    homes = ([base / f"{label}-pg{n}-{i}" for i in range(n)] if backend == "postgresql"
                             else [base / f"{label}-sqlite{n}"] * n)
                    for h in dict.fromkeys(homes):
                        h.mkdir()
                        subprocess.run([sys.executable, "-c", ACTIVATE, str(h)], input=token, text=True,
                                       env=env, cwd=tree, check=True, capture_output=True)
                    configs.append((label, tree, backend, n, homes, env))
        for r in range(args.runs):  # alternate: every configuration once per round
            for label, tree, backend, n, homes, env in configs:
                for what in ("check", "consume"):
                    pid = server.proc.pid if (server and backend == "postgresql") else None
                    results.setdefault((label, backend, n, what), []).append(
                        _round(tree, homes, what, args.seconds, env, base, f"{label}{backend}{n}{what}{r}", pid))
    finally:
        if server is not None:
            server.cleanup()
    cores = os.cpu_count() or 1
    print(f"entitlement store, totals over all processes ({args.seconds:g} s each, median of {args.runs} "
          f"alternating rounds; {cores} cores)")
    cols = [(b, n) for b in backends for n in counts if b != "postgresql" or server is not None]
    print(f"{'':38}" + "".join(f"{b + ' x' + str(n):>15}" for b, n in cols))

    def med(label, b, n, what, key):
        rows = results.get((label, b, n, what))
        return statistics.median(x[key] for x in rows) if rows else None

    for label, _ in trees:
        lines = [("metered checks/s", "check", "rate", "{:,.0f}"),
                 ("metered consumes/s", "consume", "rate", "{:,.0f}"),
                 ("  client CPU ms per consume", "consume", "client_ms", "{:.3f}"),
                 ("  server CPU ms per consume", "consume", "server_ms", "{:.3f}"),
                 ("    of which the terminals' backends", "consume", "backend_ms", "{:.3f}"),
                 ("  ceiling consumes/s (idle machine)", "consume", "ceiling", "{:,.0f}"),
                 ("  load average during consumes", "consume", "load", "{:.1f}")]
        for title, what, key, fmt in lines:
            row = f"{(label + ': ' if len(trees) > 1 else '') + title:38}"
            for b, n in cols:
                if key == "ceiling":
                    c, s = med(label, b, n, what, "client_ms"), med(label, b, n, what, "server_ms")
                    v = cores / ((c + s) / 1e3) if c is not None and c + s > 0 else None
                else:
                    v = med(label, b, n, what, key)
                row += f"{'-' if v is None else fmt.format(v):>15}"
            print(row)
    if server is None and "postgresql" in backends:
        print(f"postgresql: skipped ({reason})")
    print("postgresql: fsync=off, synchronous_commit=off (a throwaway test server); target >= 2,000 consumes/s "
          "with 8 processes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
