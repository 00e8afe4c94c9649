"""The ways an OAuth endpoint fails (RFC 6749 section 4.1.2.1 / 5.2, as Cognito answers them)."""

from __future__ import annotations


class OAuthError(Exception):
    """A JSON error answer: ``{"error": ...}`` with HTTP 400, or 401 for ``invalid_client``.

    ``reason`` is the emulator's explanation: logged, never sent (Cognito sends only ``error``).
    """

    def __init__(self, error: str, reason: str = "", status: int | None = None) -> None:
        super().__init__(f"{error}: {reason}" if reason else error)
        self.error = error
        self.reason = reason
        self.status = status if status is not None else (401 if error == "invalid_client" else 400)


class RedirectError(Exception):
    """An authorize-request error sent back to the client's (already checked) redirect_uri, with an
    ``error_description`` only where Cognito sends one; ``reason`` is logged, never sent."""

    def __init__(
        self,
        redirect_uri: str,
        error: str,
        state: str | None,
        description: str | None = None,
        *,
        reason: str = "",
    ):
        super().__init__(f"{error}: {description or reason}" if description or reason else error)
        self.redirect_uri = redirect_uri
        self.error = error
        self.state = state
        self.description = description


class ErrorPageRedirect(Exception):
    """An authorize-request error with no redirect_uri to trust (an unknown or missing client_id, a
    redirect_uri the client did not register): Cognito sends the browser to the domain's own error page,
    ``/error?error=<error>&client_id=<client_id>`` (as users of the hosted UI report it, e.g.
    ``error=redirect_mismatch``), which answers 400 with "An error was encountered with the requested page."

    ``reason`` is the emulator's explanation: logged, never sent.
    """

    def __init__(self, error: str, client_id: str | None, reason: str) -> None:
        super().__init__(f"{error}: {reason}")
        self.error = error
        self.client_id = client_id
        self.reason = reason


class PageError(Exception):
    """An error shown to the user as a page, when there is no trustworthy redirect_uri to send it to."""

    def __init__(self, error: str, message: str, status: int = 400) -> None:
        super().__init__(f"{error}: {message}")
        self.error = error
        self.message = message
        self.status = status
