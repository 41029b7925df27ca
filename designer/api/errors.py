"""Domain exceptions -> (code, HTTP status), and the one error body every API answer uses.

Every error is `{"code": ..., "message": ..., "errors": [...]}`; each entry of `errors` names the field
(`"field": "name"`) or place in the definition (`"pointer"`, `"line"`, `"column"`) at fault. Extra keys
carry what a client needs to recover, e.g. `current_revision` on a conflict.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from designer import services
from designer.deploy import errors as deploy_errors

# (code, status). A code of None means: the exception carries its own code.
ERROR_CODES: dict[type[services.DesignerError], tuple[str | None, int]] = {
    services.WorkflowFieldError: (None, status.HTTP_400_BAD_REQUEST),
    services.WorkflowNameTaken: ("WORKFLOW_NAME_TAKEN", status.HTTP_409_CONFLICT),
    services.DefinitionEmpty: ("MISSING_DESCRIPTION", status.HTTP_400_BAD_REQUEST),
    services.DefinitionTooLarge: ("DEFINITION_TOO_LARGE", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE),
    services.DefinitionMalformed: ("INVALID_JSON_DESCRIPTION", status.HTTP_400_BAD_REQUEST),
    services.DefinitionNotText: ("DEFINITION_NOT_UTF8", status.HTTP_400_BAD_REQUEST),
    services.DefinitionInvalid: ("DEFINITION_INVALID", status.HTTP_400_BAD_REQUEST),
    services.RevisionRequired: ("REVISION_REQUIRED", status.HTTP_428_PRECONDITION_REQUIRED),
    services.StaleRevision: ("STALE_REVISION", status.HTTP_409_CONFLICT),
    services.TestInputNameTaken: ("TEST_INPUT_NAME_TAKEN", status.HTTP_409_CONFLICT),
    services.NotAllowed: ("PERMISSION_DENIED", status.HTTP_403_FORBIDDEN),
    deploy_errors.TargetNotFound: ("TARGET_NOT_FOUND", status.HTTP_404_NOT_FOUND),
    deploy_errors.TargetNameTaken: ("TARGET_NAME_TAKEN", status.HTTP_409_CONFLICT),
    deploy_errors.TargetUnreachable: ("TARGET_UNREACHABLE", status.HTTP_502_BAD_GATEWAY),
    deploy_errors.PublishRefused: (None, status.HTTP_400_BAD_REQUEST),
}

# DRF's own exceptions, renamed into the same vocabulary.
DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "NOT_AUTHENTICATED",
    exceptions.AuthenticationFailed: "AUTHENTICATION_FAILED",
    exceptions.PermissionDenied: "PERMISSION_DENIED",
    exceptions.NotFound: "NOT_FOUND",
    exceptions.ParseError: "MALFORMED_REQUEST",
    exceptions.UnsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
    exceptions.MethodNotAllowed: "METHOD_NOT_ALLOWED",
    exceptions.NotAcceptable: "NOT_ACCEPTABLE",
    exceptions.Throttled: "THROTTLED",
    exceptions.ValidationError: "INVALID_REQUEST",
}


def error_body(code: str, message: str, errors: list[dict[str, Any]] | None = None, **extra: Any) -> dict:
    return {"code": code, "message": message, "errors": errors or [], **extra}


def domain_error_response(error: services.DesignerError) -> Response:
    for error_type, (code, http_status) in ERROR_CODES.items():
        if isinstance(error, error_type):
            return Response(_domain_body(error, code), status=http_status)
    raise error


def _domain_body(error: services.DesignerError, code: str | None) -> dict:
    match error:
        case services.WorkflowFieldError():
            return error_body(error.code, error.message, [{"field": error.field, "message": error.message}])
        case services.WorkflowNameTaken() | services.TestInputNameTaken() | deploy_errors.TargetNameTaken():
            return error_body(code, str(error), [{"field": "name", "message": str(error)}])
        case deploy_errors.PublishRefused():
            return error_body(error.code, error.message, error.errors)
        case services.DefinitionTooLarge():
            return error_body(
                code,
                str(error),
                [{"field": "definition", "message": str(error)}],
                size=error.size,
                limit=error.limit,
            )
        case services.DefinitionNotText():
            return error_body(code, str(error), [{"field": "file", "message": str(error)}])
        case services.DefinitionEmpty():
            return error_body(code, str(error), [{"field": "definition", "message": str(error)}])
        case services.DefinitionMalformed():
            diagnostic = error.diagnostic
            entry = {
                "field": "definition",
                "pointer": diagnostic.pointer,
                "line": diagnostic.line,
                "column": diagnostic.column,
                "message": diagnostic.message,
            }
            return error_body(code, str(error), [entry], format=error.format)
        case services.DefinitionInvalid():
            diagnostics = [d.to_dict() for d in error.diagnostics]
            entries = [{"field": "definition", **d} for d in diagnostics if d["severity"] == "error"]
            return error_body(code, str(error), entries, diagnostics=diagnostics)
        case services.RevisionRequired():
            return error_body(code, str(error), current_revision=error.current)
        case services.StaleRevision():
            return error_body(code, str(error), current_revision=error.current, your_revision=error.expected)
    return error_body(code, str(error))


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, with domain errors mapped and every body in the shape above."""
    if isinstance(exc, services.DesignerError):
        return domain_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("REQUEST_TOO_LARGE", "The request body is larger than this server accepts."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    code = next((c for t, c in DRF_CODES.items() if isinstance(exc, t)), "ERROR")
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        message = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        response.data = error_body(code, message or "Invalid request.", errors)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = error_body(code, str(detail))
    return response


def _flatten(detail: Any, field: str = "") -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in _flatten(value, _join(field, key))]
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [{"field": field or None, "message": str(item)} for item in detail]
        return [e for index, item in enumerate(detail) for e in _flatten(item, _join(field, str(index)))]
    return [{"field": field or None, "message": str(detail)}]


def _join(prefix: str, key: str) -> str:
    if key == "non_field_errors":
        return prefix
    return f"{prefix}.{key}" if prefix else key
