"""Device tracking through boto3: NewDeviceMetadata, ConfirmDevice, the device operations and their Admin*
forms, and sign-in with a remembered device (DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER) computed with
pycognito's device SRP helpers."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device, long_to_hex

from cognito_emu.emulator import Emulator
from tests.api.support import PASSWORD, claims, error_of, send

FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
ALWAYS = {"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False}
OPT_IN = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}
PTG_ARN = "arn:aws:lambda:us-east-1:123456789012:function:devices-ptg"


def make_pool(
    idp: Any, device_configuration: dict[str, bool] | None = ALWAYS, **settings: Any
) -> tuple[str, str]:
    if device_configuration is not None:
        settings["DeviceConfiguration"] = device_configuration
    pool_id = idp.create_user_pool(PoolName="devices", **settings)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    return pool_id, client_id


def password_sign_in(idp: Any, client_id: str, device_key: str | None = None) -> dict[str, Any]:
    params = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    if device_key:
        params["DEVICE_KEY"] = device_key
    return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


class Phone:
    """A client device: its keys from NewDeviceMetadata and the password ConfirmDevice registered."""

    def __init__(self, idp: Any, result: dict[str, Any], name: str = "phone") -> None:
        metadata = result["NewDeviceMetadata"]
        self.key, self.group_key = metadata["DeviceKey"], metadata["DeviceGroupKey"]
        self.password, config = generate_hash_device(self.group_key, self.key)
        self.confirmation = idp.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey=self.key,
            DeviceSecretVerifierConfig=config,
            DeviceName=name,
        )

    def srp(self, idp: Any, pool_id: str, client_id: str, password: str | None = None) -> AWSSRP:
        return AWSSRP(
            username="alice",
            password=PASSWORD,
            pool_id=pool_id,
            client_id=client_id,
            client=idp,
            device_key=self.key,
            device_group_key=self.group_key,
            device_password=password or self.password,
        )


def tracked_phone(idp: Any, client_id: str) -> Phone:
    return Phone(idp, password_sign_in(idp, client_id)["AuthenticationResult"])


# -- NewDeviceMetadata and ConfirmDevice ---------------------------------------------------------------


def test_pool_without_device_configuration_hands_out_no_device(idp: Any) -> None:
    _, client_id = make_pool(idp, None)
    result = password_sign_in(idp, client_id)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert "device_key" not in claims(result["AccessToken"])


def test_sign_in_hands_out_a_new_device(idp: Any) -> None:
    _, client_id = make_pool(idp)
    result = password_sign_in(idp, client_id)["AuthenticationResult"]
    metadata = result["NewDeviceMetadata"]
    assert metadata["DeviceKey"].startswith("us-east-1_")
    assert metadata["DeviceGroupKey"]
    assert claims(result["AccessToken"])["device_key"] == metadata["DeviceKey"]
    # An unknown DEVICE_KEY is a new device too; the group key is the user's.
    again = password_sign_in(idp, client_id, "us-east-1_00000000-0000-4000-8000-000000000000")
    other = again["AuthenticationResult"]["NewDeviceMetadata"]
    assert other["DeviceKey"] != metadata["DeviceKey"]
    assert other["DeviceGroupKey"] == metadata["DeviceGroupKey"]


def test_confirm_device_always_remember(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    assert phone.confirmation["UserConfirmationNecessary"] is False
    device = idp.admin_get_device(UserPoolId=pool_id, Username="alice", DeviceKey=phone.key)["Device"]
    attributes = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert attributes["device_name"] == "phone"
    assert attributes["dev:device_remembered_status"] == "remembered"
    assert device["DeviceKey"] == phone.key
    for member in ("DeviceCreateDate", "DeviceLastModifiedDate", "DeviceLastAuthenticatedDate"):
        assert member in device


def test_confirm_device_opt_in_needs_the_user(idp: Any) -> None:
    pool_id, client_id = make_pool(idp, OPT_IN)
    phone = tracked_phone(idp, client_id)
    assert phone.confirmation["UserConfirmationNecessary"] is True
    device = idp.admin_get_device(UserPoolId=pool_id, Username="alice", DeviceKey=phone.key)["Device"]
    attributes = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert attributes["dev:device_remembered_status"] == "not_remembered"
    # Not remembered: the device signs in without the device challenge, its key in the token.
    result = password_sign_in(idp, client_id, phone.key)
    assert "ChallengeName" not in result
    assert "NewDeviceMetadata" not in result["AuthenticationResult"]
    assert claims(result["AuthenticationResult"]["AccessToken"])["device_key"] == phone.key


def test_confirm_device_errors(idp: Any) -> None:
    _, client_id = make_pool(idp)
    result = password_sign_in(idp, client_id)["AuthenticationResult"]
    key = result["NewDeviceMetadata"]["DeviceKey"]
    _, config = generate_hash_device(result["NewDeviceMetadata"]["DeviceGroupKey"], key)
    with pytest.raises(ClientError) as excinfo:
        idp.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey="us-east-1_00000000-0000-4000-8000-000000000000",
            DeviceSecretVerifierConfig=config,
        )
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")
    with pytest.raises(ClientError) as excinfo:
        idp.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey=key,
            DeviceSecretVerifierConfig={"PasswordVerifier": "not base64!", "Salt": config["Salt"]},
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        idp.confirm_device(AccessToken="nonsense", DeviceKey=key, DeviceSecretVerifierConfig=config)
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_unconfirmed_device_is_not_tracked(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    result = password_sign_in(idp, client_id)["AuthenticationResult"]
    key = result["NewDeviceMetadata"]["DeviceKey"]
    assert idp.list_devices(AccessToken=result["AccessToken"])["Devices"] == []
    with pytest.raises(ClientError) as excinfo:
        idp.get_device(AccessToken=result["AccessToken"], DeviceKey=key)
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")


# -- the device operations -----------------------------------------------------------------------------


def test_user_device_operations(idp: Any) -> None:
    _, client_id = make_pool(idp)
    phones = [tracked_phone(idp, client_id) for _ in range(3)]
    # A remembered device is challenged first.
    assert password_sign_in(idp, client_id, phones[0].key)["ChallengeName"] == "DEVICE_SRP_AUTH"
    token = password_sign_in(idp, client_id)["AuthenticationResult"]["AccessToken"]

    listed = idp.list_devices(AccessToken=token)["Devices"]
    assert sorted(d["DeviceKey"] for d in listed) == sorted(p.key for p in phones)
    first = idp.list_devices(AccessToken=token, Limit=2)
    assert len(first["Devices"]) == 2
    rest = idp.list_devices(AccessToken=token, Limit=2, PaginationToken=first["PaginationToken"])
    assert len(rest["Devices"]) == 1 and "PaginationToken" not in rest
    assert {d["DeviceKey"] for d in first["Devices"] + rest["Devices"]} == {p.key for p in phones}

    got = idp.get_device(AccessToken=token, DeviceKey=phones[1].key)["Device"]
    assert got["DeviceKey"] == phones[1].key

    idp.update_device_status(
        AccessToken=token, DeviceKey=phones[1].key, DeviceRememberedStatus="not_remembered"
    )
    got = idp.get_device(AccessToken=token, DeviceKey=phones[1].key)["Device"]
    assert {"Name": "dev:device_remembered_status", "Value": "not_remembered"} in got["DeviceAttributes"]

    idp.forget_device(AccessToken=token, DeviceKey=phones[1].key)
    with pytest.raises(ClientError) as excinfo:
        idp.get_device(AccessToken=token, DeviceKey=phones[1].key)
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")
    for call in (
        lambda: idp.forget_device(AccessToken=token, DeviceKey=phones[1].key),
        lambda: idp.update_device_status(
            AccessToken=token, DeviceKey=phones[1].key, DeviceRememberedStatus="remembered"
        ),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[0] == "ResourceNotFoundException"
    assert len(idp.list_devices(AccessToken=token)["Devices"]) == 2

    with pytest.raises(ClientError) as excinfo:
        idp.list_devices(AccessToken=token, PaginationToken="garbage")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        idp.update_device_status(AccessToken=token, DeviceKey=phones[0].key, DeviceRememberedStatus="maybe")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_admin_device_operations(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    phones = [tracked_phone(idp, client_id) for _ in range(2)]
    who = {"UserPoolId": pool_id, "Username": "alice"}

    listed = idp.admin_list_devices(**who)["Devices"]
    assert {d["DeviceKey"] for d in listed} == {p.key for p in phones}
    page = idp.admin_list_devices(**who, Limit=1)
    assert len(page["Devices"]) == 1 and page["PaginationToken"]

    idp.admin_update_device_status(**who, DeviceKey=phones[0].key, DeviceRememberedStatus="not_remembered")
    device = idp.admin_get_device(**who, DeviceKey=phones[0].key)["Device"]
    assert {"Name": "dev:device_remembered_status", "Value": "not_remembered"} in device["DeviceAttributes"]

    idp.admin_forget_device(**who, DeviceKey=phones[0].key)
    assert [d["DeviceKey"] for d in idp.admin_list_devices(**who)["Devices"]] == [phones[1].key]
    with pytest.raises(ClientError) as excinfo:
        idp.admin_get_device(**who, DeviceKey=phones[0].key)
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")
    with pytest.raises(ClientError) as excinfo:
        idp.admin_forget_device(**who, DeviceKey=phones[0].key)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        idp.admin_list_devices(UserPoolId=pool_id, Username="nobody")
    assert error_of(excinfo)[0] == "UserNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        idp.admin_get_device(UserPoolId="us-east-1_nonexist0", Username="alice", DeviceKey=phones[1].key)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


# -- signing in with a remembered device ------------------------------------------------------------------


def test_srp_sign_in_with_a_remembered_device_by_hand(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    srp = phone.srp(idp, pool_id, client_id)
    auth = srp.get_auth_params()
    assert auth["DEVICE_KEY"] == phone.key
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=auth)
    assert first["ChallengeName"] == "PASSWORD_VERIFIER"
    answer = srp.process_challenge(first["ChallengeParameters"], auth)
    second = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=answer,
        Session=first["Session"],
    )
    assert second["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert "AuthenticationResult" not in second
    third = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=second["Session"],
        ChallengeResponses={
            "USERNAME": "alice",
            "DEVICE_KEY": phone.key,
            "SRP_A": long_to_hex(srp.large_a_value),
        },
    )
    assert third["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    parameters = third["ChallengeParameters"]
    assert set(parameters) == {"SALT", "SRP_B", "SECRET_BLOCK", "DEVICE_KEY", "USERNAME"}
    assert parameters["DEVICE_KEY"] == phone.key
    proof = srp.process_device_challenge(parameters)
    final = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        ChallengeResponses=proof,
        Session=third["Session"],
    )
    result = final["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert claims(result["AccessToken"])["device_key"] == phone.key
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == "alice"


def test_pycognito_authenticate_user_with_a_device(idp: Any) -> None:
    # pycognito answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER without a Session.
    pool_id, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    tokens = phone.srp(idp, pool_id, client_id).authenticate_user()
    assert claims(tokens["AuthenticationResult"]["AccessToken"])["device_key"] == phone.key


def test_wrong_device_password_is_refused(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    wrong = base64.standard_b64encode(b"not the device password").decode()
    with pytest.raises(ClientError) as excinfo:
        phone.srp(idp, pool_id, client_id, password=wrong).authenticate_user()
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_password_sign_in_with_a_remembered_device_and_the_admin_endpoint(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    idp.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ExplicitAuthFlows=[*FLOWS, "ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )
    phone = tracked_phone(idp, client_id)
    srp = phone.srp(idp, pool_id, client_id)
    challenge = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD, "DEVICE_KEY": phone.key},
    )
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH"
    # The answer may leave DEVICE_KEY out: the session remembers it.
    verifier = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SRP_A": long_to_hex(srp.large_a_value)},
    )
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    result = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=srp.process_device_challenge(verifier["ChallengeParameters"]),
    )["AuthenticationResult"]
    assert claims(result["AccessToken"])["device_key"] == phone.key
    # The device's last authentication moved on.
    device = idp.admin_get_device(UserPoolId=pool_id, Username="alice", DeviceKey=phone.key)["Device"]
    assert device["DeviceLastAuthenticatedDate"] >= device["DeviceCreateDate"]


def test_device_challenge_errors(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    srp = phone.srp(idp, pool_id, client_id)
    challenge = password_sign_in(idp, client_id, phone.key)
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH"

    def respond(name: str, responses: dict[str, str], session: str) -> dict[str, Any]:
        return idp.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName=name, ChallengeResponses=responses, Session=session
        )

    a_hex = long_to_hex(srp.large_a_value)
    with pytest.raises(ClientError) as excinfo:
        respond(
            "DEVICE_SRP_AUTH",
            {"USERNAME": "alice", "DEVICE_KEY": "us-east-1_nope", "SRP_A": a_hex},
            challenge["Session"],
        )
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")
    with pytest.raises(ClientError) as excinfo:
        respond("DEVICE_SRP_AUTH", {"USERNAME": "alice", "DEVICE_KEY": phone.key}, challenge["Session"])
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter SRP_A")
    with pytest.raises(ClientError) as excinfo:
        respond("DEVICE_PASSWORD_VERIFIER", {"USERNAME": "alice"}, challenge["Session"])
    assert error_of(excinfo)[0] == "InvalidParameterException"

    verifier = respond(
        "DEVICE_SRP_AUTH",
        {"USERNAME": "alice", "DEVICE_KEY": phone.key, "SRP_A": a_hex},
        challenge["Session"],
    )
    proof = srp.process_device_challenge(verifier["ChallengeParameters"])
    tampered = {**proof, "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(b"x" * 32).decode()}
    with pytest.raises(ClientError) as excinfo:
        respond("DEVICE_PASSWORD_VERIFIER", tampered, verifier["Session"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    # A failed proof ends the session.
    with pytest.raises(ClientError) as excinfo:
        respond("DEVICE_PASSWORD_VERIFIER", proof, verifier["Session"])
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_forgotten_device_signs_in_as_new(idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    idp.admin_forget_device(UserPoolId=pool_id, Username="alice", DeviceKey=phone.key)
    result = password_sign_in(idp, client_id, phone.key)["AuthenticationResult"]
    assert result["NewDeviceMetadata"]["DeviceKey"] != phone.key


def test_refresh_with_device_key(idp: Any) -> None:
    _, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    refresh_token = password_sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token, "DEVICE_KEY": phone.key},
    )["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert claims(result["AccessToken"])["device_key"] == phone.key


def test_refresh_accepts_a_null_device_key(emulator: Emulator, idp: Any) -> None:
    # amazon-cognito-identity-js sends "DEVICE_KEY": null when it knows no device.
    import json

    _, client_id = make_pool(idp)
    refresh_token = password_sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    body = {
        "ClientId": client_id,
        "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": {"REFRESH_TOKEN": refresh_token, "DEVICE_KEY": None},
    }
    response = send(
        emulator,
        "POST",
        "/",
        json.dumps(body).encode(),
        {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
    )
    result = json.loads(response.body)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert "device_key" not in claims(result["AccessToken"])


def test_device_sign_in_token_generation_trigger_source(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = make_pool(idp, LambdaConfig={"PreTokenGeneration": PTG_ARN})
    sources: list[str] = []

    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        sources.append(event["triggerSource"])
        return event

    emulator.triggers.register(PTG_ARN, record)
    try:
        phone = tracked_phone(idp, client_id)
        phone.srp(idp, pool_id, client_id).authenticate_user()
    finally:
        emulator.triggers.unregister(PTG_ARN)
    assert sources == ["TokenGeneration_Authentication", "TokenGeneration_AuthenticateDevice"]


def test_devices_survive_a_snapshot(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = make_pool(idp)
    phone = tracked_phone(idp, client_id)
    snapshot = emulator.snapshot()
    emulator.reset()
    emulator.restore(snapshot)
    tokens = phone.srp(idp, pool_id, client_id).authenticate_user()
    assert claims(tokens["AuthenticationResult"]["AccessToken"])["device_key"] == phone.key


# -- remembered devices and MFA ---------------------------------------------------------------------------


def totp_user_with_phone(
    emulator: Emulator, idp: Any, configuration: dict[str, bool]
) -> tuple[str, str, Phone, str]:
    """A pool with optional TOTP MFA, and alice with a remembered device and a verified software token."""
    pool_id, client_id = make_pool(idp, configuration)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    phone = tracked_phone(idp, client_id)
    token = password_sign_in(idp, client_id)["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(secret))
    # Each code is good once: what follows answers with the code of the next 30-second step.
    emulator.clock.advance(30)
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice", SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    return pool_id, client_id, phone, secret


def test_remembered_device_stands_in_for_mfa(emulator: Emulator, idp: Any) -> None:
    configuration = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
    pool_id, client_id, phone, _ = totp_user_with_phone(emulator, idp, configuration)
    assert password_sign_in(idp, client_id)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert password_sign_in(idp, client_id, phone.key)["ChallengeName"] == "DEVICE_SRP_AUTH"
    # A device that is not remembered does not.
    idp.admin_update_device_status(
        UserPoolId=pool_id, Username="alice", DeviceKey=phone.key, DeviceRememberedStatus="not_remembered"
    )
    assert password_sign_in(idp, client_id, phone.key)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_without_challenge_required_on_new_device_mfa_comes_before_the_device(
    emulator: Emulator, idp: Any
) -> None:
    pool_id, client_id, phone, secret = totp_user_with_phone(emulator, idp, ALWAYS)
    mfa = password_sign_in(idp, client_id, phone.key)
    assert mfa["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    # The MFA answer leaves DEVICE_KEY out: the session remembers the device the sign-in named.
    device = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=mfa["Session"],
        ChallengeResponses={
            "USERNAME": "alice",
            "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(secret),
        },
    )
    assert device["ChallengeName"] == "DEVICE_SRP_AUTH"
    srp = phone.srp(idp, pool_id, client_id)
    verifier = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=device["Session"],
        ChallengeResponses={
            "USERNAME": "alice",
            "DEVICE_KEY": phone.key,
            "SRP_A": long_to_hex(srp.large_a_value),
        },
    )
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=srp.process_device_challenge(verifier["ChallengeParameters"]),
    )["AuthenticationResult"]
    assert claims(result["AccessToken"])["device_key"] == phone.key
