"""History: concurrent first writes from several processes lose nothing."""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from intents.history import History


def _write(home: str) -> None:
    History(Path(home)).record(action="finance.loan_payment", params={}, status="ok", exit_code=0)


def test_concurrent_first_writes(tmp_path):
    for round_ in range(3):
        home = tmp_path / f"h{round_}"
        home.mkdir()
        procs = [mp.get_context("fork").Process(target=_write, args=(str(home),)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
        assert len(History(home).entries()) == 4
        assert (home / "history.db").stat().st_mode & 0o077 == 0


def test_search_and_limit(tmp_path):
    h = History(tmp_path)
    for text in ("loan one", "egfr two", "loan three"):
        h.record(text=text, action="x.y", params={"a": 1}, status="ok", exit_code=0)
    assert [e["text"] for e in h.entries(search="loan")] == ["loan three", "loan one"]
    assert len(h.entries(limit=1)) == 1
    assert h.entries()[0]["params"] == {"a": 1}
