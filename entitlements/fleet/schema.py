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
    # One metered use in one statement (the gate's `_consume_fast`): the hot path's four round trips
    # become one, and the counter's row lock is taken by the statement's last write, so it is held only
    # for the audit insert and the commit. Returns ('ok', used after, stored head) or, writing nothing,
    # ('behind' | 'clock' | 'already', NULL, stored head); over the limit it raises SQLSTATE IT001, which
    # rolls back the usage row and meta written before it. The caller then runs the full transaction,
    # which says why. Meta is this machine's: only this home's processes write it, one at a time.
    ("m002_consume_one", """
CREATE OR REPLACE FUNCTION intent_consume(
    p_machine text, p_account text, p_key text, p_feature text, p_period text, p_qty integer,
    p_limit integer, p_at timestamptz, p_kind text, p_head text, p_line text, p_high text, p_floor text)
RETURNS TABLE (status text, used integer, stored_head text)
LANGUAGE plpgsql AS $fn$
DECLARE
    v_head text;
    v_high text;
    v_used integer;
BEGIN
    SELECT max(m.value) FILTER (WHERE m.key = 'usage_record_head'),
           max(m.value) FILTER (WHERE m.key = 'clock_high_water')
      INTO v_head, v_high
      FROM meta m WHERE m.machine = p_machine AND m.key IN ('usage_record_head', 'clock_high_water');
    IF v_head ~ '^[0-9]+:' AND split_part(v_head, ':', 1)::bigint >= split_part(p_head, ':', 1)::bigint THEN
        RETURN QUERY SELECT 'behind'::text, NULL::integer, v_head;  -- this home's record lacks a line
        RETURN;
    END IF;
    IF v_high > p_floor THEN
        RETURN QUERY SELECT 'clock'::text, NULL::integer, v_head;  -- the clock is behind a time seen
        RETURN;
    END IF;
    IF p_limit IS NOT NULL AND p_qty > p_limit THEN
        RAISE EXCEPTION 'over the limit' USING ERRCODE = 'IT001';
    END IF;
    INSERT INTO usage (machine, idempotency_key, account, feature, qty, period, source, at)
        VALUES (p_machine, p_key, p_account, p_feature, p_qty, p_period, 'gate', p_at)
        ON CONFLICT (machine, idempotency_key) DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'already'::text, NULL::integer, v_head;
        RETURN;
    END IF;
    -- The latest time seen moves on only when it moved by a minute: it guards against a clock set back
    -- by more than ROLLBACK_TOLERANCE (minutes), and each row written is work under this statement.
    IF v_high IS NULL OR v_high < to_char((p_at - interval '1 minute') AT TIME ZONE 'UTC',
                                          'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') THEN
        INSERT INTO meta AS m (machine, key, value) VALUES (p_machine, 'clock_high_water', p_high)
            ON CONFLICT (machine, key) DO UPDATE SET value = greatest(m.value, excluded.value);
    END IF;
    INSERT INTO meta AS m (machine, key, value) VALUES
        (p_machine, 'usage_record_head', p_head), (p_machine, 'usage_record_pending', p_line)
        ON CONFLICT (machine, key) DO UPDATE SET value = excluded.value;
    INSERT INTO counters AS c (account, feature, period, used) VALUES (p_account, p_feature, p_period, p_qty)
        ON CONFLICT (account, feature, period) DO UPDATE SET used = c.used + excluded.used
        WHERE p_limit IS NULL OR c.used + excluded.used <= p_limit
        RETURNING c.used INTO v_used;
    IF v_used IS NULL THEN
        RAISE EXCEPTION 'over the limit' USING ERRCODE = 'IT001';
    END IF;
    INSERT INTO audit (at, machine, account, kind, detail) VALUES (p_at, p_machine, p_account, p_kind,
        jsonb_build_object('feature', p_feature, 'qty', p_qty, 'key', p_key, 'used', v_used, 'limit', p_limit));
    RETURN QUERY SELECT 'ok'::text, v_used, v_head;
END
$fn$;
"""),
]
OVER_LIMIT = "IT001"  # intent_consume's SQLSTATE for "no room in the period's quota"
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
