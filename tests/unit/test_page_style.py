"""What a branding style puts into a hosted page: only checked colours, radii and base64 images, and CSS that
cannot leave its <style> element."""

from __future__ import annotations

from typing import Any

from cognito_emu.oauth import page_style


def _style(settings: dict[str, Any], assets: list[dict[str, Any]] | None = None) -> page_style.PageStyle:
    return page_style.managed_login_style(
        {"UseCognitoProvidedValues": False, "Settings": settings, "Assets": assets or []}
    )


def test_classic_css_cannot_close_its_style_element() -> None:
    css = page_style.safe_css(".logo-customizable { color: red; }</style><script>alert(1)</script>")
    assert "<" not in css
    assert css.startswith(".logo-customizable { color: red; }")


def test_only_colours_of_cognitos_shape_reach_the_css() -> None:
    style = _style(
        {
            "components": {
                "primaryButton": {"lightMode": {"defaults": {"backgroundColor": "C80000FF"}}},
                "pageBackground": {"lightMode": {"color": "red; } body { display: none"}},
            }
        }
    )
    assert "button { background-color: #c80000ff;" in style.css
    assert "display: none" not in style.css
    assert "body { background-color: #f2f3f3ff; }" in style.css


def test_dynamic_scheme_follows_the_browser() -> None:
    style = _style(
        {
            "categories": {"global": {"colorSchemeMode": "DYNAMIC"}},
            "components": {"primaryButton": {"darkMode": {"defaults": {"backgroundColor": "ffa500ff"}}}},
        }
    )
    light, dark = style.css.split("@media (prefers-color-scheme: dark)")
    assert "#0972d3ff" in light
    assert "button { background-color: #ffa500ff;" in dark


def test_radii_are_numbers_within_reason() -> None:
    style = _style(
        {"componentClasses": {"buttons": {"borderRadius": 20}, "input": {"borderRadius": "9px; x"}}}
    )
    assert "button { border-radius: 20px; }" in style.css
    assert "input { border-radius: 8px; }" in style.css


def test_images_are_base64_data_urls_of_their_extension() -> None:
    good = {"Category": "FORM_LOGO", "ColorMode": "DYNAMIC", "Extension": "SVG", "Bytes": "PHN2Zy8+"}
    assert _style({}, [good]).logo == "data:image/svg+xml;base64,PHN2Zy8+"
    bad = {**good, "Bytes": 'x" onerror="alert(1)'}
    assert _style({}, [bad]).logo == ""
    hidden = _style({"components": {"form": {"logo": {"enabled": False}}}}, [good])
    assert hidden.logo == ""
