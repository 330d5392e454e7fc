"""audit.record_event (pack installs, LLM helpers, MCP calls) on a fleet: the event also goes to the
server's audit table, without request text; a server that does not answer keeps it local and is not
waited for on every event."""
from __future__ import annotations

import json

import pytest

from tests.fleet.helpers import dbname


@pytest.fixture(autouse=True)
def _close_fleet():
    yield
    from entitlements.audit import close_fleet

    close_fleet()


def test_events_go_to_the_server_too_without_request_text(store_url, pg, home):
    from entitlements.audit import KEPT_HERE, events, record_event
    from entitlements.fleet.machine import machine_id

    assert record_event(home, "pack.install", {"pack": "acme.tax", "version": "1.2.0", "source": "/home/u/my pack"})
    assert record_event(home, "llm.request", {
        "server": "http://127.0.0.1:8080/v1", "model": "qwen2.5", "text": "nda",
        "offered": ["legal.draft_nda"], "redacted": {"email": 1}, "note": "draft an NDA between Acme and Bob"})
    rows = pg.sql("SELECT kind, machine, detail FROM audit ORDER BY id", db=dbname(store_url))
    assert [(k, m) for k, m, _ in rows] == [("pack.install", machine_id(home)), ("llm.request", machine_id(home))]
    pack, llm = rows[0][2], rows[1][2]
    assert pack == {"pack": "acme.tax", "version": "1.2.0", "source": KEPT_HERE}
    assert llm["offered"] == ["legal.draft_nda"] and llm["redacted"] == {"email": 1} and llm["model"] == "qwen2.5"
    assert llm["text"] == KEPT_HERE and "Acme" not in json.dumps(rows)
    # The terminal's own log keeps the whole event, as before.
    local = {e["kind"]: e["detail"] for e in events(home)}
    assert local["llm.request"]["text"] == "nda" and local["pack.install"]["source"] == "/home/u/my pack"


def test_a_server_that_is_down_keeps_events_local_and_is_not_asked_on_every_event(pg, home, monkeypatch, capsys,
                                                                                  tmp_path):
    from entitlements.audit import events, record_event

    monkeypatch.setenv("INTENT_STORE_URL", f"postgresql://terminal@/db?host={tmp_path}/nowhere&port=5432")
    assert record_event(home, "pack.install", {"pack": "one"})
    assert "kept on this terminal only" in capsys.readouterr().err
    assert record_event(home, "pack.install", {"pack": "two"})
    assert capsys.readouterr().err == ""  # not tried again for FLEET_RETRY_S
    assert [e["detail"]["pack"] for e in events(home, "pack.install")] == ["two", "one"]
