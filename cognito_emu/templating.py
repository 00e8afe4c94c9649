"""HTML pages from plain templates: ``string.Template`` files in a package, every value escaped.

The hosted login (``cognito_emu.oauth``) and the console (``cognito_emu.web.console``) both render
with it; their templates ship as package data.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from string import Template


class Markup(str):
    """HTML that goes into a template unescaped."""


def escape(value: str) -> str:
    return value if isinstance(value, Markup) else html.escape(value)


@cache
def _template(package: str, name: str) -> Template:
    return Template(resources.files(package).joinpath("templates", name).read_text(encoding="utf-8"))


def render(package: str, template: str, /, **values: str) -> Markup:
    """``package``'s ``templates/<template>`` filled with escaped ``values`` (``Markup`` goes in as is).
    Both names are positional-only: templates have ``$package`` or ``$template`` of their own."""
    return Markup(_template(package, template).substitute({k: escape(v) for k, v in values.items()}))
