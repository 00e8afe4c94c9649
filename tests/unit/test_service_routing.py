"""Which requests belong to another AWS service (and go to moto), told apart as moto_server does."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cognito_emu.web.other_services import OtherServices, service_of


def sigv4(service: str, region: str = "us-east-1") -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential=testing/20240101/{region}/{service}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=deadbeef"
    )


def environ(
    method: str = "POST", path: str = "/", body: bytes = b"", query: str = "", **headers: str
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    for name, value in headers.items():
        key = name.upper()
        found[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return found


@pytest.mark.parametrize("service", ["sns", "iam", "s3", "dynamodb", "sts", "lambda"])
def test_the_credential_scope_names_the_service(service):
    assert service_of(environ(authorization=sigv4(service))) == service


@pytest.mark.parametrize("service", ["cognito-idp", "cognito-identity"])
def test_cognito_is_the_emulators_own(service):
    assert service_of(environ(authorization=sigv4(service), x_amz_target="Any.Thing")) is None


def test_sigv4a_scope_has_no_region():
    authorization = "AWS4-ECDSA-P256-SHA256 Credential=testing/20240101/s3/aws4_request, Signature=ab"
    assert service_of(environ(authorization=authorization)) == "s3"


def test_a_presigned_url_is_routed_by_its_query():
    query = (
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=testing%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
    )
    assert service_of(environ("GET", "/bucket/key", query=query)) == "s3"


def test_signature_version_2_is_s3():
    assert service_of(environ("PUT", "/bucket", authorization="AWS testing:c2lnbmF0dXJl")) == "s3"
    query = "AWSAccessKeyId=testing&Signature=abc%3D&Expires=1796592503"
    assert service_of(environ("GET", "/bucket/key", query=query)) == "s3"


@pytest.mark.parametrize("authorization", ["Basic Y2xpZW50OnNlY3JldA==", "Bearer eyJhbGciOi"])
def test_oauth_authorization_stays_with_the_emulator(authorization):
    assert service_of(environ(path="/oauth2/token", authorization=authorization)) is None


def test_unsigned_requests_stay_with_the_emulator():
    assert service_of(environ(x_amz_target="AWSCognitoIdentityProviderService.SignUp")) is None
    # moto_server would hand an unknown target to S3; here it is an UnknownOperationException.
    assert service_of(environ(x_amz_target="NoSuchService.DoIt")) is None
    assert service_of(environ("GET", "/us-east-1_abc/.well-known/jwks.json")) is None


def test_another_services_host_name():
    assert service_of(environ("GET", "/", host="sns.us-east-1.amazonaws.com")) == "sns"
    assert service_of(environ("GET", "/key", host="bucket.s3.us-east-1.amazonaws.com:443")) == "s3"
    assert service_of(environ(host="cognito-idp.us-east-1.amazonaws.com")) is None


@pytest.mark.parametrize("action", ["AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"])
def test_unsigned_sts_actions_and_their_body_is_kept(action):
    body = f"Action={action}&Version=2011-06-15&RoleArn=arn".encode()
    request = environ(body=body, content_type="application/x-www-form-urlencoded; charset=utf-8")
    assert service_of(request) == "sts"
    assert request["wsgi.input"].read() == body


def test_other_unsigned_forms_stay_with_the_emulator():
    form = "application/x-www-form-urlencoded"
    assert service_of(environ(body=b"Action=GetCallerIdentity", content_type=form)) is None
    assert service_of(environ(path="/oauth2/token", body=b"grant_type=x", content_type=form)) is None
    malformed = environ(body=b"Action=AssumeRoleWithWebIdentity", content_type=form)
    malformed["CONTENT_LENGTH"] = "many"
    assert service_of(malformed) is None


def test_modes():
    assert OtherServices("none").mode == "none"
    assert OtherServices("moto").mode == "moto"
    # moto is a test dependency, so it is installed here and is the default.
    assert OtherServices().mode == "moto"
    with pytest.raises(ValueError, match="moto, none"):
        OtherServices("localstack")


def test_moto_asked_for_but_not_installed(monkeypatch):
    monkeypatch.setattr("cognito_emu.web.other_services.moto_installed", lambda: False)
    assert OtherServices().mode == "none"
    with pytest.raises(ValueError, match=r"cognito-emu\[moto\]"):
        OtherServices("moto")
