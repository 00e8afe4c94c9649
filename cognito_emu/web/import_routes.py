"""``/_emu/import/...``: the PreSignedUrl of user import jobs, and test hooks for them.

Routes:

``PUT /_emu/import/<userPoolId>/<jobId>?X-Amz-Signature=...``
    The job's PreSignedUrl (CreateUserImportJob): the CSV file as the body, as S3 takes it
    (``curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$PRE_SIGNED_URL"``; the header is
    accepted, not required). 200 with an ``ETag``; S3-style XML errors: 403 SignatureDoesNotMatch for
    a wrong signature or an unknown job, 403 AccessDenied once the URL expired (15 minutes on the
    emulator's clock), 400 EntityTooLarge over 100 MB.

``GET /_emu/import/<userPoolId>/<jobId>``
    ``{"jobId", "userPoolId", "status", "uploadedBytes", "log"}``: ``log`` is what the job's
    CloudWatch log would hold, one line per CSV line (``[FAILED] Line Number 3 - ...``).

``POST /_emu/import/<userPoolId>/<jobId>/pending``
    Start the job as StartUserImportJob does but leave it Pending, as if AWS had not picked it up yet,
    so StopUserImportJob can be tried. The job as UserImportJobType-like JSON.

``POST /_emu/import/<userPoolId>/<jobId>/run``
    Run a Pending job now.

Errors of the last three are ``{"__type", "message"}`` with the AWS error code (404 for
ResourceNotFoundException, 400 otherwise).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError, ResourceNotFoundException
from cognito_emu.idp.models import UserImportJob
from cognito_emu.idp.users import import_jobs
from cognito_emu.state import Store


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _s3_error(env: Env, error: import_jobs.UploadRejected) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message>"
        f"<RequestId>{env.ids.hex(16).upper()}</RequestId></Error>"
    )
    return Response(body, status=error.status, mimetype="application/xml")


def upload(env: Env, request: Request, pool_id: str, job_id: str) -> Response:
    body = request.get_data(cache=False)
    with env.state.lock:
        try:
            etag = import_jobs.upload_csv(
                env, env.state, pool_id, job_id, request.args.get("X-Amz-Signature"), body
            )
        except import_jobs.UploadRejected as error:
            return _s3_error(env, error)
    response = Response(b"", status=200)
    response.headers["ETag"] = etag
    encryption = request.headers.get("x-amz-server-side-encryption")
    if encryption:
        response.headers["x-amz-server-side-encryption"] = encryption
    return response


def _with_job(env: Env, pool_id: str, job_id: str, act: Callable[[Store], UserImportJob]) -> Response:
    state = env.state
    with state.lock:
        try:
            pool = state.find_pool(pool_id)
            if pool is None:
                raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
            job = act(state.store(pool.account, pool.region))
            return _json(_view(job, env.clock.now()))
        except CognitoError as error:
            status = 404 if isinstance(error, ResourceNotFoundException) else 400
            return _json({"__type": error.code, "message": error.message}, status)


def _view(job: UserImportJob, now: float) -> dict[str, Any]:
    return {
        "jobId": job.job_id,
        "jobName": job.name,
        "userPoolId": job.user_pool_id,
        "status": import_jobs.status_of(job, now).value,
        "uploadedBytes": None if job.csv is None else len(job.csv),
        "importedUsers": job.imported,
        "skippedUsers": job.skipped,
        "failedUsers": job.failed,
        "completionMessage": job.completion_message,
        "log": list(job.log),
    }


def describe(env: Env, request: Request, pool_id: str, job_id: str) -> Response:
    return _with_job(env, pool_id, job_id, lambda store: import_jobs.get_job(store, pool_id, job_id))


def pending(env: Env, request: Request, pool_id: str, job_id: str) -> Response:
    def act(store: Store) -> UserImportJob:
        import_jobs.start_job(env, store, pool_id, job_id, run=False)
        return import_jobs.get_job(store, pool_id, job_id)

    return _with_job(env, pool_id, job_id, act)


def run(env: Env, request: Request, pool_id: str, job_id: str) -> Response:
    return _with_job(env, pool_id, job_id, lambda store: import_jobs.run_pending(env, store, pool_id, job_id))


RULES = [
    Rule("/_emu/import/<pool_id>/<job_id>", methods=["PUT"], endpoint=upload),
    Rule("/_emu/import/<pool_id>/<job_id>", methods=["GET"], endpoint=describe),
    Rule("/_emu/import/<pool_id>/<job_id>/pending", methods=["POST"], endpoint=pending),
    Rule("/_emu/import/<pool_id>/<job_id>/run", methods=["POST"], endpoint=run),
]
