"""Regressions found by fuzzing: malformed and hostile bodies get AWS errors in both modes, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cognito_emu.emulator import Emulator
from cognito_emu.protocol.parse import MAX_BODY_BYTES
from cognito_emu.protocol.validate import MAX_DOCUMENT_DEPTH
from tests.api.support import Answer, send

IDP = "AWSCognitoIdentityProviderService"
IDENTITY = "AWSCognitoIdentityService"


def post(emulator: Emulator, target: str, body: bytes | dict[str, Any]) -> Answer:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}
    return send(emulator, "POST", "/", raw, headers)


def error(answer: Answer) -> tuple[int, str, str]:
    document = json.loads(answer.body)
    return answer.status, document["__type"], document["message"]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"MaxResults": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"MaxResults": ' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"}",
    ],
    ids=["top-level", "array-member", "object-member"],
)
def test_deep_nesting_is_a_serialization_exception(emulator, body):
    # Regression: json.loads raised RecursionError outside the error boundary (a bare 500, empty body).
    status, code, message = error(post(emulator, f"{IDP}.ListUserPools", body))
    assert (status, code) == (400, "SerializationException")
    assert "nested too deeply" in message


def test_a_document_nested_past_the_limit_is_refused(emulator, idp):
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"]["ClientId"]
    deep: Any = "x"
    for _ in range(MAX_DOCUMENT_DEPTH + 1):
        deep = {"k": deep}
    body = {"UserPoolId": pool_id, "ClientId": client_id, "Settings": deep}
    status, code, message = error(post(emulator, f"{IDP}.CreateManagedLoginBranding", body))
    assert (status, code) == (400, "SerializationException")
    assert f"deeper than {MAX_DOCUMENT_DEPTH} levels" in message


def test_body_over_the_limit_is_a_serialization_exception(emulator):
    body = b'{"PoolName": "' + b"a" * (MAX_BODY_BYTES + 1) + b'"}'
    status, code, message = error(post(emulator, f"{IDP}.CreateUserPool", body))
    assert (status, code) == (400, "SerializationException")
    assert f"larger than the limit of {MAX_BODY_BYTES} bytes" in message


def test_schema_attribute_without_name_is_invalid(emulator):
    # Regression: KeyError 'Name' -> 500 InternalErrorException (the model leaves Name optional).
    body = {"PoolName": "p", "Schema": [{"AttributeDataType": "String"}]}
    assert error(post(emulator, f"{IDP}.CreateUserPool", body))[:2] == (400, "InvalidParameterException")


def test_custom_attribute_without_name_is_invalid(emulator, idp):
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    body = {"UserPoolId": pool_id, "CustomAttributes": [{"AttributeDataType": "String"}]}
    assert error(post(emulator, f"{IDP}.AddCustomAttributes", body))[:2] == (400, "InvalidParameterException")
    schema = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    assert not [attribute for attribute in schema if attribute["Name"].startswith("custom:")]


def test_null_list_item_is_a_validation_error(emulator):
    # Regression: CognitoIdentityProviders [null] passed validation and raised TypeError -> 500.
    body = {
        "IdentityPoolName": "x",
        "AllowUnauthenticatedIdentities": True,
        "CognitoIdentityProviders": [None],
    }
    status, code, message = error(post(emulator, f"{IDENTITY}.CreateIdentityPool", body))
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "1 validation error detected: Value null at 'cognitoIdentityProviders.1.member' "
        "failed to satisfy constraint: Member must not be null"
    )


def test_null_list_item_of_strings_is_a_validation_error(emulator):
    body = {"PoolName": "p", "AutoVerifiedAttributes": ["email", None]}
    status, code, message = error(post(emulator, f"{IDP}.CreateUserPool", body))
    assert (status, code) == (400, "InvalidParameterException")
    assert "Value null at 'autoVerifiedAttributes.2.member'" in message


def test_null_map_values_are_absent_entries(emulator, identity):
    # Cognito reads a null map value as an absent entry (amazon-cognito-identity-js depends on it for
    # AuthParameters.DEVICE_KEY); the entry is neither stored nor an error, and nothing downstream meets it.
    body = {
        "IdentityPoolName": "x",
        "AllowUnauthenticatedIdentities": True,
        "SupportedLoginProviders": {"graph.facebook.com": "123", "accounts.google.com": None},
    }
    answer = post(emulator, f"{IDENTITY}.CreateIdentityPool", body)
    assert answer.status == 200, answer.body
    pool_id = json.loads(answer.body)["IdentityPoolId"]
    described = identity.describe_identity_pool(IdentityPoolId=pool_id)
    assert described["SupportedLoginProviders"] == {"graph.facebook.com": "123"}
