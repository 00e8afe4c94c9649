"""Small HTML builders for the console. Every value is escaped unless it is ``Markup`` built here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from cognito_emu.templating import Markup, escape

Cell = str | int | float | None
# Longer values (tokens, long attribute values) may wrap anywhere; shorter ones wrap between words only.
LONG = 40


def cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    text = str(value)
    return f'<span class="long">{escape(text)}</span>' if len(text) > LONG else escape(text)


def table(headers: Sequence[str], rows: Iterable[Sequence[Cell]], empty: str = "None.") -> Markup:
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>\n" for row in rows)
    if not body:
        return paragraph(empty, "empty")
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return Markup(f"<table>\n<tr>{head}</tr>\n{body}</table>\n")


def definitions(items: Iterable[tuple[str, Cell]]) -> Markup:
    return Markup(
        "<dl>\n" + "".join(f"<dt>{escape(k)}</dt><dd>{cell(v)}</dd>\n" for k, v in items) + "</dl>\n"
    )


def link(href: str, text: str) -> Markup:
    return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')


def path(*segments: str) -> str:
    """A console URL with each segment percent-encoded (usernames and ids may hold any character)."""
    return "/_emu/ui/" + "/".join(quote(segment, safe="") for segment in segments)


def heading(text: str) -> Markup:
    return Markup(f"<h2>{escape(text)}</h2>\n")


def paragraph(text: str, css: str | None = None) -> Markup:
    attribute = f' class="{css}"' if css else ""
    return Markup(f"<p{attribute}>{escape(text)}</p>\n")


def code_block(value: Any) -> Markup:
    return Markup(f"<pre>{escape(json.dumps(value, indent=2, sort_keys=True, default=str))}</pre>\n")


def when(instant: float | None) -> str:
    if instant is None:
        return ""
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def hidden(value: str | None, shown: bool) -> Cell:
    """A secret: the value when the page was asked for secrets, else a placeholder."""
    if value is None:
        return None
    return value if shown else Markup('<span class="hidden">hidden</span>')
