"""The looks of the hosted pages in Chromium: the classic hosted UI with SetUICustomization's CSS and logo, and
managed login with the app client's branding style (CreateManagedLoginBranding); the colours the browser
computes, the logo it loads, and a screenshot of each."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

from browser_support import AppServer
from hosted_app import hosted_app
from playwright.sync_api import Page, expect

from cognito_emu.emulator import Emulator


def _png(red: int, green: int, blue: int, size: int = 8) -> bytes:
    """A ``size``-pixel square PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes((red, green, blue)) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def _open_sign_in(page: Page, test_app: AppServer) -> None:
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()


def _computed(page: Page, selector: str, prop: str) -> str:
    return str(page.evaluate(f"() => getComputedStyle(document.querySelector('{selector}'))['{prop}']"))


def _logo_loaded(page: Page, selector: str = ".logo-customizable") -> bool:
    return bool(
        page.evaluate(
            f"() => {{ const img = document.querySelector('{selector}');"
            " return !!img && img.complete && img.naturalWidth > 0; }"
        )
    )


def _styled_app(
    emulator: Emulator, idp: Any, test_app: AppServer, settings: dict[str, Any], assets: list[dict[str, Any]]
) -> tuple[str, str]:
    """A managed login app whose client has a style of ``settings`` and ``assets``: (pool id, style id)."""
    pool_id, client_id = hosted_app(emulator, idp, test_app, managed_login_version=2)
    style = idp.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, Settings=settings, Assets=assets
    )["ManagedLoginBranding"]
    return pool_id, style["ManagedLoginBrandingId"]


def test_classic_hosted_ui_shows_the_css_and_logo(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer, tmp_path: Path
) -> None:
    pool_id, client_id = hosted_app(emulator, idp, test_app)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    idp.set_ui_customization(
        UserPoolId=pool_id,
        ClientId=client_id,
        CSS=(
            ".submitButton-customizable { background-color: rgb(200, 0, 0); }\n"
            ".background-customizable { background-color: rgb(0, 100, 0); }\n"
            ".label-customizable { color: rgb(0, 0, 150); }\n"
            "/* </style><script>alert(1)</script> */"
        ),
        ImageFile=_png(255, 0, 0),
    )
    _open_sign_in(page, test_app)
    expect(page.get_by_label("Username")).to_be_visible()
    assert page.locator("body").get_attribute("data-managed-login-version") == "1"
    assert _computed(page, "button", "backgroundColor") == "rgb(200, 0, 0)"
    assert _computed(page, "body", "backgroundColor") == "rgb(0, 100, 0)"
    assert _computed(page, "label", "color") == "rgb(0, 0, 150)"
    assert _logo_loaded(page)
    assert page.locator("script").count() == 0
    page.screenshot(path=tmp_path / "classic.png")
    assert (tmp_path / "classic.png").stat().st_size > 0
    assert dialogs == []


def test_the_pool_wide_customization_applies_to_clients_without_their_own(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, _ = hosted_app(emulator, idp, test_app)
    idp.set_ui_customization(
        UserPoolId=pool_id, ClientId="ALL", CSS=".submitButton-customizable { color: rgb(1, 2, 3); }"
    )
    _open_sign_in(page, test_app)
    expect(page.get_by_label("Username")).to_be_visible()
    assert _computed(page, "button", "color") == "rgb(1, 2, 3)"
    assert page.locator(".logo-customizable").count() == 0


def test_managed_login_without_a_style_does_not_work(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    hosted_app(emulator, idp, test_app, managed_login_version=2)
    _open_sign_in(page, test_app)
    expect(page.locator("#errorMessage")).to_contain_text("no branding style")


def test_managed_login_shows_the_branding_style(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer, tmp_path: Path
) -> None:
    pool_id, style_id = _styled_app(
        emulator,
        idp,
        test_app,
        {
            "components": {
                "primaryButton": {
                    "lightMode": {"defaults": {"backgroundColor": "c80000ff", "textColor": "ffffffff"}}
                },
                "pageBackground": {"lightMode": {"color": "006400ff"}},
                "pageText": {"lightMode": {"headingColor": "000096ff"}},
            },
            "componentClasses": {
                "inputLabel": {"lightMode": {"textColor": "4b0082ff"}},
                "link": {"lightMode": {"defaults": {"textColor": "not a colour;} body {display:none"}}},
            },
            "categories": {"global": {"colorSchemeMode": "LIGHT"}},
        },
        [{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": _png(0, 0, 255)}],
    )
    _open_sign_in(page, test_app)
    expect(page.get_by_label("Username")).to_be_visible()
    assert page.locator("body").get_attribute("data-managed-login-version") == "2"
    assert _computed(page, "button", "backgroundColor") == "rgb(200, 0, 0)"
    assert _computed(page, "body", "backgroundColor") == "rgb(0, 100, 0)"
    assert _computed(page, "h1", "color") == "rgb(0, 0, 150)"
    assert _computed(page, "label", "color") == "rgb(75, 0, 130)"
    # A colour of another shape is ignored: the link keeps the default look.
    assert _computed(page, "a", "color") == "rgb(9, 114, 211)"
    assert _logo_loaded(page)
    page.screenshot(path=tmp_path / "managed-login.png")

    idp.update_managed_login_branding(
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style_id,
        Settings={
            "categories": {"global": {"colorSchemeMode": "DARK"}},
            "components": {"primaryButton": {"darkMode": {"defaults": {"backgroundColor": "ffa500ff"}}}},
        },
    )
    page.reload()
    assert _computed(page, "button", "backgroundColor") == "rgb(255, 165, 0)"
    assert _computed(page, "body", "backgroundColor") == "rgb(15, 27, 42)"
    # The logo is a LIGHT asset: a dark page has none.
    assert page.locator(".logo-customizable").count() == 0

    idp.update_managed_login_branding(
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style_id,
        UseCognitoProvidedValues=True,
    )
    page.reload()
    assert _computed(page, "button", "backgroundColor") == "rgb(9, 114, 211)"
    assert _computed(page, "body", "backgroundColor") == "rgb(242, 243, 243)"
    page.screenshot(path=tmp_path / "cognito-provided.png")


def test_set_ui_customization_has_no_effect_on_managed_login(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, client_id = hosted_app(emulator, idp, test_app, managed_login_version=2)
    idp.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True)
    idp.set_ui_customization(
        UserPoolId=pool_id, ClientId=client_id, CSS=".submitButton-customizable { color: rgb(1, 2, 3); }"
    )
    _open_sign_in(page, test_app)
    expect(page.get_by_label("Username")).to_be_visible()
    assert _computed(page, "button", "color") == "rgb(255, 255, 255)"


def test_managed_login_draws_the_page_header_and_footer(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer, tmp_path: Path
) -> None:
    pool_id, style_id = _styled_app(
        emulator,
        idp,
        test_app,
        {
            "categories": {
                "global": {"colorSchemeMode": "LIGHT", "pageHeader": {"enabled": True}, "pageFooter": {"enabled": True}}
            },
            "components": {
                "pageHeader": {
                    "logo": {"enabled": True, "location": "CENTER"},
                    "lightMode": {"background": {"color": "c80000ff"}, "borderColor": "000096ff"},
                },
                "pageFooter": {
                    "logo": {"enabled": True, "location": "END"},
                    "lightMode": {"background": {"color": "006400ff"}},
                },
                "form": {"borderRadius": 16.0},
            },
        },
        [
            {"Category": "PAGE_HEADER_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": _png(0, 0, 255)},
            {"Category": "PAGE_FOOTER_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": _png(255, 0, 0)},
        ],
    )
    _open_sign_in(page, test_app)
    expect(page.get_by_label("Username")).to_be_visible()
    assert _computed(page, "header.page-header", "backgroundColor") == "rgb(200, 0, 0)"
    assert _computed(page, "header.page-header", "borderBottomColor") == "rgb(0, 0, 150)"
    assert _computed(page, "header.page-header", "textAlign") == "center"
    assert _computed(page, "footer.page-footer", "backgroundColor") == "rgb(0, 100, 0)"
    assert _computed(page, "footer.page-footer", "textAlign") == "right"
    assert _logo_loaded(page, "header.page-header img") and _logo_loaded(page, "footer.page-footer img")
    # Cognito's styles carry radii as numbers with a fraction.
    assert _computed(page, "main", "borderTopLeftRadius") == "16px"
    # The header holds nothing to tab through: the first Tab reaches the username field.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "username"
    page.screenshot(path=tmp_path / "header-footer.png")

    idp.update_managed_login_branding(
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style_id,
        Settings={"categories": {"global": {"pageHeader": {"enabled": False}}}},
    )
    page.reload()
    expect(page.get_by_label("Username")).to_be_visible()
    # Settings merge: the header is off, the footer stays.
    assert page.locator("header.page-header").count() == 0 and page.locator("footer.page-footer").count() == 1
