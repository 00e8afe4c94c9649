"""Caller identity from a SigV4 Authorization header. Signatures are never verified: any key works."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Caller:
    access_key: str | None
    account: str
    region: str
    signed: bool


def caller(authorization: str | None, default_account: str, default_region: str) -> Caller:
    """``AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/cognito-idp/aws4_request, ...``.

    A 12-digit access key id stands for that account (as moto does), so tests can address several
    accounts; any other key uses the default account.
    """
    if not authorization or "Credential=" not in authorization:
        return Caller(None, default_account, default_region, signed=False)
    credential = authorization.split("Credential=", 1)[1].split(",", 1)[0].strip()
    parts = credential.split("/")
    access_key = parts[0]
    region = parts[2] if len(parts) >= 5 and parts[2] else default_region
    account = access_key if len(access_key) == 12 and access_key.isdigit() else default_account
    return Caller(access_key, account, region, signed=True)
