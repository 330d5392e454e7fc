"""Installing and removing packs.

A built-in pack is enabled or disabled in INTENT_HOME. A third-party pack (a folder, a wheel or a PyPI
name) goes through these steps, and nothing of its code runs before the user says yes:

1. read its static manifest (intent-pack.toml, see intents.pack_manifest) from the folder or the wheel (a
   PyPI name is downloaded as a wheel first, and that very file is what gets installed); refuse reserved
   ids (finance, legal, healthcare, system) and ids or distributions already installed;
2. show the declaration built from that manifest and ask (every third-party install, risky or not);
3. pip-install it, then import it in a subprocess and check the code against the manifest and the pack
   rules; any mismatch or failure uninstalls everything the install added;
4. enable it, recording what was added so `intent packs remove` removes exactly that.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, Field

from intents import pack_manifest
from intents.errors import ActionFailed, BadParameters, UsageError
from intents.pack_check import CheckReport, check_spec
from intents.pack_manifest import Manifest, ManifestError
from intents.sdk import PackSpec, Risk
from intents.specs import validate_pack

PIP_TIMEOUT_S = 600
PROBE_TIMEOUT_S = 60


class Declaration(BaseModel):
    """What a pack asks the user to accept."""

    pack: str
    name: str
    version: str
    publisher: str
    sensitive: list[str] = Field(default_factory=list)
    actions: dict[str, str] = Field(default_factory=dict)  # action id -> risk
    writes_files: list[str] = Field(default_factory=list)
    destructive: list[str] = Field(default_factory=list)
    metered: list[str] = Field(default_factory=list)
    features: list[str] = Field(default_factory=list)  # entitlement feature keys it needs
    network: list[str] = Field(default_factory=list)  # hosts it says it contacts (the author's word)
    files_written: list[str] = Field(default_factory=list)  # what it says it writes (the author's word)
    third_party: bool = True

    @property
    def needs_consent(self) -> bool:
        # every third-party pack; a built-in one only when it declares risky actions or sensitive data
        return self.third_party or bool(self.sensitive or self.writes_files or self.destructive)

    def lines(self) -> list[str]:
        out = [f"{self.name} {self.version} ({self.pack}) by {self.publisher}"]
        if self.third_party:
            out.append("  a third-party pack: its code has not run; this is what its manifest declares")
        out.append(f"  actions: {len(self.actions)} ({', '.join(f'{a} [{r}]' for a, r in sorted(self.actions.items()))})")
        out.append(f"  sensitive data: {', '.join(self.sensitive) or 'none declared'}")
        if self.writes_files:
            out.append(f"  writes files: {', '.join(self.writes_files)}")
        if self.destructive:
            out.append(f"  destructive: {', '.join(self.destructive)}")
        if self.third_party:
            out.append(f"  files written: {'; '.join(self.files_written) or 'none declared'}")
            out.append(f"  network: {', '.join(self.network) or 'none declared'}")
        if self.features:
            out.append(f"  needs features: {', '.join(self.features)}")
        if self.metered:
            out.append(f"  metered: {', '.join(self.metered)}")
        return out


def declaration(spec: PackSpec) -> Declaration:
    """The declaration of a built-in pack, from its spec (its code ships with the terminal)."""
    m = spec.manifest
    features = sorted({m.feature_key} | {a.feature for a in spec.actions if a.feature})
    return Declaration(
        pack=m.id, name=m.name, version=m.version, publisher=m.publisher, sensitive=list(m.sensitive),
        actions={a.id: a.risk.value for a in spec.actions},
        writes_files=[a.id for a in spec.actions if a.risk is Risk.WRITES_FILES],
        destructive=[a.id for a in spec.actions if a.risk is Risk.DESTRUCTIVE],
        metered=[a.id for a in spec.actions if a.metered], features=features, third_party=False,
    )


def declaration_of(manifest: Manifest) -> Declaration:
    """The declaration of a third-party pack, from its static manifest alone."""
    acts = {manifest.action_id(n): d for n, d in manifest.actions.items()}
    return Declaration(
        pack=manifest.id, name=manifest.name, version=manifest.version, publisher=manifest.publisher,
        sensitive=list(manifest.sensitive), actions={a: d.risk.value for a, d in acts.items()},
        writes_files=[a for a, d in acts.items() if d.risk is Risk.WRITES_FILES],
        destructive=[a for a, d in acts.items() if d.risk is Risk.DESTRUCTIVE],
        metered=[a for a, d in acts.items() if d.metered], features=manifest.features(),
        network=list(manifest.network), files_written=list(manifest.files_written),
    )


class InstallResult(BaseModel):
    pack: str
    installed: bool
    source: str  # builtin, path, wheel, pypi
    entitled: bool = True
    unlock: str | None = None  # the plan that unlocks a locked pack
    declaration: Declaration | None = None


def known_features() -> set[str]:
    try:
        from entitlements.catalog import load_catalog

        return set(load_catalog().features)
    except Exception:  # validation still runs with the pack-own feature rule
        return set()


def audit(home: Path, kind: str, detail: dict) -> None:
    try:
        from entitlements.audit import record_event

        record_event(home, kind, detail)
    except Exception:
        pass


# ---- running a pack's code, only ever in a subprocess ---------------------------------------------------
_PROBE = textwrap.dedent(
    """
    import json, sys
    from intents.sdk import Pack
    from intents.specs import to_dict

    def load(value):
        from importlib import import_module
        mod, _, attr = value.partition(":")
        obj = import_module(mod.strip())
        for part in (attr.strip() or "pack").split("."):
            obj = getattr(obj, part)
        if callable(obj) and not isinstance(obj, Pack):
            obj = obj()
        if not isinstance(obj, Pack):
            raise SystemExit("entry point " + value + " gives " + type(obj).__name__ + ", not intents.sdk.Pack")
        return to_dict(obj.spec(entry_point=value))

    eps = json.loads(sys.argv[1])
    print(json.dumps({name: load(value) for name, value in eps.items()}))
    """
)


def probe(entry_points: dict[str, str], extra_path: list[str] = (), timeout_s: float = PROBE_TIMEOUT_S,
          cwd: Path | None = None) -> tuple[dict[str, PackSpec], list[str]]:
    """Import each entry point in a fresh subprocess (never in ours) and return its validated spec.

    The subprocess gets a throwaway INTENT_HOME and writes no bytecode, so the import leaves nothing
    behind that an uninstall would miss."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="intent-pack-probe-") as scratch:
        pythonpath = os.pathsep.join([*extra_path, os.environ.get("PYTHONPATH", "")])
        env = {**os.environ, "PYTHONPATH": pythonpath, "PYTHONDONTWRITEBYTECODE": "1", "INTENT_HOME": scratch}
        try:
            proc = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(entry_points)], capture_output=True,
                                  text=True, timeout=timeout_s, env=env, cwd=cwd or scratch)
        except subprocess.TimeoutExpired:
            return {}, [f"importing {', '.join(entry_points.values())} did not finish in {timeout_s:g} s"]
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed without a message"])[-1]
        return {}, [f"importing {', '.join(f'{k} = {v}' for k, v in entry_points.items())}: {last}"]
    specs = {}
    try:
        raw = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}, ["importing the pack printed no spec (does it write to stdout?)"]
    for name, data in raw.items():
        try:
            specs[name] = validate_pack(data)
        except Exception as exc:
            problems.append(f"entry point {name}: the pack's manifest is invalid: {exc}")
    return specs, problems


def rule_problems(spec: PackSpec, taken_ids: set[str] = frozenset()) -> list[str]:
    """The pack rules (pack_check) plus the reserved ids, for a third-party pack."""
    from intents.registry import RESERVED

    report = check_spec(spec, known_features(), taken_ids)
    problems = list(report.problems)
    if spec.manifest.id in RESERVED:
        problems.insert(0, f"the pack id '{spec.manifest.id}' is reserved for the built-in pack")
    return problems


def upgrades(static: pack_manifest.Static, reg) -> bool:
    """Whether this distribution is an installed pack's own, again (an edited pack reinstalled): then it
    upgrades that pack in place instead of being refused as a second copy."""
    if reg is None or not static.manifests:
        return False
    ids = {m.id for m in static.manifests.values()}
    installed = [reg.packs[i] for i in ids if i in reg.packs]
    return len(installed) == len(ids) and all(
        (p.distribution or "").replace("_", "-").lower() == static.distribution.replace("_", "-").lower() for p in installed)


def static_problems(static: pack_manifest.Static, reg=None) -> list[str]:
    """What refuses a distribution from its manifest alone, before anything is installed or imported."""
    from intents.registry import RESERVED

    if upgrades(static, reg):
        reg = None  # its own earlier version: the checks below against what is installed do not apply

    problems = []
    if not static.entry_points:
        problems.append(f'the distribution declares no [project.entry-points."{pack_manifest.GROUP}"]')
    for name, manifest in static.manifests.items():
        if name in RESERVED:
            problems.append(f"the entry point name '{name}' is reserved for the built-in pack")
        if manifest.id in RESERVED:
            problems.append(f"the pack id '{manifest.id}' is reserved for the built-in pack")
        elif reg is not None and (manifest.id in reg.packs or manifest.id in reg.broken):
            problems.append(f"a pack called '{manifest.id}' is already installed (intent packs remove {manifest.id} first)")
    if reg is not None and _installed_version(static.distribution):
        problems.append(f"the distribution {static.distribution} is already installed "
                        f"({_installed_version(static.distribution)}); remove it first")
    return problems


def check_folder(folder: Path, taken_ids: set[str] = frozenset(), registry=None) -> list[CheckReport]:
    """`intent packs check`: the manifest, then the code imported in a subprocess and compared with it;
    with `registry`, the samples are also resolved beside the installed catalog."""
    static, manifest_problem = None, None
    try:
        static = pack_manifest.from_folder(folder)
        eps = static.entry_points
    except ManifestError as exc:
        manifest_problem = str(exc)
        eps = pack_manifest_entry_points(folder)
    if not eps:
        return [CheckReport(pack=None, problems=[manifest_problem or
                                                 f'pyproject.toml declares no [project.entry-points."{pack_manifest.GROUP}"]'])]
    specs, problems = probe(eps, [str(folder), str(folder / "src")], cwd=folder)
    if manifest_problem:
        problems.append(manifest_problem)
    elif static is not None:
        problems += static_problems(static)
    reports = []
    for name, spec in specs.items():
        report = CheckReport(pack=spec.manifest.id, problems=rule_problems(spec, taken_ids))
        if static is not None and name in static.manifests:
            report.problems += [f"{pack_manifest.MANIFEST_FILE} does not match the code: {d}"
                                for d in pack_manifest.differences(static.manifests[name], spec)]
        if registry is not None:
            from intents.pack_check import check_samples

            report.problems.extend(check_samples(spec, registry.actions(), registry.kinds()))
        reports.append(report)
    if problems:
        reports.insert(0, CheckReport(pack=None, problems=problems))
    return reports


def pack_manifest_entry_points(folder: Path) -> dict[str, str]:
    """The entry points a project declares, when its manifest could not be read (to still check its code)."""
    import tomllib

    try:
        data = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return dict(data.get("project", {}).get("entry-points", {}).get(pack_manifest.GROUP, {}))


# ---- install / remove -----------------------------------------------------------------------------------
def install(session, target: str, confirm: Callable[[Declaration], bool] | None = None,
            editable: bool = False) -> InstallResult:
    """Install a built-in name, a folder, a wheel or a PyPI name. `confirm` is shown the declaration (for a
    third-party pack, built from its static manifest); without it, or when it says no, nothing is installed."""
    if editable:
        raise UsageError("editable installs (-e) are not available: install the folder (its code is checked "
                         "against its intent-pack.toml before anything runs)", param="pack")
    reg = session.registry
    path = Path(target).expanduser()
    if target in reg.packs and reg.packs[target].entry_point == _builtin_entry_point(target):
        return _enable(session, target, "builtin", confirm)
    if target in reg.packs:
        raise BadParameters(f"{target} is already installed (intent packs remove {target} first to reinstall, "
                            "or install its folder or wheel to upgrade it)", param="pack")
    with tempfile.TemporaryDirectory(prefix="intent-pack-download-") as download:
        if path.is_dir():
            source, artefact, read = "path", path.resolve(), pack_manifest.from_folder
        elif path.is_file() and path.suffix == ".whl":
            source, artefact, read = "wheel", path.resolve(), pack_manifest.from_wheel
        elif path.exists():
            raise BadParameters(f"{path} is neither a pack folder nor a .whl file", param="pack")
        elif "/" in target or target.endswith(".whl"):
            raise BadParameters(f"no such file or folder: {target}", param="pack")
        else:  # a PyPI name: fetch its wheel (no sdist: building one runs its code), inspect and install that file
            source, read = "pypi", pack_manifest.from_wheel
            _pip_run(["download", "--no-deps", "--only-binary=:all:", "-d", download, target], f"download {target}")
            artefact = next(Path(download).glob("*.whl"), None)
            if artefact is None:
                raise ActionFailed(f"pip downloaded no wheel for {target}")
        try:
            static = read(artefact)
        except ManifestError as exc:
            _refuse(session, str(artefact), [str(exc)])
        _refuse(session, str(artefact), static_problems(static, reg)
                + (wheel_problems(artefact) if source != "path" else []))
        decls = [declaration_of(m) for m in static.manifests.values()]
        for decl in decls:
            accepted = bool(confirm and confirm(decl))
            audit(session.home, "pack.consent", {"pack": decl.pack, "accepted": accepted, "source": source,
                                                 **decl.model_dump()})
            if not accepted:
                raise UsageError(f"installing {decl.pack} needs your consent; nothing was installed "
                                 "(run interactively, or pass --yes after reading what it declares)", pack=decl.pack)
        if source == "path":
            # Building runs the project's build backend, i.e. its author's code: only now, after consent.
            # The wheel it builds is inspected like any other and is what gets installed.
            built = Path(download) / "built"
            _pip_run(["wheel", "--no-deps", "-w", str(built), str(artefact)], f"build {target}")
            artefact = next(built.glob("*.whl"), None)
            if artefact is None:
                raise ActionFailed(f"building {target} gave no wheel")
            try:
                rebuilt = pack_manifest.from_wheel(artefact)
            except ManifestError as exc:
                _refuse(session, str(artefact), [f"the built wheel: {exc}"])
            if rebuilt.manifests != static.manifests or rebuilt.entry_points != static.entry_points:
                _refuse(session, str(artefact), ["the built wheel's manifest or entry points differ from the "
                                                 "project's (is intent-pack.toml listed as package data?)"])
        _refuse(session, str(artefact), wheel_problems(artefact))
        upgrade = upgrades(static, reg)
        own = {m.id for m in static.manifests.values()} if upgrade else set()
        taken = {a.id for a in reg.actions() if a.pack not in own}
        before = _distributions()
        # an upgrade reinstalls the same distribution (the same version number edited in place, too)
        _pip_run(["install", *(["--force-reinstall", "--no-deps"] if upgrade else []), str(artefact)],
                 f"install {target}")
        added = sorted((_distributions() - before) & _closure(static.distribution))
        if upgrade:  # what the first install added stays what remove takes away
            earlier = [_read_added(session.home).get(pid, {}).get("added", []) for pid in own]
            added = sorted(set(added).union(*earlier) or {static.distribution})
        try:
            pack_ids = _verify_installed(session, static, taken)
            results = [_enable(session, pid, source, confirm=None, consented=True,
                               accepted=next(d for d in decls if d.pack == pid)) for pid in pack_ids]
            _record_added(session.home, pack_ids, static.distribution, added)
        except BaseException:
            _rollback(session, added or [static.distribution])
            raise
    return results[-1]


TERMINAL_PACKAGES = {"intents", "terminal", "entitlements", "vertical_packs"}


def wheel_problems(wheel: Path) -> list[str]:
    """What in a wheel's file list would reach past its own pack: code run at every Python start (.pth),
    files inside the terminal's own packages (the gate is there), or a replacement `intent` command."""
    import configparser
    import io
    import re
    import zipfile

    problems: set[str] = set()
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            rel = re.sub(r"^[^/]+\.data/(purelib|platlib)/", "", name)
            top = rel.split("/", 1)[0]
            if "/" not in rel and rel.endswith(".pth"):
                problems.add(f"it installs {rel}, a .pth file (code that runs at every Python start)")
            if top in TERMINAL_PACKAGES or top in {f"{p}.py" for p in TERMINAL_PACKAGES}:
                problems.add(f"it installs files into the terminal's own package '{top}'")
            if re.fullmatch(r"[^/]+\.data/scripts/intent(\.exe)?", name):
                problems.add("it installs a script called 'intent', which would replace the terminal's command")
            if re.fullmatch(r"[^/]+\.dist-info/entry_points\.txt", name):
                parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
                parser.optionxform = str
                parser.read_file(io.StringIO(zf.read(name).decode("utf-8", "replace")))
                for section in ("console_scripts", "gui_scripts"):
                    if parser.has_section(section) and "intent" in {k.strip() for k, _ in parser.items(section)}:
                        problems.add("it declares a command called 'intent', which would replace the terminal's")
    return sorted(problems)


def _builtin_entry_point(pack_id: str) -> str | None:
    from intents.registry import BUILTIN

    return BUILTIN.get(pack_id)


def _refuse(session, source: str, problems: list[str]) -> None:
    if problems:
        audit(session.home, "pack.install_refused", {"source": source, "problems": problems})
        raise BadParameters("the pack was refused; nothing was installed:\n  - " + "\n  - ".join(problems),
                            param="pack", problems=problems)


def _verify_installed(session, static: pack_manifest.Static, taken: set[str]) -> list[str]:
    """After pip: the installed files must carry the manifest consented to, and the code, imported in a
    subprocess, must match it and the pack rules; then the registry must admit it. Returns the pack ids."""
    problems: list[str] = []
    try:
        now = pack_manifest.installed(static.distribution)
    except ManifestError as exc:
        raise BadParameters(f"the installed pack does not match what you accepted: {exc}", param="pack") from None
    if now.entry_points != static.entry_points or now.manifests != static.manifests:
        problems.append("the installed distribution's entry points or manifest differ from the one inspected")
    specs, probe_problems = probe(now.entry_points)
    problems += probe_problems
    for name, spec in specs.items():
        problems += [f"{pack_manifest.MANIFEST_FILE} does not match the code: {d}"
                     for d in pack_manifest.differences(static.manifests[name], spec)]
        problems += rule_problems(spec, taken)
    if not problems:  # only now may the terminal's own process import it (the registry rebuild does)
        session.reload()
        reg = session.registry
        for spec in specs.values():
            pid = spec.manifest.id
            if pid not in reg.packs or reg.packs[pid].entry_point != spec.entry_point:
                why = next((b.error for b in reg.broken.values() if b.entry_point == spec.entry_point), "not registered")
                problems.append(f"the terminal did not admit pack {pid}: {why}")
    if problems:
        audit(session.home, "pack.install_refused", {"distribution": static.distribution, "problems": problems})
        raise BadParameters("the pack was installed, checked against its manifest and rolled back:\n  - "
                            + "\n  - ".join(problems), param="pack", problems=problems)
    return [s.manifest.id for s in specs.values()]


def _rollback(session, distributions: list[str]) -> None:
    for dist in distributions:
        try:
            _pip("uninstall", dist)
        except ActionFailed:
            pass  # reported by the error being raised; the next remove can finish the job
    session.reload()


def _enable(session, pack_id: str, source: str, confirm, consented: bool = False,
            accepted: Declaration | None = None) -> InstallResult:
    reg = session.registry
    spec = reg.packs[pack_id]
    decl = accepted or declaration(spec)
    if not consented and decl.needs_consent:
        accepted = bool(confirm and confirm(decl))
        audit(session.home, "pack.consent", {"pack": pack_id, "accepted": accepted, **decl.model_dump()})
        if not accepted:
            raise UsageError(
                f"installing {pack_id} needs your consent (it declares "
                + ", ".join(decl.lines()[2:]).replace("  ", "") + "); run interactively or pass --yes",
                pack=pack_id,
            )
    reg.set_installed(pack_id, True)
    decision = session.gate.check(reg.pack_feature(pack_id))
    upgrade = getattr(decision, "upgrade", None)
    audit(session.home, "pack.install", {"pack": pack_id, "source": source, "version": spec.manifest.version,
                                         "entitled": decision.allowed})
    return InstallResult(pack=pack_id, installed=True, source=source, entitled=decision.allowed,
                         unlock=upgrade.plan if upgrade else None, declaration=decl)


def remove(session, pack_id: str) -> InstallResult:
    """Remove a pack: a built-in one is disabled; a pip-installed one (working or broken) is uninstalled with
    what its install added."""
    from intents.registry import BUILTIN, BUILTIN_DISTRIBUTION, RESERVED

    reg = session.registry
    if pack_id == "system":
        raise BadParameters("the system pack is part of the terminal and cannot be removed", param="pack")
    from intents import mcp_packs

    if mcp_packs.is_mcp_pack(reg, pack_id):  # taken in from an MCP server: forget it (nothing to uninstall)
        return mcp_packs.remove(session, pack_id)
    if pack_id not in reg.packs and pack_id not in reg.broken:
        raise BadParameters(f"no pack called '{pack_id}' is installed", param="pack")
    spec = reg.packs.get(pack_id)
    broken = reg.broken.get(pack_id) if spec is None else None
    dist = spec.distribution if spec else broken.distribution
    if pack_id in RESERVED and spec is not None and spec.entry_point == BUILTIN.get(pack_id):
        reg.set_installed(pack_id, False)
        state = "disabled"
    elif dist and dist != BUILTIN_DISTRIBUTION:
        recorded = _read_added(session.home).pop(pack_id, {})
        # The record is a file the user (or any process) can edit: only what the pack's distribution really
        # requires, and nothing the terminal itself runs on, is ever taken away with it.
        closure = _closure(dist) - {BUILTIN_DISTRIBUTION, "pip", "setuptools", "wheel"}
        extras = [d for d in recorded.get("added", []) if isinstance(d, str) and d in closure and d != dist
                  and not _required_by_others(d, dist)]
        for extra in [dist] + extras:
            if _installed_version(extra):
                _pip("uninstall", extra)
        _forget_added(session.home, pack_id)
        state = "uninstalled"
    else:
        raise BadParameters(f"{pack_id} was not installed by pip (no distribution owns it); remove its files "
                            "from the Python path", param="pack")
    audit(session.home, "pack.remove", {"pack": pack_id, "how": state, "distribution": dist})
    session.reload()
    return InstallResult(pack=pack_id, installed=False, source=state)


# ---- what an install added, so remove takes exactly that away -------------------------------------------
def _state_file(home: Path) -> Path:
    return home / "pack-installs.json"


def _read_added(home: Path) -> dict:
    try:
        data = json.loads(_state_file(home).read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _record_added(home: Path, pack_ids: list[str], distribution: str, added: list[str]) -> None:
    data = _read_added(home)
    for pid in pack_ids:
        data[pid] = {"distribution": distribution, "added": added}
    _write_state(home, data)


def _forget_added(home: Path, pack_id: str) -> None:
    data = _read_added(home)
    data.pop(pack_id, None)
    _write_state(home, data)


def _write_state(home: Path, data: dict) -> None:
    tmp = _state_file(home).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, _state_file(home))


def _distributions() -> set[str]:
    """Normalised names of the installed distributions, read fresh in a subprocess (pip just changed them)."""
    code = ("import json, re; from importlib.metadata import distributions; "
            "print(json.dumps(sorted({re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() for d in distributions() "
            "if d.metadata['Name']})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    return set(json.loads(proc.stdout)) if proc.returncode == 0 else set()


def _closure(dist: str) -> set[str]:
    """The distribution and everything it requires, transitively (normalised names): what its install may
    have added. Anything else that appeared meanwhile was someone else's pip, and stays."""
    import re
    from importlib.metadata import PackageNotFoundError, distribution

    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    import importlib

    importlib.invalidate_caches()
    seen, todo = set(), [dist]
    while todo:
        name = norm(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for req in reqs:
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
            if m and "extra ==" not in req:
                todo.append(m.group(1))
    return seen


def _installed_version(dist: str) -> str | None:
    import importlib
    from importlib.metadata import PackageNotFoundError, version

    importlib.invalidate_caches()
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def _required_by_others(dist: str, owner: str) -> bool:
    """Whether some installed distribution other than `owner` depends on `dist` (then it stays)."""
    import re
    from importlib.metadata import distributions

    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    for d in distributions():
        name = d.metadata["Name"] or ""
        if norm(name) in (norm(dist), norm(owner)):
            continue
        for req in d.requires or []:
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
            if m and norm(m.group(1)) == norm(dist) and "extra ==" not in req:
                return True
    return False


def _pip(verb: str, target: str) -> None:
    _pip_run([verb, "-y", target] if verb == "uninstall" else [verb, target], f"{verb} {target}")


def _pip_run(args: list[str], what: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    try:
        from intents.progress import status

        verb, _, target = what.partition(" ")
        doing = {"install": "installing", "uninstall": "removing", "download": "downloading",
                 "build": "building"}.get(verb, verb)
        with status(f"{doing} {target} with pip (from the package index when it is a name)…"):
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise ActionFailed(f"pip {what} did not finish in {PIP_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise ActionFailed(f"pip {what} failed:\n{tail}")


def to_json(result: InstallResult) -> dict:
    return json.loads(result.model_dump_json())
