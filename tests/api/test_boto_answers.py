"""What boto3 makes of the emulator's answers, in both modes (the raw wire is in test_protocol.py)."""

from __future__ import annotations

import pytest
from botocore import UNSIGNED
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from tests.api.support import boto_client


def test_boto3_sees_validation_errors_as_codes(raw):
    with pytest.raises(ClientError) as err:
        raw.describe_user_pool(UserPoolId="bad id!")
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err.value.response["ResponseMetadata"]["RequestId"]


def test_boto3_unsigned_call_works(emulator):
    client = boto_client(
        emulator, config=BotoConfig(signature_version=UNSIGNED, retries={"total_max_attempts": 1})
    )
    with pytest.raises(ClientError) as err:
        client.initiate_auth(AuthFlow="USER_PASSWORD_AUTH", ClientId="nosuchclient", AuthParameters={})
    assert err.value.response["Error"]["Code"] not in ("InternalErrorException", "UnknownOperationException")
