"""CSRF tokens of the browser forms: the hosted login pages and the console's buttons.

Cognito's hosted UI guards its forms with a double-submit token: the page sets an ``XSRF-TOKEN`` cookie and
carries the same value in each form's hidden ``_csrf`` field; a form posted without the field, or with a
value other than the browser's own cookie, is refused. A page on another site can make a browser post a
form, but it can neither read the cookie nor (SameSite=Lax) have it sent with a cross-site POST, so it
cannot supply the matching field; a token taken from another browser session does not match this one's
cookie. The cookie lives as long as the browser session.

Framework-free: the hosted routes (``web.oauth_routes``) and the console (``web.console``) read the cookie
and the field and set the cookie when ``FormToken.minted`` says a new token was drawn.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass

COOKIE = "XSRF-TOKEN"
FIELD = "_csrf"
# What Ids.form_token draws; a cookie of another shape is not one of ours and is replaced.
_SHAPE = re.compile(r"[0-9a-f]{64}")
REFUSED_STATUS = 403
REFUSED = (
    "This form was posted without the CSRF token of this browser session "
    f"(the {FIELD} field must match the {COOKIE} cookie). Go back, reload the page and try again."
)


@dataclass(slots=True)
class FormToken:
    """The token of one request's browser session: the cookie it sent, or a new one drawn on first use."""

    cookie: str | None
    mint: Callable[[], str]
    minted: str | None = None

    def value(self) -> str:
        """What a form on the page carries in its ``_csrf`` field."""
        if self.cookie is not None and _SHAPE.fullmatch(self.cookie):
            return self.cookie
        if self.minted is None:
            self.minted = self.mint()
        return self.minted

    def accepts(self, posted: str | None) -> bool:
        """Whether a posted form's field matches the browser's cookie (compared in constant time)."""
        if self.cookie is None or posted is None or not _SHAPE.fullmatch(self.cookie):
            return False
        return hmac.compare_digest(self.cookie.encode(), posted.encode("utf-8", "replace"))
