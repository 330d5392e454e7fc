"""A pack's static manifest, `intent-pack.toml`: what it asks the user to accept, read before any of its code runs.

The distribution carries it as package data next to the pack's module (`<package>/intent-pack.toml`).
Consent to install is built from it alone, so a pack is judged by what it declares before it can do
anything; after "yes" the code is imported in a subprocess and must match it (id, version, publisher,
sensitive data classes, every action with its risk, metering and feature keys), or the install is
rolled back. Network use and files written cannot be checked by importing: they are the author's word,
shown as such.

    id = "realestate"
    name = "Real estate"
    version = "1.0.0"
    publisher = "Example Realty Analytics"
    description = "Cap rate, rent multiplier, cash-on-cash return"
    sensitive = []            # data classes: PHI, PII, privileged, financial, confidential, credentials
    network = []              # hosts the pack contacts; empty: none
    files_written = []        # what it writes, e.g. "CSV schedules in the output folder"
    # feature = "pack.realestate"   # the entitlement feature key (default pack.<id>)

    [actions.cap_rate]        # one table per action, by its name after "<id>."
    risk = "read-only"        # read-only, writes-files or destructive
    # metered = true; feature = "realestate.cap_rate"
"""
from __future__ import annotations

import configparser
import io
import re
import zipfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from intents.specs import PackSpec, Risk

MANIFEST_FILE = "intent-pack.toml"
GROUP = "intent_terminal.packs"


class ManifestError(ValueError):
    """The manifest is missing or unreadable; the message says what to fix."""


class ActionDecl(BaseModel):
    model_config = ConfigDict(extra="forbid")

    risk: Risk = Risk.READ_ONLY
    metered: bool = False
    feature: str | None = None  # metered actions default to their own id, as in the SDK


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    version: str
    publisher: str
    description: str = ""
    sensitive: list[str] = Field(default_factory=list)
    network: list[str] = Field(default_factory=list)
    files_written: list[str] = Field(default_factory=list)
    feature: str | None = None
    actions: dict[str, ActionDecl] = Field(default_factory=dict)

    @property
    def feature_key(self) -> str:
        return self.feature or f"pack.{self.id}"

    def action_id(self, name: str) -> str:
        return f"{self.id}.{name}"

    def action_feature(self, name: str) -> str | None:
        decl = self.actions[name]
        return decl.feature or (self.action_id(name) if decl.metered else None)

    def features(self) -> list[str]:
        """Every entitlement feature key the pack needs: its own and its actions'."""
        keys = {self.feature_key} | {f for n in self.actions if (f := self.action_feature(n))}
        return sorted(keys)


def parse(text: str, where: str) -> Manifest:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{where}: not valid TOML: {exc}") from None
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ManifestError(f"{where}: {errors}") from None


def differences(manifest: Manifest, spec: PackSpec) -> list[str]:
    """Where the pack's code (spec, from importing it) differs from what its manifest declared."""
    m, out = spec.manifest, []
    for name in ("id", "version", "publisher"):
        if getattr(m, name) != getattr(manifest, name):
            out.append(f"{name}: the manifest says {getattr(manifest, name)!r}, the code {getattr(m, name)!r}")
    if sorted(m.sensitive) != sorted(manifest.sensitive):
        out.append(f"sensitive: the manifest says {sorted(manifest.sensitive)}, the code {sorted(m.sensitive)}")
    if m.feature_key != manifest.feature_key:
        out.append(f"feature: the manifest says {manifest.feature_key!r}, the code {m.feature_key!r}")
    code = {a.id: a for a in spec.actions}
    declared = {manifest.action_id(n): n for n in manifest.actions}
    for action_id in sorted(set(code) - set(declared)):
        out.append(f"action {action_id} is in the code but not in the manifest")
    for action_id in sorted(set(declared) - set(code)):
        out.append(f"action {action_id} is in the manifest but not in the code")
    for action_id in sorted(set(code) & set(declared)):
        a, name = code[action_id], declared[action_id]
        decl = manifest.actions[name]
        if a.risk != decl.risk:
            out.append(f"action {action_id}: risk is {a.risk.value} in the code, {decl.risk.value} in the manifest")
        if a.metered != decl.metered:
            out.append(f"action {action_id}: metered is {a.metered} in the code, {decl.metered} in the manifest")
        if a.feature != manifest.action_feature(name):
            out.append(f"action {action_id}: feature is {a.feature!r} in the code, "
                       f"{manifest.action_feature(name)!r} in the manifest")
    return out


def manifest_path(module: str) -> str:
    """Where, relative to a site-packages or project root, the manifest of the pack in `module` lives."""
    return "/".join(module.split(".")) + "/" + MANIFEST_FILE


def _module(value: str) -> str:
    return value.split(":", 1)[0].strip()


# ---- reading it without running anything ------------------------------------------------------------------
class Static(BaseModel):
    """What a distribution declares, read from its files alone."""

    distribution: str
    entry_points: dict[str, str]  # name -> module:attr
    manifests: dict[str, Manifest]  # entry-point name -> its manifest


def from_folder(folder: Path) -> Static:
    import tomllib

    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        raise ManifestError(f"{folder} has no pyproject.toml; is it a pack project?")
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{pyproject}: not valid TOML: {exc}") from None
    project = data.get("project", {})
    eps = dict(project.get("entry-points", {}).get(GROUP, {}))
    manifests = {}
    for name, value in eps.items():
        rel = manifest_path(_module(value))
        found = next((p for p in (folder / rel, folder / "src" / rel) if p.is_file()), None)
        if found is None:
            raise ManifestError(f"entry point {name} = {value}: the project has no {rel} (every pack ships an "
                                f"{MANIFEST_FILE} in its package, as package data; see `intent packs new`)")
        manifests[name] = parse(found.read_text(encoding="utf-8"), str(found))
    return Static(distribution=str(project.get("name", folder.name)), entry_points=eps, manifests=manifests)


def from_wheel(wheel: Path) -> Static:
    try:
        zf = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ManifestError(f"{wheel}: not a readable wheel: {exc}") from None
    with zf:
        names = set(zf.namelist())
        info = next((n.split("/")[0] for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)), None)
        if info is None:
            raise ManifestError(f"{wheel}: has no .dist-info/METADATA")
        meta = zf.read(f"{info}/METADATA").decode("utf-8", "replace")
        dist = next((ln.split(":", 1)[1].strip() for ln in meta.splitlines() if ln.startswith("Name:")), info)
        eps: dict[str, str] = {}
        if f"{info}/entry_points.txt" in names:
            parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
            parser.optionxform = str  # entry-point names are case-sensitive
            parser.read_file(io.StringIO(zf.read(f"{info}/entry_points.txt").decode("utf-8", "replace")))
            if parser.has_section(GROUP):
                eps = {k.strip(): v.strip() for k, v in parser.items(GROUP)}
        manifests = {}
        for name, value in eps.items():
            rel = manifest_path(_module(value))
            if rel not in names:
                raise ManifestError(f"{wheel.name}: entry point {name} = {value}, but the wheel has no {rel} "
                                    "(ship it as package data)")
            manifests[name] = parse(zf.read(rel).decode("utf-8"), f"{wheel.name}:{rel}")
    return Static(distribution=dist, entry_points=eps, manifests=manifests)


def installed(distribution: str) -> Static:
    """The manifest(s) an installed distribution carries, read from its files (its code is not imported)."""
    from importlib.metadata import PackageNotFoundError, distribution as get

    try:
        dist = get(distribution)
    except PackageNotFoundError:
        raise ManifestError(f"distribution {distribution} is not installed") from None
    eps = {ep.name: ep.value for ep in dist.entry_points if ep.group == GROUP}
    manifests = {}
    for name, value in eps.items():
        path = Path(str(dist.locate_file(manifest_path(_module(value)))))
        if not path.is_file():
            raise ManifestError(f"the installed {distribution} has no {manifest_path(_module(value))} "
                                "(is it listed as package data?)")
        manifests[name] = parse(path.read_text(encoding="utf-8"), str(path))
    return Static(distribution=dist.metadata["Name"], entry_points=eps, manifests=manifests)
