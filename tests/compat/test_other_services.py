"""One endpoint for a whole test: other AWS services reach the emulator and moto answers them in-process."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from tests.conftest import make_client

AWS_CLI = Path(sys.prefix) / "aws-cli" / "bin" / "aws"
TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cognito-idp.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def _post(emulator: Emulator, path: str, body: bytes = b"") -> Any:
    request = urllib.request.Request(f"{emulator.endpoint_url}{path}", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _world(emulator: Emulator) -> dict[str, Any]:
    """What a Cognito test typically builds around its pool, all through the one endpoint."""
    iam, sns, s3, idp = (make_client(emulator, name) for name in ("iam", "sns", "s3", "cognito-idp"))
    role = iam.create_role(RoleName="cognito-sms", AssumeRolePolicyDocument=TRUST_POLICY)["Role"]
    topic = sns.create_topic(Name="sign-ups")["TopicArn"]
    s3.create_bucket(Bucket="avatars")
    s3.put_object(Bucket="avatars", Key="alice.png", Body=b"png")
    pool = idp.create_user_pool(
        PoolName="app", SmsConfiguration={"SnsCallerArn": role["Arn"], "ExternalId": "app"}
    )["UserPool"]
    return {"iam": iam, "sns": sns, "s3": s3, "idp": idp, "role": role, "topic": topic, "pool": pool}


def test_iam_sns_s3_and_cognito_in_one_test(emulator):
    world = _world(emulator)
    assert world["role"]["Arn"] == "arn:aws:iam::123456789012:role/cognito-sms"
    assert world["topic"] == "arn:aws:sns:us-east-1:123456789012:sign-ups"
    assert world["s3"].get_object(Bucket="avatars", Key="alice.png")["Body"].read() == b"png"
    described = world["idp"].describe_user_pool(UserPoolId=world["pool"]["Id"])["UserPool"]
    assert described["SmsConfiguration"]["SnsCallerArn"] == world["role"]["Arn"]
    # Cognito is the emulator's (moto's own cognito-idp backend never sees the pool).
    assert emulator.state.counts()["userPools"] == 1
    dynamodb = make_client(emulator, "dynamodb")
    dynamodb.create_table(
        TableName="profiles",
        KeySchema=[{"AttributeName": "sub", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "sub", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert dynamodb.list_tables()["TableNames"] == ["profiles"]


def test_signed_urls_and_unsigned_sts(emulator):
    world = _world(emulator)
    url = world["s3"].generate_presigned_url("get_object", Params={"Bucket": "avatars", "Key": "alice.png"})
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"png"
    # Identity-pool style: an unsigned AssumeRoleWithWebIdentity is STS's, not the emulator's.
    sts = boto3.client(
        "sts",
        endpoint_url=emulator.endpoint_url,
        region_name="us-east-1",
        config=BotoConfig(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
    )
    assumed = sts.assume_role_with_web_identity(
        RoleArn=world["role"]["Arn"], RoleSessionName="alice", WebIdentityToken="header.payload.signature"
    )
    assert assumed["Credentials"]["AccessKeyId"]


@pytest.mark.parametrize("path", ["/_emu/reset", "/moto-api/reset"])
def test_one_reset_for_both(emulator, path):
    world = _world(emulator)
    _post(emulator, path)
    assert world["sns"].list_topics()["Topics"] == []
    assert world["s3"].list_buckets()["Buckets"] == []
    assert world["iam"].list_roles()["Roles"] == []
    assert world["idp"].list_user_pools(MaxResults=10)["UserPools"] == []


def test_the_python_reset_resets_both_but_an_account_reset_only_cognito(emulator):
    world = _world(emulator)
    emulator.reset(account="123456789012")
    assert world["idp"].list_user_pools(MaxResults=10)["UserPools"] == []
    assert len(world["sns"].list_topics()["Topics"]) == 1
    emulator.reset()
    assert world["sns"].list_topics()["Topics"] == []


def test_moto_api_routes_reach_moto(emulator):
    _world(emulator)
    with urllib.request.urlopen(f"{emulator.endpoint_url}/moto-api/data.json", timeout=10) as response:
        data = json.loads(response.read())
    assert [topic["name"] for topic in data["sns"]["Topic"]] == ["sign-ups"]


def test_reset_auth_reaches_moto(emulator):
    from moto import settings

    try:
        assert (
            _post(emulator, "/moto-api/reset-auth", b"7")["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"] is not None
        )
        assert settings.INITIAL_NO_AUTH_ACTION_COUNT == 7
    finally:
        _post(emulator, "/moto-api/reset-auth", b"Infinity")
    assert math.isinf(settings.INITIAL_NO_AUTH_ACTION_COUNT)


def test_health_says_who_answers_other_services(emulator):
    with urllib.request.urlopen(f"{emulator.endpoint_url}/_emu/health", timeout=10) as response:
        assert json.loads(response.read())["otherServices"] == "moto"


# -- --other-services none --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cognito_only() -> Any:
    with Emulator(Config(port=0, other_services="none")) as emu:
        yield emu


@pytest.mark.parametrize(
    ("service", "call"),
    [
        ("sns", lambda client: client.create_topic(Name="t")),  # query protocol: an XML error
        ("s3", lambda client: client.create_bucket(Bucket="avatars")),  # rest-xml
        ("dynamodb", lambda client: client.list_tables()),  # JSON
        ("lambda", lambda client: client.list_functions()),  # rest-json
    ],
)
def test_none_refuses_other_services_by_name(cognito_only, service, call):
    with pytest.raises(ClientError) as caught:
        call(make_client(cognito_only, service))
    error = caught.value.response
    assert error["Error"]["Code"] == "NotImplemented"
    assert f"this request is for {service}" in error["Error"]["Message"]
    assert "--other-services moto" in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    # Cognito itself is served as ever.
    assert make_client(cognito_only, "cognito-idp").list_user_pools(MaxResults=5)["UserPools"] == []


def _signed_for(emulator: Emulator, service: str, target: str | None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(f"{emulator.endpoint_url}/", data=b"{}", method="POST")
    request.add_header("Content-Type", "application/x-amz-json-1.1")
    request.add_header(
        "Authorization",
        f"AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, "
        "Signature=0",
    )
    if target is not None:
        request.add_header("X-Amz-Target", target)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_none_answers_a_bad_scope_as_with_moto(cognito_only):
    # Regression: these were 501 NotImplemented (a server error) with other services off.
    assert _signed_for(cognito_only, "sns", "AWSCognitoIdentityProviderService.ListUserPools") == (
        400,
        {
            "__type": "InvalidSignatureException",
            "message": "Credential should be scoped to correct service: 'cognito-idp'. ",
        },
    )
    status, error = _signed_for(cognito_only, "cognito-id)", None)
    assert (status, error["__type"]) == (400, "InvalidSignatureException")
    assert "names the service 'cognito-id)', but that is not an AWS signing name" in error["message"]
    # A well-formed name may be a service moto would answer: refused as other services are.
    status, error = _signed_for(cognito_only, "foo", None)
    assert (status, error["__type"]) == (501, "NotImplemented")


def test_none_keeps_moto_api_to_the_resets(cognito_only):
    assert _post(cognito_only, "/moto-api/reset") == {"reset": True, "account": None}
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{cognito_only.endpoint_url}/moto-api/data.json", timeout=10)
    assert caught.value.code == 404


# -- moto is imported lazily ---------------------------------------------------------------------------

LAZY = """
import sys
from cognito_emu import Emulator
with Emulator() as emu:
    emu.client("cognito-idp").create_user_pool(PoolName="p")
    emu.reset()
    assert "moto" not in sys.modules, "moto was imported before any other service was asked for"
    emu.client("sns").create_topic(Name="t")
    assert "moto" in sys.modules
print("ok")
"""


def test_moto_is_imported_on_the_first_other_service_request():
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    result = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"


# -- the AWS CLI --------------------------------------------------------------------------------------


def aws(emulator: Emulator, *args: str) -> Any:
    # `make test` installs the AWS CLI into its own venv inside the project's (see the Makefile).
    assert AWS_CLI.exists(), f"{AWS_CLI} is missing: run the tests with `make test`"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    result = subprocess.run(
        [
            str(AWS_CLI),
            "--endpoint-url",
            emulator.endpoint_url,
            "--region",
            "us-east-1",
            "--output",
            "json",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The s3 commands (mb, cp) print a line of text; the API commands print JSON.
    return json.loads(result.stdout) if result.stdout.startswith("{") else result.stdout


def test_the_aws_cli_against_one_endpoint(emulator, tmp_path):
    role = aws(
        emulator,
        "iam",
        "create-role",
        "--role-name",
        "cognito-sms",
        "--assume-role-policy-document",
        TRUST_POLICY,
    )
    topic = aws(emulator, "sns", "create-topic", "--name", "sign-ups")
    aws(emulator, "s3", "mb", "s3://avatars")
    (tmp_path / "alice.png").write_bytes(b"png")
    aws(emulator, "s3", "cp", str(tmp_path / "alice.png"), "s3://avatars/alice.png")
    pool = aws(emulator, "cognito-idp", "create-user-pool", "--pool-name", "app")["UserPool"]
    assert role["Role"]["RoleName"] == "cognito-sms"
    assert topic["TopicArn"].endswith(":sign-ups")
    assert [
        item["Key"] for item in aws(emulator, "s3api", "list-objects-v2", "--bucket", "avatars")["Contents"]
    ] == ["alice.png"]
    assert (
        aws(emulator, "cognito-idp", "describe-user-pool", "--user-pool-id", pool["Id"])["UserPool"]["Name"]
        == "app"
    )
