from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def test_create_describe_list_delete(idp):
    created = idp.create_user_pool(PoolName="alpha")["UserPool"]
    assert created["Id"].startswith("us-east-1_")
    assert created["Arn"] == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{created['Id']}"
    described = idp.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert described["Name"] == "alpha"
    listed = idp.list_user_pools(MaxResults=10)["UserPools"]
    assert [p["Id"] for p in listed] == [created["Id"]]
    idp.delete_user_pool(UserPoolId=created["Id"])
    with pytest.raises(ClientError) as err:
        idp.describe_user_pool(UserPoolId=created["Id"])
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_list_user_pools_paginates(idp):
    ids = {idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(5)}
    seen: list[str] = []
    kwargs = {"MaxResults": 2}
    while True:
        page = idp.list_user_pools(**kwargs)
        seen += [p["Id"] for p in page["UserPools"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(seen) == sorted(ids)
