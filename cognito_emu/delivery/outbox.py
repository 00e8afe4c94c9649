"""Every email and SMS Cognito would send, recorded so tests can read codes and links."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    time: float
    account: str
    region: str
    user_pool_id: str
    username: str
    channel: str  # "EMAIL" or "SMS"
    destination: str
    subject: str | None
    body: str
    # Why Cognito sent it, named as the CustomMessage trigger sources name it (SignUp, ForgotPassword, ...).
    reason: str
    code: str | None = None
    temporary_password: str | None = None
    link: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Outbox:
    """Messages in the order they were sent. Delivery hooks (SMTP, log) run after recording."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []
        self.deliverers: list[Callable[[Message], None]] = []

    def record(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)
        for deliver in self.deliverers:
            deliver(message)

    def messages(
        self,
        *,
        user_pool_id: str | None = None,
        username: str | None = None,
        destination: str | None = None,
        channel: str | None = None,
        reason: str | None = None,
        since: float | None = None,
    ) -> list[Message]:
        with self._lock:
            found = list(self._messages)
        return [
            m
            for m in found
            if (user_pool_id is None or m.user_pool_id == user_pool_id)
            and (username is None or m.username == username)
            and (destination is None or m.destination == destination)
            and (channel is None or m.channel == channel.upper())
            and (reason is None or m.reason == reason)
            and (since is None or m.time >= since)
        ]

    def last(self, username: str | None = None, **filters: Any) -> Message | None:
        """The newest message to ``username`` (matched against the username or the destination)."""
        for message in reversed(self.messages(**filters)):
            if username is None or username in (message.username, message.destination):
                return message
        return None

    def last_code(self, username: str | None = None, **filters: Any) -> str | None:
        for message in reversed(self.messages(**filters)):
            if message.code and (username is None or username in (message.username, message.destination)):
                return message.code
        return None

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def __len__(self) -> int:
        return len(self._messages)
