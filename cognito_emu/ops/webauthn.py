"""Passkey operations of a signed-in user: Start/CompleteWebAuthnRegistration, List/DeleteWebAuthnCredential."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import webauthn
from cognito_emu.idp.models import WebAuthnCredential
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_credential(credential: WebAuthnCredential) -> dict[str, Any]:
    """WebAuthnCredentialDescription."""
    out: dict[str, Any] = {
        "CredentialId": credential.credential_id,
        "FriendlyCredentialName": credential.friendly_name,
        "RelyingPartyId": credential.relying_party_id,
        "AuthenticatorTransports": list(credential.transports),
        "CreatedAt": credential.created,
    }
    if credential.authenticator_attachment:
        out["AuthenticatorAttachment"] = credential.authenticator_attachment
    return out


def start_web_authn_registration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    options = webauthn.start_registration(call.env, principal.pool, principal.client, principal.user)
    return {"CredentialCreationOptions": options}


def complete_web_authn_registration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    webauthn.complete_registration(
        call.env, principal.pool, principal.client, principal.user, params["Credential"]
    )
    return {}


def list_web_authn_credentials(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    page, next_token = webauthn.list_credentials(
        principal.user, params.get("MaxResults"), params.get("NextToken")
    )
    return {"Credentials": [present_credential(c) for c in page], "NextToken": next_token}


def delete_web_authn_credential(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    webauthn.delete_credential(call.env, principal.user, params["CredentialId"])
    return {}


HANDLERS = {
    "StartWebAuthnRegistration": start_web_authn_registration,
    "CompleteWebAuthnRegistration": complete_web_authn_registration,
    "ListWebAuthnCredentials": list_web_authn_credentials,
    "DeleteWebAuthnCredential": delete_web_authn_credential,
}
