"""Test helper: drive `intent mcp` as an MCP client would, over real stdio, with the SDK's own client."""
from __future__ import annotations

import os
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import anyio

ROOT = Path(__file__).resolve().parent.parent


def server_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "INTENT_HOME": str(home), "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


@asynccontextmanager
async def connect(home: Path, *args: str, elicit=None, on_message=None):
    """An initialized ClientSession on a fresh `intent mcp ARGS` process (stopped on exit)."""
    from mcp import ClientSession, StdioServerParameters, stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "terminal.cli", "mcp", *args],
                                   env=server_env(home), cwd=str(home))
    kwargs = {}
    if elicit is not None:
        kwargs["elicitation_callback"] = elicit
    if on_message is not None:
        kwargs["message_handler"] = on_message
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, **kwargs) as session:
            with anyio.fail_after(60):
                await session.initialize()
            yield session


def run(scenario, timeout: float = 120):
    """Run an async scenario to completion with an overall timeout."""

    async def main():
        with anyio.fail_after(timeout):
            return await scenario()

    return anyio.run(main)
