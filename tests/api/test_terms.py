"""Create/Describe/DescribeByClient/Update/Delete/ListTerms, through boto3 against the server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.api.support import code_of

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
LINKS = {"cognito:default": "https://example.com/terms", "cognito:spanish": "https://example.com/es/terms"}
MISSING_ID = "11111111-2222-4333-8444-555555555555"


def create(
    idp: Any, pool_id: str, client_id: str, name: str = "terms-of-use", **kwargs: Any
) -> dict[str, Any]:
    kwargs.setdefault("Links", LINKS)
    return idp.create_terms(
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName=name,
        TermsSource="LINK",
        Enforcement="NONE",
        **kwargs,
    )["Terms"]


def test_create_and_describe(idp, pool_id, client_id):
    terms = create(idp, pool_id, client_id)
    assert UUID4.match(terms["TermsId"])
    assert {k: v for k, v in terms.items() if k not in ("TermsId", "CreationDate", "LastModifiedDate")} == {
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "TermsName": "terms-of-use",
        "TermsSource": "LINK",
        "Enforcement": "NONE",
        "Links": LINKS,
    }
    assert terms["CreationDate"] == terms["LastModifiedDate"]
    assert idp.describe_terms(UserPoolId=pool_id, TermsId=terms["TermsId"])["Terms"] == terms


def test_one_document_of_each_name_per_client(idp, pool_id, client_id):
    create(idp, pool_id, client_id, "terms-of-use")
    create(idp, pool_id, client_id, "privacy-policy")
    assert code_of(create, idp, pool_id, client_id, "terms-of-use") == "TermsExistsException"
    other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="other")["UserPoolClient"]["ClientId"]
    assert create(idp, pool_id, other, "terms-of-use")["ClientId"] == other


def test_terms_name_and_links_follow_the_model(idp, raw, pool_id, client_id):
    assert code_of(create, idp, pool_id, client_id, "cookie-policy") == "InvalidParameterException"
    bad_language = {"cognito:klingon": "https://example.com"}
    assert code_of(create, idp, pool_id, client_id, Links=bad_language) == "InvalidParameterException"
    assert code_of(create, raw, pool_id, client_id, Links={}) == "InvalidParameterException"


def test_links_are_needed(idp, pool_id, client_id):
    code = code_of(
        idp.create_terms,
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
    )
    assert code == "InvalidParameterException"


def test_create_needs_an_existing_client(idp, pool_id):
    assert code_of(create, idp, pool_id, "nosuchclient") == "ResourceNotFoundException"
    assert code_of(create, idp, "us-east-1_missing", "nosuchclient") == "ResourceNotFoundException"


def test_describe_by_client(idp, pool_id, client_id):
    terms = create(idp, pool_id, client_id, "privacy-policy")
    found = idp.describe_terms_by_client(UserPoolId=pool_id, ClientId=client_id, TermsName="privacy-policy")
    assert found["Terms"] == terms
    code = code_of(
        idp.describe_terms_by_client, UserPoolId=pool_id, ClientId=client_id, TermsName="terms-of-use"
    )
    assert code == "ResourceNotFoundException"
    code = code_of(
        idp.describe_terms_by_client, UserPoolId=pool_id, ClientId="nosuch", TermsName="terms-of-use"
    )
    assert code == "ResourceNotFoundException"


def test_update_replaces_what_it_names(idp, pool_id, client_id, emulator):
    terms = create(idp, pool_id, client_id)
    emulator.clock.advance(30)
    links = {"cognito:default": "https://example.com/v2/terms"}
    updated = idp.update_terms(UserPoolId=pool_id, TermsId=terms["TermsId"], Links=links)["Terms"]
    assert updated["Links"] == links
    assert updated["TermsName"] == "terms-of-use"
    assert updated["CreationDate"] == terms["CreationDate"]
    assert updated["LastModifiedDate"] > terms["LastModifiedDate"]
    renamed = idp.update_terms(UserPoolId=pool_id, TermsId=terms["TermsId"], TermsName="privacy-policy")[
        "Terms"
    ]
    assert renamed["TermsName"] == "privacy-policy"
    assert renamed["Links"] == links


def test_update_to_a_name_the_client_already_has(idp, pool_id, client_id):
    terms = create(idp, pool_id, client_id, "terms-of-use")
    create(idp, pool_id, client_id, "privacy-policy")
    code = code_of(idp.update_terms, UserPoolId=pool_id, TermsId=terms["TermsId"], TermsName="privacy-policy")
    assert code == "TermsExistsException"
    same = idp.update_terms(UserPoolId=pool_id, TermsId=terms["TermsId"], TermsName="terms-of-use")
    assert same["Terms"]["TermsName"] == "terms-of-use"


def test_unknown_terms(idp, pool_id):
    assert code_of(idp.describe_terms, UserPoolId=pool_id, TermsId=MISSING_ID) == "ResourceNotFoundException"
    assert code_of(idp.update_terms, UserPoolId=pool_id, TermsId=MISSING_ID) == "ResourceNotFoundException"
    assert code_of(idp.delete_terms, UserPoolId=pool_id, TermsId=MISSING_ID) == "ResourceNotFoundException"
    assert (
        code_of(idp.describe_terms, UserPoolId=pool_id, TermsId="not-a-uuid") == "InvalidParameterException"
    )


def test_terms_belong_to_their_pool(idp, pool_id, client_id):
    terms = create(idp, pool_id, client_id)
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    assert (
        code_of(idp.describe_terms, UserPoolId=other, TermsId=terms["TermsId"]) == "ResourceNotFoundException"
    )


def test_delete(idp, pool_id, client_id):
    terms = create(idp, pool_id, client_id)
    idp.delete_terms(UserPoolId=pool_id, TermsId=terms["TermsId"])
    assert (
        code_of(idp.describe_terms, UserPoolId=pool_id, TermsId=terms["TermsId"])
        == "ResourceNotFoundException"
    )
    assert idp.list_terms(UserPoolId=pool_id)["Terms"] == []
    create(idp, pool_id, client_id)


def test_list_terms_summarises_and_paginates(idp, pool_id, emulator):
    created = []
    for index in range(3):
        client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName=f"c{index}")["UserPoolClient"]
        created.append(create(idp, pool_id, client["ClientId"]))
        emulator.clock.advance(1)
    first = idp.list_terms(UserPoolId=pool_id, MaxResults=2)
    assert [t["TermsId"] for t in first["Terms"]] == [t["TermsId"] for t in created[:2]]
    assert set(first["Terms"][0]) == {
        "TermsId",
        "TermsName",
        "Enforcement",
        "CreationDate",
        "LastModifiedDate",
    }
    second = idp.list_terms(UserPoolId=pool_id, MaxResults=2, NextToken=first["NextToken"])
    assert [t["TermsId"] for t in second["Terms"]] == [created[2]["TermsId"]]
    assert "NextToken" not in second
    assert len(idp.list_terms(UserPoolId=pool_id)["Terms"]) == 3


def test_list_terms_errors(idp, raw, pool_id):
    assert code_of(idp.list_terms, UserPoolId="us-east-1_missing") == "ResourceNotFoundException"
    assert code_of(raw.list_terms, UserPoolId=pool_id, MaxResults=61) == "InvalidParameterException"
    assert code_of(idp.list_terms, UserPoolId=pool_id, NextToken="garbage") == "InvalidParameterException"


def test_deleting_the_client_deletes_its_terms_and_branding(idp, pool_id):
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="gone")["UserPoolClient"][
        "ClientId"
    ]
    terms_id = idp.create_terms(
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
        Links={"cognito:default": "https://example.com/terms"},
    )["Terms"]["TermsId"]
    branding_id = idp.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]["ManagedLoginBrandingId"]
    idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    with pytest.raises(ClientError):
        idp.describe_terms(UserPoolId=pool_id, TermsId=terms_id)
    with pytest.raises(ClientError):
        idp.describe_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=branding_id)
