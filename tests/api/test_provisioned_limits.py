"""GetProvisionedLimit and UpdateProvisionedLimit through boto3: stored and echoed, never enforced."""

from __future__ import annotations

from typing import Any

from tests.api.support import boto_client, code_of


def category(name: str) -> dict[str, Any]:
    return {"LimitClass": "API_CATEGORY", "Attributes": {"Category": name}}


def test_default_is_the_free_limit(idp):
    limit = idp.get_provisioned_limit(LimitDefinition=category("UserAuthentication"))["Limit"]
    assert limit == {
        "LimitDefinition": category("UserAuthentication"),
        "ProvisionedLimitValue": 120,
        "FreeLimitValue": 120,
    }
    assert (
        idp.get_provisioned_limit(LimitDefinition=category("UserCreation"))["Limit"]["FreeLimitValue"] == 50
    )


def test_update_is_kept_per_account_and_region(idp, emulator):
    updated = idp.update_provisioned_limit(LimitDefinition=category("UserCreation"), RequestedLimitValue=200)
    assert updated["Limit"]["ProvisionedLimitValue"] == 200
    assert updated["Limit"]["FreeLimitValue"] == 50
    got = idp.get_provisioned_limit(LimitDefinition=category("UserCreation"))["Limit"]
    assert got["ProvisionedLimitValue"] == 200
    elsewhere = boto_client(emulator, region_name="eu-west-1")
    assert (
        elsewhere.get_provisioned_limit(LimitDefinition=category("UserCreation"))["Limit"][
            "ProvisionedLimitValue"
        ]
        == 50
    )


def test_update_errors(idp):
    below = code_of(
        idp.update_provisioned_limit, LimitDefinition=category("UserRead"), RequestedLimitValue=10
    )
    assert below == "InvalidParameterException"
    fixed = code_of(
        idp.update_provisioned_limit, LimitDefinition=category("UserList"), RequestedLimitValue=100
    )
    assert fixed == "InvalidParameterException"
    unknown = code_of(idp.update_provisioned_limit, LimitDefinition=category("Nope"), RequestedLimitValue=100)
    assert unknown == "ResourceNotFoundException"


def test_limit_definition_errors(idp):
    assert code_of(idp.get_provisioned_limit, LimitDefinition=category("Nope")) == "ResourceNotFoundException"
    no_category = {"LimitClass": "API_CATEGORY", "Attributes": {}}
    assert code_of(idp.get_provisioned_limit, LimitDefinition=no_category) == "InvalidParameterException"
    other_class = {"LimitClass": "RESOURCE", "Attributes": {"Category": "UserRead"}}
    assert code_of(idp.get_provisioned_limit, LimitDefinition=other_class) == "InvalidParameterException"


def test_managed_login_accounts_cannot_raise_authentication(idp, pool_id):
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="branded", ManagedLoginVersion=2)
    code = code_of(
        idp.update_provisioned_limit, LimitDefinition=category("UserAuthentication"), RequestedLimitValue=300
    )
    assert code == "InvalidParameterException"
    raised = idp.update_provisioned_limit(LimitDefinition=category("UserToken"), RequestedLimitValue=300)
    assert raised["Limit"]["ProvisionedLimitValue"] == 300
