"""Passwords: the pool's policy, temporary passwords, the one secret kept per password, history.

A user keeps no plain password, and one secret per password, as Cognito does: an SRP salt and verifier
(``v = g^x mod N``, one-way). USER_SRP_AUTH proves the password against it; the plain-password flows
(USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ChangePassword, the hosted login) recompute ``x`` from
the password and the salt and compare ``g^x`` with it in constant time (``srp.verifier_matches``), a
fraction of a millisecond with GMP. Data made before this (a --data-dir, an export) may carry a bcrypt
hash and bcrypt entries in the history: those still sign in (by their verifier) and still count as
history (bcrypt checks them, given base64(SHA-256(password)) as they were made).

Policy rules and wording: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
("Special character from the following set. The space character is also treated as a special
character."; letters are Basic Latin). Messages as Cognito words them:
"Password did not conform with policy: Password not long enough", "... Password must have uppercase
characters" and so on, one reason per answer.
"""

from __future__ import annotations

import base64
import hashlib
import string
from typing import Any

import bcrypt

from cognito_emu.env import Env
from cognito_emu.errors import InvalidPasswordException, PasswordHistoryPolicyViolationException
from cognito_emu.idp.factors import srp
from cognito_emu.idp.models import User, UserPool, own_list
from cognito_emu.idp.pool.pools import DEFAULT_PASSWORD_POLICY

SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")
MAX_LENGTH = 256
# PasswordHistorySize is at most 24, the current password included: keep 23 earlier ones whatever the
# pool says today.
MAX_HISTORY = 24
# A history record of a password set here: "$srp$<salt hex>$<verifier hex>" (older records are bcrypt's "$2b$...").
_SRP_RECORD = "$srp$"
DAY = 86400.0

_PREFIX = "Password did not conform with policy: "
_HISTORY_MESSAGE = "The password you entered was used recently. Choose a different password."
# NotAuthorizedException at sign-in with an expired temporary password.
TEMPORARY_PASSWORD_EXPIRED_MESSAGE = "Temporary password has expired and must be reset by an administrator."

_UPPER = frozenset(string.ascii_uppercase)
_LOWER = frozenset(string.ascii_lowercase)
_DIGITS = frozenset(string.digits)
# For generated passwords: no characters that are easy to misread or awkward in a shell.
_GEN_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_GEN_LOWER = "abcdefghijkmnopqrstuvwxyz"
_GEN_DIGITS = "23456789"
_GEN_SYMBOLS = "!#%*+-.=?@^_~"


def normalize_policy(policy: dict[str, Any] | None) -> dict[str, Any]:
    """A PasswordPolicyType with every member present.

    ``None`` (the pool has no PasswordPolicy) means Cognito's defaults; in a policy that was given, a
    missing Require* is false, a missing MinimumLength 8, a missing TemporaryPasswordValidityDays 7.
    """
    if policy is None:
        return dict(DEFAULT_PASSWORD_POLICY)
    return {
        "MinimumLength": policy.get("MinimumLength") or 8,
        "RequireUppercase": bool(policy.get("RequireUppercase", False)),
        "RequireLowercase": bool(policy.get("RequireLowercase", False)),
        "RequireNumbers": bool(policy.get("RequireNumbers", False)),
        "RequireSymbols": bool(policy.get("RequireSymbols", False)),
        "TemporaryPasswordValidityDays": policy.get("TemporaryPasswordValidityDays", 7),
        **({"PasswordHistorySize": policy["PasswordHistorySize"]} if "PasswordHistorySize" in policy else {}),
    }


def pool_policy(pool: UserPool) -> dict[str, Any]:
    """The pool's password policy with every member present (see ``normalize_policy``)."""
    policies = pool.settings.get("Policies") or {}
    return normalize_policy(policies.get("PasswordPolicy"))


def _has_symbol(password: str) -> bool:
    # A space counts, but not a leading or trailing one (those are refused by the API's pattern).
    return any(c in SYMBOLS for c in password) or " " in password.strip(" ")


def policy_violation(policy: dict[str, Any] | None, password: str) -> str | None:
    """Why ``password`` breaks the policy (Cognito's words, without the prefix), or None."""
    rules = normalize_policy(policy)
    if len(password) < int(rules["MinimumLength"]):
        return "Password not long enough"
    if len(password) > MAX_LENGTH:
        return "Password too long"
    chars = set(password)
    if rules["RequireUppercase"] and not chars & _UPPER:
        return "Password must have uppercase characters"
    if rules["RequireLowercase"] and not chars & _LOWER:
        return "Password must have lowercase characters"
    if rules["RequireNumbers"] and not chars & _DIGITS:
        return "Password must have numeric characters"
    if rules["RequireSymbols"] and not _has_symbol(password):
        return "Password must have symbol characters"
    return None


def check_password_policy(policy: dict[str, Any] | None, password: str) -> None:
    """Raise InvalidPasswordException, worded as Cognito does, when ``password`` breaks ``policy``."""
    reason = policy_violation(policy, password)
    if reason is not None:
        raise InvalidPasswordException(_PREFIX + reason)


def generate_temporary_password(env: Env, policy: dict[str, Any] | None) -> str:
    """A password that satisfies ``policy`` (every class present, at least MinimumLength long)."""
    rules = normalize_policy(policy)
    length = max(int(rules["MinimumLength"]), 12)
    chars = [
        env.ids.choice(_GEN_UPPER),
        env.ids.choice(_GEN_LOWER),
        env.ids.choice(_GEN_DIGITS),
        env.ids.choice(_GEN_SYMBOLS),
    ]
    pool = _GEN_UPPER + _GEN_LOWER + _GEN_DIGITS
    chars += env.ids.choice(pool, length - len(chars))
    env.ids.shuffle(chars)
    return "".join(chars)


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode()).digest())


def has_password(user: User) -> bool:
    return user.srp_verifier is not None or user.password_hash is not None


def check_password(pool: UserPool, user: User, password: str) -> bool:
    """Whether ``password`` is the user's: its SRP verifier recomputed (the bcrypt hash of older data only
    for a user that has no verifier)."""
    if user.srp_verifier is not None and user.srp_salt is not None:
        realm = srp.pool_name(pool.id)
        return srp.verifier_matches(realm, user.username, password, user.srp_salt.hex(), user.srp_verifier)
    return verify_password(user.password_hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """A bcrypt hash of older data against ``password``."""
    if not password_hash:
        return False
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode())
    except ValueError:
        return False


def history_size(pool: UserPool) -> int:
    return int(pool_policy(pool).get("PasswordHistorySize") or 0)


def _record_matches(record: str, realm: str, username: str, password: str) -> bool:
    if record.startswith(_SRP_RECORD):
        salt, _, verifier = record.removeprefix(_SRP_RECORD).partition("$")
        try:
            return srp.verifier_matches(realm, username, password, salt, bytes.fromhex(verifier))
        except ValueError:
            return False
    return verify_password(record, password)


def in_history(pool: UserPool, user: User, password: str, size: int) -> bool:
    """Whether ``password`` is one of the user's ``size`` most recent passwords (the current one included)."""
    if size <= 0:
        return False
    if check_password(pool, user, password):
        return True
    realm = srp.pool_name(pool.id)
    # Older data's history ends with the current password's bcrypt hash, already judged above.
    earlier = [record for record in user.password_history if record != user.password_hash]
    recent = earlier[-(size - 1) :] if size > 1 else []
    return any(_record_matches(record, realm, user.username, password) for record in recent)


def check_password_history(pool: UserPool, user: User, password: str) -> None:
    """Raise PasswordHistoryPolicyViolationException when the pool's PasswordHistorySize forbids ``password``."""
    if in_history(pool, user, password, history_size(pool)):
        raise PasswordHistoryPolicyViolationException(_HISTORY_MESSAGE)


def check_new_password(pool: UserPool, user: User | None, password: str) -> None:
    """The checks before any password change: the pool's policy, then (for an existing user) its history."""
    check_password_policy(pool_policy(pool), password)
    if user is not None:
        check_password_history(pool, user, password)


def set_password(env: Env, pool: UserPool, user: User, password: str, *, temporary: bool) -> None:
    """Store what sign-in needs to check ``password`` later; the caller has run ``check_new_password``.

    Sets a fresh SRP salt and verifier (for USER_ID_FOR_SRP = ``user.username``, the internal username),
    moves the password before into the history, sets ``password_changed`` and, for a temporary
    password, its expiry from TemporaryPasswordValidityDays. The user's status is the caller's to set.
    """
    now = env.clock.now()
    salt = srp.new_salt(env)
    verifier = bytes.fromhex(srp.make_verifier(srp.pool_name(pool.id), user.username, password, salt))
    if user.password_hash is None and user.srp_verifier is not None and user.srp_salt is not None:
        user.password_history = own_list(user.password_history)
        user.password_history.append(f"{_SRP_RECORD}{user.srp_salt.hex()}${user.srp_verifier.hex()}")
    # Older data's history already holds its bcrypt hash; from now on the verifier is the only secret.
    user.password_hash = None
    if len(user.password_history) >= MAX_HISTORY:
        del user.password_history[: -(MAX_HISTORY - 1)]
    user.srp_salt = bytes.fromhex(salt)
    user.srp_verifier = verifier
    user.password_changed = now
    user.modified = now
    if temporary:
        days = pool_policy(pool)["TemporaryPasswordValidityDays"]
        user.temporary_password_expires = now + float(7 if days is None else days) * DAY
    else:
        user.temporary_password_expires = None


def temporary_password_expired(env: Env, user: User) -> bool:
    expires = user.temporary_password_expires
    return expires is not None and env.clock.now() >= expires
