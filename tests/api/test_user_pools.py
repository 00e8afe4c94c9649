"""CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool, DeleteUserPool, AddCustomAttributes,
GetCSVHeader and tagging, through boto3 against the server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import error_of

STANDARD_ORDER = [
    "sub",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    "identities",
]


def schema_of(pool: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {attribute["Name"]: attribute for attribute in pool["SchemaAttributes"]}


def test_create_describe_list_delete(idp):
    created = idp.create_user_pool(PoolName="alpha")["UserPool"]
    assert created["Id"].startswith("us-east-1_")
    assert created["Arn"] == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{created['Id']}"
    described = idp.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert described["Name"] == "alpha"
    assert [p["Id"] for p in idp.list_user_pools(MaxResults=10)["UserPools"]] == [created["Id"]]
    idp.delete_user_pool(UserPoolId=created["Id"])
    code, message = error_of(idp.describe_user_pool, UserPoolId=created["Id"])
    assert code == "ResourceNotFoundException"
    assert message == f"User pool {created['Id']} does not exist."


def test_defaults_of_a_pool_created_with_only_a_name(idp):
    pool = idp.create_user_pool(PoolName="defaults")["UserPool"]
    assert pool["Policies"] == {
        "PasswordPolicy": {
            "MinimumLength": 8,
            "RequireUppercase": True,
            "RequireLowercase": True,
            "RequireNumbers": True,
            "RequireSymbols": True,
            "TemporaryPasswordValidityDays": 7,
        },
        "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]},
    }
    assert pool["DeletionProtection"] == "INACTIVE"
    assert pool["LambdaConfig"] == {}
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["EstimatedNumberOfUsers"] == 0
    assert pool["EmailConfiguration"] == {"EmailSendingAccount": "COGNITO_DEFAULT"}
    assert pool["AdminCreateUserConfig"] == {
        "AllowAdminCreateUserOnly": False,
        "UnusedAccountValidityDays": 7,
    }
    assert pool["VerificationMessageTemplate"] == {"DefaultEmailOption": "CONFIRM_WITH_CODE"}
    assert pool["UserPoolTier"] == "ESSENTIALS"
    assert pool["UserPoolTags"] == {}
    for absent in (
        "AccountRecoverySetting",
        "UsernameAttributes",
        "AliasAttributes",
        "UsernameConfiguration",
    ):
        assert absent not in pool
    assert pool["CreationDate"] == pool["LastModifiedDate"]
    assert idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"] == pool


def test_standard_schema_attributes_as_aws_lists_them(idp):
    pool = idp.create_user_pool(PoolName="schema")["UserPool"]
    assert [a["Name"] for a in pool["SchemaAttributes"]] == STANDARD_ORDER
    attributes = schema_of(pool)
    assert attributes["sub"] == {
        "Name": "sub",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": False,
        "Required": True,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"},
    }
    assert attributes["email"]["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "2048"}
    assert attributes["email"]["Required"] is False and attributes["email"]["Mutable"] is True
    assert attributes["birthdate"]["StringAttributeConstraints"] == {"MinLength": "10", "MaxLength": "10"}
    assert attributes["email_verified"] == {
        "Name": "email_verified",
        "AttributeDataType": "Boolean",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
    }
    assert attributes["updated_at"]["NumberAttributeConstraints"] == {"MinValue": "0"}
    assert attributes["identities"]["StringAttributeConstraints"] == {}


def test_create_with_schema_requires_standard_and_adds_custom_attributes(idp):
    pool = idp.create_user_pool(
        PoolName="custom",
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
            {"Name": "name", "Required": True},
            {
                "Name": "tenant",
                "AttributeDataType": "String",
                "Mutable": False,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "256"},
            },
            {"Name": "level", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MaxValue": "9"}},
            {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
            {"Name": "joined", "AttributeDataType": "DateTime"},
        ],
    )["UserPool"]
    attributes = schema_of(pool)
    assert attributes["email"]["Required"] is True
    assert attributes["name"]["Required"] is True
    assert attributes["custom:tenant"] == {
        "Name": "custom:tenant",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": False,
        "Required": False,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "256"},
    }
    assert attributes["custom:level"]["NumberAttributeConstraints"] == {"MaxValue": "9"}
    assert attributes["dev:custom:secret"]["DeveloperOnlyAttribute"] is True
    assert attributes["dev:custom:secret"]["StringAttributeConstraints"] == {}
    assert "StringAttributeConstraints" not in attributes["custom:joined"]
    assert [a["Name"] for a in pool["SchemaAttributes"]][: len(STANDARD_ORDER)] == STANDARD_ORDER


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"Name": "team", "AttributeDataType": "String", "Required": True},
            "Required custom attributes are not supported currently.",
        ),
        (
            {"Name": "email", "AttributeDataType": "Number"},
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email",
        ),
        (
            {
                "Name": "long",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MaxLength": "4096"},
            },
            "user.custom:long: String attributes cannot have a length of more than 2048",
        ),
        (
            {
                "Name": "range",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MinLength": "5", "MaxLength": "2"},
            },
            "user.custom:range: Max length cannot be less than min length.",
        ),
        (
            {"Name": "typeless"},
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
        ),
    ],
)
def test_invalid_schema_is_refused(idp, spec, message):
    assert error_of(idp.create_user_pool, PoolName="bad", Schema=[spec]) == (
        "InvalidParameterException",
        message,
    )
    assert idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_custom_attribute_name_longer_than_20_is_refused_by_the_model(idp):
    code, message = error_of(
        idp.create_user_pool, PoolName="bad", Schema=[{"Name": "x" * 21, "AttributeDataType": "String"}]
    )
    assert code == "InvalidParameterException"
    assert "length less than or equal to 20" in message


def test_username_and_alias_attributes_are_mutually_exclusive(idp):
    code, _ = error_of(
        idp.create_user_pool, PoolName="both", UsernameAttributes=["email"], AliasAttributes=["phone_number"]
    )
    assert code == "InvalidParameterException"


def test_sign_in_options_are_kept(idp):
    pool = idp.create_user_pool(
        PoolName="sign-in",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        UsernameConfiguration={"CaseSensitive": False},
    )["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}


def test_partial_password_policy_keeps_api_defaults(idp):
    pool = idp.create_user_pool(PoolName="p", Policies={"PasswordPolicy": {"MinimumLength": 12}})["UserPool"]
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 12,
        "RequireUppercase": False,
        "RequireLowercase": False,
        "RequireNumbers": False,
        "RequireSymbols": False,
        "TemporaryPasswordValidityDays": 7,
    }


def test_temporary_password_validity_and_unused_account_validity_agree(idp):
    pool = idp.create_user_pool(PoolName="p", AdminCreateUserConfig={"UnusedAccountValidityDays": 3})[
        "UserPool"
    ]
    assert pool["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] == 3
    assert pool["AdminCreateUserConfig"]["UnusedAccountValidityDays"] == 3
    code, message = error_of(
        idp.create_user_pool,
        PoolName="q",
        Policies={"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 2}},
        AdminCreateUserConfig={"UnusedAccountValidityDays": 5},
    )
    assert code == "InvalidParameterException"
    assert (
        message
        == "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"
    )


def test_legacy_verification_messages_mirror_the_template(idp):
    pool = idp.create_user_pool(
        PoolName="messages",
        EmailVerificationMessage="Your code is {####}",
        VerificationMessageTemplate={"EmailSubject": "Welcome"},
    )["UserPool"]
    assert pool["VerificationMessageTemplate"] == {
        "DefaultEmailOption": "CONFIRM_WITH_CODE",
        "EmailMessage": "Your code is {####}",
        "EmailSubject": "Welcome",
    }
    assert pool["EmailVerificationSubject"] == "Welcome"


def test_mfa_on_at_creation_needs_sms_configuration(idp):
    code, message = error_of(idp.create_user_pool, PoolName="mfa", MfaConfiguration="ON")
    assert code == "InvalidParameterException"
    assert message == (
        "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"
    )
    sms = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "x"}
    pool = idp.create_user_pool(PoolName="mfa", MfaConfiguration="OPTIONAL", SmsConfiguration=sms)["UserPool"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert idp.get_user_pool_mfa_config(UserPoolId=pool["Id"])["SmsMfaConfiguration"] == {
        "SmsConfiguration": sms
    }


def test_update_resets_omitted_settings_to_defaults(idp, emulator):
    pool = idp.create_user_pool(
        PoolName="before",
        Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": False}},
        LambdaConfig={"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre"},
        AutoVerifiedAttributes=["email"],
        AliasAttributes=["email"],
        DeletionProtection="ACTIVE",
        UserPoolTags={"team": "a"},
        Schema=[{"Name": "tenant", "AttributeDataType": "String"}],
    )["UserPool"]
    emulator.clock.advance(5)
    idp.update_user_pool(UserPoolId=pool["Id"], MfaConfiguration="OFF")
    updated = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert updated["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert updated["Policies"]["PasswordPolicy"]["RequireSymbols"] is True
    assert updated["LambdaConfig"] == {}
    assert updated["DeletionProtection"] == "INACTIVE"
    assert "AutoVerifiedAttributes" not in updated
    # Fixed at creation: sign-in options, schema, name; tags unless the update names them.
    assert updated["AliasAttributes"] == ["email"]
    assert "custom:tenant" in schema_of(updated)
    assert updated["Name"] == "before"
    assert updated["UserPoolTags"] == {"team": "a"}
    assert updated["LastModifiedDate"] > updated["CreationDate"]


def test_update_keeps_an_omitted_dcr_configuration(idp, pool_id):
    """UpdateUserPool's one documented exception to resetting what it is not given: "If you omit
    [DcrConfiguration], Amazon Cognito keeps the existing configuration"; one given replaces it whole,
    its omitted members back at their defaults (EnableStatus Enabled, OpenDcrEnabled false)."""
    idp.update_user_pool(
        UserPoolId=pool_id, DcrConfiguration={"EnableStatus": "Disabled", "OpenDcrEnabled": True}
    )
    idp.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OFF")
    kept = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["DcrConfiguration"]
    assert kept == {"EnableStatus": "Disabled", "OpenDcrEnabled": True}
    idp.update_user_pool(UserPoolId=pool_id, DcrConfiguration={"AllowedScopes": ["openid"]})
    replaced = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["DcrConfiguration"]
    assert replaced == {"EnableStatus": "Enabled", "OpenDcrEnabled": False, "AllowedScopes": ["openid"]}


def test_dynamic_client_registration_needs_essentials_or_plus(idp, pool_id):
    """DcrConfiguration: "your user pool must be in the Essentials tier or higher", and moving a pool to
    Lite needs EnableStatus Disabled (an omitted configuration is kept, so it still counts)."""
    assert error_of(idp.create_user_pool, PoolName="lite", UserPoolTier="LITE", DcrConfiguration={})[0] == (
        "FeatureUnavailableInTierException"
    )
    idp.create_user_pool(PoolName="lite", UserPoolTier="LITE", DcrConfiguration={"EnableStatus": "Disabled"})
    idp.update_user_pool(UserPoolId=pool_id, DcrConfiguration={"OpenDcrEnabled": True})
    assert error_of(idp.update_user_pool, UserPoolId=pool_id, UserPoolTier="LITE")[0] == (
        "FeatureUnavailableInTierException"
    )
    idp.update_user_pool(
        UserPoolId=pool_id, UserPoolTier="LITE", DcrConfiguration={"EnableStatus": "Disabled"}
    )
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTier"] == "LITE"


def test_update_sets_name_tags_and_settings(idp, pool_id):
    idp.update_user_pool(
        UserPoolId=pool_id,
        PoolName="renamed",
        UserPoolTags={"env": "dev"},
        DeletionProtection="ACTIVE",
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
    )
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Name"] == "renamed"
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["AccountRecoverySetting"] == {
        "RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]
    }
    assert idp.list_tags_for_resource(ResourceArn=pool["Arn"])["Tags"] == {"env": "dev"}


def test_update_of_a_missing_pool(idp):
    code, message = error_of(idp.update_user_pool, UserPoolId="us-east-1_missing")
    assert (code, message) == ("ResourceNotFoundException", "User pool us-east-1_missing does not exist.")


def test_deletion_protection_blocks_delete(idp):
    pool_id = idp.create_user_pool(PoolName="kept", DeletionProtection="ACTIVE")["UserPool"]["Id"]
    code, _ = error_of(idp.delete_user_pool, UserPoolId=pool_id)
    assert code == "InvalidParameterException"
    idp.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    idp.delete_user_pool(UserPoolId=pool_id)
    assert idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_list_user_pools_paginates(idp):
    ids = {idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(5)}
    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 2}
    pages = 0
    while True:
        page = idp.list_user_pools(**kwargs)
        pages += 1
        assert len(page["UserPools"]) <= 2
        seen += [p["Id"] for p in page["UserPools"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(seen) == sorted(ids)
    assert pages == 3
    first = idp.list_user_pools(MaxResults=1)["UserPools"][0]
    assert set(first) == {"Id", "Name", "LambdaConfig", "CreationDate", "LastModifiedDate"}


def test_list_user_pools_rejects_a_bad_token(idp, pool_id):
    code, _ = error_of(idp.list_user_pools, MaxResults=5, NextToken="not-a-token")
    assert code == "InvalidParameterException"


def test_add_custom_attributes(idp, pool_id):
    idp.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {
                "Name": "plan",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MaxLength": "64"},
            },
            {"Name": "seats", "AttributeDataType": "Number", "Mutable": False},
        ],
    )
    attributes = schema_of(idp.describe_user_pool(UserPoolId=pool_id)["UserPool"])
    assert attributes["custom:plan"]["StringAttributeConstraints"] == {"MaxLength": "64"}
    assert attributes["custom:seats"]["Mutable"] is False
    assert attributes["custom:seats"]["NumberAttributeConstraints"] == {}


def test_add_custom_attributes_refuses_duplicates(idp, pool_id):
    spec = {"Name": "plan", "AttributeDataType": "String"}
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[spec])
    code, message = error_of(idp.add_custom_attributes, UserPoolId=pool_id, CustomAttributes=[spec])
    assert (code, message) == (
        "InvalidParameterException",
        "custom:plan: Existing attribute already has name custom:plan.",
    )


def test_add_custom_attributes_refuses_more_than_fifty(idp, pool_id):
    specs = [{"Name": f"a{i}", "AttributeDataType": "String"} for i in range(25)]
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=specs)
    more = [{"Name": f"b{i}", "AttributeDataType": "String"} for i in range(25)]
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=more)
    code, _ = error_of(
        idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "c", "AttributeDataType": "String"}],
    )
    assert code == "InvalidParameterException"
    names = [a["Name"] for a in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]]
    assert "custom:c" not in names and len(names) == len(STANDARD_ORDER) + 50


def test_add_custom_attributes_is_all_or_nothing(idp, pool_id):
    code, _ = error_of(
        idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": "ok", "AttributeDataType": "String"},
            {"Name": "bad", "AttributeDataType": "String", "Required": True},
        ],
    )
    assert code == "InvalidParameterException"
    assert "custom:ok" not in schema_of(idp.describe_user_pool(UserPoolId=pool_id)["UserPool"])


def test_add_custom_attributes_to_a_missing_pool(idp):
    code, _ = error_of(
        idp.add_custom_attributes,
        UserPoolId="us-east-1_nope",
        CustomAttributes=[{"Name": "x", "AttributeDataType": "String"}],
    )
    assert code == "ResourceNotFoundException"


def test_csv_header(idp, pool_id):
    idp.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": "joinedOn", "AttributeDataType": "String"},
            {"Name": "hidden", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
        ],
    )
    response = idp.get_csv_header(UserPoolId=pool_id)
    assert response["UserPoolId"] == pool_id
    assert response["CSVHeader"] == [
        *[name for name in STANDARD_ORDER if name not in ("sub", "identities")],
        "custom:joinedOn",
        "cognito:mfa_enabled",
        "cognito:username",
    ]


def test_tags_follow_create_tag_untag(idp):
    pool = idp.create_user_pool(PoolName="tagged", UserPoolTags={"a": "1"})["UserPool"]
    arn = pool["Arn"]
    idp.tag_resource(ResourceArn=arn, Tags={"b": "2", "a": "9"})
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"a": "9", "b": "2"}
    idp.untag_resource(ResourceArn=arn, TagKeys=["a", "absent"])
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"b": "2"}
    assert idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["UserPoolTags"] == {"b": "2"}


def test_tags_of_an_unknown_arn(idp, pool_id):
    for arn in (
        "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_missing",
        f"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/{pool_id}",
    ):
        code, _ = error_of(idp.list_tags_for_resource, ResourceArn=arn)
        assert code == "ResourceNotFoundException"


def test_temporary_password_validity_of_zero_means_the_default(idp):
    """PasswordPolicyType: "If you submit a value of 0, Amazon Cognito treats it as a null value and sets
    TemporaryPasswordValidityDays to its default value" (7), at CreateUserPool and UpdateUserPool alike."""
    policy = {"MinimumLength": 8, "TemporaryPasswordValidityDays": 0}
    pool = idp.create_user_pool(PoolName="p", Policies={"PasswordPolicy": policy})["UserPool"]
    assert pool["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] == 7
    assert pool["AdminCreateUserConfig"]["UnusedAccountValidityDays"] == 7
    idp.update_user_pool(UserPoolId=pool["Id"], Policies={"PasswordPolicy": policy})
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] == 7
