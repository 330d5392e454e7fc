"""What one gate check costs a cold process (issue 20), held by what it builds and imports, not by timing.

A check builds only the pydantic models it uses (Decision; the Catalog, whose schema includes Feature's and
Plan's; LicenceClaims where a licence is held); a home without tokens never imports the licence module or
cryptography; the gate's dataclasses carry no generated __eq__/__repr__, which dataclasses compile in
every process. The milliseconds are printed by bench/action_costs.py.
"""
from __future__ import annotations

import json
import subprocess
import sys

from tests.licensing import activate_plan

_CHECK = """
import json, sys
from entitlements import open_gate
gate = open_gate()
decision = gate.check(sys.argv[1])
from entitlements import catalog, decision as dec, state, usage_record
models = {"Decision": dec.Decision, "Upgrade": dec.Upgrade, "Catalog": catalog.Catalog,
          "Feature": catalog.Feature, "Plan": catalog.Plan}
if "entitlements.licence" in sys.modules:
    from entitlements import licence
    created = "GrantClaims" in vars(licence)  # created on first use (before the lookup below creates it)
    models.update(Claims=licence.Claims, LicenceClaims=licence.LicenceClaims, GrantClaims=licence.GrantClaims)
else:
    created = False
print(json.dumps({
    "grant_class_created": created,
    "allowed": decision.allowed, "plan": gate.state().plan,
    "built": sorted(n for n, m in models.items() if m.__pydantic_complete__),
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("entitlements", "cryptography")),
    "generated": sorted(f"{c.__name__}.{m}" for c in (state.State, usage_record.Replay, usage_record.Prepared)
                        for m in ("__eq__", "__repr__") if m in c.__dict__),
    # pydantic reads each default factory's signature: for the builtins dict/list through the tokenizer
    "tokenizer_compiled": bool("tokenize" in sys.modules and sys.modules["tokenize"]._compile.cache_info().currsize),
}))
"""


def _check(feature: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHECK, feature], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_a_check_in_a_free_home_builds_two_models_and_no_licence_code(home):
    out = _check("pack.finance")
    assert out["allowed"] and out["plan"] == "free"
    assert out["built"] == ["Catalog", "Decision"]
    assert not [m for m in out["modules"] if m == "entitlements.licence" or m.startswith("cryptography")]
    assert out["generated"] == []
    assert not out["tokenizer_compiled"]


def test_a_check_in_a_licensed_home_builds_the_licence_model_only(home, monkeypatch):
    activate_plan(home, "enterprise", monkeypatch)
    out = _check("pack.healthcare")
    assert out["allowed"] and out["plan"] == "enterprise"
    # Claims is only a base and GrantClaims is needed only where a grant is held; Upgrade only in a denial.
    assert out["built"] == ["Catalog", "Decision", "LicenceClaims"]
    assert "entitlements.licence" in out["modules"]
    assert not out["tokenizer_compiled"]
    assert not out["grant_class_created"]


def test_a_check_where_a_grant_is_held_creates_and_applies_the_grant_class(home, monkeypatch):
    from entitlements.licence import issue_grant
    from entitlements.wallet import activate
    from entitlements.keys import trusted_keys
    from datetime import datetime, timezone
    from tests.licensing import vendor_key

    activate_plan(home, "pro", monkeypatch)
    key, _ = vendor_key(home, monkeypatch)
    activate(home, issue_grant(key, "legal.draft_nda", 5, 30, subject="test@example.com"), trusted_keys(),
             datetime.now(timezone.utc))
    out = _check("legal.draft_nda")
    assert out["allowed"] and out["grant_class_created"]
    code = ("from entitlements import open_gate\n"
            "print([g['qty'] for g in open_gate().check('legal.draft_nda').grants or []])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[5]"


def test_the_grant_class_is_one_class_however_it_is_reached():
    from entitlements import licence
    from entitlements.licence import GrantClaims

    assert licence.GrantClaims is GrantClaims is licence._grant_claims()
    assert GrantClaims.__name__ == GrantClaims.__qualname__ == "GrantClaims"
    assert issubclass(GrantClaims, licence.Claims) and GrantClaims.__module__ == "entitlements.licence"


def test_the_models_default_factories_still_give_a_new_dict_and_list_each_time():
    from entitlements.catalog import Plan
    from entitlements.licence import LicenceClaims

    a, b = Plan(title="a", rank=0), Plan(title="b", rank=1)
    assert a.features == {} and a.pooled == [] and a.features is not b.features and a.pooled is not b.pooled
    times = dict(jti="j" * 8, sub="s", iat="2026-01-01T00:00:00Z", nbf="2026-01-01T00:00:00Z",
                 exp="2026-02-01T00:00:00Z", plan="pro")
    c, d = LicenceClaims(**times), LicenceClaims(**times)
    assert c.features == {} and c.pooled == [] and c.features is not d.features and c.pooled is not d.pooled


def test_a_denial_still_builds_what_it_names(home):
    out = _check("pack.healthcare")  # not in the free plan: the decision names an upgrade
    assert not out["allowed"]
    assert "Upgrade" in out["built"]


def test_the_audit_log_and_the_catalog_load_without_the_decision_models():
    """`entitlements.audit` (written by the MCP server, the LLM tier, pack installs) loads without the gate's
    decision models or pydantic; `entitlements.Decision` is still there for whoever asks for it."""
    code = ("import sys\nfrom entitlements import audit, migrations\n"
            "print(sorted(m for m in sys.modules if m in ('pydantic', 'entitlements.decision')))\n"
            "from entitlements import Decision, Gate\nimport entitlements\n"
            "print(Decision is entitlements.Decision, Gate.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "True Gate"]
