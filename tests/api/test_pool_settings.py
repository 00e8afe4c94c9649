"""Get/SetUserPoolMfaConfig, Get/SetUICustomization, Describe/SetRiskConfiguration and
Get/SetLogDeliveryConfiguration, through boto3 against the server."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.api.support import error_of

SMS = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "ext", "SnsRegion": "us-east-1"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:cognito"


def error_code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


def client_id_of(idp: Any, pool_id: str) -> str:
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]


def mfa_config(idp: Any, pool_id: str) -> dict[str, Any]:
    response = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    response.pop("ResponseMetadata")
    return response


# MFA


def test_mfa_config_of_a_new_pool_is_off(idp, pool_id):
    assert mfa_config(idp, pool_id) == {"MfaConfiguration": "OFF"}


def test_set_totp_mfa_on(idp, pool_id):
    answer = idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON"
    )
    assert answer["MfaConfiguration"] == "ON"
    assert mfa_config(idp, pool_id) == {
        "MfaConfiguration": "ON",
        "SoftwareTokenMfaConfiguration": {"Enabled": True},
    }
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "ON"


def test_set_every_factor(idp, pool_id):
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Code {####}", "SmsConfiguration": SMS},
        SoftwareTokenMfaConfiguration={"Enabled": True},
        EmailMfaConfiguration={"Message": "Code {####}", "Subject": "Sign-in code"},
        WebAuthnConfiguration={"RelyingPartyId": "auth.example.com", "UserVerification": "preferred"},
        MfaConfiguration="OPTIONAL",
    )
    assert mfa_config(idp, pool_id) == {
        "MfaConfiguration": "OPTIONAL",
        "SmsMfaConfiguration": {"SmsAuthenticationMessage": "Code {####}", "SmsConfiguration": SMS},
        "SoftwareTokenMfaConfiguration": {"Enabled": True},
        "EmailMfaConfiguration": {"Message": "Code {####}", "Subject": "Sign-in code"},
        "WebAuthnConfiguration": {"RelyingPartyId": "auth.example.com", "UserVerification": "preferred"},
    }
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["SmsConfiguration"] == SMS
    assert pool["SmsAuthenticationMessage"] == "Code {####}"


def test_set_replaces_the_factors(idp, pool_id):
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
    )
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsConfiguration": SMS},
        MfaConfiguration="OPTIONAL",
    )
    config = mfa_config(idp, pool_id)
    assert "SoftwareTokenMfaConfiguration" not in config
    assert config["SmsMfaConfiguration"] == {"SmsConfiguration": SMS}


def test_mfa_on_without_a_factor_is_refused(idp, pool_id):
    assert error_code(idp.set_user_pool_mfa_config, UserPoolId=pool_id, MfaConfiguration="ON") == (
        "InvalidParameterException"
    )
    assert (
        error_code(
            idp.set_user_pool_mfa_config,
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": False},
            MfaConfiguration="OPTIONAL",
        )
        == "InvalidParameterException"
    )
    assert mfa_config(idp, pool_id) == {"MfaConfiguration": "OFF"}


def test_sms_mfa_needs_an_sms_configuration(idp, pool_id):
    code = error_code(
        idp.set_user_pool_mfa_config,
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Code {####}"},
        MfaConfiguration="ON",
    )
    assert code == "InvalidParameterException"


def test_update_user_pool_turns_mfa_on_only_with_a_factor(idp, pool_id):
    assert error_code(idp.update_user_pool, UserPoolId=pool_id, MfaConfiguration="ON") == (
        "InvalidParameterException"
    )
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True})
    assert mfa_config(idp, pool_id)["MfaConfiguration"] == "OFF"
    idp.update_user_pool(UserPoolId=pool_id, MfaConfiguration="ON")
    assert mfa_config(idp, pool_id) == {
        "MfaConfiguration": "ON",
        "SoftwareTokenMfaConfiguration": {"Enabled": True},
    }


def test_mfa_config_of_a_missing_pool(idp):
    assert (
        error_code(idp.get_user_pool_mfa_config, UserPoolId="us-east-1_nope") == "ResourceNotFoundException"
    )


# UI customization


def with_domain(idp: Any, pool_id: str) -> str:
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=f"ui-{pool_id.split('_')[1].lower()}")
    return pool_id


def test_ui_customization_needs_a_domain(idp, pool_id):
    """SetUICustomization: "Your user pool must have a domain" (Cognito's refusal as reported)."""
    assert error_of(idp.set_ui_customization, UserPoolId=pool_id, CSS=".banner-customizable {}") == (
        "InvalidParameterException",
        "A domain must be associated with this user pool.",
    )


def test_ui_customization_for_all_clients(idp, pool_id, emulator):
    with_domain(idp, pool_id)
    answer = idp.set_ui_customization(UserPoolId=pool_id, CSS=".label-customizable {font-weight: 400;}")
    customization = answer["UICustomization"]
    assert customization["UserPoolId"] == pool_id
    assert customization["ClientId"] == "ALL"
    assert customization["CSS"] == ".label-customizable {font-weight: 400;}"
    assert len(customization["CSSVersion"]) == 14 and customization["CSSVersion"].isdigit()
    assert "ImageUrl" not in customization
    client_id = client_id_of(idp, pool_id)
    inherited = idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)["UICustomization"]
    assert inherited["ClientId"] == "ALL" and inherited["CSS"] == customization["CSS"]


def test_ui_customization_per_client_with_image(idp, pool_id):
    with_domain(idp, pool_id)
    client_id = client_id_of(idp, pool_id)
    idp.set_ui_customization(UserPoolId=pool_id, ClientId="ALL", CSS=".banner-customizable {}")
    idp.set_ui_customization(UserPoolId=pool_id, ClientId=client_id, ImageFile=PNG)
    own = idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)["UICustomization"]
    assert own["ClientId"] == client_id
    assert own["ImageUrl"] == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert "CSS" not in own
    pool_wide = idp.get_ui_customization(UserPoolId=pool_id)["UICustomization"]
    assert pool_wide["CSS"] == ".banner-customizable {}"


def test_ui_customization_when_none_is_set(idp, pool_id):
    customization = idp.get_ui_customization(UserPoolId=pool_id)["UICustomization"]
    assert customization == {"UserPoolId": pool_id, "ClientId": "ALL"}


def test_ui_customization_errors(idp, pool_id):
    with_domain(idp, pool_id)
    assert error_code(idp.get_ui_customization, UserPoolId=pool_id, ClientId="unknown1") == (
        "ResourceNotFoundException"
    )
    assert error_code(idp.set_ui_customization, UserPoolId=pool_id, ImageFile=b"GIF89a...") == (
        "InvalidParameterException"
    )


# Risk configuration


def test_risk_configuration_needs_threat_protection(idp, pool_id):
    code = error_code(
        idp.set_risk_configuration,
        UserPoolId=pool_id,
        CompromisedCredentialsRiskConfiguration={"Actions": {"EventAction": "BLOCK"}},
    )
    assert code == "UserPoolAddOnNotEnabledException"


def test_risk_configuration_pool_wide_and_per_client(idp, pool_id):
    idp.update_user_pool(
        UserPoolId=pool_id, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"}
    )
    client_id = client_id_of(idp, pool_id)
    assert idp.describe_risk_configuration(UserPoolId=pool_id)["RiskConfiguration"] == {"UserPoolId": pool_id}
    compromised = {"EventFilter": ["SIGN_IN"], "Actions": {"EventAction": "BLOCK"}}
    answer = idp.set_risk_configuration(
        UserPoolId=pool_id, CompromisedCredentialsRiskConfiguration=compromised
    )
    assert answer["RiskConfiguration"]["CompromisedCredentialsRiskConfiguration"] == compromised
    assert "LastModifiedDate" in answer["RiskConfiguration"]
    inherited = idp.describe_risk_configuration(UserPoolId=pool_id, ClientId=client_id)["RiskConfiguration"]
    assert inherited["CompromisedCredentialsRiskConfiguration"] == compromised
    exceptions = {"BlockedIPRangeList": ["10.0.0.0/8"]}
    idp.set_risk_configuration(UserPoolId=pool_id, ClientId=client_id, RiskExceptionConfiguration=exceptions)
    own = idp.describe_risk_configuration(UserPoolId=pool_id, ClientId=client_id)["RiskConfiguration"]
    assert own["ClientId"] == client_id
    assert own["RiskExceptionConfiguration"] == exceptions
    assert "CompromisedCredentialsRiskConfiguration" not in own


def test_risk_configuration_for_an_unknown_client(idp, pool_id):
    idp.update_user_pool(
        UserPoolId=pool_id, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}
    )
    assert error_code(idp.describe_risk_configuration, UserPoolId=pool_id, ClientId="nope1") == (
        "ResourceNotFoundException"
    )


# Log delivery


def test_log_delivery_round_trip(idp, pool_id):
    assert idp.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"] == {
        "UserPoolId": pool_id,
        "LogConfigurations": [],
    }
    configurations = [
        {
            "LogLevel": "ERROR",
            "EventSource": "userNotification",
            "CloudWatchLogsConfiguration": {"LogGroupArn": LOG_GROUP},
        }
    ]
    answer = idp.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=configurations)
    assert answer["LogDeliveryConfiguration"] == {"UserPoolId": pool_id, "LogConfigurations": configurations}
    assert idp.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"] == {
        "UserPoolId": pool_id,
        "LogConfigurations": configurations,
    }


@pytest.mark.parametrize(
    "configurations",
    [
        [{"LogLevel": "ERROR", "EventSource": "userNotification"}],
        [
            {
                "LogLevel": "ERROR",
                "EventSource": "userNotification",
                "CloudWatchLogsConfiguration": {"LogGroupArn": LOG_GROUP},
            },
            {
                "LogLevel": "ERROR",
                "EventSource": "userNotification",
                "CloudWatchLogsConfiguration": {"LogGroupArn": LOG_GROUP},
            },
        ],
    ],
)
def test_log_delivery_refuses_bad_configurations(idp, pool_id, configurations):
    code = error_code(
        idp.set_log_delivery_configuration, UserPoolId=pool_id, LogConfigurations=configurations
    )
    assert code == "InvalidParameterException"
    assert (
        idp.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"][
            "LogConfigurations"
        ]
        == []
    )


def test_mfa_on_with_no_factor_and_off_with_one(idp, pool_id):
    refused = error_of(idp.set_user_pool_mfa_config, UserPoolId=pool_id, MfaConfiguration="ON")
    assert refused == (
        "InvalidParameterException",
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    )
    refused = error_of(
        idp.set_user_pool_mfa_config,
        UserPoolId=pool_id,
        MfaConfiguration="OFF",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    assert refused == (
        "InvalidParameterException",
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    )
