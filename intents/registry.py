"""The pack registry: discovers packs through entry points, caches their specs, imports code on first use.

Start-up reads one JSON cache under INTENT_HOME (what the resolver needs: samples, templates, slot
schemas). The cache is keyed by a fingerprint of the installed entry points, their distributions'
versions and the packs' source files' mtimes, and rebuilt only when that changes. A pack's code is
imported when one of its actions first runs. A pack that fails to import is recorded as broken with
its error; every other pack keeps working.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from intents import paths
from intents.errors import PackBroken, UnknownAction
from intents.specs import to_dict

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint


def entry_points(group: str):
    """importlib.metadata costs ~40 ms to import: only a cache rebuild or a first run pays it."""
    from importlib.metadata import entry_points as _entry_points

    return _entry_points(group=group)


GROUP = "intent_terminal.packs"
CACHE_VERSION = 1
IMPORT_TIMEOUT_S = 10.0  # a pack whose import hangs is reported broken instead of freezing start-up


@dataclass
class BrokenPack:
    id: str
    entry_point: str
    error: str


@dataclass
class Registry:
    """What is installed. `packs` holds cached specs; live pack objects are loaded lazily."""

    home: Path
    packs: dict = field(default_factory=dict)  # pack id -> PackSpec
    broken: dict[str, BrokenPack] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    fingerprint: str = ""
    _entry_points: dict[str, "EntryPoint"] = field(default_factory=dict)
    _live: dict = field(default_factory=dict)  # pack id -> sdk.Pack
    _actions: dict = field(default_factory=dict)  # action id -> ActionSpec (installed packs only)

    # ---- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, home: Path | None = None, extra_entry_points: Iterable["EntryPoint"] = ()) -> "Registry":
        home = home or paths.home()
        extra = list(extra_entry_points)
        reg = cls(home=home)
        reg.disabled = set(_read_state(home).get("disabled", []))
        cache_file = home / "cache" / "packs.json"
        cached = _read_json(cache_file)
        # Fast path: nothing on sys.path or in the packs' sources changed since the cache was written,
        # so skip the entry-point scan (importlib.metadata costs ~50 ms of a 300 ms cold-start budget).
        fresh = (
            not extra
            and cached
            and cached.get("version") == CACHE_VERSION
            and cached.get("quick") == _quick_stamp(cached.get("roots", []))
        )
        if fresh:
            reg.fingerprint = cached["fingerprint"]
            fresh = reg._from_cache(cached)  # False when malformed: rebuild below
        if not fresh:
            eps = {ep.name: ep for ep in entry_points(group=GROUP)}
            eps.update({ep.name: ep for ep in extra})
            reg._entry_points = eps
            reg.fingerprint = _fingerprint(eps.values())
            if not (cached and cached.get("version") == CACHE_VERSION and cached.get("fingerprint") == reg.fingerprint
                    and reg._from_cache(cached)):
                reg._rebuild()
            if not extra:
                roots = sorted({r for ep in eps.values() for r in _source_roots(ep.value.split(":")[0])})
                _write_json(cache_file, {**reg._to_cache(), "roots": roots, "quick": _quick_stamp(roots)})
        # MCP servers taken in as packs live in INTENT_HOME, not in entry points (never in the cache above).
        from intents import mcp_packs

        mcp_packs.attach(reg)
        reg._index_actions()
        return reg

    def _from_cache(self, cached: dict) -> bool:
        """Load specs from our cache without pydantic (start-up budget); False when it is malformed."""
        from intents.specs import pack_from_dict

        try:
            self.packs = {p["manifest"]["id"]: pack_from_dict(p) for p in cached["packs"]}
            self.broken = {b["id"]: BrokenPack(**b) for b in cached.get("broken", [])}
            return True
        except (KeyError, TypeError, ValueError):
            self.packs, self.broken = {}, {}
            return False

    def _rebuild(self) -> None:
        self.packs, self.broken = {}, {}
        for name, ep in sorted(self._entry_points.items()):
            try:
                pack = _with_timeout(lambda: self._import(ep), IMPORT_TIMEOUT_S, f"importing {ep.value}")
                dist = getattr(ep, "dist", None)
                spec = pack.spec(entry_point=ep.value, distribution=dist.name if dist else None)
                self.packs[pack.id] = spec
                self._live[pack.id] = pack
            except Exception as exc:  # a broken third-party pack must never take the terminal down
                self.broken[name] = BrokenPack(id=name, entry_point=ep.value, error=_describe(exc))

    @staticmethod
    def _import(ep: "EntryPoint"):
        from intents.sdk import Pack

        obj = ep.load()
        if callable(obj) and not isinstance(obj, Pack):
            obj = obj()
        if not isinstance(obj, Pack):
            raise TypeError(f"entry point {ep.value} gave {type(obj).__name__}, not intents.sdk.Pack")
        return obj

    def _to_cache(self) -> dict:
        return {
            "version": CACHE_VERSION,
            "fingerprint": self.fingerprint,
            "packs": [to_dict(p) for p in self.packs.values()],
            "broken": [vars(b) for b in self.broken.values()],
        }

    def _index_actions(self) -> None:
        self._actions = {a.id: a for p in self.installed_packs() for a in p.actions}

    # ---- queries -------------------------------------------------------------------------------
    def installed_packs(self) -> list:
        return [p for pid, p in self.packs.items() if pid not in self.disabled]

    def is_installed(self, pack_id: str) -> bool:
        return pack_id in self.packs and pack_id not in self.disabled

    def actions(self) -> list:
        """Specs of every action of every installed pack."""
        return list(self._actions.values())

    def spec(self, action_id: str):
        try:
            return self._actions[action_id]
        except KeyError:
            pack_id = action_id.split(".", 1)[0]
            if pack_id in self.broken:
                raise PackBroken(f"pack '{pack_id}' is broken: {self.broken[pack_id].error}", pack=pack_id) from None
            if pack_id in self.disabled:
                raise UnknownAction(
                    f"'{action_id}' belongs to pack '{pack_id}', which is not installed "
                    f"(intent packs install {pack_id})",
                    action=action_id,
                ) from None
            raise UnknownAction(f"no installed action is called '{action_id}' (see: intent packs)", action=action_id) from None

    def pack_of(self, action_id: str):
        return self.packs[self.spec(action_id).pack]

    def action(self, action_id: str):
        """The live action, importing its pack on first use."""
        spec = self.spec(action_id)
        pack = self._live.get(spec.pack)
        if pack is None:
            if not self._entry_points:
                self._entry_points = {ep.name: ep for ep in entry_points(group=GROUP)}
            ep = next((e for e in self._entry_points.values() if e.value == self.packs[spec.pack].entry_point), None)
            if ep is None:
                raise PackBroken(f"pack '{spec.pack}' has no entry point any more", pack=spec.pack)
            try:
                pack = _with_timeout(lambda: self._import(ep), IMPORT_TIMEOUT_S, f"importing {ep.value}")
            except Exception as exc:
                raise PackBroken(f"pack '{spec.pack}' failed to load: {_describe(exc)}", pack=spec.pack) from exc
            self._live[spec.pack] = pack
        try:
            return pack.actions[action_id]
        except KeyError:
            raise PackBroken(f"pack '{spec.pack}' no longer defines '{action_id}'", pack=spec.pack) from None

    # ---- state ---------------------------------------------------------------------------------
    def set_installed(self, pack_id: str, installed: bool) -> None:
        """Enable or disable a discovered pack (built-in packs are enabled or disabled, never deleted)."""
        state = _read_state(self.home)
        disabled = set(state.get("disabled", []))
        (disabled.discard if installed else disabled.add)(pack_id)
        state["disabled"] = sorted(disabled)
        _write_json(self.home / "packs.json", state)
        self.disabled = disabled
        self._index_actions()

    @property
    def catalog_key(self) -> str:
        """Changes whenever the set of installed actions changes: the resolver index cache key."""
        raw = self.fingerprint + "|" + ",".join(sorted(self.disabled))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _with_timeout(fn, seconds: float, what: str):
    import threading

    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, name=what, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"{what} did not finish within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _fingerprint(eps: Iterable["EntryPoint"]) -> str:
    h = hashlib.sha256()
    for ep in sorted(eps, key=lambda e: e.name):
        dist = getattr(ep, "dist", None)
        h.update(f"{ep.name}={ep.value}@{dist.name if dist else ''}:{dist.version if dist else ''};".encode())
        h.update(_source_stamp(ep.value.split(":")[0]).encode())
    return h.hexdigest()[:24]


def _source_roots(module: str) -> list[str]:
    """The files or folders holding a pack's sources, found without importing the pack itself."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.origin:
        return []
    return list(spec.submodule_search_locations or []) or [spec.origin]


def _source_stamp(module: str) -> str:
    """Newest mtime and file count of a pack's sources, so editing a pack in place rebuilds the cache."""
    roots = _source_roots(module)
    return _tree_stamp(roots) if roots else "missing"


def _tree_stamp(roots: Iterable[str]) -> str:
    newest, count = 0, 0
    for root in roots:
        if os.path.isfile(root):
            newest, count = max(newest, os.stat(root).st_mtime_ns), count + 1
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for name in filenames:
                if name.endswith((".py", ".json", ".yaml", ".txt", ".toml")):
                    count += 1
                    newest = max(newest, os.stat(os.path.join(dirpath, name)).st_mtime_ns)
    return f"{newest}:{count}"


def _quick_stamp(roots: Iterable[str]) -> str:
    """sys.path and its folders' mtimes (installing or removing a distribution touches its folder),
    plus the pack sources' stamp."""
    parts = []
    # sys.path[0] is the script's folder or the working folder: it differs between `intent` and
    # `python -m`, and the working folder's mtime changes with every file written there.
    for entry in sys.path[1:]:
        try:
            parts.append(f"{entry}@{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            parts.append(f"{entry}@-")
    parts.append(_tree_stamp(roots))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def _read_state(home: Path) -> dict:
    return _read_json(home / "packs.json") or {}


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: dict) -> None:
    """Write atomically, so two terminals starting at once never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")))
    os.replace(tmp, path)


def reset_module_cache(prefixes: Iterable[str]) -> None:
    """Forget imported pack modules (tests that rewrite a pack on disk use this)."""
    for name in list(sys.modules):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            del sys.modules[name]
