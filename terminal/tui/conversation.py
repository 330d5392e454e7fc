"""The TUI's side of a conversation: what the next request continues, a compound request run step by
step, and history rows grouped into threads. The reading of follow-ups is the core's
(intents.conversation, through Session.resolve); this module only keeps the state a screen needs.

Why the TUI keeps its own context rather than reading the last run from history (as `intent run -c`
does): two terminals on one INTENT_HOME must not continue each other's requests, and a fresh TUI starts
fresh. The system pack's actions (help, plan, history) never become the context: pressing F1 mid-way
through a loan must not make "what about at 7%?" a question about help.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def turn_of(outcome, text: str = ""):
    """The core's Turn for a finished run (what a follow-up continues), or None for a system action."""
    if not outcome.action or outcome.action.startswith("system."):
        return None
    from intents.conversation import Turn

    return Turn(id=outcome.history_id, action=outcome.action, params=dict(outcome.params),
                result=dict(outcome.result), text=text)


@dataclass
class Step:
    """One step of a chain: the resolver's match (a typed request) or recorded values (a history re-run)."""

    action: str
    values: dict[str, Any]
    match: Any = None  # intents.resolver.Match, when the step came from words


@dataclass
class ChainRun:
    """A compound request being run one step at a time: each step asks what it lacks, passes the gate on
    its own and is recorded linked to the first (`chain`); a refused or failed step stops the rest."""

    text: str
    steps: list[Step]
    replay: bool = False  # from history: the recorded values, nothing carried between steps
    index: int = 0
    chain: int | None = None  # the first step's history id
    done: list[tuple[Any, Any]] = field(default_factory=list)  # (Outcome, ActionSpec) of each finished step

    @classmethod
    def from_match(cls, match) -> "ChainRun":
        return cls(match.text, [Step(m.action, dict(m.slots), m) for m in match.steps])

    @classmethod
    def from_history(cls, rows: list[dict]) -> "ChainRun":
        rows = sorted(rows, key=lambda r: r["id"])
        return cls(rows[0].get("text") or "", [Step(r["action"], dict(r.get("params") or {})) for r in rows
                                                if r.get("action")], replay=True)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    def label(self, n: int | None = None) -> str:
        n = self.index if n is None else n
        return f"step {n + 1} of {self.total} ({self.steps[n].action})"

    def current(self, specs, lexicon=None) -> tuple[str, dict[str, Any], int | None]:
        """(action, values, follows) of the step to run now. A later typed step takes what it lacks from
        the step before it (its values, and its result for "it"/"that"), as Session.run_steps does;
        `lexicon` (the local resolver's) converts a carried value into the step's unit."""
        step = self.steps[self.index]
        if self.replay:
            return step.action, dict(step.values), None
        match = step.match
        if self.done:
            from intents.conversation import inherit

            prev = self.done[-1][0]
            last = turn_of(prev) or _turn(prev)
            match = inherit(specs, last, match, lexicon)
        return match.action, dict(match.slots), match.follows

    def finish_step(self, outcome, spec) -> None:
        self.done.append((outcome, spec))
        if self.chain is None:
            self.chain = outcome.history_id
        self.index += 1


def _turn(outcome):
    from intents.conversation import Turn

    return Turn(id=outcome.history_id, action=outcome.action, params=dict(outcome.params),
                result=dict(outcome.result))


# ---- history, grouped --------------------------------------------------------------------------------
@dataclass
class Row:
    entry: dict
    depth: int  # 0: a request of its own; 1 and more: under what it continued, or a later step of a chain
    link: str  # "after #12", "step 2 of 3 (#10)", "chain of 3", or ""


def threads(entries: list[dict]) -> list[Row]:
    """History rows grouped: a follow-up under what it continued, a compound request's later steps under
    its first; the thread with the newest run comes first, and a thread reads in the order it happened.
    Links to runs not among `entries` (older, or filtered out by a search) are shown but not followed."""
    by_id = {e["id"]: e for e in entries}

    def parent(e: dict) -> int | None:
        for key in ("chain", "follows"):
            p = e.get(key)
            if p is not None and p in by_id and p != e["id"] and p < e["id"]:  # only ever to an older row
                return p
        return None

    def root(e: dict) -> int:
        seen = set()
        while (p := parent(e)) is not None and e["id"] not in seen:
            seen.add(e["id"])
            e = by_id[p]
        return e["id"]

    groups: dict[int, list[dict]] = {}
    for e in entries:
        groups.setdefault(root(e), []).append(e)
    steps: dict[int, list[int]] = {}  # a chain's first id -> its later steps' ids
    for e in entries:
        if e.get("chain") is not None:
            steps.setdefault(e["chain"], []).append(e["id"])

    out: list[Row] = []
    for _, members in sorted(groups.items(), key=lambda kv: -max(m["id"] for m in kv[1])):
        members.sort(key=lambda m: m["id"])
        depth: dict[int, int] = {}
        for e in members:
            p = parent(e)
            if p is None:
                d = 0
            elif e.get("chain") == p:
                d = depth.get(p, 0) + 1  # a later step sits under the first step
            else:
                d = 1  # a follow-up: one level in, however long the conversation
            depth[e["id"]] = d
            out.append(Row(e, d, _link(e, steps)))
    return out


def _link(e: dict, steps: dict[int, list[int]]) -> str:
    if e.get("chain") is not None:
        later = sorted(steps.get(e["chain"], []))
        n = later.index(e["id"]) + 2 if e["id"] in later else 2
        return f"step {n} of {len(later) + 1} (#{e['chain']})"
    if e["id"] in steps:
        return f"chain of {len(steps[e['id']]) + 1}"
    if e.get("follows") is not None:
        return f"after #{e['follows']}"
    return ""


def chain_of(entry: dict, entries: list[dict]) -> list[dict]:
    """Every recorded step of the compound request `entry` belongs to, in order (just `entry` when it is
    a request of its own)."""
    head = entry.get("chain") if entry.get("chain") is not None else entry["id"]
    members = [e for e in entries if e["id"] == head or e.get("chain") == head]
    if len(members) < 2 and entry.get("chain") is None:
        return [entry]
    return sorted(members or [entry], key=lambda e: e["id"])
