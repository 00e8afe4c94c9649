"""Identities through boto3: GetId, GetCredentialsForIdentity, role mapping, OpenID tokens, linking."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime

import jwt
import pytest
from botocore.exceptions import ClientError
from identity_support import (
    AUTH_ROLE,
    UNAUTH_ROLE,
    credentials_record,
    error_of,
    make_identity_pool,
    make_user,
    make_user_pool,
    mint_id_token,
    set_roles,
    sign_in,
    unsigned_jwt,
)

ADMIN_ROLE = "arn:aws:iam::123456789012:role/admin"
READER_ROLE = "arn:aws:iam::123456789012:role/reader"
OIDC_HOST = "issuer.example.com"
# AmbiguousRoleResolution Deny with no role resolved: AWS's message (amplify-js #8644).
DENIED = "The ambiguous role mapping rules denied this request."
LOGINS_DONT_MATCH = (
    "Logins don't match. Please include at least one valid login for this identity or identity pool."
)


@pytest.fixture
def setup(idp):
    return make_user_pool(idp)


def test_unauthenticated_identities(identity):
    pool_id = make_identity_pool(identity)
    first = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    second = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    assert first != second and first.startswith("us-east-1:")
    with pytest.raises(ClientError) as err:
        identity.get_credentials_for_identity(IdentityId=first)
    assert error_of(err) == (
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    )
    set_roles(identity, pool_id)
    result = identity.get_credentials_for_identity(IdentityId=first)
    assert result["IdentityId"] == first
    creds = result["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", creds["AccessKeyId"])
    assert len(creds["SecretKey"]) == 40 and len(creds["SessionToken"]) > 200
    assert creds["Expiration"] > datetime.now(UTC)


def test_unauthenticated_access_refused(identity):
    pool_id = make_identity_pool(identity, AllowUnauthenticatedIdentities=False)
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id)
    assert error_of(err) == (
        "NotAuthorizedException",
        "Unauthenticated access is not supported for this identity pool.",
    )


def test_unknown_identity(identity):
    with pytest.raises(ClientError) as err:
        identity.get_credentials_for_identity(IdentityId="us-east-1:00000000-0000-0000-0000-000000000000")
    assert error_of(err)[0] == "ResourceNotFoundException"


def test_user_pool_login_maps_to_one_identity_and_credentials_record(emulator, identity, idp, setup):
    make_user(idp, setup.pool_id)
    token = sign_in(idp, setup)
    pool_id = make_identity_pool(identity, setup)
    set_roles(identity, pool_id)
    logins = {setup.provider: token}
    identity_id = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    assert identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"] == identity_id
    assert (
        identity.get_id(IdentityPoolId=pool_id, Logins={setup.provider: sign_in(idp, setup)})["IdentityId"]
        == identity_id
    )

    emulator.clock.freeze()
    result = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
    creds = result["Credentials"]
    assert creds["Expiration"].timestamp() == int(emulator.clock.now()) + 3600
    record = credentials_record(emulator, creds["AccessKeyId"])
    assert record["identityId"] == identity_id
    assert record["identityPoolId"] == pool_id
    assert record["roleArn"] == AUTH_ROLE
    assert record["logins"] == [setup.provider]
    assert record["expiration"] == creds["Expiration"].timestamp()

    # An authenticated identity needs its login.
    with pytest.raises(ClientError) as err:
        identity.get_credentials_for_identity(IdentityId=identity_id)
    assert error_of(err)[0] == "NotAuthorizedException"
    assert error_of(err)[1].startswith("Logins don't match.")

    described = identity.describe_identity(IdentityId=identity_id)
    assert described["Logins"] == [setup.provider]
    assert described["CreationDate"] <= described["LastModifiedDate"]


def test_unknown_credentials_record_is_404(emulator):
    with pytest.raises(urllib.error.HTTPError) as err:
        credentials_record(emulator, "ASIAAAAAAAAAAAAAAAAA")
    assert err.value.code == 404


@pytest.mark.parametrize(
    "claims, message",
    [
        ({"aud": "another-client"}, "Invalid login token. Incorrect token audience."),
        ({"token_use": "access"}, "Invalid login token. Not a valid OpenId Connect identity token."),
        (
            {"iss": "https://elsewhere.example.com/us-east-1_other"},
            "Invalid login token. Issuer doesn't match providerName",
        ),
    ],
)
def test_user_pool_token_checks(emulator, identity, idp, setup, claims, message):
    pool_id = make_identity_pool(identity, setup)
    with pytest.raises(ClientError) as err:
        identity.get_id(
            IdentityPoolId=pool_id, Logins={setup.provider: mint_id_token(emulator, setup, **claims)}
        )
    assert error_of(err) == ("NotAuthorizedException", message)


def test_aws_form_issuer_is_accepted(emulator, identity, setup):
    pool_id = make_identity_pool(identity, setup)
    token = mint_id_token(emulator, setup, iss=f"https://cognito-idp.us-east-1.amazonaws.com/{setup.pool_id}")
    assert identity.get_id(IdentityPoolId=pool_id, Logins={setup.provider: token})["IdentityId"]


def test_provider_named_by_the_emulators_issuer_as_amplify_names_it(emulator, identity, idp, setup):
    """Amplify keys Logins by the ID token's iss without https://, which on the emulator is its own URL."""
    pool_id = make_identity_pool(identity, setup)
    set_roles(identity, pool_id)
    make_user(idp, setup.pool_id)
    token = sign_in(idp, setup)
    issuer = jwt.decode(token, options={"verify_signature": False})["iss"].split("://", 1)[1]
    assert issuer.endswith(f"/{setup.pool_id}") and not issuer.startswith("cognito-idp.")
    by_issuer = identity.get_id(IdentityPoolId=pool_id, Logins={issuer: token})["IdentityId"]
    assert by_issuer == identity.get_id(IdentityPoolId=pool_id, Logins={setup.provider: token})["IdentityId"]
    credentials = identity.get_credentials_for_identity(IdentityId=by_issuer, Logins={issuer: token})
    assert credentials["Credentials"]["AccessKeyId"]
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={f"elsewhere.example.com/{setup.pool_id}": token})
    assert error_of(err) == ("NotAuthorizedException", "Invalid login token. Issuer doesn't match providerName")


def test_expired_and_foreign_tokens(emulator, identity, idp, setup):
    pool_id = make_identity_pool(identity, setup)
    token = mint_id_token(emulator, setup)
    emulator.clock.advance(3601)
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={setup.provider: token})
    assert error_of(err)[0] == "NotAuthorizedException"
    assert error_of(err)[1].startswith("Invalid login token. Token expired:")

    other = make_user_pool(idp, "other")
    foreign = mint_id_token(emulator, other, iss=f"{emulator.endpoint_url}/{setup.pool_id}")
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={setup.provider: foreign})
    assert error_of(err) == ("NotAuthorizedException", "Invalid login token. Couldn't verify signed token.")

    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={other.provider: mint_id_token(emulator, other)})
    assert error_of(err) == (
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    )


def test_server_side_token_check(identity, idp, setup):
    make_user(idp, setup.pool_id)
    token = sign_in(idp, setup)
    pool_id = make_identity_pool(
        identity,
        CognitoIdentityProviders=[
            {"ProviderName": setup.provider, "ClientId": setup.client_id, "ServerSideTokenCheck": True}
        ],
    )
    assert identity.get_id(IdentityPoolId=pool_id, Logins={setup.provider: token})["IdentityId"]
    idp.admin_disable_user(UserPoolId=setup.pool_id, Username="alice")
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={setup.provider: token})
    assert error_of(err)[0] == "NotAuthorizedException"


def test_unauthenticated_identity_keeps_its_id_when_it_logs_in(emulator, identity, setup):
    pool_id = make_identity_pool(identity, setup)
    set_roles(identity, pool_id)
    guest = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    logins = {setup.provider: mint_id_token(emulator, setup)}
    result = identity.get_credentials_for_identity(IdentityId=guest, Logins=logins)
    assert result["IdentityId"] == guest
    assert credentials_record(emulator, result["Credentials"]["AccessKeyId"])["roleArn"] == AUTH_ROLE
    assert identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"] == guest

    # Another guest signing in with the same login becomes that login's identity (merge).
    other_guest = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    merged = identity.get_credentials_for_identity(IdentityId=other_guest, Logins=logins)
    assert merged["IdentityId"] == guest
    with pytest.raises(ClientError) as err:
        identity.describe_identity(IdentityId=other_guest)
    assert error_of(err)[0] == "ResourceNotFoundException"


def test_linking_two_providers_and_conflicts(emulator, identity, setup):
    pool_id = make_identity_pool(identity, setup, SupportedLoginProviders={"graph.facebook.com": "app"})
    set_roles(identity, pool_id)
    user_pool_login = {setup.provider: mint_id_token(emulator, setup)}
    identity_id = identity.get_id(
        IdentityPoolId=pool_id, Logins={**user_pool_login, "graph.facebook.com": "fb-1"}
    )["IdentityId"]
    assert (
        identity.get_id(IdentityPoolId=pool_id, Logins={"graph.facebook.com": "fb-1"})["IdentityId"]
        == identity_id
    )
    assert sorted(identity.describe_identity(IdentityId=identity_id)["Logins"]) == sorted(
        [setup.provider, "graph.facebook.com"]
    )
    # The same identity with a second Facebook user: a conflict.
    with pytest.raises(ClientError) as err:
        identity.get_credentials_for_identity(
            IdentityId=identity_id, Logins={**user_pool_login, "graph.facebook.com": "fb-2"}
        )
    assert error_of(err)[0] == "ResourceConflictException"
    # Two identities, each with a user of the same provider, cannot merge.
    other = identity.get_id(IdentityPoolId=pool_id, Logins={"graph.facebook.com": "fb-3"})["IdentityId"]
    assert other != identity_id
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={"graph.facebook.com": "fb-3", **user_pool_login})
    assert error_of(err)[0] == "ResourceConflictException"


def test_an_authenticated_identity_needs_one_of_its_own_logins(emulator, identity, setup):
    """Another user's login on a signed-in identity (a cached identity id after a user switch) is refused
    with "Logins don't match" (amplify-js #2945, amazon-cognito-identity-js #378): it neither links nor
    merges into the identity; with one of the identity's own logins beside it, it links."""
    pool_id = make_identity_pool(
        identity, setup, SupportedLoginProviders={"graph.facebook.com": "app"}, AllowClassicFlow=True
    )
    set_roles(identity, pool_id)
    alice = {setup.provider: mint_id_token(emulator, setup, sub="alice")}
    alice_id = identity.get_id(IdentityPoolId=pool_id, Logins=alice)["IdentityId"]
    bob = {setup.provider: mint_id_token(emulator, setup, sub="bob")}
    carol_fb = {"graph.facebook.com": "carol"}
    dave_fb = {"graph.facebook.com": "dave"}
    dave_id = identity.get_id(IdentityPoolId=pool_id, Logins=dave_fb)["IdentityId"]
    for logins in (bob, carol_fb, dave_fb):
        for call in (identity.get_credentials_for_identity, identity.get_open_id_token):
            with pytest.raises(ClientError) as err:
                call(IdentityId=alice_id, Logins=logins)
            assert error_of(err) == ("NotAuthorizedException", LOGINS_DONT_MATCH)
    assert identity.describe_identity(IdentityId=alice_id)["Logins"] == [setup.provider]
    assert identity.describe_identity(IdentityId=dave_id)["Logins"] == ["graph.facebook.com"]
    linked = identity.get_credentials_for_identity(IdentityId=alice_id, Logins={**alice, **carol_fb})
    assert linked["IdentityId"] == alice_id
    assert sorted(identity.describe_identity(IdentityId=alice_id)["Logins"]) == [
        setup.provider,
        "graph.facebook.com",
    ]


def test_social_tokens_are_opaque_user_ids(identity):
    pool_id = make_identity_pool(identity, SupportedLoginProviders={"accounts.google.com": "client.apps"})
    jwt_token = unsigned_jwt(sub="google-user", aud="client.apps", iss="https://accounts.google.com")
    first = identity.get_id(IdentityPoolId=pool_id, Logins={"accounts.google.com": jwt_token})["IdentityId"]
    again = unsigned_jwt(sub="google-user", aud="client.apps", iss="https://accounts.google.com", nonce="x")
    assert (
        identity.get_id(IdentityPoolId=pool_id, Logins={"accounts.google.com": again})["IdentityId"] == first
    )
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={"graph.facebook.com": "fb-token"})
    assert error_of(err) == (
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    )


def test_oidc_provider_tokens(emulator, identity):
    pool_id = make_identity_pool(
        identity, OpenIdConnectProviderARNs=[f"arn:aws:iam::123456789012:oidc-provider/{OIDC_HOST}"]
    )
    now = int(emulator.clock.now())
    good = unsigned_jwt(sub="oidc-user", iss=f"https://{OIDC_HOST}", aud="x", exp=now + 60)
    identity_id = identity.get_id(IdentityPoolId=pool_id, Logins={OIDC_HOST: good})["IdentityId"]
    assert identity.describe_identity(IdentityId=identity_id)["Logins"] == [OIDC_HOST]
    for bad, message in (
        (unsigned_jwt(sub="u", iss="https://other.example.com", exp=now + 60), "Issuer doesn't match"),
        (unsigned_jwt(sub="u", iss=f"https://{OIDC_HOST}", exp=now - 1), "Token expired"),
        ("not-a-jwt", "Not a valid OpenId Connect identity token"),
    ):
        with pytest.raises(ClientError) as err:
            identity.get_id(IdentityPoolId=pool_id, Logins={OIDC_HOST: bad})
        assert error_of(err)[0] == "NotAuthorizedException" and message in error_of(err)[1]
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id, Logins={"unknown.example.com": good})
    assert error_of(err)[1] == "Token is not from a supported provider of this identity pool."


def _token_mapping(setup, resolution: str) -> dict:
    return {f"{setup.provider}:{setup.client_id}": {"Type": "Token", "AmbiguousRoleResolution": resolution}}


def _credentials_role(emulator, identity, pool_id, setup, token, **kwargs) -> str:
    logins = {setup.provider: token}
    identity_id = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    result = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins, **kwargs)
    return credentials_record(emulator, result["Credentials"]["AccessKeyId"])["roleArn"]


def test_token_role_mapping(emulator, identity, setup):
    pool_id = make_identity_pool(identity, setup)
    set_roles(identity, pool_id, RoleMappings=_token_mapping(setup, "AuthenticatedRole"))
    both = [ADMIN_ROLE, READER_ROLE]
    preferred = mint_id_token(
        emulator, setup, **{"cognito:roles": both, "cognito:preferred_role": ADMIN_ROLE}
    )
    assert _credentials_role(emulator, identity, pool_id, setup, preferred) == ADMIN_ROLE
    assert (
        _credentials_role(emulator, identity, pool_id, setup, preferred, CustomRoleArn=READER_ROLE)
        == READER_ROLE
    )
    single = mint_id_token(emulator, setup, sub="single", **{"cognito:roles": [READER_ROLE]})
    assert _credentials_role(emulator, identity, pool_id, setup, single) == READER_ROLE
    ambiguous = mint_id_token(emulator, setup, sub="ambiguous", **{"cognito:roles": both})
    assert _credentials_role(emulator, identity, pool_id, setup, ambiguous) == AUTH_ROLE

    set_roles(identity, pool_id, RoleMappings=_token_mapping(setup, "Deny"))
    with pytest.raises(ClientError) as err:
        _credentials_role(emulator, identity, pool_id, setup, ambiguous)
    assert error_of(err) == ("NotAuthorizedException", DENIED)


def test_rules_role_mapping(emulator, identity, setup):
    pool_id = make_identity_pool(identity, setup)
    rules = [
        {"Claim": "cognito:groups", "MatchType": "Contains", "Value": "admins", "RoleARN": ADMIN_ROLE},
        {"Claim": "email", "MatchType": "StartsWith", "Value": "reader", "RoleARN": READER_ROLE},
        {"Claim": "email", "MatchType": "Equals", "Value": "reader@example.com", "RoleARN": ADMIN_ROLE},
        {"Claim": "custom:tier", "MatchType": "NotEqual", "Value": "free", "RoleARN": UNAUTH_ROLE},
    ]
    mapping = {
        "Type": "Rules",
        "AmbiguousRoleResolution": "AuthenticatedRole",
        "RulesConfiguration": {"Rules": rules},
    }
    set_roles(identity, pool_id, RoleMappings={f"{setup.provider}:{setup.client_id}": mapping})
    admin = mint_id_token(emulator, setup, sub="a", email="x@y", **{"cognito:groups": ["users", "admins"]})
    assert _credentials_role(emulator, identity, pool_id, setup, admin) == ADMIN_ROLE
    reader = mint_id_token(emulator, setup, sub="r", email="reader@example.com", **{"custom:tier": "free"})
    assert _credentials_role(emulator, identity, pool_id, setup, reader) == READER_ROLE  # first match wins
    paid = mint_id_token(emulator, setup, sub="p", email="x@y", **{"custom:tier": "gold"})
    assert _credentials_role(emulator, identity, pool_id, setup, paid) == UNAUTH_ROLE
    nobody = mint_id_token(emulator, setup, sub="n", email="x@y", **{"custom:tier": "free"})
    assert _credentials_role(emulator, identity, pool_id, setup, nobody) == AUTH_ROLE

    mapping["AmbiguousRoleResolution"] = "Deny"
    set_roles(identity, pool_id, RoleMappings={f"{setup.provider}:{setup.client_id}": mapping})
    with pytest.raises(ClientError) as err:
        _credentials_role(emulator, identity, pool_id, setup, nobody)
    assert error_of(err) == ("NotAuthorizedException", DENIED)


def test_principal_tags_in_the_credentials_record(emulator, identity, setup):
    pool_id = make_identity_pool(identity, setup)
    set_roles(identity, pool_id)
    identity.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=setup.provider, UseDefaults=True
    )
    token = mint_id_token(emulator, setup, sub="tagged-user")
    logins = {setup.provider: token}
    identity_id = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    tags = credentials_record(emulator, creds["AccessKeyId"])["principalTags"]
    assert tags == {"username": "tagged-user", "client": setup.client_id}


def _jwks_key(emulator, token: str):
    client = jwt.PyJWKClient(f"{emulator.endpoint_url}/.well-known/jwks_uri")
    return client.get_signing_key_from_jwt(token).key


def test_get_open_id_token(emulator, identity, setup):
    pool_id = make_identity_pool(identity, setup, AllowClassicFlow=True)
    guest = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    token = identity.get_open_id_token(IdentityId=guest)["Token"]
    # Signed RS512, as the keys of https://cognito-identity.amazonaws.com/.well-known/jwks_uri say.
    assert jwt.get_unverified_header(token)["alg"] == "RS512"
    claims = jwt.decode(
        token,
        _jwks_key(emulator, token),
        algorithms=["RS512"],
        audience=pool_id,
        issuer="https://cognito-identity.amazonaws.com",
    )
    assert claims["sub"] == guest and claims["amr"] == ["unauthenticated"]
    assert claims["exp"] - claims["iat"] == 600

    logins = {setup.provider: mint_id_token(emulator, setup)}
    member = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    token = identity.get_open_id_token(IdentityId=member, Logins=logins)["Token"]
    claims = jwt.decode(token, _jwks_key(emulator, token), algorithms=["RS512"], audience=pool_id)
    # The user pool user signs in as <provider>:CognitoSignIn:<sub>, the form API Gateway hands on.
    sub = "11111111-2222-3333-4444-555555555555"
    assert claims["amr"] == ["authenticated", setup.provider, f"{setup.provider}:CognitoSignIn:{sub}"]
    with urllib.request.urlopen(f"{emulator.endpoint_url}/_emu/identity/jwks.json") as response:
        keys = json.loads(response.read())["keys"]
    assert len(keys) == 1 and keys[0]["alg"] == "RS512"


def test_basic_flow_needs_allow_classic_flow_and_no_role_mappings(emulator, identity, setup):
    """Developer guide, "Identity pools authentication flow": GetOpenIdToken is the basic (classic) flow.

    A pool without AllowClassicFlow refuses it (aws-cli #7652, amplify-js #9704), and so does a pool with
    role mappings ("When you attempt GetOpenIdToken in an identity pool with role mappings, you receive
    the following error.").
    """
    enhanced_only = make_identity_pool(identity, setup, AllowClassicFlow=False)
    guest = identity.get_id(IdentityPoolId=enhanced_only)["IdentityId"]
    with pytest.raises(ClientError) as err:
        identity.get_open_id_token(IdentityId=guest)
    assert error_of(err) == (
        "InvalidParameterException",
        "Basic (classic) flow is not enabled, please use enhanced flow.",
    )
    classic = make_identity_pool(identity, setup, AllowClassicFlow=True)
    guest = identity.get_id(IdentityPoolId=classic)["IdentityId"]
    assert identity.get_open_id_token(IdentityId=guest)["Token"]
    set_roles(identity, classic, RoleMappings=_token_mapping(setup, "AuthenticatedRole"))
    with pytest.raises(ClientError) as err:
        identity.get_open_id_token(IdentityId=guest)
    assert error_of(err) == (
        "InvalidParameterException",
        "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
    )
    # The enhanced flow is unaffected.
    assert identity.get_credentials_for_identity(IdentityId=guest)["Credentials"]["AccessKeyId"]


def test_a_pool_created_without_allow_classic_flow_serves_the_basic_flow(emulator, identity, setup):
    """aws-cli #7652: GetOpenIdToken refuses the basic flow after an explicit --no-allow-classic-flow, and
    hands out a token in a pool created without AllowClassicFlow, which DescribeIdentityPool shows as false."""
    unset = make_identity_pool(identity, setup)
    assert identity.describe_identity_pool(IdentityPoolId=unset)["AllowClassicFlow"] is False
    guest = identity.get_id(IdentityPoolId=unset)["IdentityId"]
    assert identity.get_open_id_token(IdentityId=guest)["Token"]


def test_developer_identities(emulator, identity):
    pool_id = make_identity_pool(
        identity, DeveloperProviderName="login.example", AllowUnauthenticatedIdentities=False
    )
    set_roles(identity, pool_id)
    result = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool_id,
        Logins={"login.example": "user-1"},
        TokenDuration=120,
        PrincipalTags={"dept": "eng"},
    )
    identity_id, token = result["IdentityId"], result["Token"]
    claims = jwt.decode(token, _jwks_key(emulator, token), algorithms=["RS512"], audience=pool_id)
    assert claims["exp"] - claims["iat"] == 120
    assert claims["amr"] == ["authenticated", "login.example", f"login.example:{pool_id}:user-1"]
    again = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool_id, Logins={"login.example": "user-1"}
    )
    assert again["IdentityId"] == identity_id

    creds = identity.get_credentials_for_identity(
        IdentityId=identity_id, Logins={"cognito-identity.amazonaws.com": token}
    )["Credentials"]
    record = credentials_record(emulator, creds["AccessKeyId"])
    assert record["roleArn"] == AUTH_ROLE and record["principalTags"] == {"dept": "eng"}
    assert record["logins"] == ["login.example"]
    with pytest.raises(ClientError) as err:
        identity.get_credentials_for_identity(
            IdentityId=identity_id, Logins={"cognito-identity.amazonaws.com": "junk"}
        )
    assert error_of(err)[0] == "NotAuthorizedException"

    lookup = identity.lookup_developer_identity(
        IdentityPoolId=pool_id, DeveloperUserIdentifier="user-1", MaxResults=10
    )
    assert lookup["IdentityId"] == identity_id and lookup["DeveloperUserIdentifierList"] == ["user-1"]
    with pytest.raises(ClientError) as err:
        identity.lookup_developer_identity(
            IdentityPoolId=pool_id, DeveloperUserIdentifier="nobody", MaxResults=10
        )
    assert error_of(err)[0] == "ResourceNotFoundException"

    other = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool_id, Logins={"login.example": "user-2"}
    )
    with pytest.raises(ClientError) as err:
        identity.get_open_id_token_for_developer_identity(
            IdentityPoolId=pool_id, IdentityId=identity_id, Logins={"login.example": "user-2"}
        )
    assert error_of(err)[0] == "DeveloperUserAlreadyRegisteredException"
    with pytest.raises(ClientError) as err:
        identity.lookup_developer_identity(
            IdentityPoolId=pool_id, IdentityId=identity_id, DeveloperUserIdentifier="user-2", MaxResults=10
        )
    assert error_of(err)[0] == "ResourceConflictException"

    merged = identity.merge_developer_identities(
        SourceUserIdentifier="user-2",
        DestinationUserIdentifier="user-1",
        DeveloperProviderName="login.example",
        IdentityPoolId=pool_id,
    )
    assert merged["IdentityId"] == identity_id
    lookup = identity.lookup_developer_identity(IdentityPoolId=pool_id, IdentityId=identity_id, MaxResults=10)
    assert lookup["DeveloperUserIdentifierList"] == ["user-1", "user-2"]
    with pytest.raises(ClientError):
        identity.describe_identity(IdentityId=other["IdentityId"])

    identity.unlink_developer_identity(
        IdentityId=identity_id,
        IdentityPoolId=pool_id,
        DeveloperProviderName="login.example",
        DeveloperUserIdentifier="user-2",
    )
    lookup = identity.lookup_developer_identity(IdentityPoolId=pool_id, IdentityId=identity_id, MaxResults=10)
    assert lookup["DeveloperUserIdentifierList"] == ["user-1"]
    with pytest.raises(ClientError) as err:
        identity.unlink_developer_identity(
            IdentityId=identity_id,
            IdentityPoolId=pool_id,
            DeveloperProviderName="other",
            DeveloperUserIdentifier="user-1",
        )
    assert error_of(err)[0] == "ResourceNotFoundException"


def test_unlink_identity_list_and_delete(emulator, identity):
    pool_id = make_identity_pool(identity, SupportedLoginProviders={"graph.facebook.com": "app"})
    set_roles(identity, pool_id)
    fb = {"graph.facebook.com": "fb-user"}
    member = identity.get_id(IdentityPoolId=pool_id, Logins=fb)["IdentityId"]
    guest = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    with pytest.raises(ClientError) as err:
        identity.unlink_identity(IdentityId=guest, Logins=fb, LoginsToRemove=["graph.facebook.com"])
    assert error_of(err)[0] == "NotAuthorizedException"
    identity.unlink_identity(IdentityId=member, Logins=fb, LoginsToRemove=["graph.facebook.com"])
    assert identity.describe_identity(IdentityId=member)["Logins"] == []
    with pytest.raises(ClientError) as err:
        identity.get_credentials_for_identity(IdentityId=member)
    assert error_of(err) == ("NotAuthorizedException", f"Access to Identity '{member}' is forbidden.")
    # The unlinked login is new again.
    assert identity.get_id(IdentityPoolId=pool_id, Logins=fb)["IdentityId"] != member

    listed = identity.list_identities(IdentityPoolId=pool_id, MaxResults=60)
    assert member in {i["IdentityId"] for i in listed["Identities"]}
    visible = identity.list_identities(IdentityPoolId=pool_id, MaxResults=60, HideDisabled=True)
    assert member not in {i["IdentityId"] for i in visible["Identities"]} and len(visible["Identities"]) == 2
    page = identity.list_identities(IdentityPoolId=pool_id, MaxResults=2)
    assert len(page["Identities"]) == 2 and page["NextToken"]
    rest = identity.list_identities(IdentityPoolId=pool_id, MaxResults=2, NextToken=page["NextToken"])
    assert len(rest["Identities"]) == 1

    missing = "us-east-1:00000000-0000-0000-0000-000000000000"
    result = identity.delete_identities(IdentityIdsToDelete=[guest, missing])
    assert result["UnprocessedIdentityIds"] == [{"IdentityId": missing, "ErrorCode": "IdentityNotFound"}]
    with pytest.raises(ClientError) as err:
        identity.describe_identity(IdentityId=guest)
    assert error_of(err) == ("ResourceNotFoundException", f"Identity '{guest}' not found.")


def test_end_to_end_sign_in_rules_mapping(emulator, identity, idp, setup):
    """AdminInitiateAuth -> GetId -> GetCredentialsForIdentity with a Rules mapping on cognito:groups."""
    idp.create_group(UserPoolId=setup.pool_id, GroupName="admins")
    make_user(idp, setup.pool_id, "alice", groups=("admins",))
    make_user(idp, setup.pool_id, "bob")
    pool_id = make_identity_pool(identity, setup, AllowUnauthenticatedIdentities=False)
    rules = [{"Claim": "cognito:groups", "MatchType": "Contains", "Value": "admins", "RoleARN": ADMIN_ROLE}]
    mapping = {
        "Type": "Rules",
        "AmbiguousRoleResolution": "AuthenticatedRole",
        "RulesConfiguration": {"Rules": rules},
    }
    set_roles(identity, pool_id, RoleMappings={f"{setup.provider}:{setup.client_id}": mapping})
    roles = {}
    for user in ("alice", "bob"):
        logins = {setup.provider: sign_in(idp, setup, user)}
        identity_id = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
        result = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
        assert result["IdentityId"] == identity_id
        roles[user] = credentials_record(emulator, result["Credentials"]["AccessKeyId"])["roleArn"]
    assert roles == {"alice": ADMIN_ROLE, "bob": AUTH_ROLE}


def test_unsigned_calls_find_the_pool(emulator, identity):
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    pool_id = make_identity_pool(identity)
    set_roles(identity, pool_id)
    unsigned = boto3.client(
        "cognito-identity",
        region_name="eu-west-1",
        endpoint_url=emulator.endpoint_url,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
    )
    identity_id = unsigned.get_id(IdentityPoolId=pool_id)["IdentityId"]
    assert identity_id.startswith("us-east-1:")
    assert unsigned.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]["AccessKeyId"]
