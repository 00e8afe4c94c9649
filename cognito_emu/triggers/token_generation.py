"""PreTokenGeneration: the trigger that edits the claims of the ID (and, from V2_0, access) token.

Developer guide, "Pre token generation Lambda trigger"
(https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html):

- the version comes from ``LambdaConfig.PreTokenGenerationConfig.LambdaVersion`` (V1_0, V2_0, V3_0);
  a bare ``LambdaConfig.PreTokenGeneration`` ARN is V1_0. The event's ``version`` is "1", "2" or "3".
- V1_0: request ``{userAttributes, groupConfiguration, clientMetadata}``; response
  ``claimsOverrideDetails {claimsToAddOrOverride, claimsToSuppress, groupOverrideDetails}``, applied
  to the ID token (the group override to the access token's ``cognito:groups`` too).
- V2_0 / V3_0: the request adds ``scopes``; response ``claimsAndScopeOverrideDetails
  {idTokenGeneration {claimsToAddOrOverride, claimsToSuppress}, accessTokenGeneration
  {claimsToAddOrOverride, claimsToSuppress, scopesToAdd, scopesToSuppress}, groupOverrideDetails}``;
  claim values may be strings, numbers, booleans, arrays or JSON objects. V3_0 is also invoked for
  client-credentials (M2M) tokens (TokenGeneration_ClientCredentials, ``customize_client_credentials``:
  no user, so ``userName`` is null and ``userAttributes`` empty; only the access token's claims and
  scopes change). V1_0 and V2_0 handlers are not invoked for M2M tokens.
- Claims Cognito reserves are left as Cognito wrote them when a handler adds, overrides or
  suppresses them (``RESERVED_ID`` / ``RESERVED_ACCESS``); ``cognito:groups``, ``cognito:roles`` and
  ``cognito:preferred_role`` change only through ``groupOverrideDetails`` (or are suppressed).
- ``clientMetadata`` is the ClientMetadata of RespondToAuthChallenge / AdminRespondToAuthChallenge
  (the API reference lists PreTokenGeneration among the triggers that get it there, not for
  InitiateAuth), of GetTokensFromRefreshToken and of GetClientToken (each invokes only this trigger).
  Both come in the call's ``TriggerInput``, with the User-Agent that ``callerContext.awsSdkVersion`` names,
  as for every other trigger of the call. The OAuth endpoints (``cognito_emu.oauth``) are no AWS SDK's
  API and hand none: their events say ``aws-sdk-unknown-unknown``.

Trigger sources: TokenGeneration_Authentication (sign-in), TokenGeneration_NewPasswordChallenge,
TokenGeneration_RefreshTokens, TokenGeneration_AuthenticateDevice (a sign-in with a remembered device,
``idp.signin.device_answers``), TokenGeneration_HostedAuth (the OAuth authorization code and implicit
grants of ``cognito_emu.oauth``) and TokenGeneration_ClientCredentials.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_emu.errors import InvalidLambdaResponseException
from cognito_emu.triggers import events, runner
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import AppClient, User, UserPool

TRIGGER = "PreTokenGeneration"

AUTHENTICATION = "TokenGeneration_Authentication"
NEW_PASSWORD_CHALLENGE = "TokenGeneration_NewPasswordChallenge"
REFRESH_TOKENS = "TokenGeneration_RefreshTokens"
AUTHENTICATE_DEVICE = "TokenGeneration_AuthenticateDevice"
HOSTED_AUTH = "TokenGeneration_HostedAuth"
CLIENT_CREDENTIALS = "TokenGeneration_ClientCredentials"

VERSIONS = {"V1_0": "1", "V2_0": "2", "V3_0": "3"}

# What Cognito writes and a handler cannot add, change or suppress (the guide's "excluded claims").
_ALWAYS_RESERVED = frozenset(
    {
        "acr",
        "amr",
        "at_hash",
        "auth_time",
        "azp",
        "event_id",
        "exp",
        "iat",
        "identities",
        "iss",
        "jti",
        "nbf",
        "nonce",
        "origin_jti",
        "sub",
        "token_use",
    }
)
RESERVED_ID = _ALWAYS_RESERVED | {"aud", "cognito:username"}
RESERVED_ACCESS = _ALWAYS_RESERVED | {"client_id", "device_key", "scope", "username", "version"}
GROUP_CLAIMS = frozenset({"cognito:groups", "cognito:roles", "cognito:preferred_role"})


def version(pool: UserPool) -> str | None:
    """V1_0, V2_0 or V3_0 when the pool has a pre token generation trigger, else None."""
    config = pool.lambda_config()
    detailed = config.get("PreTokenGenerationConfig")
    if isinstance(detailed, dict) and detailed.get("LambdaArn"):
        return str(detailed.get("LambdaVersion") or "V1_0")
    return "V1_0" if config.get(TRIGGER) else None


def customize(
    env: Env,
    pool: UserPool,
    client: AppClient,
    user: User,
    id_claims: dict[str, Any],
    access_claims: dict[str, Any],
    *,
    trigger_source: str,
    trigger_input: TriggerInput = NO_INPUT,
) -> None:
    """Run the pool's PreTokenGeneration trigger (if any) and apply its answer to the claims, in place."""
    trigger_version = version(pool)
    if trigger_version is None:
        return
    scopes = str(access_claims.get("scope", "")).split()
    request: dict[str, Any] = {
        "userAttributes": events.user_attributes(user),
        "groupConfiguration": group_configuration(id_claims),
    }
    if trigger_version != "V1_0":
        request["scopes"] = scopes
    if trigger_input.client_metadata:
        request["clientMetadata"] = dict(trigger_input.client_metadata)
    event = events.base_event(
        env,
        pool,
        trigger_source,
        username=user.username,
        client_id=client.client_id,
        request=request,
        user_agent=trigger_input.user_agent,
    )
    event["version"] = VERSIONS.get(trigger_version, "1")
    response = runner.response_of(runner.invoke(env, pool, TRIGGER, event))
    if trigger_version == "V1_0":
        apply_v1(response, id_claims, access_claims)
    else:
        apply_v2(response, id_claims, access_claims)


def customize_client_credentials(
    env: Env,
    pool: UserPool,
    client: AppClient,
    access_claims: dict[str, Any],
    *,
    trigger_input: TriggerInput = NO_INPUT,
) -> None:
    """TokenGeneration_ClientCredentials: a V3_0 trigger edits an M2M access token, in place."""
    if version(pool) != "V3_0":
        return
    request: dict[str, Any] = {
        "userAttributes": {},
        "groupConfiguration": group_configuration({}),
        "scopes": str(access_claims.get("scope", "")).split(),
    }
    if trigger_input.client_metadata:
        request["clientMetadata"] = dict(trigger_input.client_metadata)
    event = events.base_event(
        env,
        pool,
        CLIENT_CREDENTIALS,
        username=None,
        client_id=client.client_id,
        request=request,
        user_agent=trigger_input.user_agent,
    )
    event["version"] = VERSIONS["V3_0"]
    response = runner.response_of(runner.invoke(env, pool, TRIGGER, event))
    apply_v2(response, {}, access_claims)


def group_configuration(id_claims: dict[str, Any]) -> dict[str, Any]:
    """``request.groupConfiguration`` from the claims Cognito would write."""
    return {
        "groupsToOverride": list(id_claims.get("cognito:groups") or []),
        "iamRolesToOverride": list(id_claims.get("cognito:roles") or []),
        "preferredRole": id_claims.get("cognito:preferred_role"),
    }


# -- answers -----------------------------------------------------------------------------------------


def apply_v1(response: dict[str, Any], id_claims: dict[str, Any], access_claims: dict[str, Any]) -> None:
    details = _object(response.get("claimsOverrideDetails"), "claimsOverrideDetails")
    _apply_groups(
        _object(details.get("groupOverrideDetails"), "groupOverrideDetails"), id_claims, access_claims
    )
    _apply_claims(details, id_claims, RESERVED_ID)


def apply_v2(response: dict[str, Any], id_claims: dict[str, Any], access_claims: dict[str, Any]) -> None:
    details = _object(response.get("claimsAndScopeOverrideDetails"), "claimsAndScopeOverrideDetails")
    _apply_groups(
        _object(details.get("groupOverrideDetails"), "groupOverrideDetails"), id_claims, access_claims
    )
    _apply_claims(_object(details.get("idTokenGeneration"), "idTokenGeneration"), id_claims, RESERVED_ID)
    access = _object(details.get("accessTokenGeneration"), "accessTokenGeneration")
    _apply_claims(access, access_claims, RESERVED_ACCESS)
    _apply_scopes(access, access_claims)


def _object(value: Any, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidLambdaResponseException(f"Invalid lambda response: {name} is not an object")
    return value


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidLambdaResponseException(f"Invalid lambda response: {name} is not a list of strings")
    return value


def _apply_claims(details: dict[str, Any], claims: dict[str, Any], reserved: frozenset[str]) -> None:
    """claimsToAddOrOverride, then claimsToSuppress; reserved and ``cognito:`` claims stay as they are."""
    added = _object(details.get("claimsToAddOrOverride"), "claimsToAddOrOverride")
    for name, value in added.items():
        if name in reserved or name.startswith("cognito:"):
            continue
        claims[name] = value
    for name in _strings(details.get("claimsToSuppress"), "claimsToSuppress"):
        if name in reserved or (name.startswith("cognito:") and name not in GROUP_CLAIMS):
            continue
        claims.pop(name, None)


def _apply_groups(details: dict[str, Any], id_claims: dict[str, Any], access_claims: dict[str, Any]) -> None:
    """groupOverrideDetails: each member given replaces its claim; an empty list removes it."""
    if "groupsToOverride" in details and details["groupsToOverride"] is not None:
        groups = _strings(details["groupsToOverride"], "groupsToOverride")
        for claims in (id_claims, access_claims):
            if groups:
                claims["cognito:groups"] = list(groups)
            else:
                claims.pop("cognito:groups", None)
    if "iamRolesToOverride" in details and details["iamRolesToOverride"] is not None:
        roles = _strings(details["iamRolesToOverride"], "iamRolesToOverride")
        if roles:
            id_claims["cognito:roles"] = list(roles)
        else:
            id_claims.pop("cognito:roles", None)
    if "preferredRole" in details:
        preferred = details["preferredRole"]
        if isinstance(preferred, str) and preferred:
            id_claims["cognito:preferred_role"] = preferred
        else:
            id_claims.pop("cognito:preferred_role", None)


def _apply_scopes(details: dict[str, Any], access_claims: dict[str, Any]) -> None:
    scopes = str(access_claims.get("scope", "")).split()
    for scope in _strings(details.get("scopesToAdd"), "scopesToAdd"):
        if scope not in scopes:
            scopes.append(scope)
    suppressed = set(_strings(details.get("scopesToSuppress"), "scopesToSuppress"))
    scopes = [scope for scope in scopes if scope not in suppressed]
    if scopes:
        access_claims["scope"] = " ".join(scopes)
    else:
        access_claims.pop("scope", None)
