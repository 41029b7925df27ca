"""Local functions: the Python handlers Task states call, checked before they are stored."""

import re

from django.db import IntegrityError

from executions.exceptions import ConflictException, ValidationException
from executions.models import LocalFunction

FUNCTION_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _check_function(name: str, code: str, handler: str, timeout_seconds: int, memory_mb: int) -> None:
    if not FUNCTION_NAME_RE.match(name or ""):
        raise ValidationException("name: 1 to 64 letters, digits, '-' or '_' (as Lambda names)")
    if not all(part.isidentifier() for part in handler.split(".")):
        raise ValidationException(
            f"handler: {handler!r} is not a Python function name or Lambda's module.function"
        )
    if not 1 <= timeout_seconds <= 900:
        raise ValidationException("timeout_seconds: from 1 to 900 (Lambda's limit)")
    if not 128 <= memory_mb <= 10240:
        raise ValidationException("memory_mb: from 128 to 10240 (Lambda's limits)")
    try:
        compile(code, f"<function {name}>", "exec")
    except SyntaxError as exc:
        raise ValidationException(f"code: line {exc.lineno}: {exc.msg}") from None


def save_local_function(
    *,
    name: str,
    code: str,
    handler: str = "handler",
    timeout_seconds: int = 30,
    memory_mb: int = 256,
    function: LocalFunction | None = None,
) -> LocalFunction:
    """Create a local function, or replace one; the code must compile."""
    _check_function(name, code, handler, timeout_seconds, memory_mb)
    if function is None and LocalFunction.objects.filter(name=name).exists():
        raise ConflictException(f"Function already exist: {name}")
    function = function or LocalFunction()
    function.name, function.code, function.handler = name, code, handler
    function.timeout_seconds, function.memory_mb = timeout_seconds, memory_mb
    try:
        function.save()
    except IntegrityError:
        raise ConflictException(f"Function already exist: {name}") from None
    return function


def delete_local_function(function: LocalFunction) -> None:
    function.delete()
