"""The device side of a sign-in (developer guide, "Working with user devices in your user pool"):
which device a sign-in names, whether a remembered device stands in for MFA, the DEVICE_SRP_AUTH
challenge a remembered device must answer, and the device the tokens carry.

- A sign-in that names no device (no ``DEVICE_KEY``, or one the user does not have) ends with
  NewDeviceMetadata when the pool tracks devices; the access token carries the ``device_key`` claim.
- Signing in with a remembered device: once the password (and any MFA) is proven, Cognito answers the
  ``DEVICE_SRP_AUTH`` challenge (``idp.signin.device_answers`` judges it).
- ``ChallengeRequiredOnNewDevice``: "a remembered device can sign in with device authentication instead
  of SMS and TOTP factors"; ``remembered`` is the check the MFA step asks.
- pycognito answers DEVICE_SRP_AUTH without a Session: the device names the session it was challenged
  with (``Device.pending_session``).
"""

from __future__ import annotations

from cognito_emu.idp.factors import devices
from cognito_emu.idp.models import ChallengeSession, User
from cognito_emu.idp.signin import sessions
from cognito_emu.idp.signin.context import AuthContext, user_for_sign_in
from cognito_emu.idp.signin.result import Challenge, ChallengeName, NewDevice, Step


def sign_in_device_key(ctx: AuthContext) -> str | None:
    """The DEVICE_KEY this sign-in names (the current answer's, or the one its session recorded)."""
    return ctx.params.get("DEVICE_KEY") or None


def remembered(ctx: AuthContext, user: User) -> bool:
    """Whether MFA may be skipped: the pool lets a remembered device stand in for MFA
    (ChallengeRequiredOnNewDevice) and the sign-in names a remembered device of ``user``, which the
    DEVICE_SRP_AUTH challenge will then prove."""
    if not devices.setting(ctx.pool, "ChallengeRequiredOnNewDevice"):
        return False
    return devices.remembered_device(user, sign_in_device_key(ctx)) is not None


def challenge(ctx: AuthContext, user: User) -> Challenge | None:
    """DEVICE_SRP_AUTH when the sign-in names a remembered device of ``user``, else None (tokens)."""
    if not devices.tracks_devices(ctx.pool):
        return None
    device = devices.remembered_device(user, sign_in_device_key(ctx))
    if device is None:
        return None
    session = sessions.open_session(
        ctx.env,
        ctx.client,
        user.username,
        ChallengeName.DEVICE_SRP_AUTH,
        signed_in_as=ctx.params.get("USERNAME"),
    )
    session.device_key = device.key
    device.pending_session = session.session_id
    return Challenge(ChallengeName.DEVICE_SRP_AUTH, session.session_id, {})


def for_tokens(ctx: AuthContext, user: User, *, refreshing: bool) -> tuple[str | None, NewDevice | None]:
    """The device key the tokens carry, and the new device when this sign-in gets one."""
    if not devices.tracks_devices(ctx.pool):
        return None, None
    device = user.devices.get(sign_in_device_key(ctx) or "")
    if device is not None:
        device.last_authenticated = ctx.env.clock.now()
        return device.key, None
    if refreshing:
        return None, None
    device = devices.new_device(ctx.env, ctx.pool, user)
    return device.key, NewDevice(device.key, device.group_key)


def carry(ctx: AuthContext, step: Step) -> Step:
    """Record the sign-in's DEVICE_KEY on the session a challenge opened, for answers that omit it."""
    device_key = sign_in_device_key(ctx)
    if device_key and isinstance(step, Challenge):
        session = ctx.env.state.sessions.get(step.session)
        if session is not None and session.device_key is None:
            session.device_key = device_key
    return step


def recall(ctx: AuthContext, session: ChallengeSession) -> None:
    """An answer without DEVICE_KEY continues the device its session recorded."""
    if session.device_key and not ctx.params.get("DEVICE_KEY"):
        ctx.params["DEVICE_KEY"] = session.device_key


def pending_session_id(ctx: AuthContext) -> str | None:
    """The DEVICE_SRP_AUTH session of an answer sent without Session: the one its device was given."""
    name, device_key = ctx.params.get("USERNAME"), ctx.params.get("DEVICE_KEY")
    user = user_for_sign_in(ctx.pool, name) if name else None
    device = user.devices.get(device_key) if user is not None and device_key else None
    return device.pending_session if device is not None else None
