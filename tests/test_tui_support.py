"""Support for the TUI tests (no tests here): a small demo pack and fixed gates, so that snapshots never
depend on the real packs' texts or on the entitlement store's plans, which other work keeps changing."""
from __future__ import annotations

import time
from importlib.metadata import EntryPoint
from pathlib import Path

from entitlements.decision import Decision, Upgrade
from intents.sdk import ActionContext, Pack, Render, Result, Slot

demo = Pack(id="demo", name="Demo", version="1.0.0", description="Fixed actions for the TUI tests.",
            publisher="tests", vertical="demo", disclaimers=["Demo figures only."])
vault = Pack(id="vault", name="Vault", version="2.1.0", description="A pack the fixed plan does not include.",
             publisher="tests", vertical="demo")


class Schedule(Result):
    payment: float
    rows: list[dict]


@demo.action(title="Repayment schedule", samples=["repayment schedule for 1200 at 12% over 4 months"],
             render=Render(kind="table", table="rows", headline="payment", headline_format="money"))
def schedule(principal: float = Slot("Amount", kind="money", gt=0), rate_pct: float = Slot("Rate", kind="percent", ge=0),
             months: int = Slot("Months", kind="integer", gt=0, le=600)) -> Schedule:
    """Equal monthly payments, with the interest and balance of each month."""
    r = rate_pct / 100 / 12
    payment = principal / months if r == 0 else principal * r / (1 - (1 + r) ** -months)
    balance, rows = principal, []
    for month in range(1, months + 1):
        interest = balance * r
        balance -= payment - interest
        rows.append({"month": month, "payment": round(payment, 2), "interest": round(interest, 2),
                     "balance": round(abs(balance), 2)})
    return Schedule(payment=round(payment, 2), rows=rows, basis="annuity formula, monthly compounding")


class Slept(Result):
    seconds: float


@demo.action(title="Wait", samples=["wait a while"])
def wait(seconds: float = Slot("How long", kind="number", ge=0, le=30)) -> Slept:
    """Sleep, standing in for long work."""
    time.sleep(seconds)
    return Slept(seconds=seconds)


class Note(Result):
    path: str


@demo.action(title="Write a note", samples=["write a note"], risk="writes-files",
             render=Render(kind="document", document="path"))
def note(ctx: ActionContext, title: str = Slot("Title", kind="text")) -> Note:
    """Write a Markdown note to the output directory."""
    path = ctx.output_path("note.md")
    path.write_text(f"# {title}\n\nWritten by the demo pack.\n")
    return Note(path=str(path), basis="template")


class Found(Result):
    matches: list[dict]


@demo.action(title="Find codes", samples=["find codes"], render=Render(kind="list", list="matches"))
def find(query: str = Slot("Words to look for", kind="query")) -> Found:
    """Codes whose description contains the words."""
    table = {"A01": "Typhoid fever", "A02": "Other salmonella infections", "B01": "Varicella"}
    hits = [{"code": c, "description": d} for c, d in table.items() if query.lower() in d.lower()]
    return Found(matches=hits, basis="demo table")


class Secret(Result):
    value: int


@vault.action(title="Open the vault", samples=["open the vault"])
def open_vault() -> Secret:
    """Always 42."""
    return Secret(value=42)


class FixedGate:
    """A gate with a fixed plan: `allowed` features pass, everything else is refused with an upgrade."""

    def __init__(self, allowed=("pack.system", "pack.demo", "pack.finance"), plan: str = "pro") -> None:
        self.allowed = set(allowed)
        self.plan = plan

    def check(self, feature: str, qty: int = 1) -> Decision:
        if feature in self.allowed:
            return Decision(feature=feature, allowed=True)
        return Decision(feature=feature, allowed=False, kind="not_entitled",
                        reason=f"the {self.plan} plan does not include {feature}",
                        upgrade=Upgrade(plan="enterprise", how="intent license activate FILE"))

    def consume(self, feature: str, qty: int = 1, idempotency_key: str | None = None) -> Decision:
        return self.check(feature, qty)

    def summary(self) -> dict:
        return {"plan": self.plan, "status": "active", "features": sorted(self.allowed),
                "usage": [{"feature": "legal.draft_nda", "used": 7, "limit": 20, "remaining": 13,
                           "resets_at": "2026-12-01T00:00:00+00:00"},
                          {"feature": "demo.metered", "used": 3, "limit": None, "remaining": None}]}


def demo_session(home: Path, out: Path):
    """A real Session over a registry holding only the demo packs, with the fixed gate."""
    from intents.registry import GROUP, Registry
    from intents.session import Session

    eps = [EntryPoint(name=n, value=f"tests.test_tui_support:{n}", group=GROUP) for n in ("demo", "vault")]
    reg = Registry.load(home, extra_entry_points=eps)
    reg.packs = {k: v for k, v in reg.packs.items() if k in ("demo", "vault")}
    reg.broken = {}
    reg.set_installed("demo", True)  # re-indexes the installed actions over the restricted set
    session = Session(home=home, out_dir=out)
    session.registry = reg
    session.gate = FixedGate()
    return session


async def settle(pilot) -> None:
    """Wait for the workers (warm-up, runs) and the messages they post."""
    for _ in range(50):  # a finished worker may post a message that starts another (run -> refresh)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        main = pilot.app.main_screen
        if main.ready and not main.running and not any(w.is_running or w.state.name == "PENDING"
                                                       for w in pilot.app.workers):
            return
    raise AssertionError("the app did not settle (still loading or running)")
