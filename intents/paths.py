"""Where the terminal keeps its files: INTENT_HOME, else the XDG/platform data directory.

Each directory is owner-only (0700) and must be a real directory: a symbolic link in its place is
refused rather than followed (see intents/safe_files.py).
"""
from __future__ import annotations

import os
from pathlib import Path

from intents.safe_files import private_dir


def home() -> Path:
    """The directory for the store, history, caches and generated files (created on demand)."""
    env = os.environ.get("INTENT_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("intent-terminal", appauthor=False))
    return private_dir(path)


def documents_dir(base: Path | None = None) -> Path:
    """Where actions write files (NDAs, redacted copies, CSV and ICS exports) unless `--out DIR` says
    otherwise: `documents/` under the data directory. Not created until something is written there."""
    return Path(base or home()) / "documents"


def cache_dir() -> Path:
    return private_dir(home() / "cache")


def config_dir() -> Path:
    """User configuration; INTENT_HOME keeps everything together when it is set."""
    if os.environ.get("INTENT_HOME"):
        return home()
    from platformdirs import user_config_dir

    return private_dir(Path(user_config_dir("intent-terminal", appauthor=False)))
