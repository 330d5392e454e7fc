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


# Caches derived only from an installed library's data (the ICD-10-CM index, the currency rates) are the
# same for every home of one installation: kept there, the first use in a new INTENT_HOME costs what a later
# one does, and a machine with many homes keeps one copy. `packs prepare` (the README's set-up line) builds
# them; a home that finds none builds one there when it can, else in its own cache folder. The folder is the
# user's to write, like any cache: what is read from it is checked, never trusted (intents/cache_files.py).
SHARED_CACHE_OFF = ("", "0", "off", "none")


def shared_cache_root() -> Path | None:
    """The installation's shared cache: INTENT_SHARED_CACHE when that is set ("off" or "" for none), else
    <sys.prefix>/share/intent-terminal/cache (sys.prefix: the virtual environment, or the Python the terminal
    is installed into). Holds the registry's pack cache (packs.json) and a folder per pack. Not created here."""
    env = os.environ.get("INTENT_SHARED_CACHE")
    if env is not None:
        return None if env.strip().lower() in SHARED_CACHE_OFF else Path(env).expanduser()
    import sys

    return Path(sys.prefix) / "share" / "intent-terminal" / "cache"


def shared_cache_dir(pack_id: str) -> Path | None:
    """A pack's folder in the installation's shared cache (a pack id has no dot: never packs.json)."""
    root = shared_cache_root()
    return None if root is None else root / pack_id
