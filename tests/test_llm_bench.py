"""bench/llm.py runs the development set through whatever server OPENAI_BASE_URL names, or says it cannot."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_llm_server import llm_server  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parent.parent


def bench(*args: str, env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "INTENT_LLM"))}
    return subprocess.run([sys.executable, str(ROOT / "bench" / "llm.py"), *args], capture_output=True, text=True,
                          env={**base, **env}, timeout=120, cwd=ROOT)


def test_bench_skips_without_a_server(home):
    out = bench("--limit", "10", env={"INTENT_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    assert "llm bench skipped: no LLM server configured" in out.stdout
    assert "lines the cascade sends to the LLM" in out.stdout


def test_bench_through_a_server(home, llm_server):  # noqa: F811
    llm_server.first_offered()
    out = bench("--limit", "12", "--mode", "llm", env={"INTENT_HOME": str(home), "OPENAI_BASE_URL": llm_server.url,
                                                       "INTENT_LLM_MODEL": "scripted-model"})
    assert out.returncode == 0, out.stderr
    assert f"server: {llm_server.url} (local), model scripted-model" in out.stdout
    assert "LLM calls made   : 100.0% of lines (12/12)" in out.stdout
    assert "LLM call latency : p50" in out.stdout and "cascade          : intent accuracy" in out.stdout
    assert len(llm_server.requests) == 12
