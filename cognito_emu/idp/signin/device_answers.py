"""The device challenges' answers: DEVICE_SRP_AUTH (USERNAME, DEVICE_KEY, SRP_A) leads to
DEVICE_PASSWORD_VERIFIER (SALT, SRP_B, SECRET_BLOCK, DEVICE_KEY, USERNAME), whose
PASSWORD_CLAIM_SIGNATURE is checked with the SRP of ``idp.factors.srp`` where the realm is the device group key
and the user the device key. Tokens then carry the device key and PreTokenGeneration sees
TokenGeneration_AuthenticateDevice. DEVICE_PASSWORD_VERIFIER's secret block names its session as
PASSWORD_VERIFIER's does.
"""

from __future__ import annotations

from cognito_emu.errors import NotAuthorizedException, ResourceNotFoundException
from cognito_emu.idp.factors import devices, srp
from cognito_emu.idp.models import ChallengeSession, Device, User
from cognito_emu.idp.pool import client_auth
from cognito_emu.idp.signin import sessions
from cognito_emu.idp.signin.context import INCORRECT, AuthContext, check_can_sign_in, user_for_sign_in
from cognito_emu.idp.signin.finish import authenticated
from cognito_emu.idp.signin.result import Challenge, ChallengeName, Step
from cognito_emu.idp.users import directory
from cognito_emu.triggers import token_generation


def _answering(ctx: AuthContext, session: ChallengeSession) -> tuple[User, Device]:
    """The user and device the session challenged, once USERNAME, SECRET_HASH and DEVICE_KEY agree."""
    name = ctx.required("USERNAME")
    device_key = ctx.required("DEVICE_KEY")
    client_auth.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    user = ctx.pool.users.get(directory.user_key(ctx.pool, session.username or ""))
    if user is None or (user_for_sign_in(ctx.pool, name) is not user and name != session.signed_in_as):
        raise NotAuthorizedException(INCORRECT)
    device = user.devices.get(device_key)
    if device is None or not device.confirmed or device.verifier is None or device.salt is None:
        raise ResourceNotFoundException(devices.DEVICE_NOT_FOUND)
    if device_key != session.device_key:
        raise NotAuthorizedException(INCORRECT)
    return user, device


def device_srp_auth(ctx: AuthContext, session: ChallengeSession) -> Step:
    """DEVICE_SRP_AUTH answered with USERNAME, DEVICE_KEY and SRP_A: the DEVICE_PASSWORD_VERIFIER challenge."""
    a_hex = ctx.required("SRP_A")
    user, device = _answering(ctx, session)
    srp.parse_public_a(a_hex)
    assert device.verifier is not None and device.salt is not None
    following = sessions.next_challenge(ctx.env, ctx.client, session, ChallengeName.DEVICE_PASSWORD_VERIFIER)
    following.device_key = device.key
    following.srp = srp.server_challenge(device.verifier, ctx.env.ids.token_bytes(32))
    following.srp_a = a_hex
    device.pending_session = None
    return Challenge(
        ChallengeName.DEVICE_PASSWORD_VERIFIER,
        following.session_id,
        {
            "SALT": device.salt,
            "SRP_B": following.srp.big_b,
            "SECRET_BLOCK": sessions.new_secret_block(ctx.env, following),
            "DEVICE_KEY": device.key,
            "USERNAME": user.username,
        },
    )


def device_password_verifier(ctx: AuthContext, session: ChallengeSession) -> Step:
    """DEVICE_PASSWORD_VERIFIER: PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP,
    DEVICE_KEY, USERNAME; a right proof gets the tokens (TokenGeneration_AuthenticateDevice)."""
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
