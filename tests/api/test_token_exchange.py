"""GetDerivedToken (RFC 8693 token exchange): impersonation and delegation (the act claim), the
ALLOW_TOKEN_EXCHANGE_* flows, scopes narrowed, Audiences/Resources bound into aud, ID tokens, no
refresh token, the feature plan, and the errors for bad input."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_emu.idp import tokens
from cognito_emu.idp.users import directory
from tests.api.support import (
    claims,
    code_of,
    error_of,
    make_client_id,
    make_resource_server,
    make_user,
    password_sign_in,
)

API = "https://api.example.com"
USER_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
SCOPES = ["aws.cognito.signin.user.admin", f"{API}/read", f"{API}/write"]


@pytest.fixture
def setup(idp: Any, pool_id: str) -> dict[str, str]:
    make_resource_server(idp, pool_id, API)
    make_user(idp, pool_id)
    front = make_client_id(idp, pool_id, ExplicitAuthFlows=USER_FLOWS)
    service = make_client_id(
        idp,
        pool_id,
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_TOKEN_EXCHANGE_DELEGATION"],
        AllowedOAuthScopes=SCOPES,
    )
    result = password_sign_in(idp, front)["AuthenticationResult"]
    return {"pool_id": pool_id, "front": front, "service": service, **result}


def derive(idp: Any, setup: dict[str, str], **params: Any) -> dict[str, Any]:
    params.setdefault("ClientId", setup["service"])
    params.setdefault("SubjectToken", setup["AccessToken"])
    params.setdefault("SubjectTokenType", "ACCESS_TOKEN")
    response = idp.get_derived_token(**params)
    response.pop("ResponseMetadata")
    return response


def test_impersonation_issues_an_access_token_for_the_user(idp, setup):
    response = derive(idp, setup, Audiences=["billing"])
    assert response["IssuedTokenType"] == "ACCESS_TOKEN"
    assert response["TokenType"] == "Bearer"
    assert response["ExpiresIn"] == 3600
    assert response["Scopes"] == ["aws.cognito.signin.user.admin"]
    assert "RefreshToken" not in response
    issued = claims(response["IssuedToken"])
    subject = claims(setup["AccessToken"])
    assert issued["sub"] == subject["sub"]
    assert issued["username"] == "alice"
    assert issued["client_id"] == setup["service"]
    assert issued["aud"] == "billing"
    assert issued["origin_jti"] == subject["origin_jti"]
    assert issued["auth_time"] == subject["auth_time"]
    assert "act" not in issued
    # The issued token is a user pool access token like any other.
    assert idp.get_user(AccessToken=response["IssuedToken"])["Username"] == "alice"


def test_delegation_adds_the_act_claim(idp, setup):
    actor = make_client_id(idp, setup["pool_id"], ExplicitAuthFlows=USER_FLOWS)
    make_user(idp, setup["pool_id"], "agent")
    actor_token = password_sign_in(idp, actor, "agent")["AuthenticationResult"]["AccessToken"]
    response = derive(idp, setup, ActorToken=actor_token, ActorTokenType="ACCESS_TOKEN")
    issued = claims(response["IssuedToken"])
    assert issued["act"] == {"sub": claims(actor_token)["sub"], "client_id": actor}
    # Exchanging the delegated token again nests the earlier actor.
    again = derive(
        idp,
        setup,
        SubjectToken=response["IssuedToken"],
        ActorToken=setup["IdToken"],
        ActorTokenType="ID_TOKEN",
    )
    assert claims(again["IssuedToken"])["act"] == {
        "sub": claims(setup["IdToken"])["sub"],
        "client_id": setup["front"],
        "act": issued["act"],
    }


def test_each_mode_needs_its_flow(idp, setup):
    only_impersonation = make_client_id(
        idp,
        setup["pool_id"],
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION"],
        AllowedOAuthScopes=SCOPES,
    )
    plain = make_client_id(idp, setup["pool_id"], ExplicitAuthFlows=USER_FLOWS, AllowedOAuthScopes=SCOPES)
    assert error_of(
        idp.get_derived_token,
        ClientId=plain,
        SubjectToken=setup["AccessToken"],
        SubjectTokenType="ACCESS_TOKEN",
    ) == (
        "InvalidParameterException",
        "ALLOW_TOKEN_EXCHANGE_IMPERSONATION is not enabled for this client.",
    )
    derive(idp, setup, ClientId=only_impersonation)
    assert error_of(
        idp.get_derived_token,
        ClientId=only_impersonation,
        SubjectToken=setup["AccessToken"],
        SubjectTokenType="ACCESS_TOKEN",
        ActorToken=setup["IdToken"],
        ActorTokenType="ID_TOKEN",
    ) == ("InvalidParameterException", "ALLOW_TOKEN_EXCHANGE_DELEGATION is not enabled for this client.")


def test_scopes_are_the_intersection(idp, setup, emulator):
    # A subject token with custom scopes, as the hosted login or a trigger would give it.
    wide = make_client_id(
        idp,
        setup["pool_id"],
        ExplicitAuthFlows=USER_FLOWS,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        CallbackURLs=["https://app.example.com/cb"],
        AllowedOAuthScopes=SCOPES,
    )
    env = emulator.env
    with env.state.lock:
        pool = env.state.find_pool(setup["pool_id"])
        issued = tokens.authentication_result(
            env,
            pool,
            pool.clients[wide],
            directory.get_user(pool, "alice"),
            issuer=claims(setup["AccessToken"])["iss"],
            scope=f"{API}/read {API}/write",
        )
    subject = issued.access_token
    assert derive(idp, setup, SubjectToken=subject)["Scopes"] == [f"{API}/read", f"{API}/write"]
    narrowed = derive(idp, setup, SubjectToken=subject, Scopes=[f"{API}/read", "openid"])
    assert narrowed["Scopes"] == [f"{API}/read"]
    assert claims(narrowed["IssuedToken"])["scope"] == f"{API}/read"
    assert error_of(derive, idp, setup, SubjectToken=subject, Scopes=["openid"]) == (
        "InvalidParameterException",
        "None of the requested scopes is allowed.",
    )


def test_resources_and_audiences(idp, setup):
    assert claims(derive(idp, setup, Resources=[API])["IssuedToken"])["aud"] == API
    assert error_of(derive, idp, setup, Resources=["https://nowhere.example.com"]) == (
        "InvalidParameterException",
        "Resource https://nowhere.example.com is not a resource server of this user pool.",
    )
    assert error_of(derive, idp, setup, Resources=[API], Audiences=["billing"]) == (
        "InvalidParameterException",
        "You can't request both Audiences and Resources.",
    )
    assert code_of(derive, idp, setup, Audiences=["a", "b"]) == "InvalidParameterException"


def test_id_tokens_in_and_out(idp, setup):
    response = derive(
        idp,
        setup,
        SubjectToken=setup["IdToken"],
        SubjectTokenType="ID_TOKEN",
        RequestedTokenType="ID_TOKEN",
        Audiences=["reports"],
    )
    assert response["IssuedTokenType"] == "ID_TOKEN"
    assert response["TokenType"] == "N_A"
    assert "Scopes" not in response
    issued = claims(response["IssuedToken"])
    assert issued["token_use"] == "id"
    assert issued["aud"] == "reports"
    assert issued["cognito:username"] == "alice"


def test_subject_tokens_that_do_not_check_out(emulator, idp, setup):
    assert error_of(derive, idp, setup, SubjectToken=setup["IdToken"]) == (
        "NotAuthorizedException",
        "Invalid Subject token",
    )
    assert code_of(derive, idp, setup, SubjectToken="not.a.token") == "NotAuthorizedException"
    other_pool = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    make_user(idp, other_pool)
    foreign = password_sign_in(idp, make_client_id(idp, other_pool, ExplicitAuthFlows=USER_FLOWS))
    assert error_of(derive, idp, setup, SubjectToken=foreign["AuthenticationResult"]["AccessToken"]) == (
        "NotAuthorizedException",
        "Invalid Subject token",
    )
    assert code_of(derive, idp, setup, SubjectTokenType="SAML2") == "InvalidParameterException"
    assert code_of(derive, idp, setup, ActorToken=setup["IdToken"]) == "InvalidParameterException"
    idp.global_sign_out(AccessToken=setup["AccessToken"])
    assert error_of(derive, idp, setup) == ("NotAuthorizedException", "Subject token has been revoked")


def test_expired_subject_token(emulator, idp, setup):
    emulator.clock.advance(3601)
    assert error_of(derive, idp, setup) == ("NotAuthorizedException", "Subject token has expired")


def test_client_secret_and_feature_plan(idp, setup):
    confidential = idp.create_user_pool_client(
        UserPoolId=setup["pool_id"],
        ClientName="svc",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION"],
        AllowedOAuthScopes=SCOPES,
    )["UserPoolClient"]
    assert error_of(derive, idp, setup, ClientId=confidential["ClientId"]) == (
        "NotAuthorizedException",
        f"Unable to verify secret for client {confidential['ClientId']}",
    )
    derive(idp, setup, ClientId=confidential["ClientId"], ClientSecret=confidential["ClientSecret"])
    idp.update_user_pool(UserPoolId=setup["pool_id"], UserPoolTier="LITE")
    assert error_of(derive, idp, setup) == (
        "OperationNotEnabledException",
        "Token exchange is available in the Essentials and Plus feature plans only.",
    )
    assert code_of(derive, idp, setup, ClientId="nosuchclient") == "ResourceNotFoundException"
