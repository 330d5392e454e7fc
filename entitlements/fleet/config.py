"""Where the fleet's store is: INTENT_STORE_URL, else `url` in the [store] table of config.toml.

Unset (or empty), the terminal keeps today's local SQLite store. Only postgresql:// (or postgres://)
URLs are accepted; anything else is a clear error rather than a silent fall back to local counting.
"""
from __future__ import annotations

import os
from pathlib import Path

from entitlements.errors import StoreError

ENV = "INTENT_STORE_URL"
SCHEMES = ("postgresql://", "postgres://")


def _config_file() -> Path:
    from intents.paths import config_dir

    return config_dir() / "config.toml"


def store_url() -> str | None:
    """The configured PostgreSQL URL, or None for the local store. Raises StoreError for a bad value."""
    url = os.environ.get(ENV)
    source = ENV
    if url is None:
        url, source = _from_config(), "store.url in config.toml"
    url = (url or "").strip()
    if not url:
        return None
    if not url.startswith(SCHEMES):
        raise StoreError(f"{source} must be a postgresql:// URL (got {display_url(url)!r}); "
                         f"unset it to use the local store", setting=source)
    return url


def _from_config() -> str | None:
    path = _config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    import tomllib  # only when there is a file: ~2 ms that every action run without one would pay

    try:
        section = tomllib.loads(text).get("store", {})
    except tomllib.TOMLDecodeError as exc:
        raise StoreError(f"{path}: cannot read it ({exc}); fix the file or remove its [store] table",
                         path=str(path)) from None
    value = section.get("url") if isinstance(section, dict) else None
    return value if isinstance(value, str) else None


def display_url(url: str) -> str:
    """The URL without its password, for messages and `intent plan`."""
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        return url.split("@")[-1] if "@" in url else url
    try:
        d = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - a malformed URL: show as little as possible
        return "<unparsable URL>"
    host = d.get("host") or "localhost"
    where = f"{host}:{d.get('port') or 5432}" if not str(host).startswith("/") else f"socket {host}"
    return f"postgresql://{d.get('user') or ''}{'@' if d.get('user') else ''}{where}/{d.get('dbname') or ''}"
