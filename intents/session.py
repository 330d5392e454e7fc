"""A Session ties the parts together for a front end: registry, resolver, gate, history, dispatcher.

Each part is built on first use, so `intent resolve` never opens the store and `intent do` never
builds the resolver index.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from intents import paths
from intents.resolver import Match


class Session:
    def __init__(self, home: Path | None = None, out_dir: Path | None = None, mode: str = "auto") -> None:
        self.home = home or paths.home()
        self.out_dir = out_dir
        self.mode = mode  # resolver tiers: auto (local, then LLM when unsure), local, llm

    @cached_property
    def registry(self):
        from intents.registry import Registry

        return Registry.load(self.home)

    @cached_property
    def resolver(self):
        from intents.resolver import local_resolver

        local = local_resolver(self.registry)
        if self.mode == "local":
            return local
        from intents.resolver.cascade import cascade_for

        return cascade_for(self, local)  # the local resolver itself unless an LLM is configured and entitled

    @cached_property
    def gate(self):
        from entitlements import open_gate

        return open_gate(self.home)

    @cached_property
    def history(self):
        from intents.history import History

        return History(self.home)

    @cached_property
    def dispatcher(self):
        from intents.dispatch import Dispatcher
        from intents.sdk import ActionContext

        ctx = ActionContext(home=self.home, services={"session": self})
        if self.out_dir is not None:
            ctx.out_dir = self.out_dir
        return Dispatcher(self.registry, self.gate, self.history, ctx)

    def reload(self, registry: bool = True) -> None:
        """Forget what was built from the installed packs (after an install or removal); the next use
        rebuilds it. With registry=False only the resolver and dispatcher are rebuilt."""
        for name in (("registry",) if registry else ()) + ("resolver", "dispatcher"):
            self.__dict__.pop(name, None)

    def resolve(self, text: str) -> Match:
        return self.resolver.resolve(text)

    def run_text(self, text: str, ask=None, source: str = "cli"):
        return self.dispatcher.run_match(self.resolve(text), ask=ask, source=source)

    def run_action(self, action_id: str, values: dict[str, Any], source: str = "cli", ask=None):
        return self.dispatcher.run_action(action_id, values, source=source, ask=ask)
