"""Speed of every installed pack action, and what each pack costs to import.

    python bench/packs.py [--runs 200] [--proc-runs 5] [--no-first-call] [--only finance,legal]

1. Warm run: for every action of every installed pack that has an example below, the median of N calls
   of the registry's live action (params model validation + the action's function), after warm-up
   calls; dispatch (gate, history, thread) is excluded. Actions added later without an example are
   listed as such, never silently dropped; actions in EXAMPLES that are not installed are skipped.
2. First call: in a fresh process with the pack already imported, the time of the action's first call,
   which is when it imports its heavy libraries (listed: the top-level modules that call imported).
3. Import: wall time of a fresh `python -c "import <pack module>"` minus the same for
   `import intents.sdk` (every pack imports the SDK), best of a few processes (the minimum is the
   least noisy figure on a shared machine); plus the pack's import timed inside such a process.

Targets (issue 4): every calculator < 1 ms warm, ICD-10 search < 20 ms, citation extraction of a
50-page brief < 1 s.
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
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
# run as `python bench/packs.py`, bench/ comes first on sys.path, and its entitlements.py (that bench)
# would shadow the entitlements package: put the repository first instead
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

# ---- example inputs, per action id (catalog slot names) --------------------------------------------

CITED = [
    "Bush v. Gore, 531 U.S. 98 (2000)",
    "Brown v. Board of Education, 347 U.S. 483, 495 (1954)",
    "Ashcroft v. Iqbal, 556 U.S. 662, 678 (2009)",
    "Bell Atlantic Corp. v. Twombly, 550 U.S. 544, 570 (2007)",
    "Celotex Corp. v. Catrett, 477 U.S. 317, 322 (1986)",
    "Anderson v. Liberty Lobby, Inc., 477 U.S. 242, 248 (1986)",
    "Lissner v. Saad, 1 F.4th 1 (1st Cir. 2021)",
    "Conley v. Gibson, 355 U.S. 41 (1957)",
    "United States v. Booker, 543 U.S. 220 (2005)",
    "Smith v. Jones, 123 F.3d 456, 460 (9th Cir. 1997)",
]
FILLER = (
    "Plaintiff contends that the district court erred in granting the motion, because the record, read "
    "in the light most favorable to the non-moving party, raises a genuine dispute of material fact as "
    "to whether the defendant knew of the defect before the closing date and failed to disclose it. "
)


def brief_text(pages: int = 50, words_per_page: int = 260) -> str:
    """A synthetic appellate brief: FRAP 32(a)(7)(B) caps a principal brief at 13,000 words, about
    50 double-spaced pages of 260 words; four citation sentences a page (full cites, Id., statutes)."""
    per_chunk = max(1, (words_per_page // 4) // len(FILLER.split()))
    out = []
    for page in range(pages):
        parts = []
        for i in range(4):
            cite = CITED[(page * 4 + i) % len(CITED)]
            extra = f"Id. at {page + 3}." if i % 2 else "See also 28 U.S.C. § 1331."
            parts.append(FILLER * per_chunk + f"See {cite}. {extra} ")
        out.append("".join(parts))
    return "\n\n".join(out)


CONTRACT = (
    "MUTUAL NON-DISCLOSURE AGREEMENT. This Agreement is made effective as of March 1, 2026 between Acme "
    "Corporation, a Delaware corporation (\"Acme\"), and Beta Labs LLC, a California limited liability "
    "company (\"Beta\"). The term of this Agreement is two (2) years. Beta shall pay Acme a fee of "
    "$25,000.00 within thirty days. This Agreement shall be governed by the laws of the State of Delaware. "
    "Contact: jane.doe@acme.example, phone (415) 555-0132, SSN 536-90-4399. "
) * 4

Factory = Callable[[Path], dict[str, Any]]  # gets a scratch directory, returns the parameters


def _brief_file(work: Path) -> dict[str, Any]:
    path = work / "brief-50-pages.txt"
    if not path.exists():
        path.write_text(brief_text(), encoding="utf-8")
    return {"source": str(path)}


EXAMPLES: dict[str, dict[str, Any] | Factory] = {
    "finance.loan_payment": {"principal": 300000, "rate_pct": 6.5, "years": 30},
    "finance.amortization": {"principal": 300000, "rate_pct": 6.5, "years": 30},
    "finance.amortization_csv": {"principal": 300000, "rate_pct": 6.5, "years": 30},
    "finance.compound_interest": {"principal": 10000, "rate_pct": 5, "years": 10, "monthly_contribution": 200},
    "finance.savings_goal": {"target": 50000, "rate_pct": 6, "years": 18},
    "finance.npv": {"rate_pct": 8, "cash_flows": [-40000, 5000, 8000, 12000, 30000]},
    "finance.irr": {"cash_flows": [-70000, 12000, 15000, 18000, 21000, 26000]},
    "finance.convert_currency": {"amount": 100, "from_currency": "EUR", "to_currency": "USD", "date": "2024-01-02"},
    "legal.deadline": {"start_date": "2026-12-11", "days": 21},
    "legal.extract_citations": _brief_file,
    "legal.draft_nda": {"party_a": "Acme Corporation", "party_b": "Beta Labs LLC"},
    "legal.redact": {"source": CONTRACT},
    "legal.contract_summary": {"source": CONTRACT},
    "healthcare.bmi": {"weight_kg": 68, "height_cm": 165},
    "healthcare.bsa": {"weight_kg": 80, "height_cm": 180},
    "healthcare.egfr": {"creatinine_mg_dl": 1.1, "age": 60, "sex": "female"},
    "healthcare.creatinine_clearance": {"age": 70, "weight_kg": 72, "creatinine_mg_dl": 1.4, "sex": "male"},
    "healthcare.qtc": {"qt_ms": 400, "heart_rate_bpm": 75},
    "healthcare.icd10_lookup": {"query": "type 2 diabetes with hyperglycemia"},
    "healthcare.dose": {"weight_kg": 20, "dose_mg_per_kg": 15},
    "healthcare.convert_lab": {"value": 126, "analyte": "glucose", "unit": "mg/dL"},
    "system.plan": {},
    "system.packs": {},
    "system.install_pack": {"pack": "finance"},  # already installed: a no-op that still runs the action
    "system.help": {},
    "system.history": {},
}
NOT_TIMED = {"system.remove_pack": "changes the installed set"}

TARGET_MS = {"healthcare.icd10_lookup": 20.0, "legal.extract_citations": 1000.0}
CALCULATOR_PACKS = {"finance", "healthcare"}  # their other read-only actions are calculators: < 1 ms


def target_ms(spec) -> float | None:
    if spec.id in TARGET_MS:
        return TARGET_MS[spec.id]
    calculator = spec.pack in CALCULATOR_PACKS and spec.risk.value == "read-only"  # not file exports
    return 1.0 if calculator else None


def params_for(action_id: str, work: Path) -> dict[str, Any] | None:
    example = EXAMPLES.get(action_id)
    if example is None:
        return None
    return example(work) if callable(example) else dict(example)


# ---- measuring -------------------------------------------------------------------------------------

def make_session(home: Path, work: Path):
    from intents.session import Session

    return Session(home=home, out_dir=work / "out")


def context(session, action):
    """The context the dispatcher would hand this action (each pack gets its own)."""
    return session.dispatcher.context_for(action)


def warm_ms(action, values: dict[str, Any], ctx, runs: int, budget_s: float = 3.0) -> tuple[float, int]:
    """Median ms of validate+call, after two warm-up calls; stops early when the time budget is spent."""
    for _ in range(2):
        action.call(action.params_model.model_validate(values), ctx)
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < runs and (len(times) < 3 or time.perf_counter() < deadline):
        start = time.perf_counter()
        action.call(action.params_model.model_validate(values), ctx)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(times)


def proc_ms(codes: list[str], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Best wall time of `runs` fresh processes per snippet. Rounds are interleaved, so a load swing on
    a shared machine hits the baseline and the packs alike; the minimum is the least noisy figure."""
    times: dict[str, list[float]] = {code: [] for code in codes}
    for _ in range(runs):
        for code in codes:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[code].append((time.perf_counter() - start) * 1000)
    return {code: min(t) for code, t in times.items()}


def in_process_import_ms(module: str, runs: int, env: dict[str, str]) -> float:
    """Import time of `module` alone, measured inside fresh processes that already imported the SDK."""
    code = ("import time, intents.sdk; t = time.perf_counter(); import " + module +
            "; print((time.perf_counter() - t) * 1000)")
    times = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True)
        times.append(float(proc.stdout.strip()))
    return min(times)


def child_first_call(action_id: str) -> None:
    """Runs in a fresh process: import the pack, then time the action's first call; prints JSON."""
    home, work = Path(os.environ["INTENT_HOME"]), Path(os.environ["BENCH_WORK"])
    session = make_session(home, work)
    action = session.registry.action(action_id)  # imports the pack module (not timed here)
    params = action.params_model.model_validate(params_for(action_id, work))
    before = {m.split(".")[0] for m in sys.modules}
    start = time.perf_counter()
    action.call(params, context(session, action))
    elapsed = (time.perf_counter() - start) * 1000
    # third-party top-level packages the call pulled in (stdlib and private helpers left out)
    heavy = sorted(m for m in {m.split(".")[0] for m in sys.modules} - before
                   if not m.startswith("_") and m not in sys.stdlib_module_names)
    print(json.dumps({"ms": elapsed, "imported": heavy}))


def first_call(action_id: str, env: dict[str, str]) -> tuple[float | None, list[str], str | None]:
    proc = subprocess.run([sys.executable, __file__, "--child", action_id], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        return None, [], (proc.stderr.strip().splitlines() or ["failed"])[-1]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["ms"], data["imported"], None


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "–"
    return f"{ms * 1000:.0f} µs" if ms < 1 else f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


# ---- main ------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=200, help="warm calls per action (median; capped by ~3 s)")
    ap.add_argument("--proc-runs", type=int, default=5, help="fresh processes per import measurement")
    ap.add_argument("--no-first-call", action="store_true", help="skip the fresh-process first-call column")
    ap.add_argument("--only", default="", help="comma-separated pack ids")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_first_call(args.child)
        return 0

    home = Path(tempfile.mkdtemp(prefix="intent-bench-home-"))
    work = Path(tempfile.mkdtemp(prefix="intent-bench-work-"))
    # as the CLI does (terminal/cli.py): no pydantic plugin scan, so imports are timed as users pay them
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    env = {**os.environ, "INTENT_HOME": str(home), "BENCH_WORK": str(work), "PYTHONPATH": str(ROOT)}
    os.environ.update({"INTENT_HOME": str(home), "BENCH_WORK": str(work)})
    session = make_session(home, work)
    registry = session.registry
    only = {p for p in args.only.split(",") if p}

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]} · {os.cpu_count()} cores · load {load} · warm = median of up to {args.runs} "
          "calls of params validation + action (no dispatch)\n")
    header = f"{'action':34} {'warm':>10} {'target':>8} {'ok':>4} {'first call':>11}  heavy imports on first call"
    print(header)
    print("-" * len(header))
    misses = []
    for spec in sorted(registry.actions(), key=lambda s: s.id):
        if only and spec.pack not in only:
            continue
        if spec.id in NOT_TIMED:
            print(f"{spec.id:34} {'–':>10} {'':>8} {'':>4} {'':>11}  not timed: {NOT_TIMED[spec.id]}")
            continue
        values = params_for(spec.id, work)
        if values is None:
            print(f"{spec.id:34} {'–':>10} {'':>8} {'':>4} {'':>11}  no example in bench/packs.py EXAMPLES")
            continue
        try:
            action = registry.action(spec.id)
            # actions that write files make a new one per call; a few calls are enough to time them
            runs = min(args.runs, 20) if spec.risk.value != "read-only" else args.runs
            warm, n = warm_ms(action, values, context(session, action), runs)
        except Exception as exc:  # a pack being built may fail: report it, keep benching the rest
            print(f"{spec.id:34} {'error':>10}  {type(exc).__name__}: {str(exc)[:90]}")
            continue
        target = target_ms(spec)
        ok = "" if target is None else ("yes" if warm < target else "NO")
        if ok == "NO":
            misses.append(spec.id)
        first, heavy, err = (None, [], None) if args.no_first_call else first_call(spec.id, env)
        note = err or ", ".join(heavy[:6]) + (" …" if len(heavy) > 6 else "")
        print(f"{spec.id:34} {fmt_ms(warm):>10} {fmt_ms(target):>8} {ok:>4} {fmt_ms(first):>11}  {note}")

    print("\nImport time each pack adds (wall time of fresh processes, best of "
          f"{args.proc_runs}, minus `import intents.sdk`;\n  in-process: the pack's own import after the SDK, "
          "timed inside the process;\n  under load the wall-time differences are within noise, the in-process "
          "figure is the one to read)")
    modules = {pack_id: pack.entry_point.split(":")[0] if pack.entry_point else f"vertical_packs.{pack_id}"
               for pack_id, pack in sorted(registry.packs.items()) if not only or pack_id in only}
    walls = proc_ms(["pass", "import intents.sdk", *(f"import {m}" for m in modules.values())], args.proc_runs, env)
    sdk = walls["import intents.sdk"]
    print(f"  {'python -c pass':34} {walls['pass']:8.0f} ms")
    print(f"  {'import intents.sdk (baseline)':34} {sdk:8.0f} ms")
    for module in modules.values():
        total = walls[f"import {module}"]
        alone = in_process_import_ms(module, args.proc_runs, env)
        print(f"  {module:34} {total:8.0f} ms   adds {total - sdk:6.0f} ms   (in-process: {alone:5.0f} ms)")
    for name, broken in sorted(registry.broken.items()):
        print(f"  {name:34} broken: {broken.error[:100]}")
    for action_id in sorted(set(EXAMPLES) - {s.id for s in registry.actions()}):
        if not only or action_id.split(".")[0] in only:
            print(f"  (skipped, not installed yet: {action_id})")
    print("\nall targets met" if not misses else f"\nmissed targets: {', '.join(misses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
