"""Get/SetUserPoolSessionConfiguration and Get/SetUserPoolClientSessionConfiguration, and
Get/UpdateProvisionedLimit, through boto3 against the server."""

from __future__ import annotations

from typing import Any

from tests.api.support import code_of


def without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    response.pop("ResponseMetadata", None)
    return response


def enable_tracking(idp: Any, pool_id: str, max_per_user: int = 20) -> dict[str, Any]:
    return without_metadata(
        idp.set_user_pool_session_configuration(
            UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": max_per_user}
        )
    )


# Pool level


def test_pool_defaults(idp, pool_id):
    assert without_metadata(idp.get_user_pool_session_configuration(UserPoolId=pool_id)) == {
        "UserPoolId": pool_id,
        "UserSessionTracking": "DISABLED",
        "TokenSession": {"MaxPerUser": 20},
    }


def test_set_pool_configuration_is_echoed_and_kept(idp, pool_id):
    expected = {"UserPoolId": pool_id, "UserSessionTracking": "ENABLED", "TokenSession": {"MaxPerUser": 5}}
    assert enable_tracking(idp, pool_id, 5) == expected
    assert without_metadata(idp.get_user_pool_session_configuration(UserPoolId=pool_id)) == expected


def test_pool_configuration_follows_the_model(idp, raw, pool_id):
    for value in (0, 101):
        code = code_of(
            raw.set_user_pool_session_configuration,
            UserPoolId=pool_id,
            UserSessionTracking="ENABLED",
            TokenSession={"MaxPerUser": value},
        )
        assert code == "InvalidParameterException"
    code = code_of(
        idp.set_user_pool_session_configuration,
        UserPoolId=pool_id,
        UserSessionTracking="MAYBE",
        TokenSession={"MaxPerUser": 3},
    )
    assert code == "InvalidParameterException"


def test_pool_configuration_needs_essentials_or_plus(idp):
    lite = idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    code = code_of(
        idp.set_user_pool_session_configuration,
        UserPoolId=lite,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": 3},
    )
    assert code == "FeatureUnavailableInTierException"
    assert idp.get_user_pool_session_configuration(UserPoolId=lite)["UserSessionTracking"] == "DISABLED"


def test_unknown_pool(idp):
    missing = "us-east-1_missing"
    assert code_of(idp.get_user_pool_session_configuration, UserPoolId=missing) == "ResourceNotFoundException"
    code = code_of(
        idp.set_user_pool_session_configuration,
        UserPoolId=missing,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": 3},
    )
    assert code == "ResourceNotFoundException"


# Client level


def test_client_default(idp, pool_id, client_id):
    response = idp.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id)
    assert without_metadata(response) == {
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "SSOSession": {"MaxValidityMinutes": 60},
    }


def test_set_client_configuration_needs_tracking(idp, pool_id, client_id):
    code = code_of(
        idp.set_user_pool_client_session_configuration,
        UserPoolId=pool_id,
        ClientId=client_id,
        SSOSession={"MaxValidityMinutes": 0},
    )
    assert code == "InvalidParameterException"
    enable_tracking(idp, pool_id)
    response = idp.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id, SSOSession={"MaxValidityMinutes": 0}
    )
    expected = {"UserPoolId": pool_id, "ClientId": client_id, "SSOSession": {"MaxValidityMinutes": 0}}
    assert without_metadata(response) == expected
    got = idp.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id)
    assert without_metadata(got) == expected


def test_client_configuration_stays_while_tracking_is_off(idp, pool_id, client_id):
    enable_tracking(idp, pool_id)
    idp.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id, SSOSession={"MaxValidityMinutes": 129600}
    )
    idp.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="DISABLED", TokenSession={"MaxPerUser": 20}
    )
    got = idp.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id)
    assert got["SSOSession"] == {"MaxValidityMinutes": 129600}


def test_client_configuration_errors(idp, raw, pool_id, client_id):
    enable_tracking(idp, pool_id)
    code = code_of(
        raw.set_user_pool_client_session_configuration,
        UserPoolId=pool_id,
        ClientId=client_id,
        SSOSession={"MaxValidityMinutes": 129601},
    )
    assert code == "InvalidParameterException"
    code = code_of(idp.get_user_pool_client_session_configuration, UserPoolId=pool_id, ClientId="nosuch")
    assert code == "ResourceNotFoundException"
    code = code_of(
        idp.set_user_pool_client_session_configuration,
        UserPoolId=pool_id,
        ClientId="nosuch",
        SSOSession={"MaxValidityMinutes": 5},
    )
    assert code == "ResourceNotFoundException"
