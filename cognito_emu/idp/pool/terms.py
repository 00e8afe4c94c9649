"""Terms documents: links to an app client's terms of use and privacy policy, by language, that managed
login shows on its sign-up page. Cognito stores and echoes them.

API reference, CreateTerms:
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateTerms.html
TermsName is ``terms-of-use`` or ``privacy-policy`` (the model's pattern) and unique per app client
(TermsExistsException), so a client has at most one document of each kind.
"""

from __future__ import annotations

from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, ResourceNotFoundException, TermsExistsException
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import pools
from cognito_emu.idp.pool.clients import get_client
from cognito_emu.pagination import paginate
from cognito_emu.state import Store

DEFAULT_MAX_RESULTS = 60


def create(env: Env, store: Store, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(store, params["UserPoolId"])
    client = get_client(pool, params["ClientId"])
    _require_unique_name(pool, client.client_id, params["TermsName"])
    links = params.get("Links")
    if not links:
        raise InvalidParameterException("Links must map at least one language to the terms document's URL.")
    now = env.clock.now()
    terms: dict[str, Any] = {
        "TermsId": env.ids.uuid(),
        "UserPoolId": pool.id,
        "ClientId": client.client_id,
        "TermsName": params["TermsName"],
        "TermsSource": params["TermsSource"],
        "Enforcement": params["Enforcement"],
        "Links": dict(links),
        "CreationDate": now,
        "LastModifiedDate": now,
    }
    pool.terms[terms["TermsId"]] = terms
    return dict(terms)


def update(env: Env, store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Members the request names replace the stored ones; Links is replaced as a whole."""
    pool = pools.get_user_pool(store, params["UserPoolId"])
    terms = _get(pool, params["TermsId"])
    name = params.get("TermsName")
    if name is not None and name != terms["TermsName"]:
        _require_unique_name(pool, terms["ClientId"], name)
    for member in ("TermsName", "TermsSource", "Enforcement"):
        if member in params:
            terms[member] = params[member]
    if "Links" in params:
        terms["Links"] = dict(params["Links"])
    terms["LastModifiedDate"] = env.clock.now()
    return dict(terms)


def describe(store: Store, pool_id: str, terms_id: str) -> dict[str, Any]:
    return dict(_get(pools.get_user_pool(store, pool_id), terms_id))


def describe_by_client(store: Store, pool_id: str, client_id: str, name: str) -> dict[str, Any]:
    pool = pools.get_user_pool(store, pool_id)
    get_client(pool, client_id)
    terms = _find(pool, client_id, name)
    if terms is None:
        raise ResourceNotFoundException(f"App client {client_id} has no terms document named {name}.")
    return dict(terms)


def delete(store: Store, pool_id: str, terms_id: str) -> None:
    pool = pools.get_user_pool(store, pool_id)
    del pool.terms[_get(pool, terms_id)["TermsId"]]


def list_terms(
    store: Store, pool_id: str, max_results: int | None, token: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the pool's documents, oldest first."""
    pool = pools.get_user_pool(store, pool_id)
    ordered = sorted(pool.terms.values(), key=_position)
    return paginate(ordered, key=_position, limit=max_results or DEFAULT_MAX_RESULTS, token=token)


def _position(terms: dict[str, Any]) -> str:
    return f"{terms['CreationDate']:020.6f}:{terms['TermsId']}"


def _get(pool: UserPool, terms_id: str) -> dict[str, Any]:
    terms = pool.terms.get(terms_id.lower())
    if terms is None:
        raise ResourceNotFoundException(f"Terms {terms_id} do not exist.")
    return terms


def _find(pool: UserPool, client_id: str, name: str) -> dict[str, Any] | None:
    return next(
        (t for t in pool.terms.values() if t["ClientId"] == client_id and t["TermsName"] == name), None
    )


def _require_unique_name(pool: UserPool, client_id: str, name: str) -> None:
    if _find(pool, client_id, name) is not None:
        raise TermsExistsException(f"Terms named {name} already exist for app client {client_id}.")
