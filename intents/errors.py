"""Errors that reach the user, each with the CLI exit code the catalog assigns to it."""
from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_ACTION_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_UNDERSTOOD = 3
EXIT_MISSING = 4
EXIT_NOT_ENTITLED = 5


class IntentError(Exception):
    """Base class: `kind` goes into JSON output, `exit_code` is the process exit status."""

    kind = "error"
    exit_code = EXIT_ACTION_FAILED

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        return {"error": {"kind": self.kind, "message": self.message, **self.extra}}


class UsageError(IntentError):
    kind = "usage"
    exit_code = EXIT_USAGE


class BadParameters(IntentError):
    """A parameter failed validation; `param` names the slot."""

    kind = "bad_parameters"
    exit_code = EXIT_USAGE


class UnknownAction(IntentError):
    kind = "unknown_action"
    exit_code = EXIT_USAGE


class NotUnderstood(IntentError):
    kind = "not_understood"
    exit_code = EXIT_NOT_UNDERSTOOD


class MissingParameters(IntentError):
    kind = "missing_parameters"
    exit_code = EXIT_MISSING


class NotEntitled(IntentError):
    """Raised by the entitlement gate; kind is not_entitled, quota_exceeded or expired."""

    exit_code = EXIT_NOT_ENTITLED

    def __init__(self, message: str, kind: str = "not_entitled", **extra: Any) -> None:
        super().__init__(message, **extra)
        self.kind = kind

    @classmethod
    def from_decision(cls, decision, feature: str, reason: str | None = None) -> "NotEntitled":
        """The refusal for a gate's Decision that does not allow `feature`, naming the plan that would."""
        return cls(decision.reason or reason or f"your plan does not include {feature}",
                   kind=decision.kind if decision.kind != "ok" else "not_entitled", feature=feature,
                   upgrade=decision.upgrade.model_dump() if decision.upgrade else None)


class ActionFailed(IntentError):
    kind = "action_failed"
    exit_code = EXIT_ACTION_FAILED


class ActionTimeout(ActionFailed):
    kind = "timeout"


class NonFiniteResult(ActionFailed):
    """An action returned inf or NaN: never shown as an answer (`field` names where)."""

    kind = "non_finite_result"


class PackBroken(IntentError):
    kind = "pack_broken"
    exit_code = EXIT_ACTION_FAILED
