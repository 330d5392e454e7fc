"""Start-up and typing figures for the terminal UI.

    python bench/tui_startup.py [--runs 11] [--pause 0.5]

Each run is a fresh interpreter (cold imports) running the real app headless at 80x24 over a private
INTENT_HOME whose pack cache is already warm (as after the first launch). It prints:
- time to first frame: from the start of the process's Python code (before any import) to the first
  frame painted, with the title, the preview and the intent line ready to type (target: under 400 ms);
  the footer's keys come in the frame after, reported too, as is the same figure for a minimal Textual
  app launched just before each run. Bytecode caches are written by an unmeasured first launch, as in a
  normal install (PYTHONDONTWRITEBYTECODE is removed from the children's environment);
- keystroke to preview: from the key event's creation (as the driver reads it) to the live preview
  updated, and to the frame showing it painted, over every keystroke of a typed utterance (target: under
  16 ms).
"""
from __future__ import annotations

import time

T0 = time.perf_counter()  # before any import below: the start of the measured start-up

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

UTTERANCE = "monthly payment on a 300k loan at 6.5% over 30 years"


def child() -> None:
    """One measured launch: print a JSON line with the figures."""
    from terminal.tui.app import IntentApp

    app = IntentApp()
    figures: dict = {}

    async def drive(pilot) -> None:
        while app.first_frame_ms is None:
            await pilot.pause(0.005)
        figures["first_frame_ms"] = app.first_frame_ms_since(T0)
        while app.complete_frame_ms is None:
            await pilot.pause(0.005)
        figures["complete_frame_ms"] = app.first_frame_ms_since(T0, complete=True)
        while not app.main_screen.ready:  # registry, resolver index, plan: loaded after the first frame
            await pilot.pause(0.01)
        await pilot.press(*UTTERANCE)
        await pilot.pause()
        main = app.main_screen
        figures["preview_ms"] = main.preview_ms
        figures["paint_ms"] = main.paint_ms
        figures["preview"] = str(main.query_one("#preview").render()).splitlines()[0]
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=drive)
    print(json.dumps(figures))


def minimal_child() -> None:
    """The same measurement for a minimal Textual app (one Static): the floor on this machine right now."""
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        first_ms = 0.0

        def compose(self):
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.done)

        def done(self) -> None:
            self.first_ms = (time.perf_counter() - T0) * 1000
            self.exit()

    app = Minimal()
    app.run(headless=True, size=(80, 24))
    print(json.dumps({"first_frame_ms": app.first_ms}))


def launch(flag: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, flag], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds of rest before each launch")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="intent-bench-")
    # A normal Python caches compiled modules in __pycache__; this environment sets
    # PYTHONDONTWRITEBYTECODE, which makes every launch recompile the project's sources (the TUI's alone
    # are ~60 kB). Measure the normal case, like bench/startup.py and bench/resolver.py do.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["INTENT_HOME"] = home
    # Warm the pack cache once, as any launch after the first finds it.
    subprocess.run([sys.executable, "-m", "terminal.cli", "resolve", "--json", "warm up"], env=env,
                   capture_output=True, check=False)
    # One unmeasured launch of each kind: it writes the bytecode caches, as the first launch of an install does.
    launch("--minimal", env)
    launch("--child", env)
    firsts, completes, minimal, previews, paints, preview_line = [], [], [], [], [], ""
    over = []  # ours minus the minimal app launched just before: the part of the figure that is ours
    for run in range(args.runs):
        # This VM's CPU share drifts over seconds: a pause before each launch, and the two kinds alternate
        # who goes first, so that neither is always the one launched into a spent share.
        time.sleep(args.pause)
        if run % 2:
            data = launch("--child", env)
            time.sleep(args.pause)
            minimal.append(launch("--minimal", env)["first_frame_ms"])
        else:
            minimal.append(launch("--minimal", env)["first_frame_ms"])
            time.sleep(args.pause)
            data = launch("--child", env)
        firsts.append(data["first_frame_ms"])
        completes.append(data["complete_frame_ms"])
        over.append(firsts[-1] - minimal[-1])
        previews += data["preview_ms"][1:]  # the first key also pays for one-off lazy work
        paints += data["paint_ms"][1:]
        preview_line = data["preview"]
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]  # noqa: E731
    print(f"time to first frame: median {statistics.median(firsts):.0f} ms, best {min(firsts):.0f} ms, "
          f"worst {max(firsts):.0f} ms over {args.runs} cold launches (target < 400 ms)")
    print(f"  with the footer's keys (the frame after): median {statistics.median(completes):.0f} ms")
    print(f"  a minimal Textual app, same machine, same moment: median {statistics.median(minimal):.0f} ms "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  ours minus the minimal app, launch by launch: median {statistics.median(over):+.0f} ms")
    print(f"keystroke to preview updated: median {statistics.median(previews):.2f} ms, p95 {q(previews, .95):.2f} ms, "
          f"max {max(previews):.2f} ms over {len(previews)} keystrokes (target < 16 ms)")
    print(f"keystroke to preview painted: median {statistics.median(paints):.2f} ms, p95 {q(paints, .95):.2f} ms")
    print(f"preview after typing “{UTTERANCE}”: {preview_line}")
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    elif "--minimal" in sys.argv:
        minimal_child()
    else:
        sys.exit(main())
