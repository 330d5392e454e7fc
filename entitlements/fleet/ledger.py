"""`PgLedger`: the gate's `Ledger` on the fleet's PostgreSQL. The same methods as `SqliteLedger`, the
same callers (gate.py, wallet.py); only the SQL and the connection handling live here.

Exactness under concurrency: a consumption's transaction locks the counter row of each
(account, feature, period) it reads (`INSERT ... ON CONFLICT DO NOTHING` then `SELECT ... FOR UPDATE`),
so two terminals checking the last use of a quota are serialised by the server and never both pass.
The usage row, the counter update and the audit line commit together or not at all: a terminal killed
mid-action leaves either nothing or a reservation its home refunds on restart (see gate._recover).

Faults fail closed and never hang: connect_timeout and statement_timeout bound every call; after a
failure the ledger reports `problem()` (metered and seat-checked features refuse, free ones run) and
tries again on its own after RETRY_S.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from entitlements.errors import LicenceRefused, StoreError
from entitlements.fleet import schema
from entitlements.fleet.config import display_url
from entitlements.fleet.machine import machine_id
from entitlements.ledger import HIGH_WATER, _parse_time

CONNECT_TIMEOUT_S = 3  # libpq's connect_timeout (whole seconds; 2 is its minimum)
STATEMENT_TIMEOUT_MS = 5000  # a slow server: the statement is cancelled, the action refused
RETRY_S = 1.0  # after a failure, how long problem() keeps reporting it before trying again
FIX = "see the README, 'Running a fleet'"
CONSUME_NAME = b"intent_consume_v1"
CONSUME_SQL = ("SELECT status, used, stored_head FROM intent_consume($1::text, $2::text, $3::text, $4::text, "
               "$5::text, $6::integer, $7::integer, $8::timestamptz, $9::text, $10::text, $11::text, $12::text, "
               "$13::text)")


class StoreUnavailable(StoreError):
    kind = "store_unavailable"


class StoreSchema(StoreError):
    kind = "store_schema"


def _install_hint() -> StoreError:
    return StoreError("INTENT_STORE_URL names a PostgreSQL store, but psycopg is not installed: "
                      "pip install 'intent-terminal[postgres]'", fix="pip install 'intent-terminal[postgres]'")


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


class PgTx:
    """One transaction of one terminal (machine), counting for one account (the licence subject)."""

    def __init__(self, ledger: "PgLedger", conn) -> None:
        self.ledger, self.conn = ledger, conn
        self.machine, self.account = ledger.machine, ledger.account
        # Round trips are the cost on a shared server: counters locked in this transaction and this
        # machine's meta are read once; writes nobody reads back are queued and sent in one pipeline
        # just before COMMIT (flush()).
        self._locked: dict[tuple[str, str], int] = {}
        self._meta: dict[str, str] | None = None
        self._writes: list[tuple[str, list]] = []

    def _one(self, sql: str, params) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _write(self, sql: str, params: list) -> None:
        self._writes.append((sql, params))

    def flush(self) -> None:
        if not self._writes:
            return
        writes, self._writes = self._writes, []
        for sql, params in writes:
            self.conn.execute(sql, params)  # queued in the transaction's pipeline: sent with what follows

    def used(self, feature: str, period: str) -> int:
        """The count, with its row locked until COMMIT: the lock is what serialises racing terminals.
        One statement: an upsert that changes nothing still takes the row lock and returns the value."""
        key = (feature, period)
        if key not in self._locked:
            self.flush()
            self._locked[key] = int(self._one(
                "INSERT INTO counters AS c (account, feature, period, used) VALUES (%s, %s, %s, 0) "
                "ON CONFLICT (account, feature, period) DO UPDATE SET used = c.used RETURNING c.used",
                [self.account, feature, period]))
        return self._locked[key]

    def has_key(self, key: str) -> bool:
        self.flush()
        return self._one("SELECT 1 FROM usage WHERE machine = %s AND idempotency_key = %s",
                         [self.machine, key]) is not None

    def uses_of(self, key: str) -> list[tuple[str, str, int]]:
        self.flush()
        rows = self.conn.execute(
            "SELECT feature, period, qty FROM usage WHERE machine = %s AND qty > 0 AND "
            "(idempotency_key = %s OR left(idempotency_key, %s) = %s) ORDER BY id",
            [self.machine, key, len(key) + 1, key + "#"]).fetchall()
        return [(f, p, int(q)) for f, p, q in rows]

    def record_use(self, key: str, feature: str, parts: list[tuple[str, int]], now: datetime,
                   source: str = "gate") -> None:
        for n, (period, amount) in enumerate(parts):
            self._write(
                "INSERT INTO usage (machine, idempotency_key, account, feature, qty, period, source, at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [self.machine, key if n == 0 else f"{key}#{n}", self.account, feature, amount, period, source,
                 _utc(now)])
            self._write(
                "INSERT INTO counters (account, feature, period, used) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (account, feature, period) DO UPDATE SET used = counters.used + excluded.used",
                [self.account, feature, period, amount])
            if (feature, period) in self._locked:
                self._locked[(feature, period)] += amount

    def refund(self, key: str, now: datetime) -> list[tuple[str, str, int]]:
        self.flush()
        self._locked.clear()
        refund_key = f"{key}!refund"
        if self.has_key(refund_key):
            return []
        # Given back to the account the use was counted for (whatever the gate is bound to right now).
        rows = self.conn.execute(
            "SELECT feature, period, qty, account FROM usage WHERE machine = %s AND qty > 0 AND "
            "(idempotency_key = %s OR left(idempotency_key, %s) = %s) ORDER BY id",
            [self.machine, key, len(key) + 1, key + "#"]).fetchall()
        for n, (feature, period, qty, account) in enumerate(rows):
            self.conn.execute(
                "INSERT INTO usage (machine, idempotency_key, account, feature, qty, period, source, at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [self.machine, refund_key if n == 0 else f"{refund_key}#{n}", account, feature, -qty,
                 period, "refund", _utc(now)])
            self.conn.execute("UPDATE counters SET used = greatest(used - %s, 0) WHERE account = %s AND "
                              "feature = %s AND period = %s", [qty, account, feature, period])
        return [(f, p, int(q)) for f, p, q, _ in rows]

    def high_water(self) -> datetime | None:
        return _parse_time(self.get_meta(HIGH_WATER))

    def raise_high_water(self, now: datetime) -> None:
        at = _utc(now).isoformat(timespec="microseconds")
        meta = self._all_meta()
        if meta.get(HIGH_WATER, "") >= at:
            return
        meta[HIGH_WATER] = at
        self._write("INSERT INTO meta (machine, key, value) VALUES (%s, %s, %s) ON CONFLICT (machine, key) "
                          "DO UPDATE SET value = greatest(meta.value, excluded.value)", [self.machine, HIGH_WATER, at])

    def _all_meta(self) -> dict[str, str]:
        if self._meta is None:
            self._meta = dict(self.conn.execute("SELECT key, value FROM meta WHERE machine = %s",
                                                [self.machine]).fetchall())
        return self._meta

    def get_meta(self, key: str) -> str | None:
        return self._all_meta().get(key)

    def set_meta(self, key: str, value: str) -> None:
        self._all_meta()[key] = value
        self._write("INSERT INTO meta (machine, key, value) VALUES (%s, %s, %s) ON CONFLICT (machine, key) "
                          "DO UPDATE SET value = excluded.value", [self.machine, key, value])

    def audit(self, kind: str, detail: dict[str, Any], now: datetime) -> None:
        from entitlements.audit import MAX_DETAIL

        text = json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True)
        if len(text) > MAX_DETAIL:
            text = json.dumps({"truncated": text[:MAX_DETAIL]})
        self._write("INSERT INTO audit (at, machine, account, kind, detail) VALUES (%s, %s, %s, %s, %s)",
                          [_utc(now), self.machine, self.account, kind, text])

    def record_licence(self, claims, token: str, now: datetime) -> None:
        plan = getattr(claims, "plan", None) or getattr(claims, "feature", "")
        self.conn.execute(
            "INSERT INTO licences (machine, jti, kind, token, subject, plan, activated_at, expires_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (machine, jti) DO UPDATE SET "
            "activated_at = excluded.activated_at",
            [self.machine, claims.jti, claims.typ, token, claims.sub, plan, _utc(now), claims.exp])
        if claims.typ == "licence":
            self.conn.execute(
                "INSERT INTO subscriptions (account, licence, plan, status, seats, pooled, expires_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (account) DO UPDATE SET "
                "licence = excluded.licence, plan = excluded.plan, status = excluded.status, seats = excluded.seats, "
                "pooled = excluded.pooled, expires_at = excluded.expires_at, updated_at = excluded.updated_at "
                "WHERE subscriptions.expires_at <= excluded.expires_at",
                [claims.sub, claims.jti, claims.plan, claims.status, getattr(claims, "seats", None),
                 json.dumps(sorted(getattr(claims, "pooled", []) or [])), claims.exp, _utc(now)])

    # ---- seats -----------------------------------------------------------------------------------
    def take_seat(self, claims, now: datetime) -> None:
        """Hold one of the licence's seats for this machine, or refuse naming the seats in use."""
        account, seats = claims.sub, claims.seats
        self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ["seats:" + account])
        rows = self.conn.execute("SELECT machine, host, taken_at FROM seats WHERE account = %s ORDER BY taken_at",
                                 [account]).fetchall()
        if any(m == self.machine for m, _, _ in rows):
            self.conn.execute("UPDATE seats SET licence = %s, seen_at = %s WHERE account = %s AND machine = %s",
                              [claims.jti, _utc(now), account, self.machine])
            return
        if seats is not None and len(rows) >= seats:
            used = "; ".join(f"{h} (machine {m[:8]}, since {t:%Y-%m-%d})" for m, h, t in rows)
            raise LicenceRefused(
                f"all {seats} seat{'s' if seats != 1 else ''} of the {claims.plan} licence for {account} are in use: "
                f"{used}. Free one with `intent license release` on that terminal (or ask your administrator: "
                f"`intent admin seats`)", reason="seats_full", seats=seats,
                in_use=[{"machine": m, "host": h, "taken_at": t.isoformat()} for m, h, t in rows])
        self.conn.execute("INSERT INTO seats (account, machine, licence, host, taken_at, seen_at) "
                          "VALUES (%s, %s, %s, %s, %s, %s)",
                          [account, self.machine, claims.jti, socket.gethostname()[:200], _utc(now), _utc(now)])

    def release_seat(self, account: str) -> bool:
        return self.conn.execute("DELETE FROM seats WHERE account = %s AND machine = %s RETURNING 1",
                                 [account, self.machine]).fetchone() is not None


class PgLedger:
    """The fleet's ledger. One connection per process (shared by its threads under a lock)."""

    authoritative = True  # the server, not this home's usage record, is what shared counts come from

    def __init__(self, url: str, home: Path) -> None:
        self.url, self.home = url, Path(home)
        self.where = display_url(url)
        self.machine = machine_id(self.home)
        self.account = ""  # the licence subject the gate counts for (bind())
        self._lock = threading.RLock()
        self._conn = None
        self._error: StoreError | None = None
        self._failed_at = 0.0
        self._pinged = 0.0
        self._prepared = None  # the connection intent_consume is prepared on
        self._pin: tuple[str, str] | None = None  # (host, CA PEM) a bound licence names (see `pin`)

    def bind(self, account: str | None) -> None:
        self.account = account or ""

    def pin(self, claims) -> None:
        """Connect only as the licence says (its store_host and store_ca; None for an unbound licence).
        A change drops the connection: the next call reconnects with TLS verify-full against the
        licence's CA, to that host only, whatever the URL's own ssl settings say."""
        host, ca = getattr(claims, "store_host", None), getattr(claims, "store_ca", None)
        pin = (host, ca) if host and ca else None
        with self._lock:
            if pin == self._pin:
                return
            self._pin = pin
            self._error = None
            self.close()

    @property
    def pinned_host(self) -> str | None:
        return self._pin[0] if self._pin else None

    def _pinned_options(self) -> dict[str, str]:
        """libpq options that hold a connection to the licence's store (empty when not bound)."""
        if self._pin is None:
            return {}
        from psycopg.conninfo import conninfo_to_dict

        host, ca = self._pin
        try:
            named = str(conninfo_to_dict(self.url).get("host") or "")
        except Exception:  # noqa: BLE001 - a URL libpq cannot read is refused below like any other
            named = ""
        if named != host:
            raise StoreError(
                f"this terminal's licence is bound to the fleet store at {host}, but INTENT_STORE_URL (or url in "
                f"[store] of config.toml) names {named or 'no host'}; point it at {host}", where=self.where,
                fix=f"INTENT_STORE_URL=postgresql://USER@{host}/DB")
        return {"sslmode": "verify-full", "sslrootcert": self._ca_file(ca)}

    def _ca_file(self, pem: str) -> str:
        """The licence's CA as a file libpq can read (in this home's licences/, rewritten if changed)."""
        import hashlib

        from intents.safe_files import private_dir, write_atomic

        folder = private_dir(self.home / "licences")
        path = folder / f"store-ca-{hashlib.sha256(pem.encode()).hexdigest()[:16]}.pem"
        try:
            same = path.read_text(encoding="ascii") == pem
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            write_atomic(path, pem, encoding="ascii")
        return str(path)

    # ---- connection --------------------------------------------------------------------------------
    def _connect(self):
        if self._conn is not None and not self._conn.closed and not self._conn.broken \
                and self._conn.pgconn.status == 0:  # CONNECTION_OK (also after libpq calls psycopg never saw)
            return self._conn
        if self._error is not None and time.monotonic() - self._failed_at < RETRY_S:
            raise self._error
        try:
            import psycopg
        except ImportError:
            raise _install_hint() from None
        try:
            pinned = self._pinned_options()
        except (StoreError, OSError) as err:
            raise self._fail(err if isinstance(err, StoreError) else StoreError(str(err))) from None
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                   application_name="intent-terminal",
                                   options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}", **pinned)
        except psycopg.Error as exc:
            raise self._fail(self._translate(exc)) from None
        try:
            self._check_schema(conn)
        except StoreError as err:
            conn.close()
            raise self._fail(err) from None
        except psycopg.Error as exc:
            conn.close()
            raise self._fail(self._translate(exc)) from None
        self._conn, self._error = conn, None
        return conn

    def _check_schema(self, conn) -> None:
        import psycopg

        have = schema.applied(conn)
        known = schema.names()
        if have is not None and set(have) - set(known):
            raise StoreSchema(
                f"the fleet store {self.where} has a newer schema ({max(have)}) than this terminal knows "
                f"({schema.latest()}); upgrade intent-terminal on this machine", where=self.where)
        if have is not None and schema.latest() in have:
            return
        try:
            schema.apply(conn)
        except psycopg.errors.InsufficientPrivilege:
            at = max(have) if have else "none"
            raise StoreSchema(
                f"the fleet store {self.where} has an old schema (at {at}; this terminal needs {schema.latest()}) "
                f"and this role may not upgrade it: run `intent admin migrate` once with the database owner's "
                f"URL (INTENT_STORE_URL=postgresql://OWNER@HOST/DB intent admin migrate); {FIX}",
                where=self.where, fix="intent admin migrate") from None

    def _fail(self, err: StoreError) -> StoreError:
        self._error, self._failed_at = err, time.monotonic()
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - it is already gone
                pass
        self._conn = None
        return err

    def _translate(self, exc) -> StoreError:
        import psycopg

        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        low = str(exc).lower()
        if "password authentication failed" in low or ("role" in low and "does not exist" in low) \
                or "no password supplied" in low or "pg_hba.conf" in low:
            return StoreError(
                f"the fleet store {self.where} refused this terminal's credentials ({text}): fix the user and "
                f"password in INTENT_STORE_URL (or url in [store] of config.toml), or ask the administrator to "
                f"create the role; {FIX}", kind_detail="credentials", where=self.where)
        if "database" in low and "does not exist" in low:
            return StoreError(f"the fleet store {self.where}: {text}; create it (createdb -O ROLE DBNAME); {FIX}",
                              where=self.where)
        if self._pin is not None and ("certificate" in low or "ssl" in low or "server does not support" in low):
            return StoreUnavailable(
                f"the server at {self.where} did not prove it is the fleet store this terminal's licence is bound "
                f"to ({self._pin[0]}, with a certificate signed by the licence's CA): {text}; the licence's "
                f"features are not applied until it does", where=self.where, kind_detail="store_identity")
        if isinstance(exc, psycopg.errors.QueryCanceled):
            return StoreUnavailable(
                f"the fleet store {self.where} did not answer within {STATEMENT_TIMEOUT_MS / 1000:g} s; metered and "
                f"seat-checked actions are refused until it does (free actions keep working)", where=self.where)
        if isinstance(exc, psycopg.errors.UndefinedTable):
            return StoreSchema(f"the fleet store {self.where} lacks a table ({text}); run `intent admin migrate` "
                               f"with the database owner's URL; {FIX}", where=self.where)
        return StoreUnavailable(
            f"the fleet store {self.where} cannot be reached ({text}); metered and seat-checked actions are "
            f"refused until it is back (free actions keep working, and this terminal reconnects by itself)",
            where=self.where)

    # ---- the Ledger interface ------------------------------------------------------------------------
    @contextmanager
    def transaction(self, blocking: bool = True) -> Iterator[PgTx]:
        import psycopg

        with self._lock:
            conn = self._connect()
            try:
                # In a pipeline, BEGIN travels with the first query and the queued writes with COMMIT:
                # a consumption costs four round trips (meta, retry check, counter lock, writes+COMMIT).
                with conn.pipeline(), conn.transaction():
                    if not blocking:
                        conn.execute("SET LOCAL lock_timeout = 50")
                    tx = PgTx(self, conn)
                    yield tx
                    tx.flush()
            except psycopg.Error as exc:
                err = self._translate(exc)
                if conn.broken or isinstance(err, StoreUnavailable):
                    self._fail(err)
                raise err from None

    def _read(self, sql: str, params) -> list[tuple]:
        import psycopg

        with self._lock:
            conn = self._connect()
            try:
                return conn.execute(sql, params).fetchall()
            except psycopg.Error as exc:
                raise self._fail(self._translate(exc)) from None

    def problem(self) -> StoreError | None:
        try:
            self._connect()
        except StoreError as err:
            return err
        return None

    def alive(self, every_s: float = 2.0) -> bool:
        """Whether the server answers (a ping at most every `every_s`): the gate re-derives when this flips."""
        now = time.monotonic()
        if self._conn is not None and now - self._pinged < every_s:
            return True
        self._pinged = now
        try:
            self._read("SELECT 1", [])
            return True
        except StoreError:
            return False

    def consume_one(self, *, key: str, feature: str, period: str, qty: int, limit: int | None, now: datetime,
                    kind: str, head: str, line: str, floor: datetime) -> tuple[str, int | None, str | None]:
        """One metered use in one round trip (schema m002's intent_consume): (status, used after, the
        record head the server had). Status 'ok' means counted and committed; anything else means
        nothing was written.

        The hot path of a fleet, so it skips psycopg's cursor layer: a statement prepared once per
        connection, run with libpq's exec_prepared on the kept connection (psycopg's documented `pgconn`;
        text parameters, one round trip). Errors become psycopg's exceptions and then the same
        StoreErrors as everywhere else; statement_timeout bounds it like any other statement."""
        import psycopg
        from psycopg import pq

        at = _utc(now).isoformat(timespec="microseconds")
        params = [self.machine, self.account, key, feature, period, str(qty),
                  None if limit is None else str(limit), at, kind, head, line, at,
                  _utc(floor).isoformat(timespec="microseconds")]
        args = [None if p is None else p.encode() for p in params]
        with self._lock:
            conn = self._connect()
            pgconn = conn.pgconn
            try:
                if self._prepared is not conn:
                    self._check(pgconn.prepare(CONSUME_NAME, CONSUME_SQL.encode(), None))
                    self._prepared = conn
                res = self._check(pgconn.exec_prepared(CONSUME_NAME, args))
                status, used, stored = (res.get_value(0, 0), res.get_value(0, 1), res.get_value(0, 2))
            except psycopg.Error as exc:
                if getattr(exc, "sqlstate", None) == schema.OVER_LIMIT:
                    return "over", None, None
                err = self._translate(exc)
                if pgconn.status != pq.ConnStatus.OK or isinstance(err, StoreUnavailable):
                    self._fail(err)
                raise err from None
        return status.decode(), None if used is None else int(used), None if stored is None else stored.decode()

    @staticmethod
    def _check(res):
        import psycopg
        from psycopg import pq

        if res.status in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
            return res
        if res.status == pq.ExecStatus.FATAL_ERROR:
            raise psycopg.errors.error_from_result(res, encoding="utf-8")
        raise psycopg.OperationalError(f"unexpected result from the fleet store ({res.status!r})")

    def used(self, feature: str, period: str) -> int:
        rows = self._read("SELECT used FROM counters WHERE account = %s AND feature = %s AND period = %s",
                          [self.account, feature, period])
        return int(rows[0][0]) if rows else 0

    def used_here(self, feature: str, period: str) -> int:
        """This terminal's share of a count (its own uses, net of refunds)."""
        rows = self._read("SELECT coalesce(sum(qty), 0) FROM usage WHERE account = %s AND feature = %s AND "
                          "period = %s AND machine = %s", [self.account, feature, period, self.machine])
        return int(rows[0][0])

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE machine = %s AND key = %s", [self.machine, key])
        return rows[0][0] if rows else None

    def high_water(self) -> datetime | None:
        try:
            return _parse_time(self.get_meta(HIGH_WATER))
        except StoreError:
            return None

    def licence_history(self) -> list[tuple[str, str, str]]:
        try:
            return [tuple(r) for r in self._read(
                "SELECT jti, subject, token FROM licences WHERE machine = %s AND kind = 'licence' "
                "ORDER BY activated_at DESC", [self.machine])]
        except StoreError:
            return []

    def seat_held(self, account: str) -> bool:
        """Whether this machine holds a seat of `account`; marks it seen (written at most once an hour,
        in the same round trip) so an administrator can tell a seat in use from one left behind."""
        now = datetime.now(timezone.utc)
        rows = self._read(
            "WITH touched AS (UPDATE seats SET seen_at = %(now)s WHERE account = %(a)s AND machine = %(m)s "
            "AND seen_at < %(now)s - interval '1 hour' RETURNING 1) "
            "SELECT EXISTS (SELECT 1 FROM touched) OR EXISTS (SELECT 1 FROM seats WHERE account = %(a)s AND "
            "machine = %(m)s)", {"now": now, "a": account, "m": self.machine})
        return bool(rows and rows[0][0])

    def revoke_seats(self, *, machine: str | None = None, unseen_days: float | None = None,
                     account: str | None = None, now: datetime | None = None) -> list[dict[str, Any]]:
        """An administrator frees seats: one machine's (a prefix of its id, as `intent admin seats` shows
        it, if that names one machine), or every seat not seen for `unseen_days`. The terminal that
        held one loses the licence's features at its next check (it may take a seat again if one is
        free). Returns the seats freed; each is audited as seat.revoked."""
        import psycopg

        now = now or datetime.now(timezone.utc)
        where, params = [], {}
        if machine:
            where.append("left(machine, %(n)s) = %(m)s")
            params.update(n=len(machine), m=machine)
        if unseen_days is not None:
            where.append("seen_at < %(cut)s")
            params["cut"] = now - timedelta(days=unseen_days)
        if account:
            where.append("account = %(a)s")
            params["a"] = account
        if not where:
            raise ValueError("name a machine or a number of days")
        with self._lock:
            conn = self._connect()
            try:
                with conn.transaction():
                    rows = conn.execute("SELECT account, machine, host, seen_at FROM seats WHERE "
                                        + " AND ".join(where) + " ORDER BY account, machine FOR UPDATE",
                                        params).fetchall()
                    if machine and len({m for _, m, _, _ in rows}) > 1:
                        raise ValueError(f"machine {machine!r} names {len({m for _, m, _, _ in rows})} machines; "
                                         f"give more of its id (`intent admin seats`); nothing was freed")
                    for a, m, h, seen in rows:
                        conn.execute("DELETE FROM seats WHERE account = %s AND machine = %s", [a, m])
                        conn.execute("INSERT INTO audit (at, machine, account, kind, detail) VALUES (%s, %s, %s, "
                                     "'seat.revoked', %s)", [now, self.machine, a, json.dumps(
                                         {"account": a, "machine": m, "host": h, "seen_at": seen.isoformat(),
                                          "by": self.machine})])
            except psycopg.Error as exc:
                raise self._fail(self._translate(exc)) from None
        return [{"account": a, "machine": m, "host": h, "seen_at": seen.isoformat()} for a, m, h, seen in rows]

    def seats(self, account: str | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT s.account, s.machine, s.host, s.licence, s.taken_at, s.seen_at, sub.seats FROM seats s "
               "LEFT JOIN subscriptions sub ON sub.account = s.account")
        params: list[Any] = []
        if account:
            sql += " WHERE s.account = %s"
            params.append(account)
        rows = self._read(sql + " ORDER BY s.account, s.taken_at", params)
        return [{"account": a, "machine": m, "host": h, "licence": lic, "taken_at": t.isoformat(),
                 "seen_at": s.isoformat(), "seats": n, "this_terminal": m == self.machine}
                for a, m, h, lic, t, s, n in rows]

    def usage_rows(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        sql = "SELECT id, machine, idempotency_key, account, feature, qty, period, source, at FROM usage"
        params: list[Any] = []
        if since is not None:
            sql += " WHERE at >= %s"
            params.append(since)
        for i, m, k, a, f, q, p, s, at in self._read(sql + " ORDER BY id", params):
            yield {"id": i, "machine": m, "key": k, "account": a, "feature": f, "qty": q, "period": p,
                   "source": s, "at": at}

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except Exception:  # noqa: BLE001
                    pass
            self._conn = None
