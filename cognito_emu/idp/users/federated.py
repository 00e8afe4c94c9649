"""Federated users: sign-in through a pool's third-party IdP, and linking external identities to users.

The emulator cannot reach Google, Facebook, an OIDC issuer or a SAML IdP, so the hosted login stands in
for them (``cognito_emu.oauth.federation``) and hands this module what the IdP would assert. From there
it behaves as Cognito does (developer guide, "Adding user pool sign-in through a third party" and
"Linking federated users to an existing user profile"):

- the asserted attributes go through the IdP's AttributeMapping (user pool attribute -> IdP attribute);
- the external user is ``<ProviderName>_<subject>`` (folded to lower case in a case-insensitive pool,
  where Cognito shows ``google_1234...``), status EXTERNAL_PROVIDER, with an ``identities`` attribute:
  ``[{"userId", "providerName", "providerType", "issuer", "primary", "dateCreated"}]`` (epoch ms);
- its first sign-in fires PreSignUp (``PreSignUp_ExternalProvider``) before the user exists, then
  PostConfirmation (``PostConfirmation_ConfirmSignUp``); later sign-ins update the mapped attributes;
- an identity AdminLinkProviderForUser linked to a user signs in as that user; a link made on another
  attribute than Cognito_Subject (OIDC, SAML) matches that mapped attribute's value, and its entry is
  keyed by the subject from the first sign-in on (API reference, AdminDisableProviderForUser);
- AdminDisableProviderForUser removes a link (the identity then signs up anew) or, for the federated
  user itself, turns the user off.

Lookups go through ``UserIndex.by_identity`` ((providerName, userId) -> user), built from the
``identities`` attributes, so nothing else has to be stored or exported.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    UserNotFoundException,
)
from cognito_emu.idp.models import IdentityProvider, User, UserAttributes, UserPool, UserStatus
from cognito_emu.idp.pool import point_in_time
from cognito_emu.idp.pool.identity_providers import SOCIAL, ProviderType, get_identity_provider
from cognito_emu.idp.users import accounts, attributes, directory
from cognito_emu.idp.users.index import identities_of
from cognito_emu.triggers import sign_up as sign_up_triggers
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

IDENTITIES = "identities"
COGNITO = "Cognito"
COGNITO_SUBJECT = "Cognito_Subject"
# AdminLinkProviderForUser: "The maximum number of federated identities linked to a user is five."
MAX_LINKED = 5
PRE_SIGN_UP = "PreSignUp_ExternalProvider"
POST_CONFIRMATION = "PostConfirmation_ConfirmSignUp"
# Messages as Cognito words them (seen in the wild; the API reference gives none).
NATIVE_SOURCE = (
    "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, "
    "only as a DestinationUser"
)
ALREADY_LINKED = "SourceUser is already linked to DestinationUser"
MERGING = (
    "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link"
)
TOO_MANY_LINKS = f"A user can be linked to at most {MAX_LINKED} external identities."
SOCIAL_SUBJECT = "ProviderAttributeName must be Cognito_Subject for social identity providers."
NO_SUBJECT = "The identity provider asserted no subject (the attribute mapped to username)."
# The test shortcut of the simulated IdP page: /oauth2/authorize?identity_provider=X&emu_assertion=<JSON
# object of the asserted attributes> signs in without showing the page (cognito_emu.oauth.federation).
ASSERTION_PARAMETER = "emu_assertion"
LOGIN_OPTION_UNAVAILABLE = "Login option is not available. Please try another one"


class FederationError(Exception):
    """The simulated IdP's answer cannot be used (no subject)."""


# -- identities attribute ------------------------------------------------------------------------


def _set_identities(env: Env, pool: UserPool, user: User, entries: list[dict[str, Any]]) -> None:
    with directory.changing(pool, user):
        if entries:
            identities = json.dumps(entries, separators=(",", ":"))
            user.attributes = user.attributes.with_values({IDENTITIES: identities})
        else:
            user.attributes = user.attributes.without(IDENTITIES)
    user.modified = env.clock.now()


def issuer_of(provider: IdentityProvider) -> str | None:
    """``issuer`` of an identity: the OIDC issuer, a SAML IdP's entityID; null for social providers."""
    if provider.provider_type == ProviderType.OIDC:
        return provider.details.get("oidc_issuer")
    if provider.provider_type == ProviderType.SAML:
        metadata = provider.details.get("MetadataFile")
        if metadata:
            try:
                return ElementTree.fromstring(metadata).get("entityID")
            except ElementTree.ParseError:
                return None
        return provider.details.get("MetadataURL")
    return None


def identity_entry(env: Env, provider: IdentityProvider, user_id: str, *, primary: bool) -> dict[str, Any]:
    return {
        "userId": user_id,
        "providerName": provider.name,
        "providerType": provider.provider_type,
        "issuer": issuer_of(provider),
        "primary": primary,
        "dateCreated": int(env.clock.now() * 1000),
    }


def external_username(pool: UserPool, provider: IdentityProvider, subject: str) -> str:
    name = f"{provider.name}_{subject}"
    return name if directory.case_sensitive(pool) else name.lower()


def owner_of(pool: UserPool, provider_name: str, user_id: str) -> User | None:
    """The user an external identity signs in as: its own federated user, or the one it is linked to."""
    key = pool.index.by_identity.get((provider_name, user_id))
    return pool.users.get(key) if key is not None else None


def requested_provider(
    pool: UserPool, supported: list[str], name: str | None, identifier: str | None
) -> IdentityProvider | None:
    """The external IdP an authorize request names (``identity_provider``, else ``idp_identifier``),
    or None for the pool's own sign-in (``COGNITO`` or neither). Raises FederationError when the pool
    has no such provider or the app client does not support it (SupportedIdentityProviders)."""
    if not name and identifier:
        found = [p for p in pool.identity_providers.values() if identifier in p.identifiers]
        if not found:
            raise FederationError(f"No identity provider has the identifier {identifier}.")
        name = found[0].name
    if not name or name == "COGNITO":
        return None
    provider = pool.identity_providers.get(name)
    if provider is None or name not in supported:
        raise FederationError(LOGIN_OPTION_UNAVAILABLE)
    return provider


# -- what the IdP asserted -----------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def subject_of(provider: IdentityProvider, asserted: dict[str, Any]) -> str:
    """The IdP's user id: the attribute the provider maps to ``username`` (``sub``, Facebook's ``id``,
    Amazon's ``user_id``; SAML's NameID, asserted as ``sub``)."""
    source = provider.attribute_mapping.get("username") or "sub"
    for name in (source, "sub"):
        value = asserted.get(name)
        if value not in (None, ""):
            return _text(value)
    raise FederationError(NO_SUBJECT)


def map_attributes(provider: IdentityProvider, asserted: dict[str, Any]) -> dict[str, str]:
    """The user pool attributes the IdP's AttributeMapping makes of ``asserted`` (username excluded)."""
    return {
        pool_attribute: _text(asserted[idp_attribute])
        for pool_attribute, idp_attribute in provider.attribute_mapping.items()
        if pool_attribute != "username" and asserted.get(idp_attribute) is not None
    }


# -- sign-in -------------------------------------------------------------------------------------


def _linked_by_attribute(
    env: Env, pool: UserPool, provider: IdentityProvider, subject: str, mapped: dict[str, str]
) -> User | None:
    """A link made on a mapped attribute (OIDC, SAML): from now on it is keyed by the subject."""
    if provider.provider_type in SOCIAL:
        return None
    for value in mapped.values():
        user = owner_of(pool, provider.name, value)
        if user is None or user.status == UserStatus.EXTERNAL_PROVIDER:
            continue
        entries = identities_of(user)
        for entry in entries:
            if entry.get("providerName") == provider.name and entry.get("userId") == value:
                entry["userId"] = subject
        _set_identities(env, pool, user, entries)
        return user
    return None


def sign_in(
    env: Env,
    pool: UserPool,
    provider: IdentityProvider,
    asserted: dict[str, Any],
    *,
    client_id: str | None,
    trigger_input: TriggerInput = NO_INPUT,
) -> User:
    """The user an IdP's assertion signs in as, created on its first sign-in (raises CognitoError)."""
    subject = subject_of(provider, asserted)
    mapped = map_attributes(provider, asserted)
    user = owner_of(pool, provider.name, subject)
    if user is None:
        _refuse_new_user(env, pool)
        user = _linked_by_attribute(env, pool, provider, subject, mapped)
    if user is None:
        return _sign_up(env, pool, provider, subject, mapped, client_id, trigger_input)
    directory.refuse_disabled(user)
    if user.status == UserStatus.EXTERNAL_PROVIDER and mapped and pool.serving_replica() is None:
        # Cognito writes the mapped attributes again at every sign-in of a federated user (the primary
        # does: a secondary replica changes no user, and signs the user in as replicated).
        updates = {k: v for k, v in mapped.items() if k not in attributes.SYSTEM_ATTRIBUTES}
        running = point_in_time.active(pool, env.clock.now())
        if running is not None and any(user.attributes.get(k) != v for k, v in updates.items()):
            raise OperationNotEnabledException(
                f"The identity provider changed this user's attributes; user pool {pool.id} takes no "
                f"user data changes while point-in-time recovery {running.restore_id} runs."
            )
        with directory.changing(pool, user):
            attributes.apply(user, updates, env.clock.now())
    return user


def _refuse_new_user(env: Env, pool: UserPool) -> None:
    """A federated user's first sign-in creates (or links) a user, which neither a secondary replica
    (developer guide, multi-Region replication: federated users sign in to a secondary only once they
    have signed in to the primary) nor a pool under point-in-time recovery (API reference,
    InitiatePointInTimeRecovery) does."""
    replica = pool.serving_replica()
    if replica is not None:
        raise OperationNotEnabledException(
            f"This user has not signed in to user pool {pool.id} in {pool.region}, its primary Region, "
            f"yet; the secondary replica in {replica.region} creates no users."
        )
    running = point_in_time.active(pool, env.clock.now())
    if running is not None:
        raise OperationNotEnabledException(
            f"User pool {pool.id} takes no new users while point-in-time recovery {running.restore_id} runs."
        )


def _sign_up(
    env: Env,
    pool: UserPool,
    provider: IdentityProvider,
    subject: str,
    mapped: dict[str, str],
    client_id: str | None,
    trigger_input: TriggerInput,
) -> User:
    username = external_username(pool, provider, subject)
    given = {k: v for k, v in mapped.items() if k not in attributes.SYSTEM_ATTRIBUTES}
    attributes.check_new_user(pool, given)
    outcome = sign_up_triggers.pre_sign_up(
        env,
        pool,
        PRE_SIGN_UP,
        username=username,
        attributes=given,
        client_id=client_id,
        trigger_input=trigger_input,
    )
    sub = env.ids.uuid()
    now = env.clock.now()
    entry = identity_entry(env, provider, subject, primary=True)
    user = User(
        username=username,
        sub=sub,
        created=now,
        modified=now,
        status=UserStatus.EXTERNAL_PROVIDER,
        attributes=UserAttributes(
            {
                "sub": sub,
                **given,
                **sign_up_triggers.verified_flags(outcome, given),
                IDENTITIES: json.dumps([entry], separators=(",", ":")),
            }
        ),
    )
    # Not accounts.create_user: a federated user's name is no email or phone number even where those are
    # usernames, and its email may equal another user's (that is what linking is for).
    directory.add_user(pool, user)
    sign_up_triggers.post_confirmation(
        env, pool, user, POST_CONFIRMATION, client_id=client_id, trigger_input=trigger_input
    )
    return user


# -- AdminLinkProviderForUser / AdminDisableProviderForUser ---------------------------------------


def _external_provider(pool: UserPool, spec: dict[str, Any], role: str) -> IdentityProvider:
    name = spec.get("ProviderName") or ""
    if name == COGNITO:
        if role == "SourceUser":
            raise InvalidParameterException(NATIVE_SOURCE)
        raise InvalidParameterException(f"Invalid {role}: ProviderName Cognito is not an external provider.")
    return get_identity_provider(pool, name)


def _attribute_name(provider: IdentityProvider, spec: dict[str, Any]) -> str:
    name = spec.get("ProviderAttributeName") or COGNITO_SUBJECT
    if provider.provider_type in SOCIAL and name != COGNITO_SUBJECT:
        raise InvalidParameterException(SOCIAL_SUBJECT)
    return name


def _value(spec: dict[str, Any], role: str) -> str:
    value = spec.get("ProviderAttributeValue")
    if not value:
        raise InvalidParameterException(f"{role}.ProviderAttributeValue is required.")
    return str(value)


def _destination(pool: UserPool, spec: dict[str, Any]) -> User:
    """DestinationUser: a local user by username, or a federated user by its provider's user id."""
    value = _value(spec, "DestinationUser")
    name = spec.get("ProviderName") or COGNITO
    if name == COGNITO:
        user = pool.users.get(directory.user_key(pool, value))
    else:
        get_identity_provider(pool, name)
        user = owner_of(pool, name, value)
    if user is None:
        raise UserNotFoundException(directory.USER_NOT_FOUND)
    return user


def link(env: Env, pool: UserPool, destination: dict[str, Any], source: dict[str, Any]) -> User:
    """AdminLinkProviderForUser: ``source`` (an external identity that has not signed up) will sign in
    as the ``destination`` user; the identity joins that user's ``identities``."""
    provider = _external_provider(pool, source, "SourceUser")
    _attribute_name(provider, source)
    value = _value(source, "SourceUser")
    user = _destination(pool, destination)
    owner = owner_of(pool, provider.name, value)
    if owner is not None:
        if owner.status == UserStatus.EXTERNAL_PROVIDER and owner.username == external_username(
            pool, provider, value
        ):
            raise InvalidParameterException(MERGING)
        raise InvalidParameterException(ALREADY_LINKED)
    if pool.users.get(directory.user_key(pool, external_username(pool, provider, value))) is not None:
        raise InvalidParameterException(MERGING)
    entries = identities_of(user)
    linked = [entry for entry in entries if not entry.get("primary")]
    if len(linked) >= MAX_LINKED:
        raise LimitExceededException(TOO_MANY_LINKS)
    entries.append(identity_entry(env, provider, value, primary=False))
    _set_identities(env, pool, user, entries)
    return user


def disable(env: Env, pool: UserPool, spec: dict[str, Any]) -> None:
    """AdminDisableProviderForUser: a linked identity is unlinked; a federated user is turned off."""
    name = spec.get("ProviderName") or ""
    value = _value(spec, "User")
    if name == COGNITO:
        if (spec.get("ProviderAttributeName") or COGNITO_SUBJECT) != COGNITO_SUBJECT:
            raise InvalidParameterException("ProviderAttributeName must be Cognito_Subject for Cognito.")
        user = pool.users.get(directory.user_key(pool, value))
        if user is None:
            raise UserNotFoundException(directory.USER_NOT_FOUND)
        _turn_off(env, pool, user)
        return
    provider = get_identity_provider(pool, name)
    _attribute_name(provider, spec)
    user = owner_of(pool, provider.name, value)
    if user is None:
        raise UserNotFoundException(directory.USER_NOT_FOUND)
    entries = identities_of(user)
    own = user.status == UserStatus.EXTERNAL_PROVIDER and any(
        entry.get("primary") and entry.get("providerName") == provider.name and entry.get("userId") == value
        for entry in entries
    )
    if own:
        _turn_off(env, pool, user)
        return
    kept = [
        entry
        for entry in entries
        if not (entry.get("providerName") == provider.name and entry.get("userId") == value)
    ]
    _set_identities(env, pool, user, kept)


def _turn_off(env: Env, pool: UserPool, user: User) -> None:
    # The user can no longer sign in through this provider (or, for a local user, with its password):
    # the emulator turns the user off; the tokens it holds are left alone (only AdminDisableUser's
    # reference says it revokes them).
    accounts.set_enabled(env, pool, user, False)
