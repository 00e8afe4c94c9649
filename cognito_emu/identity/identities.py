"""Identities: GetId, credentials and OpenID tokens for them, developer identities, linking,
unlinking, merging, describing, listing and deleting.

Linking and merging (developer guide, "Identity pools concepts"; API reference, GetId and
ResourceConflictException):
- The same login always maps to the same identity.
- A call naming an identity that has logins must carry one of them (or its OpenID token); otherwise
  "Logins don't match" (NotAuthorizedException), whatever else the call carries.
- Logins not yet seen are linked to the identity the call names or that owns the other logins.
- When the logins of one call belong to different identities, those identities are merged into one:
  the identity the call names if it already has logins, else the oldest one that has logins (an
  unauthenticated identity that signs in with a known login becomes that login's identity: the
  answer's IdentityId is then not the one asked about).
- A merge that would give one identity two different users of the same public provider is refused
  with ResourceConflictException. The developer provider may hold several user identifiers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    DeveloperUserAlreadyRegisteredException,
    InvalidParameterException,
    NotAuthorizedException,
    ResourceConflictException,
    ResourceNotFoundException,
)
from cognito_emu.identity import credentials, index, logins, openid, pools, role_mapping
from cognito_emu.identity.logins import Login
from cognito_emu.identity.models import Identity, IdentityPool, login_key
from cognito_emu.pagination import paginate

if TYPE_CHECKING:
    from cognito_emu.state import Store

UNAUTHENTICATED_NOT_SUPPORTED = "Unauthenticated access is not supported for this identity pool."
LOGINS_DONT_MATCH = (
    "Logins don't match. Please include at least one valid login for this identity or identity pool."
)
CLASSIC_FLOW_DISABLED = "Basic (classic) flow is not enabled, please use enhanced flow."
CLASSIC_FLOW_WITH_ROLE_MAPPINGS = (
    "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow."
)
CONFLICT = "Logins are already linked to another identity of this identity pool for the same provider."
# https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html: linked logins per identity
MAX_LOGINS = 20


def identity_not_found(identity_id: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"Identity '{identity_id}' not found.")


def forbidden(identity_id: str) -> NotAuthorizedException:
    return NotAuthorizedException(f"Access to Identity '{identity_id}' is forbidden.")


# -- lookup ----------------------------------------------------------------------------------------


def find_identity(env: Env, identity_id: str) -> tuple[IdentityPool, Identity]:
    """Any account's identity by its id (unsigned operations)."""
    pool = index.pool_of_identity(env.state, identity_id)
    identity = pool.identities.get(identity_id) if pool else None
    if pool is None or identity is None:
        raise identity_not_found(identity_id)
    return pool, identity


def owned_identity(env: Env, store: Store, identity_id: str) -> tuple[IdentityPool, Identity]:
    """The caller's identity (signed operations): another account's is not found."""
    pool, identity = find_identity(env, identity_id)
    if store.identity_pools.get(pool.id) is not pool:
        raise identity_not_found(identity_id)
    return pool, identity


# -- creation, linking, merging --------------------------------------------------------------------


def _new_identity(env: Env, pool: IdentityPool) -> Identity:
    now = env.clock.now()
    identity = Identity(id=f"{pool.region}:{env.ids.uuid()}", pool_id=pool.id, created=now, modified=now)
    pool.identities[identity.id] = identity
    env.state.identity_index.identities[identity.id] = pool.id
    return identity


def _delete_identity(env: Env, pool: IdentityPool, identity: Identity) -> None:
    pool.identities.pop(identity.id, None)
    env.state.identity_index.identities.pop(identity.id, None)
    for provider, users in identity.logins.items():
        for user in users:
            if pool.login_index.get(login_key(provider, user)) == identity.id:
                del pool.login_index[login_key(provider, user)]


def _link(pool: IdentityPool, identity: Identity, provider: str, user: str) -> None:
    users = identity.logins.setdefault(provider, [])
    if user not in users:
        users.append(user)
    pool.login_index[login_key(provider, user)] = identity.id


def link(
    env: Env,
    pool: IdentityPool,
    pairs: list[tuple[str, str]],
    named: Identity | None = None,
) -> Identity:
    """The identity for these (provider, user) logins, creating, linking and merging as needed."""
    owners: list[Identity] = []
    for provider, user in pairs:
        owner_id = pool.login_index.get(login_key(provider, user))
        owner = pool.identities.get(owner_id) if owner_id else None
        if owner is not None and owner not in owners:
            owners.append(owner)
    if named is not None and named not in owners:
        owners.append(named)
    if not owners:
        target = _new_identity(env, pool)
    elif named is not None and named.logins:
        target = named
    else:
        with_logins = [o for o in owners if o.logins] or owners
        target = min(with_logins, key=lambda o: (o.created, o.id))
    _check_conflicts(pool, owners, pairs)
    for other in owners:
        if other is target:
            continue
        for provider, users in other.logins.items():
            for user in users:
                _link(pool, target, provider, user)
        _delete_identity(env, pool, other)
    for provider, user in pairs:
        _link(pool, target, provider, user)
    if sum(len(users) for users in target.logins.values()) > MAX_LOGINS:
        raise ResourceConflictException(f"An identity can have at most {MAX_LOGINS} linked logins.")
    target.disabled = False
    target.modified = env.clock.now()
    return target


def _check_conflicts(pool: IdentityPool, owners: list[Identity], pairs: list[tuple[str, str]]) -> None:
    seen: dict[str, set[str]] = {}
    for identity in owners:
        for provider, logged_in in identity.logins.items():
            seen.setdefault(provider, set()).update(logged_in)
    for provider, user in pairs:
        seen.setdefault(provider, set()).add(user)
    for provider, users in seen.items():
        if provider != pool.developer_provider and len(users) > 1:
            raise ResourceConflictException(CONFLICT)


def _pairs(checked: list[Login]) -> list[tuple[str, str]]:
    return [(login.provider, login.user) for login in checked if not login.identity_token]


# -- GetId -----------------------------------------------------------------------------------------


def get_id(env: Env, pool_id: str, login_map: dict[str, str] | None) -> Identity:
    pool = pools.find_identity_pool(env, pool_id)
    if not login_map:
        if not pool.allow_unauthenticated:
            raise NotAuthorizedException(UNAUTHENTICATED_NOT_SUPPORTED)
        return _new_identity(env, pool)
    checked = logins.validate(env, pool, login_map)
    tokens = [login for login in checked if login.identity_token]
    if tokens:
        pool_identity = pool.identities.get(tokens[0].user)
        if pool_identity is None:
            raise identity_not_found(tokens[0].user)
        return link(env, pool, _pairs(checked), named=pool_identity)
    return link(env, pool, _pairs(checked))


# -- signing in an identity ------------------------------------------------------------------------


def _sign_in(
    env: Env, identity_id: str, login_map: dict[str, str] | None
) -> tuple[IdentityPool, Identity, list[Login]]:
    """The identity a credentials or token request is for, after checking its logins."""
    pool, identity = find_identity(env, identity_id)
    if identity.disabled:
        raise forbidden(identity_id)
    if not login_map:
        if identity.logins:
            raise NotAuthorizedException(LOGINS_DONT_MATCH)
        if not pool.allow_unauthenticated:
            raise NotAuthorizedException(UNAUTHENTICATED_NOT_SUPPORTED)
        return pool, identity, []
    checked = logins.validate(env, pool, login_map)
    for login in checked:
        if login.identity_token and login.user != identity.id:
            raise NotAuthorizedException(LOGINS_DONT_MATCH)
    if identity.logins and not any(_proves(pool, identity, login) for login in checked):
        # A signed-in identity answers only to one of its own logins: another user's (a cached identity
        # id after a user switch) neither links to it nor merges into it.
        raise NotAuthorizedException(LOGINS_DONT_MATCH)
    pairs = _pairs(checked)
    if pairs:
        identity = link(env, pool, pairs, named=identity)
    return pool, identity, checked


def _proves(pool: IdentityPool, identity: Identity, login: Login) -> bool:
    if login.identity_token:
        return login.user == identity.id
    return pool.login_index.get(login_key(login.provider, login.user)) == identity.id


def get_credentials(
    env: Env, identity_id: str, login_map: dict[str, str] | None, custom_role_arn: str | None
) -> tuple[Identity, credentials.TemporaryCredentials]:
    pool, identity, checked = _sign_in(env, identity_id, login_map)
    role = role_mapping.choose_role(pool, checked, custom_role_arn)
    tags: dict[str, str] = {}
    for login in checked:
        tags.update(pools.principal_tags_for(pool, login.provider, login.claims))
        if login.identity_token:
            tags.update(_token_principal_tags(login.claims))
    providers = _providers(identity, checked)
    return identity, credentials.issue(env, pool, identity.id, role, providers, tags)


def _token_principal_tags(claims: dict[str, Any]) -> dict[str, str]:
    section = claims.get(openid.PRINCIPAL_TAGS_CLAIM) or {}
    tags = section.get("principal_tags") or {}
    return {k: v[0] if isinstance(v, list) and v else str(v) for k, v in tags.items()}


def _providers(identity: Identity, checked: list[Login]) -> list[str]:
    if not checked:
        return []
    names = [login.provider for login in checked if not login.identity_token]
    if any(login.identity_token for login in checked):
        names.extend(p for p in identity.logins if p not in names)
    return names


def get_open_id_token(env: Env, identity_id: str, login_map: dict[str, str] | None) -> tuple[Identity, str]:
    """GetOpenIdToken, the basic (classic) flow's first step: refused in a pool whose AllowClassicFlow is
    false and in one with role mappings (developer guide, "Identity pools authentication flow"). Only an
    explicit false refuses it: Cognito hands out the token in a pool created without AllowClassicFlow
    (aws-cli #7652, whose report shows the refusal only after --no-allow-classic-flow)."""
    pool, _ = find_identity(env, identity_id)
    if pool.settings.get("AllowClassicFlow") is False:
        raise InvalidParameterException(CLASSIC_FLOW_DISABLED)
    if pool.role_mappings:
        raise InvalidParameterException(CLASSIC_FLOW_WITH_ROLE_MAPPINGS)
    pool, identity, checked = _sign_in(env, identity_id, login_map)
    providers = _providers(identity, checked)
    return identity, openid.issue(env, pool, identity.id, providers, sign_ins=_user_pool_sign_ins(checked))


def _user_pool_sign_ins(checked: list[Login]) -> list[str]:
    """The ``amr`` entries naming the user pool users of the call's logins."""
    return [
        f"{login.provider}:CognitoSignIn:{login.user}"
        for login in checked
        if login.provider.startswith("cognito-idp.")
    ]


# -- developer identities --------------------------------------------------------------------------


def _developer_pool(store: Store, pool_id: str, provider: str | None = None) -> IdentityPool:
    pool = pools.get_identity_pool(store, pool_id)
    if pool.developer_provider is None:
        raise InvalidParameterException("This identity pool has no DeveloperProviderName.")
    if provider is not None and provider != pool.developer_provider:
        raise ResourceNotFoundException(f"Developer provider '{provider}' not found for this identity pool.")
    return pool


def get_open_id_token_for_developer_identity(
    env: Env, store: Store, params: dict[str, Any]
) -> tuple[Identity, str]:
    pool = pools.get_identity_pool(store, params["IdentityPoolId"])
    login_map: dict[str, str] = params["Logins"]
    pairs: list[tuple[str, str]] = []
    developer_users: list[str] = []
    checked: list[Login] = []
    for provider, token in login_map.items():
        if provider == pool.developer_provider:
            pairs.append((provider, token))
            developer_users.append(token)
        else:
            login = logins.validate_one(env, pool, provider, token)
            checked.append(login)
            if not login.identity_token:
                pairs.append((login.provider, login.user))
    named: Identity | None = None
    if params.get("IdentityId"):
        named = pool.identities.get(params["IdentityId"])
        if named is None:
            raise identity_not_found(params["IdentityId"])
        for user in developer_users:
            owner = pool.login_index.get(login_key(pool.developer_provider or "", user))
            if owner is not None and owner != named.id:
                raise DeveloperUserAlreadyRegisteredException(
                    "The provided developer user identifier is already registered with Cognito under a different identity ID."
                )
    identity = link(env, pool, pairs, named=named) if pairs else named or _new_identity(env, pool)
    duration = params.get("TokenDuration") or openid.DEVELOPER_DEFAULT_DURATION
    sign_ins = [f"{pool.developer_provider}:{pool.id}:{user}" for user in developer_users]
    token = openid.issue(
        env,
        pool,
        identity.id,
        list(identity.logins),
        int(duration),
        params.get("PrincipalTags") or None,
        sign_ins=sign_ins + _user_pool_sign_ins(checked),
    )
    return identity, token


def lookup_developer_identity(
    env: Env, store: Store, params: dict[str, Any]
) -> tuple[Identity, list[str], str | None]:
    pool = _developer_pool(store, params["IdentityPoolId"])
    provider = pool.developer_provider or ""
    identity_id, user = params.get("IdentityId"), params.get("DeveloperUserIdentifier")
    if not identity_id and not user:
        raise InvalidParameterException("Either IdentityId or DeveloperUserIdentifier must be given.")
    identity: Identity | None = None
    if user:
        owner = pool.login_index.get(login_key(provider, user))
        identity = pool.identities.get(owner) if owner else None
        if identity is None:
            raise ResourceNotFoundException(f"DeveloperUserIdentifier '{user}' not found.")
        if identity_id and identity_id != identity.id:
            raise ResourceConflictException(
                f"DeveloperUserIdentifier '{user}' is not linked to identity '{identity_id}'."
            )
    else:
        identity = pool.identities.get(identity_id or "")
        if identity is None:
            raise identity_not_found(identity_id or "")
    users = sorted(identity.logins.get(provider, []))
    page, token = paginate(users, lambda u: u, params.get("MaxResults") or 60, params.get("NextToken"))
    return identity, page, token


def merge_developer_identities(env: Env, store: Store, params: dict[str, Any]) -> Identity:
    pool = _developer_pool(store, params["IdentityPoolId"], params["DeveloperProviderName"])
    provider = params["DeveloperProviderName"]
    found: list[Identity] = []
    for key in ("SourceUserIdentifier", "DestinationUserIdentifier"):
        owner = pool.login_index.get(login_key(provider, params[key]))
        identity = pool.identities.get(owner) if owner else None
        if identity is None:
            raise ResourceNotFoundException(f"DeveloperUserIdentifier '{params[key]}' not found.")
        found.append(identity)
    source, destination = found
    if source is destination:
        return destination
    merged = {p: set(u) for p, u in destination.logins.items()}
    for p, users in source.logins.items():
        merged.setdefault(p, set()).update(users)
    if any(len(users) > 1 for p, users in merged.items() if p != provider):
        raise ResourceConflictException(CONFLICT)
    if sum(len(users) for users in merged.values()) > MAX_LOGINS:
        raise ResourceConflictException(f"An identity can have at most {MAX_LOGINS} linked logins.")
    for p, users in source.logins.items():
        for user in users:
            _link(pool, destination, p, user)
    _delete_identity(env, pool, source)
    destination.modified = env.clock.now()
    return destination


def _unlink(env: Env, pool: IdentityPool, identity: Identity, provider: str, user: str | None) -> None:
    users = identity.logins.get(provider, [])
    for name in [u for u in users if user is None or u == user]:
        users.remove(name)
        pool.login_index.pop(login_key(provider, name), None)
    if not users:
        identity.logins.pop(provider, None)
    if not identity.logins:
        # "Removing the last linked login will make this identity inaccessible." (UnlinkIdentity)
        identity.disabled = True
    identity.modified = env.clock.now()


def unlink_developer_identity(env: Env, store: Store, params: dict[str, Any]) -> None:
    pool = _developer_pool(store, params["IdentityPoolId"], params["DeveloperProviderName"])
    identity = pool.identities.get(params["IdentityId"])
    if identity is None:
        raise identity_not_found(params["IdentityId"])
    user = params["DeveloperUserIdentifier"]
    if user not in identity.logins.get(params["DeveloperProviderName"], []):
        raise ResourceNotFoundException(f"DeveloperUserIdentifier '{user}' is not linked to this identity.")
    _unlink(env, pool, identity, params["DeveloperProviderName"], user)


def unlink_identity(env: Env, identity_id: str, login_map: dict[str, str], to_remove: list[str]) -> None:
    """UnlinkIdentity (unsigned): the logins prove the caller owns the identity."""
    pool, identity = find_identity(env, identity_id)
    if identity.disabled:
        raise forbidden(identity_id)
    for login in logins.validate(env, pool, login_map):
        if login.identity_token:
            owner: str | None = login.user
        else:
            owner = pool.login_index.get(login_key(login.provider, login.user))
        if owner != identity.id:
            raise NotAuthorizedException(LOGINS_DONT_MATCH)
    for provider in to_remove:
        if provider in identity.logins:
            _unlink(env, pool, identity, provider, None)


# -- administration --------------------------------------------------------------------------------


def list_identities(
    env: Env, store: Store, pool_id: str, limit: int, token: str | None, hide_disabled: bool
) -> tuple[list[Identity], str | None]:
    pool = pools.get_identity_pool(store, pool_id)
    items = sorted(
        (i for i in pool.identities.values() if not (hide_disabled and i.disabled)), key=lambda i: i.id
    )
    return paginate(items, lambda i: i.id, limit, token)


def delete_identities(env: Env, store: Store, identity_ids: list[str]) -> list[str]:
    """Delete what exists; answers the ids that named no identity of this account and region."""
    not_found = []
    for identity_id in identity_ids:
        try:
            pool, identity = owned_identity(env, store, identity_id)
        except ResourceNotFoundException:
            not_found.append(identity_id)
            continue
        _delete_identity(env, pool, identity)
    return not_found
