"""A real PostgreSQL for the tests: Debian's `postgresql` package, started here and stopped after.

initdb refuses to run as root, so as root the server runs as `nobody` (runuser), in a data directory
it owns inside a temporary directory; it listens only on a unix socket in that directory (no TCP
port to collide with or to expose). `available()` says why not when it cannot be started.
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
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


def make_ca_and_cert(folder: Path, host: str = "localhost") -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate it signs for `host` (and 127.0.0.1): (ca.pem, server.crt,
    server.key), as a fleet's administrator would have; the key is 0600."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test fleet CA {folder.name}")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    ca_path, crt_path, key_path = folder / "ca.pem", folder / "server.crt", folder / "server.key"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    crt_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    return ca_path, crt_path, key_path


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    """tls=True: also listens on 127.0.0.1 (a free port) with TLS only, its certificate signed by a CA of
    its own (`self.ca`), as a fleet's server on the network; the unix socket stays for the tests' admin."""

    def __init__(self, tls: bool = False) -> None:
        self.tls = tls
        self.ca: Path | None = None
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
        lines = "local all postgres trust\nlocal all all scram-sha-256\n"
        if self.tls:
            self.port = _free_port()
            self.ca, crt, key = make_ca_and_cert(self.base / "tls")
            self._own(crt, key)
            lines += "hostssl all all 127.0.0.1/32 scram-sha-256\n"
        hba.write_text(lines)
        self._own(hba)

    def start(self) -> None:
        tls = (["-c", "ssl=on", "-c", f"ssl_cert_file={self.base / 'tls' / 'server.crt'}",
                "-c", f"ssl_key_file={self.base / 'tls' / 'server.key'}"] if self.tls else [])
        self.proc = subprocess.Popen(
            _as_server_user([str(self.bin / "postgres"), "-D", str(self.data), "-k", str(self.sock), *tls,
                             "-c", f"listen_addresses={'127.0.0.1' if self.tls else ''}",
                             "-p", str(self.port), "-c", "fsync=off",
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
            # SIGINT to the postmaster itself: a fast shutdown, which disconnects clients instead of waiting
            # for them (a test's own gate may still hold a connection). SIGTERM to runuser would ask for a
            # smart shutdown that waits, and runuser kills its child after 2 s: the backends left behind keep
            # the data directory locked and the next start fails.
            pid = self._postmaster_pid()
            try:
                if pid is not None:
                    os.kill(pid, signal.SIGINT)
                else:
                    self.proc.send_signal(signal.SIGINT)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def _postmaster_pid(self) -> int | None:
        """The postmaster's pid from postmaster.pid (the process started may be runuser, its parent)."""
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def url(self, db: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        auth = user + (f":{password}" if password else "")
        return f"postgresql://{auth}@/{db}?host={self.sock}&port={self.port}"

    def tcp_url(self, db: str, user: str, password: str, host: str = "localhost") -> str:
        """A terminal's URL over TCP (TLS); the CA is not named: a bound licence supplies it."""
        return f"postgresql://{user}:{password}@{host}:{self.port}/{db}"

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
