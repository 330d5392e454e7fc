"""`intent plan [--json]`: your plan, its status, the features it unlocks and metered usage."""
from __future__ import annotations

from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("plan", help="your plan, its features, and usage against limits")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from entitlements import open_gate

    gate = open_gate()
    try:
        summary = gate.summary()
    finally:
        gate.close()
    if args.json:
        emit_json(summary)
        return 0
    print_summary(summary)
    return 0


def print_summary(s: dict) -> None:
    from rich.table import Table

    from terminal.output import console, escape

    con = console()
    line = f"[bold]{escape(s['plan'])}[/] plan, {escape(s['status'])}"
    if s.get("subject"):
        line += f", licensed to {escape(s['subject'])}"
    if s.get("expires_at"):
        line += f", until {escape(s['expires_at'])}"
    con.print(line)
    con.print("features: " + escape(", ".join(s["features"]) or "none"))
    if s.get("config"):
        con.print("settings: " + escape(", ".join(f"{k}={v}" for k, v in s["config"].items())))
    if s.get("store"):
        st = s["store"]
        con.print(f"store: fleet {escape(st['where'])}" + ("" if st["connected"] else " [red](not reachable)[/]")
                  + (f", {s['seats']} seats" if s.get("seats") else ""))
    if s["usage"]:
        shared = any("this_terminal" in u for u in s["usage"])
        columns = ["feature", "used", "limit", "remaining", "resets"] + (["this terminal"] if shared else [])
        table = Table(*columns)
        for u in s["usage"]:
            limit = "unlimited" if u["limit"] is None else str(u["limit"])
            row = [u["feature"], str(u["used"]), limit, "–" if u["remaining"] is None else str(u["remaining"]),
                   u["resets_at"] or "–"]
            if shared:
                row.append(str(u.get("this_terminal", "–")))
            table.add_row(*row)
        con.print(table)
        for u in s["usage"]:
            if u.get("pool"):
                p = u["pool"]
                share = f"; this terminal used {u['this_terminal']}" if "this_terminal" in u else ""
                con.print(f"{escape(u['feature'])}: pooled across the licence's seats, pool: {p['per_seat']} x "
                          f"{p['seats']} seats = {p['limit']}, {u['used']} used{share}")
    for warning in s.get("warnings", []):
        con.print(f"[yellow]warning[/]: {escape(warning)}")
