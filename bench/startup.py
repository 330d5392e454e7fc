"""Cold start of `intent resolve --json`: wall time of fresh processes, as a user would see it.

    python bench/startup.py [--runs 15]

Prints the median and worst of N runs (after one warm-up run that builds the caches), plus the
interpreter's own start-up for reference. Target: median under 300 ms on this machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

UTTERANCE = "monthly payment on a 300k loan at 6.5% over 30 years"


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    env = {**os.environ, "INTENT_HOME": tempfile.mkdtemp(prefix="intent-bench-")}
    env.pop("OPENAI_BASE_URL", None)
    cli = [sys.executable, "-m", "terminal.cli", "resolve", "--json", UTTERANCE]
    first = timed(cli, env)  # builds the pack cache and resolver index
    runs = sorted(timed(cli, env) for _ in range(args.runs))
    bare = sorted(timed([sys.executable, "-c", "pass"], env) for _ in range(5))
    print(f"first run (builds caches)      {first:8.1f} ms")
    print(f"cold resolve --json, median    {statistics.median(runs):8.1f} ms   (target < 300 ms)")
    print(f"cold resolve --json, worst     {runs[-1]:8.1f} ms   over {args.runs} runs")
    print(f"python -c pass, median         {statistics.median(bare):8.1f} ms   (interpreter alone)")
    cmd = [sys.executable, "-X", "importtime", "-m", "terminal.cli", "resolve", "--json", UTTERANCE]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    print("largest cumulative imports:")
    for us, name in sorted(rows, reverse=True)[:8]:
        print(f"  {us / 1000:7.1f} ms {name}")


if __name__ == "__main__":
    main()
