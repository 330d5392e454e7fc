"""Connections to local MCP servers taken in as packs (the official MCP SDK's stdio client).

A server process is started on first use and reused by every later call in this process; when it dies
it is started again on the next call; every start and every call has a timeout, and a server that
overruns one is stopped (so a hanging server cannot pile up work) and reported like a broken pack.

The SDK is asynchronous and actions are called synchronously from dispatch's worker threads, so the
connections live on one event loop in a daemon thread of their own; callers block on a future.
"""
from __future__ import annotations

import asyncio
import atexit
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 30.0  # starting an interpreter and importing the SDK on a busy machine takes seconds
STOP_TIMEOUT_S = 5.0


class ServerError(Exception):
    """A server could not be started, died, hung or broke the protocol. `kind`: start, dead, timeout,
    protocol."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class ServerCommand:
    """How to start one server. `env` is added to the SDK's safe default environment (PATH, HOME...),
    not the terminal's whole environment: the terminal's secrets are not the server's business."""

    command: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None
    log: str | None = None  # the server's stderr goes here (never onto the person's terminal)

    def describe(self) -> str:
        import shlex

        return shlex.join([self.command, *self.args])


@dataclass(eq=False)
class _Conn:
    cmd: ServerCommand
    session: Any = None
    init: Any = None
    alive: bool = False
    stop: asyncio.Event | None = None
    task: asyncio.Task | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    starts: int = 0


class Connections:
    """Every MCP server connection of this process."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._guard = threading.Lock()
        self._conns: dict[ServerCommand, _Conn] = {}

    # ---- the synchronous face ----------------------------------------------------------------------
    def list_tools(self, cmd: ServerCommand, timeout_s: float = 30.0) -> tuple[dict, str | None, list[dict]]:
        """(server info, instructions, tools as JSON dicts) of a server."""
        return self._submit(self._list_tools(cmd, timeout_s), START_TIMEOUT_S + timeout_s)

    def call_tool(self, cmd: ServerCommand, tool: str, arguments: dict[str, Any], timeout_s: float) -> dict:
        """The tool's CallToolResult as a JSON dict (content, structuredContent, isError)."""
        return self._submit(self._call_tool(cmd, tool, arguments, timeout_s), START_TIMEOUT_S + timeout_s)

    def pid_started(self, cmd: ServerCommand) -> int:
        """How many times this process started the server (the tests check reuse and restarts)."""
        conn = self._conns.get(cmd)
        return conn.starts if conn else 0

    def stop(self, cmd: ServerCommand) -> None:
        conn = self._conns.get(cmd)
        if conn is not None and self._loop is not None:
            self._submit(self._stop(conn), STOP_TIMEOUT_S + 1)

    def close_all(self) -> None:
        if self._loop is None:
            return
        try:
            self._submit(self._stop_all(), STOP_TIMEOUT_S + 1)
        except Exception:
            pass  # exiting anyway; the servers see their stdin close when this process ends

    def _submit(self, coro, timeout_s: float):
        loop = self._ensure_loop()
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result(timeout_s + 5)
        except TimeoutError:
            future.cancel()
            raise ServerError("timeout", f"the MCP server did not answer within {timeout_s:g} s") from None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._guard:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="mcp-connections", daemon=True)
                thread.start()
                self._loop = loop
                atexit.register(self.close_all)
            return self._loop

    # ---- on the connections' loop ------------------------------------------------------------------
    async def _list_tools(self, cmd: ServerCommand, timeout_s: float):
        conn = await self._connection(cmd)
        try:
            result = await asyncio.wait_for(conn.session.list_tools(), timeout_s)
        except asyncio.TimeoutError:
            await self._stop(conn)
            raise ServerError("timeout", f"`{cmd.describe()}` did not list its tools within {timeout_s:g} s") from None
        except Exception as exc:
            raise self._failure(conn, exc, "listing its tools") from None
        tools = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in result.tools]
        info = conn.init.server_info.model_dump(mode="json", by_alias=True, exclude_none=True)
        return info, conn.init.instructions, tools

    async def _call_tool(self, cmd: ServerCommand, tool: str, arguments: dict[str, Any], timeout_s: float) -> dict:
        conn = await self._connection(cmd)
        try:
            result = await asyncio.wait_for(conn.session.call_tool(tool, arguments), timeout_s)
        except asyncio.TimeoutError:
            await self._stop(conn)  # a hanging server is stopped; the next call starts a fresh one
            raise ServerError("timeout", f"`{cmd.describe()}` did not answer {tool} within {timeout_s:g} s; "
                                         "it was stopped and will be started again on next use") from None
        except Exception as exc:
            raise self._failure(conn, exc, f"calling {tool}") from None
        return result.model_dump(mode="json", by_alias=True, exclude_none=True)

    def _failure(self, conn: _Conn, exc: Exception, doing: str) -> ServerError:
        if not conn.alive:
            return ServerError("dead", f"`{conn.cmd.describe()}` exited while {doing}; it will be started again "
                                       f"on next use{_log_hint(conn.cmd)}")
        return ServerError("protocol", f"`{conn.cmd.describe()}` failed while {doing}: {type(exc).__name__}: {exc}")

    async def _connection(self, cmd: ServerCommand) -> _Conn:
        conn = self._conns.get(cmd)
        if conn is None:
            conn = self._conns[cmd] = _Conn(cmd)
        async with conn.lock:
            if conn.alive:
                return conn
            if conn.task is not None:  # a dead one: let its transport finish closing first
                await self._stop(conn)
            ready: asyncio.Future = asyncio.get_running_loop().create_future()
            conn.stop = asyncio.Event()
            conn.starts += 1
            conn.task = asyncio.create_task(self._serve(conn, ready))
            try:
                await asyncio.wait_for(asyncio.shield(ready), START_TIMEOUT_S)
            except asyncio.TimeoutError:
                await self._stop(conn)
                raise ServerError("timeout", f"`{cmd.describe()}` did not start (answer initialize) within "
                                             f"{START_TIMEOUT_S:g} s{_log_hint(cmd)}") from None
            except ServerError:
                raise
            except Exception as exc:
                raise ServerError("start", f"`{cmd.describe()}` could not be started: {type(exc).__name__}: "
                                           f"{exc}{_log_hint(cmd)}") from None
            return conn

    async def _serve(self, conn: _Conn, ready: asyncio.Future) -> None:
        """Hold one server's connection open until told to stop or until the process ends."""
        import anyio
        from mcp import ClientSession, StdioServerParameters, stdio_client

        cmd = conn.cmd
        errlog = _open_log(cmd.log)
        try:
            params = StdioServerParameters(command=cmd.command, args=list(cmd.args), env=dict(cmd.env) or None,
                                           cwd=cmd.cwd)
            async with stdio_client(params, errlog=errlog) as (read, write):
                relay_send, relay_recv = anyio.create_memory_object_stream(0)

                async def relay() -> None:
                    # The transport's read side ends when the process's stdout closes: it died.
                    try:
                        async with relay_send:
                            async for message in read:
                                await relay_send.send(message)
                    except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                        pass
                    finally:
                        conn.alive = False
                        conn.stop.set()

                async with anyio.create_task_group() as tg:
                    tg.start_soon(relay)
                    async with ClientSession(relay_recv, write) as session:
                        conn.init = await session.initialize()
                        conn.session, conn.alive = session, True
                        if not ready.done():
                            ready.set_result(True)
                        await conn.stop.wait()
                    tg.cancel_scope.cancel()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc if isinstance(exc, Exception) else ServerError("start", "cancelled"))
            if not isinstance(exc, Exception):
                raise
        finally:
            conn.alive, conn.session = False, None
            if not ready.done():
                ready.set_exception(ServerError("start", f"`{cmd.describe()}` exited during start-up{_log_hint(cmd)}"))
            if errlog is not None:
                errlog.close()

    async def _stop(self, conn: _Conn) -> None:
        conn.alive = False
        if conn.stop is not None:
            conn.stop.set()
        task = conn.task
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT_S)
            except (asyncio.TimeoutError, Exception):
                task.cancel()
        conn.task = None

    async def _stop_all(self) -> None:
        await asyncio.gather(*(self._stop(c) for c in list(self._conns.values())), return_exceptions=True)


def _open_log(path: str | None):
    import sys

    if not path:
        return None
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a", encoding="utf-8", errors="replace")
    except OSError:
        return open(os.devnull, "w") if sys.platform != "win32" else None


def _log_hint(cmd: ServerCommand) -> str:
    return f" (its output: {cmd.log})" if cmd.log else ""


CONNECTIONS = Connections()
"""The process's connections: one server process per pack, however many actions and threads use it."""
