"""Issue 20: an Ed25519 public key read without cryptography's serialization module is exactly the key
load_pem_public_key reads; anything else still goes through load_pem_public_key."""
from __future__ import annotations

import base64

import pytest

from entitlements import keys


def test_an_ed25519_pem_reads_as_cryptography_reads_it(tmp_path):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    _, public, kid = keys.keygen(tmp_path / "k")
    data = public.read_bytes()
    assert keys._ed25519_pem_key(data) is not None  # the fast path is the one taken
    fast = keys._load_public(public)
    assert fast.public_bytes_raw() == load_pem_public_key(data).public_bytes_raw()
    assert keys.key_id(fast) == kid
    crlf = tmp_path / "crlf.pem"
    crlf.write_bytes(data.replace(b"\n", b"\r\n"))
    assert keys._load_public(crlf).public_bytes_raw() == fast.public_bytes_raw()


def test_anything_else_takes_the_general_reader(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    _, public, _ = keys.keygen(tmp_path / "k")
    good = public.read_bytes()
    lines = good.strip().splitlines()
    der = base64.b64decode(lines[1])
    wrong_oid = der[:8] + b"\x71" + der[9:]  # 1.3.101.113 is Ed448's OID, not Ed25519's
    cases = {
        "comment": b"a comment\n" + good,
        "short": b"\n".join([lines[0], base64.b64encode(der[:-1]), lines[2]]),
        "wrong-oid": b"\n".join([lines[0], base64.b64encode(wrong_oid), lines[2]]),
        "bad-base64": b"\n".join([lines[0], lines[1][:-2] + b"!!", lines[2]]),
    }
    for name, data in cases.items():
        assert keys._ed25519_pem_key(data) is None, name
    commented = tmp_path / "commented.pem"  # cryptography skips text around a PEM block: still the key
    commented.write_bytes(cases["comment"])
    assert keys._load_public(commented).public_bytes_raw() == keys._load_public(public).public_bytes_raw()
    for name in ("short", "wrong-oid", "bad-base64"):
        path = tmp_path / f"{name}.pem"
        path.write_bytes(cases[name])
        with pytest.raises(ValueError):
            keys._load_public(path)
    other = tmp_path / "ec.pem"
    other.write_bytes(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    with pytest.raises(ValueError, match="not an Ed25519"):
        keys._load_public(other)
