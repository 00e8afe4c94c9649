"""User attributes checked against the pool's schema on every write, and read through a client's eyes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from cognito_emu.errors import InvalidParameterException, NotAuthorizedException
from cognito_emu.idp.models import AppClient, AttributeDataType, SchemaAttribute, User, UserPool
from cognito_emu.idp.users.index import is_true

VERIFIED_FLAGS = {"email": "email_verified", "phone_number": "phone_number_verified"}
# Attributes Cognito maintains itself: never written by a caller.
SYSTEM_ATTRIBUTES = frozenset({"sub", "identities"})

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE = re.compile(r"\+[0-9]{4,15}")

SCHEMA_ERROR = "Attributes did not conform to the schema: "
UNAUTHORIZED_WRITE = "A client attempted to write unauthorized attribute"


def as_dict(attributes: Iterable[dict[str, Any]] | None) -> dict[str, str]:
    """An AttributeListType as a dict; a missing Value means an empty string, as Cognito reads it."""
    return {item["Name"]: item.get("Value") or "" for item in attributes or ()}


def _schema_attribute(pool: UserPool, name: str) -> SchemaAttribute | None:
    return pool.schema.get(name)


def _value_problem(attribute: SchemaAttribute, value: str) -> str | None:
    """Why ``value`` does not fit ``attribute``, in Cognito's words, or None."""
    kind = attribute.data_type
    if kind == AttributeDataType.STRING:
        if attribute.max_length is not None and len(value) > int(attribute.max_length):
            return f"String must be no longer than {attribute.max_length} characters"
        if attribute.min_length is not None and len(value) < int(attribute.min_length) and value:
            return f"String must be no shorter than {attribute.min_length} characters"
    elif kind == AttributeDataType.NUMBER:
        try:
            number = float(value)
        except ValueError:
            return "Number must be a valid number"
        if attribute.min_value is not None and number < float(attribute.min_value):
            return f"Number must be no less than {attribute.min_value}"
        if attribute.max_value is not None and number > float(attribute.max_value):
            return f"Number must be no greater than {attribute.max_value}"
    elif kind == AttributeDataType.BOOLEAN:
        if value.lower() not in ("true", "false"):
            return "Boolean must be true or false"
    elif kind == AttributeDataType.DATETIME:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return "DateTime must be a valid date"
    return None


def _format_problem(name: str, value: str) -> None:
    if name == "email" and value and not _EMAIL.fullmatch(value):
        raise InvalidParameterException("Invalid email address format.")
    if name == "phone_number" and value and not _PHONE.fullmatch(value):
        raise InvalidParameterException("Invalid phone number format.")


def _check_values(pool: UserPool, attributes: dict[str, str], *, prefix: str) -> None:
    problems: list[str] = []
    for name, value in attributes.items():
        attribute = _schema_attribute(pool, name)
        if attribute is None:
            problems.append(f"{name}: Attribute does not exist in the schema.")
            continue
        problem = _value_problem(attribute, value)
        if problem:
            problems.append(f"{name}: {problem}")
    if problems:
        raise InvalidParameterException(prefix + "\n".join(problems) + "\n")
    for name, value in attributes.items():
        _format_problem(name, value)


def check_new_user(pool: UserPool, attributes: dict[str, str]) -> None:
    """SignUp and AdminCreateUser: known attributes, fitting values, required ones present."""
    for name in attributes:
        if name in SYSTEM_ATTRIBUTES:
            raise InvalidParameterException(f"{SCHEMA_ERROR}{name}: Attribute cannot be updated.\n")
    _check_values(pool, attributes, prefix=SCHEMA_ERROR)
    missing = [
        name
        for name, attribute in pool.schema.items()
        if attribute.required and name not in SYSTEM_ATTRIBUTES and not attributes.get(name)
    ]
    if missing:
        raise InvalidParameterException(
            SCHEMA_ERROR + "\n".join(f"{name}: The attribute is required" for name in missing) + "\n"
        )


def check_update(
    pool: UserPool, user: User, updates: dict[str, str], client: AppClient | None = None
) -> None:
    """Admin/self-service attribute updates: mutability, the client's WriteAttributes, values."""
    if client is not None:
        check_client_may_write(pool, client, updates)
    for name in updates:
        attribute = _schema_attribute(pool, name)
        if name in SYSTEM_ATTRIBUTES or (attribute is not None and not attribute.mutable):
            raise InvalidParameterException(
                f"Invalid user attributes: user.{name}: Attribute cannot be updated.\n"
            )
    _check_values(pool, updates, prefix="Invalid user attributes: ")
    for name, attribute in pool.schema.items():
        if attribute.required and name in updates and not updates[name]:
            raise InvalidParameterException(
                f"Invalid user attributes: user.{name}: The attribute is required\n"
            )


def check_deletion(pool: UserPool, names: list[str], client: AppClient | None = None) -> None:
    if client is not None:
        check_client_may_write(pool, client, dict.fromkeys(names, ""))
    unknown = [name for name in names if _schema_attribute(pool, name) is None]
    if unknown:
        # Every unknown name is reported, not only the first.
        raise InvalidParameterException(
            "Invalid user attributes: "
            + "\n".join(f"user.{name}: Attribute does not exist in the schema." for name in unknown)
            + "\n"
        )
    for name in names:
        attribute = pool.schema[name]
        if attribute.required or not attribute.mutable or name in SYSTEM_ATTRIBUTES:
            raise InvalidParameterException(
                f"Invalid user attributes: user.{name}: Attribute cannot be deleted.\n"
            )


def check_client_may_write(pool: UserPool, client: AppClient, attributes: dict[str, str]) -> None:
    allowed = client.settings.get("WriteAttributes")
    if allowed is None:
        return
    if any(name not in allowed for name in attributes):
        raise NotAuthorizedException(UNAUTHORIZED_WRITE)


def readable(pool: UserPool, user: User, client: AppClient | None = None) -> dict[str, str]:
    """The attributes a client may read (all of them for admin calls)."""
    allowed = client.settings.get("ReadAttributes") if client is not None else None
    if allowed is None:
        return dict(user.attributes)
    return {name: value for name, value in user.attributes.items() if name in allowed or name == "sub"}


def apply(user: User, updates: dict[str, str], now: float) -> list[str]:
    """Write ``updates``; a changed email or phone number is no longer verified. Returns what changed."""
    changed: list[str] = []
    for name, value in updates.items():
        if user.attributes.get(name) == value:
            continue
        user.attributes = user.attributes.with_values({name: value})
        changed.append(name)
        flag = VERIFIED_FLAGS.get(name)
        if flag and flag not in updates and is_true(user.attributes.get(flag)):
            user.attributes = user.attributes.with_values({flag: "false"})
    if changed:
        user.modified = now
    return changed


def remove(user: User, names: list[str], now: float) -> None:
    flags = [flag for name in names if (flag := VERIFIED_FLAGS.get(name))]
    user.attributes = user.attributes.without(*names, *flags)
    user.modified = now
