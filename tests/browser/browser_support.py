"""Headless Chromium for the browser tests, and a small web app on another origin for them to drive.

The browser is Debian's ``chromium`` (``make test`` installs it with apt-get when it is missing), driven by
Playwright's Python API pointed at that executable: Playwright's own browser download cannot work where
only the package registries are reachable. A browser that cannot start fails the test that needs it.

Chromium runs with the flags a closed network needs (no background networking, no component updates, no
QUIC, no sync), a fresh profile, and ``localhost`` mapped to 127.0.0.1: every server here listens on
127.0.0.1 only, and the hosted login accepts plain-http callback URLs only on ``localhost``, so the test
app is served at ``http://localhost:<port>``: another origin (and another site) than the emulator's
``http://127.0.0.1:<port>``, so CORS and the hosted-login cookie are exercised as on a real deployment.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Mapping
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page

APP_DIR = Path(__file__).resolve().parent / "app"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP localhost 127.0.0.1",
]


def page_call(page: Page, function: str, *args: Any) -> dict[str, Any]:
    """Await ``window.<function>(...args)`` in the page; its JSON answer, which must not be an error."""
    result: dict[str, Any] = page.evaluate(f"(args) => window.{function}(...args)", list(args))
    assert "error" not in result, result
    return result


class BrowserUnavailable(Exception):
    """Chromium cannot be started here; the browser tests fail with this message."""


def chromium_executable() -> str:
    """``$COGNITO_EMU_CHROMIUM``, else ``chromium`` on PATH (Debian's package puts it in /usr/bin)."""
    configured = os.environ.get("COGNITO_EMU_CHROMIUM")
    found = configured or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).is_file():
        raise BrowserUnavailable(
            "no Chromium executable: install Debian's chromium package (make test does, as root) "
            "or set COGNITO_EMU_CHROMIUM"
        )
    return found


class _AppHandler(SimpleHTTPRequestHandler):
    """Static files of ``app/``, ``/config.js`` from the server's settings, the published files (bundles),
    and any other path without a file extension answered by ``index.html``."""

    server: AppServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == "/config.js":
            body = f"window.APP_CONFIG = {json.dumps(self.server.settings)};\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        published = self.server.published.get(path)
        if published is not None:
            self._send_file(published)
            return
        if "." not in path.rsplit("/", 1)[-1]:
            # /callback, /signed-out, ...: one page of the app answers every route, as a single-page app does.
            self.path = "/index.html"
        super().do_GET()

    def _send_file(self, file: Path) -> None:
        body = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test reads what the page shows, not the access log."""


class AppServer(ThreadingHTTPServer):
    """The test app: ``app/`` served at ``http://localhost:<port>``; ``settings`` become ``window.APP_CONFIG``."""

    daemon_threads = True

    def __init__(self, directory: Path = APP_DIR) -> None:
        super().__init__(("127.0.0.1", 0), partial(_AppHandler, directory=str(directory)))
        self.settings: dict[str, Any] = {}
        self.published: dict[str, Path] = {}
        self._thread = threading.Thread(target=self.serve_forever, name="browser-test-app", daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        return f"http://localhost:{self.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return f"{self.origin}{path}"

    def configure(self, settings: Mapping[str, Any]) -> None:
        """What the app's pages see as ``window.APP_CONFIG`` from their next load on."""
        self.settings = dict(settings)

    def publish(self, path: str, file: Path) -> None:
        """Serve ``file`` (a bundle built outside ``app/``) at ``path``."""
        self.published[path] = file

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join()


def virtual_authenticator(browser_context: BrowserContext, page: Page) -> tuple[Any, str]:
    """A platform authenticator with user verification, through the page's DevTools session."""
    devtools = browser_context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools, added["authenticatorId"]
