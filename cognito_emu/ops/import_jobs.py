"""User import job operations (CSV import; cognito_emu.idp.users.import_jobs)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import UserImportJob
from cognito_emu.idp.users import import_jobs
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_job(job: UserImportJob, now: float) -> dict[str, Any]:
    """UserImportJobType."""
    return {
        "JobName": job.name,
        "JobId": job.job_id,
        "UserPoolId": job.user_pool_id,
        "PreSignedUrl": job.url,
        "CreationDate": job.created,
        "StartDate": job.started,
        "CompletionDate": job.completed,
        "Status": import_jobs.status_of(job, now).value,
        "CloudWatchLogsRoleArn": job.role_arn,
        "ImportedUsers": job.imported,
        "SkippedUsers": job.skipped,
        "FailedUsers": job.failed,
        "CompletionMessage": job.completion_message,
    }


def _answer(call: Call, job: UserImportJob) -> dict[str, Any]:
    return {"UserImportJob": present_job(job, call.env.clock.now())}


def create_user_import_job(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    job = import_jobs.create_job(
        call.env,
        call.store,
        params["UserPoolId"],
        params["JobName"],
        params["CloudWatchLogsRoleArn"],
        call.base_url,
    )
    return _answer(call, job)


def start_user_import_job(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    job = import_jobs.start_job(call.env, call.store, params["UserPoolId"], params["JobId"])
    return _answer(call, job)


def stop_user_import_job(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    job = import_jobs.stop_job(call.env, call.store, params["UserPoolId"], params["JobId"])
    return _answer(call, job)


def describe_user_import_job(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    job = import_jobs.get_job(call.store, params["UserPoolId"], params["JobId"])
    return _answer(call, job)


def list_user_import_jobs(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    page, token = import_jobs.list_jobs(
        call.store, params["UserPoolId"], params["MaxResults"], params.get("PaginationToken")
    )
    now = call.env.clock.now()
    return {"UserImportJobs": [present_job(job, now) for job in page], "PaginationToken": token}


HANDLERS = {
    "CreateUserImportJob": create_user_import_job,
    "StartUserImportJob": start_user_import_job,
    "StopUserImportJob": stop_user_import_job,
    "DescribeUserImportJob": describe_user_import_job,
    "ListUserImportJobs": list_user_import_jobs,
}
