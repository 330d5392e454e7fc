"""Where activated tokens live: files under INTENT_HOME/licences (the copy that survives a damaged
store) and a history row in the store. Neither place is trusted: every read re-verifies the token. Activating also binds the token to the
usage record next to it (usage_record.py), which is what metered use is counted against.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

from entitlements.errors import LicenceRefused, StoreError

if TYPE_CHECKING:
    from entitlements.licence import GrantClaims, LicenceClaims

LICENCE_FILE = "licence.token"


def licence_dir(home: Path) -> Path:
    return Path(home) / "licences"


def grants_dir(home: Path) -> Path:
    return licence_dir(home) / "grants"


def _write_private(home: Path, path: Path, text: str) -> None:
    """Write atomically (temp file + rename), owner-only: a crash leaves the old file or the new one."""
    from intents.safe_files import private_dir, write_atomic

    # licences/ (and grants/ in it) are real 0700 directories: a link in their place is refused.
    private_dir(licence_dir(home))
    private_dir(path.parent)
    write_atomic(path, text.strip() + "\n", encoding="ascii")


def read_tokens(home: Path, ledger=None) -> tuple[str | None, list[str]]:
    """(licence token or None, grant tokens). Falls back to the ledger's history if the file is gone.
    `ledger` may also be a Store (what `intent license show` passes)."""
    if ledger is not None and not hasattr(ledger, "licence_history"):
        from entitlements.ledger import SqliteLedger

        ledger = SqliteLedger(ledger)
    path = licence_dir(home) / LICENCE_FILE
    licence = None
    try:
        licence = path.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        licence = None
    if licence is None and ledger is not None:
        try:
            history = ledger.licence_history()
            if history:
                licence = history[0][2]
                _write_private(home, path, licence)  # restore the file copy
        except (StoreError, OSError):
            pass
    grants = []
    folder = grants_dir(home)
    if folder.is_dir():
        for file in sorted(folder.glob("*.token")):
            try:
                grants.append(file.read_text(encoding="ascii").strip())
            except (OSError, UnicodeDecodeError):
                continue
    return licence, grants


def stamp(home: Path) -> tuple:
    """Changes whenever a token is activated; cheap enough to poll. Directory mtimes alone can miss one:
    a poll between the temp file's creation and its rename can see the same coarse mtime as after the
    rename, so the token files' inodes and mtimes are part of it (not the usage record's, which every
    metered use appends to)."""
    out: list = []
    for folder in (licence_dir(home), grants_dir(home)):
        try:
            out.append(folder.stat().st_mtime_ns)
            with os.scandir(folder) as entries:
                out.append(tuple(sorted((e.name, e.inode(), e.stat().st_mtime_ns) for e in entries
                                        if e.name == LICENCE_FILE or e.name.endswith(".token"))))
        except OSError:
            out.append(None)
    return tuple(out)


def known_licences(ledger, replay, trusted: dict, now: datetime,
                   verified: dict | None = None) -> dict[str, tuple[str, datetime]]:
    """jti -> (subject, issued at) of every licence this terminal has activated: from the usage record
    (also the readable part of a broken one) and the store's history (re-verified; a forged row could
    only ever refuse its writer's own older licence). `verified`: token -> claims the caller has just
    verified with the same keys and time (usually the current licence, also the newest history row),
    so the same token is not verified twice in one derivation."""
    from entitlements.licence import LicenceClaims, verify

    known = dict(replay.licences) if replay is not None else {}
    for _jti, _sub, token in (ledger.licence_history() if ledger is not None else []):
        claims = (verified or {}).get(token.strip())
        if claims is None:
            try:
                claims = verify(token, trusted, now, allow_expired=True)
            except Exception:  # noqa: BLE001 - an unreadable history row proves nothing
                continue
        if isinstance(claims, LicenceClaims):
            known.setdefault(claims.jti, (claims.sub, claims.iat))
    return known


def _current_licence(home: Path, trusted: dict, now: datetime):
    from entitlements.licence import LicenceClaims, verify

    try:
        token = (licence_dir(home) / LICENCE_FILE).read_text(encoding="ascii").strip()
        claims = verify(token, trusted, now, allow_expired=True)
    except Exception:  # noqa: BLE001 - no file, or one that does not verify: nothing to compare with
        return None
    return claims if isinstance(claims, LicenceClaims) else None


def _evidence(home: Path, ledger) -> bool:
    """Whether this home has held a licence or a usage record before (so usage may have been lost)."""
    from entitlements.ledger import RECORD_HEAD

    folder = licence_dir(home)
    try:
        if any(p.name.startswith(("usage.", LICENCE_FILE)) for p in folder.iterdir()):
            return True
        if grants_dir(home).is_dir() and any(grants_dir(home).glob("*.token")):
            return True
    except OSError:
        pass
    try:
        return bool(ledger.licence_history()) or bool(ledger.get_meta(RECORD_HEAD))
    except StoreError:
        return False


def activate(home: Path, token: str, trusted: dict, now: datetime, store=None, catalog=None,
             ledger=None) -> LicenceClaims | GrantClaims:
    """Verify and keep a licence (replacing the current one) or a grant, and bind it to the usage record.
    Raises LicenceRefused (also for a licence a newer one for the same subject has replaced)."""
    from entitlements.ledger import SqliteLedger
    from entitlements.licence import LicenceClaims, describe, verify
    from entitlements.state import iso, superseded_by
    from entitlements.store import Store
    from entitlements.usage_record import UsageRecord

    claims = verify(token, trusted, now)
    token = token.strip()
    own = store is None and ledger is None
    if ledger is None:
        store = store or Store(home)
        ledger = SqliteLedger(store)
    record = UsageRecord(home)
    try:
        if isinstance(claims, LicenceClaims):
            known = known_licences(ledger, record.replay(), trusted, now)
            current = _current_licence(home, trusted, now)
            if current is not None:
                known.setdefault(current.jti, (current.sub, current.iat))
            newer = superseded_by(claims, known)
            if newer is not None:
                raise LicenceRefused(
                    f"this {claims.plan} licence for {claims.sub} (issued {iso(claims.iat)}) was replaced by a "
                    f"newer licence issued {iso(newer)}; a replaced licence cannot be activated again",
                    reason="superseded", superseded_by_issued_at=iso(newer))
        if isinstance(claims, LicenceClaims) and hasattr(ledger, "pin"):
            ledger.pin(claims)  # a licence bound to a fleet store talks only to that store (TLS verify-full)
        evidence = _evidence(home, ledger)
        if isinstance(claims, LicenceClaims) and claims.seats is not None and hasattr(ledger, "seat_held"):
            # A fleet licence takes one of its seats first: a refusal (all in use) keeps nothing here.
            with ledger.transaction() as tx:
                tx.take_seat(claims, now)
        if isinstance(claims, LicenceClaims):
            _write_private(home, licence_dir(home) / LICENCE_FILE, token)
        else:
            _write_private(home, grants_dir(home) / f"{claims.jti}.token", token)
        try:
            with ledger.transaction() as tx:
                tx.record_licence(claims, token, now)
                tx.audit(f"{claims.typ}.activated", {
                    "jti": claims.jti, "subject": claims.sub, "what": describe(claims),
                    "expires_at": claims.exp.isoformat(),
                }, now)
                _bind(record, tx, claims, now, evidence, catalog,
                      shared=getattr(ledger, "authoritative", False))
        except (StoreError, sqlite3.Error) as exc:
            # The files are what counts; the store's history is a convenience.
            print(f"warning: licence kept in {licence_dir(home)}, but not recorded in the store: {exc}",
                  file=sys.stderr)
            _bind(record, None, claims, now, evidence, catalog)
    finally:
        if own:
            ledger.close()
    return claims


def _bind(record, tx, claims, now: datetime, evidence: bool, catalog=None, shared: bool = False) -> None:
    """Record the activation in the usage record, starting one if there is none (or it is broken).

    A record started over a lost one (`restarted`) cannot know what was used: every token issued
    before that moment counts its current allowance as used (the licence's metered limits for this
    period, a grant's whole quantity). So deleting or breaking the record, then activating again,
    gives nothing back; the next period starts normally.
    shared: the ledger is a fleet server, which counts every terminal's uses and which this home's owner
    cannot reset: nothing is carried (carrying would burn the whole licence's quota for every terminal).
    """
    from entitlements.catalog import load_catalog
    from entitlements.ledger import RECORD_HEAD, RECORD_PENDING
    from entitlements.licence import LicenceClaims
    from entitlements.periods import period_of

    catalog = catalog or load_catalog()
    with record.locked() as replay:
        if tx is not None:
            head = tx.get_meta(RECORD_HEAD)
            replay = record.complete(replay, head, tx.get_meta(RECORD_PENDING))  # a killed fleet use's line
            replay = record.check_store_head(replay, head)
        if not replay.ok:
            replay = record.start(now, restarted=evidence or replay.status == "broken")
        entries: list[dict] = []
        carries: list[tuple[str, str, str, int]] = []  # (key, feature, period, qty)
        if isinstance(claims, LicenceClaims):
            new = claims.jti not in replay.licences
            if new:
                entries.append({"op": "licence", "jti": claims.jti, "sub": claims.sub, "iat": claims.iat.isoformat()})
            if new and replay.restarted and claims.iat <= replay.opened_at and not shared:
                for feature, limit in sorted(claims.features.items()):
                    if catalog.kind(feature) == "metered" and isinstance(limit, int) and limit > 0:
                        spec = catalog.features[feature]
                        period, _ = period_of(spec.period, now)
                        left = limit - replay.used_of(feature, period)
                        if left > 0:
                            carries.append((f"carry:{claims.jti}:{feature}:{period}", feature, period, left))
        else:
            new = claims.jti not in replay.grants
            if new:
                entries.append({"op": "grant", "jti": claims.jti})
            if new and replay.restarted and claims.iat <= replay.opened_at and not shared:
                carries.append((f"carry:{claims.jti}", claims.feature, f"grant:{claims.jti}", claims.qty))
        for key, feature, period, qty in carries:
            entries.append({"op": "carry", "key": key, "feature": feature, "parts": [[period, qty]],
                            "why": "usage record lost: this allowance counts as used"})
        if not entries:
            return
        replay = record.append(replay, entries, now)
        if carries:
            what = ", ".join(f"{feature} ({'this period' if not period.startswith('grant:') else 'the grant'})"
                             for _, feature, period, _ in carries)
            print(f"warning: this terminal's usage record was lost or altered, so what was used cannot be known: "
                  f"the allowance of {what} counts as used; the next period starts normally", file=sys.stderr)
        if tx is not None:
            for key, feature, period, qty in carries:
                have = tx.used(feature, period)
                if have < qty and not tx.uses_of(key):
                    tx.record_use(key, feature, [(period, qty - have)], now, source="carry")
            tx.set_meta(RECORD_HEAD, replay.sealed_head())
