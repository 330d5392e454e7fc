"""The resolver at 5,000 actions: first use, cache load, warm latency, peak memory.

    python bench/resolver_scale.py                          # 250 packs x 20 actions, 7 rounds
    python bench/resolver_scale.py --compare /path/to/tree  # the same figures for another checkout, paired
    python bench/resolver_scale.py --packs 50 --rounds 9    # 1,000 actions

The catalog is bench/resolver.py's synthetic one (made-up pack and topic words, six samples with amounts,
rates and terms, one template per action), at 250 packs: every action has a paraphrased query (other
filler, other numbers, words reordered), so accuracy is measured too.

Every figure comes from fresh processes, the way a person meets it:
- first use: a fresh INTENT_HOME, the index built and written (wall, CPU, peak RSS of the process);
- load: a new process with that cache, `LocalResolver.for_actions` timed (the 5,000 ActionSpecs are made
  before the clock starts: they stand for the registry, which has its own cache);
- in-process load: the same, in a process already holding a resolver over the same catalog (a TUI that
  re-reads the index after a pack change: the collector then has a big heap to walk);
- warm latency: one unmeasured pass over the queries (lazy compiles), then one measured pass; p50, p99.
Rounds alternate between the trees compared (--compare); each figure is the median over rounds.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"load_s": 0.15, "p99_ms": 5.0}


def _catalog(packs: int):
    """The synthetic actions and queries (bench/resolver.py's generator), imported by path so that the
    `intents` already imported (the tree measured) is the one used."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_bench_resolver", ROOT / "bench" / "resolver.py")
    mod = importlib.util.module_from_spec(spec)
    saved = list(sys.path)
    spec.loader.exec_module(mod)
    sys.path[:] = saved  # it puts this checkout first; keep the tree under test first
    return mod.synthetic_actions(packs, 20, syllables=4 if packs * 20 > 3_900 else 3)


def worker(mode: str, home: str, packs: int, queries_n: int) -> dict:
    import intents.resolver.local  # noqa: F401 - the tree under test, before the generator's path change

    from intents.resolver.local import LocalResolver

    actions, queries = _catalog(packs)
    out: dict = {"actions": len(actions)}
    key = f"scale{packs}"
    if mode == "inproc":
        keep = LocalResolver.for_actions(actions, home=Path(home), key=key)  # noqa: F841 - held on purpose
        keep.resolve(queries[0])
    t0, c0 = time.perf_counter(), time.process_time()
    resolver = LocalResolver.for_actions(actions, home=Path(home), key=key)
    out["load_s"], out["load_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
    if mode == "load":
        qs = queries[:queries_n]
        for q in qs:
            resolver.resolve(q)
        wall, cpu = [], []
        for q in qs:
            t0, c0 = time.perf_counter(), time.process_time()
            resolver.resolve(q)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - t0) * 1000)
        wall.sort()
        cpu.sort()
        p99 = max(int(len(wall) * 0.99) - 1, 0)
        out.update({"p50_ms": statistics.median(wall), "p99_ms": wall[p99], "cpu_p50_ms": statistics.median(cpu),
                    "cpu_p99_ms": cpu[p99], "max_ms": wall[-1]})
        out["accuracy"] = sum(resolver.resolve(q).action == a.id for q, a in zip(qs, actions)) / len(qs)
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cache = sorted((Path(home) / "cache").glob("resolver-*"))
    out["cache_mb"] = sum(p.stat().st_size for p in cache) / 1e6
    return out


def run_worker(tree: Path, mode: str, home: str, packs: int, queries_n: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)
    env["INTENT_HOME"] = home
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, home, str(packs), str(queries_n)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=str(tree), check=False)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed ({tree}, {mode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        mode, home, packs, n = argv[1], argv[2], int(argv[3]), int(argv[4])
        sys.path.insert(0, os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0])
        print(json.dumps(worker(mode, home, packs, n)))
        return 0

    def opt(name: str, default):
        if name in argv:
            i = argv.index(name)
            value = type(default)(argv[i + 1]) if not isinstance(default, Path) else Path(argv[i + 1]).resolve()
            del argv[i:i + 2]
            return value
        return default

    rounds = opt("--rounds", 7)
    first_rounds = opt("--first-rounds", 3)
    packs = opt("--packs", 250)
    queries_n = opt("--queries", 1000)
    other = opt("--compare", Path())
    trees = {"this tree": ROOT}
    if other != Path():
        trees[f"{other}"] = other
    figures: dict[str, dict[str, list]] = {name: {} for name in trees}

    def add(name: str, prefix: str, result: dict) -> None:
        for k, v in result.items():
            figures[name].setdefault(prefix + k, []).append(v)

    homes = {}
    order = list(trees)
    for r in range(max(first_rounds, 1)):  # first use: each round a fresh home (the last one is kept)
        for name in (order if r % 2 == 0 else order[::-1]):
            home = tempfile.mkdtemp(prefix="intent-scale-")
            add(name, "first_", run_worker(trees[name], "first", home, packs, queries_n))
            if name in homes:
                shutil.rmtree(homes[name], ignore_errors=True)
            homes[name] = home
    for r in range(rounds):
        for name in (order if r % 2 == 0 else order[::-1]):
            add(name, "", run_worker(trees[name], "load", homes[name], packs, queries_n))
            add(name, "inproc_", run_worker(trees[name], "inproc", homes[name], packs, queries_n))
    for home in homes.values():
        shutil.rmtree(home, ignore_errors=True)

    rows = [("first use: build + write, s", "first_load_s"), ("  CPU s", "first_load_cpu_s"),
            ("  peak RSS MiB", "first_peak_mib"), ("cache file MB", "first_cache_mb"),
            ("load (fresh process), s", "load_s"), ("  CPU s", "load_cpu_s"),
            ("load (in-process), s", "inproc_load_s"), ("  CPU s", "inproc_load_cpu_s"),
            ("warm p50 ms", "p50_ms"), ("warm p99 ms", "p99_ms"), ("  CPU p50 ms", "cpu_p50_ms"),
            ("  CPU p99 ms", "cpu_p99_ms"), ("  slowest ms", "max_ms"), ("accuracy", "accuracy"),
            ("peak RSS MiB (load + resolve)", "peak_mib")]
    n_actions = figures[order[0]]["actions"][0]
    print(f"{n_actions} synthetic actions ({packs} packs); {rounds} rounds of load + latency over {queries_n} queries, "
          f"{max(first_rounds, 1)} of first use; fresh processes, order alternating; medians")
    print(f"{'':32s}" + "".join(f"{name[-24:]:>26s}" for name in order))
    for label, key in rows:
        cells = []
        for name in order:
            values = figures[name].get(key, [])
            cells.append(f"{statistics.median(values):26.3f}" if values else f"{'-':>26s}")
        target = TARGETS.get(key.removeprefix("inproc_"))
        print(f"{label:32s}" + "".join(cells) + (f"   (target <= {target})" if target else ""))
    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
