"""A real PostgreSQL for the tests: Debian's `postgresql` package, started here and stopped after.

initdb refuses to run as root, so as root the server runs as `nobody` (runuser), in a data directory
it owns inside a temporary directory; it listens only on a unix socket in that directory (no TCP
port to collide with or to expose). `available()` says why not when it cannot be started.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"


def bindir() -> Path | None:
    for env in (os.environ.get("INTENT_PG_BINDIR"),):
        if env and (Path(env) / "initdb").exists():
            return Path(env)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
                   if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser") or shutil.which("setpriv")
    if runuser and runuser.endswith("runuser"):
        return [runuser, "-u", "nobody", "--", *cmd]
    return [runuser, "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]


def unavailable_reason() -> str | None:
    if bindir() is None:
        return "PostgreSQL is not installed (Debian package `postgresql`; .ci/run installs it)"
    if os.geteuid() == 0 and not (shutil.which("runuser") or shutil.which("setpriv")):
        return "running as root without runuser/setpriv to start PostgreSQL as an unprivileged user"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    return None


class PgServer:
    def __init__(self) -> None:
        self.bin = bindir()
        self.base = Path(tempfile.mkdtemp(prefix="intent-pg-"))
        os.chmod(self.base, 0o755)
        self.data = self.base / "data"
        self.sock = self.base / "sock"
        self.port = 5432
        self.log = self.base / "server.log"
        self.proc: subprocess.Popen | None = None

    def _own(self, *paths: Path) -> None:
        if os.geteuid() == 0:
            import pwd

            pw = pwd.getpwnam("nobody")
            for p in paths:
                os.chown(p, pw.pw_uid, pw.pw_gid)

    def init(self) -> None:
        for p in (self.data, self.sock):
            p.mkdir(mode=0o700 if p == self.data else 0o755)
        self.log.touch()
        self._own(self.data, self.sock, self.log)
        subprocess.run(_as_server_user([str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                                        "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                                        "--no-sync", "--no-instructions"]),
                       check=True, capture_output=True, timeout=120)
        # The superuser over the socket without a password (the tests' own admin connection); every other
        # role must give its password, so wrong credentials are refused as on a real server.
        hba = self.data / "pg_hba.conf"
        hba.write_text("local all postgres trust\nlocal all all scram-sha-256\n")
        self._own(hba)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            _as_server_user([str(self.bin / "postgres"), "-D", str(self.data), "-k", str(self.sock),
                             "-c", "listen_addresses=", "-p", str(self.port), "-c", "fsync=off",
                             "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                             "-c", "max_connections=100", "-c", "shared_buffers=32MB"]),
            stdout=subprocess.DEVNULL, stderr=open(self.log, "ab"), start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited: {self.log.read_text()[-2000:]}")
            if (self.sock / f".s.PGSQL.{self.port}").exists():
                try:
                    self.sql("SELECT 1")
                    return
                except Exception:  # noqa: BLE001 - still starting
                    pass
            time.sleep(0.1)
        raise RuntimeError("postgres did not start within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: smart shutdown... fast enough with no clients
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def url(self, db: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        auth = user + (f":{password}" if password else "")
        return f"postgresql://{auth}@/{db}?host={self.sock}&port={self.port}"

    def sql(self, statement: str, db: str = "postgres", params=None):
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True, connect_timeout=5) as conn:
            cur = conn.execute(statement, params)
            return cur.fetchall() if cur.description else None

    def new_database(self, name: str) -> str:
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
