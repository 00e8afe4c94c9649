"""What the OAuth endpoints take and answer, free of any web framework."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from cognito_emu.csrf import FormToken
from cognito_emu.idp.models import UserPool

# The hosted-login session cookie (Cognito names its own "cognito").
SESSION_COOKIE = "cognito"


@dataclass(slots=True)
class OAuthRequest:
    method: str
    # Query string and form body, first value of each name.
    args: dict[str, str]
    form: dict[str, str]
    authorization: str | None
    cookies: dict[str, str]
    content_type: str
    # The tokens' issuer base (idp.tokens.issuer): the emulator's own base URL, scheme://host, or
    # tokens.AWS_ISSUER for a request that came to a pool domain's Host.
    base_url: str
    # Where this domain's endpoints live: base_url itself for a domain Host, base_url/_oauth/<domain>
    # for the path prefix on plain localhost.
    route_base: str
    # The pool of the domain the request came through; None when neither Host nor path named one (the
    # endpoints then find the pool through the client id or the token).
    pool: UserPool | None
    # The browser session's CSRF token: every form a page shows carries it (pages.form_fragment).
    csrf: FormToken
    user_agent: str = ""
    # The client's IP address (X-Forwarded-For), for threat protection.
    source_ip: str | None = None
    # The domain the request came through (by Host or path prefix); None on plain localhost /oauth2/...
    domain: str | None = None


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: str = ""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    # name -> value to set, or None to clear.
    cookies: dict[str, str | None] = field(default_factory=dict)


def json_reply(
    data: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
) -> Reply:
    return Reply(status=status, body=json.dumps(data), content_type=content_type, headers=headers or {})


def redirect(location: str, cookies: dict[str, str | None] | None = None) -> Reply:
    return Reply(status=302, headers={"Location": location}, cookies=cookies or {})


def with_query(url: str, params: dict[str, str | None]) -> str:
    """``url`` with ``params`` (None values dropped) appended to its query string."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def with_fragment(url: str, params: dict[str, str | None]) -> str:
    return f"{url}#{urlencode({k: v for k, v in params.items() if v is not None})}"
