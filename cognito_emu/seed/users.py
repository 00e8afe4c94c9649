"""A seed's user entry: attributes, a password (plain, temporary, or an exported hash), a fixed sub,
status, groups and MFA."""

from __future__ import annotations

from typing import Any

from cognito_emu.idp.factors import mfa, passwords, srp
from cognito_emu.idp.models import User, UserPool, UserStatus
from cognito_emu.idp.users import accounts, directory, memberships
from cognito_emu.seed.applier import Applier
from cognito_emu.seed.checks import SeedError, at, expect, join, only, stamp, timestamp

USER_KEYS = (
    "Username",
    "sub",
    "attributes",
    "password",
    "temporaryPassword",
    "passwordHash",
    "status",
    "enabled",
    "groups",
    "mfa",
    "created",
    "modified",
)
PASSWORD_HASH_KEYS = ("bcrypt", "srpSalt", "srpVerifier", "history", "changed", "temporaryExpires")


def apply_user(run: Applier, pool: UserPool, entry: dict[str, Any], path: str) -> None:
    only(entry, USER_KEYS, path)
    username = entry.get("Username")
    if username is None:
        raise SeedError("a user needs a Username", join(path, "Username"))
    expect(username, str, join(path, "Username"), "a string")
    given = _attributes(entry.get("attributes"), join(path, "attributes"))
    secrets = [key for key in ("password", "temporaryPassword", "passwordHash") if entry.get(key) is not None]
    if len(secrets) > 1:
        raise SeedError(f"give only one of {', '.join(secrets)}", join(path, secrets[1]))
    with at(path):
        user = accounts.create_user(
            run.env,
            pool,
            username,
            given,
            status=UserStatus.UNCONFIRMED,
            exists_message="User account already exists",
        )
    if entry.get("sub") is not None:
        _rekey_user(pool, user, entry["sub"], join(path, "sub"))
    status = UserStatus.UNCONFIRMED
    if "password" in secrets or "temporaryPassword" in secrets:
        temporary = "temporaryPassword" in secrets
        key_path = join(path, secrets[0])
        password = expect(entry[secrets[0]], str, key_path, "a string")
        with at(key_path):
            passwords.check_new_password(pool, None, password)
            passwords.set_password(run.env, pool, user, password, temporary=temporary)
        status = UserStatus.FORCE_CHANGE_PASSWORD if temporary else UserStatus.CONFIRMED
    elif "passwordHash" in secrets:
        _password_hash(run, user, entry["passwordHash"], join(path, "passwordHash"))
        status = UserStatus.CONFIRMED
    if entry.get("status") is not None:
        status_path = join(path, "status")
        try:
            status = UserStatus(expect(entry["status"], str, status_path, "a string"))
        except ValueError:
            allowed = ", ".join(s.value for s in UserStatus)
            raise SeedError(f"unknown status {entry['status']!r} (one of {allowed})", status_path) from None
    accounts.set_status(run.env, pool, user, status)
    if entry.get("enabled") is not None:
        enabled = expect(entry["enabled"], bool, join(path, "enabled"), "true or false")
        accounts.set_enabled(run.env, pool, user, enabled)
    groups_path = join(path, "groups")
    for index, name in enumerate(
        expect(entry.get("groups") or [], list, groups_path, "a list of group names")
    ):
        item_path = f"{groups_path}[{index}]"
        with at(item_path):
            memberships.add(pool, user, expect(name, str, item_path, "a group name"))
    if entry.get("mfa") is not None:
        mfa_path = join(path, "mfa")
        settings = expect(entry["mfa"], dict, mfa_path, "a mapping (totpSecret, sms, softwareToken, ...)")
        try:
            mfa.apply_seed(user, settings)
        except ValueError as error:
            raise SeedError(str(error), mfa_path) from None
    stamp(user, entry, path)
    run.counts["users"] += 1


def _attributes(value: Any, path: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, list):
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            expect(item, dict, item_path, "a {Name, Value} mapping")
            if not isinstance(item.get("Name"), str) or set(item) - {"Name", "Value"}:
                raise SeedError("expected a {Name, Value} mapping", item_path)
        value = {item["Name"]: item.get("Value") for item in value}
    expect(value, dict, path, "a mapping of attribute names to values, or a list of {Name, Value}")
    out: dict[str, str] = {}
    for name, raw in value.items():
        if name == "sub":
            raise SeedError(
                "Cognito assigns sub: give a fixed one as the user's 'sub' key", join(path, "sub")
            )
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        if raw is None:
            raw = ""
        expect(raw, (str, int, float), join(path, str(name)), "a string")
        out[str(name)] = str(raw)
    return out


def _rekey_user(pool: UserPool, user: User, sub: Any, path: str) -> None:
    expect(sub, str, path, "a string")
    if not sub or len(sub) > 128:
        raise SeedError("a sub is 1 to 128 characters", path)
    if sub != user.sub and directory.user_by_sub(pool, sub) is not None:
        raise SeedError(f"another user of the pool already has the sub {sub}", path)
    username_is_sub = user.username == user.sub
    directory.remove_user(pool, user)
    user.sub = sub
    user.attributes = user.attributes.with_values({"sub": sub})
    if username_is_sub:
        user.username = sub
    directory.add_user(pool, user)


def _password_hash(run: Applier, user: User, value: Any, path: str) -> None:
    expect(value, dict, path, "a mapping (srpSalt, srpVerifier, ...) from an export")
    only(value, PASSWORD_HASH_KEYS, path)
    for key in ("srpSalt", "srpVerifier"):
        if not isinstance(value.get(key), str):
            raise SeedError(f"{key} is required and must be a string", join(path, key))
    try:
        verifier = bytes.fromhex(srp.pad_hex(int(value["srpVerifier"], 16)))
        # Kept in pad_hex's form, as the salts the emulator makes: the proofs hash that form of any spelling.
        salt = bytes.fromhex(srp.pad_hex(int(value["srpSalt"], 16)))
    except ValueError:
        raise SeedError("srpSalt and srpVerifier must be hexadecimal", path) from None
    # Exports from before the verifier served every password flow also carry a bcrypt hash.
    legacy = value.get("bcrypt")
    if legacy is not None and not (isinstance(legacy, str) and legacy.startswith("$2")):
        raise SeedError("not a bcrypt hash", join(path, "bcrypt"))
    user.password_hash = legacy
    user.srp_salt = salt
    user.srp_verifier = verifier
    history = expect(value.get("history") or [], list, join(path, "history"), "a list")
    user.password_history = [str(h) for h in history]
    user.password_changed = timestamp(value, "changed", path) or run.env.clock.now()
    user.temporary_password_expires = timestamp(value, "temporaryExpires", path)
