"""What the healthcare pack itself costs a first ICD-10 look-up, apart from the CLI's generic `do` path (issue 20).

    python bench/icd_first_use.py [--runs 11] [--query "type 2 diabetes"] [--compare DIR]

bench/action_costs.py times whole `intent do healthcare.icd10_lookup ...` processes; on a shared machine
their noise (tens of ms) hides the pack's share. Here every sample is a new process that first imports the
generic stack untimed (the SDK and pydantic with its first model, dispatch, the gate, history, sqlite3,
hashlib) and then times, in CPU ms, what only a healthcare look-up adds:
  - each module of the pack as `import vertical_packs.healthcare` runs it (the registry imports the whole
    pack to run one action): manifest (its value kinds), the other calculators' modules, icd10;
  - opening the index file (version and fingerprint checks, SQLite open, schema and meta checks; the file's
    SHA-256 only when its identity stamp does not vouch for it, see vertical_packs/healthcare/icd10_stamp.py);
  - the look-up itself (posting lists, rows, the result model);
and the RSS those add (MiB). The index comes from a cache folder built beforehand (`python -m
vertical_packs.healthcare.icd10_store FOLDER`, which builds and stamps it like `intent packs prepare`), so this
is the "icd first (prepared)" row's pack share. "(full check)", not in the total, is what opening the same
file once more costs with its SHA-256: what every open paid before the stamp, and what a copied or changed
file still pays once. Samples alternate between this
tree and --compare DIR (before/after, paired); medians and minimums of --runs rounds.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SAMPLE = r"""
import importlib.abc, json, os, sys, time
from pathlib import Path

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

import hashlib, sqlite3
import entitlements.gate, intents.dispatch, intents.history, intents.params, intents.sdk
from pydantic import BaseModel

class _First(BaseModel):  # pydantic's first model (plugin scan, schema machinery) is the generic path's
    a: int

T = time.process_time
modules = {}

class Timed(importlib.abc.MetaPathFinder):  # self time of each module of the pack, as the package imports it
    def find_spec(self, name, path, target=None):
        if not name.startswith("vertical_packs.healthcare."):
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        run = spec.loader.exec_module
        def exec_module(module, run=run, short=name.rsplit(".", 1)[1]):
            start = T()
            run(module)
            modules[short] = modules.get(short, 0.0) + (T() - start) * 1000
        spec.loader.exec_module = exec_module
        return spec

import importlib.util
sys.meta_path.insert(0, Timed())
out, r0 = {}, rss()
t = T()
import vertical_packs.healthcare
total = (T() - t) * 1000
# a module's time includes what it imports of the pack; the calculators' modules import only slots
out["manifest"] = modules.get("manifest", 0.0)
out["icd10"] = modules.get("icd10", 0.0)
out["other modules"] = total - out["manifest"] - out["icd10"]
out["pack import"] = total
t = T()
from vertical_packs.healthcare import icd10
from vertical_packs.healthcare.icd10_index import get_index
cache = Path(os.environ["ICD_CACHE"])
get_index(cache)
out["open index"] = (T() - t) * 1000
t = T()
ctx = type("Ctx", (), {"cache_dir": cache})()
result = icd10.icd10_lookup(query=sys.argv[1], limit=10, ctx=ctx)
assert result.matches, result
out["look-up"] = (T() - t) * 1000
out["pack total"] = out["pack import"] + out["open index"] + out["look-up"]
out["MiB"] = rss() - r0
from vertical_packs.healthcare import icd10_store
path = get_index(cache).db.path
t = T()
icd10_store.open_verified(path).close()
out["(full check)"] = (T() - t) * 1000
print(json.dumps(out))
"""


def prepare_cache(tree: str, env: dict) -> Path:
    """A cache folder holding the index file as `tree`'s code builds it (its format and library version)."""
    folder = Path(tempfile.mkdtemp(prefix="icd-first-use-")) / "cache"
    subprocess.run([sys.executable, "-m", "vertical_packs.healthcare.icd10_store", str(folder)],
                   env={**env, "PYTHONPATH": tree}, check=True, stdout=subprocess.DEVNULL, cwd=folder.parent)
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--query", default="type 2 diabetes")
    ap.add_argument("--compare", metavar="DIR", help="another checkout, sampled in the same rounds")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    trees = {"this tree": str(ROOT)}
    if args.compare:
        trees["@base"] = str(Path(args.compare).resolve())
    caches = {name: prepare_cache(tree, env) for name, tree in trees.items()}
    samples: dict[str, list[dict]] = {name: [] for name in trees}
    for n in range(args.runs):
        for name in (list(trees) if n % 2 == 0 else list(trees)[::-1]):
            proc = subprocess.run([sys.executable, "-c", _SAMPLE, args.query], capture_output=True, text=True,
                                  env={**env, "PYTHONPATH": trees[name], "ICD_CACHE": str(caches[name])},
                                  cwd=caches[name].parent)
            if proc.returncode != 0:
                sys.stderr.write(f"{name}: sample failed:\n{proc.stderr[-3000:]}\n")
                return 1
            samples[name].append(json.loads(proc.stdout.strip().splitlines()[-1]))
        sys.stderr.write(f"\rround {n + 1}/{args.runs}")
    sys.stderr.write("\n")
    print(f"healthcare pack's share of a first ICD-10 look-up (query {args.query!r}), CPU ms: median (min) of "
          f"{args.runs} fresh processes, paired")
    fields = list(samples["this tree"][0])
    print(f"{'':<16}" + "".join(f"{name:>22}" for name in trees))
    for f in fields:
        cells = []
        for name in trees:
            values = [s[f] for s in samples[name]]
            cells.append(f"{statistics.median(values):10.1f} ({min(values):6.1f})")
        print(f"{f:<16}" + "".join(f"{c:>22}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
