"""A licence bound to its fleet store (store_host + store_ca): it applies only through a TLS connection
(verify-full) to that host whose certificate the licence's CA signed. An owner who points the terminal
at a PostgreSQL of their own (where seats and pools would go uncounted) gets the free plan, with why."""
from __future__ import annotations

import pytest

from entitlements.errors import StoreError
from tests.fleet.helpers import activate, fleet_licence, new_home
from tests.pgserver import PgServer, unavailable_reason


@pytest.fixture(scope="module")
def servers():
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    fleet, own = PgServer(tls=True), PgServer(tls=True)  # the firm's server, and the owner's own
    try:
        for server in (fleet, own):
            server.init()
            server.start()
            server.sql("CREATE ROLE terminal LOGIN PASSWORD 'pw'")
            server.sql('CREATE DATABASE "intent" OWNER terminal')
        yield fleet, own
    finally:
        fleet.cleanup()
        own.cleanup()


def _gate(home):
    from entitlements import open_gate

    return open_gate(home)


def test_a_bound_licence_works_against_its_store_and_not_against_the_owners(servers, tmp_path, monkeypatch):
    fleet, own = servers
    token = fleet_licence(tmp_path, monkeypatch, seats=2, store_host="localhost", store_ca=fleet.ca.read_text())
    a, b = new_home(tmp_path, "a"), new_home(tmp_path, "b")
    # The firm's server: the URL carries no ssl settings; the licence's CA and verify-full are applied.
    monkeypatch.setenv("INTENT_STORE_URL", fleet.tcp_url("intent", "terminal", "pw"))
    activate(a, token)
    ga = _gate(a)
    try:
        assert ga.state().plan == "pro", ga.state().problem
        assert ga.consume("legal.draft_nda", 1, "a0").allowed
        tls = ga.ledger._connect().pgconn.ssl_in_use
        assert tls
    finally:
        ga.close()
    # The owner's own server on the same host name, with a certificate of its own CA: nothing applies.
    monkeypatch.setenv("INTENT_STORE_URL", own.tcp_url("intent", "terminal", "pw"))
    with pytest.raises(StoreError) as err:
        activate(b, token)
    assert "did not prove" in err.value.message
    assert not (b / "licences" / "licence.token").exists()  # refused before anything was kept
    # A terminal that holds the licence, moved to the owner's server: the licence stops applying there.
    ga = _gate(a)
    try:
        state = ga.state()
        assert state.plan == "free" and "did not prove" in (state.problem or ""), state.problem
        assert not ga.check("pack.legal").allowed
    finally:
        ga.close()
    # Nor does a URL naming another host (even the right server's address): the licence names its host.
    monkeypatch.setenv("INTENT_STORE_URL", fleet.tcp_url("intent", "terminal", "pw", host="127.0.0.1"))
    ga = _gate(a)
    try:
        state = ga.state()
        assert state.plan == "free" and "names 127.0.0.1" in (state.problem or ""), state.problem
    finally:
        ga.close()
    assert fleet.sql("SELECT count(*) FROM seats", db="intent")[0][0] == 1  # only a's
    assert own.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'seats'", db="intent")[0][0] == 0 or \
        own.sql("SELECT count(*) FROM seats", db="intent")[0][0] == 0  # nothing counted on the owner's


def test_issue_binds_a_licence_only_with_host_and_a_ca(tmp_path, cli):
    from entitlements.keys import keygen

    keygen(tmp_path / "k")
    r = cli("admin", "issue", "--key", str(tmp_path / "k" / "private.pem"), "--plan", "pro", "--days", "30",
            "--store-host", "db.example.com", "--out", str(tmp_path / "x.licence"))
    assert r.code == 2 and "--store-ca" in r.err
    (tmp_path / "bad.pem").write_text("not a certificate")
    r = cli("admin", "issue", "--key", str(tmp_path / "k" / "private.pem"), "--plan", "pro", "--days", "30",
            "--store-host", "db.example.com", "--store-ca", str(tmp_path / "bad.pem"), "--out", str(tmp_path / "x.licence"))
    assert r.code == 2 and "PEM" in r.err
