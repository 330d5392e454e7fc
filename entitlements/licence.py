"""Licences and grants: signed PASETO v4.public tokens, issued by the vendor, verified offline here.

A licence carries subject, plan, subscription status, grace days, the feature snapshot of its plan
(booleans, metered limits, config values), issue/not-before/expiry times and, in the footer, the key
id. A grant is a top-up of one metered feature (qty, expiry). Both are bound to this product by the
implicit assertion, so a token signed for another product with the same key does not verify here.
"""
# No `from __future__ import annotations`: see entitlements/catalog.py.
import json
import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from entitlements import tokens
from entitlements.catalog import new_dict, new_list  # see there why not the builtins
from entitlements.errors import LicenceRefused
from entitlements.periods import CLOCK_SKEW

IMPLICIT = b"intent-terminal/licence/v1"
ISSUER = "intent-terminal"
MAX_DAYS = 3660  # ten years: longer is a typo, and far-future dates are where clock bugs hide

Status = Literal["trialing", "active", "past_due", "canceled"]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("times must carry a timezone")
    return value.astimezone(timezone.utc)


class Claims(BaseModel):
    # Built on first use (subclasses inherit this): a run validates a licence, and a grant only where a
    # grant is held; the base is never validated itself (issue 20).
    model_config = ConfigDict(extra="ignore", defer_build=True)

    iss: Literal["intent-terminal"] = ISSUER
    typ: Literal["licence", "grant"]
    jti: str = Field(min_length=8, max_length=64)
    sub: str = Field(min_length=1, max_length=200)
    iat: datetime
    nbf: datetime
    exp: datetime

    _utc = field_validator("iat", "nbf", "exp")(_aware)


class LicenceClaims(Claims):
    typ: Literal["licence"] = "licence"
    plan: str = Field(min_length=1, max_length=40)
    status: Status = "active"
    grace_days: int = Field(default=7, ge=0, le=90)
    all_features: bool = False
    features: dict[str, Any] = Field(default_factory=new_dict)
    # A fleet licence: how many terminals may hold it at once (None: not counted), and which metered
    # features are pooled across those seats (the pool is limit x seats, shared by the licence's terminals).
    seats: int | None = Field(default=None, ge=1, le=100_000)
    pooled: list[str] = Field(default_factory=new_list)
    # The fleet store this licence is bound to: its host name and the CA (PEM) that signed its TLS
    # certificate. A bound licence applies only through a connection to that host whose certificate
    # that CA signed (sslmode=verify-full), so pointing a terminal at a PostgreSQL of one's own gets
    # nothing. None: any store the terminal is given (the URL is then trusted as configured).
    store_host: str | None = Field(default=None, min_length=1, max_length=253)
    store_ca: str | None = Field(default=None, min_length=1, max_length=20_000)


_grant_lock = threading.Lock()


def _grant_claims() -> type:
    """GrantClaims, created at its first use (`licence.GrantClaims` works as ever): only a home that holds
    a grant, or a vendor issuing one, needs the class, and creating it costs every licensed `intent do`
    ~2 M instructions (issue 20). Created once, under a lock, so every isinstance sees the same class."""
    cls = globals().get("GrantClaims")
    if cls is not None:
        return cls
    with _grant_lock:
        cls = globals().get("GrantClaims")
        if cls is None:
            class GrantClaims(Claims):
                typ: Literal["grant"] = "grant"
                feature: str = Field(min_length=1, max_length=80)
                qty: int = Field(gt=0, le=1_000_000)

            GrantClaims.__qualname__ = "GrantClaims"
            globals()["GrantClaims"] = cls = GrantClaims
    return cls


def __getattr__(name: str):
    if name == "GrantClaims":
        return _grant_claims()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check_days(days: float) -> None:
    if not (0 < days <= MAX_DAYS):  # also refuses NaN
        raise ValueError(f"--days must be more than 0 and at most {MAX_DAYS} (got {days:g})")


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def _sign(private_key, claims: Claims) -> str:
    from entitlements.keys import key_id

    payload = json.dumps(claims.model_dump(mode="json"), sort_keys=True, separators=(",", ":")).encode()
    footer = json.dumps({"kid": key_id(private_key.public_key())}, separators=(",", ":")).encode()
    return tokens.sign(private_key, payload, footer, IMPLICIT)


def issue_licence(private_key, plan: str, days: float, subject: str = "licensee", now: datetime | None = None,
                  status: Status = "active", grace_days: int = 7, catalog=None, seats: int | None = None,
                  pooled: list[str] | None = None, store_host: str | None = None,
                  store_ca: str | None = None) -> str:
    """Vendor side: sign a licence for `plan` with the catalog's feature snapshot for that plan."""
    from entitlements.catalog import load_catalog

    catalog = catalog or load_catalog()
    spec = catalog.plan(plan)
    _check_days(days)
    pooled = sorted(set(spec.pooled if pooled is None else pooled))
    for feature in pooled:
        if catalog.kind(feature) != "metered" or feature not in spec.features:
            raise ValueError(f"--pool {feature}: only a metered feature of the {plan} plan can be pooled")
    if seats is not None and not 1 <= seats <= 100_000:
        raise ValueError(f"--seats must be between 1 and 100,000 (got {seats})")
    if pooled and seats is None:
        raise ValueError("a pooled feature is shared across seats: give --seats too")
    if (store_host is None) != (store_ca is None):
        raise ValueError("binding a licence to a fleet store takes both --store-host and --store-ca")
    if store_ca is not None:
        _check_ca(store_ca)
    now = now or datetime.now(timezone.utc)
    claims = LicenceClaims(
        jti=uuid.uuid4().hex, sub=subject, iat=now, nbf=now, exp=now + timedelta(days=days), plan=plan,
        status=status, grace_days=grace_days, all_features=spec.all_features, features=dict(spec.features),
        seats=seats, pooled=pooled, store_host=store_host, store_ca=store_ca,
    )
    return _sign(private_key, claims)


def _check_ca(pem: str) -> None:
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ValueError("--store-ca must be a PEM file of the CA certificate that signed the store's "
                         "TLS certificate") from None
    if not certs:
        raise ValueError("--store-ca holds no certificate")


def issue_grant(private_key, feature: str, qty: int, days: float, subject: str = "licensee",
                now: datetime | None = None) -> str:
    """Vendor side: a top-up of `qty` uses of metered `feature`, valid for `days`."""
    from entitlements.catalog import load_catalog

    _check_days(days)
    if not 0 < qty <= 1_000_000:
        raise ValueError(f"--qty must be between 1 and 1,000,000 (got {qty})")
    if load_catalog().kind(feature) != "metered":
        raise ValueError(f"{feature!r} is not a metered feature; only metered features take grants")
    now = now or datetime.now(timezone.utc)
    claims = _grant_claims()(jti=uuid.uuid4().hex, sub=subject, iat=now, nbf=now, exp=now + timedelta(days=days),
                         feature=feature, qty=qty)
    return _sign(private_key, claims)


def verify(token: str, trusted: dict, now: datetime, allow_expired: bool = False) -> "LicenceClaims | GrantClaims":
    """Verify signature against the trusted keys, then the claims and times. Raises LicenceRefused."""
    token = token.strip()
    try:
        footer = json.loads(tokens.footer_of(token) or b"{}")
        kid = footer.get("kid") if isinstance(footer, dict) else None
    except tokens.TokenError as exc:
        raise LicenceRefused(f"not a licence token: {exc}", reason="malformed") from None
    except ValueError:
        raise LicenceRefused("not a licence token: its footer is not JSON", reason="malformed") from None
    if not kid:
        raise LicenceRefused("the licence names no signing key (kid)", reason="malformed")
    entry = trusted.get(kid)
    if entry is None:
        raise LicenceRefused(
            f"the licence is signed by key {kid}, which this terminal does not trust (trusted keys: the "
            f"vendor's pinned key and *.pem in the trust directory)", reason="untrusted", kid=kid,
        )
    try:
        message, _ = tokens.verify(entry.key, token, IMPLICIT)
    except tokens.TokenError as exc:
        reason = "tampered" if exc.reason == "tampered" else "malformed"
        text = ("the licence was altered after it was signed (its signature does not verify)"
                if reason == "tampered" else f"not a licence token: {exc}")
        raise LicenceRefused(text, reason=reason) from None
    try:
        data = json.loads(message)
        model = _grant_claims() if isinstance(data, dict) and data.get("typ") == "grant" else LicenceClaims
        claims = model.model_validate(data)
    except (ValueError, ValidationError) as exc:
        raise LicenceRefused(f"the licence is signed but its contents are not understood: {exc}",
                             reason="malformed") from None
    if claims.nbf > now + CLOCK_SKEW:
        raise LicenceRefused(
            f"the licence is not valid before {_iso(claims.nbf)} (this computer says {_iso(now)}; "
            f"check the system clock)", reason="not_yet_valid",
        )
    if not allow_expired and now >= expiry_with_grace(claims):
        raise LicenceRefused(f"the {describe(claims)} expired on {_iso(claims.exp)}; renew it",
                             reason="expired", expired_at=_iso(claims.exp))
    return claims


def expiry_with_grace(claims: Claims) -> datetime:
    if isinstance(claims, LicenceClaims) and claims.status != "canceled":
        return claims.exp + timedelta(days=claims.grace_days)
    return claims.exp


def describe(claims: Claims) -> str:
    if isinstance(claims, LicenceClaims):
        return f"{claims.plan} licence"
    return f"grant of {claims.qty} {claims.feature}"


def subscription_status(claims: LicenceClaims, now: datetime) -> str:
    """trialing / active / past_due / canceled while paid up; grace after expiry; then expired."""
    if now < claims.exp:
        return claims.status
    if now < expiry_with_grace(claims):
        return "grace"
    return "expired"
