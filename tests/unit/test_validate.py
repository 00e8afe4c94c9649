"""The model-driven validator and serializer on compiled shape nodes, without HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cognito_emu.errors import InternalErrorException, SerializationException
from cognito_emu.protocol.serialize import render, to_json
from cognito_emu.protocol.shapes import input_node, output_node, shape_node
from cognito_emu.protocol.validate import validation_errors, validation_message

IDP = "cognito-idp"


def errors(op: str, params: dict[str, Any], service: str = IDP) -> list[str]:
    return validation_errors(input_node(service, op), params)


def test_valid_input_has_no_errors():
    assert errors("DescribeUserPool", {"UserPoolId": "us-east-1_abc"}) == []


def test_required_member():
    assert errors("DescribeUserPool", {}) == [
        "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
    ]


def test_null_counts_as_absent():
    assert errors("DescribeUserPool", {"UserPoolId": None}) == [
        "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
    ]
    assert errors("ListUserPools", {"MaxResults": 1, "NextToken": None}) == []


def test_pattern_and_length_together():
    found = errors("DescribeUserPool", {"UserPoolId": "x" * 56})
    assert len(found) == 2
    assert "Member must have length less than or equal to 55" in found[0]
    assert r"Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+" in found[1]


def test_unicode_property_patterns_work():
    # Usernames use [\p{L}\p{M}\p{S}\p{N}\p{P}]+: the regex package, not re.
    base = {"ClientId": "abc", "Password": "Passw0rd!"}
    assert errors("SignUp", {**base, "Username": "ünïcødé-用户"}) == []
    assert len(errors("SignUp", {**base, "Username": "has space"})) == 1


def test_enum():
    found = errors("CreateUserPool", {"PoolName": "p", "MfaConfiguration": "MAYBE"})
    assert found == [
        "Value 'MAYBE' at 'mfaConfiguration' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
    ]


def test_number_range_both_ends():
    assert "greater than or equal to 1" in errors("ListUserPools", {"MaxResults": 0})[0]
    assert "less than or equal to 60" in errors("ListUserPools", {"MaxResults": 61})[0]


def test_sensitive_value_is_not_shown():
    found = errors("SignUp", {"ClientId": "abc", "Username": "u", "Password": "x" * 300})
    assert found == [
        "Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256"
    ]


def test_list_paths_are_one_based_members():
    params = {
        "UserPoolId": "us-east-1_abc",
        "ClientName": "c",
        "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "NOPE"],
    }
    found = errors("CreateUserPoolClient", params)
    assert len(found) == 1
    assert found[0].startswith("Value 'NOPE' at 'explicitAuthFlows.2.member' failed to satisfy constraint")


def test_map_keys_and_values_are_checked_and_null_values_pass():
    base = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "abc"}
    assert errors("InitiateAuth", {**base, "AuthParameters": {"USERNAME": "u", "DEVICE_KEY": None}}) == []
    with pytest.raises(SerializationException):
        errors("InitiateAuth", {**base, "AuthParameters": {"USERNAME": 5}})


def test_unknown_members_are_ignored():
    assert errors("DescribeUserPool", {"UserPoolId": "us-east-1_abc", "Whatever": [1, {"a": None}]}) == []


@pytest.mark.parametrize(
    "params",
    [
        {"MaxResults": "5"},
        {"MaxResults": 2.5},
        {"MaxResults": False},
        {"MaxResults": None, "NextToken": 5},
        {"MaxResults": [5]},
    ],
)
def test_type_mismatch_raises_serialization_exception(params):
    with pytest.raises(SerializationException):
        errors("ListUserPools", params)


def test_integral_float_becomes_an_int():
    params: dict[str, Any] = {"MaxResults": 10.0}
    assert errors("ListUserPools", params) == []
    assert params["MaxResults"] == 10 and isinstance(params["MaxResults"], int)


def test_bad_blob_is_a_serialization_exception():
    # AssociateSoftwareToken has no blob; the WebAuthn credential is a document. Find any blob member.
    node = shape_node(IDP, "SetUICustomizationRequest")
    assert node.members["ImageFile"].type == "blob"
    with pytest.raises(SerializationException):
        validation_errors(node, {"UserPoolId": "us-east-1_abc", "ImageFile": "not base64!!"})
    assert validation_errors(node, {"UserPoolId": "us-east-1_abc", "ImageFile": "aGVsbG8="}) == []


def test_cognito_identity_nodes():
    found = errors("DescribeIdentityPool", {"IdentityPoolId": "nope"}, service="cognito-identity")
    assert found[0].startswith("Value 'nope' at 'identityPoolId' failed to satisfy constraint")


def test_validation_message_counts():
    assert validation_message(["a"]) == "1 validation error detected: a"
    assert validation_message(["a", "b"]) == "2 validation errors detected: a; b"


def test_recursive_shapes_compile():
    # Shapes refer to themselves in places (documents, nested attribute types); compiling terminates.
    for op in ("CreateUserPool", "UpdateUserPool", "AdminCreateUser", "InitiateAuth"):
        assert input_node(IDP, op).type == "structure"
        assert output_node(IDP, op).type == "structure"


# -- serializer -----------------------------------------------------------------------------------


def test_render_keeps_only_model_members_and_drops_none():
    node = output_node(IDP, "ListUserPools")
    out = render(
        node,
        {
            "UserPools": [
                {
                    "Id": "us-east-1_a",
                    "Name": "n",
                    "Internal": "secret",
                    "LambdaConfig": None,
                    "CreationDate": datetime(2024, 1, 2, tzinfo=UTC),
                }
            ],
            "NextToken": None,
            "Extra": 1,
        },
    )
    assert out == {"UserPools": [{"Id": "us-east-1_a", "Name": "n", "CreationDate": 1704153600.0}]}


def test_render_maps_and_leaf_lists():
    node = output_node(IDP, "DescribeUserPool")
    pool = {"UserPoolTags": {"a": "1", "b": None}, "AutoVerifiedAttributes": ["email"], "Name": "x"}
    out = render(node, {"UserPool": pool})
    assert out == {"UserPool": {"UserPoolTags": {"a": "1"}, "AutoVerifiedAttributes": ["email"], "Name": "x"}}


def test_to_json_is_compact_and_handles_empty_results():
    assert to_json(output_node(IDP, "DeleteUserPool"), None) == b"{}"
    assert to_json(output_node(IDP, "ListUserPools"), {"UserPools": []}) == b'{"UserPools":[]}'


def test_blob_output_is_base64():
    node = output_node(IDP, "GetUICustomization")
    out = render(node, {"UICustomization": {"ImageUrl": "u", "CSS": "c"}})
    assert out == {"UICustomization": {"ImageUrl": "u", "CSS": "c"}}
    node = shape_node(IDP, "SetUICustomizationRequest")
    assert render(node, {"ImageFile": b"hello"}) == {"ImageFile": "aGVsbG8="}


def test_a_member_the_output_shape_lacks_fails_under_pytest(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    node = output_node("cognito-idp", "DescribeUserPool")
    result = {"UserPool": {"Id": "us-east-1_abc", "Nmae": "typo", "Policies": {"Bogus": 1}}}
    with pytest.raises(InternalErrorException) as raised:
        to_json(node, result, "DescribeUserPool")
    assert raised.value.message == (
        "DescribeUserPool answered members its output shape does not have: UserPool.Nmae, UserPool.Policies.Bogus"
    )
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert to_json(node, result, "DescribeUserPool") == b'{"UserPool":{"Id":"us-east-1_abc","Policies":{}}}'
    assert "UserPool.Nmae, UserPool.Policies.Bogus (dropped)" in caplog.text


def test_unknown_input_members_are_dropped_before_any_handler_sees_them() -> None:
    params: dict[str, Any] = {"PoolName": "p", "NoSuchMember": 1, "Policies": {"Nope": {}}}
    assert validation_errors(input_node("cognito-idp", "CreateUserPool"), params) == []
    assert params == {"PoolName": "p", "Policies": {}}


def test_null_list_items_are_errors_and_null_map_values_are_dropped():
    params = {"PoolName": "p", "AutoVerifiedAttributes": [None], "UserPoolTags": {"a": "1", "b": None}}
    assert errors("CreateUserPool", params) == [
        "Value null at 'autoVerifiedAttributes.1.member' failed to satisfy constraint: Member must not be null"
    ]
    assert params["UserPoolTags"] == {"a": "1"}


def test_document_depth_is_counted_without_recursion():
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(SerializationException, match="deeper than 64 levels"):
        errors("CreateManagedLoginBranding", {"UserPoolId": "us-east-1_abc", "ClientId": "c", "Settings": deep})
