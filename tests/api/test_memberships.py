from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def members(idp, pool_id):
    for name in ("ann", "bob", "cy"):
        idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    idp.create_group(UserPoolId=pool_id, GroupName="admins", Precedence=1)
    idp.create_group(UserPoolId=pool_id, GroupName="staff")
    return pool_id


def test_add_list_and_remove(idp, members):
    pool_id = members
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="admins")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="staff")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="bob", GroupName="staff")
    groups = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="ann")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins", "staff"]
    assert groups[0]["Precedence"] == 1
    users = idp.list_users_in_group(UserPoolId=pool_id, GroupName="staff")["Users"]
    assert [u["Username"] for u in users] == ["ann", "bob"]
    idp.admin_remove_user_from_group(UserPoolId=pool_id, Username="ann", GroupName="staff")
    users = idp.list_users_in_group(UserPoolId=pool_id, GroupName="staff")["Users"]
    assert [u["Username"] for u in users] == ["bob"]


def test_pagination_of_group_members(idp, members):
    pool_id = members
    for name in ("ann", "bob", "cy"):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName="staff")
    first = idp.list_users_in_group(UserPoolId=pool_id, GroupName="staff", Limit=2)
    assert [u["Username"] for u in first["Users"]] == ["ann", "bob"]
    rest = idp.list_users_in_group(
        UserPoolId=pool_id, GroupName="staff", Limit=2, NextToken=first["NextToken"]
    )
    assert [u["Username"] for u in rest["Users"]] == ["cy"]
    assert "NextToken" not in rest


def test_deleted_user_leaves_its_groups(idp, members):
    pool_id = members
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="cy", GroupName="admins")
    idp.admin_delete_user(UserPoolId=pool_id, Username="cy")
    assert idp.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"] == []


def test_errors(idp, members):
    pool_id = members
    with pytest.raises(ClientError) as err:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="nobody", GroupName="staff")
    assert err.value.response["Error"]["Code"] == "UserNotFoundException"
    with pytest.raises(ClientError) as err:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="nope")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as err:
        idp.list_users_in_group(UserPoolId=pool_id, GroupName="nope")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
