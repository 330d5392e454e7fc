"""Vendor-side tools: `intent admin keygen --out DIR`, `intent admin issue ...`, `intent admin grant ...`.

They sign with a private key the vendor keeps; a terminal trusts the matching public key when it is
pinned in the package or placed in the trust directory (INTENT_TRUST_DIR).
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(token + "\n", encoding="ascii")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def issue(args) -> int:
    from entitlements.licence import issue_licence

    key = _key(args.key)
    try:
        token = issue_licence(key, args.plan, args.days, subject=args.subject, status=args.status,
                              grace_days=args.grace_days)
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
