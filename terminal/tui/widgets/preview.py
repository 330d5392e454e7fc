"""The live preview above the intent line: what the resolver understood, as the person types."""
from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from terminal.tui.format import fmt_value, label

EXAMPLE = "monthly payment on a 300k loan at 6.5% over 30 years"  # fixed, so the empty frame never drifts


def slot_text(slot, value) -> str:
    kind = getattr(slot, "kind", None) if slot is not None else None
    if kind == "money" and isinstance(value, (int, float)):
        return f"{value:,.0f}" if float(value).is_integer() else fmt_value(value, "money")
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{value:g}%"
    if isinstance(value, float):
        return f"{value:g}"
    return fmt_value(value)


class MatchPreview(Widget):
    """Renders a Match (or the inline question being asked) in its fixed three lines."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Text()

    def render(self) -> Text:
        return self._text

    def _set(self, text: Text) -> None:
        # One line per fact, cut with an ellipsis rather than wrapped: the height never changes, so a
        # keystroke repaints this widget only, with no layout pass over the screen.
        text.no_wrap = True
        text.overflow = "ellipsis"
        self._text = text
        self.refresh()

    def show_hint(self, context=None, fresh: bool = False) -> None:
        """`context`: the Turn the next request continues (the TUI's last result), or None; `fresh`: the
        person dropped the context (ctrl+l), so say that it is fresh."""
        if context is None and fresh:
            text = Text.assemble(("○ fresh context", "bold"), (": the next request starts from nothing", "dim"),
                                 ("\nEnter runs · Tab completes · F1 what you can ask · ctrl+p commands", "dim"))
        elif context is not None:
            text = Text.assemble(("↳ continuing ", "bold"), (context.action, "bold cyan"),
                                 (f" #{context.id}" if context.id is not None else "", "dim"),
                                 (" · “what about …?”, “and …” change its values", "dim"),
                                 ("\nEnter runs · ctrl+l fresh context · F1 what you can ask · ctrl+p commands", "dim"))
        else:
            text = Text.assemble(("e.g. ", "dim"), (f"“{EXAMPLE}”", "italic"),
                                 ("\nEnter runs · Tab completes · F1 what you can ask · ctrl+p commands", "dim"))
        self._set(text)

    def show_loading(self) -> None:
        self._set(Text("loading the installed packs…", style="dim"))

    def show_match(self, match, spec, alternative_index: int = 0, lock=None, context=None) -> None:
        """`lock`: the NotEntitled a run would raise (terminal.tui.locks), shown before Enter. `context`:
        the Turn a follow-up would continue; the last line says whether this request does, and what
        it changes."""
        if match.action is None or spec is None:
            text = Text("no action fits yet", style="bold yellow")
            text.append(f"  confidence {match.confidence:.0%}", style="dim")
            text.append("\nkeep typing, or press F1 to see what you can ask", style="dim")
            self._set(text)
            return
        text = Text()
        text.append("▶ ", style="bold green")
        text.append(spec.title, style="bold")
        text.append(f"  {spec.id}", style="cyan")
        if lock is not None:  # before the confidence, so a narrow terminal cuts that rather than the lock
            from terminal.tui.locks import lock_text

            text.append(f"  {lock_text(lock)}", style="bold yellow")
        text.append(f"  {match.confidence:.0%} {match.source}", style="dim")
        if spec.risk.value != "read-only":
            text.append(f"  [{spec.risk.value}]", style="bold red" if spec.risk.value == "destructive" else "yellow")
        changed = set(match.changed) if match.follows is not None else set()
        line = Text("\n  ")
        for name, value in match.slots.items():
            line.append(label(name) + " ", style="dim")
            # a value the new words set stands out (underlined, so it shows without colour too)
            line.append(slot_text(spec.slot(name), value), style="bold underline" if name in changed else "bold")
            line.append("   ")
        missing = [n for n in spec.required if n not in match.slots]
        for name in missing:
            line.append(f"{label(name)} ?   ", style="yellow")
        if not match.slots and not missing:
            line.append("no parameters needed", style="dim")
        text.append_text(line)
        last = Text()
        if match.follows is not None:
            last.append_text(follow_text(match, spec, context))
        elif context is not None and not match.alternatives:
            last.append(f"\n  new request: does not continue {context.action} (ctrl+l starts fresh)", style="dim")
        if match.alternatives:
            alts = ", ".join(f"{a.action} {a.confidence:.0%}" for a in match.alternatives[:3])
            last.append((" · " if last else "\n  ") + f"ctrl+n for {alts}", style="dim")
        text.append_text(last)
        self._set(text)

    def show_steps(self, match, specs: dict, locks: dict | None = None, context=None) -> None:
        """A compound request: its steps in order, with what each is given and what waits on the step
        before it."""
        locks = locks or {}
        steps = match.steps
        text = Text()
        text.append("▶ ", style="bold green")
        text.append(f"{len(steps)} steps", style="bold")
        text.append("  " + " → ".join(s.action for s in steps), style="cyan")
        locked = [s.action for s in steps if s.action in locks]
        if locked:
            from terminal.tui.locks import lock_text

            text.append(f"  {locked[0]}: {lock_text(locks[locked[0]])}", style="bold yellow")
        line = Text("\n  ")
        for n, step in enumerate(steps, 1):
            spec = specs.get(step.action)
            line.append(f"{n} ", style="bold")
            line.append(spec.title if spec is not None else step.action, style="bold")
            line.append(":")
            for name, value in step.slots.items():
                line.append(f" {label(name)} ", style="dim")
                line.append(slot_text(spec.slot(name) if spec else None, value), style="bold")
            for name in step.missing:
                # a later step's missing value comes from the step before it (its result, for "it")
                line.append(f" {label(name)} ", style="dim")
                line.append(f"← step {n - 1}" if n > 1 else "?", style="italic" if n > 1 else "yellow")
            if n < len(steps):
                line.append("  ·  ", style="dim")
        text.append_text(line)
        last = Text("\n  ")
        if steps[0].follows is not None and context is not None:
            last.append(f"↳ follow-up of {context.action} · ", style="bold")
        last.append("Enter runs each step in order; a refused or failed step stops the rest", style="dim")
        text.append_text(last)
        self._set(text)

    def show_question(self, spec, slot, step: int, total: int, chain: str = "") -> None:
        """`chain`: which step of a compound request asks ("step 2 of 2 (finance.convert_currency)")."""
        text = Text()
        text.append("? ", style="bold yellow")
        text.append(slot.ask(), style="bold")
        text.append(f"   {spec.title} · {step}/{total}", style="dim")
        if chain:
            text.append(f" · {chain.split(' (')[0]}", style="bold")
        hint = f"\n  {label(slot.name)}"
        if slot.unit:
            hint += f" in {slot.unit}"
        if slot.choices:
            hint += f": one of {', '.join(map(str, slot.choices))}"
        text.append(hint + " · Enter answers · Esc cancels", style="dim")
        self._set(text)


def follow_text(match, spec, context) -> Text:
    """The preview's last line for a follow-up: what it continues and which values the new words set
    ("↳ follow-up of finance.loan_payment #3 · changed rate 7%")."""
    of = context.action if context is not None else "the last result"
    if context is not None and match.follows not in (None, context.id) and isinstance(context.earlier, list):
        # it continues an earlier step of the last chain ("and 15 years" after "payment ..., then convert it")
        of = next((t.action for t in context.earlier if t.id == match.follows), of)
    text = Text("\n  ")
    text.append("↳ follow-up of ", style="bold")
    text.append(of, style="bold cyan")
    if match.follows is not None:
        text.append(f" #{match.follows}", style="dim")
    changed = [n for n in match.changed if n in match.slots]
    if changed:
        text.append(" · changed ", style="bold")
        text.append(", ".join(f"{label(n)} {slot_text(spec.slot(n), match.slots[n])}" for n in changed))
    elif context is not None and context.action != match.action:
        text.append(" · values carried from it", style="dim")
    else:
        text.append(" · nothing changed yet", style="dim")
    return text
