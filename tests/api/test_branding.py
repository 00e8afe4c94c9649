"""Create/Describe/DescribeByClient/Update/DeleteManagedLoginBranding, through boto3 against the server."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.api.support import code_of, error_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SVG = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SETTINGS = {
    "components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0972d3ff"}}}},
    "categories": {"global": {"colorSchemeMode": "LIGHT"}},
}
MISSING_ID = "11111111-2222-4333-8444-555555555555"


def create(idp: Any, pool_id: str, client_id: str, **kwargs: Any) -> dict[str, Any]:
    return idp.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id, **kwargs)[
        "ManagedLoginBranding"
    ]


def test_create_with_cognito_provided_values(idp, pool_id, client_id):
    style = create(idp, pool_id, client_id, UseCognitoProvidedValues=True)
    assert UUID4.match(style["ManagedLoginBrandingId"])
    assert style["UserPoolId"] == pool_id
    assert style["UseCognitoProvidedValues"] is True
    assert style["Settings"] == {}
    assert style["Assets"] == []
    assert style["CreationDate"] == style["LastModifiedDate"]


def test_create_with_settings_and_assets_echoes_them(idp, pool_id, client_id):
    asset = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG}
    style = create(idp, pool_id, client_id, Settings=SETTINGS, Assets=[asset])
    assert style["UseCognitoProvidedValues"] is False
    assert style["Settings"] == SETTINGS
    assert style["Assets"] == [asset]
    described = idp.describe_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style["ManagedLoginBrandingId"]
    )["ManagedLoginBranding"]
    assert described == style


def test_one_style_per_app_client(idp, pool_id, client_id):
    create(idp, pool_id, client_id, UseCognitoProvidedValues=True)
    code = code_of(
        idp.create_managed_login_branding, UserPoolId=pool_id, ClientId=client_id, Settings=SETTINGS
    )
    assert code == "ManagedLoginBrandingExistsException"


def test_cognito_provided_values_exclude_settings_and_assets(idp, pool_id, client_id):
    code, message = error_of(
        idp.create_managed_login_branding,
        UserPoolId=pool_id,
        ClientId=client_id,
        UseCognitoProvidedValues=True,
        Settings=SETTINGS,
    )
    assert code == "InvalidParameterException"
    assert "UseCognitoProvidedValues" in message


def test_create_needs_an_existing_pool_and_client(idp, pool_id, client_id):
    code = code_of(
        idp.create_managed_login_branding, UserPoolId=pool_id, ClientId="nosuchclient", Settings={}
    )
    assert code == "ResourceNotFoundException"
    code = code_of(
        idp.create_managed_login_branding, UserPoolId="us-east-1_missing", ClientId=client_id, Settings={}
    )
    assert code == "ResourceNotFoundException"


def test_an_asset_category_and_color_mode_once_per_request(idp, pool_id, client_id):
    asset = {"Category": "FAVICON_SVG", "ColorMode": "DARK", "Extension": "SVG", "Bytes": SVG}
    code = code_of(
        idp.create_managed_login_branding, UserPoolId=pool_id, ClientId=client_id, Assets=[asset, asset]
    )
    assert code == "InvalidParameterException"


def test_asset_enums_are_validated_by_the_model(idp, pool_id, client_id):
    asset = {"Category": "FORM_LOGO", "ColorMode": "SEPIA", "Extension": "PNG", "Bytes": PNG}
    code, message = error_of(
        idp.create_managed_login_branding, UserPoolId=pool_id, ClientId=client_id, Assets=[asset]
    )
    assert code == "InvalidParameterException"
    assert "colorMode" in message or "ColorMode" in message


def test_describe_by_client(idp, pool_id, client_id):
    style = create(idp, pool_id, client_id, Settings=SETTINGS)
    found = idp.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)
    assert found["ManagedLoginBranding"] == style
    merged = idp.describe_managed_login_branding_by_client(
        UserPoolId=pool_id, ClientId=client_id, ReturnMergedResources=True
    )
    assert merged["ManagedLoginBranding"]["Settings"] == SETTINGS


def test_describe_by_client_without_a_style(idp, pool_id, client_id):
    code = code_of(idp.describe_managed_login_branding_by_client, UserPoolId=pool_id, ClientId=client_id)
    assert code == "ResourceNotFoundException"
    code = code_of(idp.describe_managed_login_branding_by_client, UserPoolId=pool_id, ClientId="nosuch")
    assert code == "ResourceNotFoundException"


def test_describe_unknown_style(idp, pool_id):
    code = code_of(idp.describe_managed_login_branding, UserPoolId=pool_id, ManagedLoginBrandingId=MISSING_ID)
    assert code == "ResourceNotFoundException"


def test_describe_checks_the_id_pattern(idp, pool_id):
    code = code_of(idp.describe_managed_login_branding, UserPoolId=pool_id, ManagedLoginBrandingId="abc")
    assert code == "InvalidParameterException"


def test_style_belongs_to_its_pool(idp, pool_id, client_id):
    style = create(idp, pool_id, client_id, UseCognitoProvidedValues=True)
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    code = code_of(
        idp.describe_managed_login_branding,
        UserPoolId=other,
        ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
    )
    assert code == "ResourceNotFoundException"


def test_update_merges_settings_and_replaces_assets_by_category_and_mode(idp, pool_id, client_id, emulator):
    logo = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG}
    icon = {"Category": "FAVICON_SVG", "ColorMode": "LIGHT", "Extension": "SVG", "Bytes": SVG}
    style = create(idp, pool_id, client_id, Settings=SETTINGS, Assets=[logo, icon])
    emulator.clock.advance(60)
    new_logo = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "SVG", "Bytes": SVG}
    updated = idp.update_managed_login_branding(
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
        Settings={"categories": {"global": {"colorSchemeMode": "DARK"}}},
        Assets=[new_logo],
    )["ManagedLoginBranding"]
    assert updated["Settings"] == {
        "components": SETTINGS["components"],
        "categories": {"global": {"colorSchemeMode": "DARK"}},
    }
    assert updated["Assets"] == [new_logo, icon]
    assert updated["CreationDate"] == style["CreationDate"]
    assert updated["LastModifiedDate"] > style["LastModifiedDate"]


def test_update_to_cognito_provided_values_resets_the_style(idp, pool_id, client_id):
    style = create(idp, pool_id, client_id, Settings=SETTINGS)
    updated = idp.update_managed_login_branding(
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
        UseCognitoProvidedValues=True,
    )["ManagedLoginBranding"]
    assert updated["UseCognitoProvidedValues"] is True
    assert updated["Settings"] == {}
    assert updated["Assets"] == []
    code = code_of(
        idp.update_managed_login_branding,
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
        UseCognitoProvidedValues=True,
        Assets=[],
    )
    assert code == "InvalidParameterException"


def test_update_errors(idp, pool_id):
    code = code_of(idp.update_managed_login_branding, UserPoolId=pool_id, ManagedLoginBrandingId=MISSING_ID)
    assert code == "ResourceNotFoundException"
    assert code_of(idp.update_managed_login_branding, UserPoolId=pool_id) == "InvalidParameterException"


def test_delete_frees_the_client_for_a_new_style(idp, pool_id, client_id):
    style = create(idp, pool_id, client_id, UseCognitoProvidedValues=True)
    idp.delete_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style["ManagedLoginBrandingId"]
    )
    code = code_of(
        idp.describe_managed_login_branding,
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
    )
    assert code == "ResourceNotFoundException"
    code = code_of(
        idp.delete_managed_login_branding,
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
    )
    assert code == "ResourceNotFoundException"
    again = create(idp, pool_id, client_id, Settings=SETTINGS)
    assert again["ManagedLoginBrandingId"] != style["ManagedLoginBrandingId"]


def test_styles_survive_state_export_and_import(idp, pool_id, client_id, emulator):
    style = create(idp, pool_id, client_id, Settings=SETTINGS)
    emulator.restore(json.loads(json.dumps(emulator.snapshot())))
    described = idp.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["ManagedLoginBranding"] == style
