"""Passkeys through boto3 with a software authenticator written here (P-256 / ES256 key, clientDataJSON,
authenticator data, "none" and "packed" attestation objects with a small CBOR encoder):
Start/CompleteWebAuthnRegistration, List/DeleteWebAuthnCredential, the documented WebAuthn* errors, and
the WEB_AUTHN sign-in check (``idp.factors.webauthn.verify_assertion``)."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from cognito_emu.idp.factors import cbor, webauthn
from tests.api.support import PASSWORD, error_of

RP_ID = "example.com"
ORIGIN = "https://example.com"
FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40


# -- a software authenticator ------------------------------------------------------------------


def cbor_encode(value: Any) -> bytes:
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | info]) + struct.pack(fmt, n)
        raise ValueError(n)

    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise TypeError(value)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


class Authenticator:
    """A platform authenticator holding one ES256 passkey."""

    def __init__(self, credential_id: bytes = b"software-passkey-1") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = credential_id
        self.sign_count = 0
        self.user_handle: bytes | None = None

    def cose_key(self) -> dict[int, Any]:
        numbers = self.key.public_key().public_numbers()
        return {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}

    def auth_data(self, rp_id: str, flags: int, attested: bool) -> bytes:
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.sign_count)
        if attested:
            data += bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
            data += cbor_encode(self.cose_key())
        return data

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def create(
        self,
        options: dict[str, Any],
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        challenge: str | None = None,
        kind: str = "webauthn.create",
        flags: int = FLAG_UP | FLAG_UV,
        fmt: str = "none",
    ) -> dict[str, Any]:
        """navigator.credentials.create(): RegistrationResponseJSON."""
        self.user_handle = unb64url(options["user"]["id"])
        client_data = json.dumps(
            {
                "type": kind,
                "challenge": challenge or options["challenge"],
                "origin": origin,
                "crossOrigin": False,
            }
        ).encode()
        auth_data = self.auth_data(rp_id or options["rp"]["id"], flags | FLAG_AT, attested=True)
        statement: dict[str, Any] = {}
        if fmt == "packed":
            statement = {"alg": -7, "sig": self.sign(auth_data + hashlib.sha256(client_data).digest())}
        attestation = cbor_encode({"fmt": fmt, "attStmt": statement, "authData": auth_data})
        credential_id = b64url(self.credential_id)
        return {
            "id": credential_id,
            "rawId": credential_id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {"credProps": {"rk": True}},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
        }

    def get(
        self,
        options: dict[str, Any],
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        challenge: str | None = None,
        kind: str = "webauthn.get",
        flags: int = FLAG_UP | FLAG_UV,
        count: bool = True,
    ) -> dict[str, Any]:
        """navigator.credentials.get(): AuthenticationResponseJSON."""
        if count:
            self.sign_count += 1
        client_data = json.dumps(
            {"type": kind, "challenge": challenge or options["challenge"], "origin": origin}
        ).encode()
        auth_data = self.auth_data(rp_id or options["rpId"], flags, attested=False)
        signature = self.sign(auth_data + hashlib.sha256(client_data).digest())
        credential_id = b64url(self.credential_id)
        return {
            "id": credential_id,
            "rawId": credential_id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(self.user_handle or b""),
            },
        }


# -- fixtures ----------------------------------------------------------------------------------


def make_pool(
    idp: Any, *, factors: tuple[str, ...] = ("PASSWORD", "WEB_AUTHN"), config: dict[str, Any] | None = None
) -> tuple[str, str]:
    pool_id = idp.create_user_pool(
        PoolName="passkeys", Policies={"SignInPolicy": {"AllowedFirstAuthFactors": list(factors)}}
    )["UserPool"]["Id"]
    if config is not False:
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration="OFF",
            WebAuthnConfiguration=config or {"RelyingPartyId": RP_ID, "UserVerification": "preferred"},
        )
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def access_token(idp: Any, pool_id: str, client_id: str, username: str = "alice") -> str:
    if username not in {u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"]}:
        idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    return result["AuthenticationResult"]["AccessToken"]


@pytest.fixture
def setup(idp: Any) -> tuple[str, str, str]:
    pool_id, client_id = make_pool(idp)
    return pool_id, client_id, access_token(idp, pool_id, client_id)


def register(idp: Any, token: str, authenticator: Authenticator, **kwargs: Any) -> dict[str, Any]:
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    idp.complete_web_authn_registration(AccessToken=token, Credential=authenticator.create(options, **kwargs))
    return options


# -- registration ------------------------------------------------------------------------------


def test_creation_options(idp, setup):
    _, _, token = setup
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert options["rp"]["id"] == RP_ID
    assert options["user"]["name"] == "alice"
    assert [p["alg"] for p in options["pubKeyCredParams"]] == [-7, -257]
    assert options["excludeCredentials"] == []
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert len(unb64url(options["challenge"])) == 32
    assert options["timeout"] == webauthn.TIMEOUT_MS


def test_register_list_delete(idp, setup):
    _, _, token = setup
    authenticator = Authenticator()
    register(idp, token, authenticator)
    listed = idp.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert len(listed) == 1
    credential = listed[0]
    assert credential["CredentialId"] == b64url(authenticator.credential_id)
    assert credential["RelyingPartyId"] == RP_ID
    assert credential["AuthenticatorAttachment"] == "platform"
    assert credential["AuthenticatorTransports"] == ["internal", "hybrid"]
    assert credential["FriendlyCredentialName"]
    assert "CreatedAt" in credential
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert options["excludeCredentials"] == [
        {"type": "public-key", "id": credential["CredentialId"], "transports": ["internal", "hybrid"]}
    ]
    idp.delete_web_authn_credential(AccessToken=token, CredentialId=credential["CredentialId"])
    assert idp.list_web_authn_credentials(AccessToken=token)["Credentials"] == []
    with pytest.raises(ClientError) as excinfo:
        idp.delete_web_authn_credential(AccessToken=token, CredentialId=credential["CredentialId"])
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_packed_self_attestation(idp, setup):
    _, _, token = setup
    register(idp, token, Authenticator(), fmt="packed")
    assert len(idp.list_web_authn_credentials(AccessToken=token)["Credentials"]) == 1


def test_list_pagination(idp, setup, emulator):
    _, _, token = setup
    for n in range(3):
        emulator.clock.advance(1)
        register(idp, token, Authenticator(f"key-{n}".encode()))
    first = idp.list_web_authn_credentials(AccessToken=token, MaxResults=2)
    assert [c["CredentialId"] for c in first["Credentials"]] == [b64url(b"key-0"), b64url(b"key-1")]
    rest = idp.list_web_authn_credentials(AccessToken=token, MaxResults=2, NextToken=first["NextToken"])
    assert [c["CredentialId"] for c in rest["Credentials"]] == [b64url(b"key-2")]
    assert "NextToken" not in rest


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"challenge": b64url(b"not-the-challenge")}, "WebAuthnChallengeNotFoundException"),
        ({"origin": "https://evil.example"}, "WebAuthnOriginNotAllowedException"),
        ({"origin": "http://example.com"}, "WebAuthnOriginNotAllowedException"),
        ({"rp_id": "other.example"}, "WebAuthnRelyingPartyMismatchException"),
        ({"kind": "webauthn.get"}, "InvalidParameterException"),
        ({"flags": 0}, "InvalidParameterException"),
        ({"fmt": "tpm"}, "WebAuthnCredentialNotSupportedException"),
    ],
)
def test_registration_checks(idp, setup, kwargs, code):
    _, _, token = setup
    with pytest.raises(ClientError) as excinfo:
        register(idp, token, Authenticator(), **kwargs)
    assert error_of(excinfo)[0] == code
    assert idp.list_web_authn_credentials(AccessToken=token)["Credentials"] == []


def test_subdomain_origin_is_allowed(idp, setup):
    _, _, token = setup
    register(idp, token, Authenticator(), origin="https://app.example.com:8443")


def test_challenge_expires(idp, setup, emulator):
    _, _, token = setup
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    emulator.clock.advance(webauthn.TIMEOUT_MS / 1000 + 1)
    with pytest.raises(ClientError) as excinfo:
        idp.complete_web_authn_registration(AccessToken=token, Credential=Authenticator().create(options))
    assert error_of(excinfo)[0] == "WebAuthnChallengeNotFoundException"


def test_completing_from_another_client(idp, setup):
    pool_id, _, token = setup
    other = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="other", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    other_token = access_token(idp, pool_id, other)
    with pytest.raises(ClientError) as excinfo:
        idp.complete_web_authn_registration(
            AccessToken=other_token, Credential=Authenticator().create(options)
        )
    assert error_of(excinfo)[0] == "WebAuthnClientMismatchException"


def test_user_verification_required(idp):
    pool_id, client_id = make_pool(idp, config={"RelyingPartyId": RP_ID, "UserVerification": "required"})
    token = access_token(idp, pool_id, client_id)
    with pytest.raises(ClientError) as excinfo:
        register(idp, token, Authenticator(), flags=FLAG_UP)
    assert error_of(excinfo)[0] == "WebAuthnCredentialNotSupportedException"
    register(idp, token, Authenticator())


def test_passkeys_not_enabled(idp):
    pool_id, client_id = make_pool(idp, factors=("PASSWORD",))
    token = access_token(idp, pool_id, client_id)
    with pytest.raises(ClientError) as excinfo:
        idp.start_web_authn_registration(AccessToken=token)
    assert error_of(excinfo)[0] == "WebAuthnNotEnabledException"


def test_configuration_missing_then_the_domain_is_the_relying_party(idp):
    pool_id, client_id = make_pool(idp, config=False)
    token = access_token(idp, pool_id, client_id)
    with pytest.raises(ClientError) as excinfo:
        idp.start_web_authn_registration(AccessToken=token)
    assert error_of(excinfo)[0] == "WebAuthnConfigurationMissingException"
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="passkeys-test")
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert options["rp"]["id"] == "passkeys-test.auth.us-east-1.amazoncognito.com"
    idp.complete_web_authn_registration(
        AccessToken=token,
        Credential=Authenticator().create(
            options, origin="https://passkeys-test.auth.us-east-1.amazoncognito.com"
        ),
    )


def test_passkey_ids_are_unique_in_the_pool(idp, setup):
    pool_id, client_id, token = setup
    register(idp, token, Authenticator())
    bob = access_token(idp, pool_id, client_id, "bob")
    with pytest.raises(ClientError) as excinfo:
        register(idp, bob, Authenticator())
    assert error_of(excinfo)[0] == "InvalidParameterException"


# -- sign-in: verify_assertion -----------------------------------------------------------------


def _pool_and_user(emulator: Any, pool_id: str, username: str = "alice") -> tuple[Any, Any]:
    pool = emulator.env.state.find_pool(pool_id)
    return pool, pool.users[username]


def test_verify_assertion(emulator, idp, setup):
    pool_id, _, token = setup
    authenticator = Authenticator()
    register(idp, token, authenticator)
    pool, user = _pool_and_user(emulator, pool_id)
    env = emulator.env
    options = webauthn.request_options(env, pool, user)
    assert options["rpId"] == RP_ID
    assert options["allowCredentials"][0]["id"] == b64url(authenticator.credential_id)
    answer = json.dumps(authenticator.get(options))
    stored = webauthn.verify_assertion(env, pool, user, answer, options["challenge"])
    assert stored.sign_count == 1
    # A replayed answer (same counter) and a counter going backwards are refused.
    with pytest.raises(webauthn.NotAuthorizedException):
        webauthn.verify_assertion(env, pool, user, answer, options["challenge"])
    options = webauthn.request_options(env, pool, user)
    webauthn.verify_assertion(env, pool, user, authenticator.get(options), options["challenge"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"challenge": b64url(b"stale")},
        {"origin": "https://evil.example"},
        {"rp_id": "other.example"},
        {"kind": "webauthn.create"},
        {"flags": 0},
        {"count": False},
    ],
)
def test_verify_assertion_refuses(emulator, idp, setup, kwargs):
    pool_id, _, token = setup
    authenticator = Authenticator()
    register(idp, token, authenticator)
    authenticator.sign_count = 5
    pool, user = _pool_and_user(emulator, pool_id)
    user.webauthn_credentials[b64url(authenticator.credential_id)].sign_count = 5
    options = webauthn.request_options(emulator.env, pool, user)
    with pytest.raises(webauthn.NotAuthorizedException):
        webauthn.verify_assertion(
            emulator.env, pool, user, authenticator.get(options, **kwargs), options["challenge"]
        )


def test_verify_assertion_refuses_a_bad_signature_or_another_key(emulator, idp, setup):
    pool_id, _, token = setup
    authenticator = Authenticator()
    register(idp, token, authenticator)
    pool, user = _pool_and_user(emulator, pool_id)
    options = webauthn.request_options(emulator.env, pool, user)
    impostor = Authenticator()
    impostor.user_handle = authenticator.user_handle
    with pytest.raises(webauthn.NotAuthorizedException):
        webauthn.verify_assertion(emulator.env, pool, user, impostor.get(options), options["challenge"])
    unknown = Authenticator(b"never-registered")
    with pytest.raises(webauthn.NotAuthorizedException):
        webauthn.verify_assertion(emulator.env, pool, user, unknown.get(options), options["challenge"])


def test_cbor_decoder_reads_what_the_encoder_wrote():
    value = {1: 2, -1: b"\x00\xff", "t": "été", "l": [0, 23, 24, 255, 65536, 2**40, -500], "b": True}
    assert cbor.loads(cbor_encode(value)) == value
    with pytest.raises(cbor.CBORError):
        cbor.loads(cbor_encode(value) + b"\x00")
    with pytest.raises(cbor.CBORError):
        cbor.loads(b"\x5f")


# -- sign-in through USER_AUTH -----------------------------------------------------------------


def user_auth(idp: Any, client_id: str, **parameters: str) -> dict[str, Any]:
    return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters=parameters)


def test_sign_in_with_a_passkey_through_user_auth(emulator, idp, setup):
    pool_id, client_id, token = setup
    authenticator = Authenticator()
    register(idp, token, authenticator)
    challenge = user_auth(idp, client_id, USERNAME="alice")
    assert challenge["ChallengeName"] == "SELECT_CHALLENGE"
    assert "WEB_AUTHN" in challenge["AvailableChallenges"]
    challenge = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "WEB_AUTHN"},
    )
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert options["rpId"] == RP_ID
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="WEB_AUTHN",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "CREDENTIAL": json.dumps(authenticator.get(options))},
    )
    assert idp.get_user(AccessToken=result["AuthenticationResult"]["AccessToken"])["Username"] == "alice"


def test_preferred_web_authn_and_a_wrong_answer(emulator, idp, setup):
    pool_id, client_id, token = setup
    authenticator = Authenticator()
    register(idp, token, authenticator)
    challenge = user_auth(idp, client_id, USERNAME="alice", PREFERRED_CHALLENGE="WEB_AUTHN")
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="WEB_AUTHN",
            Session=challenge["Session"],
            ChallengeResponses={
                "USERNAME": "alice",
                "CREDENTIAL": json.dumps(authenticator.get(options, origin="https://evil.example")),
            },
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_no_web_authn_without_a_passkey(idp, setup):
    _, client_id, _ = setup
    challenge = user_auth(idp, client_id, USERNAME="alice")
    assert "WEB_AUTHN" not in challenge.get("AvailableChallenges", [])


def test_auth_factors_and_snapshot_keep_the_passkey(emulator, idp, setup):
    pool_id, _, token = setup
    authenticator = Authenticator()
    register(idp, token, authenticator)
    assert "WEB_AUTHN" in idp.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"]
    snapshot = json.loads(json.dumps(emulator.snapshot()))
    emulator.reset()
    emulator.restore(snapshot)
    pool, user = _pool_and_user(emulator, pool_id)
    options = webauthn.request_options(emulator.env, pool, user)
    webauthn.verify_assertion(emulator.env, pool, user, authenticator.get(options), options["challenge"])
