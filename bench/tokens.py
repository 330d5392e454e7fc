"""PASETO v4.public: our tokens.py (on `cryptography`) against pyseto, side by side.

    python bench/tokens.py [--runs 7] [--verifies 2000] [--pyseto-path DIR]

pyseto is not a dependency; to compare, install it somewhere apart and point at it:
    pip install --target /tmp/pyseto-eval pyseto && python bench/tokens.py --pyseto-path /tmp/pyseto-eval

1. Import cost: a fresh process imports what a verification needs (ours: entitlements.tokens plus the
   cryptography Ed25519 modules; pyseto: `import pyseto`); median of N runs, alternating, wall time inside.
2. Verify: microseconds per verification of one licence-sized token, each implementation verifying the
   token the other signed (so the figures double as an interoperability check).
3. Dependency weight: what pyseto installs on top of what we already ship (sizes on disk).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What a verifying process has imported anyway (the gate's Decision model is pydantic) is outside the clock.
PRE = "import json, base64, struct, pydantic, entitlements.decision; "
OURS = (PRE + "import time; t = time.perf_counter(); import entitlements.tokens; "
        "from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey; "
        "from cryptography.exceptions import InvalidSignature; print((time.perf_counter() - t) * 1000)")
THEIRS = PRE + "import time; t = time.perf_counter(); import pyseto; print((time.perf_counter() - t) * 1000)"


def import_ms(code: str, extra_path: str | None) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [extra_path, str(ROOT)]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip())


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--verifies", type=int, default=2000)
    ap.add_argument("--pyseto-path", default=None)
    args = ap.parse_args()
    if args.pyseto_path:
        sys.path.insert(0, args.pyseto_path)
    try:
        import pyseto
        from pyseto import Key
    except ImportError:
        pyseto = None

    ours_ms, theirs_ms = [], []
    for _ in range(args.runs):  # alternating, so machine load hits both alike
        ours_ms.append(import_ms(OURS, None))
        if pyseto is not None:
            theirs_ms.append(import_ms(THEIRS, args.pyseto_path))

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from entitlements import tokens

    key = Ed25519PrivateKey.generate()
    payload = json.dumps({"typ": "licence", "plan": "pro", "sub": "someone@example.com", "features": {
        "pack.legal": True, "legal.draft_nda": 20, "max_file_mb": 100}, "jti": "0" * 32,
        "iat": "2026-11-27T12:00:00+00:00", "nbf": "2026-11-27T12:00:00+00:00",
        "exp": "2026-12-27T12:00:00+00:00"}).encode()
    footer, implicit = b'{"kid":"k4.pid.test"}', b"intent-terminal/licence/v1"
    ours_token = tokens.sign(key, payload, footer, implicit)
    n = args.verifies

    def per_verify_us(fn) -> float:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - t) / n * 1e6

    ours = lambda: tokens.verify(key.public_key(), ours_token, implicit)  # noqa: E731
    ours_us = statistics.median(per_verify_us(ours) for _ in range(args.runs))

    print(f"{'':28s}{'ours (tokens.py)':>20s}{'pyseto':>14s}")
    theirs_import = f"{statistics.median(theirs_ms):.1f}" if theirs_ms else "n/a"
    print(f"{'import, ms (median)':28s}{statistics.median(ours_ms):>20.1f}{theirs_import:>14s}")
    if pyseto is None:
        print(f"{'verify, us':28s}{ours_us:>20.1f}{'n/a':>14s}")
        print("pyseto is not installed here; see the module docstring")
        return
    pem_priv = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    pem_pub = key.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    sk, pk = Key.new(4, "public", pem_priv), Key.new(4, "public", pem_pub)
    their_token = pyseto.encode(sk, payload, footer=footer, implicit_assertion=implicit).decode()
    # Interoperability both ways: each verifies the other's token.
    assert pyseto.decode(pk, ours_token, implicit_assertion=implicit).payload == payload
    assert tokens.verify(key.public_key(), their_token, implicit)[0] == payload
    theirs = lambda: pyseto.decode(pk, ours_token, implicit_assertion=implicit)  # noqa: E731
    pairs = [(per_verify_us(ours), per_verify_us(theirs)) for _ in range(args.runs)]  # alternating
    ours_us, theirs_us = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
    print(f"{'verify, us':28s}{ours_us:>20.1f}{theirs_us:>14.1f}")
    base = Path(args.pyseto_path) if args.pyseto_path else Path(pyseto.__file__).parents[1]
    extra = {p.name: du(p) for p in base.iterdir() if p.is_dir() and not p.name.endswith("-info")
             and p.name not in ("cryptography", "cffi", "pycparser", "bin", "__pycache__")}
    print(f"{'extra installed, MB':28s}{0.0:>20.1f}{sum(extra.values()) / 1e6:>14.1f}")
    print("pyseto adds: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(extra.items(), key=lambda i: -i[1])))
    print("interoperability: each verified the other's token (sign and verify agree both ways)")


if __name__ == "__main__":
    main()
