"""The hosted pages: plain HTML from ``templates/`` filled by ``cognito_emu.templating`` (values escaped)."""

from __future__ import annotations

from cognito_emu.oauth.wire import Reply
from cognito_emu.templating import Markup, render

__all__ = ["Markup", "error_page", "fragment", "page"]


def fragment(template: str, /, **values: str) -> str:
    """A template of ``oauth/templates`` filled with escaped ``values``; pass safe HTML as ``Markup``."""
    return str(render("cognito_emu.oauth", template, **values))


def page(title: str, content: str, status: int = 200, cookies: dict[str, str | None] | None = None) -> Reply:
    body = fragment("page.html", title=title, content=Markup(content))
    return Reply(status=status, body=body, cookies=cookies or {}, headers={"Cache-Control": "no-store"})


def error_page(message: str, status: int = 400) -> Reply:
    return page("Error", fragment("error.html", message=message), status)
