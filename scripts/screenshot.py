"""Regenerate docs/screenshot.svg from the real app (not drawn by hand).

    python scripts/screenshot.py [--out docs/screenshot.svg] [--size 96x28]

Runs the terminal UI headless over a throwaway INTENT_HOME (the fresh-install plan), types the loan
request, presses Enter, then types a second request so the live preview shows too, and exports the frame.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = "monthly payment on a 300k loan at 6.5% over 30 years"
SECOND = "amortization schedule for 250k at 5.5% over 15 years"


async def capture(size: tuple[int, int]) -> str:
    from terminal.tui.app import IntentApp

    app = IntentApp()
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*FIRST, "enter")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press(*SECOND)
        await pilot.pause()
        return app.export_screenshot(title="Intent Terminal")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.svg")
    parser.add_argument("--size", default="96x28", help="terminal size, COLSxROWS")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    os.environ["INTENT_HOME"] = tempfile.mkdtemp(prefix="intent-shot-")
    os.chdir(os.environ["INTENT_HOME"])  # anything the app writes stays out of the repo
    sys.path.insert(0, str(ROOT))
    svg = asyncio.run(capture((cols, rows)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg)
    print(f"wrote {args.out} ({cols}x{rows})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
