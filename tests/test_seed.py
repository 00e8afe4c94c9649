"""Seed files: applied through boto3-visible state, validated with paths, exported and re-applied."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bcrypt
import boto3
import pytest
from botocore.config import Config as BotoConfig
from pycognito.aws_srp import AWSSRP

from cognito_emu import cli
from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.idp.factors import srp
from cognito_emu.seed import SeedError

SEEDS = Path(__file__).parent / "seeds"
APP = SEEDS / "app.yaml"
POOL_ID = "us-east-1_AppPool01"
WEB = "webclient0000000000000001"
BACKEND = "backendclient000000000001"
IDENTITY_POOL = "us-east-1:11111111-2222-4333-8444-555555555555"


def client(emu: Emulator, service: str = "cognito-idp", region: str = "us-east-1") -> Any:
    return boto3.client(
        service,
        endpoint_url=emu.endpoint_url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}),
    )


@pytest.fixture
def seeded() -> Iterator[Emulator]:
    with Emulator(Config(port=0, seed=str(APP))) as emu:
        yield emu


def password_sign_in(idp: Any, client_id: str, username: str, password: str) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def test_seed_file_creates_pools_clients_groups_users(seeded: Emulator) -> None:
    idp = client(seeded)
    pool = idp.describe_user_pool(UserPoolId=POOL_ID)["UserPool"]
    assert pool["Name"] == "app"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert pool["UserPoolTags"] == {"team": "qa"}
    assert pool["Domain"] == "app-example-test"
    assert "custom:tenant" in {a["Name"] for a in pool["SchemaAttributes"]}

    backend = idp.describe_user_pool_client(UserPoolId=POOL_ID, ClientId=BACKEND)["UserPoolClient"]
    assert backend["ClientSecret"] == "backendSecretCheckedInForTests0001"
    assert backend["AllowedOAuthScopes"] == ["https://api.example.com/read"]
    web = idp.describe_user_pool_client(UserPoolId=POOL_ID, ClientId=WEB)["UserPoolClient"]
    assert "ClientSecret" not in web

    users = {u["Username"]: u for u in idp.list_users(UserPoolId=POOL_ID)["Users"]}
    assert {name: u["UserStatus"] for name, u in users.items()} == {
        "alice": "CONFIRMED",
        "bob": "FORCE_CHANGE_PASSWORD",
        "carol": "CONFIRMED",
    }
    assert users["carol"]["Enabled"] is False
    alice = {a["Name"]: a["Value"] for a in users["alice"]["Attributes"]}
    assert alice["custom:tenant"] == "acme"
    assert alice["email_verified"] == "true"
    groups = idp.admin_list_groups_for_user(UserPoolId=POOL_ID, Username="alice")["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["admins", "readers"]
    assert idp.get_group(UserPoolId=POOL_ID, GroupName="admins")["Group"]["Precedence"] == 1


def test_seeded_passwords_sign_in(seeded: Emulator) -> None:
    idp = client(seeded)
    tokens = password_sign_in(idp, WEB, "alice", "Alice-Passw0rd")["AuthenticationResult"]
    assert tokens["AccessToken"]
    challenge = password_sign_in(idp, WEB, "bob", "Bob-Temp-Passw0rd")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        password_sign_in(idp, WEB, "carol", "Carol-Passw0rd")


def test_seed_identity_pool_references_resolve(seeded: Emulator) -> None:
    identity = client(seeded, "cognito-identity")
    described = identity.describe_identity_pool(IdentityPoolId=IDENTITY_POOL)
    assert described["CognitoIdentityProviders"][0]["ProviderName"] == (
        f"cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
    )
    assert described["CognitoIdentityProviders"][0]["ClientId"] == WEB
    roles = identity.get_identity_pool_roles(IdentityPoolId=IDENTITY_POOL)["Roles"]
    assert roles["authenticated"] == "arn:aws:iam::123456789012:role/app-auth"


def test_reset_goes_back_to_the_seed(seeded: Emulator) -> None:
    idp = client(seeded)
    idp.admin_delete_user(UserPoolId=POOL_ID, Username="alice")
    idp.create_user_pool(PoolName="scratch")
    seeded.reset()
    assert [p["Name"] for p in idp.list_user_pools(MaxResults=10)["UserPools"]] == ["app"]
    assert idp.admin_get_user(UserPoolId=POOL_ID, Username="alice")["UserStatus"] == "CONFIRMED"


def test_json_seed_with_username_attributes_and_fixed_sub() -> None:
    with Emulator(Config(port=0)) as emu:
        emu.load_seed(SEEDS / "email_login.json")
        idp = client(emu, region="eu-west-1")
        (pool,) = idp.list_user_pools(MaxResults=10)["UserPools"]
        user = idp.admin_get_user(UserPoolId=pool["Id"], Username="DAVE@example.com")
        assert user["Username"] == "0d5e0000-0000-4000-8000-00000000da7e"
        (spa,) = idp.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
        result = password_sign_in(idp, spa["ClientId"], "dave@example.com", "Dave-Passw0rd!")
        assert result["AuthenticationResult"]["IdToken"]


def test_an_export_with_bcrypt_hashes_from_before_still_signs_in() -> None:
    # passwordHash as exports wrote it while a bcrypt hash was kept beside the SRP verifier.
    pool_id, username, password = "us-east-1_Legacy01", "olduser", "Old-Passw0rd!"
    salt = srp.canonical_salt(os.urandom(16))
    prehashed = base64.b64encode(hashlib.sha256(password.encode()).digest())
    legacy_hash = bcrypt.hashpw(prehashed, bcrypt.gensalt(4)).decode()
    document = {
        "userPools": [
            {
                "PoolName": "legacy",
                "Id": pool_id,
                "Policies": {"PasswordPolicy": {"MinimumLength": 8, "PasswordHistorySize": 2}},
                "clients": [
                    {
                        "ClientName": "c",
                        "ClientId": "legacyclient1",
                        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
                    }
                ],
                "users": [
                    {
                        "Username": username,
                        "passwordHash": {
                            "bcrypt": legacy_hash,
                            "srpSalt": salt,
                            "srpVerifier": srp.make_verifier("Legacy01", username, password, salt),
                            "history": [legacy_hash],
                        },
                    }
                ],
            }
        ]
    }
    with Emulator(Config(port=0)) as emu:
        emu.load_seed(document)
        idp = client(emu)
        tokens = password_sign_in(idp, "legacyclient1", username, password)["AuthenticationResult"]
        srp_client = AWSSRP(username, password, pool_id, "legacyclient1", client=idp)
        assert srp_client.authenticate_user()["AuthenticationResult"]["AccessToken"]
        exported = emu.export_seed()["userPools"][0]["users"][0]["passwordHash"]
        assert exported["bcrypt"] == legacy_hash
        with pytest.raises(idp.exceptions.PasswordHistoryPolicyViolationException):
            idp.change_password(
                AccessToken=tokens["AccessToken"], PreviousPassword=password, ProposedPassword=password
            )
        idp.change_password(
            AccessToken=tokens["AccessToken"], PreviousPassword=password, ProposedPassword="New-Passw0rd!"
        )
        exported = emu.export_seed()["userPools"][0]["users"][0]["passwordHash"]
        assert "bcrypt" not in exported and exported["history"] == [legacy_hash]
        with pytest.raises(idp.exceptions.PasswordHistoryPolicyViolationException):
            idp.change_password(
                AccessToken=tokens["AccessToken"], PreviousPassword="New-Passw0rd!", ProposedPassword=password
            )
        assert password_sign_in(idp, "legacyclient1", username, "New-Passw0rd!")["AuthenticationResult"]


# -- validation ----------------------------------------------------------------------------------


def base() -> dict[str, Any]:
    return {
        "userPools": [
            {
                "PoolName": "p",
                "clients": [{"ClientName": "c", "ClientId": "fixedclient1"}],
                "groups": [{"GroupName": "g"}],
                "users": [{"Username": "u", "password": "Passw0rd!"}],
            }
        ]
    }


def broken(change: Any) -> dict[str, Any]:
    document = base()
    change(document)
    return document


POOL = "userPools[0]"
BAD_SEEDS = [
    (lambda d: d.update(extra=1), "extra", "unknown key 'extra'"),
    (lambda d: d["userPools"][0].update(Bogus=1), f"{POOL}.Bogus", "unknown key 'Bogus'"),
    (lambda d: d["userPools"][0].update(users={}), f"{POOL}.users", "expected a list, got a mapping"),
    (
        lambda d: d["userPools"][0]["users"][0].update(password="short"),
        f"{POOL}.users[0].password",
        "InvalidPasswordException: Password did not conform with policy: Password not long enough",
    ),
    (
        lambda d: d["userPools"][0]["users"][0].update(groups=["nope"]),
        f"{POOL}.users[0].groups[0]",
        "ResourceNotFoundException: Group not found.",
    ),
    (
        lambda d: d["userPools"][0]["users"][0].update(mfa={"totpSecret": "ABC"}),
        f"{POOL}.users[0].mfa",
        "totpSecret: The TOTP secret is not base32",
    ),
    (
        lambda d: d["userPools"][0]["users"][0].update(status="HAPPY"),
        f"{POOL}.users[0].status",
        "unknown status 'HAPPY'",
    ),
    (
        lambda d: d["userPools"][0]["users"][0].update(enabled="yes"),
        f"{POOL}.users[0].enabled",
        "expected true or false",
    ),
    (
        lambda d: d["userPools"][0]["users"][0].update(temporaryPassword="Passw0rd!"),
        f"{POOL}.users[0].temporaryPassword",
        "give only one of password, temporaryPassword",
    ),
    (
        lambda d: d["userPools"][0].update(
            triggers={"arn:aws:lambda:us-east-1:1:function:f": "not a target"}
        ),
        f"{POOL}.triggers.arn:aws:lambda:us-east-1:1:function:f",
        "not a trigger target: 'not a target'",
    ),
    (lambda d: d.update(triggers=["f"]), "triggers", "expected a mapping of Lambda ARN"),
    (lambda d: d.update(triggers={"f": 5}), "triggers.f", "expected a target string, got a number"),
    (
        lambda d: d["userPools"][0].update(Policies={"PasswordPolicy": {"MinimumLength": 200}}),
        POOL,
        "Value '200' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint",
    ),
    (
        lambda d: d["userPools"][0].update(PoolName=5),
        POOL,
        "Expected a string at 'poolName'",
    ),
    (
        lambda d: d["userPools"][0].update(Id="not an id"),
        f"{POOL}.Id",
        "is not a user pool id",
    ),
    (
        lambda d: d["userPools"][0]["clients"].append({"ClientName": "d", "ClientId": "fixedclient1"}),
        f"{POOL}.clients[1].ClientId",
        "already exists",
    ),
    (
        lambda d: d["userPools"][0]["users"].append({"Username": "u", "password": "Passw0rd!"}),
        f"{POOL}.users[1]",
        "UsernameExistsException",
    ),
    (
        lambda d: d["userPools"][0]["users"][0].update(attributes={"shoe_size": "44"}),
        f"{POOL}.users[0]",
        "InvalidParameterException",
    ),
    (
        lambda d: d["userPools"][0]["users"][0].update(password=None, passwordHash={"bcrypt": "x"}),
        f"{POOL}.users[0].passwordHash.srpSalt",
        "required",
    ),
    (
        lambda d: d.update(
            identityPools=[
                {
                    "IdentityPoolName": "i",
                    "AllowUnauthenticatedIdentities": True,
                    "CognitoIdentityProviders": [{"ClientId": "${client:p/zzz}"}],
                }
            ]
        ),
        "identityPools[0].CognitoIdentityProviders[0].ClientId",
        "${client:p/zzz} names no client of this seed (known: p/c)",
    ),
]


@pytest.mark.parametrize(("change", "path", "reason"), BAD_SEEDS)
def test_bad_seed_names_path_and_reason(change: Any, path: str, reason: str) -> None:
    emu = Emulator(Config())
    with pytest.raises(SeedError) as caught:
        emu.load_seed(broken(change))
    assert caught.value.path == path
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"<seed>: {path}: ")


def test_seed_maps_lambda_triggers() -> None:
    document = base()
    document["triggers"] = {"arn:aws:lambda:us-east-1:123456789012:function:pre": "cmd:node pre.js"}
    document["userPools"][0]["triggers"] = {"post": "tests/triggers/handlers/post_confirmation.py:handler"}
    emu = Emulator(Config(port=0))
    emu.load_seed(document)
    assert emu.triggers.mappings() == {
        "arn:aws:lambda:us-east-1:123456789012:function:pre": "cmd:node pre.js",
        "post": "tests/triggers/handlers/post_confirmation.py:handler",
    }
    # A failing seed registers none of its mappings.
    bad = base()
    bad["triggers"] = {"other": "cmd:true"}
    bad["userPools"][0]["users"][0]["password"] = "short"
    with pytest.raises(SeedError):
        emu.load_seed(bad)
    assert "other" not in emu.triggers.mappings()


def test_a_failed_seed_leaves_nothing_behind() -> None:
    emu = Emulator(Config())
    emu.load_seed({"userPools": [{"PoolName": "kept", "Id": "us-east-1_Kept1"}]})
    document = base()
    document["userPools"][0]["users"][0]["password"] = "bad"
    with pytest.raises(SeedError):
        emu.load_seed(document)
    with emu.state.lock:
        assert emu.state.counts()["userPools"] == 1
        assert "fixedclient1" not in emu.state.client_index
        assert emu.state.find_pool("us-east-1_Kept1") is not None


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("userPools: [\n")
    with pytest.raises(SeedError, match=r"bad\.yaml: not valid YAML"):
        Emulator(Config()).load_seed(bad_yaml)
    wrong = tmp_path / "seed.txt"
    wrong.write_text("{}")
    with pytest.raises(SeedError, match=r"seed\.txt: a seed file must end in"):
        Emulator(Config()).load_seed(wrong)
    listing = tmp_path / "list.json"
    listing.write_text("[]")
    with pytest.raises(SeedError, match=r"list\.json: the top level must be a mapping"):
        Emulator(Config()).load_seed(listing)
    with pytest.raises(SeedError, match=r"missing\.yaml: cannot read"):
        Emulator(Config()).load_seed(tmp_path / "missing.yaml")
    bad_entry = tmp_path / "entry.yaml"
    bad_entry.write_text(
        "userPools:\n  - PoolName: p\n    users:\n      - Username: x\n        password: 1\n"
    )
    with pytest.raises(
        SeedError, match=r"entry\.yaml: userPools\[0\]\.users\[0\]\.password: expected a string"
    ):
        Emulator(Config()).load_seed(bad_entry)


def test_serve_with_a_bad_seed_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("userPools:\n  - PoolName: p\n    Nope: 1\n")
    assert cli.main(["serve", "--port", "0", "--seed", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: userPools[0].Nope: unknown key 'Nope'" in err


def test_seed_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COGNITO_EMU_SEED", str(APP))
    emu = Emulator()
    with emu.state.lock:
        assert emu.state.find_pool(POOL_ID) is not None


# -- control API ---------------------------------------------------------------------------------


def http(emu: Emulator, method: str, path: str, body: bytes | None = None, ctype: str = "") -> Any:
    request = urllib.request.Request(emu.endpoint_url + path, data=body, method=method)
    if ctype:
        request.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_post_seed_and_get_state_as_seed() -> None:
    with Emulator(Config(port=0)) as emu:
        status, body = http(emu, "POST", "/_emu/seed", APP.read_bytes(), "application/yaml")
        assert status == 200
        assert body["created"]["users"] == 3
        status, exported = http(emu, "GET", "/_emu/state?format=seed")
        assert status == 200
        assert [p["Id"] for p in exported["userPools"]] == [POOL_ID]
        status, error = http(emu, "POST", "/_emu/seed", json.dumps(base()).encode(), "application/json")
        assert status == 200
        status, error = http(emu, "POST", "/_emu/seed", json.dumps(base()).encode(), "application/json")
        assert status == 400
        assert error["error"] == "SeedError"
        assert (
            "userPools[0].clients[0].ClientId: an app client with the id fixedclient1 already exists"
            in (error["message"])
        )


# -- export --------------------------------------------------------------------------------------


def without_timestamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: without_timestamps(v) for k, v in value.items() if k not in ("created", "modified", "changed")
        }
    if isinstance(value, list):
        return [without_timestamps(v) for v in value]
    return value


def api_view(emu: Emulator) -> dict[str, Any]:
    idp = client(emu)
    view: dict[str, Any] = {}
    for pool in idp.list_user_pools(MaxResults=60)["UserPools"]:
        pool_id = pool["Id"]
        view[pool_id] = {
            "pool": idp.describe_user_pool(UserPoolId=pool_id)["UserPool"],
            "users": idp.list_users(UserPoolId=pool_id)["Users"],
            "clients": [
                idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=c["ClientId"])["UserPoolClient"]
                for c in idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]
            ],
            "groups": idp.list_groups(UserPoolId=pool_id)["Groups"],
        }
    return view


def test_seed_export_seed_round_trip(seeded: Emulator) -> None:
    idp = client(seeded)
    # State made through the API, not only the seed: a user who changed a password, an MFA config, a
    # second client secret, a custom domain version, a user in a group.
    idp.admin_set_user_password(
        UserPoolId=POOL_ID, Username="bob", Password="Bob-New-Passw0rd", Permanent=True
    )
    idp.set_user_pool_mfa_config(
        UserPoolId=POOL_ID, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
    )
    idp.add_user_pool_client_secret(UserPoolId=POOL_ID, ClientId=BACKEND)
    idp.admin_add_user_to_group(UserPoolId=POOL_ID, Username="bob", GroupName="readers")
    idp.admin_create_user(
        UserPoolId=POOL_ID, Username="erin", MessageAction="SUPPRESS", TemporaryPassword="Erin-Temp-1234"
    )
    jwks_path = f"/{POOL_ID}/.well-known/jwks.json"
    jwks = http(seeded, "GET", jwks_path)[1]
    first = seeded.export_seed()
    original_view = api_view(seeded)

    with Emulator(Config(port=0)) as fresh:
        fresh.load_seed(copy.deepcopy(first))
        second = fresh.export_seed()
        assert second == first
        assert api_view(fresh) == original_view
        fresh_idp = client(fresh)
        # Passwords survive as hashes: both password and SRP sign-in work with the original password.
        assert password_sign_in(fresh_idp, WEB, "bob", "Bob-New-Passw0rd")["AuthenticationResult"]
        srp = AWSSRP(
            username="alice", password="Alice-Passw0rd", pool_id=POOL_ID, client_id=WEB, client=fresh_idp
        )
        assert srp.authenticate_user()["AuthenticationResult"]["AccessToken"]
        assert password_sign_in(fresh_idp, WEB, "erin", "Erin-Temp-1234")["ChallengeName"] == (
            "NEW_PASSWORD_REQUIRED"
        )
        # The signing key travels too, so tokens issued before the export still verify.
        assert http(fresh, "GET", jwks_path)[1] == jwks
        assert fresh_idp.get_user_pool_mfa_config(UserPoolId=POOL_ID)["SoftwareTokenMfaConfiguration"] == {
            "Enabled": True
        }
        identity = client(fresh, "cognito-identity")
        assert identity.describe_identity_pool(IdentityPoolId=IDENTITY_POOL)["IdentityPoolName"] == (
            "app_identities"
        )


def test_export_is_a_seed_without_timestamps_too(seeded: Emulator) -> None:
    document = without_timestamps(seeded.export_seed())
    fresh = Emulator(Config())
    fresh.load_seed(copy.deepcopy(document))
    assert without_timestamps(fresh.export_seed()) == document


def test_export_command_from_endpoint_and_from_state(seeded: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "exported.yaml"
    assert cli.main(["export", "--endpoint", seeded.endpoint_url, "-o", str(out)]) == 0
    fresh = Emulator(Config())
    fresh.load_seed(out)
    assert fresh.export_seed() == seeded.export_seed()

    state_file = tmp_path / "state.json"
    assert (
        cli.main(["export", "--endpoint", seeded.endpoint_url, "--format", "state", "-o", str(state_file)])
        == 0
    )
    assert "stores" in json.loads(state_file.read_text())
    converted = tmp_path / "converted.json"
    assert cli.main(["export", "--from-state", str(state_file), "-o", str(converted)]) == 0
    assert json.loads(converted.read_text()) == seeded.export_seed()


def test_export_command_reports_an_unreachable_emulator(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--endpoint", "http://127.0.0.1:9"]) == 1
    assert "cannot export" in capsys.readouterr().err
