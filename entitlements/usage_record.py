"""The usage record: metered use and the latest time seen, kept next to the licence, hash-chained.

Why it exists: the store (entitlements.db) is a file the machine's owner can delete. If the counts and
the clock's high-water mark lived only there, `rm entitlements.db` would give a new month's allowance
and erase the evidence of a clock set back. So every metered use, refund and activation is also
appended to INTENT_HOME/licences/usage.chain, one JSON line per event, each line carrying a keyed
BLAKE2b hash over itself and the previous line's hash. licences/usage.head holds the hash of the last
line (sealed with a second key), so cutting lines off the end is noticed as well as editing one.

What it is not: a secret. The chain key is in this file; an owner who reads the code can write a
consistent chain, as they could patch the code itself. The chain turns "delete a file" and "edit a
number" into "write a forger", and it is detected (not trusted) when it does not add up. The gate
treats a missing or broken record as "no metered use until the licence is activated again", and an
activation over a lost record counts the current period's allowance as used (see `start`).
docs/security.md states what holds against whom.

The file is append-only, written with O_APPEND under an exclusive flock, so terminals on one machine
append in turn. A line is one write(); a process killed mid-write leaves at most a torn last line
without its newline, which was never acknowledged and is ignored (and cut off by the next append).
No fsync: a killed process loses nothing the kernel has; a power cut may lose the last lines, as it
may lose the store's last transactions (synchronous=NORMAL).

The head file is overwritten in place (one fixed-width pwrite, no temporary file, no rename, no fsync):
a rename or an fsync costs milliseconds on a busy ext4 and bought nothing here. Neither is what resists
the owner: the owner can write any file in their home, so rolling the pair back to an older copy is
caught by the store's copy of the head (check_store_head; on a fleet that copy is on the server, out of
the owner's reach), and cutting lines is caught by the seal. fsync only orders against a power cut, and
syncing the head alone would make it the one file that survives ahead of an unsynced chain. A reader
that sees the head mid-write (or between a writer's two writes) reads again under the lock.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import socket
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

RECORD_FILE = "usage.chain"
HEAD_FILE = "usage.head"
CHAIN_KEY = b"intent-terminal/usage-record/v1"
HEAD_KEY = b"intent-terminal/usage-record-head/v1"
GENESIS = "0" * 32
HEAD_WIDTH = 12  # digits of the entry count in the head file (fixed, so it is overwritten in place)


def record_path(home: Path) -> Path:
    return Path(home) / "licences" / RECORD_FILE


def head_path(home: Path) -> Path:
    return Path(home) / "licences" / HEAD_FILE


def _digest(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    return hashlib.blake2b(text, key=CHAIN_KEY, digest_size=16).hexdigest()


def seal(n: int, h: str) -> str:
    """What the head file and the store keep for entry n: not the entry's own hash (visible in the
    line, so a cut-off record could be given a matching head by hand) but a keyed hash of it."""
    return hashlib.blake2b(f"{n}:{h}".encode(), key=HEAD_KEY, digest_size=16).hexdigest()


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="microseconds")


def owner_id() -> str:
    """host:pid:start: who made a use, so a later process can tell whether that process is gone."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}"


def _start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            # Field 22 (starttime); the command name (field 2) may hold spaces, so split after its ')'.
            return fh.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return "?"


def owner_alive(owner: str) -> bool:
    """False only when sure: same host, and that pid is gone or is now another process."""
    try:
        host, pid_text, start = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname():
        return True  # a shared home on another machine: not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return start == "?" or _start_time(pid) in (start, "?")


# eq and repr off (as State's): nothing compares or prints these, and the generated methods would be
# compiled again in every process (issue 20).
@dataclass(eq=False, repr=False)
class Prepared:
    """Lines hashed for appending after a replay: the bytes, (body, hash) per entry, the new n and head."""

    data: bytes
    bodies: list[tuple[dict[str, Any], str]]
    n: int
    head: str

    @property
    def line(self) -> str:
        return self.data.decode("ascii")

    def sealed_head(self) -> str:
        return f"{self.n}:{seal(self.n, self.head)}"


@dataclass(eq=False, repr=False)
class Replay:
    """What a record says, once its chain has been checked."""

    status: str = "missing"  # ok | missing | broken
    problem: str | None = None
    n: int = 0  # entries
    head: str = GENESIS
    size: int = 0  # bytes of complete lines read
    stamp: tuple | None = None
    opened_at: datetime | None = None
    restarted: bool = False  # started over a lost record: tokens issued before it count as used up
    high: datetime | None = None  # the latest time any entry carries
    used: dict[tuple[str, str], int] = field(default_factory=dict)
    uses: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # key -> (feature, period, qty)
    refunded: set[str] = field(default_factory=set)
    settled: set[str] = field(default_factory=set)
    owners: dict[str, str] = field(default_factory=dict)  # key -> owner of a reservation not yet settled
    licences: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # jti -> (subject, iat)
    grants: set[str] = field(default_factory=set)
    hashes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def sealed_head(self) -> str:
        """"n:seal" of the last entry, as the store keeps it."""
        return f"{self.n}:{seal(self.n, self.head)}"

    def used_of(self, feature: str, period: str) -> int:
        return self.used.get((feature, period), 0) if self.ok else 0

    def pending(self) -> dict[str, str]:
        """key -> owner of reservations neither settled (delivered) nor refunded."""
        return dict(self.owners)

    def apply(self, entry: dict[str, Any]) -> None:
        op = entry.get("op")
        at = datetime.fromisoformat(entry["at"])
        if self.high is None or at > self.high:
            self.high = at
        if op == "open":
            self.opened_at, self.restarted = at, bool(entry.get("restarted"))
        elif op == "licence":
            self.licences[entry["jti"]] = (entry["sub"], datetime.fromisoformat(entry["iat"]))
        elif op == "grant":
            self.grants.add(entry["jti"])
        elif op in ("use", "carry"):
            key, parts = entry["key"], [(entry["feature"], p, int(q)) for p, q in entry["parts"]]
            self.uses[key] = parts
            for feature, period, qty in parts:
                self.used[(feature, period)] = self.used.get((feature, period), 0) + qty
            if op == "use" and entry.get("owner"):
                self.owners[key] = entry["owner"]
        elif op == "refund":
            key = entry["key"]
            if key in self.refunded or key not in self.uses:
                raise ValueError(f"entry {entry['n']} refunds {key!r}, which was not used or is refunded")
            self.refunded.add(key)
            self.owners.pop(key, None)
            for feature, period, qty in self.uses[key]:
                self.used[(feature, period)] -= qty
        elif op == "settle":
            self.settled.add(entry["key"])
            self.owners.pop(entry["key"], None)
        elif op != "seen":
            raise ValueError(f"entry {entry['n']} has an unknown op {op!r}")


class UsageRecord:
    """One home's record. `replay()` is cached on the file's stat and read incrementally."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.path = record_path(home)
        self.head_path = head_path(home)
        self._replay: Replay | None = None
        self._holder: int | None = None  # the thread holding `locked` (whose reads need no second look)
        # The hot path (one consumption: lock, stat, append, head) names its files as strings, and
        # checks licences/ with one lstat once it has been made private (see `locked`).
        self._dir, self._chain, self._head = str(self.path.parent), str(self.path), str(self.head_path)
        self._lock_name = str(self.path.with_name(RECORD_FILE + ".lock"))
        self._dir_seen: tuple[int, int] | None = None  # (st_dev, st_ino) of licences/ as private_dir left it

    # ---- reading ---------------------------------------------------------------------------------
    def _stat(self) -> tuple | None:
        try:
            st = os.stat(self._chain, follow_symlinks=False)
            head = os.stat(self._head, follow_symlinks=False)
        except FileNotFoundError:
            return ("missing",) if not self.path.exists() else ("nohead",)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, head.st_ino, head.st_mtime_ns)

    def replay(self) -> Replay:
        stamp = self._stat()
        cached = self._replay
        if cached is not None and cached.stamp == stamp and stamp is not None:
            return cached
        self._replay = self._read(stamp, cached)
        if self._replay.status == "broken" and self._holder != threading.get_ident() and stamp != ("missing",):
            # Unlocked, a reader can see the chain before a writer's last line and the head after it (or
            # a head mid-write): look again while no writer can be in between before calling it broken.
            with self._shared():
                stamp = self._stat()
                self._replay = self._read(stamp, None)
        return self._replay

    @contextmanager
    def _shared(self) -> Iterator[None]:
        lock = self.path.with_name(RECORD_FILE + ".lock")
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)

    def _read(self, stamp, cached: Replay | None) -> Replay:
        if stamp == ("missing",):
            if self.head_path.exists():
                return Replay(status="broken", stamp=stamp,
                              problem=f"the usage record {self.path} is missing (its head file remains)")
            return Replay(status="missing", problem=f"the usage record {self.path} is missing", stamp=stamp)
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            return Replay(status="broken", problem=f"the usage record {self.path} cannot be read: {exc}",
                          stamp=stamp)
        with os.fdopen(fd, "rb") as fh:
            # Continue from the cached replay when the file only grew (same inode, same prefix hash).
            start = Replay()
            if (cached is not None and cached.ok and cached.stamp and cached.stamp != ("missing",)
                    and stamp and len(stamp) == 5 and cached.stamp[0] == stamp[0] and cached.size <= stamp[1]):
                start = cached
                fh.seek(cached.size)
            data = fh.read()
        replay = self._verify(data, start)
        replay.stamp = stamp
        if replay.ok:
            replay.problem = self._check_head(replay)
            if replay.problem:
                replay.status = "broken"
        return replay

    def _verify(self, data: bytes, start: Replay) -> Replay:
        # Continuing a cached replay mutates it: a failure below returns a fresh Replay instead, and the
        # caller replaces its cache either way.
        replay = start if start.n else Replay()
        replay.status, replay.problem = "ok", None
        lines = data.split(b"\n")
        complete = lines[:-1]  # the last piece has no newline: empty, or a torn write never acknowledged
        for raw in complete:
            try:
                entry = json.loads(raw)
                if not isinstance(entry, dict):
                    raise ValueError("not an object")
                h = entry.pop("h")
                if entry.get("n") != replay.n + 1 or entry.get("prev") != replay.head or _digest(entry) != h:
                    raise ValueError(f"line {replay.n + 1} does not follow from the one before it")
                if replay.n == 0 and entry.get("op") != "open":
                    raise ValueError("it does not begin with its opening entry")
                replay.apply(entry)
            except (ValueError, KeyError, TypeError) as exc:
                return Replay(status="broken", problem=f"the usage record {self.path} was altered ({exc})",
                              licences=replay.licences)
            replay.n, replay.head = entry["n"], h
            replay.hashes.append(h)
            replay.size += len(raw) + 1
        if replay.n == 0:
            return Replay(status="broken", problem=f"the usage record {self.path} is empty")
        return replay

    def _check_head(self, replay: Replay) -> str | None:
        """The head file must name the last entry (or, after a crash between the two writes, the one before)."""
        try:
            n_text, h = self.head_path.read_text(encoding="ascii").split()
            n = int(n_text)
        except FileNotFoundError:
            return f"{self.head_path} is missing, so cut-off entries could not be noticed"
        except (OSError, ValueError, UnicodeDecodeError):
            return f"{self.head_path} was altered"
        if not (replay.n - 1 <= n <= replay.n) or n < 1 or seal(n, replay.hashes[n - 1]) != h:
            return f"the usage record {self.path} does not end where {self.head_path} says (entries were cut off or replaced)"
        return None

    def check_store_head(self, replay: Replay, store_head: str | None) -> Replay:
        """The store remembers the head too (written in the same transaction as each use): a record
        shorter than the store's copy was cut, or replaced by an older one."""
        if not replay.ok or not store_head:
            return replay
        try:
            n_text, h = store_head.split(":")
            n = int(n_text)
        except ValueError:
            return replay  # the store is the user's to edit; a garbled copy proves nothing either way
        if n > replay.n or (n >= 1 and seal(n, replay.hashes[n - 1]) != h):
            return Replay(status="broken", stamp=replay.stamp, licences=replay.licences,
                          problem=f"the usage record {self.path} is older than the store's copy of it (entries were cut off or replaced)")
        return replay

    def distrust(self, broken: Replay) -> None:
        """Keep a verdict found against the store (e.g. by check_store_head) as this record's cached
        replay, so later reads of the same files say it too."""
        if not broken.ok and broken.stamp == self._stat():
            self._replay = broken

    # ---- writing ---------------------------------------------------------------------------------
    @contextmanager
    def locked(self, blocking: bool = True) -> Iterator[Replay | None]:
        """Hold the record's lock (a sibling .lock file, so replacing the record cannot dodge it); yields
        the fresh replay, or None when `blocking` is False and another process holds it."""
        self._private_dir()  # licences/: a real 0700 directory, never a link to one elsewhere
        fd = os.open(self._lock_name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield None
                return
            self._holder = threading.get_ident()
            try:
                yield self.replay()
            finally:
                self._holder = None
        finally:
            os.close(fd)  # releases the flock

    def prepare(self, replay: Replay, entries: list[dict[str, Any]], now: datetime) -> "Prepared":
        """The lines `entries` would append to `replay`, hashed and sealed but not written: a fleet
        consumption sends them to the server with the use (see `complete`), then writes them."""
        lines, bodies, n, head = [], [], replay.n, replay.head
        for fields in entries:
            body = {"n": n + 1, "prev": head, "at": _iso(fields.pop("at", now)), **fields}
            h = _digest(body)
            lines.append(json.dumps({**body, "h": h}, sort_keys=True, separators=(",", ":")) + "\n")
            bodies.append((body, h))
            n, head = n + 1, h
        return Prepared("".join(lines).encode("ascii"), bodies, n, head)

    def _private_dir(self) -> None:
        """safe_files.private_dir on licences/, unless it is still the very directory that call left
        (same device and inode, a directory, owner-only): then one lstat is the whole check."""
        try:
            st = os.lstat(self._dir)
            if (self._dir_seen == (st.st_dev, st.st_ino) and stat.S_ISDIR(st.st_mode)
                    and not stat.S_IMODE(st.st_mode) & 0o077):
                return
        except OSError:
            pass
        from intents.safe_files import private_dir

        private_dir(self.path.parent)
        st = os.lstat(self._dir)
        self._dir_seen = (st.st_dev, st.st_ino)

    def append(self, replay: Replay, entries: list[dict[str, Any]], now: datetime) -> Replay:
        """Append entries to a verified replay (caller holds `locked`); returns the new replay."""
        return self.write(replay, self.prepare(replay, entries, now))

    def write(self, replay: Replay, prepared: "Prepared") -> Replay:
        """Write prepared lines after `replay` (caller holds `locked`, and nothing was appended since
        `prepare`); returns the new replay."""
        data, bodies, n, head = prepared.data, prepared.bodies, prepared.n, prepared.head
        fd = os.open(self._chain, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            if os.fstat(fd).st_size != replay.size:
                os.ftruncate(fd, replay.size)  # a torn line a killed process left: never acknowledged
            os.write(fd, data)
        finally:
            os.close(fd)
        self._write_head(n, head)
        # Apply what was written to the replay itself rather than reading the file again (the caller
        # holds the lock, so nobody else appended in between).
        for body, h in bodies:
            replay.apply(body)
            replay.hashes.append(h)
        replay.n, replay.head, replay.size = n, head, replay.size + len(data)
        replay.status, replay.problem, replay.stamp = "ok", None, self._stat()
        self._replay = replay
        return replay

    def _write_head(self, n: int, h: str) -> None:
        """Overwrite the head in place: one write of a fixed width (n zero-padded), so the file never
        shrinks and a reader sees the old head or the new one (see the module's docstring on why no
        rename and no fsync). A link, or anything but a regular file, is refused, never followed."""
        from intents.safe_files import UnsafePath

        text = f"{n:0{HEAD_WIDTH}d} {seal(n, h)}\n".encode("ascii")
        try:
            fd = os.open(self._head, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                         0o600)
        except OSError as exc:
            if os.path.islink(self.head_path):
                raise UnsafePath(self.head_path, "it is a symbolic link; the terminal never writes through links") \
                    from None
            raise exc
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise UnsafePath(self.head_path, "it is not a regular file")
            os.pwrite(fd, text, 0)
            if st.st_size > len(text):
                os.ftruncate(fd, len(text))  # a head from before the fixed width, or one edited by hand
        finally:
            os.close(fd)

    def one_behind(self, replay: Replay, store_head: str | None) -> bool:
        """Whether the store's copy of the head names the entry after this record's last: a fleet
        consumption that committed on the server and was killed before writing its line here."""
        if not replay.ok or not store_head:
            return False
        try:
            return int(store_head.split(":")[0]) == replay.n + 1
        except ValueError:
            return False

    def complete(self, replay: Replay, store_head: str | None, pending: str | None) -> Replay:
        """Write the line a killed consumption committed on the server but never wrote here (caller holds
        `locked`). Only a use, exactly the next entry of this chain, whose seal is the store's head: the
        record then says what the server counted, and the refund-on-restart protocol takes it from there
        (a reservation whose process is gone is given back on both sides). Anything else is left for
        check_store_head to call a cut record."""
        if not pending or not self.one_behind(replay, store_head):
            return replay
        try:
            n_text, sealed = store_head.split(":")
            entry = json.loads(pending)
            h = entry.pop("h")
            ok = (isinstance(entry, dict) and entry.get("op") == "use" and entry.get("n") == replay.n + 1
                  and int(n_text) == replay.n + 1 and entry.get("prev") == replay.head and _digest(entry) == h
                  and seal(replay.n + 1, h) == sealed)
        except (ValueError, KeyError, TypeError, AttributeError):
            return replay
        if not ok:
            return replay
        line = json.dumps({**entry, "h": h}, sort_keys=True, separators=(",", ":")) + "\n"
        return self.write(replay, Prepared(line.encode("ascii"), [(entry, h)], replay.n + 1, h))

    def start(self, now: datetime, restarted: bool) -> Replay:
        """Begin a new record (caller holds `locked`). A broken one is kept aside, never trusted again."""
        for path in (self.path, self.head_path):
            if path.exists() or path.is_symlink():
                path.replace(path.with_name(f"{path.name}.lost-{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"))
        self._replay = None
        return self.append(Replay(), [{"op": "open", "restarted": restarted, "id": secrets.token_hex(8)}], now)
