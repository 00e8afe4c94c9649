"""The hosted pages: plain HTML from ``templates/`` filled with ``string.Template`` (values escaped)."""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from string import Template

from cognito_emu.oauth.wire import Reply


@cache
def _template(name: str) -> Template:
    return Template(resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8"))


def fragment(template: str, /, **values: str) -> str:
    """A template filled with escaped ``values``; pass HTML that is already safe as ``Markup``. The
    template's name is positional-only: templates have a ``$name`` of their own."""
    return _template(template).substitute(
        {k: v if isinstance(v, Markup) else html.escape(v) for k, v in values.items()}
    )


class Markup(str):
    """HTML that goes into a template unescaped."""


def page(title: str, content: str, status: int = 200, cookies: dict[str, str | None] | None = None) -> Reply:
    body = fragment("page.html", title=title, content=Markup(content))
    return Reply(status=status, body=body, cookies=cookies or {}, headers={"Cache-Control": "no-store"})


def error_page(message: str, status: int = 400) -> Reply:
    return page("Error", fragment("error.html", message=message), status)
