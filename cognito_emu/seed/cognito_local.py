"""A cognito-local data folder as a seed (``cognito-emu import-cognito-local DIR``).

cognito-local (the Node.js emulator, default port 9229 like this one) keeps its state in ``.cognito/``:
``config.json`` (settings, among them ``UserPoolDefaults`` merged into every pool and
``TriggerFunctions``, Lambda function names by trigger) and ``db/``, with ``clients.json``
(``{"Clients": {id: DescribeUserPoolClient's members}}``) and one ``<poolId>.json`` per user pool
(``{"Options": the pool, "Users": {username: user}, "Groups": {name: group with "members"}}``).
Pools, clients, groups and users keep their ids, subs and (clear-text) passwords, so an application
configured for cognito-local keeps working. MFA comes along: a pool's ``MfaConfiguration`` and
``SoftwareTokenMfaConfiguration`` (what its SetUserPoolMfaConfig stored) become the seed's ``mfaConfig``,
a user's verified TOTP secret, ``UserMFASettingList`` / legacy ``MFAOptions`` and ``PreferredMfaSetting``
the user's ``mfa``. cognito-local has no user pool domains (no CreateUserPoolDomain), so there are none
to carry. What the seed cannot carry is listed in the notes.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from cognito_emu.protocol.model import IDP
from cognito_emu.protocol.shapes import input_node

# cognito-local's trigger names are LambdaConfig's; a function name becomes a function ARN here.
FUNCTION_ARN = "arn:aws:lambda:{region}:{account}:function:{name}"


class CognitoLocalError(Exception):
    """The folder is not a cognito-local data folder, or a file in it is not what cognito-local writes."""


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CognitoLocalError(f"{path}: {exc}") from None


def _epoch(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def _members(
    operation: str, item: dict[str, Any], what: str, notes: list[str], skip: set[str]
) -> dict[str, Any]:
    """The members of ``item`` that ``operation`` takes, but ``skip``; the others are noted."""
    allowed = input_node(IDP, operation).members
    kept = {key: value for key, value in item.items() if key in allowed and key not in skip}
    dropped = sorted(set(item) - set(kept) - skip)
    if dropped:
        notes.append(f"{what}: not carried over: {', '.join(dropped)}")
    return kept


def _data_dir(folder: Path) -> Path:
    """``folder`` itself or its ``.cognito``: the one holding ``db/``."""
    for candidate in (folder, folder / ".cognito"):
        if (candidate / "db").is_dir():
            return candidate
    raise CognitoLocalError(f"{folder} has no db/ folder (nor .cognito/db/): not a cognito-local data folder")


def convert(
    folder: str | Path, *, region: str = "us-east-1", account: str = "123456789012"
) -> tuple[dict[str, Any], list[str]]:
    """The seed document for a cognito-local data folder, and notes on what it could not carry.

    ``region`` and ``account`` only name the trigger functions' ARNs; the seed's pools go to the
    emulator's default region and account."""
    base = _data_dir(Path(folder))
    notes: list[str] = []
    config_path = base / "config.json"
    config = _read(config_path) if config_path.is_file() else {}
    if not isinstance(config, dict):
        raise CognitoLocalError(f"{config_path}: not a JSON object")
    defaults = config.get("UserPoolDefaults") or {}
    functions = config.get("TriggerFunctions") or {}
    clients_path = base / "db" / "clients.json"
    clients = (_read(clients_path).get("Clients") or {}) if clients_path.is_file() else {}
    pools = []
    for path in sorted((base / "db").glob("*.json")):
        if path.name in ("clients.json", "domains.json"):
            continue
        data = _read(path)
        if not isinstance(data, dict) or not isinstance(data.get("Options"), dict):
            raise CognitoLocalError(f"{path}: not a cognito-local user pool (no Options)")
        pools.append(_pool(data, defaults, functions, clients, notes, region, account))
    if (base / "db" / "domains.json").is_file():
        notes.append("domains.json: user pool domains are not carried over")
    return {"userPools": pools}, notes


def _pool(
    data: dict[str, Any],
    defaults: dict[str, Any],
    functions: dict[str, str],
    clients: dict[str, Any],
    notes: list[str],
    region: str,
    account: str,
) -> dict[str, Any]:
    options = {**defaults, **data["Options"]}
    pool_id = options.get("Id")
    what = f"user pool {pool_id}"
    entry: dict[str, Any] = {"PoolName": options.get("Name") or pool_id, "Id": pool_id}
    skip = {
        "Id",
        "Name",
        "Arn",
        "CreationDate",
        "LastModifiedDate",
        "EstimatedNumberOfUsers",
        "SchemaAttributes",
        "SoftwareTokenMfaConfiguration",
    }
    entry.update(_members("CreateUserPool", options, what, notes, skip))
    software_token = options.get("SoftwareTokenMfaConfiguration")
    if isinstance(software_token, dict) and entry.get("MfaConfiguration", "OFF") != "OFF":
        entry["mfaConfig"] = {
            "SoftwareTokenMfaConfiguration": {"Enabled": bool(software_token.get("Enabled"))}
        }
    # Standard attributes are every pool's; only custom ones are declared (without their prefix).
    custom = [
        {**attribute, "Name": attribute["Name"].removeprefix("custom:")}
        for attribute in options.get("SchemaAttributes") or []
        if str(attribute.get("Name", "")).startswith("custom:")
    ]
    if custom:
        entry["Schema"] = custom
    lambda_config = {
        trigger: FUNCTION_ARN.format(region=region, account=account, name=name)
        for trigger, name in functions.items()
    }
    lambda_config.update(options.get("LambdaConfig") or {})
    if lambda_config:
        entry["LambdaConfig"] = lambda_config
    else:
        entry.pop("LambdaConfig", None)
    for key in ("created", "modified"):
        stamp = _epoch(options.get("CreationDate" if key == "created" else "LastModifiedDate"))
        if stamp is not None:
            entry[key] = stamp
    entry["clients"] = [
        _client(client, notes) for client in clients.values() if client.get("UserPoolId") == pool_id
    ]
    groups = data.get("Groups") or {}
    members: dict[str, list[str]] = {}
    entry["groups"] = []
    for group in groups.values():
        for username in group.get("members") or []:
            members.setdefault(username, []).append(group["GroupName"])
        entry["groups"].append(
            _members(
                "CreateGroup",
                group,
                f"group {group.get('GroupName')}",
                notes,
                {"CreationDate", "LastModifiedDate", "members"},
            )
        )
    username_attributes = options.get("UsernameAttributes") or []
    entry["users"] = [
        _user(user, members.get(username, []), username_attributes, notes)
        for username, user in (data.get("Users") or {}).items()
    ]
    return entry


def _client(client: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    skip = {"UserPoolId", "CreationDate", "LastModifiedDate"}
    entry = {
        "ClientId": client["ClientId"],
        **_members(
            "CreateUserPoolClient", client, f"app client {client['ClientId']}", notes, skip | {"ClientId"}
        ),
    }
    for key, source in (("created", "CreationDate"), ("modified", "LastModifiedDate")):
        stamp = _epoch(client.get(source))
        if stamp is not None:
            entry[key] = stamp
    return entry


# What cognito-local keeps of a user's MFA (its AssociateSoftwareToken, VerifySoftwareToken,
# SetUserMFAPreference and the legacy SetUserSettings); MFACode is a pending code, not carried.
_MFA_KEYS = {
    "SoftwareTokenMfaConfiguration",
    "UserMFASettingList",
    "PreferredMfaSetting",
    "MFAOptions",
    "MFACode",
}


def _user_mfa(user: dict[str, Any], attributes: dict[str, str], notes: list[str]) -> dict[str, Any]:
    """The seed's ``mfa`` of a cognito-local user: a verified TOTP secret, the factors turned on, the preferred one."""
    what = f"user {user['Username']}"
    mfa: dict[str, Any] = {}
    software_token = user.get("SoftwareTokenMfaConfiguration") or {}
    if software_token.get("Secret") and software_token.get("Verified"):
        mfa["totpSecret"] = software_token["Secret"]
        if software_token.get("FriendlyDeviceName"):
            mfa["totpDeviceName"] = software_token["FriendlyDeviceName"]
    elif software_token.get("Secret"):
        notes.append(f"{what}: a TOTP secret that was never verified is not carried over")
    factors = set(user.get("UserMFASettingList") or [])
    if any(option.get("DeliveryMedium") == "SMS" for option in user.get("MFAOptions") or []):
        factors.add("SMS_MFA")
    if "SOFTWARE_TOKEN_MFA" in factors and "totpSecret" in mfa:
        mfa["softwareToken"] = True
    if "SMS_MFA" in factors:
        if "phone_number" in attributes:
            mfa["sms"] = True
        else:
            notes.append(f"{what}: SMS MFA without a phone_number is not carried over")
    preferred = user.get("PreferredMfaSetting")
    if preferred and mfa.get({"SMS_MFA": "sms", "SOFTWARE_TOKEN_MFA": "softwareToken"}.get(preferred, "")):
        mfa["preferred"] = preferred
    return mfa


def _user(
    user: dict[str, Any], groups: list[str], username_attributes: list[str], notes: list[str]
) -> dict[str, Any]:
    attributes = {item["Name"]: item["Value"] for item in user.get("Attributes") or []}
    sub = attributes.pop("sub", None)
    username = user["Username"]
    # In a pool that signs in with an email or phone number, cognito-local's Username is the sub and the
    # seed names the user by that attribute, as AdminCreateUser would.
    for attribute in username_attributes:
        if attribute in attributes:
            username = attributes[attribute]
            break
    entry: dict[str, Any] = {"Username": username, "attributes": attributes}
    if sub is not None:
        entry["sub"] = sub
    status = user.get("UserStatus") or "CONFIRMED"
    password = user.get("Password")
    if password is not None:
        entry["temporaryPassword" if status == "FORCE_CHANGE_PASSWORD" else "password"] = password
    entry["status"] = status
    if user.get("Enabled") is False:
        entry["enabled"] = False
    if groups:
        entry["groups"] = groups
    mfa = _user_mfa(user, attributes, notes)
    if mfa:
        entry["mfa"] = mfa
    for key, source in (("created", "UserCreateDate"), ("modified", "UserLastModifiedDate")):
        stamp = _epoch(user.get(source))
        if stamp is not None:
            entry[key] = stamp
    left = sorted(
        set(user)
        - {
            "Username",
            "Attributes",
            "UserStatus",
            "Password",
            "Enabled",
            "UserCreateDate",
            "UserLastModifiedDate",
        }
        - {"RefreshTokens", "ConfirmationCode"}
        - _MFA_KEYS
    )
    if left:
        notes.append(f"user {user['Username']}: not carried over: {', '.join(left)}")
    return entry
