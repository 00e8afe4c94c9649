"""The ``Filter`` grammar of ListUsers: ``AttributeName Filter-Type "AttributeValue"``.

Sources (ListUsers API reference, "Filter"; developer guide "Managing and searching for user
accounts", https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-manage-user-accounts.html):

- one condition only; ``=`` is an exact match, ``^=`` a prefix ("starts with") match;
- the value is in double quotes; a quote inside it is written ``\\"`` (we also read ``\\\\`` as a
  backslash: a backslash takes the next character literally);
- an empty filter string means no filter;
- only these attributes are searchable: ``username`` (case-sensitive), ``email``, ``phone_number``,
  ``name``, ``given_name``, ``family_name``, ``preferred_username``, ``cognito:user_status`` (the
  console's "Status", case-insensitive), ``status`` (the console's "Enabled": ``Enabled`` or
  ``Disabled``, case-sensitive) and ``sub``. Custom attributes are not searchable.

Error wording: "Error while parsing filter." is what Cognito answers a malformed filter
(aws/aws-sdk-php#1088). "Invalid search attribute: <name>" is the wording moto adopted for an
attribute outside the list (getmoto/moto#4389); we have no capture of AWS's own text for that case.

Which choices are ours, not AWS's documented behaviour: surrounding whitespace and whitespace around
the operator are allowed; a whitespace-only filter counts as empty; ``""`` is a valid value; attribute
names are matched exactly as spelled in the docs (``Email`` is not ``email``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cognito_emu.errors import InvalidParameterException

FilterOperator = Literal["=", "^="]

PARSE_ERROR_MESSAGE = "Error while parsing filter."

# The documented searchable attributes, mapped to whether Cognito compares them case-sensitively.
# The docs qualify only three of them; the unqualified ones compare the stored value as is.
SEARCHABLE_ATTRIBUTES: dict[str, bool] = {
    "username": True,
    "email": True,
    "phone_number": True,
    "name": True,
    "given_name": True,
    "family_name": True,
    "preferred_username": True,
    "cognito:user_status": False,
    "status": True,
    "sub": True,
}

# Attributes that a pool created with UsernameConfiguration.CaseSensitive=false folds for sign-in.
_USERNAME_LIKE = frozenset({"username", "preferred_username"})

# The attribute token stops at whitespace, the operator or a quote, so `email="x"` parses;
# `[^"\\]|\\.` lets an escaped quote sit inside the value without closing it.
_GRAMMAR = re.compile(
    r'\s*(?P<attribute>[^\s=^"\\]+)\s*(?P<operator>\^=|=)\s*"(?P<value>(?:[^"\\]|\\.)*)"\s*',
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class UserFilter:
    """One parsed ListUsers condition.

    ``attribute`` is the Cognito name the condition reads: a user attribute (``email``, ``sub``, ...)
    or one of the three user fields ``username``, ``cognito:user_status`` (the UserStatus enum value)
    and ``status`` (``"Enabled"`` / ``"Disabled"`` from the Enabled flag).

    For an index: look up ``needle`` among ``normalize(stored_value)`` keys; ``is_prefix`` says
    whether that is an exact key lookup or a range of keys starting with ``needle``.
    """

    attribute: str
    operator: FilterOperator
    value: str
    case_sensitive: bool

    @property
    def is_prefix(self) -> bool:
        return self.operator == "^="

    @property
    def needle(self) -> str:
        """The search value in the form ``normalize`` gives stored values."""
        return self.normalize(self.value)

    def normalize(self, value: str) -> str:
        """The comparison key of a stored value: itself, or case-folded for caseless attributes."""
        return value if self.case_sensitive else value.casefold()

    def matches(self, value: str | None) -> bool:
        """Whether a user's value satisfies the condition; a user without the attribute never does."""
        if value is None:
            return False
        key = self.normalize(value)
        return key.startswith(self.needle) if self.is_prefix else key == self.needle


def parse_filter(text: str, *, case_sensitive_usernames: bool = True) -> UserFilter | None:
    """Parse a ListUsers ``Filter``; ``None`` means list everyone.

    ``case_sensitive_usernames`` is the pool's UsernameConfiguration.CaseSensitive. The docs call the
    ``username`` filter case-sensitive; in a case-insensitive pool we compare ``username`` and
    ``preferred_username`` caselessly, as sign-in does there (an inference, not documented).

    Raises InvalidParameterException for a malformed filter or an attribute that is not searchable.
    """
    if not text.strip():
        return None
    match = _GRAMMAR.fullmatch(text)
    if match is None:
        raise InvalidParameterException(PARSE_ERROR_MESSAGE)
    attribute = match["attribute"]
    if attribute not in SEARCHABLE_ATTRIBUTES:
        raise InvalidParameterException(f"Invalid search attribute: {attribute}")
    case_sensitive = SEARCHABLE_ATTRIBUTES[attribute]
    if attribute in _USERNAME_LIKE and not case_sensitive_usernames:
        case_sensitive = False
    operator: FilterOperator = "^=" if match["operator"] == "^=" else "="
    return UserFilter(
        attribute=attribute,
        operator=operator,
        value=_ESCAPE.sub(r"\1", match["value"]),
        case_sensitive=case_sensitive,
    )
