"""Validation of a pack before it is enabled: every problem is listed, not just the first.

Checks: manifest schema, `pack_api` compatibility, action ids unique and namespaced, every action has a
parameters model and sample utterances, declared feature keys known to the plan catalog or the pack's own,
risk and sensitive data classes declared with known values.
"""
from __future__ import annotations

import re
from typing import Iterable

from pydantic import BaseModel, Field

from intents.sdk import PACK_API, ActionSpec, Pack, PackSpec, Risk

KNOWN_DATA_CLASSES = {"PHI", "PII", "privileged", "financial", "confidential", "credentials"}
MIN_SAMPLES = 2


class CheckReport(BaseModel):
    pack: str | None = None
    problems: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def api_compatible(spec: str, version: str = PACK_API) -> bool:
    """True when `version` satisfies a range like '>=1,<2', '==1', '1' (an integer major version)."""
    ops = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
           "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
    have = int(version)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        m = re.fullmatch(r"(>=|<=|==|!=|>|<)?\s*(\d+)(?:\.\d+)*", clause)
        if not m:
            raise ValueError(f"cannot read pack_api clause '{clause}'")
        if not ops[m.group(1) or "=="](have, int(m.group(2))):
            return False
    return True


def check_spec(spec: PackSpec, known_features: Iterable[str] = (), taken_ids: Iterable[str] = ()) -> CheckReport:
    """Validate a pack's spec; `taken_ids` are action ids already provided by other installed packs."""
    m = spec.manifest
    report = CheckReport(pack=m.id)
    p = report.problems
    if not re.fullmatch(r"[a-z][a-z0-9_]*", m.id):
        p.append(f"manifest.id '{m.id}' must be lower-case letters, digits and _ (starting with a letter)")
    if not re.fullmatch(r"\d+(\.\d+)*([abrc.-]\w*)?", m.version):
        p.append(f"manifest.version '{m.version}' is not a version number")
    if not m.description.strip():
        p.append("manifest.description is empty")
    if m.publisher in ("", "unknown"):
        p.append("manifest.publisher is not declared")
    try:
        if not api_compatible(m.pack_api):
            p.append(f"manifest.pack_api '{m.pack_api}' does not include this terminal's pack API {PACK_API}")
    except ValueError as exc:
        p.append(f"manifest.pack_api: {exc}")
    unknown = sorted(set(m.sensitive) - KNOWN_DATA_CLASSES)
    if unknown:
        p.append(f"manifest.sensitive has unknown data classes {unknown} (known: {sorted(KNOWN_DATA_CLASSES)})")
    if not spec.actions:
        p.append("the pack declares no actions")
    known = set(known_features)
    own_feature = m.feature_key
    if m.feature and m.feature not in known and m.feature != f"pack.{m.id}":
        p.append(f"manifest.feature '{m.feature}' is not in the plan catalog and is not the pack's own (pack.{m.id})")
    seen: set[str] = set()
    taken = set(taken_ids)
    for action in spec.actions:
        p.extend(_check_action(action, m.id, seen, taken, known, own_feature))
        seen.add(action.id)
    p.extend(check_language(spec))
    return report


_TEMPLATE_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def check_language(spec: PackSpec) -> list[str]:
    """What the resolver needs the pack's words to be: every slot's kind known (a core kind or one the
    pack registers; the closest named), every template slot a parameter, every kind's patterns valid."""
    from intents.kinds import CORE_KINDS, closest

    out = []
    kinds = {**CORE_KINDS, **{k.name: k for k in getattr(spec, "kinds", ())}}
    for k in getattr(spec, "kinds", ()):
        if k.base not in CORE_KINDS:
            out.append(f"kind {k.name}: unknown base kind '{k.base}'")
        for rx in [k.pattern or "", *k.extract, *k.strip]:
            try:
                re.compile(rx)
            except re.error as exc:
                out.append(f"kind {k.name}: pattern {rx!r} does not compile: {exc}")
    for a in spec.actions:
        names = {s.name for s in a.slots}
        for s in a.slots:
            if s.kind and s.kind not in kinds:
                near = closest(s.kind, set(kinds))
                out.append(f"action {a.id}: parameter '{s.name}' has unknown kind '{s.kind}'"
                           + (f" (did you mean '{near}'?)" if near else "")
                           + "; register it with pack.kind() or use a core kind (docs/sdk-kinds.md)")
            if s.elements and s.type != "array":
                out.append(f"action {a.id}: parameter '{s.name}' names elements, but it is not a list")
            if s.qualifies and s.qualifies not in names:
                out.append(f"action {a.id}: parameter '{s.name}' qualifies '{s.qualifies}', which is not a parameter")
        for tpl in a.templates:
            for slot in _TEMPLATE_SLOT.findall(tpl):
                if slot not in names:
                    near = closest(slot, names)
                    out.append(f"action {a.id}: template {tpl!r} names slot '{{{slot}}}', which is not a parameter"
                               + (f" (did you mean '{near}'?)" if near else ""))
    return out


def check_samples(spec: PackSpec, catalog: list | None = None, catalog_kinds: list | None = None) -> list[str]:
    """Each sample, resolved beside the installed catalog, must come back as its own action: a sample
    that resolves to another action means users saying it will get that one."""
    from intents.resolver.local import LocalResolver

    own = {a.id for a in spec.actions}
    actions = [a for a in catalog or () if a.id not in own and a.pack != spec.manifest.id] + list(spec.actions)
    kinds = [k for k in catalog_kinds or () if k.pack != spec.manifest.id] + list(getattr(spec, "kinds", ()))
    resolver = LocalResolver.for_actions(actions, kinds=kinds, vocabulary=getattr(spec, "vocabulary", {}),
                                         synonyms=getattr(spec, "synonyms", {}))
    out = []
    for a in spec.actions:
        for sample in a.samples:
            got = resolver.resolve(sample).action
            if got is not None and got != a.id:
                out.append(f"action {a.id}: sample {sample!r} resolves to {got}; reword it or the action's other samples")
    return out


def _check_action(a: ActionSpec, pack_id: str, seen: set[str], taken: set[str], known: set[str], own: str) -> list[str]:
    out = []
    where = f"action {a.id}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", a.id):
        out.append(f"{where}: id must look like '<pack>.<action>' in lower case")
    if a.pack != pack_id or not a.id.startswith(pack_id + "."):
        out.append(f"{where}: id must start with the pack id '{pack_id}.'")
    if a.id in seen:
        out.append(f"{where}: declared twice")
    if a.id in taken:
        out.append(f"{where}: already provided by another installed pack")
    if len([s for s in a.samples if s.strip()]) < MIN_SAMPLES:
        out.append(f"{where}: needs at least {MIN_SAMPLES} sample utterances (has {len(a.samples)})")
    if not a.params_schema or a.params_schema.get("type") != "object":
        out.append(f"{where}: has no parameters model")
    if not a.description.strip():
        out.append(f"{where}: has no description (the function's docstring)")
    if not isinstance(a.risk, Risk):
        out.append(f"{where}: risk must be one of {[r.value for r in Risk]}")
    if a.feature and a.feature not in known and not a.feature.startswith(pack_id + ".") and a.feature != own:
        out.append(f"{where}: feature '{a.feature}' is not in the plan catalog and is not the pack's own")
    for slot in a.slots:
        if not slot.description:
            out.append(f"{where}: parameter '{slot.name}' has no description")
    return out


def check_pack(pack: Pack, known_features: Iterable[str] = (), taken_ids: Iterable[str] = ()) -> CheckReport:
    return check_spec(pack.spec(), known_features, taken_ids)
