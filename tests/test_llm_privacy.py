"""Private by default: sensitive packs stay on the machine unless opted in; remote text is redacted; audited."""
from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from intents.sdk import Pack, Result, Slot
from tests.test_llm_server import llm_env, llm_server  # noqa: F401 - fixtures

clinic = Pack(id="clinic", name="Clinic (test)", version="1.0.0", description="A sensitive test pack",
              vertical="healthcare", sensitive=["PHI"], disclaimers=["Test only."])


class Index(Result):
    index: float


@clinic.action(samples=["body mass index for 80 kg and 180 cm", "bmi of a patient"])
def body_mass(weight_kg: float = Slot("Weight", kind="weight", unit="kg", gt=0),
              height_cm: float = Slot("Height", kind="height", unit="cm", gt=0)) -> Index:
    """Body mass index of a patient."""
    return Index(index=weight_kg / (height_cm / 100) ** 2)


CLINIC_TEXT = "bmi of a patient, 80 kg and 180 cm, reach me at jo.doe@example.com or 555-123-4567"
LOAN_TEXT = "loan payment on 300k at 6.5% over 30 years; my SSN is 123-45-6789"


@pytest.fixture
def private_session(unlocked, llm_env, tmp_path):  # noqa: F811
    from intents.registry import GROUP, Registry
    from intents.session import Session

    session = Session(home=unlocked, out_dir=tmp_path / "out", mode="llm")
    ep = EntryPoint(name="clinic", value="tests.test_llm_privacy:clinic", group=GROUP)
    session.__dict__["registry"] = Registry.load(unlocked, extra_entry_points=[ep])
    for real in ("healthcare", "legal"):  # the real sensitive packs would answer these texts too
        if real in session.registry.packs:
            session.registry.set_installed(real, False)
    assert session.registry.is_installed("clinic")
    return session


@pytest.fixture
def remote(monkeypatch):
    """Treat the scripted server as if it were somewhere else on the network (it stays on loopback)."""
    from intents.llm.config import LLMConfig

    monkeypatch.setattr(LLMConfig, "local", property(lambda self: False))


def offered(request: dict) -> set[str]:
    return {t["function"]["name"] for t in request.get("tools", [])}


def test_sensitive_request_is_not_sent_to_a_remote_server(private_session, llm_env, remote):  # noqa: F811
    from entitlements.audit import events

    match = private_session.resolve(CLINIC_TEXT)
    assert llm_env.requests == []  # nothing left the machine
    assert match.source == "local" and match.notice.startswith("kept local: clinic requests (PHI)")
    assert 'share_sensitive = ["clinic"]' in match.notice
    withheld = events(private_session.home, "llm.withheld")[0]["detail"]
    assert withheld["pack"] == "clinic" and withheld["server"] == llm_env.url


def test_remote_requests_never_offer_sensitive_packs_and_are_redacted(private_session, llm_env, remote,  # noqa: F811
                                                                      monkeypatch):
    from entitlements.audit import events

    monkeypatch.setenv("INTENT_LLM_SHARE_SENSITIVE", "finance")  # finance declares "financial": opted in
    private_session.__dict__.pop("resolver", None)
    llm_env.tool("finance.loan_payment", {"principal": 300000, "rate_pct": 6.5, "years": 30})
    match = private_session.resolve(LOAN_TEXT)
    assert match.source == "llm" and match.action == "finance.loan_payment"
    sent = llm_env.requests[0]
    assert not any(name.startswith("clinic__") for name in offered(sent))
    assert sent["messages"][-1]["content"] == "loan payment on 300k at 6.5% over 30 years; my SSN is [SSN]"
    audit = events(private_session.home, "llm.request")[0]["detail"]
    assert audit["text"] == sent["messages"][-1]["content"] and audit["redacted"] == {"ssn": 1}
    assert audit["local_server"] is False and "clinic" in audit["withheld_packs"]


def test_financial_pack_is_sensitive_too_without_opt_in(private_session, llm_env, remote):  # noqa: F811
    match = private_session.resolve(LOAN_TEXT)
    assert llm_env.requests == [] and match.notice.startswith("kept local: finance")


def test_opted_in_pack_may_go_remote_redacted(private_session, llm_env, remote, monkeypatch):  # noqa: F811
    monkeypatch.setenv("INTENT_LLM_SHARE_SENSITIVE", "clinic")
    private_session.__dict__.pop("resolver", None)
    llm_env.tool("clinic.body_mass", {"weight_kg": 80, "height_cm": 180})
    match = private_session.resolve(CLINIC_TEXT)
    assert match.source == "llm" and match.slots == {"weight_kg": 80.0, "height_cm": 180.0}
    content = llm_env.requests[0]["messages"][-1]["content"]
    assert "jo.doe@example.com" not in content and "[EMAIL]" in content and "[PHONE]" in content
    assert "clinic__body_mass" in offered(llm_env.requests[0])


def test_loopback_server_is_local_and_gets_everything(private_session, llm_env):  # noqa: F811
    from entitlements.audit import events

    llm_env.tool("clinic.body_mass", {"weight_kg": 80, "height_cm": 180})
    match = private_session.resolve(CLINIC_TEXT)
    assert match.source == "llm" and match.action == "clinic.body_mass"
    assert llm_env.requests[0]["messages"][-1]["content"] == CLINIC_TEXT  # nothing leaves the machine anyway
    audit = events(private_session.home, "llm.request")[0]["detail"]
    assert audit["local_server"] is True and audit["withheld_packs"] == []


def test_api_key_is_never_written_to_the_audit_log(private_session, llm_env, monkeypatch):  # noqa: F811
    from entitlements.audit import events

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-123456")
    private_session.__dict__.pop("resolver", None)
    llm_env.tool("none_of_these", {})
    private_session.resolve("hello there")
    assert llm_env.requests  # the key went to the server, as it should ...
    dumped = str(events(private_session.home))
    assert "sk-test-secret-value-123456" not in dumped  # ... and nowhere else


@pytest.mark.parametrize("host, local", [("127.0.0.1", True), ("127.3.4.5", True), ("::1", True), ("[::1]", True),
                                         ("localhost", True), ("LOCALHOST", True), ("10.0.0.5", False),
                                         ("192.168.1.20", False), ("api.openai.com", False),
                                         ("localhost.example.com", False), ("", False)])
def test_loopback_detection(host, local):
    from intents.llm.config import is_loopback

    assert is_loopback(host) is local


def test_redaction_keeps_the_numbers_that_matter():
    from intents.llm.privacy import redact

    text, counts = redact("eGFR for MRN 00123456, DOB 1960-02-03, creatinine 1.1, age 60, call (555) 123-4567, "
                          "card 4111 1111 1111 1111, mail a@b.org, 300k at 6.5%")
    assert "00123456" not in text and "1960-02-03" not in text and "4111" not in text and "a@b.org" not in text
    assert "creatinine 1.1, age 60" in text and "300k at 6.5%" in text
    assert counts == {"email": 1, "card": 1, "phone": 1, "record_id": 1, "birth_date": 1}
