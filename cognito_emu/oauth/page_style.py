"""How the hosted pages look: the branding version of the domain a request came through, and the app client's
branding for that version (developer guide, "Apply branding to managed login pages").

- Version 1, the hosted UI (classic): the UI customization of the app client, else the pool's ``ALL`` one
  (SetUICustomization). Its CSS goes into the page after the default look, so the documented classes
  (``background-customizable``, ``banner-customizable``, ``logo-customizable``, ``label-customizable``,
  ``inputField-customizable``, ``submitButton-customizable``, ``errorMessage-customizable``,
  ``textDescription-customizable``, ``redirect-customizable``, ...) style the elements that carry them; the
  logo (ImageFile) is centred above the fields.
- Version 2, managed login: the app client's branding style (CreateManagedLoginBranding). Without one the
  client's pages do not work ("When an app client doesn't have a style assigned, your managed login pages for
  that app client are nonfunctional", DeleteManagedLoginBranding), so they answer an error page. A style's
  Settings give the colours of the page, the form, the text, the labels, the inputs, the links and the
  primary button (``lightMode`` / ``darkMode`` by ``categories.global.colorSchemeMode``: LIGHT, DARK, or
  DYNAMIC for the browser's preference) and the corner radii; its Assets give the form's logo (FORM_LOGO),
  the page's background image (PAGE_BACKGROUND) and the favicon (FAVICON_ICO, FAVICON_SVG), each of the
  scheme's ColorMode or DYNAMIC. What the style leaves out, and a style of UseCognitoProvidedValues, has the
  emulator's stand-in for Cognito's default look (``COGNITO_LIGHT``, ``COGNITO_DARK``): Cognito does not
  publish its own. Colours are Cognito's eight hex digits (RRGGBBAA); a value of another shape is ignored.
  The page header and footer are drawn when ``categories.global.pageHeader`` / ``pageFooter`` are
  ``enabled``: ``components.pageHeader`` / ``pageFooter`` give their ``background.color`` and
  ``borderColor`` per mode, their logo (PAGE_HEADER_LOGO / PAGE_FOOTER_LOGO, unless ``logo.enabled`` is
  false) at ``logo.location`` (START, CENTER, END) and, when ``backgroundImage.enabled``, their background
  image (PAGE_HEADER_BACKGROUND / PAGE_FOOTER_BACKGROUND). The guide does not publish the Settings schema;
  these member names are those of the styles Cognito returns (DescribeManagedLoginBranding with
  ReturnMergedResources), as projects that deploy them show.

Nothing a style holds reaches the page unchecked: colours and radii are validated, images become data: URLs
of base64 text, and CSS cannot close its ``<style>`` element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.idp.pool import branding
from cognito_emu.idp.pool.pool_settings import ALL_CLIENTS
from cognito_emu.oauth.authorize import AuthorizeRequest
from cognito_emu.oauth.errors import PageError
from cognito_emu.oauth.wire import OAuthRequest

CLASSIC = 1
MANAGED_LOGIN = 2
NO_STYLE = (
    "Managed login has no branding style for app client {client_id}: create one with "
    "CreateManagedLoginBranding (UseCognitoProvidedValues gives Cognito's look)."
)

_COLOUR = re.compile(r"[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_IMAGE_TYPES = {
    "ICO": "image/x-icon",
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "SVG": "image/svg+xml",
    "WEBP": "image/webp",
}

# Where each colour of a style sits (the member path below components / componentClasses, with the mode's
# key after the component) and what it paints.
_COLOURS: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("components", "pageBackground", ("color",), "body", "background-color"),
    ("components", "form", ("backgroundColor",), "main", "background-color"),
    ("components", "form", ("borderColor",), "main", "border-color"),
    ("components", "pageText", ("bodyColor",), "main", "color"),
    ("components", "pageText", ("headingColor",), "h1", "color"),
    ("components", "pageText", ("descriptionColor",), ".textDescription-customizable", "color"),
    ("components", "primaryButton", ("defaults", "backgroundColor"), "button", "background-color"),
    ("components", "primaryButton", ("defaults", "textColor"), "button", "color"),
    ("components", "primaryButton", ("hover", "backgroundColor"), "button:hover", "background-color"),
    ("components", "primaryButton", ("hover", "textColor"), "button:hover", "color"),
    ("componentClasses", "link", ("defaults", "textColor"), "a", "color"),
    ("componentClasses", "link", ("hover", "textColor"), "a:hover", "color"),
    ("componentClasses", "inputLabel", ("textColor",), "label", "color"),
    ("componentClasses", "input", ("defaults", "backgroundColor"), "input", "background-color"),
    ("componentClasses", "input", ("defaults", "borderColor"), "input", "border-color"),
    ("componentClasses", "focusState", ("borderColor",), "input:focus", "border-color"),
)
# Corner radii in pixels (not per mode).
_RADII: tuple[tuple[str, str, str], ...] = (
    ("components", "form", "main"),
    ("componentClasses", "buttons", "button"),
    ("componentClasses", "input", "input"),
)

# The emulator's stand-in for Cognito's managed login look: (selector, property) -> colour.
COGNITO_LIGHT = {
    ("body", "background-color"): "f2f3f3ff",
    ("main", "background-color"): "ffffffff",
    ("main", "border-color"): "c6c6cdff",
    ("main", "color"): "414d5cff",
    ("h1", "color"): "000716ff",
    (".textDescription-customizable", "color"): "414d5cff",
    ("button", "background-color"): "0972d3ff",
    ("button", "color"): "ffffffff",
    ("button:hover", "background-color"): "033160ff",
    ("a", "color"): "0972d3ff",
    ("label", "color"): "000716ff",
    ("input", "background-color"): "ffffffff",
    ("input", "border-color"): "7d8998ff",
    ("input:focus", "border-color"): "0972d3ff",
}
COGNITO_DARK = {
    ("body", "background-color"): "0f1b2aff",
    ("main", "background-color"): "192534ff",
    ("main", "border-color"): "424650ff",
    ("main", "color"): "c6c6cdff",
    ("h1", "color"): "e9ebedff",
    (".textDescription-customizable", "color"): "c6c6cdff",
    ("button", "background-color"): "539fe5ff",
    ("button", "color"): "000716ff",
    ("button:hover", "background-color"): "89bdeeff",
    ("a", "color"): "539fe5ff",
    ("label", "color"): "e9ebedff",
    ("input", "background-color"): "0f1b2aff",
    ("input", "border-color"): "7d8998ff",
    ("input:focus", "border-color"): "539fe5ff",
}
_COGNITO_RADIUS = 8
# Where a page header's or footer's logo may sit (logo.location).
_LOGO_LOCATIONS = ("START", "CENTER", "END")


@dataclass(frozen=True, slots=True)
class PageBar:
    """The page header or footer of a managed login style: its logo (a data: URL, or "") and where it sits."""

    logo: str = ""
    location: str = "START"


@dataclass(frozen=True, slots=True)
class PageStyle:
    """What a page adds to the default look: CSS text (safe inside ``<style>``) and images as data: URLs."""

    version: int = CLASSIC
    css: str = ""
    logo: str = ""
    favicon: str = ""
    # Managed login's page header and footer, when the style turns them on.
    header: PageBar | None = None
    footer: PageBar | None = None


DEFAULT = PageStyle()


def style_of(pool: UserPool, client: AppClient, domain: str | None) -> PageStyle:
    """The look of ``client``'s pages served through ``domain`` (None: the pool's own domain)."""
    if managed_login_version(pool, domain) == CLASSIC:
        return _classic(pool, client)
    style = branding.style_of_client(pool, client.client_id)
    if style is None:
        raise PageError("invalid_request", NO_STYLE.format(client_id=client.client_id))
    return managed_login_style(style)


def managed_login_version(pool: UserPool, domain: str | None) -> int:
    entry = pool.domains.get(domain or pool.domain or pool.custom_domain or "")
    return entry.managed_login_version if entry is not None else CLASSIC


def _classic(pool: UserPool, client: AppClient) -> PageStyle:
    customization = pool.ui_customizations.get(client.client_id) or pool.ui_customizations.get(ALL_CLIENTS)
    if customization is None:
        return DEFAULT
    return PageStyle(
        version=CLASSIC,
        css=safe_css(customization.get("CSS") or ""),
        logo=customization.get("ImageUrl") or "",
    )


def safe_css(css: str) -> str:
    """``css`` that cannot end its ``<style>`` element: ``<`` has no use in CSS outside strings and
    comments, where its escape ``\\3c`` reads the same."""
    return css.replace("<", "\\3c ")


def managed_login_style(style: dict[str, Any]) -> PageStyle:
    """The look a managed login branding style gives (its Settings and Assets, Cognito's defaults elsewhere)."""
    settings = style.get("Settings") if not style.get("UseCognitoProvidedValues") else {}
    settings = settings if isinstance(settings, dict) else {}
    scheme = str(_member(settings, ("categories", "global", "colorSchemeMode")) or "LIGHT").upper()
    if scheme == "DARK":
        css = _colour_rules(settings, "darkMode", COGNITO_DARK)
    elif scheme == "DYNAMIC":
        dark = _colour_rules(settings, "darkMode", COGNITO_DARK)
        css = (
            _colour_rules(settings, "lightMode", COGNITO_LIGHT)
            + f"@media (prefers-color-scheme: dark) {{\n{dark}}}\n"
        )
    else:
        css = _colour_rules(settings, "lightMode", COGNITO_LIGHT)
    css += _radius_rules(settings)
    mode = "DARK" if scheme == "DARK" else "LIGHT"
    assets = style.get("Assets") or []
    background = _asset(assets, "PAGE_BACKGROUND", mode)
    if background and _member(settings, ("components", "pageBackground", "image", "enabled")) is not False:
        css += f'body {{ background-image: url("{background}"); background-size: cover; }}\n'
    logo = _asset(assets, "FORM_LOGO", mode)
    if _member(settings, ("components", "form", "logo", "enabled")) is False:
        logo = ""
    favicon = _asset(assets, "FAVICON_SVG", mode) or _asset(assets, "FAVICON_ICO", mode)
    bars: dict[str, PageBar | None] = {}
    for name in ("pageHeader", "pageFooter"):
        bar, bar_css = _page_bar(settings, assets, name, scheme)
        bars[name] = bar
        css += bar_css
    return PageStyle(
        version=MANAGED_LOGIN,
        css=css,
        logo=logo,
        favicon=favicon,
        header=bars["pageHeader"],
        footer=bars["pageFooter"],
    )


def _page_bar(
    settings: dict[str, Any], assets: list[dict[str, Any]], name: str, scheme: str
) -> tuple[PageBar | None, str]:
    """The page header or footer (``name``) and its CSS, or None when the style does not turn it on."""
    if _member(settings, ("categories", "global", name, "enabled")) is not True:
        return None, ""
    component = ("components", name)
    selector = "header.page-header" if name == "pageHeader" else "footer.page-footer"
    category = "PAGE_HEADER" if name == "pageHeader" else "PAGE_FOOTER"
    modes = {"DARK": ("darkMode",), "DYNAMIC": ("lightMode", "darkMode")}.get(scheme, ("lightMode",))
    css = ""
    for mode_key in modes:
        decls = []
        background = _member(settings, (*component, mode_key, "background", "color"))
        if isinstance(background, str) and _COLOUR.fullmatch(background):
            decls.append(f"background-color: #{background.lower()};")
        border = _member(settings, (*component, mode_key, "borderColor"))
        if isinstance(border, str) and _COLOUR.fullmatch(border):
            decls.append(f"border-color: #{border.lower()};")
        rule = f"{selector} {{ {' '.join(decls)} }}\n" if decls else ""
        if mode_key == "darkMode" and scheme == "DYNAMIC" and rule:
            rule = f"@media (prefers-color-scheme: dark) {{\n{rule}}}\n"
        css += rule
    mode = "DARK" if scheme == "DARK" else "LIGHT"
    image = _asset(assets, f"{category}_BACKGROUND", mode)
    if image and _member(settings, (*component, "backgroundImage", "enabled")) is True:
        css += f'{selector} {{ background-image: url("{image}"); background-size: cover; }}\n'
    logo = "" if _member(settings, (*component, "logo", "enabled")) is False else _asset(assets, f"{category}_LOGO", mode)
    location = str(_member(settings, (*component, "logo", "location")) or "START").upper()
    return PageBar(logo=logo, location=location if location in _LOGO_LOCATIONS else "START"), css


def _member(document: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def _colour_rules(settings: dict[str, Any], mode: str, defaults: dict[tuple[str, str], str]) -> str:
    colours = dict(defaults)
    for group, component, path, selector, prop in _COLOURS:
        value = _member(settings, (group, component, mode, *path))
        if isinstance(value, str) and _COLOUR.fullmatch(value):
            colours[selector, prop] = value
    rules: dict[str, list[str]] = {}
    for (selector, prop), value in colours.items():
        rules.setdefault(selector, []).append(f"{prop}: #{value.lower()};")
    return "".join(f"{selector} {{ {' '.join(decls)} }}\n" for selector, decls in rules.items())


def _radius_rules(settings: dict[str, Any]) -> str:
    rules = []
    for group, component, selector in _RADII:
        value = _member(settings, (group, component, "borderRadius"))
        # Cognito's own styles carry these as numbers with a fraction (28.0).
        radius = (
            value
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100
            else None
        )
        shown = _COGNITO_RADIUS if radius is None else f"{radius:g}"
        rules.append(f"{selector} {{ border-radius: {shown}px; }}\n")
    return "".join(rules)


def _asset(assets: list[dict[str, Any]], category: str, mode: str) -> str:
    """The data: URL of the ``category`` asset for ``mode`` (else its DYNAMIC one), or ""."""
    for wanted in (mode, "DYNAMIC"):
        for asset in assets:
            if asset.get("Category") == category and asset.get("ColorMode") == wanted:
                return _data_url(asset)
    return ""


def _data_url(asset: dict[str, Any]) -> str:
    kind = _IMAGE_TYPES.get(str(asset.get("Extension", "")).upper())
    data = asset.get("Bytes")
    if kind is None or not isinstance(data, str) or not _BASE64.fullmatch(data):
        return ""
    return f"data:{kind};base64,{data}"


def of(request: OAuthRequest, authz: AuthorizeRequest) -> PageStyle:
    """The look of the pages of an authorize request's app client, through the request's domain. Called
    before a page acts, too: a managed login client without a style has pages that do nothing."""
    return style_of(authz.pool, authz.client, request.domain)
