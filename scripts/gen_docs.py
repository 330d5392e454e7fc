"""Regenerate docs/actions.md from the registry of the built-in packs.

    python scripts/gen_docs.py [--check]

--check exits 1 when the file on disk differs (CI and the tests use it).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "actions.md"


def render() -> str:
    from intents.docs import reference_markdown
    from intents.registry import Registry

    with tempfile.TemporaryDirectory() as home:
        registry = Registry.load(Path(home))
        builtin = {p: s for p, s in registry.packs.items() if s.distribution in (None, "intent-terminal")}
        registry.packs = builtin
        return reference_markdown(registry)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if docs/actions.md is out of date")
    args = ap.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text() if TARGET.exists() else ""
        if current != text:
            print("docs/actions.md is out of date: run python scripts/gen_docs.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
