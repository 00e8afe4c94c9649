"""The fields of the hosted forms: what a person reads beside each attribute, what the browser may fill
in, and how long each value may be.

Labels are the names people know ("Given name" for ``given_name``); a custom attribute is labelled by the
name after ``custom:``, its underscores, hyphens and camel case read as spaces ("Favourite colour" for
``custom:favourite_colour``). Lengths are the API's: ``Username`` at most 128 characters, ``Password`` 256,
a ``ConfirmationCode`` 2048 (botocore's model), an attribute value its schema's ``MaxLength`` (2048 at
most). The pages call the domain functions directly, past the wire's validation, so they check these
lengths themselves (``too_long``) and show a message instead of passing an over-long value on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool.schema import MAX_STRING_LENGTH
from cognito_emu.oauth.pages import fragment

USERNAME_MAX = 128
PASSWORD_MAX = 256
CODE_MAX = 2048

_STANDARD_LABELS = {
    "address": "Address",
    "birthdate": "Birthdate",
    "email": "Email",
    "family_name": "Family name",
    "gender": "Gender",
    "given_name": "Given name",
    "locale": "Locale",
    "middle_name": "Middle name",
    "name": "Name",
    "nickname": "Nickname",
    "phone_number": "Phone number",
    "picture": "Picture",
    "preferred_username": "Preferred username",
    "profile": "Profile",
    "updated_at": "Updated at",
    "website": "Website",
    "zoneinfo": "Zone info",
}
# The HTML autocomplete tokens of the attributes a browser knows how to fill in.
_AUTOCOMPLETE = {
    "address": "street-address",
    "birthdate": "bday",
    "email": "email",
    "family_name": "family-name",
    "gender": "sex",
    "given_name": "given-name",
    "locale": "language",
    "middle_name": "additional-name",
    "name": "name",
    "nickname": "nickname",
    "phone_number": "tel",
    "picture": "photo",
    "preferred_username": "username",
    "profile": "url",
    "website": "url",
}
_INPUT_TYPES = {"phone_number": "tel"}
_CAMEL_CASE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def attribute_label(name: str) -> str:
    """What a person reads beside the field of attribute ``name``."""
    if name in _STANDARD_LABELS:
        return _STANDARD_LABELS[name]
    words = _CAMEL_CASE.sub(" ", name.rsplit(":", 1)[-1]).replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or name
    return text[0].upper() + text[1:].lower()


def attribute_max_length(pool: UserPool, name: str) -> int:
    attribute = pool.schema.get(name)
    limit = attribute.max_length if attribute is not None else None
    return min(int(limit), MAX_STRING_LENGTH) if limit is not None else MAX_STRING_LENGTH


def attribute_field(pool: UserPool, name: str, value: str = "") -> str:
    """A labelled, required input for attribute ``name`` (posted as ``userAttributes.<name>``)."""
    return fragment(
        "attribute.html",
        name=name,
        label=attribute_label(name),
        type=_INPUT_TYPES.get(name, "text"),
        autocomplete=_AUTOCOMPLETE.get(name, "on"),
        maxlength=str(attribute_max_length(pool, name)),
        value=value,
    )


def too_long(values: Mapping[str, str], limits: Mapping[str, tuple[str, int]]) -> str | None:
    """A message naming the first value longer than its limit (``field -> (label, limit)``), or None."""
    for field, (label, limit) in limits.items():
        if len(values.get(field, "")) > limit:
            return f"{label} must be no longer than {limit} characters."
    return None


# The length limits the templates put on their inputs (maxlength).
LIMITS = {"username_max": str(USERNAME_MAX), "password_max": str(PASSWORD_MAX), "code_max": str(CODE_MAX)}
