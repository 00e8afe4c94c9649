"""A user pool's attribute schema: the standard attributes with Cognito's defaults, and custom ones.

The defaults and their order are what DescribeUserPool answers for a pool created with only a name
(aws-cli's describe-user-pool example shows the full list, ``identities`` included). Custom attributes
are stored under the names Cognito gives them: ``custom:<name>``, or ``dev:custom:<name>`` when
developer-only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.models import AttributeDataType, SchemaAttribute

# https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html (custom attributes per pool)
MAX_CUSTOM_ATTRIBUTES = 50
MAX_STRING_LENGTH = 2048

_S = AttributeDataType.STRING


def _standard(
    name: str,
    data_type: AttributeDataType = _S,
    *,
    min_length: str | None = "0",
    max_length: str | None = "2048",
    **flags: Any,
) -> SchemaAttribute:
    string = data_type is _S
    return SchemaAttribute(
        name=name,
        data_type=data_type,
        min_length=min_length if string else None,
        max_length=max_length if string else None,
        **flags,
    )


def standard_attributes() -> list[SchemaAttribute]:
    """Fresh copies of the standard attributes, in the order Cognito lists them."""
    return [
        _standard("sub", min_length="1", mutable=False, required=True),
        _standard("name"),
        _standard("given_name"),
        _standard("family_name"),
        _standard("middle_name"),
        _standard("nickname"),
        _standard("preferred_username"),
        _standard("profile"),
        _standard("picture"),
        _standard("website"),
        _standard("email"),
        _standard("email_verified", AttributeDataType.BOOLEAN),
        _standard("gender"),
        _standard("birthdate", min_length="10", max_length="10"),
        _standard("zoneinfo"),
        _standard("locale"),
        _standard("phone_number"),
        _standard("phone_number_verified", AttributeDataType.BOOLEAN),
        _standard("address"),
        SchemaAttribute("updated_at", AttributeDataType.NUMBER, min_value="0"),
        # Federated sign-in links; Cognito lists it with no length constraints.
        _standard("identities", min_length=None, max_length=None),
    ]


STANDARD_NAMES = frozenset(attribute.name for attribute in standard_attributes())


def build_schema(requested: Iterable[dict[str, Any]] | None) -> dict[str, SchemaAttribute]:
    """The schema of a new pool: the standard attributes, adjusted and extended by CreateUserPool's Schema."""
    schema = {attribute.name: attribute for attribute in standard_attributes()}
    customs: list[dict[str, Any]] = []
    for spec in requested or ():
        if _name(spec) in STANDARD_NAMES:
            _adjust_standard(schema[spec["Name"]], spec)
        else:
            customs.append(spec)
    add_custom_attributes(schema, customs)
    return schema


def add_custom_attributes(schema: dict[str, SchemaAttribute], specs: Iterable[dict[str, Any]]) -> None:
    """Add custom attributes to ``schema``; all or none of them (AddCustomAttributes, CreateUserPool)."""
    added: dict[str, SchemaAttribute] = {}
    for spec in specs:
        attribute = custom_attribute(spec)
        if attribute.name in schema or attribute.name in added:
            raise InvalidParameterException(
                f"custom:{spec['Name']}: Existing attribute already has name {attribute.name}."
            )
        added[attribute.name] = attribute
    existing = sum(1 for attribute in schema.values() if attribute.is_custom)
    if existing + len(added) > MAX_CUSTOM_ATTRIBUTES:
        raise InvalidParameterException(
            f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes; "
            f"it has {existing} and {len(added)} more were requested."
        )
    schema.update(added)


def custom_attribute(spec: dict[str, Any]) -> SchemaAttribute:
    """One custom attribute from a SchemaAttributeType, named and checked as Cognito does."""
    data_type = spec.get("AttributeDataType")
    if data_type is None:
        raise InvalidParameterException(
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
        )
    if spec.get("Required", False):
        raise InvalidParameterException("Required custom attributes are not supported currently.")
    developer_only = bool(spec.get("DeveloperOnlyAttribute", False))
    name = f"custom:{_name(spec)}"
    if developer_only:
        name = f"dev:{name}"
    attribute = SchemaAttribute(
        name=name,
        data_type=AttributeDataType(data_type),
        developer_only=developer_only,
        mutable=bool(spec.get("Mutable", True)),
        required=False,
    )
    _apply_constraints(attribute, spec)
    return attribute


def _name(spec: dict[str, Any]) -> str:
    # The model leaves SchemaAttributeType's Name optional, yet no attribute can be made without one.
    name = spec.get("Name")
    if name is None:
        raise InvalidParameterException("Schema attribute Name can not be null.")
    return str(name)


def _adjust_standard(attribute: SchemaAttribute, spec: dict[str, Any]) -> None:
    data_type = spec.get("AttributeDataType")
    if (data_type is not None and data_type != attribute.data_type) or spec.get("DeveloperOnlyAttribute"):
        raise InvalidParameterException(
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema "
            f"attribute {attribute.name}"
        )
    if "Required" in spec:
        attribute.required = bool(spec["Required"])
    if "Mutable" in spec:
        attribute.mutable = bool(spec["Mutable"])
    _apply_constraints(attribute, spec)


def _apply_constraints(attribute: SchemaAttribute, spec: dict[str, Any]) -> None:
    if attribute.data_type is AttributeDataType.STRING and "StringAttributeConstraints" in spec:
        given = spec["StringAttributeConstraints"]
        low = _limit(attribute, given.get("MinLength"), "StringAttributeConstraints")
        high = _limit(attribute, given.get("MaxLength"), "StringAttributeConstraints")
        if max(low or 0, high or 0) > MAX_STRING_LENGTH:
            raise InvalidParameterException(
                f"user.{attribute.name}: String attributes cannot have a length of more than {MAX_STRING_LENGTH}"
            )
        if low is not None and high is not None and low > high:
            raise InvalidParameterException(
                f"user.{attribute.name}: Max length cannot be less than min length."
            )
        attribute.min_length, attribute.max_length = given.get("MinLength"), given.get("MaxLength")
    elif attribute.data_type is AttributeDataType.NUMBER and "NumberAttributeConstraints" in spec:
        given = spec["NumberAttributeConstraints"]
        low = _limit(attribute, given.get("MinValue"), "NumberAttributeConstraints", signed=True)
        high = _limit(attribute, given.get("MaxValue"), "NumberAttributeConstraints", signed=True)
        if low is not None and high is not None and low > high:
            raise InvalidParameterException(
                f"user.{attribute.name}: Max value cannot be less than min value."
            )
        attribute.min_value, attribute.max_value = given.get("MinValue"), given.get("MaxValue")


def _limit(attribute: SchemaAttribute, raw: str | None, kind: str, signed: bool = False) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or (value < 0 and not signed):
        raise InvalidParameterException(f"Invalid {kind} for schema attribute {attribute.name}")
    return value


def required_attributes(schema: dict[str, SchemaAttribute]) -> list[str]:
    """Attributes a new user must have, ``sub`` aside (Cognito assigns it)."""
    return [name for name, attribute in schema.items() if attribute.required and name != "sub"]


def csv_header(schema: dict[str, SchemaAttribute]) -> list[str]:
    """GetCSVHeader's columns: the importable attributes, then ``cognito:mfa_enabled`` and
    ``cognito:username`` (aws-cli's get-csv-header example)."""
    columns = [
        name
        for name, attribute in schema.items()
        if name not in ("sub", "identities") and not attribute.developer_only
    ]
    return [*columns, "cognito:mfa_enabled", "cognito:username"]
