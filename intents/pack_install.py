"""Installing and removing packs.

A built-in or already-installed pack is enabled or disabled in INTENT_HOME. A folder, a wheel or a PyPI
name is pip-installed into the terminal's own environment, then validated; a pack that fails validation
is uninstalled again and refused with every problem listed. What a pack declares (risk of its actions,
sensitive data classes, files it writes) is shown before it is enabled, and the answer goes to the audit log.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, Field

from intents.errors import ActionFailed, BadParameters, UsageError
from intents.pack_check import CheckReport, check_spec
from intents.sdk import PackSpec, Risk
from intents.specs import validate_pack

PIP_TIMEOUT_S = 600


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

    @property
    def needs_consent(self) -> bool:
        return bool(self.sensitive or self.writes_files or self.destructive)

    def lines(self) -> list[str]:
        out = [f"{self.name} {self.version} ({self.pack}) by {self.publisher}"]
        out.append(f"  actions: {len(self.actions)} ({', '.join(sorted(self.actions))})")
        out.append(f"  sensitive data: {', '.join(self.sensitive) or 'none declared'}")
        if self.writes_files:
            out.append(f"  writes files: {', '.join(self.writes_files)}")
        if self.destructive:
            out.append(f"  destructive: {', '.join(self.destructive)}")
        return out


def declaration(spec: PackSpec) -> Declaration:
    m = spec.manifest
    return Declaration(
        pack=m.id, name=m.name, version=m.version, publisher=m.publisher, sensitive=list(m.sensitive),
        actions={a.id: a.risk.value for a in spec.actions},
        writes_files=[a.id for a in spec.actions if a.risk is Risk.WRITES_FILES],
        destructive=[a.id for a in spec.actions if a.risk is Risk.DESTRUCTIVE],
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


# ---- inspecting a pack that is not installed yet --------------------------------------------------------
def _probe_code(module_attr: str) -> str:
    return textwrap.dedent(
        f"""
        import json, sys
        from importlib import import_module
        from intents.sdk import Pack
        mod, _, attr = {module_attr!r}.partition(":")
        obj = getattr(import_module(mod), attr or "pack")
        if callable(obj) and not isinstance(obj, Pack):
            obj = obj()
        if not isinstance(obj, Pack):
            raise SystemExit("entry point gives " + type(obj).__name__ + ", not intents.sdk.Pack")
        from intents.specs import to_dict
        print(json.dumps(to_dict(obj.spec(entry_point={module_attr!r}))))
        """
    )


def entry_points_of(folder: Path) -> dict[str, str]:
    """The `intent_terminal.packs` entry points a project folder declares in its pyproject.toml."""
    import tomllib

    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        raise BadParameters(f"{folder} has no pyproject.toml; is it a pack project?", param="pack")
    try:
        data = tomllib.loads(pyproject.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadParameters(f"{pyproject}: not valid TOML: {exc}", param="pack") from None
    eps = data.get("project", {}).get("entry-points", {}).get("intent_terminal.packs", {})
    return dict(eps)


def inspect_folder(folder: Path, timeout_s: float = 30) -> tuple[list[PackSpec], list[str]]:
    """Load each pack a project folder declares, in a subprocess (its code may be broken or hang)."""
    problems: list[str] = []
    eps = entry_points_of(folder)
    if not eps:
        return [], ["pyproject.toml declares no [project.entry-points.\"intent_terminal.packs\"]"]
    specs = []
    roots = [str(folder), str(folder / "src")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(roots + [os.environ.get("PYTHONPATH", "")])}
    for name, value in eps.items():
        try:
            proc = subprocess.run([sys.executable, "-c", _probe_code(value)], capture_output=True, text=True,
                                  timeout=timeout_s, env=env, cwd=folder)
        except subprocess.TimeoutExpired:
            problems.append(f"entry point {name} = {value}: importing it did not finish in {timeout_s:g} s")
            continue
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["failed without a message"])[-1]
            problems.append(f"entry point {name} = {value}: {last}")
            continue
        try:
            specs.append(validate_pack(json.loads(proc.stdout.strip().splitlines()[-1])))
        except Exception as exc:
            problems.append(f"entry point {name} = {value}: the pack's manifest is invalid: {exc}")
    return specs, problems


def check_folder(folder: Path, taken_ids: set[str] = frozenset()) -> list[CheckReport]:
    specs, problems = inspect_folder(folder)
    reports = [check_spec(s, known_features(), taken_ids) for s in specs]
    if problems:
        reports.insert(0, CheckReport(pack=None, problems=problems))
    return reports


# ---- install / remove -----------------------------------------------------------------------------------
def install(session, target: str, confirm: Callable[[Declaration], bool] | None = None) -> InstallResult:
    """Install a built-in name, a folder, a wheel or a PyPI name. `confirm` is asked when the pack
    declares risky actions or sensitive data; without it such a pack is refused."""
    reg = session.registry
    path = Path(target).expanduser()
    if target in reg.packs:
        return _enable(session, target, "builtin", confirm)
    if path.exists():
        if path.is_dir():
            reports = check_folder(path, taken_ids={a.id for a in reg.actions()})
            bad = [p for r in reports for p in r.problems]
            if bad:
                audit(session.home, "pack.install_refused", {"source": str(path), "problems": bad})
                raise BadParameters("the pack failed validation:\n  - " + "\n  - ".join(bad), param="pack", problems=bad)
            source = "path"
        elif path.suffix == ".whl":
            source = "wheel"
        else:
            raise BadParameters(f"{path} is neither a pack folder nor a .whl file", param="pack")
        spec_target = str(path.resolve())
    else:
        if "/" in target or target.endswith(".whl"):
            raise BadParameters(f"no such file or folder: {target}", param="pack")
        source, spec_target = "pypi", target
    before = set(reg.packs)
    _pip("install", spec_target)
    session.reload()  # the cached registry predates the new distribution
    reg = session.registry
    new = sorted(set(reg.packs) - before)
    broken = [b for b in reg.broken.values() if b.entry_point and source != "builtin"]
    if not new:
        msg = "pip installed it, but it registers no new pack"
        if broken:
            msg += ": " + "; ".join(f"{b.id}: {b.error}" for b in broken)
        raise ActionFailed(msg)
    result = None
    for pack_id in new:
        spec = reg.packs[pack_id]
        report = check_spec(spec, known_features(), {a.id for a in reg.actions() if a.pack != pack_id})
        if not report.ok:
            _pip("uninstall", spec.distribution or pack_id)
            audit(session.home, "pack.install_refused", {"pack": pack_id, "problems": report.problems})
            raise BadParameters("the pack failed validation:\n  - " + "\n  - ".join(report.problems),
                                param="pack", problems=report.problems)
        try:
            result = _enable(session, pack_id, source, confirm)
        except Exception:
            _pip("uninstall", spec.distribution or pack_id)
            raise
    return result


def _enable(session, pack_id: str, source: str, confirm) -> InstallResult:
    reg = session.registry
    spec = reg.packs[pack_id]
    decl = declaration(spec)
    if decl.needs_consent:
        accepted = bool(confirm and confirm(decl))
        audit(session.home, "pack.consent", {"pack": pack_id, "accepted": accepted, **decl.model_dump()})
        if not accepted:
            raise UsageError(
                f"installing {pack_id} needs your consent (it declares "
                + ", ".join(decl.lines()[2:]).replace("  ", "") + "); run interactively or pass --yes",
                pack=pack_id,
            )
    reg.set_installed(pack_id, True)
    decision = session.gate.check(spec.manifest.feature_key)
    upgrade = getattr(decision, "upgrade", None)
    audit(session.home, "pack.install", {"pack": pack_id, "source": source, "version": spec.manifest.version,
                                         "entitled": decision.allowed})
    return InstallResult(pack=pack_id, installed=True, source=source, entitled=decision.allowed,
                         unlock=upgrade.plan if upgrade else None, declaration=decl)


def remove(session, pack_id: str) -> InstallResult:
    reg = session.registry
    if pack_id == "system":
        raise BadParameters("the system pack is part of the terminal and cannot be removed", param="pack")
    from intents import mcp_packs

    if mcp_packs.is_mcp_pack(reg, pack_id):  # taken in from an MCP server: forget it (nothing to uninstall)
        return mcp_packs.remove(session, pack_id)
    if pack_id not in reg.packs and pack_id not in reg.broken:
        raise BadParameters(f"no pack called '{pack_id}' is installed", param="pack")
    spec = reg.packs.get(pack_id)
    dist = spec.distribution if spec else None
    if dist and dist != "intent-terminal":
        _pip("uninstall", dist)
        state = "uninstalled"
    elif pack_id in reg.broken and not spec:
        raise BadParameters(f"{pack_id} is broken and not a pip distribution; remove it with pip", param="pack")
    else:
        reg.set_installed(pack_id, False)
        state = "disabled"
    audit(session.home, "pack.remove", {"pack": pack_id, "how": state})
    session.reload()
    return InstallResult(pack=pack_id, installed=False, source=state)


def _pip(verb: str, target: str) -> None:
    cmd = [sys.executable, "-m", "pip", verb, "--disable-pip-version-check", "-q"]
    cmd += ["-y", target] if verb == "uninstall" else [target]
    try:
        from intents.progress import status

        doing = {"install": "installing", "uninstall": "removing"}.get(verb, verb)
        with status(f"{doing} {target} with pip (from the package index when it is a name)…"):
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise ActionFailed(f"pip {verb} {target} did not finish in {PIP_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise ActionFailed(f"pip {verb} {target} failed:\n{tail}")


def to_json(result: InstallResult) -> dict:
    return json.loads(result.model_dump_json())
