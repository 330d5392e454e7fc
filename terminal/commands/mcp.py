"""`intent mcp`: serve the installed, entitled actions to an agent over MCP (stdio).

The MCP SDK is imported only here, when the server starts: every other command stays free of it.
"""
from __future__ import annotations

import os
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "mcp", help="serve the installed actions as MCP tools on stdio (for Claude Desktop, OpenClaw, ...)",
        description="Serve the installed, entitled actions as an MCP server on stdin/stdout. Add it to an MCP "
                    "client as the command `intent mcp` (see the README for config snippets).",
    )
    p.add_argument("--share", action="append", default=[], metavar="PACK",
                   help="let this sensitive pack's tools (PHI, privileged data) be served: an agent's answers "
                        "usually go to a cloud model (repeatable; also INTENT_MCP_SHARE=healthcare,legal)")
    p.add_argument("--out", type=Path, help="directory for files the actions write "
                                            "(default: documents/ in the data directory)")
    p.add_argument("--poll", type=float, default=1.0, metavar="SECONDS",
                   help="how often to look for changed packs or plan (default 1 s)")
    p.set_defaults(func=run)


def run(args) -> int:
    from intents.errors import UsageError

    try:
        from terminal.mcp_server import serve
    except ImportError as exc:
        raise UsageError(f"the MCP SDK is not installed ({exc}); pip install 'intent-terminal[mcp]'") from None
    share = tuple(args.share) + tuple(p.strip() for p in os.environ.get("INTENT_MCP_SHARE", "").split(",") if p.strip())
    if args.poll <= 0:
        raise UsageError("--poll must be a positive number of seconds")
    return serve(out_dir=args.out, share=share, poll_s=args.poll)
