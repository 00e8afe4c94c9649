"""The console's pages: what the emulator holds, read-mostly, rendered on the server.

Secrets (client secrets, TOTP secrets, temporary passwords) are shown only on ``?secrets=1``. Pages take
the state lock while they read, as the control API does.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlencode

from werkzeug.exceptions import NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from cognito_emu import __version__
from cognito_emu.csrf import FormToken
from cognito_emu.env import Env
from cognito_emu.identity import index as identity_index
from cognito_emu.identity import openid
from cognito_emu.idp.keys import ExpiredToken, InvalidToken, kid, unverified_claims, verify
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.pool.pools import mfa_configuration
from cognito_emu.idp.users.directory import find_user, user_key
from cognito_emu.templating import Markup, render
from cognito_emu.usage.report import report, valid_month
from cognito_emu.web.console.parts import (
    Cell,
    code_block,
    definitions,
    heading,
    hidden,
    link,
    paragraph,
    path,
    table,
    when,
)

PACKAGE = "cognito_emu.web.console"
ROOT = "/_emu/ui"
# Where the console's routes (console.rules) leave the request's CSRF token (cognito_emu.csrf.FormToken).
FORM_TOKEN = "cognito_emu.console.form_token"
# The most a token field may hold: longer input is refused, not decoded.
MAX_TOKEN_CHARS = 16_384
STATIC_TYPES = {".css": "text/css; charset=utf-8"}


def _page(env: Env, title: str, content: str, status: int = 200) -> Response:
    body = render(
        PACKAGE,
        "layout.html",
        title=title,
        content=Markup(content),
        clock=f"Emulator clock: {when(env.clock.now())}" + (" (frozen)" if env.clock.frozen else ""),
        version=__version__,
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def error(env: Env, message: str, status: int = 404) -> Response:
    return _page(env, "Not found" if status == 404 else "Error", paragraph(message, "bad"), status)


def _csrf(request: Request) -> str:
    """The value of the hidden ``_csrf`` field of a form on the page."""
    token: FormToken = request.environ[FORM_TOKEN]
    return token.value()


def _secrets(request: Request) -> bool:
    return request.args.get("secrets") == "1"


def _secrets_link(request: Request, shown: bool) -> Markup:
    query = {k: v for k, v in request.args.items() if k != "secrets"}
    if shown:
        return Markup(f"<p>{link(request.path + '?' + urlencode(query), 'Hide secrets')}</p>\n")
    return Markup(
        f"<p>{link(request.path + '?' + urlencode({**query, 'secrets': '1'}), 'Show secrets')}</p>\n"
    )


def _pools(env: Env) -> list[UserPool]:
    return [pool for store in env.state.stores.values() for pool in store.user_pools.values()]


# -- pages ----------------------------------------------------------------------------------------


def overview(env: Env, request: Request) -> Response:
    with env.state.lock:
        usage = {entry["userPoolId"]: entry for entry in report(env)["userPools"]}
        rows = [
            (
                link(path("pools", pool.id), pool.id),
                pool.name,
                pool.account,
                pool.region,
                pool.settings.get("UserPoolTier", "ESSENTIALS"),
                len(pool.clients),
                len(pool.users),
                usage[pool.id]["monthlyActiveUsers"],
            )
            for pool in _pools(env)
        ]
    content = table(
        ["Id", "Name", "Account", "Region", "Feature plan", "App clients", "Users", "MAU this month"],
        rows,
        "No user pools yet.",
    )
    return _page(env, "User pools", content + render(PACKAGE, "controls.html", csrf=_csrf(request)))


def pool_page(env: Env, request: Request, pool_id: str) -> Response:
    shown = _secrets(request)
    with env.state.lock:
        pool = env.state.find_pool(pool_id)
        if pool is None:
            return error(env, f"No user pool {pool_id} exists.")
        settings = definitions(
            [
                ("Id", pool.id),
                ("Name", pool.name),
                ("ARN", pool.arn),
                ("Created", when(pool.created)),
                ("Feature plan", pool.settings.get("UserPoolTier", "ESSENTIALS")),
                ("MFA", mfa_configuration(pool)),
                ("Sign in with", ", ".join(pool.settings.get("UsernameAttributes", [])) or "username"),
                ("Domain", pool.domain),
                ("Keys", link(f"/{pool.id}/.well-known/jwks.json", "jwks.json")),
            ]
        )
        clients = table(
            ["Client id", "Name", "Secret", "Auth flows", "OAuth flows", "Callback URLs"],
            [
                (
                    client.client_id,
                    client.name,
                    hidden(client.secrets[0].value, shown) if client.secrets else None,
                    ", ".join(client.settings.get("ExplicitAuthFlows", [])),
                    ", ".join(client.settings.get("AllowedOAuthFlows", [])),
                    ", ".join(client.settings.get("CallbackURLs", [])),
                )
                for client in pool.clients.values()
            ],
            "No app clients.",
        )
        groups = table(
            ["Group", "Description", "Precedence", "Members"],
            [(g.name, g.description, g.precedence, len(g.members)) for g in pool.groups.values()],
            "No groups.",
        )
        users = table(
            ["Username", "Status", "Enabled", "Email", "Phone", "MFA", "Devices", "Groups"],
            [
                (
                    link(
                        path("pools", pool.id, "user") + "?" + urlencode({"username": user.username}),
                        user.username,
                    ),
                    user.status.value,
                    "yes" if user.enabled else "no",
                    user.attributes.get("email"),
                    user.attributes.get("phone_number"),
                    ", ".join(_mfa_factors(user)),
                    len(user.devices),
                    ", ".join(_groups_of(pool, user)),
                )
                for user in pool.users.values()
            ],
            "No users.",
        )
        (usage,) = [entry for entry in report(env)["userPools"] if entry["userPoolId"] == pool.id]
    content = (
        settings
        + _secrets_link(request, shown)
        + heading("App clients")
        + clients
        + heading("Groups")
        + groups
        + heading("Users")
        + users
        + heading("Usage this month")
        + _usage_table([usage])
    )
    return _page(env, f"User pool {pool_id}", content)


def _mfa_factors(user: User) -> list[str]:
    factors = [("SMS_MFA", user.mfa.sms), ("SOFTWARE_TOKEN_MFA", user.mfa.software_token)]
    factors.append(("EMAIL_OTP", user.mfa.email))
    return [name for name, on in factors if on]


def _groups_of(pool: UserPool, user: User) -> list[str]:
    key = user_key(pool, user.username)
    return [group.name for group in pool.groups.values() if key in group.members]


def user_page(env: Env, request: Request, pool_id: str) -> Response:
    shown = _secrets(request)
    username = request.args.get("username", "")
    with env.state.lock:
        pool = env.state.find_pool(pool_id)
        if pool is None:
            return error(env, f"No user pool {pool_id} exists.")
        user = find_user(pool, username)
        if user is None:
            return error(env, f"No user {username} exists in {pool_id}.")
        summary = definitions(
            [
                ("Username", user.username),
                ("Pool", link(path("pools", pool.id), pool.id)),
                ("Status", user.status.value),
                ("Enabled", "yes" if user.enabled else "no"),
                ("Created", when(user.created)),
                ("Modified", when(user.modified)),
                ("Groups", ", ".join(_groups_of(pool, user)) or None),
                ("Signed-in sessions", len([s for s in user.sessions.values() if not s.revoked])),
            ]
        )
        attributes = table(["Attribute", "Value"], sorted(user.attributes.items()), "No attributes.")
        mfa = definitions(
            [
                ("Enabled factors", ", ".join(_mfa_factors(user)) or "none"),
                ("Preferred", user.mfa.preferred),
                ("Authenticator app", user.mfa.totp_device_name),
                ("TOTP secret", hidden(user.mfa.totp_secret, shown)),
                ("Passkeys", len(user.webauthn_credentials)),
            ]
        )
        devices = table(
            ["Device key", "Name", "Remembered", "Confirmed", "Last authenticated"],
            [
                (
                    d.key,
                    d.name,
                    d.remembered_status,
                    "yes" if d.confirmed else "no",
                    when(d.last_authenticated),
                )
                for d in user.devices.values()
            ],
            "No devices.",
        )
    messages = [m for m in env.outbox.messages(user_pool_id=pool.id) if m.username == user.username]
    content = (
        summary
        + _secrets_link(request, shown)
        + heading("Attributes")
        + attributes
        + heading("MFA")
        + mfa
        + heading("Devices")
        + devices
        + heading("Messages")
        + _messages_table(messages, shown)
    )
    return _page(env, f"User {user.username}", content)


def _messages_table(messages: list[Any], shown: bool) -> Markup:
    return table(
        ["Time", "Pool", "Username", "Channel", "To", "Reason", "Code", "Temporary password", "Link", "Text"],
        [
            (
                when(m.time),
                m.user_pool_id,
                m.username,
                m.channel,
                m.destination,
                m.reason,
                m.code,
                hidden(m.temporary_password, shown),
                m.link,
                m.body
                if shown or not m.temporary_password
                else m.body.replace(m.temporary_password, "(hidden)"),
            )
            for m in reversed(messages)
        ],
        "No messages.",
    )


def outbox(env: Env, request: Request) -> Response:
    shown = _secrets(request)
    content = paragraph("Every email and SMS, newest first.") + _secrets_link(request, shown)
    return _page(env, "Outbox", content + _messages_table(env.outbox.messages(), shown))


def triggers(env: Env, request: Request) -> Response:
    mappings = table(
        ["Lambda ARN or function name", "Target"], sorted(env.triggers.mappings().items()), "No mappings."
    )
    log = table(
        ["Time", "Trigger", "triggerSource", "Pool", "Target", "ms", "Outcome", "Error"],
        [
            (
                when(i.time),
                i.trigger,
                i.triggerSource,
                i.userPoolId,
                i.target,
                round(i.ms, 1),
                i.outcome,
                i.error,
            )
            for i in reversed(env.triggers.log())
        ],
        "No invocations.",
    )
    return _page(env, "Lambda triggers", heading("Mappings") + mappings + heading("Invocations") + log)


def identity(env: Env, request: Request) -> Response:
    with env.state.lock:
        pools = [pool for store in env.state.stores.values() for pool in store.identity_pools.values()]
        parts: list[Markup] = []
        for pool in pools:
            parts.append(heading(f"{pool.name} ({pool.id})"))
            parts.append(
                definitions(
                    [
                        (
                            "Unauthenticated identities",
                            "allowed" if pool.allow_unauthenticated else "not allowed",
                        ),
                        ("Authenticated role", pool.roles.get("authenticated")),
                        ("Unauthenticated role", pool.roles.get("unauthenticated")),
                    ]
                )
            )
            parts.append(
                table(
                    ["Identity id", "Created", "Logins", "Disabled"],
                    [
                        (i.id, when(i.created), ", ".join(sorted(i.logins)), "yes" if i.disabled else "no")
                        for i in pool.identities.values()
                    ],
                    "No identities.",
                )
            )
            parts.append(
                table(
                    ["Access key id", "Identity id", "Role", "Logins", "Expires"],
                    [
                        (
                            c.access_key_id,
                            c.identity_id,
                            c.role_arn,
                            ", ".join(c.providers),
                            when(c.expiration),
                        )
                        for c in pool.credentials.values()
                    ],
                    "No credentials issued.",
                )
            )
    content = "".join(parts) if parts else paragraph("No identity pools yet.", "empty")
    return _page(env, "Identity pools", content)


def tokens(env: Env, request: Request) -> Response:
    token = request.form.get("token", "").strip() if request.method == "POST" else ""
    result = Markup("")
    if len(token) > MAX_TOKEN_CHARS:
        result = paragraph(f"That is longer than {MAX_TOKEN_CHARS} characters: not a token.", "bad")
    elif token:
        with env.state.lock:
            result = _decoded(env, token)
    content = render(PACKAGE, "token.html", token=token[:MAX_TOKEN_CHARS], result=result, csrf=_csrf(request))
    return _page(env, "Token decoder", content)


def _decoded(env: Env, token: str) -> Markup:
    try:
        claims = unverified_claims(token)
    except InvalidToken:
        return paragraph("Not a JWT: it does not decode.", "bad")
    if claims.get("iss") == openid.ISSUER:
        verdict = _identity_verdict(env, token, claims)
    else:
        verdict = _user_pool_verdict(env, token, claims)
    times = [
        (name, when(claims[name]))
        for name in ("auth_time", "iat", "exp")
        if isinstance(claims.get(name), int)
    ]
    return Markup(verdict + definitions(times) + code_block(claims))


def _user_pool_verdict(env: Env, token: str, claims: dict[str, Any]) -> Markup:
    """An ID or access token: verified with the key of the user pool its issuer names."""
    pool_id = str(claims.get("iss", "")).rsplit("/", 1)[-1]
    pool = env.state.find_pool(pool_id)
    if pool is None:
        return paragraph(f"Not signed by a user pool of this emulator (issuer {claims.get('iss')}).", "bad")
    try:
        verify(pool, token, now=env.clock.now())
    except ExpiredToken:
        return paragraph(f"Signed by {pool.id}, but expired at {when(claims.get('exp'))}.", "bad")
    except InvalidToken as error:
        return paragraph(f"Not valid for {pool.id}: {error.reason}.", "bad")
    return paragraph(f"Valid: signed by {pool.id} with key {kid(pool)}, not expired.", "ok")


def _identity_verdict(env: Env, token: str, claims: dict[str, Any]) -> Markup:
    """An OpenID token of the identity service (GetOpenIdToken...): verified with the key of the identity
    pool's account and region, its audience being the identity pool."""
    pool = identity_index.find_pool(env.state, str(claims.get("aud", "")))
    if pool is None:
        return paragraph(f"Not for an identity pool of this emulator (audience {claims.get('aud')}).", "bad")
    try:
        verified = openid.verify(env, pool, token)
    except openid.InvalidOpenIdToken as error:
        return paragraph(f"Not valid for identity pool {pool.id}: {error}.", "bad")
    if env.clock.now() > verified["exp"]:
        return paragraph(f"Signed for identity pool {pool.id}, but expired at {when(verified['exp'])}.", "bad")
    return paragraph(
        f"Valid: an OpenID token of identity pool {pool.id} for identity {verified.get('sub')}, not expired.",
        "ok",
    )


def usage(env: Env, request: Request) -> Response:
    month = request.args.get("month") or None
    if month is not None and not valid_month(month):
        return error(env, "month must be YYYY-MM.", 400)
    with env.state.lock:
        document = report(env, month)
    prices = document["prices"]
    content = (
        paragraph(
            f"Monthly active users in {document['month']}, as Cognito counts them for billing: a user who "
            "signs up, signs in, refreshes tokens or is otherwise active (password change, attribute update "
            "or query, admin create or update) in the calendar month counts once. Client-credentials (M2M) "
            "token requests are counted apart."
        )
        + _usage_table(document["userPools"])
        + paragraph("Per account, with one free tier for all its pools, as Cognito bills it:")
        + _account_usage_table(document["accounts"])
        + paragraph(f"Prices as of {prices['asOf']}: {prices['source']}. {prices['note']}")
        + Markup(f"<p>{link('/_emu/usage?month=' + document['month'], 'As JSON')}</p>\n")
    )
    return _page(env, "Usage and cost", content)


# The columns a pool's row and an account's row end with: M2M, then the cost under each feature plan.
_M2M_AND_COST = ["M2M requests", "M2M clients", "Lite USD", "Essentials USD", "Plus USD"]


def _m2m_and_cost(entry: dict[str, Any]) -> tuple[Cell, ...]:
    cost = entry["costUSD"]
    return (
        entry["m2m"]["tokenRequests"],
        entry["m2m"]["appClients"],
        *(f"{cost[plan]:.2f}" for plan in ("LITE", "ESSENTIALS", "PLUS")),
    )


def _usage_table(entries: list[dict[str, Any]]) -> Markup:
    return table(
        ["Pool", "Plan", "MAU", "Sign-in", "Sign-up", "Refresh", "Other", *_M2M_AND_COST],
        [
            (
                link(path("pools", e["userPoolId"]), e["name"]),
                e["featurePlan"],
                e["monthlyActiveUsers"],
                e["activity"]["signIn"],
                e["activity"]["signUp"],
                e["activity"]["refresh"],
                e["activity"]["other"],
                *_m2m_and_cost(e),
            )
            for e in entries
        ],
        "No user pools.",
    )


def _account_usage_table(entries: list[dict[str, Any]]) -> Markup:
    return table(
        ["Account", "Pools", "MAU", *_M2M_AND_COST],
        [(e["account"], e["userPools"], e["monthlyActiveUsers"], *_m2m_and_cost(e)) for e in entries],
        "No user pools.",
    )


def static(env: Env, request: Request, name: str) -> Response:
    content_type = next((t for suffix, t in STATIC_TYPES.items() if name.endswith(suffix)), None)
    folder = resources.files(PACKAGE).joinpath("static")
    if content_type is None or "/" in name or not folder.joinpath(name).is_file():
        raise NotFound()
    response = Response(folder.joinpath(name).read_bytes(), content_type=content_type)
    response.headers["Cache-Control"] = "max-age=300"
    return response


# -- the two things the console changes -----------------------------------------------------------


def clock(env: Env, request: Request) -> Response:
    if request.form.get("action") == "reset":
        env.clock.reset()
    else:
        try:
            seconds = float(request.form.get("advance", ""))
        except ValueError:
            return error(env, "The clock moves by a number of seconds.", 400)
        if not 0 <= seconds <= 10 * 365 * 86400:
            return error(env, "The clock moves forward by 0 to 10 years' worth of seconds.", 400)
        env.clock.advance(seconds)
    return redirect("/_emu/ui", 303)
