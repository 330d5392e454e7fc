"""The entitlement CLI end to end: free by default, exit 5 with the catalog's error shape, vendor tools,
licence activation and refusal reasons, `intent plan`."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.licensing import licence_token, vendor_key

LOAN = ("finance.loan_payment", "principal=300000", "rate_pct=6.5", "years=30")


def test_fresh_home_free_finance_runs_legal_and_healthcare_exit_5(cli):
    assert cli("do", *LOAN, "--json").code == 0
    for args, feature in ((("legal.deadline", "start_date=2026-01-05", "days=10"), "pack.legal"),
                          (("healthcare.bmi", "weight_kg=70", "height_cm=175"), "pack.healthcare")):
        r = cli("do", *args, "--json")
        assert r.code == 5, r.out + r.err
        err = r.json["error"]
        assert set(err) == {"kind", "feature", "message", "upgrade"}
        assert (err["kind"], err["feature"]) == ("not_entitled", feature)
        assert set(err["upgrade"]) == {"plan", "how"} and err["upgrade"]["plan"] == "pro"
    human = cli("do", "healthcare.bmi", "weight_kg=70", "height_cm=175")
    assert human.code == 5
    first, second = human.err.strip().splitlines()[:2]
    assert first == "error: Healthcare pack (pack.healthcare) is not in the free plan; the pro plan unlocks it"
    assert second.strip().startswith("unlock it:") and "intent license activate" in second
    r = cli("plan", "--json")
    assert r.code == 0
    assert {"plan", "status", "features", "usage"} <= set(r.json)
    assert (r.json["plan"], r.json["status"]) == ("free", "active")


def test_vendor_tools_and_activation_unlock_pro(cli, tmp_path, monkeypatch, home):
    r = cli("admin", "keygen", "--out", str(tmp_path / "vendor"), "--json")
    assert r.code == 0, r.err
    assert (tmp_path / "vendor" / "private.pem").stat().st_mode & 0o077 == 0
    assert cli("admin", "keygen", "--out", str(tmp_path / "vendor")).code == 2  # never overwrites a key
    lic = tmp_path / "pro.lic"
    r = cli("admin", "issue", "--key", str(tmp_path / "vendor" / "private.pem"), "--plan", "pro", "--days", "30",
            "--subject", "acme@example.com", "--out", str(lic))
    assert r.code == 0, r.err
    # Not trusted yet: refused with the reason, nothing changes.
    empty = tmp_path / "no-keys"
    empty.mkdir()
    r = cli("license", "activate", str(lic), "--json", env={"INTENT_TRUST_DIR": str(empty)})
    assert r.code == 5 and r.json["error"]["kind"] == "licence_refused"
    assert r.json["error"]["reason"] == "untrusted" and "does not trust" in r.json["error"]["message"]
    # Trusted through the trust directory: unlocks pro.
    trust = {"INTENT_TRUST_DIR": str(tmp_path / "vendor")}
    (tmp_path / "vendor" / "private.pem").rename(tmp_path / "private.pem")  # a trust dir holds public keys
    r = cli("license", "activate", str(lic), "--json", env=trust)
    assert r.code == 0, r.err
    assert (r.json["plan"], r.json["subject"]) == ("pro", "acme@example.com")
    r = cli("plan", "--json", env=trust)
    assert r.json["plan"] == "pro" and "pack.legal" in r.json["features"]
    assert r.json["usage"][0]["feature"] == "legal.draft_nda" and r.json["usage"][0]["limit"] == 20
    assert cli("do", "legal.deadline", "start_date=2026-01-05", "days=10", "--json", env=trust).code == 0
    r = cli("license", "show", "--json", env=trust)
    assert r.json["licence"]["verified"] and r.json["licence"]["plan"] == "pro"
    assert r.json["history"][0]["kind"] == "licence.activated"
    human = cli("plan", env=trust)
    assert "pro plan, active" in human.out and "legal.draft_nda" in human.out
    # The same home without the trusted key is back on free: the store never vouches for a licence.
    r = cli("plan", "--json", env={"INTENT_TRUST_DIR": str(empty)})
    assert r.json["plan"] == "free" and "does not trust" in r.json["licence_problem"]


def test_tampered_and_expired_licence_files_are_refused(cli, tmp_path, monkeypatch, home):
    token = licence_token(home, "pro", 30, monkeypatch)
    body = token.split(".")[2]
    tampered = tmp_path / "tampered.lic"
    tampered.write_text(token.replace(body, body[:30] + ("Q" if body[30] != "Q" else "R") + body[31:]))
    r = cli("license", "activate", str(tampered), "--json")
    assert r.code == 5 and r.json["error"]["reason"] == "tampered"
    expired = tmp_path / "expired.lic"
    expired.write_text(licence_token(home, "pro", 30, monkeypatch,
                                     now=datetime.now(timezone.utc) - timedelta(days=45)))
    r = cli("license", "activate", str(expired))
    assert r.code == 5 and "expired on" in r.err
    assert cli("plan", "--json").json["plan"] == "free"


@pytest.mark.parametrize("args, needle", [
    (("license", "activate", "/nonexistent/file.lic"), "cannot read"),
    (("admin", "issue", "--key", "/nonexistent.pem", "--plan", "pro", "--days", "3", "--out", "x"), "cannot read"),
])
def test_bad_input_is_a_clear_error(cli, args, needle):
    r = cli(*args)
    assert r.code == 2 and needle in r.err and "Traceback" not in r.err


def test_issue_unknown_plan_and_grant(cli, tmp_path, home, monkeypatch):
    vendor_key(home, monkeypatch)
    key = str(home.parent / "vendor-key" / "private.pem")
    r = cli("admin", "issue", "--key", key, "--plan", "platinum", "--days", "3", "--out", str(tmp_path / "x"))
    assert r.code == 2 and "unknown plan 'platinum'" in r.err
    r = cli("admin", "grant", "--key", key, "--feature", "legal.draft_nda", "--qty", "5", "--days", "30",
            "--out", str(tmp_path / "g.lic"))
    assert r.code == 0, r.err
    assert cli("license", "activate", str(tmp_path / "g.lic")).code == 0
    assert cli("license", "show", "--json").json["grants"][0]["qty"] == 5


@pytest.mark.parametrize("days", ["inf", "nan", "0", "-3", "99999"])
def test_issue_refuses_implausible_days(days, tmp_path):
    from entitlements.keys import keygen, load_private
    from entitlements.licence import issue_grant, issue_licence

    keygen(tmp_path / "k")
    key = load_private(tmp_path / "k" / "private.pem")
    with pytest.raises(ValueError, match="--days must be"):
        issue_licence(key, "pro", float(days))
    with pytest.raises(ValueError, match="--qty must be"):
        issue_grant(key, "legal.draft_nda", 0, 3)
