"""The pack SDK: everything a pack author imports.

A pack is a `Pack` object exposed through the entry-point group `intent_terminal.packs`. An action is one
decorated, typed function: its signature becomes the pydantic parameters model (field names are slot names),
its docstring the description, its return annotation the result model.

    from intents.sdk import Pack, Result, Slot

    pack = Pack(id="demo", name="Demo", version="1.0.0", description="...", vertical="demo",
                negatives=["triple my salary"])  # near-domain requests it does not serve

    class Doubled(Result):
        value: float

    @pack.action(samples=["double 21"], templates=["double {x}"])
    def double(x: float = Slot("The number to double", kind="number")) -> Doubled:
        \"\"\"Double a number.\"\"\"
        return Doubled(value=2 * x)

Heavy libraries belong inside action bodies, so that listing packs and resolving never pay for them.
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping, get_type_hints

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from intents.figures import figure
from intents.progress import status as progress
from intents.safe_files import UnsafePath, new_file_in, open_new, private_dir, write_atomic
from intents.kinds import KindSpec
from intents.specs import ActionSpec, Chart, PackManifest, PackSpec, Render, Risk, SlotSpec, to_dict

if TYPE_CHECKING:
    import logging

PACK_API = "1"
"""Version of this SDK's contract; packs declare the range they support in `pack_api`."""

ACTION_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
PACK_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class ParameterError(ValueError):
    """Raise from an action when a parameter is implausible in a way its type cannot say
    (a missing file, a date before another). Dispatch turns it into exit 2 naming `param`."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class Result(BaseModel):
    """Base of every action's result model. `basis` says how the answer was reached (formula, rule,
    source and data date), so a professional can check it."""

    # defer_build: a pack declares all its actions' result models when it is imported, and a run uses
    # one of them; pydantic builds each validator on its first use instead (most of a pack's import).
    # Pack.spec() builds them all, so a model pydantic cannot build is still found where the pack is
    # discovered or checked, with pydantic's own error.
    model_config = ConfigDict(extra="allow", defer_build=True)

    basis: str | None = None


def Slot(
    description: str,
    *,
    default: Any = ...,
    kind: str | None = None,
    unit: str | None = None,
    question: str | None = None,
    examples: list[Any] | None = None,
    min_nonzero: float | None = None,
    cues: list[str] | None = None,
    synonyms: dict[str, str] | None = None,
    qualifies: str | None = None,
    elements: dict[str, int] | None = None,
    yearless: Literal["next", "last"] | None = None,
    **constraints: Any,
) -> Any:
    """Declare a parameter (slot). `kind` tells the resolver what value fills it: a general kind
    (number, integer, money, percent, duration/years/days, date, quantity, choice, boolean, list, text,
    document, party; see docs/sdk-kinds.md) or one the pack registers with `pack.kind`. `unit` is the
    unit the action receives (`kind="quantity", unit="m/s"`: any unit pint knows is converted to it).
    `cues` are words that, near a value, say it is this slot's ("miles", "driven"); nothing is guessed
    from the description. `synonyms` map other words to a choice ({"jointly": "married_joint"});
    `qualifies` names the slot whose value a choice qualifies ("10 court days"): the choice is then
    read only from the words just before that value. `question` is what to ask when it is missing.
    `elements` (for a list) names elements by their position in the pack's own words ({"outlay": 0}: "what
    if the outlay was 14000" replaces the first; -1 is the last), beside the ordinals every list has.
    `yearless` (for a date) says which year a date written without one is: "next" (the slot is about
    something ahead: an arrival, an event, a renewal; "Feb 14" is the next 14 February, today included)
    or "last" (something behind: a signing, an incident, a start; the most recent one). Left out, the
    request's own words decide ("until", "before", "left", "next", "countdown" look ahead; "since",
    "ago", "last", "was" look back), and with none of them the date is this year's.

    `constraints` are pydantic's (ge, gt, le, lt, min_length, max_length...): give every slot its
    plausible range, so that a typo is refused (exit 2, naming the slot and the range) instead of being
    computed. `min_nonzero` is for a slot where 0 is meaningful but a tiny value is not (a 0% loan, but
    not 1e-320%): any other value must be at least that large."""
    extra = {k: v for k, v in {"kind": kind, "unit": unit, "question": question, "cues": list(cues or []),
                               "synonyms": dict(synonyms or {}), "qualifies": qualifies,
                               "elements": {str(k).lower(): int(v) for k, v in (elements or {}).items()},
                               "yearless": yearless}.items() if v}
    if yearless not in (None, "next", "last"):
        raise ValueError(f"Slot(yearless=...) is 'next' or 'last', not {yearless!r}")
    info = Field(default, description=description, examples=examples, json_schema_extra=extra or None, **constraints)
    if min_nonzero is not None:
        info.metadata.append(AfterValidator(MinNonzero(float(min_nonzero))))
    return info


class MinNonzero:
    """The validator behind Slot(min_nonzero=...); kept as an object so the range can be read back."""

    def __init__(self, smallest: float) -> None:
        self.smallest = smallest

    def __call__(self, value: Any) -> Any:
        if value is not None and value != 0 and abs(value) < self.smallest:
            raise PydanticCustomError("min_nonzero", "Input should be 0, or at least {smallest}",
                                      {"smallest": self.smallest})
        return value


class _DefaultLogger:
    """ActionContext.log when none is given: the "intent.pack" logger, made when first read. A run whose
    action takes no context (most) then never imports logging (~2 ms of every run, issue 20)."""

    UNSET = object()

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self.UNSET  # the field's default, as dataclasses ask for it
        value = obj.__dict__.get(self.slot, self.UNSET)
        if value is self.UNSET:
            import logging

            value = obj.__dict__[self.slot] = logging.getLogger("intent.pack")
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


@dataclass
class ActionContext:
    """Handed to actions that declare a parameter annotated `ActionContext` (never a slot).

    Deliberately narrow: where to write output, a folder of the pack's own for caches and data, the
    pack's own settings (read-only), a logger and the clock. It holds no session, gate, dispatcher or
    registry: an action has no business with the terminal's machinery (the system pack's actions get
    what they need by name, see intents.system_pack.SystemContext).
    """

    home: Path  # the pack's own data folder (INTENT_HOME/packs/<pack id>), not INTENT_HOME itself
    out_dir: Path = field(default_factory=Path.cwd)
    now: Callable[[], datetime] = datetime.now
    pack: str = ""
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # [packs.<id>] of config.toml
    log: logging.Logger = _DefaultLogger()  # logging.getLogger("intent.pack") unless given
    # The pack's folder in the installation's shared cache (intents.paths.shared_cache_dir), or None: for
    # caches derived only from an installed library's data, which every home of the installation can share.
    # Pass it as cached_sqlite(..., shared=ctx.shared_cache_dir). Not created here; checked when read.
    shared_cache_dir: Path | None = None

    @property
    def data_dir(self) -> Path:
        return self.home

    @property
    def cache_dir(self) -> Path:
        """The pack's folder for caches it can rebuild (INTENT_HOME/packs/<pack id>/cache). It is not created
        here (a read-only home must still work): make it with `private_dir(ctx.cache_dir)` when writing.
        Everything in it is the user's to change, so a cache is checked when read and never trusted."""
        return self.home / "cache"

    def output_path(self, filename: str) -> Path:
        """A new, empty, owner-only (0600) file in the output directory, for the action to write into.

        Files are never overwritten (`nda.docx`, then `nda-2.docx`...); `filename` is reduced to a plain
        name, so "../../x" is created as `x` inside the directory; a symbolic link is never written
        through. Write with `path.write_text(...)`, `open(path, "w")` or a library's save(path)."""
        return new_file_in(self.out_dir, filename)


@dataclass
class OutputFormat:
    """Another way to print an action's outcome, supplied by its pack: `intent do ... --format NAME`.
    `render(outcome)` gets the Outcome (action, params, result) and returns JSON-able data or text; it
    raises UsageError when this outcome has no such form."""

    name: str
    description: str
    render: Callable[[Any], Any]
    actions: tuple[str, ...] | None = None  # None: every action of the pack

    def applies(self, action_id: str) -> bool:
        return self.actions is None or action_id in self.actions


class Action:
    """A live action: its spec plus the callable and models (only exists once the pack is imported).

    `spec` may be given as a function that builds it: the SDK builds an action's spec (its slots and
    parameters schema, which need pydantic's JSON schema of the parameters model) on first use, so that
    running one action of a pack builds that action's models and no other's."""

    module: str | None = None  # the module that declared it with @pack.action (Pack.include, action_for)

    def __init__(self, spec: ActionSpec | Callable[[], ActionSpec], func: Callable[..., Any],
                 params_model: type[BaseModel] | None, result_model: type[BaseModel], context_param: str | None = None,
                 formats: dict[str, OutputFormat] | None = None, *, id: str | None = None,
                 build_params: Callable[[], type[BaseModel]] | None = None,
                 declared: Mapping[str, Any] | None = None) -> None:
        if isinstance(spec, ActionSpec):
            self._spec, self._build, self.id = spec, None, spec.id
        else:
            if id is None:
                raise TypeError("an Action built later needs its id now")
            self._spec, self._build, self.id = None, spec, id
        # The spec's fields known at declaration (all but slots and params_schema): what a run reads.
        self._declared = dict(declared) if declared is not None and self._spec is None else None
        if params_model is None and build_params is None:
            raise TypeError("an Action needs a parameters model, or a function that builds it")
        self._params_model, self._build_params = params_model, build_params
        self.func = func
        self.result_model = result_model
        self.context_param = context_param
        self.formats: dict[str, OutputFormat] = dict(formats or {})

    def _once(self, attr: str, make: Callable[[], Any]) -> Any:
        """`self.<attr>`, made by `make()` the first time under one lock, so every caller gets the same."""
        got = getattr(self, attr)
        if got is None:
            with _BUILDING:
                got = getattr(self, attr)
                if got is None:
                    got = make()
                    setattr(self, attr, got)
        return got

    @property
    def spec(self) -> ActionSpec:
        return self._once("_spec", self._make_spec)

    def _make_spec(self) -> ActionSpec:
        spec = self._build()
        spec.formats.extend(name for name in self.formats if name not in spec.formats)
        return spec

    @spec.setter
    def spec(self, value: ActionSpec) -> None:
        self._spec = value

    @property
    def params_model(self) -> type[BaseModel]:
        """The pydantic model of the parameters: created on first use (one model per run, not one per
        action of the pack) and kept, so every caller validates with the same class."""
        return self._once("_params_model", self._build_params)

    @params_model.setter
    def params_model(self, value: type[BaseModel]) -> None:
        self._params_model = value

    def built(self) -> ActionSpec:
        """The spec, with the parameters and result models built: what the SDK defers to first use, done
        now, so that a declaration pydantic cannot build fails here with pydantic's own error."""
        spec = self.spec
        self.build_models()
        return spec

    def build_models(self) -> None:
        """The parameters and result models built (pydantic builds them on first use): what a run needs
        before it validates, without the spec's JSON schema of the parameters (~2 ms a run, issue 20)."""
        self.params_model.model_rebuild()  # None at once when already built
        self.result_model.model_rebuild()

    def declared(self, name: str) -> Any:
        """A field of the spec known at declaration (pack, feature, metered, timeout_s, risk, render...),
        read without building the spec: its slots and parameters schema need pydantic's JSON schema."""
        if self._spec is None and self._declared is not None and name in self._declared:
            return self._declared[name]
        return getattr(self.spec, name)

    def __repr__(self) -> str:
        return f"Action(id={self.id!r}, func={getattr(self.func, '__qualname__', self.func)!r})"

    def call(self, params: BaseModel, ctx: ActionContext | None = None) -> BaseModel:
        kwargs = {name: getattr(params, name) for name in type(params).model_fields}
        if self.context_param:
            kwargs[self.context_param] = ctx
        out = self.func(**kwargs)
        if isinstance(out, self.result_model):
            return out
        if isinstance(out, BaseModel):
            out = out.model_dump()
        return self.result_model.model_validate(out)


@functools.lru_cache(maxsize=None)
def _adapter(tp: Any) -> TypeAdapter:
    """One pydantic adapter per declaration type, shared by every pack and kind: building one costs ~2-3
    ms, and a pack with seven value kinds built seven (issue 20)."""
    return TypeAdapter(tp)


_CHECKS = threading.local()


@contextlib.contextmanager
def spec_checks_at_build():
    """While a pack is imported within this, the declarations only its spec carries (an action's render,
    the pack's value kinds and their patterns) are validated when the spec is built (`Pack.spec`,
    `Action.spec`), not at once; every other check stays where the declaration enters.

    For the registry's import of a pack to run one of its actions, from the cache that discovery wrote
    after building this same pack's spec: a run reads neither its render nor its kinds, and building
    their validators was ~5 ms of every run (issue 20). Discovery, `intent packs check` and probes build
    the spec, so a bad declaration fails there as before, with pydantic's or re's own error."""
    before = getattr(_CHECKS, "at_build", False)
    _CHECKS.at_build = True
    try:
        yield
    finally:
        _CHECKS.at_build = before


def _checks_at_build() -> bool:
    return getattr(_CHECKS, "at_build", False)


class Pack:
    """A vertical pack: a manifest and the actions declared with `@pack.action`."""

    def __init__(self, *, negatives: list[str] | None = None, **manifest: Any) -> None:
        """`negatives`: requests near the pack's domain that it does not serve ("pay my mortgage bill",
        "book a doctor appointment"), so the resolver refuses them rather than guess one of its actions."""
        # Validated by pydantic here, where a pack author's declaration enters the system.
        self.manifest = _adapter(PackManifest).validate_python(manifest)
        self.negatives: list[str] = _adapter(list[str]).validate_python(list(negatives or []))
        self._actions: dict[str, Action] = {}
        self._included: list[str] = []  # the modules named with include(), in order
        self._pending: list[str] = []  # those of them not imported yet
        self._including = threading.RLock()
        self.formats: dict[str, OutputFormat] = {}
        self.kinds: dict[str, KindSpec] = {}
        self._unchecked_kinds: dict[str, dict[str, Any]] = {}  # name -> fields, checked by spec()
        self.vocabulary: dict[str, str] = {}
        self.synonyms: dict[str, str] = {}

    # ---- a pack's actions in modules of their own (issue 20): `pack.include` ----------------------------
    def include(self, *modules: str) -> None:
        """Name the modules that declare this pack's actions, instead of importing them where the pack is
        made (its package's __init__, say):

            pack.include(".loans", ".savings")   # relative to the calling module's package, or absolute

        They are imported, in this order, the first time `actions` (or `spec()`) is read, so everything
        that lists the pack sees every action as before. A run of one action imports only the module that
        declared it when the registry knows which one that is (`action_for`), plus whatever that module
        imports: running a loan payment does not import the pack's currency code. Discovery and
        `intent packs check` read `actions`, so every module is imported and checked there as before."""
        import importlib.util

        package = sys._getframe(1).f_globals.get("__package__") or None
        with self._including:
            for name in modules:
                full = importlib.util.resolve_name(name, package) if name.startswith(".") else name
                if full not in self._included:
                    self._included.append(full)
                    self._pending.append(full)

    @property
    def actions(self) -> dict[str, Action]:
        """Every action of the pack by id (the modules named with `include` are imported first), in
        declaration order; actions of included modules come after the others, module by module in
        include order, whichever module a run imported first."""
        if self._pending:
            self._import_included(list(self._pending))
        return self._actions

    @property
    def loaded_actions(self) -> Mapping[str, Action]:
        """The actions declared so far, importing nothing (a run's admission check reads these)."""
        return MappingProxyType(self._actions)

    def action_for(self, action_id: str, module: str | None = None) -> Action | None:
        """The action `action_id`, or None, importing as little of the pack as it can: when `module` (where
        the action was declared the last time the pack was discovered: a hint, from a cache the user can
        edit) is one of the modules named with `include` and not imported yet, that one is imported first;
        if the action is still not declared, every other module is. A hint can only choose among the
        pack's own modules, in the pack's own code: it grants nothing."""
        got = self._actions.get(action_id)
        if got is None and module is not None and module in self._pending:
            self._import_included([module])
            got = self._actions.get(action_id)
        if got is None:
            got = self.actions.get(action_id)
        return got

    def action_modules(self) -> dict[str, str]:
        """Action id -> the included module that declared it (for the registry's cache: see action_for)."""
        return {aid: a.module for aid, a in self.actions.items() if a.module in self._included}

    def _import_included(self, names: list[str]) -> None:
        import importlib

        with self._including:
            for name in names:
                if name not in self._pending:
                    continue  # imported meanwhile (or from within another included module)
                self._pending.remove(name)
                try:
                    importlib.import_module(name)
                except BaseException:
                    self._pending.insert(0, name)  # not imported: the next use tries again, and fails the same way
                    raise
                # the same order whichever module came first: the others' actions, then include order
                rank = {m: i for i, m in enumerate(self._included)}
                ordered = sorted(self._actions.items(), key=lambda kv: rank.get(kv[1].module, -1))
                self._actions.clear()
                self._actions.update(ordered)

    def kind(self, name: str, *, base: str = "number", **fields: Any) -> KindSpec:
        """Register a value kind this pack's slots can name (`Slot(kind=name)`): its recogniser
        (`pattern`, `extract`, `values`), its units and how a bare number is read (`unit`, `units`,
        `ranges`), its plausible range (`minimum`, `maximum`), `cues`, `synonyms`, `spoken` forms for
        the voice grammar, a `description` and `examples` for the generated SDK reference. The fields
        are those of `intents.kinds.KindSpec`; they are checked here, where the declaration enters (when the
        registry imports the pack to run an action, when its spec is built: see spec_checks_at_build)."""
        import re as _re

        from intents.kinds import CORE_KINDS

        if not _re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise ValueError(f"kind name '{name}' must be lower-case letters, digits and _")
        if name in CORE_KINDS:
            raise ValueError(f"kind '{name}' is a core kind; give the pack's kind its own name")
        if base not in CORE_KINDS:
            raise ValueError(f"kind '{name}': unknown base kind '{base}'")
        data = {"name": name, "base": base, **fields, "pack": self.id}
        if _checks_at_build():  # imported to run an action: checked by spec() (see spec_checks_at_build)
            # the fields as declared, unknown ones left out as pydantic leaves them out of the checked kind
            spec = KindSpec(**{k: v for k, v in data.items() if k in _KIND_FIELDS})
            self._unchecked_kinds[name] = data
        else:
            spec = _checked_kind(data)
        self.kinds[name] = spec
        return spec

    def _check_kinds(self) -> None:
        with _BUILDING:
            for name, data in list(self._unchecked_kinds.items()):
                self.kinds[name] = _checked_kind(data)
                del self._unchecked_kinds[name]

    def words(self, vocabulary: dict[str, str] | None = None, synonyms: dict[str, str] | None = None) -> None:
        """Words this pack's users say that its samples may not: `vocabulary` maps a word or
        abbreviation to the words it stands for (both are kept: "bsa" -> "body surface area"),
        `synonyms` a word to the one it is replaced by ("mortgage" -> "loan")."""
        self.vocabulary.update({k.lower(): v.lower() for k, v in (vocabulary or {}).items()})
        self.synonyms.update({k.lower(): v.lower() for k, v in (synonyms or {}).items()})

    @property
    def id(self) -> str:
        return self.manifest.id

    def action(
        self,
        *,
        id: str | None = None,
        title: str | None = None,
        samples: list[str] | None = None,
        templates: list[str] | None = None,
        risk: Risk | str = Risk.READ_ONLY,
        metered: bool = False,
        feature: str | None = None,
        params: type[BaseModel] | None = None,
        render: Render | dict | None = None,
        timeout_s: float = 30.0,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
            # Names defined in the decorating scope (e.g. a Result class inside a function) resolve too.
            caller = sys._getframe(1)
            localns = dict(caller.f_locals)
            hints = get_type_hints(func, localns=localns, include_extras=True)
            action_id = id or f"{self.id}.{func.__name__}"
            context_param = _context_param(hints)
            result_model = _result_model(func, hints)
            doc = inspect.getdoc(func) or ""
            # Everything a declaration can get wrong outside pydantic's models is checked here and now;
            # the JSON schema of the parameters (slots, params_schema) waits for the spec's first use.
            known = dict(
                id=action_id,
                pack=self.id,
                title=title or (doc.splitlines()[0].rstrip(".") if doc else func.__name__.replace("_", " ")),
                description=doc,
                result_fields=[f for f in result_model.model_fields if f != "basis"],
                samples=list(samples or []),
                templates=list(templates or []),
                risk=Risk(risk),
                metered=metered,
                feature=feature or (action_id if metered else None),
                timeout_s=timeout_s,
            )
            declared_render = render if isinstance(render, dict) else to_dict(render or Render())
            if not _checks_at_build():
                known["render"] = _adapter(Render).validate_python(declared_render)

            def build_params() -> type[BaseModel]:
                return _params_model(func, hints, action_id, params, context_param)

            def build() -> ActionSpec:
                if "render" not in known:  # imported to run an action (see spec_checks_at_build)
                    known["render"] = _adapter(Render).validate_python(declared_render)
                model = action.params_model
                schema = model.model_json_schema()
                return ActionSpec(**known, slots=slot_specs(model, schema), params_schema=schema)

            action = Action(build, func, params, result_model, context_param, id=action_id,
                            build_params=None if params is not None else build_params, declared=known)
            action.module = caller.f_globals.get("__name__")
            self._actions[action_id] = action
            for fmt in self.formats.values():
                self._attach(fmt, action)
            return func

        return decorate

    def output_format(self, name: str, *, description: str, actions: list[str] | None = None
                      ) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        """Declare an output format for this pack's actions (all, or the ids in `actions`):

            @pack.output_format("fhir", description="a FHIR R4B Observation")
            def to_observation(outcome) -> dict: ...

        The CLI prints it with `--format NAME`; the action reference lists it."""
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
            raise ValueError(f"output format name {name!r}: lowercase letters, digits, - and _")

        def decorate(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
            fmt = OutputFormat(name, description, func, tuple(actions) if actions is not None else None)
            self.formats[name] = fmt
            for action in self._actions.values():  # actions declared later attach it as they are declared
                self._attach(fmt, action)
            return func

        return decorate

    @staticmethod
    def _attach(fmt: OutputFormat, action: Action) -> None:
        if fmt.applies(action.id):
            action.formats[fmt.name] = fmt
            built = action._spec  # a spec not built yet takes its formats from action.formats when it is
            if built is not None and fmt.name not in built.formats:
                built.formats.append(fmt.name)

    def spec(self, entry_point: str = "", distribution: str | None = None) -> PackSpec:
        """The pack as the registry caches it. Builds every action's spec and models, so a declaration
        pydantic cannot build fails here (where the pack is discovered, checked or probed)."""
        self._check_kinds()
        actions = [a.built() for a in self.actions.values()]
        return PackSpec(
            manifest=self.manifest,
            actions=actions,
            entry_point=entry_point,
            distribution=distribution,
            negatives=list(self.negatives),
            kinds=list(self.kinds.values()),
            vocabulary=dict(self.vocabulary),
            synonyms=dict(self.synonyms),
        )

    # ---- one-time preparation (issue 20): `@pack.prepare` ---------------------------------------------
    def prepare(self, func: Callable[..., Any] | None = None, *, what: str = "") -> Any:
        """Declare one-time work done ahead of the first use (an index built from a library's data, say):

            @pack.prepare(what="ICD-10 index")
            def build_index(ctx: ActionContext) -> None:
                open_or_build(ctx.cache_dir)   # e.g. through cached_sqlite; report slow work with progress()

        It runs from `intent packs prepare`, after `intent packs install` and in the terminal UI's first
        start (in the background), only for packs that are installed and load like any pack, with the
        same narrowed ActionContext an action gets (`ctx.home` is INTENT_HOME/packs/<pack id>). It must be
        idempotent and cheap when already done (it runs again on every UI start). It grants nothing (no
        plan is checked or used); an error is reported and stops neither the other packs nor the caller.
        Bare `@pack.prepare` works too; `what` (default: the docstring's first line) names the work."""
        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            doc = (inspect.getdoc(fn) or "").splitlines()
            label = what or (doc[0].rstrip(".") if doc else fn.__name__.replace("_", " "))
            self.__dict__.setdefault("_preparations", []).append((label, fn))
            return fn

        return decorate(func) if func is not None else decorate

    @property
    def preparations(self) -> list[tuple[str, Callable[..., Any]]]:
        """The (what, function) pairs declared with `@pack.prepare`, in declaration order."""
        return list(self.__dict__.get("_preparations", ()))


_KIND_FIELDS = frozenset(KindSpec.__dataclass_fields__)


def _checked_kind(data: dict[str, Any]) -> KindSpec:
    """A value kind's declaration, validated: its patterns compile, its fields are KindSpec's."""
    for rx in [data.get("pattern") or "", *data.get("extract", ()), *data.get("strip", ())]:
        re.compile(rx)  # a broken recogniser fails here, not at resolve time
    return _adapter(KindSpec).validate_python(data)


_BUILDING = threading.RLock()  # one build of an action's spec or parameters model at a time


def _context_param(hints: dict[str, Any]) -> str | None:
    return next((n for n, t in hints.items() if isinstance(t, type) and issubclass(t, ActionContext)), None)


def _params_model(
    func: Callable[..., Any], hints: dict[str, Any], action_id: str, explicit: type[BaseModel] | None,
    context_param: str | None,
) -> type[BaseModel]:
    if explicit is not None:
        return explicit
    fields: dict[str, Any] = {}
    for name, param in inspect.signature(func).parameters.items():
        if name == context_param:
            continue
        annotation = hints.get(name, Any)
        default = param.default if param.default is not inspect.Parameter.empty else ...
        fields[name] = (annotation, default)
    model_name = "".join(part.title() for part in re.split(r"[._]", action_id)) + "Params"
    # allow_inf_nan=False: no pack, built-in or not, is ever handed inf or NaN (nor computes with it)
    # defer_build: built on first use, like Result models (see there)
    model = create_model(model_name, __config__=ConfigDict(extra="forbid", allow_inf_nan=False, defer_build=True),
                         **fields)
    return model


def _result_model(func: Callable[..., Any], hints: dict[str, Any]) -> type[BaseModel]:
    ret = hints.get("return")
    if isinstance(ret, type) and issubclass(ret, BaseModel):
        return ret
    raise TypeError(f"action {func.__name__} must annotate its return type with a Result model")


def slot_specs(model: type[BaseModel], schema: dict[str, Any] | None = None) -> list[SlotSpec]:
    """The slots of a parameters model; `schema` is its JSON schema when the caller has it already."""
    schema = model.model_json_schema() if schema is None else schema
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    out = []
    for name, info in model.model_fields.items():
        prop = _deref(props.get(name, {}), schema)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        out.append(
            SlotSpec(
                name=name,
                type=_json_type(prop),
                kind=extra.get("kind") or _default_kind(prop),
                unit=extra.get("unit"),
                description=info.description or "",
                question=extra.get("question"),
                required=name in required,
                default=None if info.is_required() else _jsonable(info.get_default(call_default_factory=True)),
                choices=_choices(prop),
                minimum=prop.get("minimum", prop.get("exclusiveMinimum")),
                maximum=prop.get("maximum", prop.get("exclusiveMaximum")),
                cues=[c.lower() for c in extra.get("cues", [])],
                synonyms={k.lower(): v for k, v in extra.get("synonyms", {}).items()},
                qualifies=extra.get("qualifies"),
                elements={k.lower(): int(v) for k, v in extra.get("elements", {}).items()},
                yearless=extra.get("yearless"),
            )
        )
    return out


def _deref(prop: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        ref = prop["$ref"].rsplit("/", 1)[-1]
        return {**schema.get("$defs", {}).get(ref, {}), **{k: v for k, v in prop.items() if k != "$ref"}}
    if "anyOf" in prop:
        non_null = [p for p in prop["anyOf"] if p.get("type") != "null"]
        if len(non_null) == 1:
            return {**_deref(non_null[0], schema), **{k: v for k, v in prop.items() if k != "anyOf"}}
    return prop


def _json_type(prop: dict[str, Any]) -> str:
    t = prop.get("type")
    if t:
        return t
    if "enum" in prop:
        return "string"
    return "string"


def _choices(prop: dict[str, Any]) -> list[Any] | None:
    if "enum" in prop:
        return list(prop["enum"])
    items = prop.get("items")
    if prop.get("type") == "array" and isinstance(items, dict) and "enum" in items:
        return list(items["enum"])  # list[Literal[...]]: the words a list is made of
    return None


def _default_kind(prop: dict[str, Any]) -> str | None:
    if prop.get("format") == "date":
        return "date"
    if "enum" in prop:
        return "choice"
    return {"number": "number", "integer": "integer", "boolean": "boolean", "array": "list"}.get(prop.get("type", ""))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def cached_sqlite(folder: Path | None, prefix: str, schema: list[str], meta: dict[str, str],
                  write: Callable[[Any], None], message: str = "", *, shared: Path | None = None):
    """Derived data kept as a verified SQLite file in a pack's cache folder (`ctx.cache_dir`): the file named
    `prefix` + its SHA-256 there if it checks out (digest, exactly `schema`, exactly `meta`), else built now
    by `write(db)` (once, under a lock, `message` shown as progress), else built in memory when the folder
    cannot be written. Returns a CacheFile: `.db` (read-only sqlite3 connection), `.path`, `.meta`.
    `schema` must include `CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`.
    With `shared` (`ctx.shared_cache_dir`, for data that depends only on installed libraries), a good file
    there is used too, and a new one is built there when that folder can be written, so that every home of
    the installation shares one. See intents/cache_files.py for what is checked and why."""
    from intents.cache_files import cached

    return cached(folder, prefix, schema, meta, write, message, shared=shared)


def discard_cache_file(path: Path | None) -> None:
    """Delete a cache file that failed while being read (it is rebuilt by the next cached_sqlite)."""
    from intents.cache_files import discard

    discard(path)


def __getattr__(name: str):  # CacheFileError without importing sqlite3 and hashlib with the SDK
    if name == "CacheFileError":
        from intents.cache_files import CacheFileError

        return CacheFileError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "PACK_API",
    "Action",
    "ActionContext",
    "ActionSpec",
    "CacheFileError",
    "Chart",
    "Field",
    "FieldInfo",
    "KindSpec",
    "OutputFormat",
    "figure",
    "progress",
    "Pack",
    "PackManifest",
    "PackSpec",
    "ParameterError",
    "Render",
    "Result",
    "Risk",
    "Slot",
    "SlotSpec",
    "UnsafePath",
    "cached_sqlite",
    "discard_cache_file",
    "open_new",
    "private_dir",
    "write_atomic",
]
