"""Point-in-time recovery: Initiate/Start/Cancel/Describe/ListPointInTimeRecoveries."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.continuity import Restoration, RestoreStatus
from cognito_emu.idp.pool import point_in_time
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.protocol.model import IDP

SERVICE = IDP
# ListPointInTimeRecoveries without MaxResults: the model's maximum.
DEFAULT_MAX_RESULTS = 60


def present_restoration(restoration: Restoration, status: RestoreStatus) -> dict[str, Any]:
    """RestorationType; the preview once it exists."""
    generated = status not in (RestoreStatus.PREVIEW_GENERATING, RestoreStatus.PREVIEW_GENERATION_FAILED)
    return {
        "RestoreId": restoration.restore_id,
        "RestoreStatus": status,
        "RestoreTimestamp": restoration.restore_timestamp,
        "TriggerTimestamp": restoration.trigger_timestamp,
        "RestorePreview": [
            {
                "Entity": count.entity,
                "CreateCount": count.created,
                "UpdateCount": count.updated,
                "DeleteCount": count.deleted,
            }
            for count in restoration.preview
        ]
        if generated
        else None,
    }


def initiate_point_in_time_recovery(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    restoration = point_in_time.initiate(call.env, pool, params["RestoreTimestamp"])
    return {"Restoration": present_restoration(restoration, RestoreStatus.PREVIEW_GENERATING)}


def start_point_in_time_recovery(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    restoration = point_in_time.start(call.env, pool, params["RestoreId"])
    return {"Restoration": present_restoration(restoration, RestoreStatus.RESTORING)}


def cancel_point_in_time_recovery(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    restoration = point_in_time.cancel(call.env, pool, params["RestoreId"])
    return {"Restoration": present_restoration(restoration, restoration.status)}


def describe_point_in_time_recovery(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    restoration = point_in_time.get(pool, params["RestoreId"])
    now = call.env.clock.now()
    return {"Restoration": present_restoration(restoration, point_in_time.status_at(restoration, now))}


def list_point_in_time_recoveries(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    page, token = point_in_time.list_restorations(
        pool, params.get("MaxResults", DEFAULT_MAX_RESULTS), params.get("NextToken")
    )
    now = call.env.clock.now()
    return {
        "Restorations": [
            {
                "RestoreId": r.restore_id,
                "RestoreStatus": point_in_time.status_at(r, now),
                "RestoreTimestamp": r.restore_timestamp,
            }
            for r in page
        ],
        "NextToken": token,
    }


HANDLERS = {
    "InitiatePointInTimeRecovery": initiate_point_in_time_recovery,
    "StartPointInTimeRecovery": start_point_in_time_recovery,
    "CancelPointInTimeRecovery": cancel_point_in_time_recovery,
    "DescribePointInTimeRecovery": describe_point_in_time_recovery,
    "ListPointInTimeRecoveries": list_point_in_time_recoveries,
}
