"""One exception class per AWS error code of both Cognito services.

The class name is the wire ``__type``; the message is what a client sees. Raise these from the
domain; the web layer renders them, so nothing else needs to know about HTTP.
"""

from __future__ import annotations


class CognitoError(Exception):
    """Base of every error the emulator answers with."""

    status: int = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    @property
    def code(self) -> str:
        # A subclass kept elsewhere for control flow (triggers' TriggerTimeout) answers with the AWS code
        # it extends, never its own name.
        return next(cls.__name__ for cls in type(self).__mro__ if cls.__module__ == __name__)


# Protocol-level codes shared by AWS JSON services (not in the Cognito models).


class SerializationException(CognitoError):
    pass


class UnknownOperationException(CognitoError):
    pass


class ValidationException(CognitoError):
    pass


# Codes declared by the cognito-idp and cognito-identity service models.


class AccessDeniedException(CognitoError):
    pass


class AliasExistsException(CognitoError):
    pass


class CachedCIMDURLDoesNotExistException(CognitoError):
    pass


class CodeDeliveryFailureException(CognitoError):
    pass


class CodeMismatchException(CognitoError):
    pass


class ConcurrentModificationException(CognitoError):
    pass


class DeveloperUserAlreadyRegisteredException(CognitoError):
    pass


class DeviceKeyExistsException(CognitoError):
    pass


class DuplicateProviderException(CognitoError):
    pass


class EnableSoftwareTokenMFAException(CognitoError):
    pass


class ExpiredCodeException(CognitoError):
    pass


class ExternalServiceException(CognitoError):
    pass


class FeatureUnavailableInTierException(CognitoError):
    pass


class ForbiddenException(CognitoError):
    pass


class GroupExistsException(CognitoError):
    pass


class InternalErrorException(CognitoError):
    status = 500


class InternalServerException(CognitoError):
    status = 500


class InvalidEmailRoleAccessPolicyException(CognitoError):
    pass


class InvalidIdentityPoolConfigurationException(CognitoError):
    pass


class InvalidLambdaResponseException(CognitoError):
    pass


class InvalidOAuthFlowException(CognitoError):
    pass


class InvalidParameterException(CognitoError):
    pass


class InvalidPasswordException(CognitoError):
    pass


class InvalidSmsRoleAccessPolicyException(CognitoError):
    pass


class InvalidSmsRoleTrustRelationshipException(CognitoError):
    pass


class InvalidUserPoolConfigurationException(CognitoError):
    pass


class LimitExceededException(CognitoError):
    pass


class MFAMethodNotFoundException(CognitoError):
    pass


class ManagedLoginBrandingExistsException(CognitoError):
    pass


class NotAuthorizedException(CognitoError):
    pass


class OperationNotEnabledException(CognitoError):
    pass


class PasswordHistoryPolicyViolationException(CognitoError):
    pass


class PasswordResetRequiredException(CognitoError):
    pass


class PreconditionNotMetException(CognitoError):
    pass


class RefreshTokenReuseException(CognitoError):
    pass


class ResourceConflictException(CognitoError):
    pass


class ResourceNotFoundException(CognitoError):
    pass


class ScopeDoesNotExistException(CognitoError):
    pass


class ServiceQuotaExceededException(CognitoError):
    pass


class SoftwareTokenMFANotFoundException(CognitoError):
    pass


class TermsExistsException(CognitoError):
    pass


class TierChangeNotAllowedException(CognitoError):
    pass


class TooManyFailedAttemptsException(CognitoError):
    pass


class TooManyRequestsException(CognitoError):
    pass


class UnauthorizedException(CognitoError):
    pass


class UnexpectedLambdaException(CognitoError):
    pass


def lambda_timeout_message(trigger: str) -> str:
    """UnexpectedLambdaException's text when a trigger's function does not answer in time (a real timeout
    or one a test asked for through the faults)."""
    return f"{trigger} invocation failed due to error Socket timeout while invoking Lambda function."


class UnsupportedIdentityProviderException(CognitoError):
    pass


class UnsupportedOperationException(CognitoError):
    pass


class UnsupportedTokenTypeException(CognitoError):
    pass


class UnsupportedUserStateException(CognitoError):
    pass


class UserImportInProgressException(CognitoError):
    pass


class UserLambdaValidationException(CognitoError):
    pass


class UserNotConfirmedException(CognitoError):
    pass


class UserNotFoundException(CognitoError):
    pass


class UserPoolAddOnNotEnabledException(CognitoError):
    pass


class UserPoolTaggingException(CognitoError):
    pass


class UsernameExistsException(CognitoError):
    pass


class WebAuthnChallengeNotFoundException(CognitoError):
    pass


class WebAuthnClientMismatchException(CognitoError):
    pass


class WebAuthnConfigurationMissingException(CognitoError):
    pass


class WebAuthnCredentialNotSupportedException(CognitoError):
    pass


class WebAuthnNotEnabledException(CognitoError):
    pass


class WebAuthnOriginNotAllowedException(CognitoError):
    pass


class WebAuthnRelyingPartyMismatchException(CognitoError):
    pass
