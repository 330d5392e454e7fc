"""Where activated tokens live: files under INTENT_HOME/licences (the copy that survives a damaged
store) and a history row in the store. Neither place is trusted: every read re-verifies the token.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

from typing import TYPE_CHECKING

from entitlements.errors import StoreError

if TYPE_CHECKING:
    from entitlements.licence import GrantClaims, LicenceClaims

LICENCE_FILE = "licence.token"


def licence_dir(home: Path) -> Path:
    return Path(home) / "licences"


def grants_dir(home: Path) -> Path:
    return licence_dir(home) / "grants"


def _write_private(path: Path, text: str) -> None:
    """Write atomically (temp file + rename), owner-only: a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text.strip() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_tokens(home: Path, store=None) -> tuple[str | None, list[str]]:
    """(licence token or None, grant tokens). Falls back to the store's history if the file is gone."""
    path = licence_dir(home) / LICENCE_FILE
    licence = None
    try:
        licence = path.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        licence = None
    if licence is None and store is not None and store.path.exists():
        try:
            rows = store.read("SELECT token FROM licences WHERE kind = 'licence' ORDER BY activated_at DESC LIMIT 1")
            if rows:
                licence = rows[0][0]
                _write_private(path, licence)  # restore the file copy
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
    """Changes whenever a token is activated (directory mtimes); cheap enough to poll."""
    out = []
    for folder in (licence_dir(home), grants_dir(home)):
        try:
            out.append(folder.stat().st_mtime_ns)
        except OSError:
            out.append(None)
    return tuple(out)


def activate(home: Path, token: str, trusted: dict, now: datetime, store=None) -> LicenceClaims | GrantClaims:
    """Verify and keep a licence (replacing the current one) or a grant. Raises LicenceRefused."""
    from entitlements import audit
    from entitlements.licence import LicenceClaims, describe, verify
    from entitlements.store import Store

    claims = verify(token, trusted, now)
    token = token.strip()
    if isinstance(claims, LicenceClaims):
        _write_private(licence_dir(home) / LICENCE_FILE, token)
    else:
        _write_private(grants_dir(home) / f"{claims.jti}.token", token)
    own = store is None
    store = store or Store(home)
    try:
        with store.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO licences (jti, kind, token, subject, plan, activated_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [claims.jti, claims.typ, token, claims.sub,
                 claims.plan if isinstance(claims, LicenceClaims) else claims.feature,
                 now.astimezone(timezone.utc).isoformat(timespec="microseconds"), claims.exp.isoformat()],
            )
            audit.insert(conn, f"{claims.typ}.activated", {
                "jti": claims.jti, "subject": claims.sub, "what": describe(claims),
                "expires_at": claims.exp.isoformat(),
            }, now)
    except (StoreError, sqlite3.Error) as exc:
        # The file copy is what counts; the store's history is a convenience.
        print(f"warning: licence kept in {licence_dir(home)}, but not recorded in the store: {exc}",
              file=sys.stderr)
    finally:
        if own:
            store.close()
    return claims
