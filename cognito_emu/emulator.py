"""Emulator: owns configuration, clock, ids and state, and builds the WSGI app every mode serves."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from cognito_emu.clock import Clock
from cognito_emu.config import Config
from cognito_emu.env import Env
from cognito_emu.idp import smtp
from cognito_emu.idp.outbox import Outbox
from cognito_emu.ids import Ids
from cognito_emu.state import State
from cognito_emu.web.app import Application


class Emulator:
    """One emulated Cognito: use it as a WSGI app, or ``with Emulator() as emu:`` for a server thread."""

    def __init__(self, config: Config | None = None, **settings: Any) -> None:
        self.config = config or Config.from_env(**settings)
        self.clock = Clock()
        self.ids = Ids(self.config.deterministic)
        self.state = State()
        self.outbox = Outbox()
        self._deliver_mail(self.config)
        self.env = Env(config=self.config, clock=self.clock, ids=self.ids, state=self.state, outbox=self.outbox)
        self.app = Application(self)
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def _deliver_mail(self, config: Config) -> None:
        """SMS are logged; with ``config.smtp`` set, emails also go to that SMTP server (ValueError if malformed)."""
        self.outbox.deliverers.append(smtp.log_sms)
        if config.smtp:
            host, port = smtp.parse_address(config.smtp)
            sender = smtp.pool_sender(self.state, config.smtp_from)
            self.outbox.deliverers.append(smtp.SmtpDeliverer(host, port, sender))

    def reset(self, account: str | None = None) -> None:
        with self.state.lock:
            self.state.reset(account)
            if account is None:
                self.outbox.clear()
                self.clock.reset()
                self.ids.reseed()

    # -- server thread -------------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not serving; call start() or use it as a context manager")
        return f"http://{self.config.host}:{self._server.port}"

    def start(self) -> Emulator:
        from cognito_emu.server import make_server

        if self._server is None:
            self._server = make_server(self.app, self.config.host, self.config.port)
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="cognito-emu", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def client(self, service_name: str = "cognito-idp", **kwargs: Any) -> Any:
        """A boto3 client bound to this emulator's server, with dummy credentials."""
        import boto3

        kwargs.setdefault("region_name", self.config.region)
        kwargs.setdefault("aws_access_key_id", "testing")
        kwargs.setdefault("aws_secret_access_key", "testing")
        return boto3.client(service_name, endpoint_url=self.endpoint_url, **kwargs)
