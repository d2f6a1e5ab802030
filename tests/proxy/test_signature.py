"""Request signatures: every way a signature can be right, and every way it can be wrong."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from phiwall.errors import BadSignature
from phiwall.proxy.signature import sign, verify_signature
from phiwall.store.agent import SignatureScheme

SECRET = "whsec_test_secret"
BODY = b'{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}'
NOW = 1_700_000_000.0
STAMP = "1700000000"

VAPI = SignatureScheme(secret=SECRET)
HMAC256 = SignatureScheme(secret=SECRET, kind="hmac", header="x-signature")
HMAC512 = SignatureScheme(secret=SECRET, kind="hmac", header="x-signature", algorithm="sha512")


def vapi_hex(body: bytes = BODY, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def general_hex(
    algorithm: str = "sha256", stamp: str = STAMP, body: bytes = BODY, secret: str = SECRET
) -> str:
    payload = stamp.encode() + b"." + body
    return hmac.new(secret.encode(), payload, getattr(hashlib, algorithm)).hexdigest()


ACCEPTED = [
    ("vapi plain hex", VAPI, {"x-vapi-signature": vapi_hex()}),
    ("vapi sha256= prefix", VAPI, {"x-vapi-signature": "sha256=" + vapi_hex()}),
    ("vapi upper-case hex", VAPI, {"x-vapi-signature": vapi_hex().upper()}),
    ("vapi upper-case prefix", VAPI, {"x-vapi-signature": "SHA256=" + vapi_hex()}),
    ("vapi surrounding spaces", VAPI, {"x-vapi-signature": f" {vapi_hex()} "}),
    (
        "hmac sha256",
        HMAC256,
        {"x-signature": general_hex(), "x-phiwall-timestamp": STAMP},
    ),
    (
        "hmac sha512",
        HMAC512,
        {"x-signature": general_hex("sha512"), "x-phiwall-timestamp": STAMP},
    ),
    (
        "hmac prefixed upper-case",
        HMAC512,
        {"x-signature": "sha512=" + general_hex("sha512").upper(), "x-phiwall-timestamp": STAMP},
    ),
    (
        "hmac at the window's past edge",
        HMAC256,
        {"x-signature": general_hex(stamp="1699999700"), "x-phiwall-timestamp": "1699999700"},
    ),
    (
        "hmac at the window's future edge",
        HMAC256,
        {"x-signature": general_hex(stamp="1700000300"), "x-phiwall-timestamp": "1700000300"},
    ),
    (
        "hmac fractional timestamp",
        HMAC256,
        {"x-signature": general_hex(stamp="1700000000.5"), "x-phiwall-timestamp": "1700000000.5"},
    ),
]


@pytest.mark.parametrize(
    ("scheme", "headers"), [case[1:] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED]
)
def test_valid_signatures_pass(scheme: SignatureScheme, headers: dict[str, str]) -> None:
    verify_signature(scheme, headers, BODY, NOW)


REFUSED = [
    ("vapi no header", VAPI, {}, BODY, "missing"),
    ("vapi empty header", VAPI, {"x-vapi-signature": ""}, BODY, "missing"),
    ("vapi tampered body", VAPI, {"x-vapi-signature": vapi_hex()}, BODY + b" ", "invalid"),
    ("vapi wrong secret", VAPI, {"x-vapi-signature": vapi_hex(secret="other")}, BODY, "invalid"),
    ("vapi truncated", VAPI, {"x-vapi-signature": vapi_hex()[:-2]}, BODY, "invalid"),
    ("vapi sha512 prefix", VAPI, {"x-vapi-signature": "sha512=" + vapi_hex()}, BODY, "invalid"),
    ("vapi non-ascii", VAPI, {"x-vapi-signature": "é" * 64}, BODY, "invalid"),
    ("vapi in other header", VAPI, {"x-signature": vapi_hex()}, BODY, "missing"),
    (
        "hmac no timestamp",
        HMAC256,
        {"x-signature": general_hex()},
        BODY,
        "missing",
    ),
    (
        "hmac no signature",
        HMAC256,
        {"x-phiwall-timestamp": STAMP},
        BODY,
        "missing",
    ),
    (
        "hmac tampered body",
        HMAC256,
        {"x-signature": general_hex(), "x-phiwall-timestamp": STAMP},
        b"{}",
        "invalid",
    ),
    (
        "hmac wrong secret",
        HMAC256,
        {"x-signature": general_hex(secret="nope"), "x-phiwall-timestamp": STAMP},
        BODY,
        "invalid",
    ),
    (
        "hmac wrong algorithm",
        HMAC512,
        {"x-signature": general_hex("sha256"), "x-phiwall-timestamp": STAMP},
        BODY,
        "invalid",
    ),
    (
        "hmac timestamp swapped after signing",
        HMAC256,
        {"x-signature": general_hex(), "x-phiwall-timestamp": "1700000001"},
        BODY,
        "invalid",
    ),
    (
        "hmac body-only signature",
        HMAC256,
        {"x-signature": vapi_hex(), "x-phiwall-timestamp": STAMP},
        BODY,
        "invalid",
    ),
    (
        "hmac stale",
        HMAC256,
        {"x-signature": general_hex(stamp="1699999699"), "x-phiwall-timestamp": "1699999699"},
        BODY,
        "expired",
    ),
    (
        "hmac from the future",
        HMAC256,
        {"x-signature": general_hex(stamp="1700000301"), "x-phiwall-timestamp": "1700000301"},
        BODY,
        "expired",
    ),
    (
        "hmac timestamp not a number",
        HMAC256,
        {"x-signature": general_hex(stamp="soon"), "x-phiwall-timestamp": "soon"},
        BODY,
        "invalid",
    ),
    (
        "hmac timestamp nan",
        HMAC256,
        {"x-signature": general_hex(stamp="nan"), "x-phiwall-timestamp": "nan"},
        BODY,
        "invalid",
    ),
    (
        "hmac timestamp in non-ascii digits",
        HMAC256,
        {"x-signature": general_hex(), "x-phiwall-timestamp": "١٧٠٠٠٠٠٠٠٠"},
        BODY,
        "invalid",
    ),
]


@pytest.mark.parametrize(
    ("scheme", "headers", "body", "reason"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_bad_signatures_are_refused_with_a_generic_reason(
    scheme: SignatureScheme, headers: dict[str, str], body: bytes, reason: str
) -> None:
    with pytest.raises(BadSignature) as caught:
        verify_signature(scheme, headers, body, NOW)
    assert caught.value.message == f"{reason} request signature"
    assert caught.value.status == 401
    assert caught.value.code == "bad_signature"
    assert SECRET not in caught.value.message


def test_configured_header_names_match_lower_cased_request_headers() -> None:
    scheme = SignatureScheme(
        secret=SECRET, kind="hmac", header="X-Signature", timestamp_header="X-Timestamp"
    )
    headers = {"x-signature": general_hex(), "x-timestamp": STAMP}
    verify_signature(scheme, headers, BODY, NOW)


@pytest.mark.parametrize("scheme", [VAPI, HMAC256, HMAC512], ids=["vapi", "sha256", "sha512"])
def test_sign_produces_what_verify_accepts(scheme: SignatureScheme) -> None:
    signature = sign(scheme, BODY, STAMP)
    headers = {scheme.header: signature, scheme.timestamp_header: STAMP}
    verify_signature(scheme, headers, BODY, NOW)


def test_sign_requires_a_timestamp_for_hmac() -> None:
    with pytest.raises(ValueError, match="timestamp"):
        sign(HMAC256, BODY)


def test_an_unknown_scheme_refuses_everything() -> None:
    corrupt = SignatureScheme(secret=SECRET, kind="unknown")
    with pytest.raises(BadSignature, match="invalid"):
        verify_signature(corrupt, {"x-vapi-signature": vapi_hex()}, BODY, NOW)
