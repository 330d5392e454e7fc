"""`intent serve [--host 127.0.0.1] [--port 8000]`: the terminal UI in a browser, through textual-serve.

Each browser tab gets its own `intent` TUI process, running as this user with this INTENT_HOME: its
licence, quota, history and files. So it listens on the loopback interface unless told otherwise, and
says plainly what another host means.
"""
from __future__ import annotations

import ipaddress
import shlex
import sys

WARNING = ("warning: serving on {host}: anyone who can reach {url} uses Intent Terminal as you, with your "
           "licence, quota, history and files. Serve on 127.0.0.1 (the default) unless this network is "
           "yours, or put an authenticating proxy in front.")


def register(sub) -> None:
    p = sub.add_parser("serve", help="the terminal UI in a web browser (textual-serve), on 127.0.0.1 by default")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; another address warns)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", help="the URL browsers use, when behind a proxy (default http://HOST:PORT)")
    p.set_defaults(func=run)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: it may resolve anywhere


def app_command() -> str:
    """The command textual-serve starts for each browser session: this Python, this terminal's TUI."""
    return f"{shlex.quote(sys.executable)} -m terminal.tui.app"


def run(args) -> int:
    from intents.errors import UsageError

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, got {args.port}")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("intent serve needs textual-serve: pip install 'intent-terminal[serve]'") from None
    url = args.public_url or f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}"
    if not is_loopback(args.host):
        sys.stderr.write(WARNING.format(host=args.host, url=url) + "\n")
        sys.stderr.flush()
    server = Server(app_command(), host=args.host, port=args.port, title="Intent Terminal", public_url=url)
    sys.stderr.write(f"serving the terminal UI at {url} (ctrl+c stops)\n")
    sys.stderr.flush()
    server.serve()
    return 0
