"""Terms documents (terms of use and privacy policy links per app client)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import terms
from cognito_emu.protocol.model import IDP

SERVICE = IDP

# TermsDescriptionType: what ListTerms shows of each stored document.
_SUMMARY = ("TermsId", "TermsName", "Enforcement", "CreationDate", "LastModifiedDate")


def create_terms(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"Terms": terms.create(call.env, call.store, params)}


def update_terms(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"Terms": terms.update(call.env, call.store, params)}


def describe_terms(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"Terms": terms.describe(call.store, params["UserPoolId"], params["TermsId"])}


def describe_terms_by_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    found = terms.describe_by_client(
        call.store, params["UserPoolId"], params["ClientId"], params["TermsName"]
    )
    return {"Terms": found}


def delete_terms(call: Call, params: dict[str, Any]) -> None:
    terms.delete(call.store, params["UserPoolId"], params["TermsId"])


def list_terms(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    page, token = terms.list_terms(
        call.store, params["UserPoolId"], params.get("MaxResults"), params.get("NextToken")
    )
    return {
        "Terms": [{member: document[member] for member in _SUMMARY} for document in page],
        "NextToken": token,
    }


HANDLERS = {
    "CreateTerms": create_terms,
    "UpdateTerms": update_terms,
    "DescribeTerms": describe_terms,
    "DescribeTermsByClient": describe_terms_by_client,
    "DeleteTerms": delete_terms,
    "ListTerms": list_terms,
}
