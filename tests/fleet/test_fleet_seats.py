"""Seats and pooled quotas on the fleet's store."""
from __future__ import annotations

import pytest

from entitlements.errors import LicenceRefused
from tests.fleet.helpers import activate, fleet_licence, new_home


def _gate(home):
    from entitlements import open_gate

    return open_gate(home)


def test_one_more_terminal_than_seats_is_refused_naming_the_seats_in_use(store_url, tmp_path, monkeypatch, cli):
    token = fleet_licence(tmp_path, monkeypatch, seats=2)
    a, b, c = (new_home(tmp_path, n) for n in "abc")
    activate(a, token)
    activate(b, token)
    activate(b, token)  # activating again on the same terminal keeps its one seat
    with pytest.raises(LicenceRefused) as err:
        activate(c, token)
    assert err.value.reason == "seats_full"
    assert "all 2 seats" in err.value.message and "intent license release" in err.value.message
    assert not (c / "licences" / "licence.token").exists()  # nothing kept on the refused terminal
    # The admin command lists the two seats; the CLI refusal is exit 5.
    r = cli("admin", "seats", "--json", env={"INTENT_HOME": str(a)})
    assert r.code == 0, r.err
    assert len(r.json["seats"]) == 2 and {s["account"] for s in r.json["seats"]} == {"test@example.com"}
    lic = tmp_path / "lic.token"
    lic.write_text(token)
    r = cli("license", "activate", str(lic), "--json", env={"INTENT_HOME": str(c)})
    assert r.code == 5 and "seats" in r.out + r.err
    # b releases its seat: its licence stops applying there, and c can take the seat.
    r = cli("license", "release", "--json", env={"INTENT_HOME": str(b)})
    assert r.code == 0 and r.json["released"] is True, r.err
    gb = _gate(b)
    try:
        assert gb.state().plan == "free" and "holds no seat" in (gb.state().problem or "")
        assert not gb.check("pack.legal").allowed
    finally:
        gb.close()
    activate(c, token)
    gc = _gate(c)
    try:
        assert gc.state().plan == "pro" and gc.check("pack.legal").allowed
    finally:
        gc.close()


def test_pooled_feature_is_shared_across_seats_and_plan_shows_the_share(store_url, tmp_path, monkeypatch, cli):
    token = fleet_licence(tmp_path, monkeypatch, seats=3, pooled=["legal.draft_nda"])
    a, b = new_home(tmp_path, "a"), new_home(tmp_path, "b")
    activate(a, token)
    activate(b, token)
    ga, gb = _gate(a), _gate(b)
    try:
        for i in range(45):
            assert ga.consume("legal.draft_nda", 1, f"a{i}").allowed, i  # more than one seat's 20
        results = [gb.consume("legal.draft_nda", 1, f"b{i}") for i in range(20)]
        assert sum(r.allowed for r in results) == 15  # the pool is 20 x 3 seats = 60
    finally:
        ga.close()
        gb.close()
    r = cli("plan", "--json", env={"INTENT_HOME": str(b)})
    assert r.code == 0, r.err
    nda = [u for u in r.json["usage"] if u["feature"] == "legal.draft_nda"][0]
    assert nda["pool"] == {"seats": 3, "per_seat": 20, "limit": 60}
    assert (nda["used"], nda["limit"], nda["remaining"], nda["this_terminal"]) == (60, 60, 0, 15)
    r = cli("plan", env={"INTENT_HOME": str(b)})
    assert "pool: 20 x 3 seats" in r.out and "this terminal" in r.out


def test_default_pro_quota_stays_per_licence(store_url, tmp_path, monkeypatch):
    token = fleet_licence(tmp_path, monkeypatch, seats=3)  # seats, nothing pooled: 20 for the licence
    a = new_home(tmp_path, "a")
    activate(a, token)
    g = _gate(a)
    try:
        assert sum(g.consume("legal.draft_nda", 1, f"k{i}").allowed for i in range(25)) == 20
        assert g.state().pools == {}
    finally:
        g.close()


def test_issue_refuses_a_pool_without_seats_or_of_a_boolean_feature(tmp_path):
    from entitlements.keys import keygen, load_private
    from entitlements.licence import issue_licence

    keygen(tmp_path / "k")
    key = load_private(tmp_path / "k" / "private.pem")
    with pytest.raises(ValueError, match="--seats"):
        issue_licence(key, "pro", 30, pooled=["legal.draft_nda"])
    with pytest.raises(ValueError, match="pooled"):
        issue_licence(key, "pro", 30, seats=2, pooled=["voice"])


def test_a_licence_with_seats_does_not_apply_on_a_local_store(tmp_path, monkeypatch):
    monkeypatch.delenv("INTENT_STORE_URL", raising=False)
    token = fleet_licence(tmp_path, monkeypatch, seats=2)
    a = new_home(tmp_path, "a")
    activate(a, token)
    g = _gate(a)
    try:
        assert g.state().plan == "free" and "INTENT_STORE_URL" in g.state().problem
        assert not g.check("pack.legal").allowed
    finally:
        g.close()


def test_an_admin_reclaims_a_seat_by_machine_or_when_unseen_for_days(store_url, pg, tmp_path, monkeypatch, cli):
    from tests.fleet.helpers import dbname

    token = fleet_licence(tmp_path, monkeypatch, seats=2)
    a, b, c = (new_home(tmp_path, n) for n in "abc")
    activate(a, token)
    activate(b, token)
    machine_b = (b / "machine_id").read_text().strip()
    # A terminal's check marks its seat seen; a fresh one is not re-written (at most once an hour).
    db = dbname(store_url)
    pg.sql("UPDATE seats SET seen_at = now() - interval '3 days' WHERE machine = %s", db=db, params=[machine_b])
    gb = _gate(b)
    try:
        assert gb.state().plan == "pro"
    finally:
        gb.close()
    seen = pg.sql("SELECT seen_at > now() - interval '1 minute' FROM seats WHERE machine = %s", db=db,
                  params=[machine_b])
    assert seen == [(True,)]
    # By machine (the start of its id, as `intent admin seats` shows it): b loses the licence, c gets the seat.
    r = cli("admin", "seats", "--revoke", "", "--json", env={"INTENT_HOME": str(a)})
    assert r.code == 2
    r = cli("admin", "seats", "--revoke", machine_b[:12], "--json", env={"INTENT_HOME": str(a)})
    assert r.code == 0 and [s["machine"] for s in r.json["revoked"]] == [machine_b], r.err
    gb = _gate(b)
    try:
        assert gb.state().plan == "free" and "holds no seat" in (gb.state().problem or "")
    finally:
        gb.close()
    activate(c, token)
    # Unseen for N days: a's seat left behind 40 days ago is freed, c's (seen now) stays.
    machine_a = (a / "machine_id").read_text().strip()
    pg.sql("UPDATE seats SET seen_at = now() - interval '40 days' WHERE machine = %s", db=db, params=[machine_a])
    r = cli("admin", "seats", "--unseen-days", "30", env={"INTENT_HOME": str(c)})
    assert r.code == 0 and "freed the seat" in r.out and machine_a[:12] in r.out, r.err
    left = pg.sql("SELECT machine FROM seats", db=db)
    assert left == [((c / "machine_id").read_text().strip(),)]
    kinds = pg.sql("SELECT detail->>'machine' FROM audit WHERE kind = 'seat.revoked' ORDER BY id", db=db)
    assert kinds == [(machine_b,), (machine_a,)]
    r = cli("admin", "seats", "--unseen-days", "30", env={"INTENT_HOME": str(c)})
    assert r.code == 0 and "nothing was freed" in r.out
