"""Emulator settings: defaults, then environment variables (COGNITO_EMU_*), then CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"


@dataclass(slots=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 9229
    region: str = DEFAULT_REGION
    account: str = DEFAULT_ACCOUNT
    log_level: str = "info"
    # None: tokens are issued by "<the base URL the client called>/<poolId>"; a URL: "<issuer_base>/<poolId>";
    # "aws": AWS's own "https://cognito-idp.<the pool's region>.amazonaws.com/<poolId>".
    issuer_base: str | None = None
    # A PEM private key, or the path of a file holding one, that signs the ID and access tokens of every
    # user pool (for suites that pin a key); a seed's per-pool signingKey / accessSigningKey still win.
    # None: each pool gets two keys of its own, as in Cognito.
    signing_key: str | None = None
    deterministic: int | None = None
    # A seed file (YAML or JSON) applied at start and after every full reset (cognito_emu.seed).
    seed: str | None = None
    # HOST:PORT of an SMTP server every EMAIL message is also sent to; None keeps mail in the outbox only.
    smtp: str | None = None
    # From address of those emails when the pool's EmailConfiguration names none.
    smtp_from: str = "no-reply@verificationemail.com"
    # A directory the state is kept in (SQLite, cognito_emu.state.persistence); None keeps it in memory.
    data_dir: str | None = None
    # "normal" survives the process being killed; "full" also fsyncs every commit (power loss).
    data_sync: str = "normal"
    # Check after every operation that the data dir holds exactly the memory state (slow; for tests).
    persist_verify: bool = False
    # Lambda trigger targets, "ARN=TARGET" separated by commas or newlines (cognito_emu.triggers.registry).
    triggers: str | None = None
    # What a trigger whose ARN has no target does: "error" (UnexpectedLambdaException) or "skip" (a warning).
    unmapped_triggers: str = "error"
    # Who answers requests for other AWS services: "moto" (in this process) or "none" (an error naming the
    # service); None: moto when it is installed (cognito_emu.web.other_services).
    other_services: str | None = None
    # Seconds a trigger target may take before Cognito's UnexpectedLambdaException (Cognito waits 5).
    trigger_timeout: float = 5.0
    # "aws": Cognito's per-category request-rate quotas answer TooManyRequestsException (cognito_emu.throttle).
    throttle: str = "off"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Config:
        environ = os.environ if environ is None else environ
        config = cls()
        for f in fields(cls):
            raw = environ.get(f"COGNITO_EMU_{f.name.upper()}")
            if raw is not None and raw != "":
                setattr(config, f.name, _coerce(f.name, raw))
        for name, value in overrides.items():
            if value is not None:
                setattr(config, name, value)
        return config


def _coerce(name: str, raw: str) -> object:
    if name == "persist_verify":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if name == "trigger_timeout":
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"COGNITO_EMU_TRIGGER_TIMEOUT must be a number, got {raw!r}") from None
    if name in ("port", "deterministic"):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"COGNITO_EMU_{name.upper()} must be an integer, got {raw!r}") from None
    return raw
