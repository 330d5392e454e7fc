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

    def show_hint(self) -> None:
        text = Text.assemble(("e.g. ", "dim"), (f"“{EXAMPLE}”", "italic"),
                             ("\nEnter runs · Tab completes · F1 what you can ask · ctrl+p commands", "dim"))
        self._set(text)

    def show_loading(self) -> None:
        self._set(Text("loading the installed packs…", style="dim"))

    def show_match(self, match, spec, alternative_index: int = 0, lock=None) -> None:
        """`lock`: the NotEntitled a run would raise (terminal.tui.locks), shown before Enter."""
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
        line = Text("\n  ")
        for name, value in match.slots.items():
            line.append(label(name), style="dim")
            line.append(f" {slot_text(spec.slot(name), value)}   ", style="bold")
        missing = [n for n in spec.required if n not in match.slots]
        for name in missing:
            line.append(f"{label(name)} ?   ", style="yellow")
        if not match.slots and not missing:
            line.append("no parameters needed", style="dim")
        text.append_text(line)
        if match.alternatives:
            alts = ", ".join(f"{a.action} {a.confidence:.0%}" for a in match.alternatives[:3])
            text.append(f"\n  ctrl+n for {alts}", style="dim")
        self._set(text)

    def show_question(self, spec, slot, step: int, total: int) -> None:
        text = Text()
        text.append("? ", style="bold yellow")
        text.append(slot.ask(), style="bold")
        text.append(f"   {spec.title} · {step}/{total}", style="dim")
        hint = f"\n  {label(slot.name)}"
        if slot.unit:
            hint += f" in {slot.unit}"
        if slot.choices:
            hint += f": one of {', '.join(map(str, slot.choices))}"
        text.append(hint + " · Enter answers · Esc cancels", style="dim")
        self._set(text)
