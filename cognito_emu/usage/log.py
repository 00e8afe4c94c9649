"""The usage log: which users of a pool were active in which calendar month, and how.

Cognito bills a user pool by its monthly active users: a user counts once in a calendar month (UTC)
when an identity operation concerns them (sign-up, sign-in, token refresh, password change, attribute
update or query, admin create or update). Client-credentials (M2M) token requests are billed apart, per
request and per app client that made one.

The log is part of its pool (``UserPool.usage``, month -> ``PoolMonth``), so it goes wherever the pool
goes: a snapshot carries it, a restore brings it back, a reset or a deleted pool takes it away. With
``--data-dir`` each month is a row and each of its active users another (``cognito_emu.state.families``),
so a sign-in writes that one user's row, not the month. Call these under the state lock.
"""

from __future__ import annotations

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
class ActiveUser:
    """One user's activity in one month."""

    activity: set[Activity] = field(default_factory=set)


@dataclass(slots=True)
class PoolMonth:
    """One pool's activity in one month."""

    # sub -> what the user did
    users: dict[str, ActiveUser] = field(default_factory=dict)
    # app client id -> client-credentials token requests
    m2m_requests: dict[str, int] = field(default_factory=dict)


def _month(months: dict[str, PoolMonth], instant: float) -> PoolMonth:
    month = month_of(instant)
    found = months.get(month)
    if found is None:
        found = months[month] = PoolMonth()
    return found


def record_user(months: dict[str, PoolMonth], sub: str, activity: Activity, at: float) -> None:
    users = _month(months, at).users
    user = users.get(sub)
    if user is None:
        user = users[sub] = ActiveUser()
    user.activity.add(activity)


def record_m2m(months: dict[str, PoolMonth], client_id: str, at: float) -> None:
    requests = _month(months, at).m2m_requests
    requests[client_id] = requests.get(client_id, 0) + 1


def month(months: dict[str, PoolMonth], month: str) -> PoolMonth:
    """The pool's activity in ``month`` (``YYYY-MM``); empty when there was none. Read it, never change it."""
    return months.get(month, PoolMonth())
