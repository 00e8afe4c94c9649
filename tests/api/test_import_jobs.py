"""User import jobs through boto3: create, upload the CSV to the PreSignedUrl, start, describe, stop, list.

Developer guide: "Importing users into user pools from a CSV file" and "Creating the user import CSV file".
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_emu.emulator import Emulator
from tests.api.support import NEW_PASSWORD, Answer, base_url, code_of, send

ROLE = "arn:aws:iam::123456789012:role/CognitoImportRole"


@pytest.fixture
def pool(idp: Any) -> str:
    return idp.create_user_pool(PoolName="import", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]


@pytest.fixture
def client_id(idp: Any, pool: str) -> str:
    return idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]


def csv_text(idp: Any, pool: str, rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    """A CSV with the pool's GetCSVHeader columns and one line per row (missing values left empty)."""
    columns = header or idp.get_csv_header(UserPoolId=pool)["CSVHeader"]
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(row.get(column, "") for column in columns))
    return "\n".join(lines) + "\n"


def upload(emulator: Emulator, url: str, body: str | bytes, *, kms: bool = True) -> Answer:
    """PUT the CSV to the job's pre-signed URL, as S3 would take it."""
    data = body.encode() if isinstance(body, str) else body
    return send(emulator, "PUT", url, data, {"x-amz-server-side-encryption": "aws:kms"} if kms else {})


def create_job(idp: Any, pool: str, name: str = "import-1") -> dict[str, Any]:
    return idp.create_user_import_job(UserPoolId=pool, JobName=name, CloudWatchLogsRoleArn=ROLE)[
        "UserImportJob"
    ]


def run_import(emulator: Emulator, idp: Any, pool: str, rows: list[dict[str, str]]) -> dict[str, Any]:
    job = create_job(idp, pool)
    upload(emulator, job["PreSignedUrl"], csv_text(idp, pool, rows))
    idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    return idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]


def alice(**extra: str) -> dict[str, str]:
    return {
        "cognito:username": "alice",
        "cognito:mfa_enabled": "false",
        "email": "alice@example.com",
        "email_verified": "true",
        "given_name": "Alice",
        **extra,
    }


def control(emulator: Emulator, method: str, path: str) -> tuple[int, dict[str, Any]]:
    response = send(emulator, method, path)
    return response.status, json.loads(response.body)


def test_create_user_import_job(idp: Any, pool: str, emulator: Emulator) -> None:
    job = create_job(idp, pool, "Customer import")
    assert job["JobName"] == "Customer import"
    assert job["JobId"].startswith("import-") and job["JobId"][7:].isalnum()
    assert job["UserPoolId"] == pool
    assert job["Status"] == "Created"
    assert job["CloudWatchLogsRoleArn"] == ROLE
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0)
    assert "CreationDate" in job and "StartDate" not in job and "CompletionDate" not in job
    url = job["PreSignedUrl"]
    assert url.startswith(f"{base_url(emulator)}/_emu/import/{pool}/{job['JobId']}?")
    assert "X-Amz-Signature=" in url


def test_import_creates_reset_required_users_who_reset_their_password(
    idp: Any, pool: str, client_id: str, emulator: Emulator
) -> None:
    job = create_job(idp, pool)
    response = upload(
        emulator,
        job["PreSignedUrl"],
        csv_text(idp, pool, [alice(), alice(**{"cognito:username": "bob", "email": "bob@example.com"})]),
    )
    assert response.status == 200
    assert response.headers["ETag"].startswith('"')

    started = idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] == "Pending"
    assert "StartDate" in started

    done = idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    assert done["Status"] == "Succeeded"
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (2, 0, 0)
    assert done["CompletionMessage"] == "Import Job Completed Successfully."
    assert done["StartDate"] <= done["CompletionDate"]

    user = idp.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["UserStatus"] == "RESET_REQUIRED"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == "alice@example.com"
    assert attributes["email_verified"] == "true"
    assert attributes["given_name"] == "Alice"
    assert attributes["sub"]

    with pytest.raises(ClientError) as err:
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": "x"},
        )
    assert code_of(err) == "PasswordResetRequiredException"

    idp.forgot_password(ClientId=client_id, Username="alice")
    code = emulator.outbox.last_code("alice")
    assert code
    idp.confirm_forgot_password(
        ClientId=client_id, Username="alice", ConfirmationCode=code, Password=NEW_PASSWORD
    )
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "CONFIRMED"
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": NEW_PASSWORD},
    )["AuthenticationResult"]
    assert tokens["AccessToken"]


def good(name: str) -> dict[str, str]:
    return alice(**{"cognito:username": name, "email": f"{name}@example.com"})


def test_bad_rows_are_counted_and_logged(idp: Any, pool: str, emulator: Emulator) -> None:
    idp.admin_create_user(UserPoolId=pool, Username="existing", MessageAction="SUPPRESS")
    rows = [
        *(good(name) for name in ("alice", "bob", "carol", "dave", "ivan", "judy")),
        good("existing"),  # line 8: skipped
        alice(**{"cognito:username": ""}),  # line 9: no username
        alice(**{"cognito:username": "erin", "email_verified": "false"}),  # 10: nothing auto-verified
        alice(**{"cognito:username": "frank", "cognito:mfa_enabled": "maybe"}),  # 11
        alice(**{"cognito:username": "grace", "email": ""}),  # 12: email_verified without email
        alice(**{"cognito:username": "heidi", "updated_at": "yesterday"}),  # 13: updated_at is a Number
    ]
    job = run_import(emulator, idp, pool, rows)
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (6, 1, 5)
    assert job["Status"] == "Succeeded"
    for name in ("erin", "frank", "grace", "heidi"):
        with pytest.raises(ClientError):
            idp.admin_get_user(UserPoolId=pool, Username=name)
    assert idp.admin_get_user(UserPoolId=pool, Username="existing")["UserStatus"] == "FORCE_CHANGE_PASSWORD"

    status, view = control(emulator, "GET", f"/_emu/import/{pool}/{job['JobId']}")
    assert status == 200
    log = view["log"]
    assert log[0] == "[SUCCEEDED] Line Number 2 - The import succeeded."
    assert log[6] == "[SKIPPED] Line Number 8 - The user already exists."
    assert log[7] == "[FAILED] Line Number 9 - cognito:username is required."
    assert log[8].startswith(
        "[FAILED] Line Number 10 - The User Record does not set any of the auto verified"
    )
    assert log[9].startswith("[FAILED] Line Number 11 - cognito:mfa_enabled")
    assert log[10] == "[FAILED] Line Number 12 - email_verified is true but the user has no email."
    assert log[11].startswith(
        "[FAILED] Line Number 13 - Attributes did not conform to the schema: updated_at"
    )


def test_too_many_failed_rows_fail_the_job(emulator: Emulator, idp: Any, pool: str) -> None:
    rows = [good("alice"), alice(**{"cognito:username": "bob", "email_verified": ""}), good("alice")]
    job = run_import(emulator, idp, pool, rows)
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (1, 1, 1)
    assert job["Status"] == "Failed"
    assert job["CompletionMessage"] == "Too many users have failed or been skipped during the import."
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "RESET_REQUIRED"


def test_columns_in_any_order_escaped_commas_and_trimmed_values(
    emulator: Emulator, idp: Any, pool: str
) -> None:
    header = list(reversed(idp.get_csv_header(UserPoolId=pool)["CSVHeader"]))
    row = alice(name="Smith\\, Alice", given_name="  Alice  ", email_verified="TRUE")
    job = create_job(idp, pool)
    upload(emulator, job["PreSignedUrl"], csv_text(idp, pool, [row], header))
    idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    assert (
        idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]["ImportedUsers"]
        == 1
    )
    user = idp.admin_get_user(UserPoolId=pool, Username="alice")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["name"] == "Smith, Alice"
    assert attributes["given_name"] == "Alice"
    assert attributes["email_verified"] == "true"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("cognito:username,email\nalice,a@example.com\n", "missing columns"),
        (None, "columns the user pool does not have: custom:nope"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        ("", "no header"),
    ],
)
def test_a_file_that_cannot_be_parsed_fails_the_job(
    idp: Any, pool: str, emulator: Emulator, body: str | bytes | None, reason: str
) -> None:
    if body is None:
        header = [*idp.get_csv_header(UserPoolId=pool)["CSVHeader"], "custom:nope"]
        body = csv_text(idp, pool, [alice()], header)
    job = create_job(idp, pool)
    upload(emulator, job["PreSignedUrl"], body)
    idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    done = idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    assert done["Status"] == "Failed"
    assert done["CompletionMessage"] == "The CSV file could not be parsed."
    assert (done["ImportedUsers"], done["FailedUsers"]) == (0, 0)
    _, view = control(emulator, "GET", f"/_emu/import/{pool}/{job['JobId']}")
    assert reason in view["log"][0]


def test_required_attributes_and_mfa_rules(emulator: Emulator, idp: Any) -> None:
    pool = idp.create_user_pool(
        PoolName="strict",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "family_name", "AttributeDataType": "String", "Required": True}],
    )["UserPool"]["Id"]
    rows = [
        alice(family_name="Liddell"),
        alice(**{"cognito:username": "bob", "email": "bob@example.com"}),  # no family_name
        alice(
            **{
                "cognito:username": "carol",
                "email": "c@example.com",
                "family_name": "C",
                "cognito:mfa_enabled": "true",
            }
        ),
    ]
    job = run_import(emulator, idp, pool, rows)
    assert (job["ImportedUsers"], job["FailedUsers"]) == (1, 2)


def test_mfa_enabled_turns_on_sms_mfa(emulator: Emulator, idp: Any, pool: str) -> None:
    idp.set_user_pool_mfa_config(
        UserPoolId=pool, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
    )
    rows = [
        alice(**{"cognito:mfa_enabled": "true", "phone_number": "+15555550100"}),
        good("bob"),
    ]
    job = run_import(emulator, idp, pool, rows)
    assert (job["ImportedUsers"], job["FailedUsers"]) == (2, 0)
    user = idp.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    assert "MFAOptions" not in idp.admin_get_user(UserPoolId=pool, Username="bob")

    idp.set_user_pool_mfa_config(
        UserPoolId=pool, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON"
    )
    job = run_import(emulator, idp, pool, [good("carol")])
    assert (job["ImportedUsers"], job["FailedUsers"]) == (0, 1)


def test_pool_signing_in_with_email(emulator: Emulator, idp: Any) -> None:
    pool = idp.create_user_pool(
        PoolName="by-email", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    rows = [
        alice(**{"cognito:username": "alice@example.com"}),
        alice(**{"cognito:username": "alice@example.com"}),  # the same email again: skipped
        alice(**{"cognito:username": "not-an-email"}),
    ]
    job = run_import(emulator, idp, pool, rows)
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (1, 1, 1)
    user = idp.admin_get_user(UserPoolId=pool, Username="alice@example.com")
    assert user["UserStatus"] == "RESET_REQUIRED"


def test_start_errors(emulator: Emulator, idp: Any, pool: str) -> None:
    job = create_job(idp, pool)
    with pytest.raises(ClientError) as err:
        idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    assert code_of(err) == "PreconditionNotMetException"  # nothing uploaded

    upload(emulator, job["PreSignedUrl"], csv_text(idp, pool, [alice()]), kms=False)
    idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    with pytest.raises(ClientError) as err:
        idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    assert code_of(err) == "PreconditionNotMetException"  # not Created any more

    for call in (idp.start_user_import_job, idp.stop_user_import_job, idp.describe_user_import_job):
        with pytest.raises(ClientError) as err:
            call(UserPoolId=pool, JobId="import-nothere000")
        assert code_of(err) == "ResourceNotFoundException"
        with pytest.raises(ClientError) as err:
            call(UserPoolId="us-east-1_nothere00", JobId=job["JobId"])
        assert code_of(err) == "ResourceNotFoundException"


def test_a_pool_without_auto_verified_attributes_cannot_start(
    emulator: Emulator, idp: Any, pool_id: str
) -> None:
    job = create_job(idp, pool_id)
    upload(emulator, job["PreSignedUrl"], csv_text(idp, pool_id, [alice()]))
    with pytest.raises(ClientError) as err:
        idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert code_of(err) == "PreconditionNotMetException"


def test_create_validates_the_role_arn_and_the_pool(idp: Any, pool: str) -> None:
    with pytest.raises(ClientError) as err:
        idp.create_user_import_job(
            UserPoolId=pool, JobName="j", CloudWatchLogsRoleArn="not-an-arn-at-all-really"
        )
    assert code_of(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        create_job(idp, "us-east-1_nothere00")
    assert code_of(err) == "ResourceNotFoundException"


def test_stop(idp: Any, pool: str, emulator: Emulator) -> None:
    job = create_job(idp, pool)
    with pytest.raises(ClientError) as err:
        idp.stop_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    assert code_of(err) == "PreconditionNotMetException"  # Created: not running

    upload(emulator, job["PreSignedUrl"], csv_text(idp, pool, [alice()]))
    status, view = control(emulator, "POST", f"/_emu/import/{pool}/{job['JobId']}/pending")
    assert (status, view["status"]) == (200, "Pending")
    assert (
        idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]["Status"]
        == "Pending"
    )

    stopped = idp.stop_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    assert stopped["Status"] == "Stopped"
    assert stopped["CompletionMessage"] == "The Import Job was stopped by the developer."
    assert "CompletionDate" in stopped
    with pytest.raises(ClientError):
        idp.admin_get_user(UserPoolId=pool, Username="alice")
    for call in (idp.stop_user_import_job, idp.start_user_import_job):
        with pytest.raises(ClientError) as err:
            call(UserPoolId=pool, JobId=job["JobId"])
        assert code_of(err) == "PreconditionNotMetException"

    status, view = control(emulator, "POST", f"/_emu/import/{pool}/{job['JobId']}/run")
    assert (status, view["__type"]) == (400, "PreconditionNotMetException")


def test_a_pending_job_can_be_run_from_the_control_api(idp: Any, pool: str, emulator: Emulator) -> None:
    job = create_job(idp, pool)
    upload(emulator, job["PreSignedUrl"], csv_text(idp, pool, [alice()]))
    control(emulator, "POST", f"/_emu/import/{pool}/{job['JobId']}/pending")
    status, view = control(emulator, "POST", f"/_emu/import/{pool}/{job['JobId']}/run")
    assert (status, view["status"], view["importedUsers"]) == (200, "Succeeded", 1)
    status, view = control(emulator, "POST", f"/_emu/import/{pool}/import-nothere000/run")
    assert (status, view["__type"]) == (404, "ResourceNotFoundException")


def test_upload_url_checks(idp: Any, pool: str, emulator: Emulator) -> None:
    job = create_job(idp, pool)
    forged = job["PreSignedUrl"].replace("X-Amz-Signature=", "X-Amz-Signature=0")
    response = upload(emulator, forged, "x")
    assert response.status == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in response.body

    emulator.clock.advance(901)
    response = upload(emulator, job["PreSignedUrl"], "x")
    assert response.status == 403
    assert b"<Code>AccessDenied</Code>" in response.body


def test_an_unstarted_job_expires(idp: Any, pool: str, emulator: Emulator) -> None:
    job = create_job(idp, pool)
    upload(emulator, job["PreSignedUrl"], csv_text(idp, pool, [alice()]))
    emulator.clock.advance(24 * 3600 + 1)
    assert (
        idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]["Status"]
        == "Expired"
    )
    with pytest.raises(ClientError) as err:
        idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    assert code_of(err) == "PreconditionNotMetException"


def test_list_user_import_jobs_pages(idp: Any, pool: str, emulator: Emulator) -> None:
    ids = []
    for n in range(3):
        ids.append(create_job(idp, pool, f"job {n}")["JobId"])
        emulator.clock.advance(1)
    first = idp.list_user_import_jobs(UserPoolId=pool, MaxResults=2)
    assert [j["JobId"] for j in first["UserImportJobs"]] == ids[:2]
    second = idp.list_user_import_jobs(
        UserPoolId=pool, MaxResults=2, PaginationToken=first["PaginationToken"]
    )
    assert [j["JobId"] for j in second["UserImportJobs"]] == ids[2:]
    assert "PaginationToken" not in second
    assert second["UserImportJobs"][0]["Status"] == "Created"

    with pytest.raises(ClientError) as err:
        idp.list_user_import_jobs(UserPoolId=pool, MaxResults=2, PaginationToken="garbage!")
    assert code_of(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        idp.list_user_import_jobs(UserPoolId=pool, MaxResults=61)
    assert code_of(err) == "InvalidParameterException"
    assert (
        idp.list_user_import_jobs(
            UserPoolId=idp.create_user_pool(PoolName="empty")["UserPool"]["Id"], MaxResults=5
        )["UserImportJobs"]
        == []
    )


def test_jobs_and_uploads_survive_a_restart_with_a_data_dir(tmp_path: Any) -> None:
    from cognito_emu.config import Config

    def start() -> Emulator:
        config = Config(port=0, region="us-east-1", data_dir=str(tmp_path / "data"), persist_verify=True)
        return Emulator(config).start()

    first = start()
    try:
        idp = first.client("cognito-idp")
        pool = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        job = create_job(idp, pool)
        upload(first, job["PreSignedUrl"], csv_text(idp, pool, [alice()]))
    finally:
        first.close()
    second = start()
    try:
        idp = second.client("cognito-idp")
        idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    finally:
        second.close()
    third = start()
    try:
        idp = third.client("cognito-idp")
        done = idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
        assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)
        assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "RESET_REQUIRED"
        _, view = control(third, "GET", f"/_emu/import/{pool}/{job['JobId']}")
        assert view["log"] == ["[SUCCEEDED] Line Number 2 - The import succeeded."]
    finally:
        third.close()
