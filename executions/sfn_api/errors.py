"""AWS's error shape for the Step Functions endpoint: ``{"__type": code, "message": text}``
with the HTTP status AWS uses for each code. Domain errors (``executions.exceptions``) are
client errors (400); the protocol adds its own (authentication 403, unknown operation 400)."""

from executions.exceptions import StepFunctionsError

CONTENT_TYPE = "application/x-amz-json-1.0"


class ProtocolError(Exception):
    """An error of the protocol itself, before any operation runs."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def missing_authentication() -> ProtocolError:
    return ProtocolError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)


def incomplete_signature(message: str) -> ProtocolError:
    return ProtocolError("IncompleteSignatureException", message, 403)


def unrecognized_client() -> ProtocolError:
    return ProtocolError(
        "UnrecognizedClientException", "The security token included in the request is invalid.", 403
    )


def invalid_signature(message: str | None = None) -> ProtocolError:
    return ProtocolError(
        "InvalidSignatureException",
        message
        or "The request signature we calculated does not match the signature you provided. Check your AWS "
        "Secret Access Key and signing method. Consult the service documentation for details.",
        403,
    )


def unknown_operation(target: str) -> ProtocolError:
    return ProtocolError("UnknownOperationException", f"Unknown operation: '{target}'", 400)


def access_denied(user_name: str, account: str, operation: str) -> ProtocolError:
    """AWS's answer when no policy allows the action: a client error (400), not a 403."""
    return ProtocolError(
        "AccessDeniedException",
        f"User: arn:aws:iam::{account}:user/{user_name} is not authorized to perform: states:{operation} "
        "because no identity-based policy allows the states:" + operation + " action",
        400,
    )


def serialization(message: str) -> ProtocolError:
    return ProtocolError("SerializationException", message, 400)


def request_too_large() -> ProtocolError:
    # Refused before authentication, as AWS's front door refuses a body over its limit.
    return ProtocolError("RequestEntityTooLargeException", "Request entity too large", 413)


def error_body(exc: Exception) -> tuple[int, dict]:
    """The HTTP status and body AWS answers ``exc`` with."""
    if isinstance(exc, ProtocolError):
        return exc.status, {"__type": exc.code, "message": exc.message}
    if isinstance(exc, StepFunctionsError):
        return 400, {"__type": exc.code, "message": exc.message}
    # Anything else is our bug: AWS's shape, no traceback to the client.
    return 500, {
        "__type": "InternalFailure",
        "message": "The request processing has failed because of an unknown error.",
    }
