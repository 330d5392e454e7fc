"""Errors of the entitlement store. They are IntentErrors so every front end prints them cleanly."""
from __future__ import annotations

from intents.errors import EXIT_ACTION_FAILED, EXIT_NOT_ENTITLED, IntentError


class StoreError(IntentError):
    """The store cannot be used (locked too long, corrupt, unreadable). Says where it is and what to do."""

    kind = "store_unavailable"
    exit_code = EXIT_ACTION_FAILED


class StoreLocked(StoreError):
    kind = "store_locked"


class StoreCorrupt(StoreError):
    kind = "store_corrupt"


class LicenceRefused(IntentError):
    """A licence or grant token that cannot be trusted; `reason` is malformed|untrusted|tampered|expired|..."""

    kind = "licence_refused"
    exit_code = EXIT_NOT_ENTITLED

    def __init__(self, message: str, reason: str, **extra) -> None:
        super().__init__(message, reason=reason, **extra)
        self.reason = reason
