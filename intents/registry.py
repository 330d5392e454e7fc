"""The pack registry: discovers packs through entry points, caches their specs, imports code on first use.

Start-up reads one JSON cache under INTENT_HOME (what the resolver needs: samples, templates, slot
schemas). The cache is keyed by a fingerprint of the installed entry points, their distributions'
versions and the packs' source files' mtimes, and rebuilt only when that changes. A pack's code is
imported when one of its actions first runs. A pack that fails to import is recorded as broken with
its error; every other pack keeps working.

The cache is a file the user can write, so it is trusted for nothing that grants anything: it serves the
resolver (samples, templates, slots) and listings. What the gate needs (an action's feature key and
metering, its pack's feature key) is read from the pack's own code (`live_pack`, `action`, `gate_features`),
loaded through the entry point the installed metadata names (a built-in's: the fixed one in BUILTIN), never
through the cache. The built-in pack ids and the `system` namespace are reserved: a third-party entry
point or pack that claims one is refused, and so is a pack declaring actions outside its own namespace
(see docs/security.md).
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import sys
import traceback
import weakref
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
CACHE_VERSION = 4  # 2: packs' negatives; 3: packs' value kinds and vocabulary; 4: broken packs carry their distribution, built-in entry points pinned
IMPORT_TIMEOUT_S = 10.0  # a pack whose import hangs is reported broken instead of freezing start-up

# The packs that ship in the box, by id: the entry point each must come through, from our own distribution.
BUILTIN = {
    "system": "intents.system_pack:pack",
    "finance": "vertical_packs.finance:pack",
    "legal": "vertical_packs.legal:pack",
    "healthcare": "vertical_packs.healthcare:pack",
}
BUILTIN_DISTRIBUTION = "intent-terminal"
RESERVED = frozenset(BUILTIN)  # pack ids, entry-point names and action namespaces no third party may use


def dist_name(ep: "EntryPoint") -> str | None:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return None
    # Distribution.name parses the whole METADATA file each time it is read (~1 ms); a scan asks it of
    # the same few distributions a few dozen times. Keyed by the object: a reinstall gives new ones.
    try:
        return _DIST_NAMES[dist]
    except (KeyError, TypeError):
        pass
    name = dist.name
    found = _normalise(name) if name else None
    try:
        _DIST_NAMES[dist] = found
    except TypeError:  # an unhashable distribution class of some finder: no memo
        pass
    return found


_DIST_NAMES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _normalise(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def is_builtin_entry_point(ep: "EntryPoint") -> bool:
    """Exactly one of ours: the reserved name, its fixed value, from the intent-terminal distribution."""
    return BUILTIN.get(ep.name) == ep.value and dist_name(ep) in (None, BUILTIN_DISTRIBUTION)


def admission_problem(pack, ep: "EntryPoint", expected_id: str | None = None, actions=None) -> str | None:
    """Why a loaded pack may not be used through this entry point, or None when it may. `actions`: the
    action ids to check (default: all of the pack's; a run checks those it imported, see live_pack)."""
    if expected_id is not None and pack.id != expected_id:
        return f"refused: entry point {ep.value} gives pack '{pack.id}', not '{expected_id}'"
    builtin = is_builtin_entry_point(ep)
    if builtin and pack.id != ep.name:
        return f"refused: the built-in entry point {ep.name} gives pack '{pack.id}'"
    if pack.id in RESERVED and not builtin:
        return f"refused: the pack id '{pack.id}' is reserved for the built-in pack"
    outside = sorted(a for a in (pack.actions if actions is None else actions) if not a.startswith(pack.id + "."))
    if outside:
        return f"refused: pack '{pack.id}' declares actions outside its own namespace: {', '.join(outside)}"
    return None


@dataclass
class BrokenPack:
    id: str
    entry_point: str
    error: str
    distribution: str | None = None  # so `intent packs remove` can uninstall what pip put there


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
    _refused: list = field(default_factory=list)  # (BrokenPack, EntryPoint) refused without importing
    _actions: dict = field(default_factory=dict)  # action id -> ActionSpec (installed packs only)
    # pack id -> {action id: the module of the pack that declared it} (Pack.include): which module a run
    # imports first. From the cache, so only a hint: the SDK imports only modules the pack's code names.
    _modules: dict = field(default_factory=dict)

    # ---- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, home: Path | None = None, extra_entry_points: Iterable["EntryPoint"] = ()) -> "Registry":
        home = home or paths.home()
        extra = list(extra_entry_points)
        reg = cls(home=home)
        reg.disabled = set(_read_state(home).get("disabled", []))
        cache_file = home / "cache" / "packs.json"
        cached = _read_json(cache_file)
        # The same cache in the installation's shared folder (paths.shared_cache_root) seeds a new home: what
        # is installed is the installation's, so a first start need not scan and import every pack again.
        # It is read like the home's own (the user can write both) and checked the same way.
        shared_file = paths.shared_cache_root()
        shared_file = shared_file / "packs.json" if shared_file is not None and not extra else None
        # Fast path: nothing on sys.path or in the packs' sources changed since the cache was written,
        # so skip the entry-point scan (importlib.metadata costs ~50 ms of a 300 ms cold-start budget).
        fresh = not extra and reg._from_fresh(cached)
        if not fresh and shared_file is not None:
            fresh = reg._from_fresh(_read_json(shared_file))
        if not fresh:
            eps, refused = discover(extra)
            reg._entry_points = eps
            reg._refused = refused
            reg.fingerprint = _fingerprint(list(eps.values()) + [r for _, r in refused])
            if not (cached and cached.get("version") == CACHE_VERSION and cached.get("fingerprint") == reg.fingerprint
                    and reg._from_cache(cached)):
                reg._rebuild()
            if not extra:
                roots = sorted({r for ep in eps.values() for r in _source_roots(ep.value.split(":")[0])})
                data = {**reg._to_cache(), "roots": roots, "quick": _quick_stamp(roots)}
                _write_json(cache_file, data)
                if shared_file is not None:  # for the installation's next new home; best effort
                    try:
                        _write_json(shared_file, data)
                    except OSError:
                        pass
        # MCP servers taken in as packs live in INTENT_HOME, not in entry points (never in the cache above).
        from intents import mcp_packs

        mcp_packs.attach(reg)
        reg._index_actions()
        return reg

    def _from_fresh(self, cached: dict | None) -> bool:
        """Load a pack cache that is fresh (_fresh); False when it is stale or malformed (rebuild then)."""
        if not _fresh(cached):
            return False
        self.fingerprint = cached["fingerprint"]
        return self._from_cache(cached)

    def _from_cache(self, cached: dict) -> bool:
        """Load specs from our cache without pydantic (start-up budget); False when it is malformed."""
        from intents.specs import pack_from_dict

        try:
            self.packs = {p["manifest"]["id"]: pack_from_dict(p) for p in cached["packs"]}
            self.broken = {b["id"]: BrokenPack(**b) for b in cached.get("broken", [])}
            modules = cached.get("modules")
            self._modules = {pid: {a: m for a, m in found.items() if isinstance(a, str) and isinstance(m, str)}
                             for pid, found in (modules if isinstance(modules, dict) else {}).items()
                             if isinstance(pid, str) and isinstance(found, dict)}
            # The cache is not trusted for what serves a built-in id: those come from BUILTIN only.
            for pid, spec in self.packs.items():
                if pid in RESERVED and spec.entry_point != BUILTIN[pid]:
                    raise ValueError(f"cached pack {pid} names entry point {spec.entry_point}")
            return True
        except (KeyError, TypeError, ValueError):
            self.packs, self.broken, self._modules = {}, {}, {}
            return False

    def _rebuild(self) -> None:
        self.packs, self.broken, self._modules = {}, {}, {}
        for broken, _ep in self._refused:
            self._add_broken(broken)
        # Built-ins first: a third-party pack can then never be the first to claim an id.
        for name, ep in sorted(self._entry_points.items(), key=lambda kv: (not is_builtin_entry_point(kv[1]), kv[0])):
            dist = dist_name(ep)
            try:
                pack = _with_timeout(lambda: self._import(ep), IMPORT_TIMEOUT_S, f"importing {ep.value}")
            except Exception as exc:  # a broken third-party pack must never take the terminal down
                self._add_broken(BrokenPack(id=name, entry_point=ep.value, error=_describe(exc), distribution=dist))
                continue
            problem = admission_problem(pack, ep)
            if problem is None and pack.id in self.packs:
                problem = f"refused: pack id '{pack.id}' is already provided by {self.packs[pack.id].entry_point}"
            if problem is None:
                taken = sorted(set(pack.actions) & {a.id for p in self.packs.values() for a in p.actions})
                problem = f"refused: actions {', '.join(taken)} are already provided by another pack" if taken else None
            if problem is not None:
                self._add_broken(BrokenPack(id=name if name not in RESERVED else (dist or name), entry_point=ep.value,
                                            error=problem, distribution=dist))
                continue
            try:  # the SDK builds a pack's models here, on first use, so a broken declaration shows here
                spec = pack.spec(entry_point=ep.value, distribution=dist)
            except Exception as exc:
                self._add_broken(BrokenPack(id=name, entry_point=ep.value, error=_describe(exc), distribution=dist))
                continue
            self.packs[pack.id] = spec
            self._live[pack.id] = pack
            modules = pack.action_modules() if hasattr(pack, "action_modules") else {}
            if modules:
                self._modules[pack.id] = modules

    def _add_broken(self, broken: BrokenPack) -> None:
        key, n = broken.id, 1
        while key in self.broken or key in self.packs or key in RESERVED:
            n += 1
            key = f"{broken.id}-{n}"
        broken.id = key
        self.broken[key] = broken

    @staticmethod
    def _import(ep: "EntryPoint", spec_checks_at_build: bool = False, action: tuple[str, str | None] | None = None):
        """The pack an entry point gives: all its actions imported, or with `action` (to run one: its id
        and the module the cache says declares it) only what that one needs (Pack.action_for)."""
        import contextlib

        from intents import sdk

        with sdk.spec_checks_at_build() if spec_checks_at_build else contextlib.nullcontext():
            obj = ep.load()
            if callable(obj) and not isinstance(obj, sdk.Pack):
                obj = obj()
            if isinstance(obj, sdk.Pack):
                if action is None:
                    obj.actions  # noqa: B018 - every module the pack names with include(), in here
                else:
                    obj.action_for(*action)
        if not isinstance(obj, sdk.Pack):
            raise TypeError(f"entry point {ep.value} gave {type(obj).__name__}, not intents.sdk.Pack")
        return obj

    @staticmethod
    def _load_in(pack, action: tuple[str, str | None]) -> None:
        from intents import sdk

        with sdk.spec_checks_at_build():
            pack.action_for(*action)

    def _to_cache(self) -> dict:
        return {
            "version": CACHE_VERSION,
            "fingerprint": self.fingerprint,
            "packs": [to_dict(p) for p in self.packs.values()],
            "broken": [vars(b) for b in self.broken.values()],
            "modules": self._modules,
        }

    def _index_actions(self) -> None:
        # Only actions in their pack's own namespace, first claim wins (a cache edit cannot move one).
        self._actions = {}
        for p in self.installed_packs():
            for a in p.actions:
                if a.pack == p.manifest.id and a.id.startswith(a.pack + ".") and a.id not in self._actions:
                    self._actions[a.id] = a

    # ---- queries -------------------------------------------------------------------------------
    def installed_packs(self) -> list:
        return [p for pid, p in self.packs.items() if pid not in self.disabled]

    def kinds(self) -> list:
        """The value kinds installed packs register (intents.kinds.KindSpec)."""
        return [k for p in self.installed_packs() for k in getattr(p, "kinds", ())]

    def vocabulary(self) -> tuple[dict[str, str], dict[str, str]]:
        """Installed packs' words: (word -> words it stands for, word -> the word replacing it)."""
        vocab: dict[str, str] = {}
        syn: dict[str, str] = {}
        for p in self.installed_packs():
            vocab.update(getattr(p, "vocabulary", {}) or {})
            syn.update(getattr(p, "synonyms", {}) or {})
        return vocab, syn

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

    def live_pack(self, pack_id: str, action_id: str | None = None):
        """The pack's own code, loaded through the entry point the installed metadata names for it (for a
        built-in id, only ours), checked to be that pack: what the gate trusts, unlike the cache. With
        `action_id`, of a pack that declares its actions in modules of their own (Pack.include), the module
        that declares that action is imported, and the others only when something reads them all."""
        pack = self._live.get(pack_id)
        if pack is not None:
            if action_id is not None:
                self._load_action(pack, pack_id, action_id)
            return pack
        ep = self._trusted_entry_point(pack_id)
        try:
            # to run it: what only its spec carries is checked when the spec is built (discovery built
            # this pack's, from the same sources, for the cache this registry was loaded from)
            pack = _with_timeout(lambda: self._import(ep, spec_checks_at_build=True, action=self._hint(pack_id, action_id)),
                                 IMPORT_TIMEOUT_S, f"importing {ep.value}")
        except Exception as exc:
            raise PackBroken(f"pack '{pack_id}' failed to load: {_describe(exc)}", pack=pack_id) from exc
        # the actions it declared so far: those of the modules it imported (all of them, but for a pack
        # that names its modules with Pack.include); another module's are checked where it is imported
        problem = admission_problem(pack, ep, expected_id=pack_id, actions=getattr(pack, "loaded_actions", None))
        if problem:
            raise PackBroken(f"pack '{pack_id}' {problem}", pack=pack_id)
        self._live[pack_id] = pack
        return pack

    def _hint(self, pack_id: str, action_id: str | None) -> tuple[str, str | None] | None:
        return None if action_id is None else (action_id, self._modules.get(pack_id, {}).get(action_id))

    def _load_action(self, pack, pack_id: str, action_id: str) -> None:
        """The module of a live pack that declares `action_id` imported, as live_pack imports the pack."""
        if action_id in getattr(pack, "loaded_actions", {action_id: None}):
            return
        hint = self._hint(pack_id, action_id)
        try:
            _with_timeout(lambda: self._load_in(pack, hint), IMPORT_TIMEOUT_S, f"importing {pack_id} for {action_id}")
        except Exception as exc:
            raise PackBroken(f"pack '{pack_id}' failed to load: {_describe(exc)}", pack=pack_id) from exc
        problem = admission_problem(pack, self._trusted_entry_point(pack_id), expected_id=pack_id,
                                    actions=pack.loaded_actions)
        if problem:
            raise PackBroken(f"pack '{pack_id}' {problem}", pack=pack_id)

    def _trusted_entry_point(self, pack_id: str) -> "EntryPoint | BuiltinEntryPoint":
        if pack_id in RESERVED:
            return BuiltinEntryPoint(pack_id)
        if not self._entry_points:
            self._entry_points, self._refused = discover()
        spec = self.packs.get(pack_id)
        ep = next((e for e in self._entry_points.values() if spec and e.value == spec.entry_point), None)
        if ep is None:
            raise PackBroken(f"pack '{pack_id}' has no entry point any more", pack=pack_id)
        return ep

    def action(self, action_id: str):
        """The live action, importing its pack on first use; it must be that pack's own, in its namespace."""
        spec = self.spec(action_id)
        pack_id = action_id.split(".", 1)[0]
        if spec.pack != pack_id:
            raise PackBroken(f"'{action_id}' is not in the namespace of pack '{spec.pack}'", pack=spec.pack)
        pack = self.live_pack(pack_id, action_id)
        found = pack.loaded_actions.get(action_id) if hasattr(pack, "loaded_actions") else pack.actions.get(action_id)
        if found is None:
            raise PackBroken(f"pack '{spec.pack}' no longer defines '{action_id}'", pack=spec.pack)
        return found

    def gate_features(self, action_id: str) -> list[str]:
        """The feature keys the gate checks for this action, from the pack's code: its pack's, then its own."""
        action = self.action(action_id)
        pack = self.live_pack(action.declared("pack"))
        return [f for f in (pack.manifest.feature_key, action.declared("feature")) if f]

    def pack_feature(self, pack_id: str) -> str:
        """A pack's entitlement feature key from its code (for listings and the install report)."""
        return self.live_pack(pack_id).manifest.feature_key

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


class BuiltinEntryPoint:
    """A built-in pack's entry point, from our own code (BUILTIN), not from the installed metadata.

    Its value is fixed, so the metadata could only confirm it (or, damaged, refuse our own pack): what
    runs is the module BUILTIN names, imported by name, whatever any distribution declares, which no
    third party can redirect (a distribution claiming a built-in name is refused by discover()). Reading
    it costs importlib.metadata and the email package it imports, ~15 ms of CPU of every `intent do`
    (issue 20). The full scan (listings, installs, a changed environment) still reads every entry point,
    ours included, and admits only ours for a reserved name."""

    __slots__ = ("name", "value")
    group = GROUP
    dist = None  # dist_name() None: is_builtin_entry_point accepts it by its fixed value alone

    def __init__(self, pack_id: str) -> None:
        self.name, self.value = pack_id, BUILTIN[pack_id]

    def load(self):
        """What importlib.metadata.EntryPoint.load() does with "module:attr.path"."""
        module, _, attrs = self.value.partition(":")
        obj = importlib.import_module(module)
        for attr in filter(None, attrs.split(".")):
            obj = getattr(obj, attr)
        return obj

    def __repr__(self) -> str:
        return f"BuiltinEntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def discover(extra: Iterable["EntryPoint"] = ()) -> tuple[dict[str, "EntryPoint"], list]:
    """Installed pack entry points by name, and those refused without importing: a third-party entry point
    named like a built-in, or one whose name another distribution already uses."""
    eps: dict[str, "EntryPoint"] = {}
    refused: list = []
    found = list(entry_points(group=GROUP)) + list(extra)
    for ep in sorted(found, key=lambda e: not is_builtin_entry_point(e)):
        dist = dist_name(ep)
        if ep.name in RESERVED and not is_builtin_entry_point(ep):
            error = f"refused: the entry point name '{ep.name}' is reserved for the built-in pack"
        elif ep.name in eps:
            if eps[ep.name].value == ep.value and dist_name(eps[ep.name]) == dist:
                continue  # the same distribution seen twice on sys.path
            error = f"refused: the entry point name '{ep.name}' is already used by {dist_name(eps[ep.name]) or eps[ep.name].value}"
        else:
            eps[ep.name] = ep
            continue
        refused.append((BrokenPack(id=dist or ep.name, entry_point=ep.value, error=error, distribution=dist), ep))
    return eps, refused


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
    """The files or folders holding a pack's sources, found without running any of its code: only the
    top-level name goes through the import system's finders (which execute nothing); the rest is a walk
    down the folders (importlib.util.find_spec("a.b") would import package `a`)."""
    return locate_module(module)


def locate_module(module: str) -> list[str]:
    top, *rest = module.split(".")
    try:
        spec = importlib.util.find_spec(top) if top not in sys.modules else sys.modules[top].__spec__
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    locations = list(spec.submodule_search_locations or [])
    if not rest:
        return locations or ([spec.origin] if spec.origin and os.path.exists(spec.origin) else [])
    for i, part in enumerate(rest):
        last = i == len(rest) - 1
        folders = [os.path.join(loc, part) for loc in locations if os.path.isdir(os.path.join(loc, part))]
        if last and not folders:
            return [f for loc in locations if os.path.isfile(f := os.path.join(loc, part + ".py"))][:1]
        locations = folders
    return locations


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


def _fresh(cached: dict | None) -> bool:
    """A pack cache written for this code and this sys.path, whose packs' sources are unchanged since."""
    return bool(cached and cached.get("version") == CACHE_VERSION
                and cached.get("quick") == _quick_stamp(cached.get("roots", [])))


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: dict) -> None:
    """Write atomically, so two terminals starting at once never read half a file."""
    from intents.safe_files import private_dir, write_atomic

    private_dir(path.parent)
    write_atomic(path, json.dumps(data, separators=(",", ":")))


def reset_module_cache(prefixes: Iterable[str]) -> None:
    """Forget imported pack modules (tests that rewrite a pack on disk use this)."""
    for name in list(sys.modules):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            del sys.modules[name]
