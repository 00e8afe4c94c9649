from __future__ import annotations

import pytest

from tests.api.support import error_of

GOOGLE = {
    "client_id": "1example.apps.googleusercontent.com",
    "client_secret": "s3cret",
    "authorize_scopes": "email",
}
OIDC = {
    "client_id": "oidc-client",
    "client_secret": "oidc-secret",
    "attributes_request_method": "GET",
    "oidc_issuer": "https://issuer.example.com",
    "authorize_scopes": "openid email",
}
SAML_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="https://idp.example.com/sso-post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def create(idp, pool_id, name, kind, details, **kwargs):
    return idp.create_identity_provider(
        UserPoolId=pool_id, ProviderName=name, ProviderType=kind, ProviderDetails=details, **kwargs
    )["IdentityProvider"]


def test_google_details_are_completed(idp, pool_id, emulator):
    emulator.clock.set(1_700_000_000)
    provider = create(idp, pool_id, "Google", "Google", GOOGLE, AttributeMapping={"email": "email"})
    assert provider["UserPoolId"] == pool_id
    assert provider["ProviderType"] == "Google"
    assert provider["ProviderDetails"] == GOOGLE | {
        "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oidc_issuer": "https://accounts.google.com",
        "token_request_method": "POST",
        "token_url": "https://www.googleapis.com/oauth2/v4/token",
    }
    assert provider["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert provider["CreationDate"].timestamp() == pytest.approx(1_700_000_000, abs=1)
    described = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName="Google")["IdentityProvider"]
    assert described == provider


def test_facebook_urls_follow_api_version(idp, pool_id):
    details = {
        "client_id": "fb",
        "client_secret": "s",
        "authorize_scopes": "public_profile, email",
        "api_version": "v17.0",
    }
    provider = create(idp, pool_id, "Facebook", "Facebook", details)
    assert provider["ProviderDetails"]["authorize_url"] == "https://www.facebook.com/v17.0/dialog/oauth"
    assert provider["ProviderDetails"]["token_url"] == "https://graph.facebook.com/v17.0/oauth/access_token"
    assert provider["ProviderDetails"]["token_request_method"] == "GET"
    assert provider["AttributeMapping"] == {"username": "id"}


def test_login_with_amazon(idp, pool_id):
    details = {
        "client_id": "amzn1.application-oa2-client.1",
        "client_secret": "s",
        "authorize_scopes": "profile",
    }
    provider = create(idp, pool_id, "LoginWithAmazon", "LoginWithAmazon", details)
    assert provider["ProviderDetails"]["authorize_url"] == "https://www.amazon.com/ap/oa"
    assert provider["AttributeMapping"] == {"username": "user_id"}


def test_apple_private_key_is_never_shown(idp, pool_id):
    details = {
        "client_id": "com.example.app",
        "team_id": "TEAM",
        "key_id": "KEY",
        "private_key": "-----BEGIN PRIVATE KEY-----",
        "authorize_scopes": "email name",
    }
    provider = create(idp, pool_id, "SignInWithApple", "SignInWithApple", details)
    assert "private_key" not in provider["ProviderDetails"]
    assert provider["ProviderDetails"]["oidc_issuer"] == "https://appleid.apple.com"
    described = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName="SignInWithApple")
    assert "private_key" not in described["IdentityProvider"]["ProviderDetails"]


@pytest.mark.parametrize("missing", ["client_id", "client_secret", "authorize_scopes"])
def test_social_provider_requires_details(idp, pool_id, missing):
    details = {k: v for k, v in GOOGLE.items() if k != missing}
    assert error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails=details,
    ) == (
        "InvalidParameterException",
        "client_id, client_secret and authorize_scopes are all required idp details",
    )


def test_apple_requires_key_details(idp, pool_id):
    code, message = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="SignInWithApple",
        ProviderType="SignInWithApple",
        ProviderDetails={"client_id": "c", "team_id": "t", "authorize_scopes": "email"},
    )
    assert code == "InvalidParameterException" and "private_key" in message


def test_social_provider_name_must_match_type(idp, pool_id):
    code, message = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="MyGoogle",
        ProviderType="Google",
        ProviderDetails=GOOGLE,
    )
    assert (code, message) == ("InvalidParameterException", "Provider MyGoogle cannot be of type Google.")


def test_oidc_provider(idp, pool_id):
    provider = create(
        idp, pool_id, "Corp", "OIDC", OIDC, IdpIdentifiers=["corp.example.com"], AcrMapping={"Level1": "loa1"}
    )
    assert provider["ProviderDetails"] == OIDC | {"attributes_url_add_attributes": "false"}
    assert provider["AttributeMapping"] == {"username": "sub"}
    assert provider["IdpIdentifiers"] == ["corp.example.com"]
    assert provider["AcrMapping"] == {"Level1": "loa1"}


def test_oidc_requires_issuer_and_method(idp, pool_id):
    for missing in ("oidc_issuer", "attributes_request_method"):
        details = {k: v for k, v in OIDC.items() if k != missing}
        code, message = error_of(
            idp.create_identity_provider,
            UserPoolId=pool_id,
            ProviderName="Corp",
            ProviderType="OIDC",
            ProviderDetails=details,
        )
        assert code == "InvalidParameterException" and missing in message
    code, _ = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails=OIDC | {"attributes_request_method": "PUT"},
    )
    assert code == "InvalidParameterException"


def test_acr_mapping_only_for_oidc(idp, pool_id):
    code, _ = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails=GOOGLE,
        AcrMapping={"Level1": "b"},
    )
    assert code == "InvalidParameterException"


def test_saml_with_metadata_file(idp, pool_id):
    provider = create(idp, pool_id, "Okta", "SAML", {"MetadataFile": SAML_METADATA, "IDPSignout": "true"})
    details = provider["ProviderDetails"]
    assert details["SSORedirectBindingURI"] == "https://idp.example.com/sso"
    assert details["SLORedirectBindingURI"] == "https://idp.example.com/slo"
    assert details["IDPSignout"] == "true"
    assert "username" not in provider["AttributeMapping"]


def test_saml_with_metadata_url(idp, pool_id):
    provider = create(idp, pool_id, "Azure", "SAML", {"MetadataURL": "https://idp.example.com/metadata"})
    assert provider["ProviderDetails"] == {"MetadataURL": "https://idp.example.com/metadata"}


@pytest.mark.parametrize(
    "details",
    [
        {},
        {"MetadataURL": "https://idp.example.com/metadata", "MetadataFile": SAML_METADATA},
        {"MetadataFile": "<not xml"},
        {"MetadataFile": "<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata'/>"},
    ],
)
def test_saml_details_rejected(idp, pool_id, details):
    code, _ = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Saml",
        ProviderType="SAML",
        ProviderDetails=details,
    )
    assert code == "InvalidParameterException"


def test_duplicate_provider_name(idp, pool_id):
    create(idp, pool_id, "Google", "Google", GOOGLE)
    assert error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails=GOOGLE,
    ) == ("DuplicateProviderException", f"Google already exists in user pool {pool_id}")


def test_identifiers_unique_in_pool(idp, pool_id):
    create(idp, pool_id, "CorpA", "OIDC", OIDC, IdpIdentifiers=["shared"])
    code, _ = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="CorpB",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        IdpIdentifiers=["other", "shared"],
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="CorpC",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        IdpIdentifiers=["twice", "twice"],
    )
    assert code == "InvalidParameterException"


def test_provider_name_pattern_from_model(idp, pool_id):
    code, message = error_of(
        idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="_bad",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
    )
    assert code == "InvalidParameterException" and "providerName" in message


def test_get_by_identifier(idp, pool_id):
    created = create(idp, pool_id, "Corp", "OIDC", OIDC, IdpIdentifiers=["corp", "corp.example.com"])
    found = idp.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="corp.example.com")
    assert found["IdentityProvider"] == created
    code, _ = error_of(idp.get_identity_provider_by_identifier, UserPoolId=pool_id, IdpIdentifier="nobody")
    assert code == "ResourceNotFoundException"


def test_unknown_provider_and_pool(idp, pool_id):
    for call in (idp.describe_identity_provider, idp.delete_identity_provider, idp.update_identity_provider):
        code, _ = error_of(call, UserPoolId=pool_id, ProviderName="Nope")
        assert code == "ResourceNotFoundException"
    code, _ = error_of(idp.list_identity_providers, UserPoolId="us-east-1_missing")
    assert code == "ResourceNotFoundException"


def test_list_paginates_with_descriptions(idp, pool_id):
    names = {f"Corp{i}" for i in range(5)}
    for name in names:
        create(idp, pool_id, name, "OIDC", OIDC)
    seen: list[dict] = []
    kwargs = {"UserPoolId": pool_id, "MaxResults": 2}
    while True:
        page = idp.list_identity_providers(**kwargs)
        assert len(page["Providers"]) <= 2
        seen += page["Providers"]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(p["ProviderName"] for p in seen) == sorted(names)
    assert set(seen[0]) == {"ProviderName", "ProviderType", "LastModifiedDate", "CreationDate"}


def test_update_provider(idp, pool_id, emulator):
    emulator.clock.set(1_700_000_000)
    create(idp, pool_id, "Corp", "OIDC", OIDC, IdpIdentifiers=["corp"], AttributeMapping={"email": "email"})
    emulator.clock.advance(30)
    updated = idp.update_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderDetails=OIDC | {"authorize_scopes": "openid"},
        IdpIdentifiers=["corp2"],
    )["IdentityProvider"]
    assert updated["ProviderDetails"]["authorize_scopes"] == "openid"
    assert updated["IdpIdentifiers"] == ["corp2"]
    assert updated["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert (updated["LastModifiedDate"] - updated["CreationDate"]).total_seconds() == pytest.approx(30, abs=1)
    code, _ = error_of(idp.get_identity_provider_by_identifier, UserPoolId=pool_id, IdpIdentifier="corp")
    assert code == "ResourceNotFoundException"


def test_rejected_update_changes_nothing(idp, pool_id):
    create(idp, pool_id, "CorpA", "OIDC", OIDC, IdpIdentifiers=["a"])
    before = create(idp, pool_id, "CorpB", "OIDC", OIDC, IdpIdentifiers=["b"])
    code, _ = error_of(
        idp.update_identity_provider,
        UserPoolId=pool_id,
        ProviderName="CorpB",
        ProviderDetails=OIDC | {"authorize_scopes": "changed"},
        IdpIdentifiers=["a"],
    )
    assert code == "InvalidParameterException"
    after = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName="CorpB")["IdentityProvider"]
    assert after == before


def test_update_validates_details_for_the_type(idp, pool_id):
    create(idp, pool_id, "Google", "Google", GOOGLE)
    code, _ = error_of(
        idp.update_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderDetails={"client_id": "only"},
    )
    assert code == "InvalidParameterException"


def test_delete_provider(idp, pool_id):
    create(idp, pool_id, "Corp", "OIDC", OIDC, IdpIdentifiers=["corp"])
    idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert idp.list_identity_providers(UserPoolId=pool_id)["Providers"] == []
    create(idp, pool_id, "Corp2", "OIDC", OIDC, IdpIdentifiers=["corp"])
