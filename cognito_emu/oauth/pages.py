"""The hosted pages: plain HTML from ``templates/`` filled by ``cognito_emu.templating`` (values escaped), in the
look ``page_style`` gives them."""

from __future__ import annotations

from cognito_emu import csrf
from cognito_emu.env import Env
from cognito_emu.oauth.page_style import DEFAULT, PageBar, PageStyle
from cognito_emu.oauth.wire import OAuthRequest, Reply
from cognito_emu.templating import Markup, render

__all__ = ["Markup", "error_page", "form_fragment", "fragment", "page", "shown_error"]

# The longest error code the /error page repeats: Cognito's are short words; anything longer is not one.
_ERROR_CHARS = 100


def fragment(template: str, /, **values: str) -> str:
    """A template of ``oauth/templates`` filled with escaped ``values``; pass safe HTML as ``Markup``."""
    return str(render("cognito_emu.oauth", template, **values))


def form_fragment(request: OAuthRequest, template: str, /, **values: str) -> str:
    """A template holding a form that posts: ``fragment`` with the browser session's CSRF token as
    ``$csrf`` (the form's hidden ``_csrf`` field); the routes refuse a form posted without it."""
    return fragment(template, csrf=request.csrf.value(), **values)


def page(
    style: PageStyle, title: str, content: str, status: int = 200, cookies: dict[str, str | None] | None = None
) -> Reply:
    body = fragment(
        "page.html",
        title=title,
        content=Markup(content),
        version=str(style.version),
        # page_style makes CSS that cannot leave its <style> element; HTML escaping would break its quotes.
        css=Markup(style.css),
        favicon=Markup(fragment("favicon.html", href=style.favicon) if style.favicon else ""),
        logo=Markup(fragment("logo.html", src=style.logo) if style.logo else ""),
        header=Markup(_bar("page_header.html", style.header)),
        footer=Markup(_bar("page_footer.html", style.footer)),
    )
    return Reply(status=status, body=body, cookies=cookies or {}, headers={"Cache-Control": "no-store"})


def _bar(template: str, bar: PageBar | None) -> str:
    if bar is None:
        return ""
    logo = fragment("bar_logo.html", src=bar.logo) if bar.logo else ""
    return fragment(template, location=bar.location, logo=Markup(logo))


def error_page(message: str, status: int = 400, style: PageStyle = DEFAULT) -> Reply:
    return page(style, "Error", fragment("error.html", message=message), status)


def shown_error(env: Env, request: OAuthRequest) -> Reply:
    """``GET /error``: where an authorize request with no trustworthy redirect_uri ends
    (``oauth.errors.ErrorPageRedirect``); 400, as Cognito answers it."""
    return error_page(request.args.get("error", "")[:_ERROR_CHARS] or "invalid_request")


def csrf_refused() -> Reply:
    return error_page(csrf.REFUSED, csrf.REFUSED_STATUS)
