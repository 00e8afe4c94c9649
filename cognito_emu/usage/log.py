"""The usage log: which users of which pool were active in which calendar month, and how.

Cognito bills a user pool by its monthly active users: a user counts once in a calendar month (UTC)
when an identity operation concerns them (sign-up, sign-in, token refresh, password change, attribute
update or query, admin create or update). Client-credentials (M2M) token requests are billed apart, per
request and per app client that made one. Like the outbox, the log lives beside the state: a full
reset empties it, and it is not persisted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class Activity(StrEnum):
    SIGN_IN = "signIn"
    SIGN_UP = "signUp"
    REFRESH = "refresh"
    OTHER = "other"


def month_of(instant: float) -> str:
    """The calendar month (UTC) of an epoch instant, as ``YYYY-MM``."""
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m")


@dataclass(slots=True)
class PoolMonth:
    """One pool's activity in one month."""

    # sub -> the kinds of activity the user had
    users: dict[str, set[Activity]] = field(default_factory=dict)
    # app client id -> client-credentials token requests
    m2m_requests: dict[str, int] = field(default_factory=dict)


class UsageLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._months: dict[tuple[str, str], PoolMonth] = {}

    def _month(self, pool_id: str, instant: float) -> PoolMonth:
        key = (pool_id, month_of(instant))
        found = self._months.get(key)
        if found is None:
            found = self._months[key] = PoolMonth()
        return found

    def record_user(self, pool_id: str, sub: str, activity: Activity, at: float) -> None:
        with self._lock:
            self._month(pool_id, at).users.setdefault(sub, set()).add(activity)

    def record_m2m(self, pool_id: str, client_id: str, at: float) -> None:
        with self._lock:
            requests = self._month(pool_id, at).m2m_requests
            requests[client_id] = requests.get(client_id, 0) + 1

    def month(self, pool_id: str, month: str) -> PoolMonth:
        """A copy of the pool's activity in ``month`` (``YYYY-MM``); empty when there was none."""
        with self._lock:
            found = self._months.get((pool_id, month), PoolMonth())
            return PoolMonth(
                users={sub: set(kinds) for sub, kinds in found.users.items()},
                m2m_requests=dict(found.m2m_requests),
            )

    def keep_only(self, pool_ids: Iterable[str]) -> None:
        """Forget the pools that are gone (a reset of one account)."""
        kept = set(pool_ids)
        with self._lock:
            self._months = {key: value for key, value in self._months.items() if key[0] in kept}
