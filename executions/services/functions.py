"""Local functions: the Python handlers Task states call, checked before they are stored."""

import ast
import re

from django.db import IntegrityError

from executions.exceptions import ConflictException, ValidationException
from executions.function_sandbox import RESERVED_VARIABLES
from executions.models import LocalFunction

FUNCTION_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Lambda's Environment.Variables: keys match this pattern, and all of them take at most 4 KB
# (https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html; "Lambda quotas").
VARIABLE_NAME_RE = re.compile(r"^[a-zA-Z]([a-zA-Z0-9_])+$")
MAX_ENVIRONMENT_BYTES = 4 * 1024


# Lambda's console edits a function's code inline up to a 3 MB package; the form posts it whole.
MAX_CODE_BYTES = 3 * 1024 * 1024


def _binds(statements: list[ast.stmt], name: str) -> bool:
    """Whether a module's top level binds ``name`` (def, class, assignment, import, also inside
    top-level if/try/with blocks), which is what the runtime's lookup of the handler needs."""
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            return True
        if isinstance(node, ast.Import | ast.ImportFrom):
            if any(
                alias.name == "*" or (alias.asname or alias.name.split(".")[0]) == name
                for alias in node.names
            ):
                return True
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
                return True
        elif isinstance(node, ast.If | ast.Try | ast.With):
            blocks = [node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])]
            blocks += [h.body for h in getattr(node, "handlers", [])]
            if any(_binds(block, name) for block in blocks):
                return True
    return False


def check_environment(environment: object) -> None:
    """Lambda's rules for a function's variables: names, reserved names, string values, 4 KB."""
    if not isinstance(environment, dict):
        raise ValidationException("a JSON object of variable names to string values", field="environment")
    for key, value in environment.items():
        if not VARIABLE_NAME_RE.match(key):
            raise ValidationException(
                f"{key!r}: a name starts with a letter, then letters, digits or '_' (at least 2)",
                field="environment",
            )
        if key in RESERVED_VARIABLES:
            raise ValidationException(f"{key!r} is reserved by the Lambda runtime", field="environment")
        if not isinstance(value, str):
            raise ValidationException(f"{key!r}: the value must be a string", field="environment")
        if "\0" in key + value:
            raise ValidationException(f"{key!r}: a null byte", field="environment")
    size = sum(len((k + v).encode("utf-8", "surrogatepass")) for k, v in environment.items())
    if size > MAX_ENVIRONMENT_BYTES:
        raise ValidationException(
            f"{size:,} bytes; at most {MAX_ENVIRONMENT_BYTES:,} (Lambda's limit)", field="environment"
        )


def check_local_function(
    *,
    name: str,
    code: str,
    handler: str = "handler",
    timeout_seconds: int = 30,
    memory_mb: int = 256,
    environment: dict | None = None,
    network_access: bool = False,
) -> None:
    """Refuse what Lambda refuses, and code that could never answer: a syntax error (with its
    line and column) or no handler of that name at the module's top level."""
    if not FUNCTION_NAME_RE.match(name or ""):
        raise ValidationException("1 to 64 letters, digits, '-' or '_' (as Lambda names)", field="name")
    if not all(part.isidentifier() for part in handler.split(".")):
        raise ValidationException(
            f"{handler!r} is not a Python function name or Lambda's module.function", field="handler"
        )
    if not 1 <= timeout_seconds <= 900:
        raise ValidationException("from 1 to 900 (Lambda's limit)", field="timeout_seconds")
    if not 128 <= memory_mb <= 10240:
        raise ValidationException("from 128 to 10240 (Lambda's limits)", field="memory_mb")
    check_environment(environment if environment is not None else {})
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > MAX_CODE_BYTES:
        raise ValidationException(
            f"{size:,} bytes; at most {MAX_CODE_BYTES:,} (Lambda's inline code limit)", field="code"
        )
    if "\0" in code:
        line = code.count("\n", 0, code.index("\0")) + 1
        raise ValidationException(f"line {line}: a null byte", field="code", line=line)
    try:
        compile(code, f"{name}.py", "exec")
    except SyntaxError as exc:
        line, column = exc.lineno or 1, exc.offset or 1
        raise ValidationException(
            f"line {line}, column {column}: {exc.msg}", field="code", line=line, column=column
        ) from None
    function = handler.rpartition(".")[2]
    if not _binds(ast.parse(code).body, function):
        raise ValidationException(
            f"the code defines no {function!r} at its top level (def {function}(event, context): ...)",
            field="handler",
        )


def save_local_function(
    *,
    account: str,
    name: str,
    code: str,
    handler: str = "handler",
    timeout_seconds: int = 30,
    memory_mb: int = 256,
    environment: dict | None = None,
    network_access: bool = False,
    function: LocalFunction | None = None,
) -> LocalFunction:
    """Create a local function, or replace one; see ``check_local_function`` for what is refused."""
    environment = environment if environment is not None else {}
    check_local_function(
        name=name,
        code=code,
        handler=handler,
        timeout_seconds=timeout_seconds,
        memory_mb=memory_mb,
        environment=environment,
    )
    mine = LocalFunction.objects.filter(account_id=account, name=name)
    if mine.exclude(pk=function.pk if function else None).exists():
        raise ConflictException(f"Function already exist: {name}")
    function = function or LocalFunction(account_id=account)
    function.name, function.code, function.handler = name, code, handler
    function.timeout_seconds, function.memory_mb = timeout_seconds, memory_mb
    function.environment, function.network_access = environment, network_access
    try:
        function.save()
    except IntegrityError:
        raise ConflictException(f"Function already exist: {name}") from None
    return function


def delete_local_function(function: LocalFunction) -> None:
    function.delete()
