"""A V2_0 pre token generation handler: complex claims in both tokens, scopes added and suppressed."""


def handler(event, context):
    event["response"]["claimsAndScopeOverrideDetails"] = {
        "idTokenGeneration": {
            "claimsToAddOrOverride": {"tenant": {"id": "t-1", "tier": 2}, "roles": ["admin", "ops"]},
            "claimsToSuppress": ["email"],
        },
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {"tenant_id": "t-1", "beta": True, "quota": 5, "client_id": "forged"},
            "claimsToSuppress": ["username"],
            "scopesToAdd": ["orders/read", "orders/write"],
            "scopesToSuppress": ["aws.cognito.signin.user.admin"],
        },
    }
    return event
