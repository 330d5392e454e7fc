"""Dispatch and the metered gate: a run that fails does not use up the quota; one that succeeds does."""
from __future__ import annotations

import pytest

from intents.errors import ActionFailed
from intents.session import Session
from tests.licensing import activate_plan


def _used(session) -> int:
    usage = {u["feature"]: u for u in session.gate.summary()["usage"]}
    return usage["legal.draft_nda"]["used"]


def test_failed_metered_run_is_refunded(home, tmp_path, monkeypatch):
    activate_plan(home, "pro", monkeypatch)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    failing = Session(home=home, out_dir=blocker)
    with pytest.raises(ActionFailed):
        failing.run_action("legal.draft_nda", {"party_a": "Acme Corp", "party_b": "Bob Smith"})
    assert _used(failing) == 0
    ok = Session(home=home, out_dir=tmp_path / "out")
    out = ok.run_action("legal.draft_nda", {"party_a": "Acme Corp", "party_b": "Bob Smith"})
    assert out.result["path"]
    assert _used(ok) == 1
