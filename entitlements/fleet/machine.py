"""This terminal's machine id: a random id kept in its home (INTENT_HOME/machine_id), the seat it holds.

It names a terminal to the fleet's server without saying anything about the person or the host
(the host name is sent separately, only so an administrator can tell seats apart).
"""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

FILENAME = "machine_id"
_VALID = re.compile(r"^[0-9a-f]{32}$")


def machine_id(home: Path) -> str:
    path = Path(home) / FILENAME
    try:
        text = path.read_text(encoding="ascii").strip()
        if _VALID.match(text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    Path(home).mkdir(parents=True, exist_ok=True)
    new = uuid.uuid4().hex
    tmp = path.with_name(f".{FILENAME}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(new + "\n")
    try:
        if path.exists():
            os.replace(tmp, path)  # an unreadable id: this terminal starts a new one
        else:
            os.link(tmp, path)  # first writer wins when two processes start at once
    except FileExistsError:
        pass
    finally:
        if tmp.exists():
            os.unlink(tmp)
    text = path.read_text(encoding="ascii").strip()
    return text if _VALID.match(text) else new
