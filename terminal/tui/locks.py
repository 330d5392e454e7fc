"""What the plan allows, said before Enter: the locked actions (for the preview and F1) and the title
bar's plan line, which says when a stored licence is not in effect. No Textual here."""
from __future__ import annotations

from typing import Any


def locked_actions(session) -> dict[str, Any]:
    """action id -> the NotEntitled its run would raise now (nothing is consumed to find out)."""
    dispatcher = session.dispatcher
    out = {}
    for spec in session.registry.actions():
        try:
            refusal = dispatcher.refusal(spec.id)
        except Exception:  # one broken pack or a store hiccup: no lock shown, the run reports it
            continue
        if refusal is not None:
            out[spec.id] = refusal
    return out


def lock_text(refusal) -> str:
    """ "🔒 pro plan", "🔒 quota used up": the lock as the preview and F1 show it."""
    if refusal is None:
        return ""
    plan = (refusal.extra.get("upgrade") or {}).get("plan")
    if refusal.kind == "quota_exceeded":
        return "🔒 quota used up" + (f" (more on {plan})" if plan else "")
    if refusal.kind == "expired":
        return "🔒 licence expired"
    return f"🔒 {plan} plan" if plan else "🔒 not in your plan"


def licence_state(summary: dict) -> str:
    """ "" when the stored licence (if any) is in effect, else a few words: "licence refused"."""
    problem = str(summary.get("licence_problem") or "")
    if not problem:
        return ""
    low = problem.lower()
    if "refused" in low:
        return "licence refused"
    if "clock" in low:
        return "licence off: clock behind"
    if "expired" in low:
        return "licence expired"
    return "licence not in effect"


def plan_line(summary: dict) -> str:
    """The title bar's line: "plan: free", or "plan: free — licence refused"."""
    line = f"plan: {summary.get('plan', '?')}"
    state = licence_state(summary)
    return f"{line} — {state}" if state else line


def licence_fix(problem: str) -> str:
    """The one thing to do about a licence problem, in plain words."""
    low = problem.lower()
    if "does not trust" in low:
        return ("Put the vendor's public key (a .pem file) in the trust directory (INTENT_TRUST_DIR, default "
                "/etc/intent-terminal/trusted-keys) and press ctrl+r, or activate a licence signed by a "
                "trusted key below.")
    if "clock" in low or "not valid before" in low:
        return "Set the system clock to the right time, then press ctrl+r."
    if "expired" in low:
        return "Renew it: activate the new licence file below (or ask your administrator for one)."
    return "Ask your vendor or administrator for a fresh licence file and activate it below."
