"""The fleet backend: the entitlement ledger on a shared PostgreSQL (psycopg 3, the `[postgres]` extra).

`store_url()` says whether a fleet store is configured (INTENT_STORE_URL, else `url` in [store] of
config.toml); `ledger_for(home)` returns the `Ledger` the gate counts with: `PgLedger` for a fleet,
`SqliteLedger` otherwise. The gate's logic is the same for both (state.py, decide.py, gate.py); this
package only holds SQL, connection handling, seats and the machine id.

Reading order: config.py -> machine.py -> schema.py -> ledger.py -> export.py.
"""
from __future__ import annotations

from entitlements.fleet.config import display_url, store_url

__all__ = ["display_url", "fleet_ledger", "ledger_for", "store_url"]


class UnusableLedger:
    """A fleet store that cannot even be configured (a bad URL, psycopg missing): every use fails closed
    with the reason, so free actions still run and metered ones refuse saying why."""

    authoritative = True

    def __init__(self, error) -> None:
        self.error, self.account = error, ""

    def bind(self, account) -> None:
        self.account = account or ""

    def problem(self):
        return self.error

    def alive(self, every_s: float = 2.0) -> bool:
        return False

    def transaction(self, blocking: bool = True):
        raise self.error

    def __getattr__(self, name):
        if name in ("used", "used_here", "get_meta", "seat_held", "seats", "usage_rows"):
            def fail(*args, **kwargs):
                raise self.error
            return fail
        raise AttributeError(name)

    def high_water(self):
        return None

    def licence_history(self):
        return []

    def close(self) -> None:
        pass


def fleet_ledger(home):
    """The fleet's ledger when a store URL is configured (or one that says why it cannot be used), else None."""
    from entitlements.errors import StoreError

    try:
        if not store_url():
            return None
    except StoreError as err:
        return UnusableLedger(err)
    return ledger_for(home)


def ledger_for(home, store=None):
    """The ledger for `home`: the fleet's PostgreSQL when a URL is configured, else the local SQLite store.
    Never raises: a fleet store that cannot be used is a ledger that says why (fail closed)."""
    from entitlements.errors import StoreError

    try:
        url = store_url()
        if url:
            try:
                import psycopg  # noqa: F401
            except ImportError:
                from entitlements.fleet.ledger import _install_hint

                raise _install_hint() from None
    except StoreError as err:
        return UnusableLedger(err)
    if url:
        from entitlements.fleet.ledger import PgLedger

        return PgLedger(url, home)
    from entitlements.ledger import SqliteLedger
    from entitlements.store import Store

    return SqliteLedger(store or Store(home))
