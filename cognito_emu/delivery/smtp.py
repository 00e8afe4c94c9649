"""Delivery hooks for the outbox: EMAIL messages to an SMTP server (``--smtp HOST:PORT``), SMS to the log.

Every message is recorded in the outbox first; delivery is a convenience on top (a local mail catcher
such as Mailpit or MailHog shows what users would receive). It never changes an API call's answer:
mail is handed to a background thread, because the call that sends it holds the state lock, and a
failure to connect or send is logged as a warning and otherwise ignored.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from cognito_emu.delivery.outbox import Message
from cognito_emu.state import State

if TYPE_CHECKING:
    from email.message import EmailMessage

log = logging.getLogger("cognito_emu.delivery")

# The address Cognito's default email configuration (COGNITO_DEFAULT) sends from.
DEFAULT_SENDER = "no-reply@verificationemail.com"


def parse_address(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:25`` for IPv6) as (host, port); ValueError when it is not one."""
    host, sep, port = value.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"the SMTP server must be given as HOST:PORT, got {value!r}")
    return host, int(port)


def build_email(message: Message, sender: str) -> EmailMessage:
    # Imported here: only an emulator started with --smtp builds mail, and the email package costs
    # several milliseconds of every start (as smtplib below).
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.destination
    email["Subject"] = message.subject or ""
    email["Date"] = formatdate(message.time, localtime=False)
    email["Message-ID"] = make_msgid(idstring=message.id.replace("-", ""), domain="cognito-emu.local")
    email["X-Cognito-Emu-Reason"] = message.reason
    email["X-Cognito-Emu-User-Pool-Id"] = message.user_pool_id
    email["X-Cognito-Emu-Username"] = message.username
    email.set_content(message.body)
    if "<a href=" in message.body or "</" in message.body:
        # Templates may be HTML (a confirmation link always is); mail readers then show it rendered.
        email.add_alternative(message.body, subtype="html")
    return email


def pool_sender(state: State, default: str) -> Callable[[Message], str]:
    """The From address of a message: the EmailConfiguration.From of the pool (of the serving replica's
    Region) when it has one, else ``default``.

    Called while the sending API call holds the state lock, so reading the pool is safe.
    """

    def sender(message: Message) -> str:
        pool = state.find_pool(message.user_pool_id)
        configured = (pool.regional("EmailConfiguration") or {}).get("From") if pool is not None else None
        return str(configured or default)

    return sender


class SmtpDeliverer:
    """An outbox deliverer that sends EMAIL messages with ``smtplib``, one at a time, off the request path."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str | Callable[[Message], str] = DEFAULT_SENDER,
        timeout: float = 10.0,
    ) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self._sender = sender if callable(sender) else (lambda _message, fixed=sender: fixed)
        self._queue: queue.Queue[tuple[Message, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __call__(self, message: Message) -> None:
        if message.channel != "EMAIL":
            return
        sender = self._sender(message)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="cognito-emu-smtp", daemon=True)
                self._thread.start()
        self._queue.put((message, sender))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self.send(*item)
            finally:
                self._queue.task_done()

    def send(self, message: Message, sender: str) -> bool:
        """Deliver one message now; True when the server accepted it. Failures are logged, never raised."""
        # Imported here: only an emulator started with --smtp sends mail, and smtplib costs start-up time.
        import smtplib

        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(build_email(message, sender))
        except (OSError, smtplib.SMTPException) as exc:
            log.warning(
                "could not deliver %s email to %s through %s:%d: %s",
                message.reason,
                message.destination,
                self.host,
                self.port,
                exc,
            )
            return False
        log.info(
            "delivered %s email to %s through %s:%d",
            message.reason,
            message.destination,
            self.host,
            self.port,
        )
        return True

    def flush(self) -> None:
        """Wait until every queued message has been tried."""
        self._queue.join()

    def close(self) -> None:
        """Try what is queued, then stop the worker thread."""
        with self._lock:
            thread = self._thread
            self._thread = None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout=self.timeout + 5)


def log_sms(message: Message) -> None:
    """SMS go nowhere: they are logged at info level (and stay readable in the outbox)."""
    if message.channel == "SMS":
        log.info(
            "SMS to %s (%s, pool %s): %s",
            message.destination,
            message.reason,
            message.user_pool_id,
            message.body,
        )
