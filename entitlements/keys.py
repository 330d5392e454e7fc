"""Signing keys: the vendor's keygen, key ids, and the set of public keys this terminal trusts.

Trusted = the keys pinned in this package (entitlements/trusted_keys/*.pem) plus *.pem files in the
trust directory: INTENT_TRUST_DIR, default /etc/intent-terminal/trusted-keys. Nothing under INTENT_HOME
is ever trusted: that directory is the user's to edit.

Because INTENT_TRUST_DIR is an environment variable, anyone can point it somewhere. So a key file there
counts only when it and its directory belong to root or to the owner of the installed package and are
not writable by group or others: on a real install (package owned by root) a user cannot plant a key;
in a developer's checkout the developer owns the package and could change its code anyway.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import NamedTuple

from entitlements.tokens import b64url_encode

PINNED_DIR = Path(__file__).with_name("trusted_keys")
DEFAULT_TRUST_DIR = Path("/etc/intent-terminal/trusted-keys")


def trust_dir() -> Path:
    return Path(os.environ.get("INTENT_TRUST_DIR") or DEFAULT_TRUST_DIR)


def key_id(public_key) -> str:
    """PASERK-style id (k4.pid): BLAKE2b-264 over "k4.pid." + "k4.public." + b64url(raw public key)."""
    raw = public_key.public_bytes_raw()
    paserk = "k4.public." + b64url_encode(raw)
    digest = hashlib.blake2b(("k4.pid." + paserk).encode(), digest_size=33).digest()
    return "k4.pid." + b64url_encode(digest)


# A NamedTuple, not a frozen dataclass: as immutable, and dataclasses would compile six generated methods
# in every process that checks a licence (~3 M instructions of a licensed `intent do`; issue 20).
class TrustedKey(NamedTuple):
    kid: str
    key: object  # Ed25519PublicKey
    source: str  # file it came from


# DER of an Ed25519 SubjectPublicKeyInfo (RFC 8410) up to the 32 key bytes: SEQUENCE { SEQUENCE { OID
# 1.3.101.112 }, BIT STRING (0 unused bits) }. Every Ed25519 public key PEM is this plus the key.
_ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def _load_public(path: Path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    data = path.read_bytes()
    raw = _ed25519_pem_key(data)
    if raw is not None:
        # The common case without cryptography's serialization module, whose import (it pulls in SSH,
        # RSA, DSA, EC and cipher modules) costs more than the rest of checking a licence.
        return Ed25519PublicKey.from_public_bytes(raw)
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _ed25519_pem_key(data: bytes) -> bytes | None:
    """The 32 key bytes of a PEM that is exactly one Ed25519 public key (what `keygen` writes and
    cryptography prints); None for anything else, which load_pem_public_key then reads or refuses."""
    import binascii

    lines = data.strip().splitlines()
    if len(lines) != 3 or lines[0].strip() != b"-----BEGIN PUBLIC KEY-----" \
            or lines[2].strip() != b"-----END PUBLIC KEY-----":
        return None
    try:
        der = binascii.a2b_base64(lines[1].strip(), strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    if len(der) != len(_ED25519_SPKI_PREFIX) + 32 or not der.startswith(_ED25519_SPKI_PREFIX):
        return None
    return der[len(_ED25519_SPKI_PREFIX):]


def trusted_keys(extra_dir: Path | None = None) -> dict[str, TrustedKey]:
    """kid -> key for every readable Ed25519 *.pem in the pinned and trust directories."""
    found: dict[str, TrustedKey] = {}
    for folder in (PINNED_DIR, extra_dir or trust_dir()):
        try:
            files = sorted(folder.glob("*.pem"))
        except OSError:
            continue
        for path in files:
            problem = None if folder == PINNED_DIR else _ownership_problem(path)
            if problem:
                _warn_once(path, ValueError(problem))
                continue
            try:
                key = _load_public(path)
            except (OSError, ValueError) as exc:
                _warn_once(path, exc)
                continue
            kid = key_id(key)
            found.setdefault(kid, TrustedKey(kid, key, str(path)))
    return found


_warned: set[str] = set()


def _ownership_problem(path: Path) -> str | None:
    """Why a key file in the trust directory may not be trusted, or None (see the module docstring)."""
    allowed = {0}
    try:
        allowed.add(PINNED_DIR.parent.stat().st_uid)  # the owner of the installed package
    except OSError:
        pass
    for item in (path, path.parent):
        try:
            st = item.stat()
        except OSError as exc:
            return str(exc)
        if st.st_uid not in allowed:
            return f"{item} belongs to uid {st.st_uid}, not to root or the owner of the installed package"
        if st.st_mode & 0o022:
            return f"{item} is writable by group or others"
    return None


def _warn_once(path: Path, exc: Exception) -> None:
    if str(path) in _warned:
        return
    _warned.add(str(path))
    try:
        private = b"PRIVATE KEY" in path.read_bytes()
    except OSError:
        private = False
    why = "it is a private key; a trust directory holds public keys only" if private else str(exc)
    print(f"warning: ignoring {path} as a trusted key: {why}", file=sys.stderr)


def keygen(out: Path) -> tuple[Path, Path, str]:
    """Write out/private.pem (owner-only) and out/public.pem; refuses to overwrite a private key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    private_path, public_path = out / "private.pem", out / "public.pem"
    if private_path.exists():
        raise FileExistsError(f"{private_path} already exists; refusing to overwrite a signing key")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    from intents.safe_files import open_new, write_atomic

    with open_new(private_path, "wb") as fh:  # O_EXCL|O_NOFOLLOW, 0600
        fh.write(pem)
    write_atomic(public_path, key.public_key().public_bytes(serialization.Encoding.PEM,
                                                            serialization.PublicFormat.SubjectPublicKeyInfo),
                 mode=0o644)
    return private_path, public_path, key_id(key.public_key())


def load_private(path: Path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ValueError(f"cannot read signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key
