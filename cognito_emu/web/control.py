"""``/_emu/...``: the control API for tests and people, and moto's server-mode reset routes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from werkzeug.exceptions import BadRequest
from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from cognito_emu import __version__
from cognito_emu.env import Env
from cognito_emu.errors import CognitoError
from cognito_emu.idp.pool import domains, point_in_time
from cognito_emu.idp.signin import risk
from cognito_emu.seed import SeedError, apply_seed, export_seed, parse_seed
from cognito_emu.state.codec import decode, encode
from cognito_emu.state.store import Address, Store
from cognito_emu.web import console, fault_routes, outbox_routes
from cognito_emu.web.other_services import OtherServices

RULES = [
    Rule("/_emu/health", methods=["GET"], endpoint="health"),
    Rule("/_emu/reset", methods=["POST"], endpoint="reset"),
    Rule("/_emu/clock", methods=["GET"], endpoint="clock_get"),
    Rule("/_emu/clock", methods=["POST"], endpoint="clock_set"),
    Rule("/_emu/state", methods=["GET"], endpoint="state_get"),
    Rule("/_emu/state", methods=["PUT"], endpoint="state_put"),
    Rule("/_emu/seed", methods=["POST"], endpoint="seed_post"),
    Rule("/_emu/risk", methods=["POST"], endpoint="risk_post"),
    Rule("/_emu/point-in-time-recovery-failure", methods=["POST"], endpoint="recovery_failure_post"),
    Rule("/_emu/route53-health-checks", methods=["POST"], endpoint="health_check_post"),
    Rule("/moto-api/reset", methods=["POST"], endpoint="reset"),
    Rule("/moto-api/reset-auth", methods=["POST"], endpoint="moto_reset_auth"),
    *outbox_routes.RULES,
    *fault_routes.RULES,
]


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, indent=None), status=status, mimetype="application/json")


def _json_body(request: Request) -> dict[str, Any]:
    raw = request.get_data()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadRequest("The body must be JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    return body


class ControlApi(outbox_routes.OutboxRoutes, fault_routes.FaultRoutes):
    def __init__(
        self, env: Env, reset: Callable[[str | None], None], others: OtherServices, started: float
    ) -> None:
        self.env = env
        self.others = others
        # Emulator.reset: a full reset also needs the seed the emulator started from, which Env does not hold.
        self._reset = reset
        # When the Emulator was made (time.time()): health's uptime.
        self.started = started
        # moto's server keeps this number for its IAM emulation: moto gets it when it answers other services.
        self.moto_no_auth_count: float = float("inf")

    def health(self, request: Request) -> Response:
        with self.env.state.lock:
            counts = self.env.state.counts()
        return json_response(
            {
                "status": "ok",
                "version": __version__,
                "uptimeSeconds": round(time.time() - self.started, 3),
                "counts": counts,
                "otherServices": self.others.mode,
            }
        )

    def reset(self, request: Request) -> Response:
        account = request.args.get("account") or _json_body(request).get("account")
        self._reset(account)
        return json_response({"reset": True, "account": account})

    def console_reset(self, request: Request) -> Response:
        """The console's reset button: the same full reset, then back to the console's overview; refused
        without the browser session's CSRF token, as every console form is."""
        return console.guarded(self._reset_from_console)(self.env, request)

    def _reset_from_console(self, env: Env, request: Request) -> Response:
        self._reset(None)
        return redirect(console.views.ROOT, 303)

    def moto_reset_auth(self, request: Request) -> Response:
        previous = self.moto_no_auth_count
        raw = request.get_data().strip()
        if raw:
            try:
                self.moto_no_auth_count = float(json.loads(raw))
            except (ValueError, TypeError):
                raise BadRequest("The body must be a number.") from None
            self.others.reset_auth(self.moto_no_auth_count)
        return Response(
            json.dumps({"PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT": previous}), mimetype="application/json"
        )

    def _clock_view(self) -> dict[str, Any]:
        clock = self.env.clock
        now = clock.now()
        return {
            "now": now,
            "iso": datetime.fromtimestamp(now).astimezone().isoformat(),
            "frozen": clock.frozen,
        }

    def clock_get(self, request: Request) -> Response:
        return json_response(self._clock_view())

    def clock_set(self, request: Request) -> Response:
        body = _json_body(request)
        clock = self.env.clock
        if "set" in body:
            clock.set(_instant(body["set"]))
        if "advance" in body:
            seconds = body["advance"]
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise BadRequest("'advance' must be a number of seconds.")
            clock.advance(seconds)
        if body.get("freeze") is True:
            clock.freeze()
        if body.get("freeze") is False:
            clock.unfreeze()
        if body.get("reset") is True:
            clock.reset()
        return json_response(self._clock_view())

    def state_get(self, request: Request) -> Response:
        if request.args.get("format") == "seed":
            # The seed format (cognito_emu.seed): what POST /_emu/seed and `serve --seed` take back.
            with self.env.state.lock:
                document = export_seed(self.env.state)
            return json_response(document)
        with self.env.state.lock:
            stores = [encode(store) for store in self.env.state.stores.values()]
        return json_response({"version": __version__, "stores": stores})

    def seed_post(self, request: Request) -> Response:
        """Apply a seed document (JSON, or YAML when the Content-Type says yaml), all or nothing."""
        fmt = "yaml" if "yaml" in (request.mimetype or "") else "json"
        try:
            document = parse_seed(request.get_data(as_text=True), fmt, "body")
            counts = apply_seed(self.env, document, "body")
        except SeedError as exc:
            return json_response({"error": "SeedError", "message": str(exc)}, status=400)
        return json_response({"applied": True, "created": counts})

    def risk_post(self, request: Request) -> Response:
        """``{"userPoolId", "username", "riskLevel": "HIGH"}``: the risk threat protection assesses for
        that user's next sign-in (``"riskLevel": null`` clears it)."""
        body = _json_body(request)
        pool_id, username = body.get("userPoolId"), body.get("username")
        if not isinstance(pool_id, str) or not isinstance(username, str):
            raise BadRequest("'userPoolId' and 'username' are required strings.")
        try:
            with self.env.state.lock:
                level = risk.set_next_sign_in_risk(self.env, pool_id, username, body.get("riskLevel"))
        except CognitoError as error:
            status = 404 if error.code in ("ResourceNotFoundException", "UserNotFoundException") else 400
            return json_response({"error": error.code, "message": error.message}, status=status)
        return json_response({"userPoolId": pool_id, "username": username, "nextSignInRisk": level})

    def recovery_failure_post(self, request: Request) -> Response:
        """``{"userPoolId", "status": "AWS_ABORTED"}``: how the pool's next point-in-time recovery fails
        (``"status": null`` clears it)."""
        body = _json_body(request)
        pool_id = body.get("userPoolId")
        if not isinstance(pool_id, str):
            raise BadRequest("'userPoolId' is a required string.")
        try:
            with self.env.state.lock:
                status = point_in_time.fail_next(self.env, pool_id, body.get("status"))
        except CognitoError as error:
            code = 404 if error.code == "ResourceNotFoundException" else 400
            return json_response({"error": error.code, "message": error.message}, status=code)
        return json_response({"userPoolId": pool_id, "nextRecoveryFailure": status})

    def health_check_post(self, request: Request) -> Response:
        """``{"id", "healthy": false}``: a Route 53 health check's status, which fails a custom domain's
        ``Routing.Failover`` over to its secondary Region (every health check is healthy until set)."""
        body = _json_body(request)
        health_check_id, healthy = body.get("id"), body.get("healthy")
        if not isinstance(health_check_id, str) or not health_check_id or not isinstance(healthy, bool):
            raise BadRequest("'id' is a required string and 'healthy' a required boolean.")
        with self.env.state.lock:
            domains.set_health_check(self.env.state, health_check_id, healthy)
        return json_response({"id": health_check_id, "healthy": healthy})

    def state_put(self, request: Request) -> Response:
        body = _json_body(request)
        try:
            stores = [decode(Store, item) for item in body.get("stores", [])]
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise BadRequest(f"Not a state export: {exc}") from None
        self.env.ids.branch(request.get_data())
        state = self.env.state
        with state.lock:
            state.stores = {Address(store.account, store.region): store for store in stores}
            state.rebuild_indexes()
            counts = state.counts()
        return json_response({"imported": True, "counts": counts})


def _instant(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            pass
    raise BadRequest("'set' must be epoch seconds or an ISO-8601 instant.")
