"""The fleet store's schema: migrations applied in order, each recorded in `_migrations` (as in SQLite).

A later release appends a migration and never edits one. Terminals apply missing migrations when they
connect, one at a time (a transaction-level advisory lock). A role that may not create tables gets a
clear error naming the fix (`intent admin migrate` as the database owner); a schema newer than this
terminal knows is refused (upgrade the terminal) rather than written with old assumptions.

Every row is scoped: `account` is the licence subject (what a quota or a pool belongs to), `machine`
the terminal's id. No request text is stored anywhere: feature keys, counts, times, ids.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("m001_fleet", """
CREATE TABLE IF NOT EXISTS subscriptions (
    account text PRIMARY KEY, licence text NOT NULL, plan text NOT NULL, status text NOT NULL,
    seats integer, pooled jsonb NOT NULL DEFAULT '[]', expires_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS licences (
    machine text NOT NULL, jti text NOT NULL, kind text NOT NULL, token text NOT NULL,
    subject text NOT NULL, plan text NOT NULL, activated_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL, PRIMARY KEY (machine, jti));
CREATE TABLE IF NOT EXISTS seats (
    account text NOT NULL, machine text NOT NULL, licence text NOT NULL, host text NOT NULL,
    taken_at timestamptz NOT NULL, seen_at timestamptz NOT NULL, PRIMARY KEY (account, machine));
CREATE TABLE IF NOT EXISTS usage (
    id bigserial PRIMARY KEY, machine text NOT NULL, idempotency_key text NOT NULL,
    account text NOT NULL, feature text NOT NULL, qty integer NOT NULL, period text NOT NULL,
    source text NOT NULL, at timestamptz NOT NULL, UNIQUE (machine, idempotency_key));
CREATE INDEX IF NOT EXISTS usage_at ON usage (at);
CREATE INDEX IF NOT EXISTS usage_share ON usage (account, feature, period, machine);
CREATE TABLE IF NOT EXISTS counters (
    account text NOT NULL, feature text NOT NULL, period text NOT NULL, used integer NOT NULL DEFAULT 0,
    PRIMARY KEY (account, feature, period));
CREATE TABLE IF NOT EXISTS meta (
    machine text NOT NULL, key text NOT NULL, value text NOT NULL, PRIMARY KEY (machine, key));
CREATE TABLE IF NOT EXISTS audit (
    id bigserial PRIMARY KEY, at timestamptz NOT NULL, machine text NOT NULL, account text NOT NULL,
    kind text NOT NULL, detail jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS audit_kind ON audit (kind);
"""),
]
LOCK_KEY = 0x1A7E_57F1  # pg_advisory_xact_lock key: one migrating terminal at a time


def latest() -> str:
    return MIGRATIONS[-1][0]


def names() -> list[str]:
    return [name for name, _ in MIGRATIONS]


def applied(conn) -> list[str] | None:
    """Names recorded on the server, or None when there is no _migrations table yet."""
    row = conn.execute("SELECT to_regclass('_migrations')").fetchone()
    if row[0] is None:
        return None
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]


def apply(conn) -> list[str]:
    """Apply what the server lacks (the caller's connection is in autocommit). Returns names applied."""
    done_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name text PRIMARY KEY, applied_at timestamptz "
                     "NOT NULL DEFAULT now())")
        done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            conn.execute(sql)
            conn.execute("INSERT INTO _migrations (name) VALUES (%s)", [name])
            done_now.append(name)
    return done_now
