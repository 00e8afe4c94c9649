"""GetSigningCertificate."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp import keys
from cognito_emu.idp.pool import pools
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def get_signing_certificate(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    return {"Certificate": keys.signing_certificate(pool)}


HANDLERS = {
    "GetSigningCertificate": get_signing_certificate,
}
