"""What one sign-in step ends in: a challenge for the client to answer, or the user authenticated.

ops/ renders these into AWS's shapes (InitiateAuthResponse, RespondToAuthChallengeResponse); the
hosted login reads them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cognito_emu.idp.tokens import IssuedTokens


class ChallengeName(StrEnum):
    """ChallengeNameType, as the botocore model lists it."""

    SMS_MFA = "SMS_MFA"
    EMAIL_OTP = "EMAIL_OTP"
    SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"
    SELECT_MFA_TYPE = "SELECT_MFA_TYPE"
    MFA_SETUP = "MFA_SETUP"
    PASSWORD_VERIFIER = "PASSWORD_VERIFIER"
    CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE"
    SELECT_CHALLENGE = "SELECT_CHALLENGE"
    DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"
    DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"
    ADMIN_NO_SRP_AUTH = "ADMIN_NO_SRP_AUTH"
    NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"
    SMS_OTP = "SMS_OTP"
    PASSWORD = "PASSWORD"
    WEB_AUTHN = "WEB_AUTHN"
    PASSWORD_SRP = "PASSWORD_SRP"


@dataclass(frozen=True, slots=True)
class Challenge:
    """The next challenge: its name, its ChallengeParameters and the Session its answer names."""

    name: str
    session: str
    parameters: dict[str, str]
    # SELECT_CHALLENGE only: the first factors USER_AUTH offers (AvailableChallenges).
    available: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class NewDevice:
    """NewDeviceMetadata: a device handed out at this sign-in, to be confirmed with ConfirmDevice."""

    key: str
    group_key: str


@dataclass(frozen=True, slots=True)
class Authenticated:
    """The sign-in is complete: the tokens, and the new device when the pool tracks devices."""

    tokens: IssuedTokens
    new_device: NewDevice | None = None


Step = Challenge | Authenticated
