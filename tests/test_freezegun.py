"""freezegun moves the emulator's clock: its Clock reads time.time(), which freezegun replaces."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import jwt
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from cognito_emu.testing import mock_cognito

PASSWORD = "Passw0rd!x"
FROZEN = datetime(2031, 5, 6, 12, 0, tzinfo=UTC)


def test_tokens_codes_and_expiry_follow_freezegun():
    with freeze_time(FROZEN) as frozen, mock_cognito() as emu:
        assert emu.clock.now() == FROZEN.timestamp()
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(PoolName="frozen")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        )["UserPoolClient"]["ClientId"]
        created = idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")["User"]
        assert created["UserCreateDate"] == FROZEN
        idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
        tokens = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
        assert claims["iat"] == claims["auth_time"] == int(FROZEN.timestamp())
        assert claims["exp"] == int(FROZEN.timestamp()) + 3600
        assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
        frozen.tick(3601)
        assert emu.clock.now() == FROZEN.timestamp() + 3601
        with pytest.raises(ClientError) as expired:
            idp.get_user(AccessToken=tokens["AccessToken"])
        assert expired.value.response["Error"]["Code"] == "NotAuthorizedException"
        assert expired.value.response["Error"]["Message"] == "Access Token has expired"
        # The emulator's own clock still moves on top of freezegun's.
        emu.clock.advance(60)
        assert emu.clock.now() == FROZEN.timestamp() + 3661
