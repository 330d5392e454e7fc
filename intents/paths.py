"""Where the terminal keeps its files: INTENT_HOME, else the XDG/platform data directory."""
from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The directory for the store, history, caches and generated files (created on demand)."""
    env = os.environ.get("INTENT_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("intent-terminal", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def documents_dir(base: Path | None = None) -> Path:
    """Where actions write files (NDAs, redacted copies, CSV and ICS exports) unless `--out DIR` says
    otherwise: `documents/` under the data directory. Not created until something is written there."""
    return Path(base or home()) / "documents"


def cache_dir() -> Path:
    path = home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """User configuration; INTENT_HOME keeps everything together when it is set."""
    if os.environ.get("INTENT_HOME"):
        return home()
    from platformdirs import user_config_dir

    path = Path(user_config_dir("intent-terminal", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
