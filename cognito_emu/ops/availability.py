"""The check before every cognito-idp operation: what the addressed pool takes from the caller's Region
(``idp.pool.availability``), and which replica serves the call.

The Region a call is made in: a signed call's credential scope; for an unsigned one (boto3 signs no
InitiateAuth, SignUp, GetUser, ...), the Regional endpoint it was sent to when the Host names one.
"""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import availability
from cognito_emu.protocol.model import IDP
from cognito_emu.protocol.regions import region_of_endpoint

SERVICE = IDP


def admit(call: Call, params: dict[str, Any]) -> None:
    caller = call.caller
    region = caller.region if caller.signed else region_of_endpoint(call.base_url)
    admission = availability.admit(call.env, caller.account, region, call.operation, params)
    if admission is not None and admission.replica is not None:
        call.replica = admission.replica
        call.home_region = admission.pool.region


ADMIT = admit
