"""Faults: the server down (fail closed, free actions run, reconnect by itself), a server that never
answers (a timeout, not a hang), wrong credentials and an old schema (a clear error naming the fix)."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from entitlements.errors import StoreError
from tests.fleet.helpers import activate, dbname, fleet_licence, new_home

LOAN = ("finance.loan_payment", "principal=300000", "rate_pct=6.5", "years=30")
NDA = ("legal.draft_nda", "party_a=Acme Inc", "party_b=Beta LLC")


def _gate(home):
    from entitlements import open_gate

    return open_gate(home)


def test_server_down_fails_closed_free_actions_run_and_it_reconnects(store_url, pg, tmp_path, monkeypatch, cli,
                                                                     home):
    token = fleet_licence(tmp_path, monkeypatch, seats=5)
    activate(home, token)
    g = _gate(home)
    assert g.consume("legal.draft_nda", 1, "before").allowed
    env = {"INTENT_STORE_URL": store_url}
    pg.stop()
    try:
        with pytest.raises(StoreError, match="cannot be reached"):
            g.consume("legal.draft_nda", 1, "during")
        t0 = time.monotonic()
        r = cli("do", *NDA, "--json", env=env)  # metered: refused, exit 1 (the store failed), the reason said
        assert r.code in (1, 5), r.out + r.err
        assert "cannot be reached" in r.out + r.err
        r = cli("do", "healthcare.bmi", "weight_kg=70", "height_cm=175", "--json", env=env)  # seat-checked
        assert r.code in (1, 5) and "seat" in r.out + r.err
        r = cli("do", *LOAN, "--json", env=env)  # free: runs
        assert r.code == 0, r.err
        assert time.monotonic() - t0 < 60
        r = cli("plan", "--json", env=env)
        assert r.code == 0 and r.json["store"]["connected"] is False
    finally:
        pg.start()
    time.sleep(2.2)  # past the retry interval and the liveness ping
    d = g.consume("legal.draft_nda", 1, "after")
    assert d.allowed and d.used == 2
    assert g.state().plan == "pro"
    g.close()
    r = cli("do", *NDA, "--json", env=env)
    assert r.code == 0, r.err


@pytest.fixture
def silent_server(tmp_path):
    """A unix socket that accepts connections and never answers (a hung server)."""
    folder = tmp_path / "silent"
    folder.mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / ".s.PGSQL.5432"))
    sock.listen(16)
    held, stop = [], threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield f"postgresql://intent@/fleet?host={folder}&port=5432"
    stop.set()
    t.join(2)
    for c in held:
        c.close()
    sock.close()


def test_a_server_that_never_answers_is_a_timeout_not_a_hang(silent_server, tmp_path, monkeypatch, cli, home):
    monkeypatch.setenv("INTENT_STORE_URL", silent_server)
    token = fleet_licence(tmp_path, monkeypatch)
    from tests.licensing import vendor_key  # noqa: F401 - the trust dir is already set by fleet_licence

    t0 = time.monotonic()
    g = _gate(home)
    problem = g.ledger.problem()
    took = time.monotonic() - t0
    g.close()
    assert problem is not None and "cannot be reached" in problem.message and "timeout" in problem.message
    assert took < 15
    t0 = time.monotonic()
    r = cli("do", *LOAN, "--json")
    assert r.code == 0, r.err
    assert time.monotonic() - t0 < 30
    del token


def test_wrong_credentials_name_the_fix(store_url, pg, home):
    db = dbname(store_url)
    pg.sql("CREATE ROLE clerk LOGIN PASSWORD 'right-one'")
    try:
        bad = pg.url(db, user="clerk", password="wrong-one")
        from entitlements.fleet.ledger import PgLedger

        ledger = PgLedger(bad, home)
        err = ledger.problem()
        assert err is not None and "refused this terminal's credentials" in err.message
        assert "INTENT_STORE_URL" in err.message and "wrong-one" not in err.message
    finally:
        pg.sql("DROP ROLE clerk")


def test_an_old_schema_and_a_role_that_cannot_upgrade_it_names_the_fix(pg, home, cli, monkeypatch):
    pg.sql("CREATE DATABASE fleet_old")
    pg.sql("CREATE ROLE terminal LOGIN PASSWORD 'pw'")
    try:
        pg.sql("CREATE TABLE _migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
               db="fleet_old")
        pg.sql("GRANT SELECT ON _migrations TO terminal", db="fleet_old")
        from entitlements.fleet.ledger import PgLedger

        err = PgLedger(pg.url("fleet_old", user="terminal", password="pw"), home).problem()
        assert err is not None and "old schema" in err.message and "intent admin migrate" in err.message
        # The owner runs the named fix; then the terminal's role works (once granted its tables).
        r = cli("admin", "migrate", "--json", env={"INTENT_STORE_URL": pg.url("fleet_old")})
        assert r.code == 0 and r.json["applied"] == ["m001_fleet", "m002_consume_one"], r.err
        pg.sql("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO terminal; "
               "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO terminal", db="fleet_old")
        assert PgLedger(pg.url("fleet_old", user="terminal", password="pw"), home).problem() is None
    finally:
        pg.sql("DROP DATABASE fleet_old")
        pg.sql("DROP ROLE terminal")


def test_a_bad_store_url_is_refused_clearly_and_free_actions_still_run(cli, home):
    r = cli("do", *LOAN, "--json", env={"INTENT_STORE_URL": "mysql://x@y/z"})
    assert r.code == 0, r.err
    r = cli("plan", "--json", env={"INTENT_STORE_URL": "mysql://x@y/z"})
    assert r.code == 0
    assert any("postgresql://" in w for w in r.json.get("warnings", [])), r.json


def test_store_url_from_config_toml(store_url, pg, monkeypatch, home):
    monkeypatch.delenv("INTENT_STORE_URL")
    (home / "config.toml").write_text(f'[store]\nurl = "{store_url}"\n')
    from entitlements.fleet import store_url as configured

    assert configured() == store_url
    g = _gate(home)
    try:
        assert g.ledger.problem() is None and g.summary()["store"]["connected"]
    finally:
        g.close()
