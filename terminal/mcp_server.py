"""`intent mcp`: the installed, entitled actions as an MCP server on stdio (the official MCP Python SDK).

One tool per action (terminal/mcp_tools.py names and types them) plus `intent_run(text)`, which resolves
the user's own words. Every call takes the dispatcher's path, the same gate as the CLI (plan, quota,
licence), and is recorded in history and the audit log with source `mcp`. What an agent cannot be
trusted to decide alone goes back to the person through MCP elicitation: a missing parameter, and the
confirmation of an action that writes or removes. A client without elicitation gets a tool error that
names what is missing, and actions that need confirmation are refused.

Sensitive packs (PHI, privileged) stay local unless the person opted in (`--share PACK`): an agent's
answers usually travel to a cloud model. The tool list is polled for changes (packs installed or
removed, a licence activated or expired) and `notifications/tools/list_changed` is sent when it changes.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import anyio
import mcp.types as types
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.stdio import stdio_server

from intents.errors import IntentError, MissingParameters, NotEntitled, UnknownAction, UsageError
from terminal import mcp_tools

log = logging.getLogger("intent.mcp")

POLL_S = 1.0  # how often the tool list is re-derived from the packs and the plan
ELICIT_TIMEOUT_S = 600.0  # a person answering a form may take a while; not forever


class IntentMcpServer:
    def __init__(self, home: Path | None = None, out_dir: Path | None = None, share: tuple[str, ...] = (),
                 poll_s: float = POLL_S) -> None:
        from intents.session import Session

        self.session = Session(home=home, out_dir=out_dir, mode="auto")
        self.share = set(share)
        self.poll_s = poll_s
        self.server = Server(
            "intent-terminal",
            version=_version(),
            title="Intent Terminal",
            instructions=(
                "Typed, entitlement-gated professional actions (finance, legal, healthcare and installed packs). "
                "Call a specific tool with its parameters, or intent_run with the user's own words. Results "
                "carry their basis and disclaimer: relay both."
            ),
            on_list_tools=self._on_list_tools,
            on_call_tool=self._on_call_tool,
        )
        # Building the session's parts (registry, resolver index) is slow once and not for two threads at
        # a time; calls themselves check inline (microseconds) and run in one worker thread each.
        self._dispatch_lock = threading.Lock()
        self._built = False
        self._history_keeper = None
        self._peer = None  # a ServerSession, once the client has sent a request (for list_changed)
        self._listed: tuple[str, ...] | None = None
        self._stamp: tuple | None = None

    # ---- the tool list ---------------------------------------------------------------------------
    def tool_map(self) -> dict[str, str]:
        """tool name -> action id, for every action this plan entitles an agent to."""
        reg, gate = self.session.registry, self.session.gate
        out: dict[str, str] = {}
        for spec in sorted(reg.actions(), key=lambda s: s.id):
            if spec.id in mcp_tools.NOT_FOR_AGENTS or self._withheld(spec.pack, spec.id):
                continue
            pack = reg.packs[spec.pack]
            if not gate.check(pack.manifest.feature_key).allowed:
                continue
            if spec.feature:
                d = gate.check(spec.feature)
                if not d.allowed and d.kind != "quota_exceeded":  # a used-up quota is refused per call, naming the plan
                    continue
            out.setdefault(mcp_tools.tool_name(spec.id), spec.id)
        return out

    def tools(self) -> list[types.Tool]:
        reg = self.session.registry
        tmap = self.tool_map()
        key = reg.catalog_key
        cached = mcp_tools.load_output_schemas(self.session.home, key)
        schemas = dict(cached)
        tools = [types.Tool(
            name=mcp_tools.RUN_TOOL, title="Run a request in your own words",
            description=("Resolve the user's request, in their own words, to one of this terminal's actions and run "
                         "it; returns the action, its parameters and its result. Prefer a specific tool when you "
                         "know its parameters."),
            input_schema=mcp_tools.RUN_INPUT, output_schema=mcp_tools.RUN_OUTPUT,
            annotations=types.ToolAnnotations(title="Run a request", read_only_hint=False, open_world_hint=False),
        )]
        for name, action_id in tmap.items():
            spec = reg.spec(action_id)
            if action_id not in schemas:
                try:
                    schemas[action_id] = mcp_tools.output_schema(reg.action(action_id).result_model)
                except IntentError as err:  # a broken pack is left out, not the whole list
                    log.warning("leaving %s out of the tool list: %s", action_id, err.message)
                    continue
            ann = mcp_tools.annotations(spec)
            tools.append(types.Tool(
                name=name, title=spec.title, description=mcp_tools.description(spec, reg.packs[spec.pack].manifest),
                input_schema=mcp_tools.input_schema(spec), output_schema=schemas[action_id],
                annotations=types.ToolAnnotations(title=ann["title"], read_only_hint=ann["readOnlyHint"],
                                                  destructive_hint=ann["destructiveHint"], open_world_hint=False),
            ))
        if schemas != cached:
            mcp_tools.save_output_schemas(self.session.home, key, schemas)
        self._listed = tuple(sorted(t.name for t in tools))
        return tools

    def _withheld(self, pack_id: str, action_id: str | None = None) -> bool:
        """A pack holding data classes that stay local, not shared by the person; and the history, which
        holds every earlier request (a patient's too), unless `--share history`."""
        if action_id == "system.history":
            return "history" not in self.share
        pack = self.session.registry.packs.get(pack_id)
        classes = set(pack.manifest.sensitive) & mcp_tools.STAY_LOCAL if pack else set()
        return bool(classes) and pack_id not in self.share

    # ---- handlers --------------------------------------------------------------------------------
    async def _on_list_tools(self, ctx, params) -> types.ListToolsResult:
        self._peer = ctx.session
        tools = await anyio.to_thread.run_sync(self._locked, self.tools)
        return types.ListToolsResult(tools=tools)

    async def _on_call_tool(self, ctx, params: types.CallToolRequestParams) -> types.CallToolResult:
        self._peer = ctx.session
        name, args = params.name, dict(params.arguments or {})
        started = time.perf_counter()
        action_id, values, text, dispatched = None, args, None, False
        try:
            await self._ready()
            action_id, values, text, match = await self._target(name, args)
            if match is not None and match.steps:  # "X, then Y": every step checked and confirmed first
                for step in match.steps:
                    self._precheck(self.session.registry.spec(step.action))
                for step in match.steps:
                    await self._confirm(ctx, self.session.registry.spec(step.action), dict(step.slots))
                dispatched = True
                outcome = await anyio.to_thread.run_sync(
                    lambda: self.session.run_steps(match, source="mcp"))
            else:
                spec = self.session.registry.spec(action_id)
                self._precheck(spec)
                values = await self._fill_missing(ctx, spec, values)
                await self._confirm(ctx, spec, values)
                dispatched = True  # from here the dispatcher records the run, failed or not
                follows = match.follows if match is not None else None
                outcome = await anyio.to_thread.run_sync(self._run, action_id, values, text, follows)
        except IntentError as err:
            if not dispatched:
                await anyio.to_thread.run_sync(self._record_refusal, text or args.get("text"), action_id, values, err)
            self._audit(name, action_id, err.kind, started)
            data = err.to_json()
            return types.CallToolResult(content=[types.TextContent(text=mcp_tools.error_text(data))],
                                        structured_content=data, is_error=True)
        except Exception as exc:  # a bug of ours must not take the agent's whole server down
            log.exception("tools/call %s failed", name)
            self._audit(name, action_id, "internal_error", started)
            data = {"error": {"kind": "internal_error", "message": f"{type(exc).__name__}: {exc}"}}
            return types.CallToolResult(content=[types.TextContent(text=data["error"]["message"])],
                                        structured_content=data, is_error=True)
        self._audit(name, action_id, "ok", started)
        spec = self.session.registry.spec(outcome.action)
        if name == mcp_tools.RUN_TOOL:
            text = f"{outcome.action}\n" + mcp_tools.render_text(spec, outcome.result)
            return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=outcome.to_json())
        return types.CallToolResult(content=[types.TextContent(text=mcp_tools.render_text(spec, outcome.result))],
                                    structured_content=outcome.result)

    # ---- the steps of a call ---------------------------------------------------------------------
    async def _target(self, name: str, args: dict[str, Any]):
        """(action id, parameter values, the user's words, the resolver's match or None) for a tools/call."""
        if name == mcp_tools.RUN_TOOL:
            text = args.get("text")
            if not isinstance(text, str) or not text.strip():
                raise UsageError("intent_run needs `text`: the user's request in their own words")
            follow = args.get("follow") is True
            match = await anyio.to_thread.run_sync(
                self._locked, lambda: self.session.resolve(text.strip()[:4000], follow=follow))
            if match.action is None:
                from intents.errors import NotUnderstood

                raise NotUnderstood("no installed action fits that; rephrase, or call a specific tool",
                                    text=text[:200], alternatives=[a.model_dump() for a in match.alternatives])
            return match.action, dict(match.slots), text.strip(), match
        action_id = self.tool_map().get(name)
        if action_id is None:
            action_id = self._unlisted(name)
        return action_id, args, None, None

    def _unlisted(self, name: str) -> str:
        """A tool that is not listed: an installed action the plan locks gets the gate's refusal (naming
        the plan); anything else is unknown."""
        reg = self.session.registry
        for spec in reg.actions():
            if mcp_tools.tool_name(spec.id) == name:
                return spec.id
        raise UnknownAction(f"no tool is called '{name}' (list the tools again: the set may have changed)",
                            action=name)

    def _precheck(self, spec) -> None:
        """Refuse before asking anything: agents may not install packs, sensitive packs stay local
        unless shared, and the plan must cover the pack (the dispatcher gates again, and meters)."""
        if spec.id in mcp_tools.NOT_FOR_AGENTS:
            raise UsageError(f"{spec.id} changes what the terminal can run; the person does that in the terminal "
                             f"(`intent packs`), not an agent", action=spec.id)
        if self._withheld(spec.pack, spec.id):
            self._audit_withheld(spec)
            if spec.id == "system.history":
                raise UsageError("the history holds every earlier request and stays on this machine unless you opt "
                                 "in: start the server with `intent mcp --share history`", action=spec.id)
            classes = ", ".join(sorted(set(self.session.registry.packs[spec.pack].manifest.sensitive) & mcp_tools.STAY_LOCAL))
            raise UsageError(
                f"the {spec.pack} pack handles {classes} data, which stays on this machine unless you opt in: "
                f"start the server with `intent mcp --share {spec.pack}`", action=spec.id, pack=spec.pack)
        decision = self.session.gate.check(self.session.registry.packs[spec.pack].manifest.feature_key)
        if not decision.allowed:
            raise NotEntitled.from_decision(decision, self.session.registry.packs[spec.pack].manifest.feature_key)

    async def _fill_missing(self, ctx, spec, values: dict[str, Any]) -> dict[str, Any]:
        """Ask the person for required parameters the call lacks (elicitation), else refuse naming them."""
        from intents import params as params_mod

        values = params_mod.coerce(spec, {k: v for k, v in values.items() if v is not None})
        missing = [n for n in spec.required if n not in values]
        if not missing:
            return values
        questions = {n: spec.slot(n).ask() for n in missing}
        if not _can_elicit(ctx):
            raise MissingParameters(f"{spec.id} needs {', '.join(missing)}", action=spec.id, missing=missing,
                                    questions=questions)
        schema = {"type": "object", "properties": {n: _elicit_property(spec.slot(n)) for n in missing},
                  "required": missing}
        message = f"{spec.title}: " + " ".join(questions[n] for n in missing)
        answer = await self._elicit(ctx, message, schema)
        if answer is None:
            raise MissingParameters(f"{spec.id} needs {', '.join(missing)} (not given)", action=spec.id,
                                    missing=missing, questions=questions)
        for name in missing:
            value = answer.get(name)
            if value is not None and value != "":
                values[name] = value
        return params_mod.coerce(spec, values)

    async def _confirm(self, ctx, spec, values: dict[str, Any]) -> None:
        """An action that writes files or removes something runs only once the person confirmed it."""
        if spec.risk.value == "read-only":
            return
        what = "writes files" if spec.risk.value == "writes-files" else "removes or changes data"
        if not _can_elicit(ctx):
            raise UsageError(f"{spec.id} {what}; it runs only when the person confirms, and this client cannot "
                             f"ask (no elicitation support): run it in the terminal instead", action=spec.id)
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())[:500]
        schema = {"type": "object", "properties": {"confirm": {
            "type": "boolean", "title": "Run it", "description": f"Run {spec.id} ({what})"}}, "required": ["confirm"]}
        answer = await self._elicit(ctx, f"{spec.title} {what}: run it with {shown or 'no parameters'}?", schema)
        if not answer or answer.get("confirm") is not True:
            raise UsageError(f"{spec.id} was not confirmed, so it did not run", action=spec.id)

    async def _elicit(self, ctx, message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        """The person's answer to a form, or None when they declined, cancelled or the client failed."""
        try:
            with anyio.fail_after(ELICIT_TIMEOUT_S):
                result = await ctx.session.elicit_form(message=message, requested_schema=schema,
                                                       related_request_id=ctx.request_id)
        except Exception as exc:  # a client that cannot answer is a person who did not answer
            log.warning("elicitation failed: %s", exc)
            return None
        if result.action != "accept" or result.content is None:
            return None
        return dict(result.content)

    def _run(self, action_id: str, values: dict[str, Any], text: str | None, follows: int | None = None):
        try:
            return self.session.dispatcher.run_action(action_id, values, text=text, source="mcp", follows=follows)
        finally:
            if self._history_keeper is None:
                self._keep_history_open()

    async def _ready(self) -> None:
        if not self._built:
            await anyio.to_thread.run_sync(self._locked, self._build)

    def _build(self) -> None:
        s = self.session
        s.registry, s.gate, s.history, s.dispatcher  # noqa: B018 - build them, off the event loop
        self._keep_history_open()
        self._built = True

    def _keep_history_open(self) -> None:
        """Hold one connection to the history for the server's life: History opens and closes one per
        run, and closing the last connection to a WAL database checkpoints it (fsyncs, tens of ms on a
        busy disk). With this one open, a run's history line costs a fraction of a millisecond."""
        if self._history_keeper is not None:
            return
        import sqlite3

        path = self.session.history.path
        if not path.exists():
            return  # the first run creates it (in WAL mode); the next call opens the keeper
        try:
            conn = sqlite3.connect(path, timeout=5, check_same_thread=False)
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            self._history_keeper = conn
        except Exception as exc:  # only speed is lost
            log.debug("could not hold the history open: %s", exc)

    def _locked(self, fn, *args):
        with self._dispatch_lock:
            return fn(*args)

    # ---- records ---------------------------------------------------------------------------------
    def _record_refusal(self, text, action_id, values, err: IntentError) -> None:
        """History for a call refused before dispatch (the dispatcher records the rest)."""
        try:
            self.session.history.record(text=text, action=action_id, params=dict(values or {}), status=err.kind,
                                        exit_code=err.exit_code, error=err.to_json()["error"], source="mcp")
        except Exception:
            pass

    def _audit(self, tool: str, action_id: str | None, status: str, started: float) -> None:
        from entitlements.audit import record_event

        record_event(self.session.home, "mcp.call", store=self._store(), detail={
            "source": "mcp", "tool": tool, "action": action_id, "status": status,
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 2), "client": _client_name(self._peer)})

    def _store(self):
        """The gate's own open store: an audit line per call on a fresh connection costs a WAL checkpoint."""
        return getattr(self.session.gate, "store", None)

    def _audit_withheld(self, spec) -> None:
        from entitlements.audit import record_event

        record_event(self.session.home, "mcp.withheld", store=self._store(), detail={"source": "mcp", "action": spec.id, "pack": spec.pack,
                                                         "reason": "sensitive pack not shared"})

    # ---- list_changed ----------------------------------------------------------------------------
    def _files_stamp(self) -> tuple:
        """What changes when packs are installed, removed or taken in from MCP servers."""
        home = self.session.home
        out = []
        for path in (home / "packs.json", home / "mcp_packs.json", home / "cache" / "packs.json"):
            try:
                st = path.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    def _current_names(self) -> tuple[str, ...]:
        stamp = self._files_stamp()
        if stamp != self._stamp:
            if self._stamp is not None:
                self.session.reload()
                self._build()
            self._stamp = stamp
        return tuple(sorted([mcp_tools.RUN_TOOL, *self.tool_map()]))

    async def watch(self) -> None:
        """Poll the tool set; tell the client when it changed (it then lists the tools again)."""
        while True:
            await anyio.sleep(self.poll_s)
            try:
                names = await anyio.to_thread.run_sync(self._locked, self._current_names)
            except Exception as exc:  # a store being rewritten mid-read: try again next time
                log.debug("tool list poll failed: %s", exc)
                continue
            if self._listed is not None and names != self._listed and self._peer is not None:
                self._listed = names
                try:
                    await self._peer.send_tool_list_changed()
                except Exception as exc:
                    log.debug("could not send tools/list_changed: %s", exc)

    # ---- serving ---------------------------------------------------------------------------------
    async def serve_stdio(self) -> None:
        options = self.server.create_initialization_options(NotificationOptions(tools_changed=True))
        self._stamp = self._files_stamp()
        async with stdio_server() as (read, write):
            async with anyio.create_task_group() as tg:
                tg.start_soon(self.watch)
                await self.server.run(read, write, options)
                tg.cancel_scope.cancel()


def _can_elicit(ctx) -> bool:
    caps = ctx.session.client_capabilities
    elicitation = getattr(caps, "elicitation", None) if caps else None
    if elicitation is None:
        return False
    # An empty {"elicitation": {}} (clients before URL mode) means form mode.
    return elicitation.form is not None or elicitation.url is None


def _elicit_property(slot) -> dict[str, Any]:
    """A missing slot as an elicitation form field (flat primitives only, per the spec)."""
    prop: dict[str, Any] = {"title": slot.name.replace("_", " "), "description": slot.ask()}
    if slot.choices:
        prop.update(type="string", enum=[str(c) for c in slot.choices])
    elif slot.type in ("number", "integer", "boolean"):
        prop["type"] = slot.type
        if slot.type != "boolean":
            if slot.minimum is not None:
                prop["minimum"] = slot.minimum
            if slot.maximum is not None:
                prop["maximum"] = slot.maximum
    elif slot.type == "array":
        prop.update(type="string", description=slot.ask() + " (separate values with commas)")
    else:
        prop["type"] = "string"
        if slot.kind == "date":
            prop["format"] = "date"
    return prop


def _client_name(peer) -> str | None:
    try:
        info = peer.client_params.client_info if peer and peer.client_params else None
        return f"{info.name} {info.version}" if info else None
    except Exception:
        return None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("intent-terminal")
    except PackageNotFoundError:
        return "dev"


def serve(home: Path | None = None, out_dir: Path | None = None, share: tuple[str, ...] = (),
          poll_s: float = POLL_S) -> int:
    server = IntentMcpServer(home=home, out_dir=out_dir, share=share, poll_s=poll_s)  # default: documents/
    anyio.run(server.serve_stdio)
    return 0
