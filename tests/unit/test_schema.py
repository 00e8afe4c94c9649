"""The attribute schema as pure logic: standard defaults, custom attribute rules, presentation."""

from __future__ import annotations

import pytest

from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.models import AttributeDataType
from cognito_emu.idp.pool import schema
from cognito_emu.shared_presenters import schema_attribute


def test_standard_attributes_are_fresh_copies():
    first = schema.standard_attributes()
    first[0].required = False
    assert schema.standard_attributes()[0].required is True


def test_only_sub_is_required_and_immutable_by_default():
    attributes = {a.name: a for a in schema.standard_attributes()}
    assert [a.name for a in attributes.values() if a.required] == ["sub"]
    assert [a.name for a in attributes.values() if not a.mutable] == ["sub"]
    assert attributes["updated_at"].data_type is AttributeDataType.NUMBER
    assert attributes["phone_number_verified"].data_type is AttributeDataType.BOOLEAN
    assert not any(a.developer_only for a in attributes.values())


def test_required_attributes_leave_out_sub():
    built = schema.build_schema(
        [{"Name": "email", "Required": True}, {"Name": "phone_number", "Required": True}]
    )
    assert schema.required_attributes(built) == ["email", "phone_number"]


def test_custom_attribute_names():
    plain = schema.custom_attribute({"Name": "team", "AttributeDataType": "String"})
    hidden = schema.custom_attribute(
        {"Name": "team", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}
    )
    assert plain.name == "custom:team" and plain.is_custom and plain.mutable
    assert hidden.name == "dev:custom:team" and hidden.developer_only


def test_a_name_already_prefixed_gets_prefixed_again():
    # Cognito adds the prefix whatever the name: "custom:x" becomes "custom:custom:x".
    assert (
        schema.custom_attribute({"Name": "custom:x", "AttributeDataType": "String"}).name == "custom:custom:x"
    )


def test_number_constraints_may_be_negative():
    attribute = schema.custom_attribute(
        {
            "Name": "t",
            "AttributeDataType": "Number",
            "NumberAttributeConstraints": {"MinValue": "-5", "MaxValue": "5"},
        }
    )
    assert (attribute.min_value, attribute.max_value) == ("-5", "5")


@pytest.mark.parametrize(
    "spec",
    [
        {
            "Name": "n",
            "AttributeDataType": "Number",
            "NumberAttributeConstraints": {"MinValue": "9", "MaxValue": "1"},
        },
        {"Name": "n", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "one"}},
        {"Name": "s", "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "-1"}},
        {"Name": "s", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "2049"}},
        {"Name": "r", "AttributeDataType": "Boolean", "Required": True},
    ],
)
def test_invalid_custom_attributes(spec):
    with pytest.raises(InvalidParameterException):
        schema.custom_attribute(spec)


def test_standard_attribute_cannot_become_developer_only():
    with pytest.raises(InvalidParameterException):
        schema.build_schema([{"Name": "email", "DeveloperOnlyAttribute": True}])


def test_standard_attribute_constraints_can_be_narrowed():
    built = schema.build_schema(
        [
            {
                "Name": "nickname",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MaxLength": "30"},
            }
        ]
    )
    assert schema_attribute(built["nickname"])["StringAttributeConstraints"] == {"MaxLength": "30"}


def test_duplicates_within_one_request():
    built = schema.build_schema(None)
    with pytest.raises(InvalidParameterException, match="Existing attribute already has name custom:a"):
        schema.add_custom_attributes(
            built,
            [{"Name": "a", "AttributeDataType": "String"}, {"Name": "a", "AttributeDataType": "Number"}],
        )
    assert "custom:a" not in built


def test_the_custom_attribute_limit_counts_existing_ones():
    built = schema.build_schema([{"Name": f"a{i}", "AttributeDataType": "String"} for i in range(49)])
    schema.add_custom_attributes(built, [{"Name": "last", "AttributeDataType": "Boolean"}])
    with pytest.raises(InvalidParameterException):
        schema.add_custom_attributes(built, [{"Name": "extra", "AttributeDataType": "Boolean"}])


def test_presentation_by_type():
    boolean = schema.custom_attribute({"Name": "b", "AttributeDataType": "Boolean"})
    number = schema.custom_attribute({"Name": "n", "AttributeDataType": "Number"})
    date = schema.custom_attribute({"Name": "d", "AttributeDataType": "DateTime"})
    assert set(schema_attribute(boolean)) == {
        "Name",
        "AttributeDataType",
        "DeveloperOnlyAttribute",
        "Mutable",
        "Required",
    }
    assert schema_attribute(number)["NumberAttributeConstraints"] == {}
    assert "StringAttributeConstraints" not in schema_attribute(date)


def test_csv_header_leaves_out_sub_identities_and_developer_only():
    built = schema.build_schema(
        [
            {"Name": "shown", "AttributeDataType": "String"},
            {"Name": "hidden", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
        ]
    )
    header = schema.csv_header(built)
    assert header[0] == "name"
    assert header[-3:] == ["custom:shown", "cognito:mfa_enabled", "cognito:username"]
    assert not {"sub", "identities", "dev:custom:hidden"} & set(header)
