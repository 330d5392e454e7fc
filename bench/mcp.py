"""`intent mcp` as an agent sees it: a tools/call's round trip, and the server's start-up to its first answer.

    python bench/mcp.py [--calls 200] [--starts 9]

Driven over real stdio by the MCP SDK's own client, like the tests. Paired and alternating, medians:
- tools/call finance_loan_payment (warm), next to a `ping` (the transport and SDK floor) and the same
  request as intent_run(text) (resolver included). Target: p50 <= 5 ms for the finance action.
- start-up: spawn `intent mcp` until its answer to `initialize`, next to a process that only imports the
  SDK's server modules (the floor the SDK itself sets) and `python -c pass`. Target: <= 300 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# This file is called mcp.py, and a script's folder comes first on sys.path: without this, `import mcp`
# would import this file instead of the SDK.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import anyio  # noqa: E402
from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402

ROOT = _HERE.parent
LOAN = {"principal": 300000, "rate_pct": 6.5, "years": 30}
TEXT = "monthly payment on a 300k loan at 6.5% over 30 years"


def _env(home: str) -> dict[str, str]:
    env = {**os.environ, "INTENT_HOME": home, "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("OPENAI_BASE_URL", None)
    return env


def _params(home: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "terminal.cli", "mcp"], env=_env(home))


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def calls(home: str, n: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"tools/call finance_loan_payment": [], "ping (floor)": [], "intent_run(text)": []}
    async with stdio_client(_params(home), errlog=open(os.devnull, "w")) as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            await s.list_tools()
            for _ in range(10):  # warm: packs imported, caches filled, validators compiled
                await s.call_tool("finance_loan_payment", LOAN)
                await s.call_tool("intent_run", {"text": TEXT})
            steps = [
                ("tools/call finance_loan_payment", lambda: s.call_tool("finance_loan_payment", LOAN)),
                ("ping (floor)", lambda: s.send_ping()),
                ("intent_run(text)", lambda: s.call_tool("intent_run", {"text": TEXT})),
            ]
            for i in range(n):
                for label, step in steps[i % 3:] + steps[:i % 3]:  # alternate the order
                    t = time.perf_counter()
                    result = await step()
                    out[label].append((time.perf_counter() - t) * 1000)
                    if getattr(result, "is_error", False):
                        raise SystemExit(f"{label} failed: {result.content[0].text}")
    return out


async def start_once(home: str) -> float:
    t = time.perf_counter()
    async with stdio_client(_params(home), errlog=open(os.devnull, "w")) as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            elapsed = (time.perf_counter() - t) * 1000
    return elapsed


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--starts", type=int, default=9)
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="intent-bench-mcp-")
    env = _env(home)
    subprocess.run([sys.executable, "-m", "terminal.cli", "resolve", "--json", TEXT], env=env,
                   capture_output=True, check=False)  # build the pack cache and resolver index once

    results = anyio.run(calls, home, args.calls)
    print(f"tools/call round trips over stdio, warm, {args.calls} each (paired, alternating):")
    for label, values in results.items():
        target = "   (target p50 <= 5 ms)" if label.startswith("tools/call") else ""
        print(f"  {label:34s} p50 {statistics.median(values):7.2f} ms   p90 {pct(values, 0.9):7.2f} ms{target}")
    sys.path.insert(0, str(ROOT))
    from entitlements.audit import events

    inside = [e["detail"]["elapsed_ms"] for e in events(Path(home), "mcp.call", limit=100_000)
              if e["detail"].get("tool") == "finance_loan_payment"][: args.calls]
    if inside:
        print(f"  {'  of which in the server (audit)':34s} p50 {statistics.median(inside):7.2f} ms   "
              f"p90 {pct(inside, 0.9):7.2f} ms")

    sdk_only = [sys.executable, "-c", "import mcp.server.lowlevel, mcp.server.stdio"]
    starts: dict[str, list[float]] = {"intent mcp: spawn -> initialize answered": [], "import the SDK's server only": [],
                                      "python -c pass": []}
    anyio.run(start_once, home)  # the first start writes caches
    for i in range(args.starts):
        order = [0, 1, 2] if i % 2 == 0 else [2, 1, 0]
        for k in order:
            if k == 0:
                starts["intent mcp: spawn -> initialize answered"].append(anyio.run(start_once, home))
            elif k == 1:
                starts["import the SDK's server only"].append(timed(sdk_only, env))
            else:
                starts["python -c pass"].append(timed([sys.executable, "-c", "pass"], env))
    print(f"start-up, {args.starts} runs each (paired, alternating), median:")
    for label, values in starts.items():
        target = "   (target <= 300 ms)" if label.startswith("intent mcp") else ""
        print(f"  {label:42s} {statistics.median(values):8.1f} ms   worst {max(values):8.1f} ms{target}")
    ours = statistics.median(starts["intent mcp: spawn -> initialize answered"]) - statistics.median(starts["import the SDK's server only"])
    print(f"  {'of which intent mcp beyond the SDK import':42s} {ours:8.1f} ms")


if __name__ == "__main__":
    main()
