"""Fixtures for the fleet tests: one real PostgreSQL per test session (tests/pgserver.py), a fresh
database per test, and INTENT_STORE_URL pointing at it."""
from __future__ import annotations

import itertools
import os

import pytest

from tests.pgserver import PgServer, unavailable_reason

_n = itertools.count()


@pytest.fixture(scope="session")
def pg():
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = PgServer()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def store_url(pg, monkeypatch) -> str:
    url = pg.new_database(f"fleet_{os.getpid()}_{next(_n)}")
    monkeypatch.setenv("INTENT_STORE_URL", url)
    return url
