"""Server-rendered pages of local functions: the list, create and edit with a code editor, delete,
and a test invocation.

Functions from the folder (``SYMPHONY_FUNCTIONS_DIR``) are read-only here: they change by editing
their file. Writes go through ``executions.services``; a test runs in the same sandbox as a Task
state's call (``executions.functions``). The REST API is ``executions.api``.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from executions import function_sandbox, functions
from executions.exceptions import ConflictException, ValidationException
from executions.forms import LocalFunctionForm
from executions.models import LocalFunction
from executions.services import functions as function_service


@login_required
def function_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "executions/function_list.html",
        {
            "functions": functions.registered(),
            "folder": functions.functions_dir(),
            "can_add": function_service.can_write_functions(request.user, "add"),
            "sandboxed": function_sandbox.enabled(),
        },
    )


def _save(form: LocalFunctionForm, function: LocalFunction | None) -> tuple[LocalFunction | None, dict]:
    """The saved row; or None with the service's errors put on the fields they concern (the
    bound form still holds everything that was typed) and where in the code a syntax error is."""
    try:
        return function_service.save_local_function(**form.cleaned_data, function=function), {}
    except ConflictException as exc:
        form.add_error("name", exc.message)
    except ValidationException as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        if exc.line:
            return None, {"error_line": exc.line, "error_column": exc.column, "error_message": exc.detail}
    return None, {}


def _form_page(request: HttpRequest, context: dict) -> HttpResponse:
    return render(
        request,
        "executions/function_form.html",
        {
            **context,
            "max_code_bytes": function_service.MAX_CODE_BYTES,
            "sandboxed": function_sandbox.enabled(),
        },
    )


@login_required
def function_create(request: HttpRequest) -> HttpResponse:
    if not function_service.can_write_functions(request.user, "add"):
        raise PermissionDenied
    form = LocalFunctionForm(request.POST or None)
    where: dict = {}
    if form.is_valid():
        function, where = _save(form, None)
        if function is not None:
            messages.success(request, f"Created function {function.name}.")
            return redirect("executions:function-detail", name=function.name)
    context = {
        "form": form,
        "creating": True,
        "can_test": function_service.can_write_functions(request.user, "change"),
    }
    return _form_page(request, {**context, **where})


@login_required
def function_detail(request: HttpRequest, name: str) -> HttpResponse:
    """A database function's edit form (read-only without the permission to change it), or a
    folder function's code; ``?source=folder`` shows a file a database function overrides."""
    found = functions.find(name, request.GET.get("source"))
    if found is None:
        raise Http404(f"No function named {name}")
    can_change = found.source == functions.DATABASE and function_service.can_write_functions(
        request.user, "change"
    )
    context = {
        "function": found,
        "can_change": can_change,
        "can_delete": found.source == functions.DATABASE
        and function_service.can_write_functions(request.user, "delete"),
        "can_test": function_service.can_write_functions(request.user, "change"),
        "creating": False,
        "shadowed": functions.find(name, functions.FOLDER) if found.source == functions.DATABASE else None,
    }
    if not can_change:
        if request.method == "POST":
            raise PermissionDenied
        return _form_page(request, context)
    row = get_object_or_404(LocalFunction, name=name)
    where: dict = {}
    if request.method == "POST":
        form = LocalFunctionForm(request.POST)
        if form.is_valid():
            function, where = _save(form, row)
            if function is not None:
                messages.success(request, f"Saved function {function.name}.")
                return redirect("executions:function-detail", name=function.name)
    else:
        form = LocalFunctionForm(
            initial={
                **{
                    f: getattr(row, f)
                    for f in ("name", "code", "handler", "timeout_seconds", "memory_mb", "network_access")
                },
                "environment": json.dumps(row.environment),
            }
        )
    return _form_page(request, {**context, "form": form, **where})


@login_required
def function_delete(request: HttpRequest, name: str) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    row = get_object_or_404(LocalFunction, name=name)
    if not function_service.can_write_functions(request.user, "delete"):
        raise PermissionDenied
    if request.method == "POST":
        function_service.delete_local_function(row)
        messages.success(request, f"Deleted function {name}.")
        return redirect("executions:function-list")
    shadowed = functions.find(name, functions.FOLDER)
    return render(request, "executions/function_confirm_delete.html", {"function": row, "shadowed": shadowed})


def _invalid(field: str, message: str, **where) -> JsonResponse:
    return JsonResponse({"invalid": {"field": field, "message": message, **where}}, status=400)


@login_required
@require_POST
def function_test(request: HttpRequest) -> JsonResponse:
    """Invoke a function once with the posted JSON event: the code posted with it (a form as it
    stands, saved or not), or the registered ``function`` (from ``source``, if named)."""
    if not function_service.can_write_functions(request.user, "change"):
        raise PermissionDenied
    try:
        event = json.loads(request.POST.get("event") or "{}")
    except json.JSONDecodeError as exc:
        return _invalid("event", f"event: line {exc.lineno}, column {exc.colno}: {exc.msg}")
    if "code" in request.POST:
        form = LocalFunctionForm(request.POST)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            return _invalid(field, f"{field}: {errors[0]}")
        try:
            function_service.check_local_function(**form.cleaned_data)
        except ValidationException as exc:
            where = {"line": exc.line, "column": exc.column} if exc.line else {}
            return _invalid(exc.field, exc.message, **where)
        function = functions.IsolatedFunction(**form.cleaned_data)
    else:
        name = request.POST.get("function", "")
        found = functions.find(name, request.POST.get("source"))
        if found is None:
            return _invalid("function", f"No function named {name!r}")
        function = found.isolated()
    return JsonResponse(functions.invoke_once(function, event))
