"""Make throwaway packs on disk: a module plus a dist-info with the entry point, found via PYTHONPATH."""
from __future__ import annotations

import textwrap
from pathlib import Path


def write_pack(site: Path, name: str, source: str, version: str = "0.1.0") -> Path:
    """Write module `name` and a distribution `name` registering `name:pack` in intent_terminal.packs."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{name}.py").write_text(textwrap.dedent(source))
    dist = site / f"{name}-{version}.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (dist / "entry_points.txt").write_text(f"[intent_terminal.packs]\n{name} = {name}:pack\n")
    return site


GOOD = '''
from intents.sdk import Pack, Result, Slot

pack = Pack(id="{id}", name="Demo", version="0.1.0", description="A demo pack", vertical="demo")

class Doubled(Result):
    value: float

@pack.action(samples=["double the number 21", "twice 4"])
def double(x: float = Slot("The number to double", kind="number")) -> Doubled:
    """Double a number."""
    return Doubled(value=2 * x, basis="x * 2")

@pack.action(samples=["crash now"])
def crash() -> Doubled:
    """Always fails."""
    raise RuntimeError("boom")

@pack.action(samples=["hang forever"], timeout_s=0.5)
def hang() -> Doubled:
    """Never returns in time."""
    import time
    time.sleep(5)
    return Doubled(value=0)
'''

BROKEN = '''
raise ImportError("this pack is broken on purpose")
'''
