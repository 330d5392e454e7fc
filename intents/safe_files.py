"""Creating the terminal's files so that a planted symbolic link can never redirect them.

Every file the terminal writes (generated documents, the entitlement store, history, licences, caches,
logs, settings) is made through these helpers:

- a symbolic link where we are about to write is refused (UnsafePath), never followed: a dangling link
  planted as `NDA-Acme-Bob.docx` or `entitlements.db` must not make us create, write or chmod its target;
- new files are created with O_CREAT|O_EXCL|O_NOFOLLOW, so the name is ours at the moment it is made and
  nothing that already exists is overwritten (replacements go through a fresh temporary file + rename);
- files are owner-only (0600) and the directories we create for them 0700; INTENT_HOME is 0700;
- a file name from a pack stays inside its directory (`output_path("../../x")` writes `x` there).

Reads are left alone: nothing here is trusted because of where it was read from (tokens are verified,
caches are checked by their owners).
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from intents.errors import ActionFailed

FILE_MODE = 0o600
DIR_MODE = 0o700
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")  # files SQLite creates next to a database

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_MAX_NAME = 200  # bytes; file systems allow 255, and room is left for "-12" before the suffix


class UnsafePath(ActionFailed, OSError):
    """A path the terminal will not write through (a symbolic link, not a regular file or directory)."""

    kind = "unsafe_path"

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"refusing to write {path}: {problem}", path=str(path))
        self.path = str(path)


def _link_problem(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return (f"it is a symbolic link (to {target}); the terminal never writes through links. "
            f"Remove the link (rm {path}) and try again")


def is_link(path: Path | str) -> bool:
    return os.path.islink(path)


def refuse_link(path: Path | str) -> None:
    if os.path.islink(path):
        raise UnsafePath(path, _link_problem(Path(path)))


# ---- directories ---------------------------------------------------------------------------------
def private_dir(path: Path | str, mode: int = DIR_MODE) -> Path:
    """The directory `path`, ours alone: created with `mode` when missing (its parents as usual);
    an existing one must be a real directory, not a link, and is tightened to `mode` if it is looser."""
    path = Path(path)
    st = _ensure_dir(path, mode)
    if stat.S_IMODE(st.st_mode) & ~mode & 0o777 and st.st_uid == os.geteuid():
        _chmod_dir(path, mode)
    return path


def output_dir(path: Path | str) -> Path:
    """The directory generated files go to. Created 0700 when missing. An existing directory is the
    user's (their working directory, say) and keeps its mode; a link to one is allowed only when the
    user named it and its target is a directory they own, and is used at its real location, so the
    files cannot end up somewhere else later."""
    path = Path(path)
    if os.path.islink(path):
        real = Path(os.path.realpath(path))
        try:
            st = os.stat(real)
        except OSError:
            raise UnsafePath(path, _link_problem(path) + " (it points nowhere)") from None
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
            raise UnsafePath(path, _link_problem(path))
        return real
    _ensure_dir(path, DIR_MODE)
    return path


def _ensure_dir(path: Path, mode: int) -> os.stat_result:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if path.parent != path:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            pass  # made by another process just now; checked below like any existing one
        st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise UnsafePath(path, _link_problem(path))
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafePath(path, "it is not a directory")
    return st


def _chmod_dir(path: Path, mode: int) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return
    try:
        os.fchmod(fd, mode)
    except OSError:
        pass  # not ours to change (a shared mount): it stays as it is
    finally:
        os.close(fd)


# ---- files ---------------------------------------------------------------------------------------
def create_new(path: Path | str, mode: int = FILE_MODE, dir_fd: int | None = None) -> int:
    """A new file at `path` (O_EXCL|O_NOFOLLOW), opened for writing; raises FileExistsError if the
    name is taken (by anything, a dangling link too)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    return os.open(path, flags, mode, dir_fd=dir_fd)


def open_new(path: Path | str, mode: str = "w", *, perms: int = FILE_MODE, **kwargs):
    """`open(path, mode)` for a file that must not exist yet, owner-only; a link there is refused."""
    refuse_link(path)
    try:
        fd = create_new(path, perms)
    except FileExistsError:
        refuse_link(path)
        raise
    return os.fdopen(fd, mode, **kwargs)


def write_atomic(path: Path | str, data: str | bytes, mode: int = FILE_MODE, encoding: str = "utf-8") -> None:
    """Replace `path` with `data` all at once: a fresh temporary file next to it, synced, renamed over.
    A crash leaves the old file or the new one; a link at `path` is refused, not replaced or followed."""
    path = Path(path)
    refuse_link(path)
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    fd = create_new(tmp, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode(encoding) if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        refuse_link(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def append_text(path: Path | str, text: str, mode: int = FILE_MODE, encoding: str = "utf-8") -> None:
    """Append to a log file, creating it owner-only; a link or anything but a regular file is refused."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC | _NONBLOCK, mode)
    except OSError as exc:
        refuse_link(path)
        raise exc
    with os.fdopen(fd, "a", encoding=encoding) as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafePath(path, "it is not a regular file")
        fh.write(text)


def prepare_file(path: Path | str, companions: tuple[str, ...] = (), mode: int = FILE_MODE) -> Path:
    """Make `path` safe to hand to a library that opens it by name (SQLite): no link at its name nor at
    its companions' (`-wal`, `-shm`...), created with `mode` when missing, tightened when looser."""
    path = Path(path)
    for suffix in ("", *companions):
        refuse_link(f"{path}{suffix}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | _NOFOLLOW | _CLOEXEC | _NONBLOCK, mode)
    except OSError as exc:
        refuse_link(path)  # a link planted between the check and the open
        if isinstance(exc, PermissionError) and path.exists():
            return path  # readable by the library or not, that is its error to report
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePath(path, "it is not a regular file")
        if stat.S_IMODE(st.st_mode) & ~mode & 0o777 and st.st_uid == os.geteuid():
            try:
                os.fchmod(fd, mode)
            except OSError:
                pass
    finally:
        os.close(fd)
    return path


# ---- generated files -----------------------------------------------------------------------------
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f/\\:]")


def safe_filename(filename: str, default: str = "output") -> str:
    """The last component of `filename`, made a plain name: no directory part, no '..', no leading dot,
    no control characters, short enough for any file system (the suffix kept)."""
    name = re.split(r"[/\\]", str(filename))[-1]
    name = _UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    if not name:
        name = default
    name = name.encode("utf-8", "replace").decode("utf-8")  # lone surrogates (undecodable bytes) -> '?'
    if len(name.encode()) > _MAX_NAME:
        stem, suffix = _split(name)
        if len(suffix.encode()) > 16:
            stem, suffix = name, ""
        stem = stem.encode()[: _MAX_NAME - len(suffix.encode())].decode("utf-8", "ignore")
        name = stem + suffix
    return name


def new_file_in(directory: Path | str, filename: str, mode: int = FILE_MODE) -> Path:
    """Create a new, empty, owner-only file named after `filename` inside `directory` and return its path.

    The name is never one that exists (or is a link): `nda.docx`, then `nda-2.docx`, `nda-3.docx`...
    Creating the file (rather than only choosing a name) makes the name ours, so another process or a
    link planted later cannot redirect what is written into it."""
    directory = output_dir(directory)
    name = safe_filename(filename)
    stem, suffix = _split(name)
    dir_fd = os.open(directory, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        for n in range(1, 10_000):
            candidate = name if n == 1 else f"{stem}-{n}{suffix}"
            try:
                os.close(create_new(candidate, mode, dir_fd=dir_fd))
            except FileExistsError:
                continue
            return directory / candidate
    finally:
        os.close(dir_fd)
    raise UnsafePath(directory / name, "every variant of this name is taken")


def _split(name: str) -> tuple[str, str]:
    p = Path(name)
    return (p.stem, p.suffix) if p.suffix and p.stem else (name, "")


__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "SQLITE_COMPANIONS",
    "UnsafePath",
    "append_text",
    "create_new",
    "is_link",
    "new_file_in",
    "open_new",
    "output_dir",
    "prepare_file",
    "private_dir",
    "refuse_link",
    "safe_filename",
    "write_atomic",
]
