"""The command palette (ctrl+p): screens, result actions when there is a result, a fresh context when
a request would continue the last result, voice, and every
installed action ("run: Loan payment"), named "group: action" so they sort and read well."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class IntentCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        main = app.main_screen
        out = [
            ("screen: Packs", app.action_show_packs, "installed, available, entitled or locked packs"),
            ("screen: Plan", app.action_show_plan, "your plan, usage and limits; activate a licence"),
            ("screen: History", app.action_show_history, "search and re-run past requests"),
            ("voice: listen", main.action_voice, "speak a request (F2)"),
        ]
        if main.context is not None:  # a request now continues the last result; this starts afresh
            out.append(("context: new (fresh start)", main.action_new_context,
                        f"forget {main.context.action}: the next request starts from nothing (ctrl+l)"))
        if main.last:  # state-aware: only offered when there is a result to act on
            out += [("result: copy to clipboard", main.action_copy_result, "plain text via OSC 52"),
                    ("result: export CSV and JSON", main.action_export_result, "to the output directory")]
        if main.ready:
            for spec in app.session.registry.actions():
                out.append((f"run: {spec.title} ({spec.id})", partial(self._start, spec),
                            spec.samples[0] if spec.samples else spec.description))
        return out

    def _start(self, spec) -> None:
        from terminal.tui.messages import RunRequested, UtteranceRequested

        main = self.app.main_screen
        if not spec.required:
            main.post_message(RunRequested(spec.id, {}, spec.title))
        elif spec.samples:
            main.post_message(UtteranceRequested(spec.samples[0]))
        else:
            main.post_message(RunRequested(spec.id, {}, spec.title))  # asks each slot inline

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
