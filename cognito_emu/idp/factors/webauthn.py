"""Passkeys (WebAuthn): registration for a signed-in user, and the checks of the WEB_AUTHN sign-in step
(``idp.signin.passkey`` runs the challenge).

Developer guide, "Passkey sign-in"; API reference StartWebAuthnRegistration, CompleteWebAuthnRegistration,
ListWebAuthnCredentials, DeleteWebAuthnCredential; W3C Web Authentication level 3 for the ceremonies.

- Passkeys are on when the pool's sign-in policy lists WEB_AUTHN among AllowedFirstAuthFactors
  (else WebAuthnNotEnabledException). The relying party is WebAuthnConfiguration.RelyingPartyId
  (SetUserPoolMfaConfig), else the pool's custom domain, else its prefix domain
  ``<prefix>.auth.<region>.amazoncognito.com``; with none, WebAuthnConfigurationMissingException.
- StartWebAuthnRegistration answers PublicKeyCredentialCreationOptionsJSON with a fresh challenge kept on
  the user for ``TIMEOUT_MS`` by the emulator's clock, bound to the access token's app client.
- CompleteWebAuthnRegistration takes RegistrationResponseJSON and checks clientDataJSON (type
  webauthn.create, the challenge -> WebAuthnChallengeNotFoundException, the origin ->
  WebAuthnOriginNotAllowedException), the app client (WebAuthnClientMismatchException), the
  attestation object (fmt "none", or "packed" self / x5c attestation whose signature is checked but whose
  certificate chain is not), rpIdHash (WebAuthnRelyingPartyMismatchException), the UP flag, the UV flag
  when UserVerification is "required", and the key (ES256 / RS256; anything else
  WebAuthnCredentialNotSupportedException).
- Origins allowed for an RP id: ``https://<rpId>`` and ``https://<sub>.<rpId>`` with any port, and
  ``http://localhost[:port]`` when the RP id is ``localhost`` (browsers treat it as secure).
- Sign-in: ``request_options`` gives CREDENTIAL_REQUEST_OPTIONS, ``verify_assertion`` checks the
  AuthenticationResponseJSON answer (CREDENTIAL); every failure there is NotAuthorizedException.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

from cognito_emu import crypto, pagination
from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    LimitExceededException,
    NotAuthorizedException,
    ResourceNotFoundException,
    WebAuthnChallengeNotFoundException,
    WebAuthnClientMismatchException,
    WebAuthnConfigurationMissingException,
    WebAuthnCredentialNotSupportedException,
    WebAuthnNotEnabledException,
    WebAuthnOriginNotAllowedException,
    WebAuthnRelyingPartyMismatchException,
)
from cognito_emu.idp.factors import cbor
from cognito_emu.idp.factors.authenticator import (
    ES256,
    FLAG_UP,
    FLAG_UV,
    INVALID_CREDENTIAL,
    NOT_SUPPORTED,
    RS256,
    b64url,
    b64url_decode,
    check_attestation,
    cose_public_key,
    credential_response,
    parse_authenticator_data,
    parse_client_data,
    pem,
    verify_signature,
)
from cognito_emu.idp.models import (
    AppClient,
    User,
    UserPool,
    WebAuthnCredential,
    WebAuthnRegistration,
    own_dict,
)
from cognito_emu.idp.pool import pools

ALGORITHMS = (ES256, RS256)
# How long a registration or sign-in challenge lasts (ms, as the options' ``timeout`` says).
TIMEOUT_MS = 180_000
CHALLENGE_BYTES = 32
MAX_CREDENTIALS = 20
DEFAULT_PAGE = 20

NOT_ENABLED = "Passkey authentication is not enabled for this user pool."
CONFIGURATION_MISSING = "The user pool has no relying party ID: set WebAuthnConfiguration or a domain."
CHALLENGE_NOT_FOUND = "The WebAuthn registration challenge was not found or has expired."
CLIENT_MISMATCH = "The access token is for a different app client than StartWebAuthnRegistration's."
ORIGIN_NOT_ALLOWED = "The credential's origin {origin} is not allowed for relying party {rp_id}."
RP_MISMATCH = "The credential is for a different relying party than {rp_id}."
ALREADY_REGISTERED = "This passkey is already registered."
TOO_MANY = "The user has reached the limit of {limit} passkeys."
NOT_FOUND = "The passkey credential was not found."
SIGN_IN_FAILED = "Incorrect passkey credential."


# -- configuration -----------------------------------------------------------------------------


def configuration(pool: UserPool) -> dict[str, Any]:
    """The pool's WebAuthnConfiguration (SetUserPoolMfaConfig), {} when it has none."""
    return dict(pool.mfa_config.get("WebAuthnConfiguration") or {})


def enabled(pool: UserPool) -> bool:
    return "WEB_AUTHN" in pools.allowed_first_auth_factors(pool)


def relying_party_id(pool: UserPool) -> str | None:
    """RelyingPartyId, else the custom domain, else the prefix domain's host name."""
    configured = configuration(pool).get("RelyingPartyId")
    if configured:
        return str(configured)
    if pool.custom_domain:
        return pool.custom_domain
    if pool.domain:
        return f"{pool.domain}.auth.{pool.region}.amazoncognito.com"
    return None


def user_verification(pool: UserPool) -> str:
    return str(configuration(pool).get("UserVerification") or "preferred")


def _checked_rp_id(pool: UserPool) -> str:
    if not enabled(pool):
        raise WebAuthnNotEnabledException(NOT_ENABLED)
    rp_id = relying_party_id(pool)
    if rp_id is None:
        raise WebAuthnConfigurationMissingException(CONFIGURATION_MISSING)
    return rp_id


def origin_allowed(origin: str, rp_id: str) -> bool:
    """Whether a clientDataJSON origin may use ``rp_id``: its host is the RP id or a subdomain of it."""
    try:
        parts = urlsplit(origin)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    rp = rp_id.lower()
    if host != rp and not host.endswith("." + rp):
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and host == "localhost"


def _new_challenge(env: Env) -> str:
    return b64url(env.ids.token_bytes(CHALLENGE_BYTES))


# -- registration ------------------------------------------------------------------------------


def start_registration(env: Env, pool: UserPool, client: AppClient, user: User) -> dict[str, Any]:
    """StartWebAuthnRegistration: PublicKeyCredentialCreationOptionsJSON, its challenge kept on the user."""
    rp_id = _checked_rp_id(pool)
    if len(user.webauthn_credentials) >= MAX_CREDENTIALS:
        raise LimitExceededException(TOO_MANY.format(limit=MAX_CREDENTIALS))
    challenge = _new_challenge(env)
    user.webauthn_registration = WebAuthnRegistration(
        challenge=challenge,
        client_id=client.client_id,
        relying_party_id=rp_id,
        expires=env.clock.now() + TIMEOUT_MS / 1000,
    )
    name = user.attributes.get("email") or user.username
    return {
        "challenge": challenge,
        "rp": {"id": rp_id, "name": rp_id},
        "user": {"id": b64url(user.sub.encode()), "name": user.username, "displayName": name},
        "pubKeyCredParams": [{"type": "public-key", "alg": alg} for alg in ALGORITHMS],
        "timeout": TIMEOUT_MS,
        "excludeCredentials": [_descriptor(c) for c in user.webauthn_credentials.values()],
        "authenticatorSelection": {
            "residentKey": "required",
            "requireResidentKey": True,
            "userVerification": user_verification(pool),
        },
        "attestation": "none",
        "extensions": {"credProps": True},
    }


def _descriptor(credential: WebAuthnCredential) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "public-key", "id": credential.credential_id}
    if credential.transports:
        out["transports"] = list(credential.transports)
    return out


def complete_registration(
    env: Env, pool: UserPool, client: AppClient, user: User, credential: Any
) -> WebAuthnCredential:
    """CompleteWebAuthnRegistration: check RegistrationResponseJSON and keep the passkey."""
    rp_id = _checked_rp_id(pool)
    error = InvalidParameterException
    credential, response = credential_response(credential, error)
    client_data = parse_client_data(b64url_decode(response.get("clientDataJSON"), "clientDataJSON"), error)
    pending = user.webauthn_registration
    if pending is None or pending.expires <= env.clock.now():
        user.webauthn_registration = None
        raise WebAuthnChallengeNotFoundException(CHALLENGE_NOT_FOUND)
    if pending.client_id != client.client_id:
        raise WebAuthnClientMismatchException(CLIENT_MISMATCH)
    if client_data.get("type") != "webauthn.create":
        raise error(INVALID_CREDENTIAL.format(reason="clientDataJSON type must be webauthn.create"))
    if client_data.get("challenge") != pending.challenge:
        raise WebAuthnChallengeNotFoundException(CHALLENGE_NOT_FOUND)
    origin = str(client_data.get("origin", ""))
    if not origin_allowed(origin, rp_id):
        raise WebAuthnOriginNotAllowedException(ORIGIN_NOT_ALLOWED.format(origin=origin, rp_id=rp_id))
    try:
        attestation = cbor.loads(b64url_decode(response.get("attestationObject"), "attestationObject"))
    except cbor.CBORError as exc:
        raise error(INVALID_CREDENTIAL.format(reason=f"attestationObject: {exc}")) from None
    if not isinstance(attestation, dict) or not isinstance(attestation.get("authData"), bytes):
        raise error(INVALID_CREDENTIAL.format(reason="attestationObject has no authData"))
    auth_data_raw = attestation["authData"]
    auth_data = parse_authenticator_data(auth_data_raw, error)
    if auth_data.rp_id_hash != hashlib.sha256(rp_id.encode()).digest() or pending.relying_party_id != rp_id:
        raise WebAuthnRelyingPartyMismatchException(RP_MISMATCH.format(rp_id=rp_id))
    _check_flags(pool, auth_data.flags, error)
    if auth_data.cose_key is None:
        raise error(INVALID_CREDENTIAL.format(reason="authenticator data has no attested credential"))
    public_key, algorithm = cose_public_key(auth_data.cose_key)
    client_data_hash = hashlib.sha256(b64url_decode(response["clientDataJSON"], "clientDataJSON")).digest()
    check_attestation(attestation, auth_data_raw + client_data_hash, public_key, algorithm)
    credential_id = b64url(auth_data.credential_id)
    if b64url_decode(credential["id"], "id") != auth_data.credential_id:
        raise error(INVALID_CREDENTIAL.format(reason="id is not the attested credential id"))
    if any(credential_id in other.webauthn_credentials for other in pool.users.values()):
        raise error(ALREADY_REGISTERED)
    if len(user.webauthn_credentials) >= MAX_CREDENTIALS:
        raise LimitExceededException(TOO_MANY.format(limit=MAX_CREDENTIALS))
    transports = response.get("transports") or []
    attachment = credential.get("authenticatorAttachment")
    stored = WebAuthnCredential(
        credential_id=credential_id,
        public_key_pem=pem(public_key),
        algorithm=algorithm,
        relying_party_id=rp_id,
        created=env.clock.now(),
        sign_count=auth_data.sign_count,
        friendly_name=_friendly_name(credential, attachment),
        authenticator_attachment=attachment if isinstance(attachment, str) else None,
        transports=[str(t) for t in transports if isinstance(t, str)],
        aaguid=auth_data.aaguid.hex(),
    )
    user.webauthn_credentials = own_dict(user.webauthn_credentials)
    user.webauthn_credentials[credential_id] = stored
    user.webauthn_registration = None
    user.modified = env.clock.now()
    return stored


def _friendly_name(credential: dict[str, Any], attachment: Any) -> str:
    """Cognito names a passkey after its provider; the emulator has no AAGUID table, so it uses the
    client extension's credProps-free hint when given, else the attachment."""
    name = credential.get("friendlyCredentialName") or credential.get("name")
    if isinstance(name, str) and name:
        return name
    return "Security key" if attachment == "cross-platform" else "Passkey"


def _check_flags(pool: UserPool, flags: int, error: type[Exception]) -> None:
    if not flags & FLAG_UP:
        raise error(INVALID_CREDENTIAL.format(reason="the user was not present (UP flag)"))
    if user_verification(pool) == "required" and not flags & FLAG_UV:
        raise WebAuthnCredentialNotSupportedException(
            NOT_SUPPORTED.format(reason="the user pool requires user verification (UV flag)")
        )


# -- credentials -------------------------------------------------------------------------------


def list_credentials(
    user: User, max_results: int | None, next_token: str | None
) -> tuple[list[WebAuthnCredential], str | None]:
    """ListWebAuthnCredentials: oldest first (by creation time, then id)."""
    ordered = sorted(user.webauthn_credentials.values(), key=_order)
    limit = max_results or DEFAULT_PAGE
    return pagination.paginate(ordered, _order, limit, next_token)


def _order(credential: WebAuthnCredential) -> str:
    return f"{credential.created:020.6f}|{credential.credential_id}"


def delete_credential(env: Env, user: User, credential_id: str) -> None:
    """DeleteWebAuthnCredential: ResourceNotFoundException when the user has no such passkey."""
    if user.webauthn_credentials.pop(credential_id, None) is None:
        raise ResourceNotFoundException(NOT_FOUND)
    user.modified = env.clock.now()


# -- sign-in (the WEB_AUTHN challenge of USER_AUTH) --------------------------------------------


def has_passkey(pool: UserPool, user: User) -> bool:
    """Whether WEB_AUTHN is an available first factor for the user."""
    rp_id = relying_party_id(pool)
    return (
        enabled(pool)
        and rp_id is not None
        and any(c.relying_party_id == rp_id for c in user.webauthn_credentials.values())
    )


def request_options(env: Env, pool: UserPool, user: User) -> dict[str, Any]:
    """PublicKeyCredentialRequestOptionsJSON for the WEB_AUTHN challenge, with a fresh challenge.

    The caller keeps ``options["challenge"]`` with its auth session, gives the client
    ``json.dumps(options)`` as ChallengeParameters CREDENTIAL_REQUEST_OPTIONS, and passes the challenge
    back to ``verify_assertion``.
    """
    rp_id = relying_party_id(pool)
    if not enabled(pool) or rp_id is None:
        raise NotAuthorizedException(SIGN_IN_FAILED)
    return {
        "challenge": _new_challenge(env),
        "timeout": TIMEOUT_MS,
        "rpId": rp_id,
        "allowCredentials": [
            _descriptor(c) for c in user.webauthn_credentials.values() if c.relying_party_id == rp_id
        ],
        "userVerification": user_verification(pool),
    }


def verify_assertion(
    env: Env, pool: UserPool, user: User, credential_json: str | dict[str, Any], expected_challenge: str
) -> WebAuthnCredential:
    """Check a WEB_AUTHN answer (CREDENTIAL: AuthenticationResponseJSON) against ``expected_challenge``.

    Checks the credential is the user's, clientDataJSON (webauthn.get, the challenge, an allowed origin),
    rpIdHash, the UP flag (and UV when the pool requires it), the signature over
    authenticatorData || SHA-256(clientDataJSON) with the stored key, and that the sign counter grew
    (when either side counts). Raises NotAuthorizedException; on success updates the counter.
    """
    error = NotAuthorizedException
    rp_id = relying_party_id(pool)
    if not enabled(pool) or rp_id is None:
        raise error(SIGN_IN_FAILED)
    if isinstance(credential_json, str):
        try:
            credential_json = json.loads(credential_json)
        except ValueError:
            raise error(INVALID_CREDENTIAL.format(reason="CREDENTIAL is not JSON")) from None
    credential, response = credential_response(credential_json, error)
    stored = user.webauthn_credentials.get(credential["id"])
    if stored is None or stored.relying_party_id != rp_id:
        raise error(SIGN_IN_FAILED)
    handle = response.get("userHandle")
    if handle and b64url_decode(handle, "userHandle", error) != user.sub.encode():
        raise error(SIGN_IN_FAILED)
    client_data_raw = b64url_decode(response.get("clientDataJSON"), "clientDataJSON", error)
    client_data = parse_client_data(client_data_raw, error)
    if client_data.get("type") != "webauthn.get" or client_data.get("challenge") != expected_challenge:
        raise error(SIGN_IN_FAILED)
    if not origin_allowed(str(client_data.get("origin", "")), rp_id):
        raise error(SIGN_IN_FAILED)
    auth_data_raw = b64url_decode(response.get("authenticatorData"), "authenticatorData", error)
    auth_data = parse_authenticator_data(auth_data_raw, error)
    if auth_data.rp_id_hash != hashlib.sha256(rp_id.encode()).digest():
        raise error(SIGN_IN_FAILED)
    if not auth_data.flags & FLAG_UP:
        raise error(SIGN_IN_FAILED)
    if user_verification(pool) == "required" and not auth_data.flags & FLAG_UV:
        raise error(SIGN_IN_FAILED)
    signature = b64url_decode(response.get("signature"), "signature", error)
    public_key = crypto.serialization.load_pem_public_key(stored.public_key_pem.encode())
    signed = auth_data_raw + hashlib.sha256(client_data_raw).digest()
    if not verify_signature(public_key, stored.algorithm, signature, signed):
        raise error(SIGN_IN_FAILED)
    if (auth_data.sign_count or stored.sign_count) and auth_data.sign_count <= stored.sign_count:
        raise error(SIGN_IN_FAILED)
    stored.sign_count = auth_data.sign_count
    stored.last_used = env.clock.now()
    return stored
