"""Our local resolver against hassil (Home Assistant's template matcher), side by side on the same texts.

    python bench/resolver_vs_hassil.py                  # dev + crowd + held-out sets (837 texts), 7 rounds
    python bench/resolver_vs_hassil.py --rounds 11 tests/data/far_set.jsonl

hassil is the speed anchor: a matcher of the same template syntax ours reads (`[x]`, `(a|b)`, `{slot}`),
fed the built-in packs' own templates, every slot a wildcard list (our typed slots have no finite list of
values; "300k" and "6.5%" are text to hassil). It is a bench-only dependency (`pip install
intent-terminal[bench]`); the resolver never imports it.

Timing is paired and alternating: each round times every text once with each matcher, the order of the
two flipped every round, after one unmeasured warm-up pass of each (lazy compiles); the figures are the
medians over rounds of each round's p50 and p99 (wall and CPU). Accuracy: a text is right when the
action named is the labelled one (null for out-of-scope lines: refused).
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETS = [ROOT / "tests" / "data" / f"{name}.jsonl" for name in ("dev_set", "crowd_set", "heldout_set")]


def hassil_intents(actions):
    """hassil Intents from the actions' templates, every slot a wildcard; a template hassil cannot parse
    is left out (counted)."""
    from hassil import Intents
    from hassil.parse_expression import parse_sentence

    intents, lists, skipped = {}, {}, 0
    for a in actions:
        sentences = []
        for tpl in a.templates:
            try:
                parse_sentence(tpl.lower())
            except Exception:  # noqa: BLE001 - hassil's own parse errors vary by version
                skipped += 1
                continue
            sentences.append(tpl.lower())
        for s in a.slots:
            lists[s.name] = {"wildcard": True}
        if sentences:
            intents[a.id] = {"data": [{"sentences": sentences}]}
    return Intents.from_dict({"language": "en", "intents": intents, "lists": lists}), skipped


def percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[max(int(len(sorted_ms) * q) - 1, 0)]


def timed(fn, texts: list[str]) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for t in texts:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(t)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    return sorted(wall), sorted(cpu)


def main(argv: list[str]) -> int:
    rounds = 7
    if "--rounds" in argv:
        rounds = int(argv[argv.index("--rounds") + 1])
        del argv[argv.index("--rounds"): argv.index("--rounds") + 2]
    paths = [Path(a) for a in argv if not a.startswith("-")] or SETS
    rows = [json.loads(line) for p in paths for line in p.read_text().splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    os.environ["INTENT_HOME"] = tempfile.mkdtemp(prefix="intent-bench-")

    from hassil import recognize, recognize_best

    from bench.resolver import builtin_only
    from intents.registry import Registry
    from intents.resolver import local_resolver

    registry = builtin_only(Registry.load(Path(os.environ["INTENT_HOME"])))
    ours = local_resolver(registry)
    intents, skipped = hassil_intents(registry.actions())

    def hassil_best(t):
        return recognize_best(t, intents)

    def hassil_first(t):
        return recognize(t, intents)

    matchers = {"ours": ours.resolve, "hassil": hassil_best, "hassil_first": hassil_first}

    right = {name: 0 for name in matchers}
    in_scope = {name: 0 for name in matchers}
    oos_refused = {name: 0 for name in matchers}
    for row in rows:
        want = row.get("action")
        got = {"ours": ours.resolve(row["text"]).action}
        for name in ("hassil", "hassil_first"):
            res = matchers[name](row["text"])
            got[name] = res.intent.name if res is not None else None
        for name, action in got.items():
            right[name] += action == want
            if want is None:
                oos_refused[name] += action is None
            else:
                in_scope[name] += action == want

    per_round: dict[str, dict[str, list[float]]] = {n: {"p50": [], "p99": [], "cpu_p50": [], "cpu_p99": []} for n in matchers}
    for name, fn in matchers.items():  # warm-up: lazy regexes and templates compile on first use
        timed(fn, texts)
    order = list(matchers)
    for r in range(rounds):
        for name in (order if r % 2 == 0 else order[::-1]):
            wall, cpu = timed(matchers[name], texts)
            per_round[name]["p50"].append(statistics.median(wall))
            per_round[name]["p99"].append(percentile(wall, 0.99))
            per_round[name]["cpu_p50"].append(statistics.median(cpu))
            per_round[name]["cpu_p99"].append(percentile(cpu, 0.99))

    n_oos = sum(1 for r in rows if r.get("action") is None)
    print(f"texts: {len(texts)} ({len(texts) - n_oos} in scope, {n_oos} out of scope) from "
          + ", ".join(p.name for p in paths))
    print(f"catalog: {len(registry.actions())} actions, {sum(len(a.templates) for a in registry.actions())} templates"
          f" ({skipped} hassil could not parse); {rounds} paired rounds, order alternating; medians of the rounds")
    print(f"{'':14s} {'p50 ms':>8s} {'p99 ms':>8s} {'cpu p50':>8s} {'cpu p99':>8s} {'right':>7s} {'in-scope':>9s} {'oos refused':>12s}")
    for name in matchers:
        f = {k: statistics.median(v) for k, v in per_round[name].items()}
        label = {"ours": "ours", "hassil": "hassil best", "hassil_first": "hassil first"}[name]
        print(f"{label:14s} {f['p50']:8.3f} {f['p99']:8.3f} {f['cpu_p50']:8.3f} {f['cpu_p99']:8.3f} "
              f"{right[name]:7d} {in_scope[name]:9d} {oos_refused[name]:12d}")
    ratio = statistics.median(per_round["ours"]["p50"]) / statistics.median(per_round["hassil"]["p50"])
    ratio_cpu = statistics.median(per_round["ours"]["cpu_p50"]) / statistics.median(per_round["hassil"]["cpu_p50"])
    print(f"ours / hassil (recognize_best) p50: {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU  (target <= 1.0)")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
