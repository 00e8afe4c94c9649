"""Device tracking: the devices a user signs in from, remembered devices, and device SRP sign-in.

Developer guide, "Working with user devices in your user pool"
(https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html),
and the API reference of ConfirmDevice, NewDeviceMetadataType, DeviceConfigurationType:

- A pool tracks devices when it has a ``DeviceConfiguration``. A sign-in that names no device (no
  ``DEVICE_KEY``, or one the user does not have) ends with ``AuthenticationResult.NewDeviceMetadata``
  {DeviceKey ``<region>_<uuid>``, DeviceGroupKey}; the access token carries the ``device_key`` claim.
- ``ConfirmDevice`` (with the device's SRP verifier and salt, base64) is "the call that begins device
  tracking": only confirmed devices are listed, got, updated or forgotten; any other key answers
  ResourceNotFoundException. ``UserConfirmationNecessary`` is the pool's
  DeviceOnlyRememberedOnUserPrompt: when true the device starts ``not_remembered`` until
  UpdateDeviceStatus remembers it, else it is remembered at once.
- Signing in with a remembered device (``DEVICE_KEY`` in the AuthParameters or the challenge answers):
  once the password (and any MFA) is proven, Cognito answers the ``DEVICE_SRP_AUTH`` challenge; the
  client answers it with USERNAME, DEVICE_KEY, SRP_A and gets ``DEVICE_PASSWORD_VERIFIER`` (SALT, SRP_B,
  SECRET_BLOCK, DEVICE_KEY, USERNAME); its PASSWORD_CLAIM_SIGNATURE is checked with the SRP of
  ``idp.srp`` where the realm is the device group key and the user the device key. Tokens then carry
  the device key and PreTokenGeneration sees TokenGeneration_AuthenticateDevice.
- ``ChallengeRequiredOnNewDevice``: "a remembered device can sign in with device authentication instead
  of SMS and TOTP factors"; ``remembered(ctx, user)`` is the check the MFA step asks.
- A known device that is confirmed but not remembered signs in without the device challenge, its key
  in the token. pycognito answers DEVICE_SRP_AUTH without a Session: the device names the session it
  was challenged with (``Device.pending_session``), and DEVICE_PASSWORD_VERIFIER's secret block names
  its session as PASSWORD_VERIFIER's does.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from cognito_emu import pagination
from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, NotAuthorizedException, ResourceNotFoundException
from cognito_emu.idp import clients, directory, sessions, srp
from cognito_emu.idp.models import Device, User, UserPool
from cognito_emu.triggers import token_generation

if TYPE_CHECKING:
    from cognito_emu.idp.auth_flows import AuthContext, Outcome

DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"
DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"

REMEMBERED = "remembered"
NOT_REMEMBERED = "not_remembered"

DEVICE_NOT_FOUND = "Device does not exist."
INCORRECT = "Incorrect username or password."

# Devices handed out at sign-in and never confirmed are kept per user up to this many (oldest go first).
_MAX_UNCONFIRMED = 50


# -- configuration -------------------------------------------------------------------------------


def configuration(pool: UserPool) -> dict[str, Any] | None:
    """The pool's DeviceConfiguration, or None when it does not track devices."""
    config = pool.settings.get("DeviceConfiguration")
    return dict(config) if isinstance(config, dict) else None


def tracks_devices(pool: UserPool) -> bool:
    return configuration(pool) is not None


def _setting(pool: UserPool, name: str) -> bool:
    return bool((configuration(pool) or {}).get(name))


# -- devices of a user ---------------------------------------------------------------------------


def tracked(user: User, device_key: str) -> Device:
    """A confirmed device of the user, or ResourceNotFoundException."""
    device = user.devices.get(device_key)
    if device is None or not device.confirmed:
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    return device


def listing(user: User, limit: int | None, token: str | None) -> tuple[list[Device], str | None]:
    """ListDevices / AdminListDevices: the confirmed devices by key, a page at a time."""
    devices = sorted((d for d in user.devices.values() if d.confirmed), key=lambda d: d.key)
    return pagination.paginate(devices, lambda d: d.key, limit or 60, token)


def _group_key(env: Env, user: User) -> str:
    """One device group per user: the key its devices share (the SRP realm of device sign-in)."""
    for device in user.devices.values():
        return device.group_key
    return "-" + env.ids.alphanumeric(9)


def new_device(env: Env, pool: UserPool, user: User) -> Device:
    """A device for a sign-in that named none; kept unconfirmed until ConfirmDevice."""
    now = env.clock.now()
    device = Device(
        key=f"{pool.region}_{env.ids.uuid()}",
        group_key=_group_key(env, user),
        created=now,
        modified=now,
        last_authenticated=now,
    )
    unconfirmed = [key for key, d in user.devices.items() if not d.confirmed]
    for key in unconfirmed[: max(0, len(unconfirmed) + 1 - _MAX_UNCONFIRMED)]:
        del user.devices[key]
    user.devices[device.key] = device
    return device


def _hex_of_base64(value: Any, member: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True) if isinstance(value, str) and value else b""
    except (binascii.Error, ValueError):
        raw = b""
    if not raw.strip(b"\x00"):
        raise InvalidParameterException(f"DeviceSecretVerifierConfig.{member} is not a valid base64 value.")
    return raw.hex()


def confirm(
    env: Env,
    pool: UserPool,
    user: User,
    device_key: str,
    verifier_config: dict[str, Any] | None,
    name: str | None,
) -> bool:
    """ConfirmDevice: start tracking a device handed out at sign-in. Returns UserConfirmationNecessary."""
    device = user.devices.get(device_key)
    if device is None or not tracks_devices(pool):
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    config = verifier_config or {}
    verifier = _hex_of_base64(config.get("PasswordVerifier"), "PasswordVerifier")
    salt = _hex_of_base64(config.get("Salt"), "Salt")
    prompt = _setting(pool, "DeviceOnlyRememberedOnUserPrompt")
    device.verifier = srp.pad_hex(int(verifier, 16))
    # Sent back as SALT exactly as the client generated it: it hashes the padded hex of these bytes.
    device.salt = salt
    device.name = name if name is not None else device.name
    if not device.confirmed:
        device.remembered_status = NOT_REMEMBERED if prompt else REMEMBERED
    device.confirmed = True
    device.modified = env.clock.now()
    return prompt


def set_status(env: Env, user: User, device_key: str, status: str | None) -> None:
    """UpdateDeviceStatus / AdminUpdateDeviceStatus: remembered or not_remembered."""
    device = tracked(user, device_key)
    if status is not None:
        device.remembered_status = status
    device.modified = env.clock.now()


def forget(user: User, device_key: str) -> None:
    """ForgetDevice / AdminForgetDevice: the device is no longer tracked (its key signs in as new)."""
    tracked(user, device_key)
    del user.devices[device_key]


def _remembered_device(user: User, device_key: str | None) -> Device | None:
    device = user.devices.get(device_key) if device_key else None
    if device is None or not device.confirmed or device.verifier is None:
        return None
    return device if device.remembered_status == REMEMBERED else None


# -- sign-in -------------------------------------------------------------------------------------


def sign_in_device_key(ctx: AuthContext) -> str | None:
    """The DEVICE_KEY this sign-in names (the current answer's, or the one its session recorded)."""
    return ctx.params.get("DEVICE_KEY") or None


def remembered(ctx: AuthContext, user: User) -> bool:
    """Whether MFA may be skipped: the pool lets a remembered device stand in for MFA
    (ChallengeRequiredOnNewDevice) and the sign-in names a remembered device of ``user``, which the
    DEVICE_SRP_AUTH challenge will then prove."""
    if not _setting(ctx.pool, "ChallengeRequiredOnNewDevice"):
        return False
    return _remembered_device(user, sign_in_device_key(ctx)) is not None


def challenge(ctx: AuthContext, user: User) -> Outcome | None:
    """DEVICE_SRP_AUTH when the sign-in names a remembered device of ``user``, else None (tokens)."""
    if not tracks_devices(ctx.pool):
        return None
    device = _remembered_device(user, sign_in_device_key(ctx))
    if device is None:
        return None
    session = sessions.open_session(
        ctx.env, ctx.client, user.username, DEVICE_SRP_AUTH, signed_in_as=ctx.params.get("USERNAME")
    )
    session.device_key = device.key
    device.pending_session = session.session_id
    return {"ChallengeName": DEVICE_SRP_AUTH, "Session": session.session_id, "ChallengeParameters": {}}


def for_tokens(ctx: AuthContext, user: User, *, refreshing: bool) -> tuple[str | None, dict[str, str] | None]:
    """The device key the tokens carry, and NewDeviceMetadata when this sign-in gets a new device."""
    if not tracks_devices(ctx.pool):
        return None, None
    device = user.devices.get(sign_in_device_key(ctx) or "")
    if device is not None:
        device.last_authenticated = ctx.env.clock.now()
        return device.key, None
    if refreshing:
        return None, None
    device = new_device(ctx.env, ctx.pool, user)
    return device.key, {"DeviceKey": device.key, "DeviceGroupKey": device.group_key}


def carry(ctx: AuthContext, outcome: Outcome) -> Outcome:
    """Record the sign-in's DEVICE_KEY on the session a challenge opened, for answers that omit it."""
    device_key = sign_in_device_key(ctx)
    session_id = outcome.get("Session")
    if device_key and session_id:
        session = ctx.env.state.sessions.get(session_id)
        if session is not None and session.device_key is None:
            session.device_key = device_key
    return outcome


def recall(ctx: AuthContext, session: sessions.AuthSession) -> None:
    """An answer without DEVICE_KEY continues the device its session recorded."""
    if session.device_key and not ctx.params.get("DEVICE_KEY"):
        ctx.params["DEVICE_KEY"] = session.device_key


def pending_session_id(ctx: AuthContext) -> str | None:
    """The DEVICE_SRP_AUTH session of an answer sent without Session: the one its device was given."""
    from cognito_emu.idp.auth_flows import user_for_sign_in

    name, device_key = ctx.params.get("USERNAME"), ctx.params.get("DEVICE_KEY")
    user = user_for_sign_in(ctx.pool, name) if name else None
    device = user.devices.get(device_key) if user is not None and device_key else None
    return device.pending_session if device is not None else None


# -- the device challenges -----------------------------------------------------------------------


def _answering(ctx: AuthContext, session: sessions.AuthSession) -> tuple[User, Device]:
    """The user and device the session challenged, once USERNAME, SECRET_HASH and DEVICE_KEY agree."""
    from cognito_emu.idp.auth_flows import user_for_sign_in

    name = ctx.required("USERNAME")
    device_key = ctx.required("DEVICE_KEY")
    clients.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    user = ctx.pool.users.get(directory.user_key(ctx.pool, session.username or ""))
    if user is None or (user_for_sign_in(ctx.pool, name) is not user and name != session.signed_in_as):
        raise NotAuthorizedException(INCORRECT)
    device = user.devices.get(device_key)
    if device is None or not device.confirmed or device.verifier is None or device.salt is None:
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    if device_key != session.device_key:
        raise NotAuthorizedException(INCORRECT)
    return user, device


def device_srp_auth(ctx: AuthContext, session: sessions.AuthSession) -> Outcome:
    """DEVICE_SRP_AUTH answered with USERNAME, DEVICE_KEY and SRP_A: the DEVICE_PASSWORD_VERIFIER challenge."""
    a_hex = ctx.required("SRP_A")
    user, device = _answering(ctx, session)
    srp.parse_public_a(a_hex)
    assert device.verifier is not None and device.salt is not None
    following = sessions.next_challenge(ctx.env, ctx.client, session, DEVICE_PASSWORD_VERIFIER)
    following.device_key = device.key
    following.srp = srp.server_challenge(device.verifier, ctx.env.ids.token_bytes(32))
    following.srp_a = a_hex
    device.pending_session = None
    return {
        "ChallengeName": DEVICE_PASSWORD_VERIFIER,
        "Session": following.session_id,
        "ChallengeParameters": {
            "SALT": device.salt,
            "SRP_B": following.srp.big_b,
            "SECRET_BLOCK": sessions.new_secret_block(ctx.env, following),
            "DEVICE_KEY": device.key,
            "USERNAME": user.username,
        },
    }


def device_password_verifier(ctx: AuthContext, session: sessions.AuthSession) -> Outcome:
    """DEVICE_PASSWORD_VERIFIER: PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP,
    DEVICE_KEY, USERNAME; a right proof gets the tokens (TokenGeneration_AuthenticateDevice)."""
    from cognito_emu.idp.auth_flows import authenticated, check_can_sign_in

    signature = ctx.required("PASSWORD_CLAIM_SIGNATURE")
    secret_block = ctx.required("PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = ctx.required("TIMESTAMP")
    user, device = _answering(ctx, session)
    if secret_block != session.secret_block or session.srp is None or session.srp_a is None:
        raise NotAuthorizedException(INCORRECT)
    assert device.verifier is not None and device.salt is not None
    correct = srp.verify_password_claim(
        device.group_key,
        device.key,
        device.salt,
        device.verifier,
        session.srp_a,
        session.srp,
        secret_block,
        timestamp,
        signature,
    )
    sessions.finish(session)
    if not correct:
        raise NotAuthorizedException(INCORRECT)
    check_can_sign_in(user)
    device.last_authenticated = ctx.env.clock.now()
    return authenticated(
        ctx, user, trigger_source=token_generation.AUTHENTICATE_DEVICE, device_key=device.key
    )
