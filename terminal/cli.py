"""`intent`: the command line. With no arguments it opens the terminal UI.

Exit codes (README.md, docs/actions.md): 0 done, 1 action failed, 2 bad usage or parameters, 3 not understood,
4 parameters missing, 5 not entitled.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

# pydantic scans every installed distribution for plugins on its first model (~40 ms of a 300 ms cold
# start); the terminal uses none, so the CLI process opts out unless the user set it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
_PLUGIN_LOADER = "pydantic.plugin._loader"


def _defer_pydantic_plugin_loader() -> None:
    """pydantic imports its plugin loader as it builds its first model, and the loader imports
    importlib.metadata (and with it the email package) at its top: ~10 ms of every action, for plugins the
    setting above turns off (the registry needs no metadata either to run a built-in pack). A stand-in
    answers get_plugins() as the loader does while plugins are off; plugins turned on, or any other use
    of the loader, load the real one in its place."""
    if _PLUGIN_LOADER in sys.modules:
        return
    import types

    stand_in = types.ModuleType(_PLUGIN_LOADER)

    def real():
        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        return importlib.import_module(_PLUGIN_LOADER)

    def get_plugins():
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in ("__all__", "1", "true"):  # the loader's own test
            return ()
        return real().get_plugins()

    def attribute(name: str):
        if name.startswith("__"):  # the import system asking what kind of module this is (__path__, ...)
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.get_plugins = get_plugins
    stand_in.__getattr__ = attribute
    sys.modules[_PLUGIN_LOADER] = stand_in


_defer_pydantic_plugin_loader()
# numpy (numpy-financial, imported only when a finance action runs) starts one OpenBLAS thread per core
# at import: ~20% of its import's CPU, for BLAS work no action here does (element-wise arithmetic on a few
# hundred values). One process, one action: one thread, unless the user asked for more.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Command modules in help order; each registers its own sub-commands.
COMMANDS = ("resolve", "run", "packs", "history", "plan", "license", "admin", "config", "listen", "serve", "mcp")

EPILOG = """examples:
  intent run "monthly payment on a 300k loan at 6.5% over 30 years"
  intent do finance.loan_payment principal=300000 rate_pct=6.5 years=30 --json
  intent resolve --json "egfr for a 60 year old woman with creatinine 1.1"

exit codes: 0 done, 1 action failed, 2 bad usage, 3 not understood, 4 missing parameters, 5 not entitled.
INTENT_HOME overrides where the store and history live; files actions write go to its documents/
folder unless --out DIR says otherwise."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intent",
        description="Intent Terminal: say what you want; the terminal maps it to an action.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"terminal.commands.{name}").register(sub)
    return parser


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: importlib.metadata costs start-up time."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"intent-terminal {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("intent-terminal")
    except PackageNotFoundError:
        return "dev"


# Commands that live on (a server, a microphone, a stream on stdin) keep the garbage collector running.
LONG_LIVED = ("serve", "mcp", "listen")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        return _open_tui()
    if argv[0] in LONG_LIVED or "--jsonl" in argv:
        return _main(argv)
    # A one-shot command is over in a fraction of a second, and most of that is imports and pydantic
    # building models: millions of allocations that trigger hundreds of cyclic collections which find
    # almost nothing (~8% of `intent do`'s CPU). Reference counting still frees everything else; the
    # collector is back on when the command returns (main() is also called in-process).
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if was_enabled:
            gc.enable()


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from intents.errors import IntentError
    from terminal import progress
    from terminal.output import error

    progress.install()  # a spinner on a terminal's stderr while the core does slow work

    try:
        return int(args.func(args) or 0)
    except IntentError as err:
        return error(err, getattr(args, "json", False) or getattr(args, "jsonl", False))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _open_tui() -> int:
    try:
        from terminal.tui.app import run_app
    except ImportError:
        build_parser().print_help()
        return 0
    return run_app()


def entry() -> None:
    """The `intent` command itself (the console script, and `python -m terminal.cli`): main(), then the
    process ends. Tests and embedders call main(), which returns."""
    argv = sys.argv[1:]
    one_shot = bool(argv) and argv[0] not in LONG_LIVED and "--jsonl" not in argv
    if one_shot:
        # Off for good, not only inside main(): main() turns the collector back on as it returns, and its
        # first pass then walks every object the command made while it was off, all still in the youngest
        # generation (~27 ms of `intent do` after a finance action, measured with strace: CPU between the
        # output's write and the store's connection closing), only for the process to end a moment later.
        import gc

        gc.disable()
    code = main(argv)
    if one_shot:
        _end_now(code)
    sys.exit(code)


def _end_now(code: int) -> None:
    """End a one-shot command without the interpreter's teardown. Tearing down ~1,500 modules (numpy,
    pydantic and the packs' libraries after an action) frees objects one by one and runs a final collection
    that finds nothing to save: ~12 ms of a resolve and ~35 ms of `intent do` (bench/action_costs.py), for no
    output. What exit has to do still happens first: other threads are waited for, atexit handlers run
    (logging's flush, temporary folders' clean-up), stdout and stderr are flushed. Everything the command wrote is already committed or
    closed (SQLite commits are durable at commit; files are written atomically and closed). A PostgreSQL store
    (a fleet) gets the normal exit, which closes its connections politely."""
    if "psycopg" in sys.modules:
        return
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said on it
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
