"""botocore's service models, loaded once: the source of truth for operations and shapes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import botocore.session
from botocore.model import OperationModel, ServiceModel

IDP = "cognito-idp"
IDENTITY = "cognito-identity"


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str
    target_prefix: str
    model: ServiceModel
    # The error code AWS uses when an input breaks a model constraint.
    validation_error: str
    operations: frozenset[str]

    def operation(self, name: str) -> OperationModel | None:
        if name not in self.operations:
            return None
        return self.model.operation_model(name)


_VALIDATION_ERRORS = {IDP: "InvalidParameterException", IDENTITY: "ValidationException"}


@cache
def services() -> dict[str, ServiceSpec]:
    """Every emulated service keyed by its X-Amz-Target prefix."""
    session = botocore.session.get_session()
    found: dict[str, ServiceSpec] = {}
    for name in (IDP, IDENTITY):
        model = session.get_service_model(name)
        prefix = model.metadata["targetPrefix"]
        found[prefix] = ServiceSpec(
            name=name,
            target_prefix=prefix,
            model=model,
            validation_error=_VALIDATION_ERRORS[name],
            operations=frozenset(model.operation_names),
        )
    return found


@cache
def service(name: str) -> ServiceSpec:
    for spec in services().values():
        if spec.name == name:
            return spec
    raise KeyError(name)


@cache
def operation(service_name: str, op_name: str) -> OperationModel:
    return service(service_name).model.operation_model(op_name)


def is_unsigned(op: OperationModel) -> bool:
    """True for operations a client may call without SigV4 (InitiateAuth, SignUp, GetUser, ...)."""
    return op.auth_type == "none"
