"""Presenters that ops/ and seed/ both render with. They live here, not in ops/, because seed/ must not
import ops/: the seed export writes a pool's schema in the same SchemaAttributeType that DescribeUserPool
answers, and derives its own from that."""

from __future__ import annotations

from typing import Any

from cognito_emu.idp.models import AttributeDataType, SchemaAttribute


def schema_attribute(attribute: SchemaAttribute) -> dict[str, Any]:
    """SchemaAttributeType as DescribeUserPool shows it: constraint values are strings, String and
    Number attributes always carry their constraints object (empty when nothing was set)."""
    out: dict[str, Any] = {
        "Name": attribute.name,
        "AttributeDataType": attribute.data_type.value,
        "DeveloperOnlyAttribute": attribute.developer_only,
        "Mutable": attribute.mutable,
        "Required": attribute.required,
    }
    if attribute.data_type is AttributeDataType.STRING:
        out["StringAttributeConstraints"] = _pairs(
            ("MinLength", attribute.min_length), ("MaxLength", attribute.max_length)
        )
    elif attribute.data_type is AttributeDataType.NUMBER:
        out["NumberAttributeConstraints"] = _pairs(
            ("MinValue", attribute.min_value), ("MaxValue", attribute.max_value)
        )
    return out


def _pairs(*pairs: tuple[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in pairs if value is not None}
