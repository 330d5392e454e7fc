"""One-time preparation of installed packs (`@pack.prepare` in intents.sdk): an index built ahead of the
first use, so that the first use costs what later ones do.

Run by `intent packs prepare`, after `intent packs install`, and by the terminal UI's first start in a
background worker. A preparation runs only for a pack that is installed and loads through the same checks
as for running its actions (Registry.live_pack: its trusted entry point, its admission), with the same
narrowed context an action gets (ctx.home = INTENT_HOME/packs/<pack id>). It grants nothing (no plan is
checked or used: a cache is the pack's own business). One pack's failure is reported in its row and never
stops the others or the caller.

`once=True` (the terminal UI's start) skips a pack whose stamp (packs/<id>/cache/.prepared) says it was
prepared for this set of installed packs, this pack version and this Python, without importing it: the UI
then pays nothing on later starts. The stamp only ever skips work; a stale one (a library upgraded under an
unchanged pack) leaves the pack to do its work at first use, as it would without preparation."""
from __future__ import annotations

import contextlib
import hashlib
import logging
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from intents.errors import UsageError

log = logging.getLogger("intent.prepare")


@dataclass
class Prepared:
    pack: str
    status: str  # "ready" (prepared now or already), "nothing to prepare", "failed", "not installed"
    what: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    built: bool = False  # slow work was reported (something was built now, not found ready)

    def to_json(self) -> dict:
        return asdict(self)


def context_for(registry, pack_id: str):
    """The context the pack's actions get (intents.dispatch.Dispatcher.context_for), output kept in its home."""
    from intents.dispatch import pack_settings
    from intents.paths import shared_cache_dir
    from intents.sdk import ActionContext

    home = Path(registry.home) / "packs" / pack_id
    return ActionContext(home=home, out_dir=home, pack=pack_id, settings=pack_settings(pack_id),
                         shared_cache_dir=shared_cache_dir(pack_id),
                         log=logging.getLogger(f"intent.pack.{pack_id}"))


def pack_ids(registry, names: Iterable[str] | None = None) -> list[str]:
    """The packs to prepare: the named ones (an unknown name is a usage error), else every installed one."""
    names = list(names or [])
    if not names:
        return [p.manifest.id for p in registry.installed_packs()]
    unknown = [n for n in names if n not in registry.packs and n not in registry.broken]
    if unknown:
        raise UsageError(f"no pack is called {', '.join(repr(n) for n in unknown)} (see: intent packs)")
    return list(dict.fromkeys(names))


def _stamp_key(registry, pack_id: str) -> str:
    spec = registry.packs.get(pack_id)
    version = spec.manifest.version if spec is not None else ""
    raw = f"{registry.fingerprint}|{pack_id}|{version}|{sys.version}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _stamp_path(registry, pack_id: str) -> Path:
    return Path(registry.home) / "packs" / pack_id / "cache" / ".prepared"


def _stamped(registry, pack_id: str) -> bool:
    try:
        return _stamp_path(registry, pack_id).read_text(encoding="utf-8").strip() == _stamp_key(registry, pack_id)
    except (OSError, ValueError):
        return False


def _stamp(registry, pack_id: str) -> None:
    from intents.safe_files import private_dir, write_atomic

    path = _stamp_path(registry, pack_id)
    try:
        private_dir(path.parent)
        write_atomic(path, _stamp_key(registry, pack_id) + "\n")
    except (OSError, ValueError):  # a read-only home: prepared again next time, no harm
        pass


def prepare(registry, names: Iterable[str] | None = None, *,
            on_start: Callable[[str, str], None] | None = None,
            on_progress: Callable[[str, str, str], None] | None = None, once: bool = False) -> list[Prepared]:
    """Run the preparations of the named packs (default: every installed one). `on_start(pack, what)` is
    called before each; `on_progress(pack, what, message)` when it reports slow work (something is being
    built, not found ready), on this thread only."""
    return [prepare_one(registry, pid, on_start=on_start, on_progress=on_progress, once=once)
            for pid in pack_ids(registry, names)]


def prepare_one(registry, pack_id: str, *, on_start=None, on_progress=None, once: bool = False) -> Prepared:
    from intents.progress import reporting_to

    if not registry.is_installed(pack_id):
        return Prepared(pack_id, "not installed")
    if once and _stamped(registry, pack_id):
        return Prepared(pack_id, "ready")
    started = time.perf_counter()
    row = Prepared(pack_id, "ready")
    try:
        pack = registry.live_pack(pack_id)
        steps = list(getattr(pack, "preparations", ()) or ())
        row.what = [what for what, _ in steps]
        if not steps:
            row.status = "nothing to prepare"
            return row
        ctx = context_for(registry, pack_id)
        for what, fn in steps:
            if on_start:
                on_start(pack_id, what)

            @contextlib.contextmanager
            def report(message: str, _what: str = what):
                row.built = True
                if on_progress:
                    on_progress(pack_id, _what, message)
                yield

            with reporting_to(report):
                fn(ctx)
    except (Exception, SystemExit) as exc:  # a pack's bug is its row's, never the caller's
        log.warning("preparing pack %s failed", pack_id, exc_info=True)
        row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"
    finally:
        row.seconds = round(time.perf_counter() - started, 3)
    if row.status != "failed":
        _stamp(registry, pack_id)
    return row
