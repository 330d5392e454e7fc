"""What may leave the machine, and the record of what did.

A pack whose manifest declares sensitive data classes (healthcare PHI, legal privileged) is never part of a
request to a non-local server unless the user opted in for that pack (`share_sensitive` in config). A
server on loopback is local. Requests to remote servers carry the text with direct identifiers redacted.
Every request (and every one withheld) is written to the audit log: what was sent, and where.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_SENT = 4000  # characters of the request that may be sent

# Direct identifiers; replaced before text goes to a remote server. Amounts, rates and ages stay: they are
# what the request is about, and they identify nobody.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("ssn", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("card", re.compile(r"\b(?:\d{4}[ -]){3}\d{1,7}\b")),
    ("phone", re.compile(r"(?<![\w.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}\b")),
    ("record_id", re.compile(r"\b(?:MRN|medical record(?: number)?|patient id|NHS(?: number)?|case no\.?)"
                             r"[\s:#]*[A-Z0-9-]{4,}\b", re.I)),
    ("birth_date", re.compile(r"\b(?:DOB|date of birth|born(?: on)?)[\s:]*(?:\d{4}-\d{2}-\d{2}"
                              r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|[A-Z][a-z]+ \d{1,2},? \d{4})", re.I)),
]


def redact(text: str) -> tuple[str, dict[str, int]]:
    """Text with direct identifiers replaced by [KIND]; counts per kind."""
    counts: dict[str, int] = {}
    for kind, pattern in _PATTERNS:
        text, n = pattern.subn(f"[{kind.upper()}]", text)
        if n:
            counts[kind] = n
    return text, counts


@dataclass
class Policy:
    """Which packs' actions may be offered to the configured server, and why the others may not."""

    local: bool
    host: str
    withheld: dict[str, list[str]] = field(default_factory=dict)  # pack id -> its sensitive data classes

    @classmethod
    def for_server(cls, registry, cfg) -> "Policy":
        withheld: dict[str, list[str]] = {}
        if not cfg.local:
            opted = set(cfg.share_sensitive)
            for pack_id, spec in registry.packs.items():
                classes = list(spec.manifest.sensitive)
                if classes and pack_id not in opted:
                    withheld[pack_id] = classes
        return cls(local=cfg.local, host=cfg.host, withheld=withheld)

    def allows(self, pack_id: str) -> bool:
        return pack_id not in self.withheld

    def notice(self, pack_id: str) -> str:
        classes = "/".join(self.withheld.get(pack_id, [])) or "sensitive"
        return (f"kept local: {pack_id} requests ({classes}) are not sent to {self.host} "
                f"(to allow it: share_sensitive = [\"{pack_id}\"] in [llm] of config.toml)")

    def outgoing(self, text: str) -> tuple[str, dict[str, int]]:
        """The text as it may be sent: verbatim to a local server, redacted to a remote one; a request,
        not a document, so it is clipped (a pasted contract stays on the machine)."""
        text = text[:MAX_SENT]
        if self.local:
            return text, {}
        return redact(text)


def record(home: Path, kind: str, detail: dict[str, Any]) -> None:
    """Write to the entitlement store's audit log; never raises (the audit must not break resolving)."""
    try:
        from entitlements.audit import record_event
    except ImportError:  # the store is not there (older install): keep a plain log beside it
        _fallback(home, kind, detail)
        return
    try:
        if not record_event(home, kind, detail):
            _fallback(home, kind, detail)
    except Exception:
        _fallback(home, kind, detail)


def _fallback(home: Path, kind: str, detail: dict[str, Any]) -> None:
    import json
    from datetime import datetime, timezone

    from intents.safe_files import append_text

    try:
        append_text(Path(home) / "llm-audit.jsonl", json.dumps(
            {"at": datetime.now(timezone.utc).isoformat(), "kind": kind, "detail": detail},
            default=str, ensure_ascii=False) + "\n")
    except OSError:
        pass
