"""The benchmark's users: their names, emails and password, and the pools they are made in."""

from __future__ import annotations

from scripts.bench.client import Api

PASSWORD = "Bench-Passw0rd!"
CLIENT_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
# The scale suite's pool (--scale-sign-in): how its users sign in; "email" and "alias" keep the alias
# index too.
SIGN_IN_SETTINGS: dict[str, dict[str, list[str]]] = {
    "username": {},
    "email": {"UsernameAttributes": ["email"]},
    "alias": {"AliasAttributes": ["email"]},
}


def user_name(n: int) -> str:
    return f"user-{n:06d}"


def user_email(n: int) -> str:
    return f"u{n:06d}@example.com"


def make_pool(api: Api, name: str) -> tuple[str, str]:
    pool_id = api("CreateUserPool", {"PoolName": name})["UserPool"]["Id"]
    client = api(
        "CreateUserPoolClient",
        {"UserPoolId": pool_id, "ClientName": f"{name}-client", "ExplicitAuthFlows": CLIENT_FLOWS},
    )
    return pool_id, client["UserPoolClient"]["ClientId"]


def add_users(api: Api, pool_id: str, numbers: range, confirmed: range) -> None:
    """Users through AdminCreateUser; those in ``confirmed`` get PASSWORD as a permanent password."""
    for n in numbers:
        api(
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": user_name(n),
                "MessageAction": "SUPPRESS",
                "UserAttributes": [
                    {"Name": "email", "Value": user_email(n)},
                    {"Name": "email_verified", "Value": "true"},
                ],
            },
        )
        if n in confirmed:
            api(
                "AdminSetUserPassword",
                {"UserPoolId": pool_id, "Username": user_name(n), "Password": PASSWORD, "Permanent": True},
            )
