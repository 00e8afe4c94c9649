"""Passwords: the pool's policy, temporary passwords, hashing, history, and setting one on a user.

A user keeps no plain password: a bcrypt hash (for USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH,
ChangePassword) and an SRP salt and verifier (for USER_SRP_AUTH). bcrypt only reads 72 bytes and
Cognito passwords run to 256 characters, so bcrypt is given base64(SHA-256(password)).

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
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.pool.pools import DEFAULT_PASSWORD_POLICY
from cognito_emu.state.locking import released

SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")
MAX_LENGTH = 256
# PasswordHistorySize is at most 24; keep that many hashes whatever the pool says today.
MAX_HISTORY = 24
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
    chars += [env.ids.choice(pool) for _ in range(length - len(chars))]
    env.ids.shuffle(chars)
    return "".join(chars)


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode()).digest())


_BCRYPT_ALPHABET = str.maketrans(
    string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/",
    "./" + string.ascii_uppercase + string.ascii_lowercase + string.digits,
)


def _bcrypt_salt(env: Env) -> bytes:
    """A bcrypt salt at ``env.config.bcrypt_rounds`` (clamped to bcrypt's 4..31), drawn from ``env.ids``."""
    rounds = min(max(int(env.config.bcrypt_rounds), 4), 31)
    salt_chars = base64.b64encode(env.ids.token_bytes(16)).decode()[:22].translate(_BCRYPT_ALPHABET)
    return f"$2b${rounds:02d}${salt_chars}".encode()


def _hashpw(password: str, salt: bytes) -> str:
    return bcrypt.hashpw(_prehash(password), salt).decode()


def hash_password(env: Env, password: str) -> str:
    """bcrypt at ``env.config.bcrypt_rounds`` (clamped to bcrypt's 4..31), salt drawn from ``env.ids``."""
    return _hashpw(password, _bcrypt_salt(env))


def check_password(env: Env, user: User, password: str) -> bool:
    """Whether ``password`` is the user's, checked with the state lock released (bcrypt frees the GIL)."""
    password_hash = user.password_hash
    with released(env.state.lock):
        correct = verify_password(password_hash, password)
    if user.password_hash != password_hash:
        # The password changed while the lock was out: judge against the one the user has now.
        return verify_password(user.password_hash, password)
    return correct


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode())
    except ValueError:
        return False


def history_size(pool: UserPool) -> int:
    return int(pool_policy(pool).get("PasswordHistorySize") or 0)


def in_history(user: User, password: str, size: int) -> bool:
    """Whether ``password`` is one of the user's ``size`` most recent passwords (the current one included)."""
    if size <= 0:
        return False
    return any(verify_password(h, password) for h in reversed(user.password_history[-size:]))


def check_password_history(pool: UserPool, user: User, password: str) -> None:
    """Raise PasswordHistoryPolicyViolationException when the pool's PasswordHistorySize forbids ``password``."""
    if in_history(user, password, history_size(pool)):
        raise PasswordHistoryPolicyViolationException(_HISTORY_MESSAGE)


def check_new_password(pool: UserPool, user: User | None, password: str) -> None:
    """The checks before any password change: the pool's policy, then (for an existing user) its history."""
    check_password_policy(pool_policy(pool), password)
    if user is not None:
        check_password_history(pool, user, password)


def set_password(env: Env, pool: UserPool, user: User, password: str, *, temporary: bool) -> None:
    """Store what sign-in needs to check ``password`` later; the caller has run ``check_new_password``.

    Sets the bcrypt hash, a fresh SRP salt and verifier (for USER_ID_FOR_SRP = ``user.username``,
    the internal username), ``password_changed``, the history, and, for a temporary password, its
    expiry from TemporaryPasswordValidityDays. The user's status is the caller's to set.
    """
    now = env.clock.now()
    # Both salts are drawn first, in this order (--deterministic replays them), then the two costly
    # computations run with the state lock released (see cognito_emu.state). The SRP verifier is a
    # fraction of a millisecond since g^x is computed with GMP from a fixed-base table, so it runs
    # here, after bcrypt, rather than on a helper thread (handing it over cost more than it saved).
    bcrypt_salt = _bcrypt_salt(env)
    salt = srp.new_salt(env)
    realm, username = srp.pool_name(pool.id), user.username
    with released(env.state.lock):
        password_hash = _hashpw(password, bcrypt_salt)
        verifier = srp.make_verifier(realm, username, password, salt)
    user.password_hash = password_hash
    user.srp_salt = salt
    user.srp_verifier = verifier
    user.password_changed = now
    user.modified = now
    user.password_history.append(password_hash)
    del user.password_history[:-MAX_HISTORY]
    if temporary:
        days = pool_policy(pool)["TemporaryPasswordValidityDays"]
        user.temporary_password_expires = now + float(7 if days is None else days) * DAY
    else:
        user.temporary_password_expires = None


def temporary_password_expired(env: Env, user: User) -> bool:
    expires = user.temporary_password_expires
    return expires is not None and env.clock.now() >= expires
