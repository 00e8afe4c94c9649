from __future__ import annotations

from cognito_emu.idp.pool.resource_servers import find_scope
from tests.api.support import error_of

SCOPES = [
    {"ScopeName": "read", "ScopeDescription": "Read things"},
    {"ScopeName": "write", "ScopeDescription": "Write things"},
]


def test_create_and_describe(idp, pool_id):
    created = idp.create_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="My API", Scopes=SCOPES
    )["ResourceServer"]
    assert created == {
        "UserPoolId": pool_id,
        "Identifier": "https://api.example.com",
        "Name": "My API",
        "Scopes": SCOPES,
    }
    described = idp.describe_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")
    assert described["ResourceServer"] == created


def test_create_without_scopes(idp, pool_id):
    server = idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="api")["ResourceServer"]
    assert server["Scopes"] == []


def test_duplicate_identifier(idp, pool_id):
    idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="api")
    code, message = error_of(idp.create_resource_server, UserPoolId=pool_id, Identifier="api", Name="other")
    assert code == "InvalidParameterException"
    assert message == f"api already exists in user pool {pool_id}."


def test_same_identifier_in_two_pools(idp, pool_id):
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="api")
    idp.create_resource_server(UserPoolId=other, Identifier="api", Name="api")
    assert len(idp.list_resource_servers(UserPoolId=other, MaxResults=10)["ResourceServers"]) == 1


def test_duplicate_scope_names_rejected(idp, pool_id):
    code, message = error_of(
        idp.create_resource_server,
        UserPoolId=pool_id,
        Identifier="api",
        Name="api",
        Scopes=[SCOPES[0], {"ScopeName": "read", "ScopeDescription": "again"}],
    )
    assert code == "InvalidParameterException"
    assert "read" in message


def test_scope_name_pattern_from_model(idp, pool_id):
    code, message = error_of(
        idp.create_resource_server,
        UserPoolId=pool_id,
        Identifier="api",
        Name="api",
        Scopes=[{"ScopeName": "a/b", "ScopeDescription": "slash is not allowed"}],
    )
    assert code == "InvalidParameterException"
    assert "scopeName" in message


def test_limit_per_pool(idp, pool_id):
    for i in range(25):
        idp.create_resource_server(UserPoolId=pool_id, Identifier=f"api{i}", Name="api")
    code, _ = error_of(idp.create_resource_server, UserPoolId=pool_id, Identifier="one-more", Name="api")
    assert code == "LimitExceededException"


def test_unknown_pool_and_server(idp, pool_id):
    code, _ = error_of(idp.create_resource_server, UserPoolId="us-east-1_missing", Identifier="a", Name="a")
    assert code == "ResourceNotFoundException"
    for call in (idp.describe_resource_server, idp.delete_resource_server):
        code, _ = error_of(call, UserPoolId=pool_id, Identifier="nope")
        assert code == "ResourceNotFoundException"
    code, _ = error_of(idp.update_resource_server, UserPoolId=pool_id, Identifier="nope", Name="n")
    assert code == "ResourceNotFoundException"


def test_list_paginates(idp, pool_id):
    identifiers = {f"api-{i}" for i in range(5)}
    for identifier in identifiers:
        idp.create_resource_server(UserPoolId=pool_id, Identifier=identifier, Name="n")
    seen: list[str] = []
    kwargs = {"UserPoolId": pool_id, "MaxResults": 2}
    while True:
        page = idp.list_resource_servers(**kwargs)
        assert len(page["ResourceServers"]) <= 2
        seen += [s["Identifier"] for s in page["ResourceServers"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(seen) == sorted(identifiers) and len(seen) == 5


def test_list_without_max_results(idp, pool_id):
    idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="n")
    assert [s["Identifier"] for s in idp.list_resource_servers(UserPoolId=pool_id)["ResourceServers"]] == [
        "api"
    ]


def test_update_replaces_name_and_scopes(idp, pool_id):
    idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="old", Scopes=SCOPES)
    updated = idp.update_resource_server(
        UserPoolId=pool_id, Identifier="api", Name="new", Scopes=[SCOPES[1]]
    )["ResourceServer"]
    assert updated["Name"] == "new" and updated["Scopes"] == [SCOPES[1]]
    # Scopes left out are reset, as the API reference says of omitted attributes.
    cleared = idp.update_resource_server(UserPoolId=pool_id, Identifier="api", Name="new")["ResourceServer"]
    assert cleared["Scopes"] == []
    assert idp.describe_resource_server(UserPoolId=pool_id, Identifier="api")["ResourceServer"] == cleared


def test_delete(idp, pool_id):
    idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="n")
    idp.delete_resource_server(UserPoolId=pool_id, Identifier="api")
    assert idp.list_resource_servers(UserPoolId=pool_id, MaxResults=10)["ResourceServers"] == []
    idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="again")


def test_find_scope(idp, pool_id, emulator):
    idp.create_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="n", Scopes=SCOPES
    )
    pool = emulator.state.find_pool(pool_id)
    assert find_scope(pool, "https://api.example.com/write") == SCOPES[1]
    assert find_scope(pool, "https://api.example.com/delete") is None
    assert find_scope(pool, "other/read") is None
