"""`intent packs [list|install X|remove X|prepare [X...]|new NAME|check PATH|add-mcp NAME -- CMD]`: the pack ecosystem
from the shell."""
from __future__ import annotations

from pathlib import Path

from terminal.commands.common import interactive
from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("packs", help="list, install, remove, scaffold or check vertical packs")
    p.add_argument("--json", action="store_true", help="print JSON")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    verbs.add_parser("list", help="list packs (default)").add_argument("--json", action="store_true")
    inst = verbs.add_parser("install", help="install a pack: a built-in name, a folder, a .whl or a PyPI name")
    inst.add_argument("pack")
    inst.add_argument("--yes", "-y", action="store_true", help="accept what the pack declares without asking")
    inst.add_argument("--editable", "-e", action="store_true",
                      help="install a pack folder in development mode: edits take effect without reinstalling")
    inst.add_argument("--json", action="store_true")
    rm = verbs.add_parser("remove", help="remove a pack (built-in packs are disabled)")
    rm.add_argument("pack")
    rm.add_argument("--json", action="store_true")
    new = verbs.add_parser("new", help="write a working pack project to start from")
    new.add_argument("name", help="the pack id, e.g. weather_demo")
    new.add_argument("--dir", type=Path, default=Path("."), help="parent folder (default: here)")
    new.add_argument("--publisher", default="Your name")
    new.add_argument("--json", action="store_true")
    mcp = verbs.add_parser(
        "add-mcp", help="take a local MCP server's tools in as pack NAME: intent packs add-mcp NAME -- COMMAND [ARGS...]",
        description="Start the stdio MCP server COMMAND, show the tools it offers and, with your consent, make them "
                    "the actions of pack NAME (NAME.tool), resolvable from words and gated like any action.")
    mcp.add_argument("name", help="the pack id to give it, e.g. weather")
    mcp.add_argument("server", nargs="+", metavar="COMMAND", help="the server's command and arguments (after --)")
    mcp.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                     help="an environment variable the server needs (repeatable; nothing else of yours is passed)")
    mcp.add_argument("--sensitive", action="append", default=[], metavar="CLASS",
                     help="a data class its tools handle (PHI, PII, privileged, financial, ...)")
    mcp.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per call (default 30)")
    mcp.add_argument("--yes", "-y", action="store_true", help="accept without asking")
    mcp.add_argument("--json", action="store_true")
    prep = verbs.add_parser(
        "prepare", help="do the packs' one-time work now (e.g. build the ICD-10 index), so first uses are fast",
        description="Run the one-time preparation installed packs declare (@pack.prepare), e.g. the healthcare "
                    "pack's ICD-10 index. Idempotent and quick when already done; one pack's failure is reported "
                    "and does not stop the others (the exit status stays 0).")
    prep.add_argument("packs", nargs="*", metavar="PACK", help="pack ids (default: every installed pack)")
    prep.add_argument("--json", action="store_true")
    chk = verbs.add_parser("check", help="validate a pack project folder without installing it")
    chk.add_argument("path", type=Path)
    chk.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    verb = args.verb or "list"
    return {"list": _list, "install": _install, "remove": _remove, "new": _new, "check": _check,
            "add-mcp": _add_mcp, "prepare": _prepare}[verb](args)


def _list(args) -> int:
    from intents.session import Session

    outcome = Session().run_action("system.packs", {}, source="cli")
    if args.json:
        emit_json({"packs": outcome.result["packs"]})
        return 0
    from rich.table import Table

    from terminal.output import console

    table = Table("pack", "version", "publisher", "installed", "entitled", "health")
    for row in outcome.result["packs"]:
        table.add_row(row["id"], row["version"], row["publisher"], "yes" if row["installed"] else "no",
                      "yes" if row["entitled"] else "locked", row["health"])
    console().print(table)
    return 0


def _install(args) -> int:
    from intents.pack_install import install, to_json
    from intents.session import Session
    from terminal.output import console

    con = console(stderr=True)

    def confirm(decl) -> bool:
        for line in decl.lines():
            con.print(line, markup=False, highlight=False)
        if args.yes:
            return True
        if not interactive():
            return False
        return input("Install and enable it? [y/N] ").strip().lower() in ("y", "yes")

    if not args.json:
        con.print(f"installing {args.pack} …")
    result = install(Session(), args.pack, confirm=confirm, editable=args.editable)
    prepared = _prepare_installed(result, quiet=args.json)
    if args.json:
        emit_json({**to_json(result), **({"prepared": prepared} if prepared else {})})
        return 0
    state = "installed" if result.entitled else f"installed, locked: your plan does not cover it (unlocked by {result.unlock or 'a higher plan'}; see `intent plan`)"
    console().print(f"{result.pack}: {state}")
    return 0


def _prepare_installed(result, quiet: bool) -> list[dict]:
    """After consent and install: the new pack's one-time preparation (its failure never fails the install)."""
    if not getattr(result, "installed", False):
        return []
    from intents.session import Session

    rows = _run_prepare(Session().registry, [result.pack], quiet=quiet)
    return [r.to_json() for r in rows if r.status not in ("nothing to prepare", "not installed")]


def _run_prepare(registry, names, quiet: bool = False):
    from intents.prepare import prepare
    from terminal.output import console

    con = console(stderr=True)

    def started(pack: str, what: str) -> None:
        if not quiet:
            con.print(f"{pack}: {what} …", markup=False, highlight=False)

    def progress(pack: str, what: str, message: str) -> None:
        if not quiet:
            con.print(f"  {message}", markup=False, highlight=False)

    rows = prepare(registry, names, on_start=started, on_progress=progress)
    if not quiet:
        for row in rows:
            if row.status == "failed":
                con.print(f"{row.pack}: preparation failed: {row.error}", markup=False, highlight=False)
            elif row.what:
                con.print(f"{row.pack}: {'prepared' if row.built else 'ready'} ({row.seconds:.1f} s)",
                          markup=False, highlight=False)
    return rows


def _prepare(args) -> int:
    from intents.session import Session

    registry = Session().registry
    rows = _run_prepare(registry, args.packs, quiet=args.json)
    if not args.packs:  # the whole set-up: the resolver's index too (here and in the shared cache), ~0.1 s
        from intents.resolver.local import LocalResolver

        LocalResolver.for_registry(registry)
    if args.json:
        emit_json({"packs": [r.to_json() for r in rows]})
    elif not any(r.what for r in rows):
        from terminal.output import console

        console(stderr=True).print("nothing to prepare", markup=False)
    return 0


def _add_mcp(args) -> int:
    from intents.errors import UsageError
    from intents.mcp_packs import add
    from intents.pack_install import to_json
    from intents.params import parse_pairs
    from intents.session import Session
    from terminal.output import console

    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    con = console(stderr=True)

    def confirm(decl, spec) -> bool:
        con.print(decl.lines()[0], markup=False, highlight=False)
        con.print(f"  runs: {' '.join(args.server)}", markup=False, highlight=False)
        con.print(f"  sensitive data: {', '.join(decl.sensitive) or 'none declared'}", markup=False, highlight=False)
        con.print(f"  tools ({len(spec.actions)}):", markup=False, highlight=False)
        for a in spec.actions:
            params = ", ".join(s.name + ("" if s.required else "?") for s in a.slots) or "no parameters"
            con.print(f"    {a.id}  [{a.risk.value}]  {a.description.splitlines()[0][:100]}  ({params})",
                      markup=False, highlight=False, soft_wrap=True)
        if args.yes:
            return True
        if not interactive():
            return False
        return input(f"Take it in as pack {decl.pack}? [y/N] ").strip().lower() in ("y", "yes")

    if not args.json:
        con.print(f"starting {' '.join(args.server)} to list its tools …", markup=False, highlight=False)
    result = add(Session(), args.name, list(args.server), confirm=confirm, env=parse_pairs(args.env),
                 sensitive=args.sensitive, timeout_s=args.timeout)
    if args.json:
        data = to_json(result)
        emit_json(data)
        return 0
    state = "added" if result.entitled else f"added, locked: MCP servers as packs need the {result.unlock or 'pro'} plan (see `intent plan`)"
    console().print(f"{result.pack}: {state}")
    return 0


def _remove(args) -> int:
    from intents.pack_install import remove, to_json
    from intents.session import Session

    result = remove(Session(), args.pack)
    if args.json:
        emit_json(to_json(result))
    else:
        from terminal.output import console

        console().print(f"{result.pack}: removed ({result.source})")
    return 0


def _new(args) -> int:
    from intents.scaffold import scaffold

    root = scaffold(args.name, args.dir, publisher=args.publisher)
    if args.json:
        emit_json({"pack": args.name, "path": str(root)})
    else:
        from terminal.output import console

        console().print(f"wrote {root}\n  next: intent packs check {root} && intent packs install {root}")
    return 0


def _check(args) -> int:
    from intents.errors import EXIT_USAGE, UsageError
    from intents.pack_install import check_folder

    if not args.path.is_dir():
        raise UsageError(f"{args.path} is not a folder")
    from intents.session import Session

    reports = check_folder(args.path, registry=Session().registry)
    ok = all(r.ok for r in reports) and bool(reports)
    if args.json:
        emit_json({"ok": ok, "reports": [r.model_dump() for r in reports]})
    else:
        from terminal.output import console

        con = console()
        for r in reports:
            con.print(f"{r.pack or args.path}: {'ok' if r.ok else f'{len(r.problems)} problem(s)'}", markup=False)
            for problem in r.problems:
                con.print(f"  - {problem}", markup=False)
    return 0 if ok else EXIT_USAGE
