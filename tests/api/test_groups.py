from __future__ import annotations

import pytest

from cognito_emu.idp.users.groups import get_group
from tests.api.support import error_of

ROLE = "arn:aws:iam::123456789012:role/group-role"


def test_create_and_get_group(idp, pool_id, emulator):
    emulator.clock.set(1_700_000_000)
    created = idp.create_group(
        UserPoolId=pool_id, GroupName="admins", Description="Admins", RoleArn=ROLE, Precedence=1
    )["Group"]
    assert created["GroupName"] == "admins"
    assert created["UserPoolId"] == pool_id
    assert created["Description"] == "Admins"
    assert created["RoleArn"] == ROLE
    assert created["Precedence"] == 1
    assert created["CreationDate"].timestamp() == pytest.approx(1_700_000_000, abs=1)
    assert created["LastModifiedDate"] == created["CreationDate"]
    assert idp.get_group(UserPoolId=pool_id, GroupName="admins")["Group"] == created


def test_group_without_optional_fields_omits_them(idp, pool_id):
    group = idp.create_group(UserPoolId=pool_id, GroupName="plain")["Group"]
    assert "Description" not in group and "RoleArn" not in group and "Precedence" not in group


def test_create_duplicate_group(idp, pool_id):
    idp.create_group(UserPoolId=pool_id, GroupName="dup")
    assert error_of(idp.create_group, UserPoolId=pool_id, GroupName="dup") == (
        "GroupExistsException",
        "A group with the name dup already exists.",
    )


def test_group_names_are_case_sensitive(idp, pool_id):
    idp.create_group(UserPoolId=pool_id, GroupName="Team")
    idp.create_group(UserPoolId=pool_id, GroupName="team")
    names = [g["GroupName"] for g in idp.list_groups(UserPoolId=pool_id)["Groups"]]
    assert sorted(names) == ["Team", "team"]


def test_group_in_unknown_pool(idp):
    code, _ = error_of(idp.create_group, UserPoolId="us-east-1_nothere", GroupName="g")
    assert code == "ResourceNotFoundException"


def test_get_unknown_group(idp, pool_id):
    assert error_of(idp.get_group, UserPoolId=pool_id, GroupName="nope") == (
        "ResourceNotFoundException",
        "Group not found.",
    )


def test_group_validation_comes_from_the_model(idp, pool_id):
    code, message = error_of(
        idp.create_group, UserPoolId=pool_id, GroupName="g", RoleArn="this-is-not-an-arn-at-all"
    )
    assert code == "InvalidParameterException"
    assert "roleArn" in message


def test_list_groups_paginates(idp, pool_id):
    names = {f"group-{i:02d}" for i in range(7)}
    for name in names:
        idp.create_group(UserPoolId=pool_id, GroupName=name)
    seen: list[str] = []
    kwargs = {"UserPoolId": pool_id, "Limit": 3}
    pages = 0
    while True:
        page = idp.list_groups(**kwargs)
        pages += 1
        assert len(page["Groups"]) <= 3
        seen += [g["GroupName"] for g in page["Groups"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 3
    assert sorted(seen) == sorted(names) and len(seen) == len(names)


def test_list_groups_without_limit_and_paginator(idp, pool_id):
    for i in range(3):
        idp.create_group(UserPoolId=pool_id, GroupName=f"g{i}")
    assert len(idp.list_groups(UserPoolId=pool_id)["Groups"]) == 3
    pages = idp.get_paginator("list_groups").paginate(UserPoolId=pool_id, PaginationConfig={"PageSize": 2})
    assert [g["GroupName"] for p in pages for g in p["Groups"]] == ["g0", "g1", "g2"]


def test_list_groups_bad_token(idp, pool_id):
    code, _ = error_of(idp.list_groups, UserPoolId=pool_id, NextToken="garbage!")
    assert code == "InvalidParameterException"


def test_update_group_changes_only_given_fields(idp, pool_id, emulator):
    emulator.clock.set(1_700_000_000)
    idp.create_group(UserPoolId=pool_id, GroupName="g", Description="old", RoleArn=ROLE, Precedence=5)
    emulator.clock.advance(60)
    updated = idp.update_group(UserPoolId=pool_id, GroupName="g", Precedence=2)["Group"]
    assert updated["Precedence"] == 2
    assert updated["Description"] == "old"
    assert updated["RoleArn"] == ROLE
    assert (updated["LastModifiedDate"] - updated["CreationDate"]).total_seconds() == pytest.approx(60, abs=1)
    assert idp.get_group(UserPoolId=pool_id, GroupName="g")["Group"] == updated


def test_update_unknown_group(idp, pool_id):
    code, _ = error_of(idp.update_group, UserPoolId=pool_id, GroupName="nope", Description="x")
    assert code == "ResourceNotFoundException"


def test_delete_group(idp, pool_id):
    idp.create_group(UserPoolId=pool_id, GroupName="gone")
    idp.delete_group(UserPoolId=pool_id, GroupName="gone")
    assert idp.list_groups(UserPoolId=pool_id)["Groups"] == []
    code, _ = error_of(idp.get_group, UserPoolId=pool_id, GroupName="gone")
    assert code == "ResourceNotFoundException"
    code, _ = error_of(idp.delete_group, UserPoolId=pool_id, GroupName="gone")
    assert code == "ResourceNotFoundException"


def test_delete_group_drops_memberships(idp, pool_id, emulator):
    idp.create_group(UserPoolId=pool_id, GroupName="team")
    pool = emulator.state.find_pool(pool_id)
    get_group(pool, "team").members.add("alice")
    idp.delete_group(UserPoolId=pool_id, GroupName="team")
    idp.create_group(UserPoolId=pool_id, GroupName="team")
    assert get_group(emulator.state.find_pool(pool_id), "team").members == set()
