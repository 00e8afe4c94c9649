"""Emulator: owns configuration, clock, ids and state, and builds the WSGI app every mode serves."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from cognito_emu.clock import Clock
from cognito_emu.config import Config
from cognito_emu.delivery import smtp
from cognito_emu.delivery.outbox import Outbox
from cognito_emu.env import Env
from cognito_emu.errors import ResourceNotFoundException
from cognito_emu.idp import keys
from cognito_emu.idp.pool import domains, point_in_time
from cognito_emu.idp.signin import risk
from cognito_emu.ids import Ids
from cognito_emu.oauth import routing
from cognito_emu.state import State
from cognito_emu.throttle import Throttle
from cognito_emu.triggers.registry import TriggerRegistry, parse_mappings
from cognito_emu.web.app import Application
from cognito_emu.web.other_services import OtherServices


class Emulator:
    """One emulated Cognito: use it as a WSGI app, or ``with Emulator() as emu:`` for a server thread."""

    def __init__(self, config: Config | None = None, **settings: Any) -> None:
        # Without a Config, settings come from COGNITO_EMU_* and the keywords, and the server thread
        # takes any free port unless one is named: tests run side by side with `make run`.
        self.config = config or Config.from_env(**{"port": 0, **settings})
        self.clock = Clock()
        self.ids = Ids(self.config.deterministic)
        self.state = State()
        self.outbox = Outbox()
        self._deliver_mail(self.config)
        # Lambda trigger targets (cognito_emu.triggers): --trigger / COGNITO_EMU_TRIGGERS, then register().
        self.triggers = TriggerRegistry(
            parse_mappings(self.config.triggers or ""),
            unmapped=self.config.unmapped_triggers,
            timeout=self.config.trigger_timeout,
        )
        self.env = Env(
            config=self.config,
            clock=self.clock,
            ids=self.ids,
            state=self.state,
            outbox=self.outbox,
            triggers=self.triggers,
        )
        if self.config.signing_key:
            self.env.signing_key = keys.read_signing_key(self.config.signing_key)
        # Requests for other AWS services (IAM, SNS, S3, ...): moto in this process, or a clear error.
        self.other_services = OtherServices(self.config.other_services)
        if self.config.throttle == "aws":
            self.env.throttle = Throttle(self.clock, self.state)
        # Failures and delays on demand (cognito_emu.faults): emu.faults.add("InitiateAuth", count=2).
        self.faults = self.env.faults
        self.app = Application(self.env, reset=self.reset, persist=self.persist, others=self.other_services)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        # With a data dir, the state saved there wins; the seed only fills a fresh one.
        restored = self._open_data_dir()
        if self.config.seed and not restored:
            self.load_seed(self.config.seed)
            self.persist()

    def _open_data_dir(self) -> bool:
        """With ``config.data_dir``: load the state saved there (PersistenceError if damaged); True if any."""
        if not self.config.data_dir:
            return False
        from cognito_emu.state.persistence import Persistence

        persistence = Persistence(
            self.config.data_dir, sync=self.config.data_sync, verify=self.config.persist_verify
        )
        try:
            with self.state.lock:
                persistence.load_into(self.state, self.clock, self.ids)
        except BaseException:
            persistence.close()
            raise
        self.env.persistence = persistence
        return bool(self.state.stores or self.state.sessions)

    def persist(self) -> None:
        """Commit state changed outside an AWS operation (reset, import, clock) to the data dir, if any."""
        persistence = self.env.persistence
        if persistence is not None:
            with self.state.lock:
                persistence.flush()

    def close(self) -> None:
        """Stop serving and close the data dir (its state is already committed)."""
        self.stop()
        persistence, self.env.persistence = self.env.persistence, None
        if persistence is not None:
            with self.state.lock:
                persistence.close()

    def _deliver_mail(self, config: Config) -> None:
        """SMS are logged; with ``config.smtp`` set, emails also go to that SMTP server (ValueError if malformed)."""
        self.outbox.deliverers.append(smtp.log_sms)
        if config.smtp:
            host, port = smtp.parse_address(config.smtp)
            sender = smtp.pool_sender(self.state, config.smtp_from)
            self.outbox.deliverers.append(smtp.SmtpDeliverer(host, port, sender))

    def reset(self, account: str | None = None) -> None:
        """Forget the state (one account's Cognito state when named); a full reset also resets moto's."""
        if account is None:
            self.other_services.reset()
        with self.state.lock:
            self.state.reset(account)
            if account is None:
                self.outbox.clear()
                # Trigger mappings are wiring and stay; the invocation log goes with the state.
                self.triggers.clear_log()
                self.env.faults.clear()
                if self.env.throttle is not None:
                    self.env.throttle.clear()
                self.clock.reset()
                self.ids.reseed()
                if self.config.seed:
                    # A full reset goes back to the seed the emulator started from.
                    self.load_seed(self.config.seed)
            self.persist()

    # -- made for tests: seeds, snapshots, TOTP ------------------------------------------------

    def load_seed(self, seed: str | Path | dict[str, Any]) -> dict[str, int]:
        """Apply a seed file (YAML or JSON) or an already parsed seed document; raises SeedError."""
        from cognito_emu.seed import load_seed

        return load_seed(self.env, seed)

    def export_seed(self) -> dict[str, Any]:
        """The current state as a seed document (see cognito_emu.seed)."""
        from cognito_emu.seed import export_seed

        with self.state.lock:
            return export_seed(self.state)

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of every store, JSON-able (the GET /_emu/state format); see ``restore``.

        Sessions of unfinished sign-in challenges, the outbox and the clock are not part of it."""
        from cognito_emu.state.codec import encode

        with self.state.lock:
            return {"stores": [encode(store) for store in self.state.stores.values()]}

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Replace all state with a ``snapshot()`` (or a GET /_emu/state export), indexes rebuilt."""
        import copy

        from cognito_emu.state.codec import decode
        from cognito_emu.state.store import Address, Store

        # decode() hands settings dicts through as they are: copy so the snapshot can be restored again.
        stores = [decode(Store, copy.deepcopy(item)) for item in snapshot.get("stores", [])]
        self.ids.branch(json.dumps(snapshot, sort_keys=True, default=str).encode())
        with self.state.lock:
            self.state.stores = {Address(store.account, store.region): store for store in stores}
            self.state.rebuild_indexes()
            self.persist()

    def jwks(self, user_pool_id: str) -> dict[str, Any]:
        """The pool's JSON Web Key Set, as ``/<poolId>/.well-known/jwks.json`` serves it (its keys are
        made now if it has none yet); ResourceNotFoundException for an unknown pool."""
        with self.state.lock:
            pool = self.state.find_pool(user_pool_id)
            if pool is None:
                raise ResourceNotFoundException(f"User pool {user_pool_id} does not exist.")
            document = keys.jwks(pool)
            self.persist()
        return document

    def serves_domain(self, host: str) -> bool:
        """Whether ``host`` is a user pool domain this emulator answers: any
        ``<prefix>.auth.<region>.amazoncognito.com``, or a custom domain one of its pools has."""
        if routing.is_prefix_domain_host(host):
            return True
        with self.state.lock:
            return routing.domain_of_host(self.state, host) is not None

    def set_next_sign_in_risk(self, user_pool_id: str, username: str, level: str | None) -> None:
        """Threat protection assesses the next sign-in of ``username`` as ``level`` (LOW, MEDIUM, HIGH;
        None clears it): AUDIT records it, ENFORCED applies the pool's risk configuration."""
        with self.state.lock:
            risk.set_next_sign_in_risk(self.env, user_pool_id, username, level)
            self.persist()

    def fail_next_point_in_time_recovery(self, user_pool_id: str, status: str | None) -> None:
        """The pool's next point-in-time recovery fails with ``status``: PREVIEW_GENERATION_FAILED at its
        Initiate, TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE or AWS_ABORTED at its Start (None clears it)."""
        with self.state.lock:
            point_in_time.fail_next(self.env, user_pool_id, status)
            self.persist()

    def set_route53_health_check(self, health_check_id: str, healthy: bool) -> None:
        """Mark a Route 53 health check healthy or not (every one is healthy until set): while a custom
        domain's ``Routing.Failover`` health check is unhealthy, its hosted pages and OAuth endpoints are
        served by the replica in its SecondaryRegion. A full reset makes every health check healthy again."""
        with self.state.lock:
            domains.set_health_check(self.state, health_check_id, healthy)

    def totp_code(self, secret: str, at: float | None = None) -> str:
        """The 6-digit code an authenticator app shows for ``secret`` now (by the emulator's clock)."""
        from cognito_emu import totp

        return totp.code(secret, self.clock.now() if at is None else at)

    def decrypt_code(self, encrypted: str) -> str:
        """The plain code (or temporary password) in a CustomEmailSender/CustomSMSSender ``request.code``."""
        from cognito_emu.triggers.custom_senders import decrypt_code

        return decrypt_code(encrypted)

    # -- server thread -------------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not serving; call start() or use it as a context manager")
        return f"http://{self.config.host}:{self._server.port}"

    def start(self) -> Emulator:
        from cognito_emu.server import make_server

        if self._server is None:
            self._server = make_server(self.app, self.config.host, self.config.port)
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="cognito-emu", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def client(self, service_name: str = "cognito-idp", **kwargs: Any) -> Any:
        """A boto3 client bound to this emulator's server, with dummy credentials."""
        import boto3

        kwargs.setdefault("region_name", self.config.region)
        kwargs.setdefault("aws_access_key_id", "testing")
        kwargs.setdefault("aws_secret_access_key", "testing")
        return boto3.client(service_name, endpoint_url=self.endpoint_url, **kwargs)
