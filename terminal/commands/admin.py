"""Vendor-side tools: `intent admin keygen --out DIR`, `intent admin issue ...`, `intent admin grant ...`.

They sign with a private key the vendor keeps; a terminal trusts the matching public key when it is
pinned in the package or placed in the trust directory (INTENT_TRUST_DIR).
Fleet tools (the store named by INTENT_STORE_URL, or this home's local store): `intent admin seats
[--revoke MACHINE | --unseen-days N]`,
`intent admin usage [--since DATE] [--json]` (CloudEvents, one a line), `intent admin migrate`.
"""
from __future__ import annotations

from pathlib import Path

from intents.errors import UsageError
from terminal.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("admin", help="vendor tools: signing keys, licences and grants")
    inner = p.add_subparsers(dest="admin_command", metavar="SUBCOMMAND", required=True)
    k = inner.add_parser("keygen", help="write DIR/private.pem and DIR/public.pem (Ed25519)")
    k.add_argument("--out", required=True, type=Path, help="directory for the key pair")
    k.add_argument("--json", action="store_true")
    k.set_defaults(func=keygen)
    i = inner.add_parser("issue", help="sign a licence for a plan")
    i.add_argument("--key", required=True, type=Path, help="the private.pem that signs")
    i.add_argument("--plan", required=True, help="a plan of the catalog (free, pro, enterprise)")
    i.add_argument("--days", required=True, type=float, help="how long the licence lasts")
    i.add_argument("--subject", default="licensee", help="who it is for (e-mail or organisation)")
    i.add_argument("--status", default="active", choices=["trialing", "active", "past_due", "canceled"])
    i.add_argument("--grace-days", type=int, default=7, help="days it keeps working after expiry")
    i.add_argument("--seats", type=int, default=None, help="how many terminals may hold it at once (a fleet)")
    i.add_argument("--pool", action="append", default=None, metavar="FEATURE",
                   help="pool this metered feature across the seats (limit x seats, shared); repeatable")
    i.add_argument("--store-host", default=None, metavar="HOST",
                   help="bind the licence to the fleet store at HOST (with --store-ca)")
    i.add_argument("--store-ca", default=None, type=Path, metavar="PEM",
                   help="the CA certificate that signed that store's TLS certificate (verify-full)")
    i.add_argument("--out", required=True, type=Path, help="the licence file to write")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=issue)
    g = inner.add_parser("grant", help="sign a top-up of a metered feature")
    g.add_argument("--key", required=True, type=Path)
    g.add_argument("--feature", required=True, help="a metered feature, e.g. legal.draft_nda")
    g.add_argument("--qty", required=True, type=int)
    g.add_argument("--days", required=True, type=float)
    g.add_argument("--subject", default="licensee")
    g.add_argument("--out", required=True, type=Path)
    g.add_argument("--json", action="store_true")
    g.set_defaults(func=grant)
    s = inner.add_parser("seats", help="the seats held on the fleet's store (who holds which licence)")
    s.add_argument("--account", default=None, help="only this licence subject")
    s.add_argument("--revoke", default=None, metavar="MACHINE",
                   help="free the seat(s) of this machine (its id, or the start of it as listed)")
    s.add_argument("--unseen-days", type=float, default=None, metavar="N",
                   help="free every seat not seen for N days (a terminal gone for good)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=seats)
    u = inner.add_parser("usage", help="export the usage ledger as CloudEvents (one JSON object a line)")
    u.add_argument("--since", default=None, metavar="DATE", help="only uses at or after DATE (ISO date or time)")
    u.add_argument("--json", action="store_true", help="CloudEvents JSON lines (the default output too)")
    u.set_defaults(func=usage)
    m = inner.add_parser("migrate", help="create or upgrade the fleet store's schema (as the database owner)")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=migrate)


def keygen(args) -> int:
    from entitlements.keys import keygen as make

    try:
        private, public, kid = make(args.out)
    except (FileExistsError, OSError) as exc:
        raise UsageError(str(exc)) from None
    data = {"private": str(private), "public": str(public), "kid": kid}
    if args.json:
        emit_json(data)
    else:
        print(f"wrote {private} (keep it secret) and {public} (kid {kid})")
        print("trust it on a terminal by copying public.pem into the trust directory (INTENT_TRUST_DIR)")
    return 0


def _key(path: Path):
    from entitlements.keys import load_private

    try:
        return load_private(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _write(path: Path, token: str) -> None:
    from intents.safe_files import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, token + "\n", encoding="ascii")  # a link at --out is refused, not followed
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def issue(args) -> int:
    from entitlements.licence import issue_licence

    key = _key(args.key)
    ca = None
    if args.store_ca is not None:
        try:
            ca = args.store_ca.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read --store-ca {args.store_ca}: {getattr(exc, 'strerror', None) or exc}") \
                from None
    try:
        token = issue_licence(key, args.plan, args.days, subject=args.subject, status=args.status,
                              grace_days=args.grace_days, seats=args.seats, pooled=args.pool,
                              store_host=args.store_host, store_ca=ca)
    except (KeyError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    _write(args.out, token)
    if args.json:
        emit_json({"out": str(args.out), "plan": args.plan, "days": args.days, "subject": args.subject})
    else:
        from terminal.output import article

        print(f"wrote {article(args.plan)} {args.plan} licence for {args.subject}, {args.days:g} days, to {args.out}")
    return 0


def grant(args) -> int:
    from entitlements.licence import issue_grant

    key = _key(args.key)
    try:
        token = issue_grant(key, args.feature, args.qty, args.days, subject=args.subject)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _write(args.out, token)
    if args.json:
        emit_json({"out": str(args.out), "feature": args.feature, "qty": args.qty})
    else:
        print(f"wrote a grant of {args.qty} {args.feature}, {args.days:g} days, to {args.out}")
    return 0


# ---- the fleet ---------------------------------------------------------------------------------------
def _fleet_ledger():
    from entitlements.errors import StoreError
    from entitlements.fleet import fleet_ledger
    from intents import paths

    ledger = fleet_ledger(paths.home())
    if ledger is None:
        return None
    problem = ledger.problem()
    if problem is not None:
        raise problem
    return ledger if not isinstance(problem, StoreError) else None


def seats(args) -> int:
    ledger = _fleet_ledger()
    if ledger is None:
        raise UsageError("seats are counted on a fleet store: set INTENT_STORE_URL (or url in [store] of "
                         "config.toml); a local store is one terminal, one seat")
    if args.revoke is not None or args.unseen_days is not None:
        return _revoke(ledger, args)
    try:
        rows = ledger.seats(args.account)
    finally:
        ledger.close()
    if args.json:
        emit_json({"store": ledger.where, "seats": rows})
        return 0
    from terminal.output import console, escape

    con = console()
    if not rows:
        con.print(f"no seats are held on {escape(ledger.where)}")
        return 0
    from rich.table import Table

    table = Table("account", "machine", "host", "taken", "last seen", "of")
    for r in rows:
        table.add_row(r["account"], r["machine"][:12] + (" (this one)" if r["this_terminal"] else ""), r["host"],
                      r["taken_at"][:19], r["seen_at"][:19], "-" if r["seats"] is None else str(r["seats"]))
    con.print(table)
    return 0


def _revoke(ledger, args) -> int:
    if args.revoke is not None and not args.revoke.strip():
        raise UsageError("--revoke needs a machine id (see `intent admin seats`)")
    if args.unseen_days is not None and not args.unseen_days > 0:
        raise UsageError("--unseen-days needs a positive number of days")
    try:
        freed = ledger.revoke_seats(machine=(args.revoke or "").strip() or None, unseen_days=args.unseen_days,
                                    account=args.account)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    finally:
        ledger.close()
    if args.json:
        emit_json({"store": ledger.where, "revoked": freed})
        return 0
    if not freed:
        print("no seat matched; nothing was freed (`intent admin seats` lists them)")
    for r in freed:
        print(f"freed the seat of {r['account']} held by {r['host']} (machine {r['machine'][:12]}, last seen "
              f"{r['seen_at'][:19]})")
    return 0


def _since(text: str | None):
    from datetime import datetime, timezone

    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date (use YYYY-MM-DD or an ISO time)") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def usage(args) -> int:
    import json
    import sys

    from entitlements.fleet.export import cloudevents, sqlite_rows

    since = _since(args.since)
    ledger = _fleet_ledger()
    if ledger is not None:
        try:
            rows = list(ledger.usage_rows(since))
        finally:
            ledger.close()
    else:
        from entitlements import open_gate
        from entitlements.fleet.machine import machine_id
        from entitlements.store import store_path
        from intents import paths

        home = paths.home()
        if not store_path(home).exists():
            return 0
        gate = open_gate(home)
        try:
            account = gate.state().subject or ""
            rows = list(sqlite_rows(gate.store, machine_id(home), account, since))
        finally:
            gate.close()
    out = sys.stdout
    for event in cloudevents(rows):
        out.write(json.dumps(event, separators=(",", ":"), sort_keys=True) + "\n")
    out.flush()
    return 0


def migrate(args) -> int:
    from entitlements.fleet import store_url
    from entitlements.fleet import schema
    from entitlements.fleet.config import display_url

    url = store_url()
    if not url:
        raise UsageError("nothing to migrate: no fleet store is configured (INTENT_STORE_URL); the local store "
                         "migrates itself")
    import psycopg

    from entitlements.fleet.ledger import PgLedger
    from intents import paths

    probe = PgLedger(url, paths.home())
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        raise probe._translate(exc) from None
    try:
        applied = schema.apply(conn)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise UsageError(f"{display_url(url)}: this role may not create the schema ({str(exc).strip()}); run it "
                         f"with the database owner's URL") from None
    finally:
        conn.close()
    if args.json:
        emit_json({"store": display_url(url), "applied": applied, "latest": schema.latest()})
    else:
        print(f"{display_url(url)}: " + (f"applied {', '.join(applied)}" if applied else "schema is up to date")
              + f" (latest {schema.latest()})")
    return 0
