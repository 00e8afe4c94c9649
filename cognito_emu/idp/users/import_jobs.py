"""User import jobs: bulk import of users from a CSV file (CreateUserImportJob, the upload to its
PreSignedUrl, Start/Stop/Describe/ListUserImportJobs).

What the developer guide says and the emulator does
(https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool.html,
"Creating the user import CSV file" and "Viewing the user pool import results"):

- The file's first line is GetCSVHeader's header; columns in any order, every column present, values
  optional. Values are not quoted; a comma inside a value is written ``\\,``; values are trimmed.
- Each row needs ``cognito:username`` and ``cognito:mfa_enabled`` (``true`` for every user when the
  pool's MFA is ON, ``false`` when it is OFF), the pool's required attributes, ``email`` when
  ``email_verified`` is true and ``phone_number`` when ``phone_number_verified`` is true, and at least
  one of the pool's auto-verified attributes verified (a pool without any cannot start a job).
- Users are created in RESET_REQUIRED without a password: signing in answers
  PasswordResetRequiredException until ForgotPassword / ConfirmForgotPassword (or
  AdminSetUserPassword) gives them one. No Lambda trigger runs. The creation date is the import's.
- A user that exists already is SKIPPED; a row that breaks a rule is FAILED; the job goes on. A file
  that cannot be parsed (not UTF-8, header not the pool's) fails the job.
- Statuses: Created -> Pending (StartUserImportJob) -> InProgress -> Succeeded | Failed;
  StopUserImportJob on a Pending or InProgress job -> Stopped; a job not started within 24 hours
  reads as Expired and cannot be started.

What is the emulator's own choice
- Jobs run synchronously: StartUserImportJob answers the job as it started (Pending, as AWS answers)
  and the import is finished before the answer is sent; Describe shows the outcome.
  ``start_job(..., run=False)`` leaves a job Pending (the control route ``/_emu/import/.../pending``)
  so StopUserImportJob can be exercised; ``run_pending`` runs it.
- The job ends Failed ("Too many users have failed or been skipped during the import.", AWS's
  message) when more rows were failed or skipped than imported, Succeeded otherwise.
- The PreSignedUrl is the emulator's own ``/_emu/import/<poolId>/<jobId>``, valid 15 minutes
  (``X-Amz-Expires=900``) on the emulator's clock; the per-line results live in ``job.log``.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from cognito_emu.env import Env
from cognito_emu.errors import (
    CognitoError,
    PreconditionNotMetException,
    ResourceNotFoundException,
    UsernameExistsException,
)
from cognito_emu.idp.models import ImportJobStatus, User, UserImportJob, UserPool, UserStatus, own_mfa
from cognito_emu.idp.pool import pools, schema
from cognito_emu.idp.users import accounts, directory
from cognito_emu.pagination import paginate
from cognito_emu.state import State, Store

Status = ImportJobStatus

URL_VALIDITY_SECONDS = 900
# "You created a job, but did not start the job within 24-48 hours" (UserImportJobType.Status).
EXPIRES_AFTER_SECONDS = 24 * 3600
MAX_CSV_BYTES = 100 * 1024 * 1024

USERNAME = "cognito:username"
MFA_ENABLED = "cognito:mfa_enabled"

SUCCEEDED_MESSAGE = "Import Job Completed Successfully."
TOO_MANY_FAILED = "Too many users have failed or been skipped during the import."
STOPPED_MESSAGE = "The Import Job was stopped by the developer."
UNPARSABLE = "The CSV file could not be parsed."
NOT_AUTO_VERIFIED = (
    "The User Record does not set any of the auto verified attributes to true. "
    "(Example: email_verified to true)."
)


class UploadRejected(Exception):
    """An upload the PreSignedUrl refuses, answered as S3 would (code, message, HTTP status)."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class _RowFailed(Exception):
    pass


# Lifecycle.


def create_job(
    env: Env, store: Store, pool_id: str, name: str, role_arn: str, base_url: str
) -> UserImportJob:
    pool = pools.get_user_pool(store, pool_id)
    job_id = f"import-{env.ids.alphanumeric(10)}"
    now = env.clock.now()
    signature = env.ids.hex(64)
    job = UserImportJob(
        job_id=job_id,
        name=name,
        user_pool_id=pool.id,
        created=now,
        role_arn=role_arn,
        url=_presigned_url(base_url, pool.id, job_id, now, signature),
        signature=signature,
        url_expires=now + URL_VALIDITY_SECONDS,
    )
    pool.import_jobs[job_id] = job
    return job


def _presigned_url(base_url: str, pool_id: str, job_id: str, now: float, signature: str) -> str:
    query = urlencode(
        {
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Date": datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%SZ"),
            "X-Amz-SignedHeaders": "host;x-amz-server-side-encryption",
            "X-Amz-Expires": str(URL_VALIDITY_SECONDS),
            "X-Amz-Signature": signature,
        }
    )
    return f"{base_url.rstrip('/')}/_emu/import/{pool_id}/{job_id}?{query}"


def get_job(store: Store, pool_id: str, job_id: str) -> UserImportJob:
    pool = pools.get_user_pool(store, pool_id)
    return _job(pool, job_id)


def _job(pool: UserPool, job_id: str) -> UserImportJob:
    job = pool.import_jobs.get(job_id)
    if job is None:
        raise ResourceNotFoundException(f"Import job {job_id} does not exist in user pool {pool.id}.")
    return job


def status_of(job: UserImportJob, now: float) -> ImportJobStatus:
    """The job's status as Describe shows it: a Created job left unstarted for a day is Expired."""
    if job.status is Status.CREATED and now - job.created > EXPIRES_AFTER_SECONDS:
        return Status.EXPIRED
    return job.status


def list_jobs(
    store: Store, pool_id: str, max_results: int, token: str | None
) -> tuple[list[UserImportJob], str | None]:
    pool = pools.get_user_pool(store, pool_id)
    jobs = sorted(pool.import_jobs.values(), key=_position)
    return paginate(jobs, key=_position, limit=max_results, token=token)


def _position(job: UserImportJob) -> str:
    return f"{job.created:020.6f}|{job.job_id}"


def start_job(env: Env, store: Store, pool_id: str, job_id: str, *, run: bool = True) -> UserImportJob:
    """Start a Created job whose CSV was uploaded; returns the job as it started (Pending).

    With ``run`` (StartUserImportJob) the import is done before this returns; without it the job
    stays Pending until ``run_pending`` or StopUserImportJob."""
    pool = pools.get_user_pool(store, pool_id)
    job = _job(pool, job_id)
    status = status_of(job, env.clock.now())
    if status is not Status.CREATED:
        raise PreconditionNotMetException(
            f"Import job {job_id} cannot be started: its status is {status.value}; only a job in "
            "Created status can be started."
        )
    if job.csv is None:
        raise PreconditionNotMetException(
            f"No CSV file was uploaded for import job {job_id}: upload it to the job's PreSignedUrl first."
        )
    if not pools.auto_verified_attributes(pool):
        raise PreconditionNotMetException(
            "The user pool has no auto-verified attributes (AutoVerifiedAttributes): imported users "
            "could not reset their passwords."
        )
    job.status = Status.PENDING
    job.started = env.clock.now()
    as_started = copy.deepcopy(job)
    as_started.csv = None
    if run:
        _run(env, pool, job)
    return as_started


def run_pending(env: Env, store: Store, pool_id: str, job_id: str) -> UserImportJob:
    """Run a job left Pending by ``start_job(run=False)``."""
    pool = pools.get_user_pool(store, pool_id)
    job = _job(pool, job_id)
    if job.status is not Status.PENDING:
        raise PreconditionNotMetException(
            f"Import job {job_id} cannot be run: its status is {job.status.value}, not Pending."
        )
    _run(env, pool, job)
    return job


def stop_job(env: Env, store: Store, pool_id: str, job_id: str) -> UserImportJob:
    """Pending or InProgress -> Stopped (nothing runs in the background, so Stopping is not seen)."""
    pool = pools.get_user_pool(store, pool_id)
    job = _job(pool, job_id)
    status = status_of(job, env.clock.now())
    if status not in (Status.PENDING, Status.IN_PROGRESS):
        raise PreconditionNotMetException(
            f"Import job {job_id} cannot be stopped: its status is {status.value}; only a Pending or "
            "InProgress job can be stopped."
        )
    _finish(env, job, Status.STOPPED, STOPPED_MESSAGE)
    return job


def _finish(env: Env, job: UserImportJob, status: ImportJobStatus, message: str) -> None:
    job.status = status
    job.completed = env.clock.now()
    job.completion_message = message


# The upload (the PreSignedUrl's PUT).


def upload_csv(env: Env, state: State, pool_id: str, job_id: str, signature: str | None, body: bytes) -> str:
    """Keep the file PUT to a job's PreSignedUrl; returns its ETag. Call under ``state.lock``."""
    pool = state.find_pool(pool_id)
    job = pool.import_jobs.get(job_id) if pool is not None else None
    if job is None or signature != job.signature:
        raise UploadRejected(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
            403,
        )
    if env.clock.now() > job.url_expires:
        raise UploadRejected("AccessDenied", "Request has expired", 403)
    if len(body) > MAX_CSV_BYTES:
        raise UploadRejected(
            "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size (100 MB).", 400
        )
    job.csv = body
    return f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'


# The import.


@dataclass(slots=True)
class _Outcome:
    imported: int = 0
    skipped: int = 0
    failed: int = 0


def _run(env: Env, pool: UserPool, job: UserImportJob) -> None:
    job.status = Status.IN_PROGRESS
    job.log = []
    try:
        header, rows = _parse(job.csv or b"", schema.csv_header(pool.schema))
    except _RowFailed as problem:
        job.log.append(f"[FAILED] {problem}")
        _finish(env, job, Status.FAILED, UNPARSABLE)
        return
    outcome = _Outcome()
    for line, values in rows:
        if len(values) != len(header):
            outcome.failed += 1
            job.log.append(
                f"[FAILED] Line Number {line} - The line has {len(values)} values; the header has {len(header)}."
            )
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=True)}
        try:
            _import_user(env, pool, row)
        except UsernameExistsException:
            outcome.skipped += 1
            job.log.append(f"[SKIPPED] Line Number {line} - The user already exists.")
        except (_RowFailed, CognitoError) as problem:
            outcome.failed += 1
            reason = problem.message if isinstance(problem, CognitoError) else str(problem)
            job.log.append(f"[FAILED] Line Number {line} - {' '.join(reason.split())}")
        else:
            outcome.imported += 1
            job.log.append(f"[SUCCEEDED] Line Number {line} - The import succeeded.")
    job.imported, job.skipped, job.failed = outcome.imported, outcome.skipped, outcome.failed
    if outcome.failed + outcome.skipped > outcome.imported:
        _finish(env, job, Status.FAILED, TOO_MANY_FAILED)
    else:
        _finish(env, job, Status.SUCCEEDED, SUCCEEDED_MESSAGE)


def _parse(data: bytes, expected: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line number, values) of each non-empty row; _RowFailed when unusable."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise _RowFailed("The file is not UTF-8 text.") from None
    # Values are never quoted; a backslash escapes the comma that follows it.
    reader = csv.reader(io.StringIO(text, newline=""), escapechar="\\", quoting=csv.QUOTE_NONE)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for values in reader:
            if not values or all(not value.strip() for value in values):
                continue
            if header is None:
                header = [value.strip() for value in values]
                continue
            rows.append((reader.line_num, values))
    except csv.Error as error:
        raise _RowFailed(f"Line Number {reader.line_num} - {error}") from None
    if header is None:
        raise _RowFailed("The file has no header line.")
    _check_header(header, expected)
    return header, rows


def _check_header(header: list[str], expected: list[str]) -> None:
    duplicates = sorted({name for name in header if header.count(name) > 1})
    unknown = [name for name in header if name not in expected]
    missing = [name for name in expected if name not in header]
    problems = []
    if duplicates:
        problems.append("repeated columns: " + ", ".join(duplicates))
    if unknown:
        problems.append("columns the user pool does not have: " + ", ".join(unknown))
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if problems:
        raise _RowFailed(
            "Line Number 1 - The header is not the user pool's CSV header (GetCSVHeader): "
            + "; ".join(problems)
            + "."
        )


def _import_user(env: Env, pool: UserPool, row: dict[str, str]) -> User:
    username = row[USERNAME]
    if not username:
        raise _RowFailed(f"{USERNAME} is required.")
    if any(character.isspace() for character in username):
        raise _RowFailed(f"{USERNAME} cannot contain spaces or tabs.")
    mfa_enabled = row[MFA_ENABLED].lower()
    if mfa_enabled not in ("true", "false"):
        raise _RowFailed(f"{MFA_ENABLED} is required and must be true or false.")
    mfa_mode = pools.mfa_configuration(pool)
    if mfa_mode == "ON" and mfa_enabled != "true":
        raise _RowFailed(f"{MFA_ENABLED} must be true: the user pool requires MFA.")
    if mfa_mode == "OFF" and mfa_enabled != "false":
        raise _RowFailed(f"{MFA_ENABLED} must be false: MFA is off in the user pool.")
    given = {
        name: value.lower() if name.endswith("_verified") else value
        for name, value in row.items()
        if value and name not in (USERNAME, MFA_ENABLED)
    }
    if directory.user_key(pool, username) in pool.users:
        raise UsernameExistsException("User already exists")
    for attribute in ("email", "phone_number"):
        if given.get(f"{attribute}_verified") == "true" and not given.get(attribute):
            raise _RowFailed(f"{attribute}_verified is true but the user has no {attribute}.")
    if not any(
        given.get(f"{attribute}_verified") == "true" for attribute in pools.auto_verified_attributes(pool)
    ):
        raise _RowFailed(NOT_AUTO_VERIFIED)
    user = accounts.create_user(
        env, pool, username, given, status=UserStatus.RESET_REQUIRED, exists_message="User already exists"
    )
    if mfa_enabled == "true" and user.attributes.get("phone_number"):
        # cognito:mfa_enabled is the legacy per-user SMS MFA setting (MFAOptions).
        own_mfa(user).sms = True
    return user
