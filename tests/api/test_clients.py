"""User-pool app clients through boto3 against the server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.api.support import error_of


def create(idp: Any, pool_id: str, **kwargs: Any) -> dict[str, Any]:
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", **kwargs)["UserPoolClient"]


# --- create / describe: defaults ---


def test_create_returns_cognito_defaults(idp, pool_id):
    client = create(idp, pool_id)
    assert re.fullmatch(r"[a-z0-9]{26}", client["ClientId"])
    assert client["UserPoolId"] == pool_id
    assert client["ClientName"] == "app"
    assert "ClientSecret" not in client
    assert client["RefreshTokenValidity"] == 30
    assert "AccessTokenValidity" not in client and "IdTokenValidity" not in client
    assert client["TokenValidityUnits"] == {}
    assert client["ExplicitAuthFlows"] == [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
    ]
    assert client["AllowedOAuthFlowsUserPoolClient"] is False
    assert client["PreventUserExistenceErrors"] == "LEGACY"
    assert client["EnableTokenRevocation"] is True
    assert client["EnablePropagateAdditionalUserContextData"] is False
    assert client["AuthSessionValidity"] == 3
    assert client["CreationDate"] == client["LastModifiedDate"]


def test_prevent_user_existence_errors_defaults_to_legacy_through_the_api(idp, pool_id):
    """CreateUserPoolClient's reference: PreventUserExistenceErrors "Defaults to LEGACY" (the console
    selects ENABLED for a new client, the API does not); a sign-in as an unknown user then says so."""
    client_id = create(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described["PreventUserExistenceErrors"] == "LEGACY"
    error = error_of(
        idp.initiate_auth,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "nobody", "PASSWORD": "Passw0rd!"},
    )
    assert error == ("UserNotFoundException", "User does not exist.")


def test_update_without_prevent_user_existence_errors_sets_legacy_again(idp, pool_id):
    client_id = create(idp, pool_id, PreventUserExistenceErrors="ENABLED")["ClientId"]
    updated = idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, AuthSessionValidity=5)
    assert updated["UserPoolClient"]["PreventUserExistenceErrors"] == "LEGACY"


def test_describe_echoes_what_create_stored(idp, pool_id):
    created = create(
        idp,
        pool_id,
        AccessTokenValidity=15,
        IdTokenValidity=2,
        RefreshTokenValidity=90,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
        ReadAttributes=["email", "name"],
        WriteAttributes=["name"],
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="LEGACY",
        EnableTokenRevocation=False,
        AuthSessionValidity=10,
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
        AnalyticsConfiguration={"ApplicationId": "abcdef0123456789", "UserDataShared": True},
    )
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=created["ClientId"])[
        "UserPoolClient"
    ]
    assert described == created
    assert described["AccessTokenValidity"] == 15
    assert described["TokenValidityUnits"]["AccessToken"] == "minutes"
    assert described["ReadAttributes"] == ["email", "name"]
    assert described["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert described["PreventUserExistenceErrors"] == "LEGACY"
    assert described["EnableTokenRevocation"] is False
    assert described["AuthSessionValidity"] == 10
    assert described["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    assert described["AnalyticsConfiguration"]["ApplicationId"] == "abcdef0123456789"


def test_generate_secret(idp, pool_id):
    client = create(idp, pool_id, GenerateSecret=True)
    assert re.fullmatch(r"[a-z0-9]{51}", client["ClientSecret"])
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])[
        "UserPoolClient"
    ]
    assert described["ClientSecret"] == client["ClientSecret"]


def test_custom_client_secret_at_creation(idp, pool_id):
    client = create(idp, pool_id, ClientSecret="my_own_secret_value_123456")
    assert client["ClientSecret"] == "my_own_secret_value_123456"


def test_custom_secret_with_generate_secret_false_is_rejected(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, GenerateSecret=False, ClientSecret="my_own_secret_value_123456")
    assert error_of(err)[0] == "InvalidParameterException"


def test_refresh_token_validity_zero_means_thirty_days(idp, pool_id):
    client = create(idp, pool_id, RefreshTokenValidity=0)
    assert client["RefreshTokenValidity"] == 30
    client = create(idp, pool_id, RefreshTokenValidity=0, TokenValidityUnits={"RefreshToken": "hours"})
    assert client["RefreshTokenValidity"] == 720


# --- token validity bounds ---


@pytest.mark.parametrize(
    "kwargs",
    [
        {"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}},
        {"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}},
        # 60 in the default unit (hours) is 60 hours: over a day.
        {"AccessTokenValidity": 60},
        {"IdTokenValidity": 299, "TokenValidityUnits": {"IdToken": "seconds"}},
        {"IdTokenValidity": 25},
        {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},
        {"RefreshTokenValidity": 3651},
    ],
)
def test_token_validity_out_of_range(idp, pool_id, kwargs):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, **kwargs)
    assert error_of(err) == ("InvalidParameterException", "Invalid range for token validity.")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"AccessTokenValidity": 5, "TokenValidityUnits": {"AccessToken": "minutes"}},
        {"AccessTokenValidity": 1, "TokenValidityUnits": {"AccessToken": "days"}},
        {"IdTokenValidity": 24},
        {"RefreshTokenValidity": 60, "TokenValidityUnits": {"RefreshToken": "minutes"}},
        {"RefreshTokenValidity": 3650},
    ],
)
def test_token_validity_bounds_are_inclusive(idp, pool_id, kwargs):
    create(idp, pool_id, **kwargs)


def test_model_bounds_are_checked_before_the_domain(idp, pool_id):
    with pytest.raises(ClientError) as err:
        idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", AuthSessionValidity=16)
    code, message = error_of(err)
    assert code == "InvalidParameterException"
    assert "authSessionValidity" in message


# --- auth flows, attributes, identity providers ---


def test_legacy_and_allow_flows_cannot_mix(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, ExplicitAuthFlows=["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    assert error_of(err)[0] == "InvalidParameterException"


def test_legacy_flows_alone_are_accepted(idp, pool_id):
    client = create(idp, pool_id, ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"])
    assert client["ExplicitAuthFlows"] == ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"]


def test_unknown_read_attribute(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, ReadAttributes=["email", "custom:nope"])
    assert error_of(err) == (
        "InvalidParameterException",
        "Invalid read attributes specified while creating a client",
    )


def test_unknown_write_attribute_on_update(idp, pool_id):
    client_id = create(idp, pool_id)["ClientId"]
    with pytest.raises(ClientError) as err:
        idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, WriteAttributes=["shoe_size"])
    assert error_of(err) == (
        "InvalidParameterException",
        "Invalid write attributes specified while updating a client",
    )


def test_supported_identity_providers(idp, pool_id):
    assert create(idp, pool_id, SupportedIdentityProviders=["COGNITO"])["SupportedIdentityProviders"] == [
        "COGNITO"
    ]
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, SupportedIdentityProviders=["COGNITO", "Google"])
    assert error_of(err) == (
        "InvalidParameterException",
        f"The provider Google does not exist for User Pool {pool_id}",
    )


# --- OAuth settings ---


def oauth(**overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email"],
        "CallbackURLs": ["https://app.example.com/cb", "http://localhost:3000/cb", "myapp://cb"],
    }
    settings.update(overrides)
    return settings


def test_oauth_client(idp, pool_id):
    client = create(idp, pool_id, **oauth(DefaultRedirectURI="https://app.example.com/cb"))
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthScopes"] == ["openid", "email"]
    assert client["DefaultRedirectURI"] == "https://app.example.com/cb"
    assert client["AllowedOAuthFlowsUserPoolClient"] is True


def test_code_flow_needs_callback_urls(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, **oauth(CallbackURLs=[]))
    assert error_of(err) == (
        "InvalidOAuthFlowException",
        "CallbackUrls can not be empty when code flow or implicit flow is selected",
    )


@pytest.mark.parametrize("url", ["http://app.example.com/cb", "https://app.example.com/cb#frag", "/relative"])
def test_bad_callback_urls(idp, pool_id, url):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, **oauth(CallbackURLs=[url]))
    assert error_of(err)[0] == "InvalidParameterException"


def test_default_redirect_uri_must_be_a_callback(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, **oauth(DefaultRedirectURI="https://elsewhere.example.com/"))
    assert error_of(err)[0] == "InvalidParameterException"


def test_unknown_scope(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, **oauth(AllowedOAuthScopes=["openid", "Cognito"]))
    assert error_of(err) == ("ScopeDoesNotExistException", "Invalid scope requested: Cognito")


def test_custom_scope_needs_its_resource_server(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, **oauth(AllowedOAuthScopes=["https://api.example.com/read"]))
    assert error_of(err) == (
        "ScopeDoesNotExistException",
        "Invalid scope requested: https://api.example.com/read",
    )


def test_client_credentials_needs_a_secret(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, **oauth(AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=[]))
    assert error_of(err) == (
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected if client does not have a client secret.",
    )


def test_client_credentials_cannot_mix_with_code(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(idp, pool_id, GenerateSecret=True, **oauth(AllowedOAuthFlows=["client_credentials", "code"]))
    assert error_of(err)[0] == "InvalidOAuthFlowException"


def test_client_credentials_refuses_standard_scopes(idp, pool_id):
    with pytest.raises(ClientError) as err:
        create(
            idp,
            pool_id,
            GenerateSecret=True,
            **oauth(AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["openid"], CallbackURLs=[]),
        )
    assert error_of(err) == (
        "InvalidOAuthFlowException",
        "openid is not supported with client_credentials flow",
    )


# --- list / update / delete ---


def test_list_paginates(idp, pool_id):
    ids = {create(idp, pool_id)["ClientId"] for _ in range(5)}
    seen: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": 2}
    while True:
        page = idp.list_user_pool_clients(**kwargs)
        assert len(page["UserPoolClients"]) <= 2
        seen += [c["ClientId"] for c in page["UserPoolClients"]]
        assert all(c["UserPoolId"] == pool_id and c["ClientName"] == "app" for c in page["UserPoolClients"])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(seen) == sorted(ids)


def test_list_without_max_results(idp, pool_id):
    client_id = create(idp, pool_id)["ClientId"]
    listed = idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]
    assert [c["ClientId"] for c in listed] == [client_id]


def test_update_resets_omitted_settings_to_defaults(idp, pool_id):
    client = create(
        idp,
        pool_id,
        GenerateSecret=True,
        AccessTokenValidity=10,
        TokenValidityUnits={"AccessToken": "minutes"},
        ReadAttributes=["email"],
        PreventUserExistenceErrors="ENABLED",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )
    updated = idp.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client["ClientId"], ClientName="renamed"
    )["UserPoolClient"]
    assert updated["ClientName"] == "renamed"
    assert updated["ClientSecret"] == client["ClientSecret"]
    assert "AccessTokenValidity" not in updated
    assert "ReadAttributes" not in updated
    assert updated["TokenValidityUnits"] == {}
    assert updated["PreventUserExistenceErrors"] == "LEGACY"
    assert updated["ExplicitAuthFlows"] == [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
    ]
    assert updated["CreationDate"] == client["CreationDate"]
    assert updated["LastModifiedDate"] >= client["LastModifiedDate"]


def test_update_keeps_name_when_omitted(idp, pool_id):
    client_id = create(idp, pool_id)["ClientId"]
    updated = idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, AuthSessionValidity=5)
    assert updated["UserPoolClient"]["ClientName"] == "app"
    assert updated["UserPoolClient"]["AuthSessionValidity"] == 5


def test_update_client_credentials_on_public_client_is_rejected(idp, pool_id):
    client_id = create(idp, pool_id)["ClientId"]
    with pytest.raises(ClientError) as err:
        idp.update_user_pool_client(
            UserPoolId=pool_id,
            ClientId=client_id,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["client_credentials"],
        )
    assert error_of(err)[0] == "InvalidOAuthFlowException"


def test_delete(idp, pool_id):
    client_id = create(idp, pool_id)["ClientId"]
    idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"] == []
    with pytest.raises(ClientError) as err:
        idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert error_of(err) == ("ResourceNotFoundException", f"User pool client {client_id} does not exist.")


def test_delete_drops_the_client_index(emulator, idp, pool_id):
    client_id = create(idp, pool_id)["ClientId"]
    assert emulator.env.state.client_index[client_id] == pool_id
    idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert client_id not in emulator.env.state.client_index


@pytest.mark.parametrize(
    "call",
    [
        lambda idp, pool, client: idp.describe_user_pool_client(UserPoolId=pool, ClientId=client),
        lambda idp, pool, client: idp.update_user_pool_client(UserPoolId=pool, ClientId=client),
        lambda idp, pool, client: idp.delete_user_pool_client(UserPoolId=pool, ClientId=client),
        lambda idp, pool, client: idp.add_user_pool_client_secret(UserPoolId=pool, ClientId=client),
        lambda idp, pool, client: idp.list_user_pool_client_secrets(UserPoolId=pool, ClientId=client),
    ],
)
def test_unknown_client(idp, pool_id, call):
    with pytest.raises(ClientError) as err:
        call(idp, pool_id, "unknownclient1234567890abc")
    assert error_of(err) == (
        "ResourceNotFoundException",
        "User pool client unknownclient1234567890abc does not exist.",
    )


def test_unknown_pool(idp):
    with pytest.raises(ClientError) as err:
        idp.create_user_pool_client(UserPoolId="us-east-1_missing", ClientName="app")
    assert error_of(err) == ("ResourceNotFoundException", "User pool us-east-1_missing does not exist.")


def test_client_of_another_pool_is_not_found(idp, pool_id):
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    client_id = create(idp, other)["ClientId"]
    with pytest.raises(ClientError) as err:
        idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert error_of(err)[0] == "ResourceNotFoundException"


# --- client secrets ---


def test_secret_rotation(idp, pool_id):
    client = create(idp, pool_id, GenerateSecret=True)
    client_id = client["ClientId"]
    [first] = idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]
    assert re.fullmatch(rf"{client_id}--\d{{13}}", first["ClientSecretId"])
    assert "ClientSecretValue" not in first

    added = idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)["ClientSecretDescriptor"]
    assert re.fullmatch(r"[a-z0-9]{51}", added["ClientSecretValue"])
    assert added["ClientSecretId"] != first["ClientSecretId"]
    listed = idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]
    assert [s["ClientSecretId"] for s in listed] == [first["ClientSecretId"], added["ClientSecretId"]]

    with pytest.raises(ClientError) as err:
        idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)
    assert error_of(err)[0] == "LimitExceededException"

    idp.delete_user_pool_client_secret(
        UserPoolId=pool_id, ClientId=client_id, ClientSecretId=first["ClientSecretId"]
    )
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == added["ClientSecretValue"]

    with pytest.raises(ClientError) as err:
        idp.delete_user_pool_client_secret(
            UserPoolId=pool_id, ClientId=client_id, ClientSecretId=added["ClientSecretId"]
        )
    assert error_of(err)[0] == "InvalidParameterException"


def test_custom_secret_value_is_not_echoed(idp, pool_id):
    client_id = create(idp, pool_id, GenerateSecret=True)["ClientId"]
    added = idp.add_user_pool_client_secret(
        UserPoolId=pool_id, ClientId=client_id, ClientSecret="rotated_secret_value_abcdef"
    )["ClientSecretDescriptor"]
    assert "ClientSecretValue" not in added
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == "rotated_secret_value_abcdef"


def test_public_client_cannot_get_a_secret(idp, pool_id):
    client_id = create(idp, pool_id)["ClientId"]
    with pytest.raises(ClientError) as err:
        idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)
    assert error_of(err)[0] == "InvalidParameterException"
    assert idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"] == []


def test_delete_unknown_secret(idp, pool_id):
    client_id = create(idp, pool_id, GenerateSecret=True)["ClientId"]
    with pytest.raises(ClientError) as err:
        idp.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id, ClientSecretId="nope--1")
    assert error_of(err)[0] == "ResourceNotFoundException"
