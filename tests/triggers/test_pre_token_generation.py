"""PreTokenGeneration V1_0 / V2_0 / V3_0: the event, and its answer applied to the tokens (boto3 + PyJWT)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from trigger_support import arn, handler, make_pool

from cognito_emu.triggers import token_generation
from cognito_emu.triggers.registry import TriggerRegistry
from tests.api import support
from tests.api.support import claims

API = "https://api.example.com"
ROLE_A = "arn:aws:iam::123456789012:role/a"
ROLE_B = "arn:aws:iam::123456789012:role/b"


def v2_config(name: str, version: str = "V2_0") -> dict[str, Any]:
    return {"PreTokenGenerationConfig": {"LambdaVersion": version, "LambdaArn": arn(name)}}


def make_user(idp: Any, pool_id: str, *, permanent: bool = True) -> None:
    """alice, with the email the token tests read back."""
    support.make_user(
        idp, pool_id, "alice", support.PASSWORD if permanent else None, email="alice@example.com", email_verified="true"
    )


def sign_in(idp: Any, client_id: str) -> dict[str, Any]:
    return support.password_sign_in(idp, client_id, "alice")


class Recorder:
    """A handler that keeps the events it saw and answers ``response`` (or the event unchanged)."""

    def __init__(self, response: dict[str, Any] | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.response = response

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        if self.response is not None:
            event["response"] = self.response
        return event


def test_v1_event_and_id_token_claims(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"PreTokenGeneration": arn("ptg")})
    make_user(idp, pool_id)
    recorder = Recorder(
        {
            "claimsOverrideDetails": {
                "claimsToAddOrOverride": {
                    "tenant": "t-1",
                    "email": "shown@example.com",
                    # Reserved: Cognito keeps its own values.
                    "sub": "forged",
                    "iss": "https://evil.example.com",
                    "aud": "forged",
                    "cognito:username": "mallory",
                    "token_use": "access",
                    "exp": 1,
                },
                "claimsToSuppress": ["email_verified", "auth_time", "sub", "origin_jti"],
            }
        }
    )
    triggers.register(arn("ptg"), recorder)
    result = sign_in(idp, client_id)["AuthenticationResult"]

    [event] = recorder.events
    assert event["version"] == "1"
    assert event["triggerSource"] == "TokenGeneration_Authentication"
    assert event["userName"] == "alice"
    assert event["callerContext"]["clientId"] == client_id
    request = event["request"]
    assert request["userAttributes"]["email"] == "alice@example.com"
    assert request["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert request["groupConfiguration"] == {
        "groupsToOverride": [],
        "iamRolesToOverride": [],
        "preferredRole": None,
    }
    assert "scopes" not in request
    assert "clientMetadata" not in request  # InitiateAuth does not pass it to this trigger

    id_claims = claims(result["IdToken"])
    assert id_claims["tenant"] == "t-1"
    assert id_claims["email"] == "shown@example.com"
    assert "email_verified" not in id_claims
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    sub = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
    assert id_claims["sub"] == sub
    assert id_claims["iss"].endswith("/" + pool_id)
    assert id_claims["aud"] == client_id
    assert id_claims["cognito:username"] == "alice"
    assert id_claims["token_use"] == "id"
    assert id_claims["exp"] > id_claims["iat"]
    assert "auth_time" in id_claims and "origin_jti" in id_claims

    access = claims(result["AccessToken"])
    assert "tenant" not in access  # V1 customizes the ID token only
    assert access["scope"] == "aws.cognito.signin.user.admin"
    # The tokens still work.
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == "alice"


def test_v1_group_override_in_both_tokens(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"PreTokenGeneration": arn("ptg")})
    make_user(idp, pool_id)
    idp.create_group(UserPoolId=pool_id, GroupName="staff", RoleArn=ROLE_A, Precedence=1)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="staff")
    recorder = Recorder(
        {
            "claimsOverrideDetails": {
                "groupOverrideDetails": {
                    "groupsToOverride": ["admins", "beta"],
                    "iamRolesToOverride": [ROLE_B],
                    "preferredRole": ROLE_B,
                }
            }
        }
    )
    triggers.register(arn("ptg"), recorder)
    result = sign_in(idp, client_id)["AuthenticationResult"]
    assert recorder.events[0]["request"]["groupConfiguration"] == {
        "groupsToOverride": ["staff"],
        "iamRolesToOverride": [ROLE_A],
        "preferredRole": ROLE_A,
    }
    id_claims = claims(result["IdToken"])
    assert id_claims["cognito:groups"] == ["admins", "beta"]
    assert id_claims["cognito:roles"] == [ROLE_B]
    assert id_claims["cognito:preferred_role"] == ROLE_B
    assert claims(result["AccessToken"])["cognito:groups"] == ["admins", "beta"]


def test_v1_empty_group_override_removes_groups(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"PreTokenGeneration": arn("ptg")})
    make_user(idp, pool_id)
    idp.create_group(UserPoolId=pool_id, GroupName="staff")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="staff")
    triggers.register(
        arn("ptg"), Recorder({"claimsOverrideDetails": {"groupOverrideDetails": {"groupsToOverride": []}}})
    )
    result = sign_in(idp, client_id)["AuthenticationResult"]
    assert "cognito:groups" not in claims(result["IdToken"])
    assert "cognito:groups" not in claims(result["AccessToken"])


def test_v2_claims_and_scopes_in_both_tokens(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, v2_config("ptg"))
    make_user(idp, pool_id)
    triggers.register(arn("ptg"), handler("ptg_v2_claims.py"))
    result = sign_in(idp, client_id)["AuthenticationResult"]

    id_claims = claims(result["IdToken"])
    assert id_claims["tenant"] == {"id": "t-1", "tier": 2}
    assert id_claims["roles"] == ["admin", "ops"]
    assert "email" not in id_claims

    access = claims(result["AccessToken"])
    assert access["tenant_id"] == "t-1"
    assert access["beta"] is True
    assert access["quota"] == 5
    assert access["client_id"] == client_id  # reserved
    assert access["username"] == "alice"  # reserved: not suppressed
    assert access["scope"].split() == ["orders/read", "orders/write"]
    [entry] = triggers.log(trigger="PreTokenGeneration")
    assert entry.outcome == "ok"


def test_v2_event_has_scopes_and_version(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, v2_config("ptg"))
    make_user(idp, pool_id)
    recorder = Recorder()
    triggers.register(arn("ptg"), recorder)
    result = sign_in(idp, client_id)["AuthenticationResult"]
    [event] = recorder.events
    assert event["version"] == "2"
    assert event["request"]["scopes"] == ["aws.cognito.signin.user.admin"]
    # An unchanged event leaves the tokens as Cognito writes them.
    assert claims(result["AccessToken"])["scope"] == "aws.cognito.signin.user.admin"
    assert claims(result["IdToken"])["email"] == "alice@example.com"


def test_v3_acts_like_v2_for_user_tokens(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, v2_config("ptg", "V3_0"))
    make_user(idp, pool_id)
    recorder = Recorder(
        {
            "claimsAndScopeOverrideDetails": {
                "accessTokenGeneration": {"claimsToAddOrOverride": {"m2m": False}}
            }
        }
    )
    triggers.register(arn("ptg"), recorder)
    result = sign_in(idp, client_id)["AuthenticationResult"]
    assert recorder.events[0]["version"] == "3"
    assert claims(result["AccessToken"])["m2m"] is False


def test_refresh_trigger_source(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, v2_config("ptg"))
    make_user(idp, pool_id)
    recorder = Recorder(
        {"claimsAndScopeOverrideDetails": {"idTokenGeneration": {"claimsToAddOrOverride": {"fresh": "yes"}}}}
    )
    triggers.register(arn("ptg"), recorder)
    refresh_token = sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    result = idp.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
    )["AuthenticationResult"]
    assert [e["triggerSource"] for e in recorder.events] == [
        "TokenGeneration_Authentication",
        "TokenGeneration_RefreshTokens",
    ]
    assert claims(result["IdToken"])["fresh"] == "yes"


def test_get_tokens_from_refresh_token_passes_its_client_metadata(idp: Any, triggers: TriggerRegistry) -> None:
    # API reference, GetTokensFromRefreshToken ClientMetadata: the action invokes the pre token generation
    # trigger with it. InitiateAuth's REFRESH_TOKEN_AUTH does not pass its own (InitiateAuth ClientMetadata).
    pool_id, client_id = make_pool(idp, {"PreTokenGeneration": arn("ptg")})
    make_user(idp, pool_id)
    recorder = Recorder()
    triggers.register(arn("ptg"), recorder)
    refresh_token = sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    idp.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=refresh_token, ClientMetadata={"origin": "refresh"}
    )
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
        ClientMetadata={"origin": "initiate"},
    )
    _, by_operation, by_initiate_auth = recorder.events
    assert by_operation["triggerSource"] == "TokenGeneration_RefreshTokens"
    assert by_operation["request"]["clientMetadata"] == {"origin": "refresh"}
    assert by_initiate_auth["triggerSource"] == "TokenGeneration_RefreshTokens"
    assert "clientMetadata" not in by_initiate_auth["request"]


def test_event_names_the_callers_sdk_as_post_authentication_does(idp: Any, triggers: TriggerRegistry) -> None:
    # Developer guide, Lambda trigger common parameters: callerContext.awsSdkVersion is "the version of the
    # AWS SDK that generated the request"; the sign-in and both refresh operations come from boto3.
    pool_id, client_id = make_pool(idp, {"PreTokenGeneration": arn("ptg"), "PostAuthentication": arn("post")})
    make_user(idp, pool_id)
    pre_token, post_authentication = Recorder(), Recorder()
    triggers.register(arn("ptg"), pre_token)
    triggers.register(arn("post"), post_authentication)
    refresh_token = sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    idp.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
    )
    idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=refresh_token)
    [signed_in] = post_authentication.events
    sdk = signed_in["callerContext"]["awsSdkVersion"]
    assert sdk.startswith("aws-sdk-boto3-")
    assert [(e["triggerSource"], e["callerContext"]["awsSdkVersion"]) for e in pre_token.events] == [
        ("TokenGeneration_Authentication", sdk),
        ("TokenGeneration_RefreshTokens", sdk),
        ("TokenGeneration_RefreshTokens", sdk),
    ]


def test_get_client_token_event_names_the_callers_sdk(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, _ = make_pool(idp, v2_config("ptg", "V3_0"))
    support.make_resource_server(idp, pool_id, API)
    m2m = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
        AllowedOAuthScopes=[f"{API}/read"],
    )["UserPoolClient"]
    recorder = Recorder()
    triggers.register(arn("ptg"), recorder)
    idp.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"])
    [event] = recorder.events
    assert event["triggerSource"] == "TokenGeneration_ClientCredentials"
    assert event["callerContext"]["awsSdkVersion"].startswith("aws-sdk-boto3-")


def test_new_password_challenge_trigger_source_and_client_metadata(
    idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, client_id = make_pool(idp, {"PreTokenGeneration": arn("ptg")})
    make_user(idp, pool_id, permanent=False)
    recorder = Recorder()
    triggers.register(arn("ptg"), recorder)
    challenge = support.password_sign_in(idp, client_id, "alice", support.TEMPORARY_PASSWORD)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": "Another-horse-2"},
        ClientMetadata={"origin": "web"},
    )
    [event] = recorder.events
    assert event["triggerSource"] == "TokenGeneration_NewPasswordChallenge"
    assert event["request"]["clientMetadata"] == {"origin": "web"}
    assert event["callerContext"]["awsSdkVersion"].startswith("aws-sdk-boto3-")


def test_handler_failure_refuses_the_sign_in(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"PreTokenGeneration": arn("ptg")})
    make_user(idp, pool_id)

    def refuse(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("no tokens today")

    triggers.register(arn("ptg"), refuse)
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, client_id)
    error = excinfo.value.response["Error"]
    assert error["Code"] == "UserLambdaValidationException"
    assert "no tokens today" in error["Message"]


def test_malformed_answer_is_invalid_lambda_response(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, v2_config("ptg"))
    make_user(idp, pool_id)
    triggers.register(
        arn("ptg"),
        Recorder({"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {"scopesToAdd": "not-a-list"}}}),
    )
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, client_id)
    assert excinfo.value.response["Error"]["Code"] == "InvalidLambdaResponseException"


def test_no_trigger_no_change(idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {})
    make_user(idp, pool_id)
    result = sign_in(idp, client_id)["AuthenticationResult"]
    assert claims(result["IdToken"])["email"] == "alice@example.com"
    assert triggers.log() == []


# -- pure logic ----------------------------------------------------------------------------------------


def test_apply_v1_unit() -> None:
    id_claims = {"sub": "s", "email": "a@x", "cognito:groups": ["g"], "cognito:username": "alice"}
    access = {"sub": "s", "cognito:groups": ["g"], "scope": "aws.cognito.signin.user.admin"}
    token_generation.apply_v1(
        {
            "claimsOverrideDetails": {
                "claimsToAddOrOverride": {"x": "1", "cognito:username": "bob", "cognito:groups": ["h"]},
                "claimsToSuppress": ["email", "cognito:username", "cognito:groups"],
            }
        },
        id_claims,
        access,
    )
    assert id_claims == {"sub": "s", "x": "1", "cognito:username": "alice"}
    assert access["cognito:groups"] == ["g"]


def test_apply_v2_scopes_unit() -> None:
    access = {"scope": "openid email"}
    token_generation.apply_v2(
        {
            "claimsAndScopeOverrideDetails": {
                "accessTokenGeneration": {"scopesToAdd": ["email", "a/b"], "scopesToSuppress": ["openid"]}
            }
        },
        {},
        access,
    )
    assert access["scope"] == "email a/b"
    token_generation.apply_v2(
        {"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {"scopesToSuppress": ["email", "a/b"]}}},
        {},
        access,
    )
    assert "scope" not in access
