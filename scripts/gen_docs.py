"""Regenerate docs/actions.md and docs/sdk-kinds.md from the registry of the built-in packs.

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
KINDS = ROOT / "docs" / "sdk-kinds.md"


def render_all() -> dict[Path, str]:
    from intents.docs import kinds_markdown, reference_markdown
    from intents.registry import Registry

    with tempfile.TemporaryDirectory() as home:
        registry = Registry.load(Path(home))
        builtin = {p: s for p, s in registry.packs.items() if s.distribution in (None, "intent-terminal")}
        registry.packs = builtin
        registry._index_actions()
        return {TARGET: reference_markdown(registry), KINDS: kinds_markdown(registry)}


def render() -> str:
    return render_all()[TARGET]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if docs/actions.md is out of date")
    args = ap.parse_args()
    docs = render_all()
    if args.check:
        stale = [p for p, text in docs.items() if (p.read_text() if p.exists() else "") != text]
        for p in stale:
            print(f"{p.relative_to(ROOT)} is out of date: run python scripts/gen_docs.py", file=sys.stderr)
        return 1 if stale else 0
    for p, text in docs.items():
        p.parent.mkdir(exist_ok=True)
        p.write_text(text)
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
