"""AdminLinkProviderForUser and AdminDisableProviderForUser through boto3: links in the destination
user's ``identities`` attribute, and the errors (messages as Cognito words them)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.support import error_of

GOOGLE = {"client_id": "g", "client_secret": "s", "authorize_scopes": "email"}
SAML_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def cognito(username: str) -> dict[str, str]:
    return {"ProviderName": "Cognito", "ProviderAttributeValue": username}


def google(subject: str) -> dict[str, str]:
    return {
        "ProviderName": "Google",
        "ProviderAttributeName": "Cognito_Subject",
        "ProviderAttributeValue": subject,
    }


@pytest.fixture
def pool_id(idp: Any) -> str:
    pool = idp.create_user_pool(PoolName="linking")["UserPool"]["Id"]
    idp.create_identity_provider(
        UserPoolId=pool, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )
    idp.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": SAML_METADATA},
    )
    for name in ("alice", "bob"):
        idp.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
    return pool


def identities(idp: Any, pool_id: str, username: str) -> list[dict[str, Any]]:
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    raw = {a["Name"]: a["Value"] for a in user["UserAttributes"]}.get("identities")
    return json.loads(raw) if raw else []


def test_link_adds_identities(emulator: Any, idp: Any, pool_id: str) -> None:
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=cognito("alice"), SourceUser=google("111")
    )
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser=cognito("alice"),
        SourceUser={
            "ProviderName": "Okta",
            "ProviderAttributeName": "email",
            "ProviderAttributeValue": "a@x.com",
        },
    )
    linked = identities(idp, pool_id, "alice")
    assert [(e["providerName"], e["providerType"], e["userId"], e["primary"]) for e in linked] == [
        ("Google", "Google", "111", False),
        ("Okta", "SAML", "a@x.com", False),
    ]
    assert linked[0]["issuer"] is None and linked[1]["issuer"] == "https://idp.example.com"
    assert isinstance(linked[0]["dateCreated"], int)
    # ListUsers shows the attribute too.
    listed = idp.list_users(UserPoolId=pool_id, Filter='username = "alice"')["Users"][0]
    assert any(a["Name"] == "identities" for a in listed["Attributes"])


def test_link_errors(idp: Any, pool_id: str) -> None:
    link = idp.admin_link_provider_for_user
    assert error_of(
        link, UserPoolId=pool_id, DestinationUser=cognito("bob"), SourceUser=cognito("alice")
    ) == (
        "InvalidParameterException",
        "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, "
        "only as a DestinationUser",
    )
    assert error_of(link, UserPoolId=pool_id, DestinationUser=cognito("nobody"), SourceUser=google("1")) == (
        "UserNotFoundException",
        "User does not exist.",
    )
    code, _ = error_of(
        link,
        UserPoolId=pool_id,
        DestinationUser=cognito("alice"),
        SourceUser={
            "ProviderName": "Facebook",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "1",
        },
    )
    assert code == "ResourceNotFoundException"
    code, _ = error_of(
        link,
        UserPoolId=pool_id,
        DestinationUser=cognito("alice"),
        SourceUser={
            "ProviderName": "Google",
            "ProviderAttributeName": "email",
            "ProviderAttributeValue": "a@x.com",
        },
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        link, UserPoolId="us-east-1_nopenope", DestinationUser=cognito("alice"), SourceUser=google("1")
    )
    assert code == "ResourceNotFoundException"
    # The same identity twice, to the same or another user.
    link(UserPoolId=pool_id, DestinationUser=cognito("alice"), SourceUser=google("1"))
    for user in ("alice", "bob"):
        assert error_of(link, UserPoolId=pool_id, DestinationUser=cognito(user), SourceUser=google("1")) == (
            "InvalidParameterException",
            "SourceUser is already linked to DestinationUser",
        )
    # At most five.
    for subject in ("2", "3", "4", "5"):
        link(UserPoolId=pool_id, DestinationUser=cognito("alice"), SourceUser=google(subject))
    code, _ = error_of(link, UserPoolId=pool_id, DestinationUser=cognito("alice"), SourceUser=google("6"))
    assert code == "LimitExceededException"
    assert len(identities(idp, pool_id, "alice")) == 5


def test_identity_that_signed_up_cannot_be_linked(emulator: Any, idp: Any, pool_id: str) -> None:
    emulator_user(emulator, pool_id, "777")
    assert error_of(
        idp.admin_link_provider_for_user,
        UserPoolId=pool_id,
        DestinationUser=cognito("alice"),
        SourceUser=google("777"),
    ) == (
        "InvalidParameterException",
        "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
    )
    # A federated user can be a destination, named by its provider's user id.
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Google", "ProviderAttributeValue": "777"},
        SourceUser={
            "ProviderName": "Okta",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "o-1",
        },
    )
    assert [e["providerName"] for e in identities(idp, pool_id, "Google_777")] == ["Google", "Okta"]


def emulator_user(emulator: Any, pool_id: str, subject: str) -> None:
    """A federated user as the hosted login's federation creates it (no browser needed here)."""
    from cognito_emu.idp.users import federated

    with emulator.state.lock:
        pool = emulator.state.find_pool(pool_id)
        federated.sign_in(
            emulator.env, pool, pool.identity_providers["Google"], {"sub": subject}, client_id=None
        )


def test_disable_provider(emulator: Any, idp: Any, pool_id: str) -> None:
    disable = idp.admin_disable_provider_for_user
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=cognito("alice"), SourceUser=google("1")
    )
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=cognito("alice"), SourceUser=google("2")
    )
    disable(UserPoolId=pool_id, User=google("1"))
    assert [e["userId"] for e in identities(idp, pool_id, "alice")] == ["2"]
    assert idp.admin_get_user(UserPoolId=pool_id, Username="alice")["Enabled"] is True
    # Unlinked, the identity can be linked again (to another user).
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=cognito("bob"), SourceUser=google("1")
    )
    # A federated user: turned off.
    emulator_user(emulator, pool_id, "9")
    disable(UserPoolId=pool_id, User=google("9"))
    assert idp.admin_get_user(UserPoolId=pool_id, Username="Google_9")["Enabled"] is False
    # A local user: no password sign-in any more (the user is turned off).
    disable(
        UserPoolId=pool_id,
        User={
            "ProviderName": "Cognito",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "bob",
        },
    )
    assert idp.admin_get_user(UserPoolId=pool_id, Username="bob")["Enabled"] is False


def test_disable_errors(idp: Any, pool_id: str) -> None:
    disable = idp.admin_disable_provider_for_user
    assert error_of(disable, UserPoolId=pool_id, User=google("never")) == (
        "UserNotFoundException",
        "User does not exist.",
    )
    code, _ = error_of(
        disable,
        UserPoolId=pool_id,
        User={
            "ProviderName": "Nope",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "1",
        },
    )
    assert code == "ResourceNotFoundException"
    code, _ = error_of(
        disable,
        UserPoolId=pool_id,
        User={"ProviderName": "Google", "ProviderAttributeName": "email", "ProviderAttributeValue": "1"},
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        disable,
        UserPoolId=pool_id,
        User={
            "ProviderName": "Cognito",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "ghost",
        },
    )
    assert code == "UserNotFoundException"


def test_links_survive_a_user_index_rebuild(emulator: Any, idp: Any, pool_id: str) -> None:
    """The identity index is derived from the ``identities`` attributes (as after a restart)."""
    from cognito_emu.idp.users import federated

    idp.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=cognito("alice"), SourceUser=google("1")
    )
    with emulator.state.lock:
        pool = emulator.state.find_pool(pool_id)
        pool.rebuild_index()
        owner = federated.owner_of(pool, "Google", "1")
    assert owner is not None and owner.username == "alice"
