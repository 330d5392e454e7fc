"""`intent license activate FILE` and `intent license show`: the licence this terminal runs under."""
from __future__ import annotations

from pathlib import Path

from intents.errors import UsageError
from terminal.output import emit_json

MAX_TOKEN = 64_000  # bytes; a licence token is well under 2 kB


def register(sub) -> None:
    p = sub.add_parser("license", aliases=["licence"], help="activate or show your licence")
    inner = p.add_subparsers(dest="license_command", metavar="SUBCOMMAND")
    a = inner.add_parser("activate", help="verify a licence (or grant) file and use it")
    a.add_argument("file", help="the licence file your vendor sent; - reads stdin")
    a.add_argument("--json", action="store_true", help="print JSON")
    a.set_defaults(func=activate)
    s = inner.add_parser("show", help="the active licence, its verification and grants")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=show)
    r = inner.add_parser("release", help="free this terminal's seat of a fleet licence (its features stop here)")
    r.add_argument("--json", action="store_true", help="print JSON")
    r.set_defaults(func=release)
    p.set_defaults(func=show, json=False)


def _read(file: str) -> str:
    import sys

    try:
        raw = sys.stdin.buffer.read(MAX_TOKEN + 1) if file == "-" else Path(file).read_bytes()[: MAX_TOKEN + 1]
    except OSError as exc:
        raise UsageError(f"cannot read licence file {file}: {exc.strerror or exc}") from None
    if len(raw) > MAX_TOKEN:
        raise UsageError(f"{file} is too large to be a licence file")
    try:
        return raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise UsageError(f"{file} is not a licence file (it is not plain text)") from None


def activate(args) -> int:
    from datetime import datetime, timezone

    from entitlements import open_gate
    from entitlements.licence import LicenceClaims, describe
    from entitlements.wallet import activate as do_activate
    from intents import paths

    home = paths.home()
    gate = open_gate(home)
    try:
        claims = do_activate(home, _read(args.file), gate.trusted(), datetime.now(timezone.utc),
                             ledger=gate.ledger)
        summary = gate.refresh() and gate.summary()
    finally:
        gate.close()
    data = {"activated": claims.typ, "what": describe(claims), "subject": claims.sub,
            "expires_at": claims.exp.isoformat(), "plan": summary["plan"], "status": summary["status"]}
    if isinstance(claims, LicenceClaims):
        data["licence_plan"] = claims.plan
    if args.json:
        emit_json(data)
    else:
        from terminal.output import console, escape

        console().print(f"activated: {escape(data['what'])} for {escape(claims.sub)}, valid until "
                        f"{escape(data['expires_at'])}; you are on the {escape(summary['plan'])} plan")
    return 0


def show(args) -> int:
    from datetime import datetime, timezone

    from entitlements import audit, open_gate
    from entitlements.errors import LicenceRefused, StoreError
    from entitlements.licence import LicenceClaims, subscription_status, verify
    from entitlements.wallet import licence_dir, read_tokens
    from intents import paths

    home = paths.home()
    gate = open_gate(home)
    try:
        trusted = gate.trusted()
        licence, grants = read_tokens(home, gate.store)
        now = datetime.now(timezone.utc)
        info: dict = {"file": str(licence_dir(home) / "licence.token"), "licence": None,
                      "trusted_keys": [{"kid": k.kid, "source": k.source} for k in trusted.values()]}
        if licence:
            try:
                c = verify(licence, trusted, now, allow_expired=True)
                info["licence"] = {"verified": True, "plan": c.plan, "subject": c.sub, "status":
                                   subscription_status(c, now), "issued_at": c.iat.isoformat(),
                                   "expires_at": c.exp.isoformat(), "grace_days": c.grace_days, "id": c.jti,
                                   "features": c.features} if isinstance(c, LicenceClaims) else None
            except LicenceRefused as err:
                info["licence"] = {"verified": False, "reason": err.reason, "message": err.message}
        info["grants"] = []
        for token in grants:
            try:
                g = verify(token, trusted, now, allow_expired=True)
                info["grants"].append({"feature": g.feature, "qty": g.qty, "expires_at": g.exp.isoformat(),
                                       "id": g.jti, "expired": g.exp <= now})
            except LicenceRefused as err:
                info["grants"].append({"verified": False, "reason": err.reason})
        info["plan"] = gate.summary()
    finally:
        gate.close()
    try:
        info["history"] = [e for e in audit.events(home, limit=200) if e["kind"].endswith(".activated")][:10]
    except StoreError:
        info["history"] = []  # the summary's warnings already say the store is damaged
    if args.json:
        emit_json(info)
        return 0
    from terminal.output import console, escape

    con = console()
    lic = info["licence"]
    if lic is None:
        con.print("no licence activated: this terminal runs on the free plan")
    elif lic.get("verified"):
        con.print(f"licence: [bold]{escape(lic['plan'])}[/] for {escape(lic['subject'])}, {escape(lic['status'])}, "
                  f"issued {escape(lic['issued_at'])}, expires {escape(lic['expires_at'])} (signature verified)")
    else:
        con.print(f"[red]licence refused[/] ({escape(lic['reason'])}): {escape(lic['message'])}")
    for g in info["grants"]:
        if g.get("feature"):
            con.print(f"grant: {g['qty']} {escape(g['feature'])} until {escape(g['expires_at'])}"
                      + (" (expired)" if g["expired"] else ""))
    con.print(f"in effect: {escape(info['plan']['plan'])} plan, {escape(info['plan']['status'])}")
    con.print(f"trusted keys: {len(info['trusted_keys'])} ({escape(', '.join(k['source'] for k in info['trusted_keys']))})")
    for warning in info["plan"].get("warnings", []):
        con.print(f"[yellow]warning[/]: {escape(warning)}")
    return 0


def release(args) -> int:
    """Give this machine's seat back on the fleet's store; the licence stays in the home, unused."""
    from entitlements import open_gate
    from intents import paths

    home = paths.home()
    gate = open_gate(home)
    try:
        state = gate.state()
        subject = state.subject
        if subject is None:
            licence_subject = _licence_subject(gate)
            subject = licence_subject
        if not hasattr(gate.ledger, "seat_held"):
            raise UsageError("seats are counted on a fleet store (INTENT_STORE_URL); this terminal uses a local "
                             "store, so there is no seat to release")
        if not subject:
            raise UsageError("no licence is activated on this terminal, so it holds no seat")
        problem = gate.ledger.problem()
        if problem is not None:
            raise problem
        with gate.ledger.transaction() as tx:
            freed = tx.release_seat(subject)
            tx.audit("seat.released", {"account": subject, "machine": gate.ledger.machine}, gate.clock())
        gate.refresh()
    finally:
        gate.close()
    data = {"released": freed, "account": subject, "machine": gate.ledger.machine}
    if args.json:
        emit_json(data)
    else:
        print(f"released this terminal's seat of the licence for {subject}" if freed
              else f"this terminal held no seat of the licence for {subject}")
    return 0


def _licence_subject(gate) -> str | None:
    from datetime import datetime, timezone

    from entitlements.errors import LicenceRefused
    from entitlements.licence import verify
    from entitlements.wallet import read_tokens

    licence, _ = read_tokens(gate.home)
    if not licence:
        return None
    try:
        return verify(licence, gate.trusted(), datetime.now(timezone.utc), allow_expired=True).sub
    except LicenceRefused:
        return None
