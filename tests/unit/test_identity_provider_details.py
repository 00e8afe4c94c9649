from __future__ import annotations

import pytest

from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.pool.identity_providers import ProviderType, complete_details


def test_facebook_without_api_version_uses_unversioned_urls():
    details = complete_details(
        ProviderType.FACEBOOK, {"client_id": "c", "client_secret": "s", "authorize_scopes": "email"}
    )
    assert details["authorize_url"] == "https://www.facebook.com/dialog/oauth"
    assert details["attributes_url"] == "https://graph.facebook.com/me?fields="


def test_social_details_cannot_override_cognito_endpoints():
    details = complete_details(
        ProviderType.GOOGLE,
        {"client_id": "c", "client_secret": "s", "authorize_scopes": "email", "token_url": "https://evil"},
    )
    assert details["token_url"] == "https://www.googleapis.com/oauth2/v4/token"


def test_oidc_keeps_given_endpoints():
    given = {
        "client_id": "c",
        "attributes_request_method": "POST",
        "oidc_issuer": "https://issuer",
        "authorize_scopes": "openid",
        "authorize_url": "https://issuer/authorize",
    }
    assert complete_details(ProviderType.OIDC, given) == given | {"attributes_url_add_attributes": "false"}


def test_empty_values_count_as_missing():
    with pytest.raises(InvalidParameterException):
        complete_details(
            ProviderType.GOOGLE, {"client_id": "", "client_secret": "s", "authorize_scopes": "e"}
        )
