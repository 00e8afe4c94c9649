"""OpenID tokens of the identity service (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity).

Signed with one RSA-2048 key per (account, region), made on first need and kept as a PEM on the
``Store`` (``identity_signing_key_pem``), so state export/import carries it and tokens stay valid
across a reload. Claims follow Cognito's: ``iss`` ``https://cognito-identity.amazonaws.com``, ``aud``
the identity pool id, ``sub`` the identity id, ``amr`` ``["unauthenticated"]`` or
``["authenticated", <providers>..., <sign-ins>...]``, a sign-in being
``<user pool provider>:CognitoSignIn:<sub>`` for a user pool login (the form API Gateway hands on as
``cognitoAuthenticationProvider``) and ``<developer provider>:<identity pool id>:<developer user>`` for a
developer login.

The public keys are served at ``GET /.well-known/jwks_uri`` (the path of AWS's
``https://cognito-identity.amazonaws.com/.well-known/jwks_uri``) and at
``GET /_emu/identity/jwks.json``: one JWKS listing the key of every (account, region) that has one.

The basic (classic) flow would continue with STS ``AssumeRoleWithWebIdentity``; STS is not emulated
here, so this token is as far as that flow goes.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cognito_emu import crypto, jws
from cognito_emu.env import Env
from cognito_emu.identity.models import IdentityPool
from cognito_emu.idp.key_reserve import load_private_key, new_private_key_pem

if TYPE_CHECKING:
    from cognito_emu.state import State, Store

ISSUER = "https://cognito-identity.amazonaws.com"
# The identity service signs with RS512: its JWKS (``/.well-known/jwks_uri``) lists its keys with that alg.
ALGORITHM = jws.RS512
# GetOpenIdToken: "The OpenID token is valid for 10 minutes."
DEFAULT_DURATION = 600
# GetOpenIdTokenForDeveloperIdentity's TokenDuration defaults to 15 minutes.
DEVELOPER_DEFAULT_DURATION = 900
PRINCIPAL_TAGS_CLAIM = "https://aws.amazon.com/tags"


class InvalidOpenIdToken(Exception):
    pass


@lru_cache(maxsize=64)
def _kid(pem: str) -> str:
    spki = (
        load_private_key(pem)
        .public_key()
        .public_bytes(crypto.serialization.Encoding.DER, crypto.serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    # Cognito identity's kids look like "us-east-12"; the emulator's is a digest of the public key.
    return base64.urlsafe_b64encode(hashlib.sha256(spki).digest()[:12]).decode().rstrip("=")


def _ensure_key(store: Store) -> str:
    if store.identity_signing_key_pem is None:
        store.identity_signing_key_pem = new_private_key_pem()
    return store.identity_signing_key_pem


def sign(env: Env, pool: IdentityPool, claims: dict[str, Any]) -> str:
    pem = _ensure_key(env.state.store(pool.account, pool.region))
    return jws.sign(load_private_key(pem), _kid(pem), claims, ALGORITHM)


def issue(
    env: Env,
    pool: IdentityPool,
    identity_id: str,
    providers: list[str],
    duration: int = DEFAULT_DURATION,
    principal_tags: dict[str, str] | None = None,
    sign_ins: list[str] | None = None,
) -> str:
    now = int(env.clock.now())
    claims: dict[str, Any] = {
        "sub": identity_id,
        "aud": pool.id,
        "iss": ISSUER,
        "amr": ["authenticated", *providers, *(sign_ins or [])] if providers else ["unauthenticated"],
        "https://cognito-identity.amazonaws.com/identity-pool-arn": pool.arn,
        "iat": now,
        "exp": now + duration,
    }
    if principal_tags:
        claims[PRINCIPAL_TAGS_CLAIM] = {"principal_tags": {k: [v] for k, v in principal_tags.items()}}
    return sign(env, pool, claims)


def verify(env: Env, pool: IdentityPool, token: str) -> dict[str, Any]:
    """Claims of a token the pool's (account, region) key signed; expiry is left to the caller."""
    pem = env.state.store(pool.account, pool.region).identity_signing_key_pem
    if pem is None:
        raise InvalidOpenIdToken("no key")
    try:
        if jws.header(token).get("kid") != _kid(pem):
            raise InvalidOpenIdToken("unknown key")
        claims = jws.verify(load_private_key(pem).public_key(), token, ALGORITHM)
    except (jws.MalformedToken, jws.BadSignature) as exc:
        raise InvalidOpenIdToken(str(exc)) from exc
    if claims.get("iss") != ISSUER or not isinstance(claims.get("exp"), (int, float)):
        raise InvalidOpenIdToken("not an identity token")
    return claims


def jwks(state: State) -> dict[str, list[dict[str, str]]]:
    """The public key of every (account, region) whose identity service has signed a token."""
    keys = []
    for store in state.stores.values():
        pem = store.identity_signing_key_pem
        if pem is None:
            continue
        numbers = load_private_key(pem).public_key().public_numbers()
        keys.append(
            {
                "kty": "RSA",
                "alg": ALGORITHM,
                "use": "sig",
                "kid": _kid(pem),
                "n": jws.b64url_uint(numbers.n),
                "e": jws.b64url_uint(numbers.e),
            }
        )
    return {"keys": keys}
