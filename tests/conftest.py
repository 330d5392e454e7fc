"""Shared fixtures: every test gets its own INTENT_HOME, so no test sees another's store or history."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_personal_llm(monkeypatch):
    """A developer's own LLM settings must never reach a test (nor their server)."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "INTENT_LLM")):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _no_background_prepare(monkeypatch):
    """The terminal UI prepares packs in the background on start (the ICD-10 index: seconds of CPU in each
    fresh home); tests of that set IntentApp(prepare=True) or clear this."""
    monkeypatch.setenv("INTENT_NO_PREPARE", "1")


@pytest.fixture(autouse=True)
def _no_shared_cache(monkeypatch):
    """Each test's INTENT_HOME holds all its caches: the installation's shared cache (intents.paths
    .shared_cache_dir, the virtual environment's share/ folder) would carry one test's ICD-10 index or rates
    into the next. Tests of the shared cache point INTENT_SHARED_CACHE at a folder of their own."""
    monkeypatch.setenv("INTENT_SHARED_CACHE", "off")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "intent-home"
    path.mkdir()
    monkeypatch.setenv("INTENT_HOME", str(path))
    return path


@pytest.fixture
def session(home, tmp_path):
    from intents.session import Session

    out = tmp_path / "out"
    return Session(home=home, out_dir=out)


class CLIResult:
    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(home, tmp_path):
    """Run the real `intent` CLI in a subprocess: cli("run", "--json", "...") -> CLIResult."""

    def run(*args: str, input: str | None = None, env: dict | None = None, cwd: Path | None = None) -> CLIResult:
        full_env = {**os.environ, "INTENT_HOME": str(home), "NO_COLOR": "1", **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-m", "terminal.cli", *args],
            input=input, capture_output=True, text=True, env=full_env, cwd=cwd or tmp_path, timeout=120,
        )
        return CLIResult(proc)

    return run


@pytest.fixture
def unlocked(home, monkeypatch):
    """The home is entitled to the enterprise plan (every pack, nothing metered).

    Pack tests that run legal or healthcare actions use it. The entitlements store implements it for
    real: a throwaway signing key trusted through INTENT_TRUST_DIR and an activated enterprise licence.
    """
    from tests.licensing import activate_plan

    activate_plan(home, "enterprise", monkeypatch=monkeypatch)
    return home


def builtin_lexicon():
    """The resolver lexicon of the built-in packs: their kinds, units and words (the taggers know a
    pack's units, such as mg/dL, only through it)."""
    global _BUILTIN_LEXICON
    if _BUILTIN_LEXICON is None:
        import tempfile
        from pathlib import Path

        from intents.registry import Registry
        from intents.resolver.lexicon import Lexicon

        reg = Registry.load(Path(tempfile.mkdtemp(prefix="intent-lexicon-")))
        vocab, syn = reg.vocabulary()
        _BUILTIN_LEXICON = Lexicon.build(reg.actions(), reg.kinds(), vocab, syn)
    return _BUILTIN_LEXICON


_BUILTIN_LEXICON = None
