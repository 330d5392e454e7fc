"""What running an action costs, next to what resolving one costs (issue 20), in one paired run.

    python bench/action_costs.py [--runs 7] [--only NAME,...] [--importtime NAME] [--compare DIR]

Every sample is a new `python -m terminal.cli ...` process (the `intent` entry point's code), started and
timed by a small launcher process: wall ms from fork to reap, CPU ms (user + system of the child and its
threads, from os.wait4's rusage) and peak RSS MiB (ru_maxrss of that child; started from the ~10 MiB
launcher, not from the bench, whose own RSS Linux would count as the child's peak). Rounds are paired: each round runs
every row once, in forward order on even rounds and reverse order on odd ones, and a row's ratio is the
median over rounds of (its wall / the same round's cold resolve wall), so a busy machine slows both
sides of a ratio alike ("x ref": against the row the target names; "CPU x res": the same for CPU
time, steadier than wall on a shared machine). Targets are judged on the wall ratios. Figures are medians of --runs rounds (at least 7).

Homes. Every row runs against a private INTENT_HOME with an activated enterprise licence (a throwaway
signing key trusted through INTENT_TRUST_DIR; healthcare and legal need a paid plan), except the row
marked "free". "warm" rows copy a template home (its pack cache, resolver index and the action's own
caches built by two unmeasured runs of the same command) into a new home for each sample; "fresh" rows
get a new home holding only the licence, so first use (every cache the command builds) is included.
The "fresh" loan-payment row shows what first start costs any action, for reading the ICD-10 one. Rows run
with the installation's shared cache off (INTENT_SHARED_CACHE=off), so a fresh home has nothing at all, except
the "installed" rows: a fresh home on an installation where `intent packs prepare` ran once (unmeasured, in
another home: the README's set-up line), which left the ICD-10 index, the pack cache and the resolver index
in the installation's shared cache (one folder for the whole bench).
"prepared" rows copy a template home on which only `intent packs prepare` ran (unmeasured; the README's
set-up line runs it), so the first ICD-10 lookup there is a first use after set-up. A copy is a new file,
though, and the ICD-10 index is trusted by its stamped identity (inode, ctime), which a user's own home keeps:
so the ICD rows settle each copy first, unmeasured (`packs prepare` again for "prepared", one lookup for
"later"), as that home would be.

With --compare DIR every row also runs from another checkout (its rows are named "... @base" and their
ratios are to that checkout's own resolve), in the same rounds: before and after a change, side by side.

A row's command fails the bench (exit 1) if it exits non-zero or its JSON lacks the expected field:
a fast error is not a fast action.

--instructions adds, per row, the instructions one more cold process executes (valgrind's cachegrind, no cache
simulation; in the row's kind of home, settled as for a sample), and their ratio to the same code's resolve:
a figure no other load on the machine moves, for comparing before and after a small change. Rows slower
than a second are left out of it (their one-time builds take minutes under valgrind).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import UTTERANCE as LOAN_TEXT  # noqa: E402  the cold-start bench's utterance

CURRENCY_TEXT = "convert 100 euros to dollars"
CITATIONS_TEXT = "extract the citations from: see Roe v. Wade, 410 U.S. 113 (1973)"
ICD_QUERY = "type 2 diabetes"
CLI = [sys.executable, "-m", "terminal.cli"]


@dataclass
class Row:
    name: str
    args: list[str]
    expect: str  # a result field the JSON must carry
    # warm, fresh, prepared (fresh + `intent packs prepare`), installed (fresh, on an installation whose
    # shared cache `packs prepare` filled) or free (warm, free plan)
    home: str = "warm"
    target: str = ""
    base: str = "resolve"  # the row an "x ref" ratio is taken against
    limit_ratio: float | None = None
    limit_ms: float | None = None
    limit_mib: float | None = None
    code: str | None = None  # another checkout to run this row's code from (--compare)
    samples: list[tuple[float, float, float]] = field(default_factory=list)  # (wall, cpu, mib)
    ratios: list[float] = field(default_factory=list)
    cpu_ratios: list[float] = field(default_factory=list)
    template: Path | None = None
    instructions: float | None = None  # millions, with --instructions
    # a copied home is a new file to any cache that trusts a file by its identity (the ICD-10 index's stamp),
    # which a user's home never is: such rows settle the copy with one unmeasured run (or prepare) first
    settle: bool = False


def rows(code: str | None = None, suffix: str = "") -> list[Row]:
    table = _rows()
    for row in table:
        row.code, row.name, row.base = code, row.name + suffix, row.base + suffix
    return table


def _rows() -> list[Row]:
    loan = ["principal=300000", "rate_pct=6.5", "years=30"]
    icd = ["do", "healthcare.icd10_lookup", f"query={ICD_QUERY}", "--json"]
    return [
        Row("resolve", ["resolve", "--json", LOAN_TEXT], "action", target="baseline"),
        Row("do loan", ["do", "finance.loan_payment", *loan, "--json"], "monthly_payment",
            target="<= 2.5x resolve", limit_ratio=2.5),
        Row("run loan", ["run", "--json", LOAN_TEXT], "monthly_payment", target="<= 3x resolve", limit_ratio=3.0),
        Row("do loan free", ["do", "finance.loan_payment", *loan, "--json"], "monthly_payment", home="free",
            target="(free plan, no licence)"),
        Row("do loan fresh", ["do", "finance.loan_payment", *loan, "--json"], "monthly_payment", home="fresh",
            target="(first start in a new home)"),
        Row("do loan new home", ["do", "finance.loan_payment", *loan, "--json"], "monthly_payment", home="installed",
            target="(first start in a new home after set-up)"),
        Row("icd first", icd, "matches", home="fresh", target="(nothing prepared anywhere: the one-time build)"),
        Row("icd first (installed)", icd, "matches", home="installed", limit_ms=300, limit_mib=60,
            target="<= 300 ms, <= 60 MiB, first use in a new home after set-up"),
        Row("icd first (prepared)", icd, "matches", home="prepared", limit_ms=300, limit_mib=60,
            target="<= 300 ms, <= 60 MiB, first use after `intent packs prepare`", settle=True),
        Row("icd later", icd, "matches", target="(later lookups)", settle=True),
        Row("run currency", ["run", "--json", CURRENCY_TEXT], "converted", target="<= 1.5x run loan",
            base="run loan", limit_ratio=1.5),
        Row("run citations", ["run", "--json", CITATIONS_TEXT], "citations", target="<= 2x run loan",
            base="run loan", limit_ratio=2.0),
    ]


class Homes:
    """Private homes under one temporary directory, sharing one throwaway vendor key."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="intent-action-costs-"))
        self.count = 0
        self.env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY")}
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode caches as in a normal install
        self.env["NO_COLOR"] = "1"
        self.env["INTENT_SHARED_CACHE"] = "off"  # each home alone, but for the "installed" row
        self.shared = self.base / "installation-shared-cache"

    def new(self, licensed: bool = True) -> Path:
        from tests.licensing import activate_plan

        self.count += 1
        home = self.base / f"home-{self.count}"
        home.mkdir()
        if licensed:
            activate_plan(home, "enterprise")  # sets INTENT_TRUST_DIR in os.environ
            self.env["INTENT_TRUST_DIR"] = os.environ["INTENT_TRUST_DIR"]
        return home

    def copy(self, template: Path) -> Path:
        self.count += 1
        home = self.base / f"home-{self.count}"
        shutil.copytree(template, home, symlinks=True)
        return home

    def discard(self, home: Path) -> None:
        shutil.rmtree(home, ignore_errors=True)

    def cleanup(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


# The child is started by this small launcher, not by the bench itself: Linux's ru_maxrss of a process
# includes the high-water mark of the memory it exec'd from (fork or vfork alike), so a child spawned straight
# from the bench (~66 MiB: the licence tooling, the homes) reports at least the bench's RSS, whatever it uses.
# The launcher (`python -I -S`, ~10 MiB, less than any command measured) forks and execs the command, times
# it and reports (wall ms, CPU ms, peak RSS MiB, exit code) from os.wait4 as one JSON line.
_LAUNCHER = """
import json, os, sys, time
out, cwd, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
sink = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
null = os.open(os.devnull, os.O_RDONLY)
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.dup2(null, 0); os.dup2(sink, 1); os.dup2(sink, 2); os.chdir(cwd)
        os.execv(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = (time.perf_counter() - start) * 1000
print(json.dumps([wall, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024,
                  os.waitstatus_to_exitcode(status)]))
"""


def measure(cmd: list[str], env: dict, out: Path) -> tuple[float, float, float, int]:
    """(wall ms, CPU ms, peak RSS MiB, exit code) of one child process."""
    # cwd: a folder of our own, so `python -m` finds the code through PYTHONPATH, not the cwd
    launched = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER, str(out), str(out.parent), *cmd],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    if launched.returncode != 0:
        raise SystemExit(f"the bench's launcher failed: {launched.stderr.decode(errors='replace')[-2000:]}")
    wall, cpu, mib, code = json.loads(launched.stdout)
    return wall, cpu, mib, code  # ru_maxrss is KiB on Linux


def check_output(row: Row, out: Path, code: int) -> None:
    text = out.read_text(errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    ok = code == 0 and isinstance(data, dict) and (
        row.expect in data or row.expect in (data.get("result") or {}))
    if not ok:
        sys.stderr.write(f"{row.name}: exit {code}, no '{row.expect}' in its output:\n{text[:2000]}\n")
        raise SystemExit(1)


def env_for(row: Row, homes: Homes, home: Path) -> dict:
    env = {**homes.env, "INTENT_HOME": str(home)}
    if row.home == "installed":
        env["INTENT_SHARED_CACHE"] = str(homes.shared)
    if row.code:
        env["PYTHONPATH"] = row.code
    return env


def sample(row: Row, homes: Homes) -> tuple[float, float, float]:
    if row.home in ("fresh", "installed"):
        home = homes.new()
    else:
        home = homes.copy(row.template)
    env = env_for(row, homes, home)
    out = homes.base / "out.txt"
    if row.settle and row.home == "prepared":
        measure(CLI + ["packs", "prepare", "--json"], env, out)
    elif row.settle:
        measure(CLI + row.args, env, out)
    wall, cpu, mib, code = measure(CLI + row.args, env, out)
    check_output(row, out, code)
    homes.discard(home)
    return wall, cpu, mib


def count_instructions(row: Row, homes: Homes) -> None:
    """One more cold process of the row under cachegrind: its instruction count, in millions."""
    home = homes.new() if row.home in ("fresh", "installed") else homes.copy(row.template)
    env = env_for(row, homes, home)
    out, log = homes.base / "out.txt", homes.base / "valgrind.log"
    if row.settle and row.home == "prepared":
        measure(CLI + ["packs", "prepare", "--json"], env, out)
    elif row.settle:
        measure(CLI + row.args, env, out)
    valgrind = [shutil.which("valgrind") or "valgrind", "--tool=cachegrind", "--cache-sim=no",
                "--cachegrind-out-file=/dev/null", f"--log-file={log}"]
    *_, code = measure(valgrind + CLI + row.args, env, out)
    check_output(row, out, code)
    for line in log.read_text(errors="replace").splitlines():
        if "I   refs:" in line or "I refs:" in line:
            row.instructions = int(line.rsplit(":", 1)[1].replace(",", "").strip()) / 1e6
    homes.discard(home)


def prepare(row: Row, homes: Homes) -> None:
    """A template home for warm rows: the same command run twice (unmeasured) builds its caches. For
    "prepared" rows: a new home on which only `intent packs prepare` ran (the README's set-up line)."""
    if row.home == "fresh":
        return
    home = homes.new(licensed=row.home != "free")
    env = env_for(row, homes, home)
    out = homes.base / "out.txt"
    if row.home == "installed":  # set-up, in a home of its own: the index goes to the shared cache
        *_, code = measure(CLI + ["packs", "prepare", "--json"], env, out)
        if code != 0:
            sys.stderr.write(f"{row.name}: `intent packs prepare` exited {code}:\n{out.read_text()[:2000]}\n")
            raise SystemExit(1)
        homes.discard(home)
        return
    if row.home == "prepared":
        *_, code = measure(CLI + ["packs", "prepare", "--json"], env, out)
        if code != 0:
            sys.stderr.write(f"{row.name}: `intent packs prepare` exited {code}:\n{out.read_text()[:2000]}\n")
            raise SystemExit(1)
        row.template = home
        return
    for _ in range(2):
        *_, code = measure(CLI + row.args, env, out)
        check_output(row, out, code)
    row.template = home


def report(table: list[Row], runs: int) -> bool:
    by_name = {r.name: r for r in table}
    counted = any(r.instructions is not None for r in table)
    print(f"intent action costs: median of {runs} paired rounds (alternating order), each sample a new process")
    print(f"{'row':<21} {'home':<8} {'wall ms':>8} {'CPU ms':>8} {'RSS MiB':>8} {'x resolve':>9} "
          f"{'x ref':>7} {'CPU x res':>9}" + (f" {'instr M':>8} {'instr x':>7}" if counted else "") + "  target")
    all_met = True
    for row in table:
        wall = statistics.median(s[0] for s in row.samples)
        cpu = statistics.median(s[1] for s in row.samples)
        mib = statistics.median(s[2] for s in row.samples)
        x_resolve = statistics.median(row.ratios)
        base = by_name.get(row.base)
        x_base = ""
        if base is not None and not row.base.startswith("resolve"):
            x_base = f"{statistics.median(a[0] / b[0] for a, b in zip(row.samples, base.samples)):6.2f}x"
            ratio = float(x_base[:-1])
        else:
            ratio = x_resolve
        met = True
        if row.limit_ratio is not None:
            met &= ratio <= row.limit_ratio
        if row.limit_ms is not None:
            met &= wall <= row.limit_ms
        if row.limit_mib is not None:
            met &= mib <= row.limit_mib
        mark = "" if not (row.limit_ratio or row.limit_ms or row.limit_mib) else ("  met" if met else "  MISSED")
        all_met &= met
        instr = ""
        if counted:
            ref = by_name.get("resolve" + (" @base" if row.code else ""))
            instr = (f" {row.instructions:8.1f} {row.instructions / ref.instructions:6.2f}x"
                     if row.instructions and ref is not None and ref.instructions else f" {'–':>8} {'–':>7}")
        print(f"{row.name:<21} {row.home:<8} {wall:8.1f} {cpu:8.1f} {mib:8.1f} {x_resolve:8.2f}x "
              f"{x_base:>7} {statistics.median(row.cpu_ratios):8.2f}x{instr}  {row.target}{mark}")
    print("commands (python -m terminal.cli ...):")
    for row in table:
        print(f"  {row.name:<21} {' '.join(row.args)}")
    return all_met


def importtime(row: Row, homes: Homes) -> None:
    """The largest cumulative imports of one row's command (one run, in the row's kind of home)."""
    prepare(row, homes)
    home = homes.new() if row.home in ("fresh", "installed") else homes.copy(row.template)
    proc = subprocess.run([sys.executable, "-X", "importtime", *CLI[1:], *row.args], env=env_for(row, homes, home),
                          capture_output=True, text=True, cwd=homes.base)
    found = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            found.append((int(parts[1]), parts[2].rstrip()))
    print(f"largest cumulative imports of `{' '.join(row.args)}`:")
    for us, name in sorted(found, reverse=True)[:25]:
        print(f"  {us / 1000:7.1f} ms {name}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="paired rounds (default 7; fewer is refused)")
    ap.add_argument("--only", help="comma-separated row names (the resolve baseline is always included)")
    ap.add_argument("--importtime", metavar="NAME", help="print one row's largest imports instead")
    ap.add_argument("--list", action="store_true", help="list the row names and exit")
    ap.add_argument("--instructions", action="store_true",
                    help="also count each row's instructions once under valgrind (steady on a busy machine)")
    ap.add_argument("--compare", metavar="DIR", help="also run every row from another checkout (PYTHONPATH=DIR), "
                    "e.g. `git archive BASE | tar -x -C DIR`: before and after, paired in the same rounds")
    args = ap.parse_args()
    table = rows()
    if args.compare:
        table += rows(str(Path(args.compare).resolve()), " @base")
    if args.list:
        for row in table:
            print(f"{row.name:<15} {' '.join(row.args)}")
        return 0
    homes = Homes()
    try:
        if args.importtime:
            chosen = [r for r in table if r.name == args.importtime]
            if not chosen:
                ap.error(f"no row named {args.importtime!r} (see --list)")
            importtime(chosen[0], homes)
            return 0
        if args.runs < 7:
            ap.error("--runs must be at least 7 (medians of fewer are noise on a shared machine)")
        if args.only:
            wanted = {"resolve", *(n.strip() for n in args.only.split(","))}
            wanted |= {n + " @base" for n in wanted}
            wanted |= {r.base for r in table if r.name in wanted}
            table = [r for r in table if r.name in wanted]
        for row in table:
            prepare(row, homes)
        for n in range(args.runs):
            order = table if n % 2 == 0 else table[::-1]
            round_samples = {row.name: sample(row, homes) for row in order}
            for row in table:
                row.samples.append(round_samples[row.name])
                ref = round_samples["resolve" + (" @base" if row.code else "")]  # the same code's resolve
                row.ratios.append(round_samples[row.name][0] / ref[0])
                row.cpu_ratios.append(round_samples[row.name][1] / ref[1])
            sys.stderr.write(f"\rround {n + 1}/{args.runs}")
        sys.stderr.write("\n")
        if args.instructions:
            if shutil.which("valgrind") is None:
                ap.error("--instructions needs valgrind (Debian package valgrind)")
            for n, row in enumerate(table, 1):
                if statistics.median(s[0] for s in row.samples) <= 1000:
                    count_instructions(row, homes)
                sys.stderr.write(f"\rinstructions {n}/{len(table)}")
            sys.stderr.write("\n")
        report(table, args.runs)
        return 0
    finally:
        homes.cleanup()


if __name__ == "__main__":
    sys.exit(main())
