"""User-pool entities.

Settings that Cognito only stores and echoes live in ``settings`` dicts keyed by the model's member
names (``Policies``, ``LambdaConfig``, ...), so Describe* renders them without a field-by-field copy;
what the emulator reasons about (schema, users, clients, groups) is typed.
"""

from __future__ import annotations

import heapq
from collections.abc import ItemsView, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, NoReturn, TypeVar, overload

from cognito_emu.idp.continuity import (
    Capture,
    PlanPeriod,
    Restoration,
    RestoreStatus,
    UserPoolReplica,
    current_replica,
)
from cognito_emu.idp.users.index import UserIndex, sign_in_aliases
from cognito_emu.usage.log import PoolMonth

K = TypeVar("K")
T = TypeVar("T")
V = TypeVar("V")


class UserStatus(StrEnum):
    UNCONFIRMED = "UNCONFIRMED"
    CONFIRMED = "CONFIRMED"
    FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
    RESET_REQUIRED = "RESET_REQUIRED"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    ARCHIVED = "ARCHIVED"
    COMPROMISED = "COMPROMISED"
    UNKNOWN = "UNKNOWN"


class AttributeDataType(StrEnum):
    STRING = "String"
    NUMBER = "Number"
    DATETIME = "DateTime"
    BOOLEAN = "Boolean"


@dataclass(slots=True)
class SchemaAttribute:
    name: str
    data_type: AttributeDataType = AttributeDataType.STRING
    developer_only: bool = False
    mutable: bool = True
    required: bool = False
    min_length: str | None = None
    max_length: str | None = None
    min_value: str | None = None
    max_value: str | None = None

    @property
    def is_custom(self) -> bool:
        return self.name.startswith("custom:") or self.name.startswith("dev:")


@dataclass(slots=True)
class ClientSecret:
    secret_id: str
    value: str
    created: float


@dataclass(slots=True)
class AppClient:
    client_id: str
    user_pool_id: str
    name: str
    created: float
    modified: float
    secrets: list[ClientSecret] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def secret(self) -> str | None:
        """The secret SECRET_HASH is checked against (the newest when there are two)."""
        return self.secrets[-1].value if self.secrets else None


@dataclass(slots=True)
class Group:
    name: str
    user_pool_id: str
    created: float
    modified: float
    description: str | None = None
    role_arn: str | None = None
    precedence: int | None = None
    # Internal usernames of the members.
    members: set[str] = field(default_factory=set)


@dataclass(slots=True)
class ResourceServer:
    identifier: str
    user_pool_id: str
    name: str
    scopes: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class CIMDPolicy:
    """Which https URLs external OAuth clients may give as their client_id, for one app client
    (idp.pool.cimd_policies)."""

    policy_id: str
    client_id: str
    name: str
    url_patterns: list[str]
    # Seconds a fetched client metadata document stays cached.
    cache_duration: int
    created: float
    modified: float


@dataclass(slots=True)
class IdentityProvider:
    name: str
    user_pool_id: str
    provider_type: str
    created: float
    modified: float
    details: dict[str, str] = field(default_factory=dict)
    attribute_mapping: dict[str, str] = field(default_factory=dict)
    identifiers: list[str] = field(default_factory=list)
    acr_mapping: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class UserPoolDomain:
    domain: str
    user_pool_id: str
    account: str
    region: str
    created: float
    custom_domain_config: dict[str, Any] | None = None
    managed_login_version: int = 1
    modified: float = 0.0
    # The CloudFront host a custom domain's DNS alias points at (AWS also names one for prefix domains).
    cloudfront_distribution: str = ""
    routing: dict[str, Any] | None = None


@dataclass(slots=True)
class PendingCode:
    """A code sent to a user and not yet used: confirmation, password reset or attribute verification."""

    code: str
    expires: float
    failed_attempts: int = 0


@dataclass(slots=True)
class TokenSession:
    """One sign-in: the tokens issued from it share ``origin_jti`` (owned by ``idp.tokens``)."""

    origin_jti: str
    client_id: str
    auth_time: float
    # When its refresh tokens stop working; moved through TokenSessions.reschedule once held there.
    expires: float
    revoked: bool = False
    # Refresh token -> when refresh token rotation replaced it (None while it is the current one).
    refresh_tokens: dict[str, float | None] = field(default_factory=dict)
    # The access token's scope at sign-in; refreshes keep it (OAuth grants ask for their own scopes).
    scope: str | None = None
    # Begun by an OAuth grant (not an API sign-in): its refreshes at /oauth2/token issue an ID token only
    # when ``scope`` has openid, as its grant did; an API sign-in's always had one.
    oauth: bool = False
    # The acr and amr claims of a sign-in that asked for an authentication level; refreshes keep them.
    acr: str | None = None
    amr: list[str] | None = None
    # Its session record when the pool tracked user sessions as it began (idp.user_sessions): the
    # "tkn..." SessionId, the SSO session it came through ("sso..."), and its activity.
    tracking: SessionRecord | None = None


class TokenSessions(dict[str, TokenSession]):
    """A user's token sessions by origin_jti (``User.sessions`` once a sign-in has written it), with a
    heap of when each one expires, so that a sign-in finds the sessions to forget without looking at
    the others: a user signed in thousands of times holds thousands of sessions for the refresh
    token's lifetime. The heap is derived: exports and ``--data-dir`` keep the sessions as a plain
    dict, and ``idp.tokens`` makes them a TokenSessions again when it next writes them (a point-in-time
    capture pickles the heap along, and its unpickler takes this class as the dict it is).

    Every session held has an entry (its expiry, its origin_jti) in the heap: ``add`` pushes one and
    ``reschedule`` one more when a session's expiry moves (refresh token rotation; earlier too, when
    the clock went back or the client's validity shrank). An entry whose session has gone or has
    moved on is dropped when it comes to the top."""

    __slots__ = ("_expiries",)

    def __init__(self, sessions: Mapping[str, TokenSession] | None = None) -> None:
        super().__init__(sessions or {})
        self._expiries = [(session.expires, origin_jti) for origin_jti, session in self.items()]
        heapq.heapify(self._expiries)

    def add(self, session: TokenSession) -> None:
        self[session.origin_jti] = session
        heapq.heappush(self._expiries, (session.expires, session.origin_jti))

    def reschedule(self, session: TokenSession, expires: float) -> None:
        """Move a held session's expiry."""
        if expires != session.expires:
            session.expires = expires
            heapq.heappush(self._expiries, (expires, session.origin_jti))

    def pop_expired(self, now: float, kept_for: float) -> list[TokenSession]:
        """Remove and return the sessions whose expiry plus ``kept_for`` is before ``now``, in no
        promised order. (The sum, not ``now - kept_for``: float rounding could tell them apart.)"""
        expiries = self._expiries
        expired = []
        while expiries and expiries[0][0] + kept_for < now:
            expires, origin_jti = heapq.heappop(expiries)
            session = self.get(origin_jti)
            if session is not None and session.expires == expires:
                del self[origin_jti]
                expired.append(session)
        return expired


@dataclass(slots=True)
class SessionRecord:
    """What ListUserSessions describes of a token session or an SSO session (idp.user_sessions)."""

    session_id: str
    client_id: str
    created: float
    last_active: float
    device_type: str
    # A token session's SSO session ("OriginSessionId"); None for a sign-in through the API.
    origin_session_id: str | None = None
    # LastIPAddress: the caller's address at the most recent activity, when the request named one.
    ip_address: str | None = None


@dataclass(slots=True)
class SsoSession:
    """A managed-login sign-in of a pool that tracks user sessions: what the hosted login's cookie
    (``oauth.models.HostedSession``) stands for, listed and revoked by id. Not a token session
    (``TokenSession``) nor a challenge session (``ChallengeSession``)."""

    record: SessionRecord
    # The user's last fresh authentication: SSOSession MaxValidityMinutes counts from it.
    auth_time: float


@dataclass(frozen=True, slots=True)
class SrpServerState:
    """The server's half of one SRP exchange (USER_SRP_AUTH, DEVICE_SRP_AUTH), kept with its challenge session."""

    big_b: str  # hex, sent as SRP_B
    small_b: str  # hex, secret: never leaves the server


@dataclass(slots=True)
class ChallengeSession:
    """What the server remembers between a sign-in challenge and its answer: the opaque ``Session`` of
    InitiateAuth / RespondToAuthChallenge (owned by ``idp.signin.sessions``). Not a token session
    (``TokenSession``) nor a hosted-login session (``oauth.models.HostedSession``)."""

    session_id: str
    pool_id: str
    client_id: str
    # The internal username; None for the decoy challenge an unknown user gets when the client
    # prevents user existence errors.
    username: str | None
    # The ChallengeName the answer must carry.
    challenge: str
    expires: float
    auth_time: float | None = None
    used: bool = False
    # PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER: the SRP exchange under way and its SECRET_BLOCK.
    srp: SrpServerState | None = None
    srp_a: str | None = None
    secret_block: str | None = None
    # The name the user signed in with (alias, email, username): the answer's USERNAME may repeat it.
    signed_in_as: str | None = None
    # CUSTOM_AUTH only (idp.signin.custom_auth): the challenges answered so far, as the triggers'
    # request.session lists them (None outside that flow), and the current custom challenge's
    # privateChallengeParameters and challengeMetadata, which never leave the server. The WEB_AUTHN
    # challenge keeps its WebAuthn challenge in private_parameters too.
    custom_history: list[dict[str, Any]] | None = None
    private_parameters: dict[str, Any] = field(default_factory=dict)
    challenge_metadata: str | None = None
    # Code challenges (SMS_MFA, EMAIL_OTP, SMS_OTP): the code sent, the wrong answers so far, and for
    # MFA_SETUP the software token secret AssociateSoftwareToken gave this sign-in.
    mfa_code: str | None = None
    mfa_failures: int = 0
    mfa_secret: str | None = None
    # USER_AUTH's SMS_OTP / EMAIL_OTP first factor (not an EMAIL_OTP MFA step after a password): its
    # answer proves the first factor, and threat protection judges the sign-in then.
    first_factor: bool = False
    # The DEVICE_KEY the sign-in named: later answers may leave it out.
    device_key: str | None = None
    # Step-up (idp.signin.step_up): the authentication level the sign-in aims for (1-4; None: no target
    # was asked for) and the amr methods it has proven so far.
    target_level: int | None = None
    methods: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Device:
    """A device a user signed in from (owned by ``idp.factors.devices``), keyed by its DeviceKey on the user.

    Issued at sign-in (NewDeviceMetadata) when the pool tracks devices; tracked once ConfirmDevice
    gives it an SRP verifier (``confirmed``).
    """

    key: str
    group_key: str
    created: float
    modified: float
    confirmed: bool = False
    # "remembered" or "not_remembered" once confirmed.
    remembered_status: str | None = None
    name: str | None = None
    # DeviceSecretVerifierConfig as hex, for DEVICE_SRP_AUTH (realm = group key, user = device key).
    salt: str | None = None
    verifier: str | None = None
    last_authenticated: float | None = None
    # The DEVICE_SRP_AUTH session waiting for this device's answer (clients may answer without Session).
    pending_session: str | None = field(default=None, metadata={"transient": True})


@dataclass(slots=True)
class UserMfa:
    """A user's MFA factors (owned by ``idp.factors.mfa``): which are turned on, the preferred one, and the
    software token (TOTP) secret once VerifySoftwareToken accepted it (``pending_totp_secret`` until then)."""

    sms: bool = False
    software_token: bool = False
    email: bool = False
    # SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP; None when the user has no preference.
    preferred: str | None = None
    totp_secret: str | None = None
    totp_device_name: str | None = None
    pending_totp_secret: str | None = None
    # The time step of the last code of ``totp_secret`` accepted: each code is good once.
    totp_last_step: int | None = None


@dataclass(slots=True)
class AuthEvent:
    """One threat-protection auth event of a user (owned by ``idp.signin.auth_events``; AuthEventType)."""

    event_id: str
    # SignIn, SignUp, ForgotPassword, PasswordChange or ResendCode.
    event_type: str
    created: float
    # Pass, Fail or InProgress.
    response: str
    # ChallengeResponseType members: [{"ChallengeName": "Password", "ChallengeResponse": "Success"}].
    challenges: list[dict[str, str]] = field(default_factory=list)
    context: dict[str, str] = field(default_factory=dict)
    # What UpdateAuthEventFeedback must be given (Cognito puts it in notification emails).
    feedback_token: str = ""
    # EventFeedbackType once feedback was given: FeedbackValue, Provider, FeedbackDate.
    feedback: dict[str, Any] | None = None
    # EventRiskType (idp.signin.risk): NoRisk, AccountTakeover or Block; Low, Medium or High.
    risk_decision: str = "NoRisk"
    risk_level: str = "Low"
    compromised_credentials: bool = False


@dataclass(slots=True)
class WebAuthnCredential:
    """A passkey registered by CompleteWebAuthnRegistration (owned by ``idp.factors.webauthn``), keyed on the user
    by its base64url credential id."""

    credential_id: str
    # SubjectPublicKeyInfo PEM of the COSE key, and its COSE algorithm (-7 ES256, -257 RS256).
    public_key_pem: str
    algorithm: int
    relying_party_id: str
    created: float
    sign_count: int = 0
    friendly_name: str = ""
    authenticator_attachment: str | None = None
    transports: list[str] = field(default_factory=list)
    aaguid: str = ""
    last_used: float | None = None


@dataclass(slots=True)
class WebAuthnRegistration:
    """The challenge StartWebAuthnRegistration issued, waiting for CompleteWebAuthnRegistration."""

    challenge: str
    client_id: str
    relying_party_id: str
    expires: float


class _VacantDict(dict[Any, Any]):
    """The empty mapping all users share in a rarely-used field until it gets an entry.

    An empty dict costs 64 bytes, and a user has six such fields that most users never fill. Reading it
    is reading an empty dict; writing into it would write for every user, so it refuses: a writer
    assigns ``own_dict(field)`` to the field first.
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a user's vacant field is shared by every user: assign own_dict(field) before writing")

    __setitem__ = __delitem__ = setdefault = update = popitem = clear = __ior__ = _refuse


class _VacantList(list[Any]):
    """The empty list all users share in a rarely-used field until it gets an item (see _VacantDict)."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a user's vacant field is shared by every user: assign own_list(field) before writing")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


_VACANT_DICT: dict[Any, Any] = _VacantDict()
_VACANT_LIST: list[Any] = _VacantList()


def vacant_dict() -> dict[Any, Any]:
    return _VACANT_DICT


def vacant_list() -> list[Any]:
    return _VACANT_LIST


def own_dict(mapping: dict[K, V]) -> dict[K, V]:
    """``mapping`` itself, or a new empty dict of the user's own in place of the shared vacant one."""
    return {} if isinstance(mapping, _VacantDict) else mapping


def own_list(items: list[V]) -> list[V]:
    """``items`` itself, or a new empty list of the user's own in place of the shared vacant one."""
    return [] if isinstance(items, _VacantList) else items


class _VacantMfa(UserMfa):
    """The MFA state all users share until one of them turns a factor on (see _VacantDict): a UserMfa
    costs about 100 bytes a user, and most users never have one. It equals a fresh UserMfa; writing into
    it refuses: a writer assigns ``own_mfa(user)`` first."""

    __slots__ = ()

    def __init__(self) -> None:
        for name, default in zip(UserMfa.__slots__, _mfa_values(UserMfa()), strict=True):
            object.__setattr__(self, name, default)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise TypeError("a user's vacant MFA state is shared by every user: write through own_mfa(user)")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UserMfa) and _mfa_values(self) == _mfa_values(other)

    def __reduce__(self) -> tuple[type[_VacantMfa], tuple[()]]:
        # Pickled (point-in-time captures) as a call of the class, not field by field into a refusing instance.
        return (_VacantMfa, ())


def _mfa_values(mfa: UserMfa) -> tuple[Any, ...]:
    return tuple(getattr(mfa, name) for name in UserMfa.__slots__)


_VACANT_MFA = _VacantMfa()


def vacant_mfa() -> UserMfa:
    return _VACANT_MFA


def own_mfa(user: User) -> UserMfa:
    """The user's MFA state to write into: made the user's own first if it was the shared vacant one."""
    if isinstance(user.mfa, _VacantMfa):
        user.mfa = UserMfa()
    return user.mfa


# Attribute-name tuples shared by the users that have the same names in the same order, up to a bound
# (past it a user keeps its own tuple: still right, only larger).
_SHARED_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_SHARED_NAMES = 4096


def _shared(names: tuple[str, ...]) -> tuple[str, ...]:
    shared = _SHARED_NAMES.get(names)
    if shared is not None:
        return shared
    if len(_SHARED_NAMES) >= _MAX_SHARED_NAMES:
        return names
    return _SHARED_NAMES.setdefault(names, names)


# Reads a UserAttributes' own items (its names at 0, then the values), past its mapping __getitem__.
_item = tuple.__getitem__
_VALUES = slice(1, None)

# The values of the Boolean attributes (email_verified, phone_number_verified): one string each for
# every user, not a copy per user made from each request's JSON (53 bytes a user and flag).
_SHARED_VALUES = {"true": "true", "false": "false"}


class UserAttributes(tuple[Any, ...], Mapping[str, str]):
    """A user's attribute values (strings, "sub" included), read as a mapping in the order they were
    first set, as a dict keeps them. Kept as one tuple, the names first (a tuple shared by every user
    with the same names) and then the values: 88 bytes a user for four attributes, where a dict cost 184
    (with a copy of each name when it came from a request) and a mapping object holding a tuple 128.
    Never changed in place: ``with_values`` and ``without`` make the one the user holds next (inside
    ``directory.changing`` where the index may be affected). Write it out as a mapping (``dict(...)``,
    the state codec): code that takes any tuple as a sequence, such as ``json.dumps``, would see the
    names and values instead."""

    __slots__ = ()

    def __new__(cls, values: Mapping[str, str] | None = None) -> UserAttributes:
        items = dict(values or {})
        shared_values = (_SHARED_VALUES.get(value, value) for value in items.values())
        return super().__new__(cls, (_shared(tuple(items)), *shared_values))

    def _names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = _item(self, 0)
        return names

    def __getitem__(self, name: str) -> str:  # type: ignore[override]
        names = _item(self, 0)
        if name not in names:
            raise KeyError(name)
        value: str = _item(self, names.index(name) + 1)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        names = _item(self, 0)
        return _item(self, names.index(name) + 1) if name in names else default

    def __contains__(self, name: object) -> bool:
        return name in _item(self, 0)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def items(self) -> ItemsView[str, str]:
        return _Items(self)

    def pairs(self) -> Iterator[tuple[str, str]]:
        """(name, value) in order, in one pass."""
        return zip(_item(self, 0), _item(self, _VALUES), strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.pairs()) == dict(other.items())

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def with_values(self, updates: Mapping[str, str]) -> UserAttributes:
        """These attributes with ``updates`` written: a name already here keeps its place."""
        return UserAttributes({**dict(self.pairs()), **updates})

    def without(self, *names: str) -> UserAttributes:
        return UserAttributes({name: value for name, value in self.pairs() if name not in names})

    def __repr__(self) -> str:
        return repr(dict(self.pairs()))

    def __reduce__(self) -> tuple[type[UserAttributes], tuple[dict[str, str]]]:
        # Rebuilt through __new__ (pickles, copies), so the names are shared again.
        return UserAttributes, (dict(self.pairs()),)


class _Items(ItemsView[str, str]):
    """The (name, value) pairs in one pass, not a lookup per name."""

    __slots__ = ()
    _mapping: UserAttributes

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return self._mapping.pairs()


@dataclass(slots=True)
class UserExtras:
    """The fields of a user most users never set, kept off the ``User`` record: each slot there costs 8
    bytes a user. A user gets its own the first time one of them is written (``_Extra``); until then
    reads give these defaults. Stored and exported inline with the user's other fields, as before."""

    # A bcrypt hash from data made before the SRP verifier was the one secret (a data dir, an export);
    # dropped when the password next changes (idp.factors.passwords).
    password_hash: str | None = None
    temporary_password_expires: float | None = None
    # The passwords before the current one, oldest first (idp.factors.passwords' records).
    password_history: list[str] = field(default_factory=vacant_list)
    # Keyed by purpose: "signup", "forgot_password", "verify:email", "verify:phone_number".
    codes: dict[str, PendingCode] = field(default_factory=vacant_dict)
    # Sign-in lockout (idp.signin.lockout): failed password attempts, the last one, and the lock's end.
    failed_sign_ins: int = 0
    last_failed_sign_in: float | None = None
    locked_until: float | None = None
    # Signed-in sessions by origin_jti (idp.tokens), a TokenSessions once a sign-in wrote them;
    # GlobalSignOut revokes them all.
    sessions: dict[str, TokenSession] = field(default_factory=vacant_dict)
    # Managed-login SSO sessions by their "sso..." SessionId, kept while the pool tracks user sessions.
    sso_sessions: dict[str, SsoSession] = field(default_factory=vacant_dict)
    # AttributesRequireVerificationBeforeUpdate: new email/phone_number values waiting for their code.
    pending_attributes: dict[str, str] = field(default_factory=vacant_dict)
    # MFA factors and preference (idp.factors.mfa).
    mfa: UserMfa = field(default_factory=vacant_mfa)
    # Devices by DeviceKey (idp.factors.devices).
    devices: dict[str, Device] = field(default_factory=vacant_dict)
    # Passkeys by credential id, and a pending registration (idp.factors.webauthn).
    webauthn_credentials: dict[str, WebAuthnCredential] = field(default_factory=vacant_dict)
    webauthn_registration: WebAuthnRegistration | None = None
    # Threat-protection auth events, oldest first, at most auth_events.MAX_EVENTS (idp.signin.auth_events).
    auth_events: list[AuthEvent] = field(default_factory=vacant_list)
    # Threat protection (idp.signin.risk): the risk level a test set for the next sign-in, the IP
    # addresses and device fingerprints of earlier successful sign-ins, and the SignIn event of a
    # sign-in waiting for its MFA answer.
    next_sign_in_risk: str | None = None
    known_ips: list[str] = field(default_factory=vacant_list)
    known_devices: list[str] = field(default_factory=vacant_list)
    pending_sign_in_event: str | None = None


# What a user without extras reads. Never written: its collections are the vacant ones, which refuse,
# and ``_Extra`` gives a user its own UserExtras before writing anything else.
_NO_EXTRAS = UserExtras()
_SCALARS = (int, float, str, type(None))


class _Extra(Generic[T]):
    """A ``User`` attribute that lives on the user's ``UserExtras``."""

    __slots__ = ("name",)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, user: None, owner: type | None = None) -> _Extra[T]: ...

    @overload
    def __get__(self, user: User, owner: type | None = None) -> T: ...

    def __get__(self, user: User | None, owner: type | None = None) -> T | _Extra[T]:
        if user is None:
            return self
        value: T = getattr(user.extras or _NO_EXTRAS, self.name)
        return value

    def __set__(self, user: User, value: T) -> None:
        extras = user.extras
        if extras is None:
            # Resetting a default (a sign-in clears the lockout counters) needs no record of its own.
            if isinstance(value, _SCALARS) and value == getattr(_NO_EXTRAS, self.name):
                return
            extras = user.extras = UserExtras()
        setattr(extras, self.name, value)


@dataclass(slots=True)
class User:
    """A user of a pool. The fields most users never set live on ``extras`` (``UserExtras``), made the
    first time one is written; they read and write as attributes of the user all the same. The dict and
    list fields most users never fill, and ``mfa``, start as the shared vacant ones (``own_dict`` /
    ``own_list`` / ``own_mfa`` make a field the user's own before the first write)."""

    username: str
    sub: str
    created: float
    modified: float
    status: UserStatus = UserStatus.UNCONFIRMED
    enabled: bool = True
    # Attribute values as Cognito stores them (strings), "sub" included.
    attributes: UserAttributes = field(default_factory=UserAttributes)
    # The one secret kept for a password: its SRP salt and verifier g^x mod N (each as the bytes of
    # pad_hex's canonical hex, the salt's sent as SALT: 49 bytes a user, where the hex text cost 81),
    # which check USER_SRP_AUTH and the plain-password flows alike (idp.factors.passwords).
    srp_salt: bytes | None = None
    srp_verifier: bytes | None = None
    password_changed: float | None = None
    extras: UserExtras | None = field(default=None, metadata={"flatten": UserExtras})

    password_hash = _Extra[str | None]()
    temporary_password_expires = _Extra[float | None]()
    password_history = _Extra[list[str]]()
    codes = _Extra[dict[str, PendingCode]]()
    failed_sign_ins = _Extra[int]()
    last_failed_sign_in = _Extra[float | None]()
    locked_until = _Extra[float | None]()
    sessions = _Extra[dict[str, TokenSession]]()
    sso_sessions = _Extra[dict[str, SsoSession]]()
    pending_attributes = _Extra[dict[str, str]]()
    mfa = _Extra[UserMfa]()
    devices = _Extra[dict[str, Device]]()
    webauthn_credentials = _Extra[dict[str, WebAuthnCredential]]()
    webauthn_registration = _Extra[WebAuthnRegistration | None]()
    auth_events = _Extra[list[AuthEvent]]()
    next_sign_in_risk = _Extra[str | None]()
    known_ips = _Extra[list[str]]()
    known_devices = _Extra[list[str]]()
    pending_sign_in_event = _Extra[str | None]()


class ImportJobStatus(StrEnum):
    CREATED = "Created"
    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    STOPPING = "Stopping"
    EXPIRED = "Expired"
    STOPPED = "Stopped"
    FAILED = "Failed"
    SUCCEEDED = "Succeeded"


@dataclass(slots=True)
class UserImportJob:
    """A CSV user import job (owned by ``idp.users.import_jobs``), kept on its pool in ``UserPool.import_jobs``."""

    job_id: str
    name: str
    user_pool_id: str
    created: float
    role_arn: str
    # The PreSignedUrl the CSV is PUT to, its X-Amz-Signature and when it stops accepting uploads.
    url: str
    signature: str
    url_expires: float
    status: ImportJobStatus = ImportJobStatus.CREATED
    started: float | None = None
    completed: float | None = None
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    completion_message: str | None = None
    # The uploaded file as received; None until something was PUT to the URL.
    csv: bytes | None = None
    # What the job's CloudWatch log would say, one line per CSV line ("[SKIPPED] Line Number 3 - ...").
    log: list[str] = field(default_factory=list)


@dataclass(slots=True)
class UserPool:
    id: str
    name: str
    account: str
    region: str
    created: float
    modified: float
    settings: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, SchemaAttribute] = field(default_factory=dict)
    clients: dict[str, AppClient] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    # Keyed by the internal username (folded to lower case when the pool is case-insensitive).
    users: dict[str, User] = field(default_factory=dict)
    resource_servers: dict[str, ResourceServer] = field(default_factory=dict)
    # CIMD policies by CIMDPolicyId (idp.pool.cimd_policies).
    cimd_policies: dict[str, CIMDPolicy] = field(default_factory=dict)
    identity_providers: dict[str, IdentityProvider] = field(default_factory=dict)
    # Calendar month (YYYY-MM) -> its monthly active users and M2M requests (cognito_emu.usage.log).
    usage: dict[str, PoolMonth] = field(default_factory=dict)
    domain: str | None = None
    custom_domain: str | None = None
    # Both of the above by name, with their settings.
    domains: dict[str, UserPoolDomain] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    # Keyed by app client id, or "ALL" for the pool-wide one.
    ui_customizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Keyed by app client id, or "" for the pool-wide one.
    risk_configurations: dict[str, dict[str, Any]] = field(default_factory=dict)
    log_delivery: list[dict[str, Any]] = field(default_factory=list)
    # GetUserPoolMfaConfig's members (SmsMfaConfiguration, SoftwareTokenMfaConfiguration, ...) as set.
    mfa_config: dict[str, Any] = field(default_factory=dict)
    # Managed login branding styles by ManagedLoginBrandingId, one per app client (idp.pool.branding).
    managed_login_brandings: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Terms documents by TermsId (idp.pool.terms).
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    # SetUserPoolSessionConfiguration's members, and each app client's SSOSession (idp.pool.session_config).
    session_configuration: dict[str, Any] = field(default_factory=dict)
    client_session_configurations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # CSV user import jobs by JobId (idp.users.import_jobs).
    import_jobs: dict[str, UserImportJob] = field(default_factory=dict)
    # Secondary replicas by Region (idp.pool.replicas), and point-in-time recoveries by RestoreId, oldest
    # first (idp.pool.point_in_time).
    replicas: dict[str, UserPoolReplica] = field(default_factory=dict)
    restorations: dict[str, Restoration] = field(default_factory=dict)
    # Derived from ``users``; rebuilt on load, never exported.
    index: UserIndex = field(default_factory=UserIndex, metadata={"transient": True})
    # What point-in-time recovery restores from (idp.pool.point_in_time): captures of the user data by a
    # sequence number, oldest first, and when a user-data write last reached the pool (None: the pool
    # came from data that kept no history, so nothing is known of its past).
    captures: dict[str, Capture] = field(default_factory=dict)
    user_data_written: float | None = None
    # The feature plans the pool has been on, oldest first (empty for data from before they were kept:
    # then the current plan counts as the pool's plan since its creation).
    plans: list[PlanPeriod] = field(default_factory=list)
    # The failure a test asked for at the next InitiatePointInTimeRecovery (PREVIEW_GENERATION_FAILED) or
    # StartPointInTimeRecovery (TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE, AWS_ABORTED).
    next_recovery_failure: RestoreStatus | None = None
    # PKCS#8 PEMs of the pool's RSA keys, made on first need by idp.keys: ID tokens (and the SAML
    # signing certificate) are signed with the first, access tokens with the second.
    signing_key_pem: str | None = None
    access_signing_key_pem: str | None = None

    @property
    def arn(self) -> str:
        return f"arn:aws:cognito-idp:{self.region}:{self.account}:userpool/{self.id}"

    def serving_replica(self) -> UserPoolReplica | None:
        """This pool's secondary replica serving the operation being handled, None when the primary does."""
        replica = current_replica()
        return replica if replica is not None and self.replicas.get(replica.region) is replica else None

    @property
    def serving_region(self) -> str:
        replica = self.serving_replica()
        return self.region if replica is None else replica.region

    def regional(self, name: str) -> Any:
        """A Regional setting (``idp.pool.replicas.REGIONAL_SETTINGS``) as the Region serving the
        operation has it: the serving secondary replica's own, else the primary's."""
        replica = self.serving_replica()
        return (self.settings if replica is None else replica.settings).get(name)

    def lambda_config(self) -> dict[str, Any]:
        """The LambdaConfig (trigger ARNs, KMSKeyID, ...) of the Region serving the operation, as a copy."""
        return dict(self.regional("LambdaConfig") or {})

    def rebuild_index(self) -> None:
        """Derive ``index`` from ``users`` again (after a load or an import replaced them)."""
        self.index = UserIndex()
        for key, user in self.users.items():
            self.index.add(key, user, sign_in_aliases(self, user))
