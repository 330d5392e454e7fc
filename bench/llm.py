"""LLM tier bench: the development set through the cascade and any OpenAI-compatible server.

    OPENAI_BASE_URL=http://127.0.0.1:11434/v1 INTENT_LLM_MODEL=qwen2.5:7b-instruct python bench/llm.py
    python bench/llm.py [SET.jsonl] [--mode auto|llm] [--limit N] [-v]

The server, model, key and timeout come from the usual settings (`intent config` shows them). Prints
intent accuracy, all-slots-correct and out-of-scope rejection for the local tier alone and for the
cascade, the share of lines on which the LLM was called, and latency. `--mode llm` asks the LLM on
every line (as `--llm` does). Without a configured server it says so, prints the share of lines the
cascade *would* send (that depends on the local tier only) and exits 0.

The bench measures understanding, not plans: it runs in a throwaway INTENT_HOME with every feature
allowed. The privacy policy still applies: to a remote server, sensitive packs are withheld unless
`share_sensitive` opts them in, and those lines keep the local answer.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV_SET = ROOT / "tests" / "data" / "dev_set.jsonl"

from bench.resolver import same  # noqa: E402  (one comparison for both benches)


class Tally:
    def __init__(self) -> None:
        self.in_scope = self.intent_ok = self.slots_ok = self.oos = self.oos_ok = 0
        self.misses: list[str] = []

    def add(self, row: dict, match) -> None:
        want = row.get("action")
        if want is None:
            self.oos += 1
            if match.action is None:
                self.oos_ok += 1
            else:
                self.misses.append(f"OOS accepted {row['text']!r} -> {match.action} ({match.source})")
            return
        self.in_scope += 1
        if match.action != want:
            self.misses.append(f"intent  {row['text']!r} -> {match.action} ({match.source}), want {want}")
            return
        self.intent_ok += 1
        expected = row.get("slots") or {}
        if all(same(v, match.slots.get(k)) for k, v in expected.items()):
            self.slots_ok += 1
        else:
            self.misses.append(f"slots   {row['text']!r} -> {match.slots} ({match.source}), want {expected}")

    def line(self) -> str:
        def share(a: int, b: int) -> str:
            return f"{a / b:.3f} ({a}/{b})" if b else "n/a"

        return (f"intent accuracy {share(self.intent_ok, self.in_scope)}, "
                f"all slots {share(self.slots_ok, self.in_scope)}, out-of-scope rejection {share(self.oos_ok, self.oos)}")


class EveryFeature:
    """The bench's gate: every feature allowed, so the figures measure understanding, not a plan."""

    def check(self, feature: str, qty: int = 1):
        from entitlements.decision import Decision

        return Decision(feature=feature, allowed=True)

    consume = check


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", nargs="?", type=Path, default=DEV_SET)
    ap.add_argument("--mode", choices=("auto", "llm"), default="auto")
    ap.add_argument("--limit", type=int, default=0, help="only the first N lines")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and every notice")
    args = ap.parse_args()

    if not args.set.is_file():
        print(f"llm bench: no development set at {args.set}")
        return 0
    rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        rows = rows[: args.limit]

    from intents.llm import config

    cfg = config.load()  # read before INTENT_HOME moves to the throwaway home
    os.environ["INTENT_HOME"] = tempfile.mkdtemp(prefix="intent-llm-bench-")
    home = Path(os.environ["INTENT_HOME"])

    from intents.registry import Registry
    from intents.resolver import local_resolver
    from intents.resolver.cascade import Cascade

    registry = Registry.load(home)
    local = local_resolver(registry)
    cascade = Cascade(local, registry, EveryFeature(), cfg, home, mode=args.mode)

    local_tally = Tally()
    why = {"abstained": 0, "unsure": 0}
    for row in rows:
        m = local.resolve(row["text"])
        local_tally.add(row, m)
        if m.action is None:
            why["abstained"] += 1
        elif not cascade.sure(m):
            why["unsure"] += 1
    escalated = len(rows) if args.mode == "llm" else sum(why.values())
    print(f"set: {args.set} ({len(rows)} lines, {local_tally.in_scope} in scope, {local_tally.oos} out of scope)")
    print(f"local tier alone : {local_tally.line()}")
    print(f"lines the cascade sends to the LLM ({args.mode}, threshold {cfg.threshold}): "
          f"{escalated / len(rows):.1%} ({escalated}/{len(rows)}; local tier "
          + ", ".join(f"{k} {v}" for k, v in why.items()) + ")")

    if not cfg.configured or not (cfg.base_url or cfg.api_key):
        print("llm bench skipped: no LLM server configured (set OPENAI_BASE_URL and INTENT_LLM_MODEL, "
              "or [llm] in config.toml; see README, 'Bring your own LLM')")
        return 0

    print(f"server: {cfg.url} ({'local' if cfg.local else 'remote'}), model {cfg.model}, "
          f"tool_mode {cfg.tool_mode}, timeout {cfg.timeout:g} s")
    llm = cascade.llm
    calls: list[float] = []
    real_resolve = llm.resolve

    def timed(*a, **k):  # count and time the calls the cascade actually makes
        started = time.perf_counter()
        try:
            return real_resolve(*a, **k)
        finally:
            calls.append((time.perf_counter() - started) * 1000)

    llm.resolve = timed
    tally = Tally()
    overall: list[float] = []
    faults = withheld = llm_answers = 0
    for row in rows:
        started = time.perf_counter()
        m = cascade.resolve(row["text"])
        overall.append((time.perf_counter() - started) * 1000)
        tally.add(row, m)
        llm_answers += m.source == "llm"
        if m.notice:
            faults += m.notice.startswith("LLM tier failed")
            withheld += m.notice.startswith("kept local")
            if args.verbose:
                print(f"  notice: {row['text'][:60]!r}: {m.notice}")
    print(f"cascade          : {tally.line()}")
    print(f"LLM calls made   : {len(calls) / len(rows):.1%} of lines ({len(calls)}/{len(rows)}); answers used "
          f"{llm_answers}, faults {faults}, withheld for privacy {withheld}")
    if calls:
        print(f"LLM call latency : p50 {statistics.median(calls):.0f} ms, p95 {pct(calls, 0.95):.0f} ms, "
              f"max {max(calls):.0f} ms")
    print(f"resolve latency  : p50 {statistics.median(overall):.1f} ms, p95 {pct(overall, 0.95):.1f} ms (all lines)")
    if args.verbose:
        for miss in tally.misses:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
