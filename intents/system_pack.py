"""The `system` pack: the terminal's own actions (plan, packs, help, history). Always installed, never metered.

It is registered through the same entry point group as every other pack. Its actions are the only ones
that reach the terminal's machinery, and they get it by name through a SystemContext, which the
dispatcher builds only for the built-in system pack (every other pack gets a plain ActionContext).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from intents.sdk import ActionContext, Pack, ParameterError, Render, Result, Risk, Slot

pack = Pack(
    id="system",
    name="System",
    version="0.1.0",
    description="The terminal itself: your plan, packs, help and history.",
    publisher="Intent Terminal",
    vertical="system",
    # other services' plans, histories and help, and other kinds of packs: not the terminal's own
    negatives=[
        "upgrade my phone plan", "a cheaper insurance plan", "plan a trip to italy", "make a workout plan",
        "show my browsing history", "clear my search history", "my order history", "history of the roman empire",
        "help me write a cover letter", "help me fix my bike", "pack my suitcase for the beach",
        "buy a six pack", "install a ceiling fan", "remove a stain from my shirt", "install the app on my phone",
        "when does my gym membership renew",
    ],
)


@dataclass
class SystemContext(ActionContext):
    """An ActionContext plus the named parts of the terminal the system actions use. Each is a
    zero-argument callable, so `help` never opens the store and `plan` never loads the history."""

    services: dict[str, Callable[[], Any]] = field(default_factory=dict)  # registry, gate, history, session

    def need(self, name: str):
        try:
            return self.services[name]()
        except KeyError:
            raise RuntimeError(f"the system action needs '{name}', which this front end did not provide") from None

    @property
    def registry(self):
        return self.need("registry")

    @property
    def gate(self):
        return self.need("gate")

    @property
    def history(self):
        return self.need("history")


class PlanResult(Result):
    plan: str
    status: str
    features: list[str]
    usage: list[dict[str, Any]]


@pack.action(
    title="Show my plan",
    samples=["what plan am i on", "show my subscription", "my plan", "how many ndas do i have left",
             "what does my subscription include", "show usage and limits", "how much of my quota is left",
             "when does my usage reset", "is my licence still active", "which features are unlocked",
             "remaining uses this month", "which tier am i on, free or pro", "my plan status",
             "is my license valid"],
    templates=["[show] [my] (plan|subscription|usage|limits|quota)"],
    render={"kind": "record"},
)
def plan(ctx: SystemContext) -> PlanResult:
    """Your plan, its status, the features it unlocks and metered usage with limits."""
    return PlanResult.model_validate(ctx.gate.summary())


class PackRow(Result):
    id: str
    version: str
    installed: bool
    entitled: bool


class PacksResult(Result):
    packs: list[dict[str, Any]]


@pack.action(
    title="List packs",
    samples=["list packs", "which packs are installed", "show installed packs", "what packs do i have",
             "available vertical packs", "which verticals are locked", "are any packs broken",
             "show the pack versions", "what packs exist", "which packs am i allowed to use",
             "packs i can install"],
    templates=["(list|show) [installed|available] packs"],
    render={"kind": "table", "table": "packs"},
)
def packs(ctx: SystemContext) -> PacksResult:
    """Every pack: installed or not, entitled by your plan or locked, broken with its error."""
    reg, gate = ctx.registry, ctx.gate
    rows = []
    for pid, spec in sorted(reg.packs.items()):
        m = spec.manifest
        health, entitled = "ok", False
        try:  # the feature key from the pack's code: the cache the listing reads is the user's to edit
            entitled = gate.check(reg.pack_feature(pid)).allowed
        except Exception as exc:
            health = f"broken: {exc}"
        rows.append({
            "id": pid, "version": m.version, "name": m.name, "publisher": m.publisher,
            "installed": reg.is_installed(pid), "entitled": entitled, "health": health, "actions": len(spec.actions),
        })
    for pid, broken in sorted(reg.broken.items()):
        rows.append({"id": pid, "version": "?", "name": pid, "publisher": "?", "installed": True,
                     "entitled": False, "health": f"broken: {broken.error}", "actions": 0})
    return PacksResult(packs=rows)


class PackChange(Result):
    pack: str
    installed: bool
    entitled: bool | None = None
    unlock: str | None = None  # the plan that unlocks a pack installed locked


@pack.action(
    title="Install a pack",
    samples=["install the legal pack", "enable healthcare pack", "add the finance pack",
             "please turn on the legal vertical", "install pack healthcare"],
    templates=["(install|enable|add) [the] {pack} pack"],
    risk=Risk.WRITES_FILES,
    timeout_s=600,  # pip may build a wheel
)
def install_pack(ctx: SystemContext, pack: str = Slot("The pack to install: a name, a folder or a wheel", kind="pack")) -> PackChange:
    """Install (enable) a pack; a folder, wheel or PyPI name is pip-installed and validated first."""
    from intents.pack_install import install

    # Running a writes-files action already passed the front end's confirmation, which is the consent for a
    # built-in pack. That confirmation never showed a third-party pack's manifest, so such a pack is refused
    # here: `intent packs install` shows what it declares and asks.
    def confirm(declaration) -> bool:
        if declaration.third_party:
            raise ParameterError("pack", f"{declaration.pack} is a third-party pack: review what it declares "
                                         f"with `intent packs install {pack}`")
        return True

    result = install(ctx.need("session"), pack, confirm=confirm)
    return PackChange(pack=result.pack, installed=True, entitled=result.entitled, unlock=result.unlock)


@pack.action(
    title="Remove a pack",
    samples=["remove the legal pack", "uninstall healthcare pack", "disable the finance pack",
             "get rid of the legal pack", "turn off healthcare"],
    templates=["(remove|uninstall|disable) [the] {pack} pack"],
    risk=Risk.DESTRUCTIVE,
    timeout_s=300,
)
def remove_pack(ctx: SystemContext, pack: str = Slot("The pack to remove", kind="pack")) -> PackChange:
    """Remove a pack: built-in packs are disabled, pip-installed ones uninstalled. System stays."""
    from intents.pack_install import remove

    result = remove(ctx.need("session"), pack)
    return PackChange(pack=result.pack, installed=False)


class HelpResult(Result):
    actions: list[dict[str, Any]]


@pack.action(
    title="Help",
    samples=["help", "what can you do", "list commands", "show me what i can ask", "help with finance",
             "how does this work", "what kinds of questions can i ask", "which actions are available",
             "give me some examples", "what are you able to calculate", "i'm lost, what can i type",
             "which actions exist for finance", "how do i use the healthcare commands", "everything you can do",
             "what actions are there for contracts", "how do i use this terminal", "what can i ask the terminal",
             "help with the terminal commands"],
    templates=["help [with] [{topic}]", "what can you do"],
    render={"kind": "table", "table": "actions"},
)
def help(ctx: SystemContext, topic: str | None = Slot("A pack or word to narrow the list", default=None, kind="text")) -> HelpResult:
    """What you can ask: every installed action with an example."""
    reg = ctx.registry
    needle = (topic or "").lower().strip()
    rows = []
    for spec in reg.actions():
        hay = f"{spec.id} {spec.title} {spec.description}".lower()
        if needle and needle not in hay:
            continue
        rows.append({"action": spec.id, "title": spec.title, "example": spec.samples[0] if spec.samples else "",
                     "parameters": [s.name for s in spec.slots]})
    return HelpResult(actions=rows)


class HistoryResult(Result):
    entries: list[dict[str, Any]]


@pack.action(
    title="History",
    samples=["show history", "what did i run", "recent commands", "my history", "show my previous requests",
             "what did i do earlier today", "list my recent runs", "past queries", "what was my last calculation",
             "the requests i made yesterday", "commands i ran before", "questions i asked earlier",
             "my recent activity in the terminal", "what have i asked the terminal", "my command history",
             "the actions i ran last week"],
    templates=["[show] [my] (history|recent commands)"],
    render={"kind": "table", "table": "entries"},
)
def history(ctx: SystemContext) -> HistoryResult:
    """Your recent runs, newest first."""
    rows = ctx.history.entries(limit=50)
    return HistoryResult(entries=[
        {"id": r["id"], "ts": r["ts"], "text": r["text"], "action": r["action"], "status": r["status"]}
        for r in rows
    ])
