"""PASETO v4.public on cryptography primitives: the official test vectors and tamper detection."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from entitlements import tokens

# Official vectors 4-S-1 and 4-S-2 (paseto-standard/test-vectors, v4.json).
SECRET = bytes.fromhex("b4cbfb43df4ce210727d953e4a713307fa19bb7d9f85041438d9e11b942a3774")
PAYLOAD = b'{"data":"this is a signed message","exp":"2022-01-01T00:00:00+00:00"}'
FOOTER = b'{"kid":"zVhMiPBP9fRf2snEcT7gFTioeA9COcNy9DfgL1W60haN"}'
TOKEN_1 = ("v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9"
           "bg_XBBzds8lTZShVlwwKSgeKpLT3yukTw6JUz3W4h_ExsQV-P0V54zemZDcAxFaSeef1QlXEFtkqxT1ciiQEDA")
TOKEN_2 = ("v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9"
           "v3Jt8mx_TdM2ceTGoqwrh4yDFn0XsHvvV_D0DtwQxVrJEBMl0F2caAdgnpKlt4p7xBnx1HcO-SPo8FPp214HDw."
           "eyJraWQiOiJ6VmhNaVBCUDlmUmYyc25FY1Q3Z0ZUaW9lQTlDT2NOeTlEZmdMMVc2MGhhTiJ9")


@pytest.fixture
def key():
    return Ed25519PrivateKey.from_private_bytes(SECRET)


def test_official_vectors_sign_and_verify(key):
    assert key.public_key().public_bytes_raw().hex() == (
        "1eb9dbbbbc047c03fd70604e0071f0987e16b28b757225c11f00415d0e20b1a2")
    assert tokens.sign(key, PAYLOAD) == TOKEN_1
    assert tokens.sign(key, PAYLOAD, FOOTER) == TOKEN_2
    assert tokens.verify(key.public_key(), TOKEN_2) == (PAYLOAD, FOOTER)


def test_any_flipped_character_fails(key):
    body = TOKEN_2.split(".")[2]
    for i in (0, len(body) // 2, len(body) - 3):
        ch = "A" if body[i] != "A" else "B"
        bad = TOKEN_2.replace(body, body[:i] + ch + body[i + 1:])
        with pytest.raises(tokens.TokenError) as info:
            tokens.verify(key.public_key(), bad)
        assert info.value.reason in ("tampered", "malformed")
    # The footer is signed too: swapping the kid breaks the signature.
    swapped = TOKEN_2.rsplit(".", 1)[0] + "." + tokens.b64url_encode(b'{"kid":"other"}')
    with pytest.raises(tokens.TokenError, match="does not verify"):
        tokens.verify(key.public_key(), swapped)
    # The implicit assertion binds a token to its product.
    with pytest.raises(tokens.TokenError):
        tokens.verify(key.public_key(), TOKEN_2, implicit=b"another product")


@pytest.mark.parametrize("text", ["", "v3.public.abc", "v4.local.abc", "v4.public.", "v4.public.a.b.c",
                                  "v4.public.c2hvcnQ", "v4.public.!!!"])
def test_malformed_tokens(key, text):
    with pytest.raises(tokens.TokenError) as info:
        tokens.verify(key.public_key(), text)
    assert info.value.reason == "malformed"
