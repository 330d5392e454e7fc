"""PASETO v4.public tokens (Ed25519), implemented on `cryptography` primitives.

Format: "v4.public." + b64url(message || signature) [+ "." + b64url(footer)], where the signature is
Ed25519 over PAE("v4.public.", message, footer, implicit). The footer carries the key id (kid) in clear,
so the verifier picks the right trusted key; it is signed too, so swapping it breaks the signature.
See https://github.com/paseto-standard/paseto-spec (docs/01-Protocol-Versions/Version4.md).
"""
from __future__ import annotations

import base64
import struct

HEADER = b"v4.public."
SIG_LEN = 64


class TokenError(ValueError):
    """The token is not a well-formed v4.public token, or its signature does not verify."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if any(c in text for c in "=+/ \n"):
        raise TokenError("token is not unpadded base64url", "malformed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, base64.binascii.Error) as exc:
        raise TokenError(f"token is not base64url: {exc}", "malformed") from None


def pae(*pieces: bytes) -> bytes:
    """Pre-authentication encoding: count and each length as little-endian 64-bit, top bit clear."""
    out = [struct.pack("<Q", len(pieces) & 0x7FFFFFFFFFFFFFFF)]
    for piece in pieces:
        out.append(struct.pack("<Q", len(piece) & 0x7FFFFFFFFFFFFFFF))
        out.append(piece)
    return b"".join(out)


def sign(private_key, message: bytes, footer: bytes = b"", implicit: bytes = b"") -> str:
    """private_key: cryptography's Ed25519PrivateKey."""
    signature = private_key.sign(pae(HEADER, message, footer, implicit))
    token = HEADER.decode() + b64url_encode(message + signature)
    if footer:
        token += "." + b64url_encode(footer)
    return token


def split(token: str) -> tuple[bytes, bytes, bytes]:
    """(message, signature, footer) without verifying anything."""
    token = token.strip()
    if not token.startswith(HEADER.decode()):
        raise TokenError("not a v4.public token (it must start with 'v4.public.')", "malformed")
    rest = token[len(HEADER):].split(".")
    if len(rest) not in (1, 2) or not rest[0]:
        raise TokenError("a v4.public token has a body and at most one footer", "malformed")
    body = b64url_decode(rest[0])
    footer = b64url_decode(rest[1]) if len(rest) == 2 else b""
    if len(body) < SIG_LEN:
        raise TokenError("token body is too short to hold a signature", "malformed")
    return body[:-SIG_LEN], body[-SIG_LEN:], footer


def footer_of(token: str) -> bytes:
    return split(token)[2]


def verify(public_key, token: str, implicit: bytes = b"") -> tuple[bytes, bytes]:
    """Check the signature with one public key (Ed25519PublicKey); returns (message, footer)."""
    from cryptography.exceptions import InvalidSignature

    message, signature, footer = split(token)
    try:
        public_key.verify(signature, pae(HEADER, message, footer, implicit))
    except InvalidSignature:
        raise TokenError("signature does not verify: the token was altered or signed by another key",
                         "tampered") from None
    return message, footer
