"""Device tracking: the devices a user signs in from and remembered devices. Their part in a sign-in
(DEVICE_SRP_AUTH, NewDeviceMetadata) is ``idp.signin.device_challenge`` and ``device_answers``.

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
  ``idp.factors.srp`` where the realm is the device group key and the user the device key. Tokens then carry
  the device key and PreTokenGeneration sees TokenGeneration_AuthenticateDevice.
- ``ChallengeRequiredOnNewDevice``: "a remembered device can sign in with device authentication instead
  of SMS and TOTP factors"; ``signin.device_challenge.remembered`` is the check the MFA step asks.
- A known device that is confirmed but not remembered signs in without the device challenge, its key
  in the token. pycognito answers DEVICE_SRP_AUTH without a Session: the device names the session it
  was challenged with (``Device.pending_session``), and DEVICE_PASSWORD_VERIFIER's secret block names
  its session as PASSWORD_VERIFIER's does.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from cognito_emu import pagination
from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, ResourceNotFoundException
from cognito_emu.idp.factors import srp
from cognito_emu.idp.models import Device, User, UserPool, own_dict

REMEMBERED = "remembered"
NOT_REMEMBERED = "not_remembered"

DEVICE_NOT_FOUND = "Device does not exist."

# Devices handed out at sign-in and never confirmed are kept per user up to this many (oldest go first).
_MAX_UNCONFIRMED = 50


# -- configuration -------------------------------------------------------------------------------


def configuration(pool: UserPool) -> dict[str, Any] | None:
    """The pool's DeviceConfiguration, or None when it does not track devices."""
    config = pool.settings.get("DeviceConfiguration")
    return dict(config) if isinstance(config, dict) else None


def tracks_devices(pool: UserPool) -> bool:
    return configuration(pool) is not None


def setting(pool: UserPool, name: str) -> bool:
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
    user.devices = own_dict(user.devices)
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
    prompt = setting(pool, "DeviceOnlyRememberedOnUserPrompt")
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


def remembered_device(user: User, device_key: str | None) -> Device | None:
    """The user's device ``device_key`` when it is confirmed and remembered (it can sign in by SRP)."""
    device = user.devices.get(device_key) if device_key else None
    if device is None or not device.confirmed or device.verifier is None:
        return None
    return device if device.remembered_status == REMEMBERED else None
