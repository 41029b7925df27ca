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

from accounts.permissions import Action, allowed, require
from accounts.services import account_id_for
from executions import function_sandbox, functions
from executions.exceptions import ConflictException, ValidationException
from executions.forms import LocalFunctionForm
from executions.models import LocalFunction
from executions.services import functions as function_service


@login_required
def function_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.READ)
    return render(
        request,
        "executions/function_list.html",
        {
            "functions": functions.registered(account_id_for(request.user)),
            "folder": functions.functions_dir(),
            "can_add": allowed(request.user, Action.WRITE_FUNCTIONS),
            "sandboxed": function_sandbox.enabled(),
        },
    )


def _save(
    form: LocalFunctionForm, function: LocalFunction | None, account: str
) -> tuple[LocalFunction | None, dict]:
    """The saved row; or None with the service's errors put on the fields they concern (the
    bound form still holds everything that was typed) and where in the code a syntax error is."""
    try:
        return function_service.save_local_function(
            **form.cleaned_data, account=account, function=function
        ), {}
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
    require(request.user, Action.WRITE_FUNCTIONS)
    form = LocalFunctionForm(request.POST or None)
    where: dict = {}
    if form.is_valid():
        function, where = _save(form, None, account_id_for(request.user))
        if function is not None:
            messages.success(request, f"Created function {function.name}.")
            return redirect("executions:function-detail", name=function.name)
    context = {
        "form": form,
        "creating": True,
        "can_test": allowed(request.user, Action.WRITE_FUNCTIONS),
    }
    return _form_page(request, {**context, **where})


@login_required
def function_detail(request: HttpRequest, name: str) -> HttpResponse:
    """A database function's edit form (read-only without the permission to change it), or a
    folder function's code; ``?source=folder`` shows a file a database function overrides."""
    require(request.user, Action.READ)
    account = account_id_for(request.user)
    found = functions.find(account, name, request.GET.get("source"))
    if found is None:
        raise Http404(f"No function named {name}")
    can_change = found.source == functions.DATABASE and allowed(request.user, Action.WRITE_FUNCTIONS)
    context = {
        "function": found,
        "can_change": can_change,
        "can_delete": found.source == functions.DATABASE and allowed(request.user, Action.WRITE_FUNCTIONS),
        "can_test": allowed(request.user, Action.WRITE_FUNCTIONS),
        "creating": False,
        "shadowed": functions.find(account, name, functions.FOLDER)
        if found.source == functions.DATABASE
        else None,
    }
    if not can_change:
        if request.method == "POST":
            raise PermissionDenied
        return _form_page(request, context)
    row = get_object_or_404(LocalFunction, account_id=account, name=name)
    where: dict = {}
    if request.method == "POST":
        form = LocalFunctionForm(request.POST)
        if form.is_valid():
            function, where = _save(form, row, account)
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
    require(request.user, Action.WRITE_FUNCTIONS)
    account = account_id_for(request.user)
    row = get_object_or_404(LocalFunction, account_id=account, name=name)
    if request.method == "POST":
        function_service.delete_local_function(row)
        messages.success(request, f"Deleted function {name}.")
        return redirect("executions:function-list")
    shadowed = functions.find(account, name, functions.FOLDER)
    return render(request, "executions/function_confirm_delete.html", {"function": row, "shadowed": shadowed})


def _invalid(field: str, message: str, **where) -> JsonResponse:
    return JsonResponse({"invalid": {"field": field, "message": message, **where}}, status=400)


@login_required
@require_POST
def function_test(request: HttpRequest) -> JsonResponse:
    """Invoke a function once with the posted JSON event: the code posted with it (a form as it
    stands, saved or not), or the registered ``function`` (from ``source``, if named)."""
    require(request.user, Action.WRITE_FUNCTIONS)
    account = account_id_for(request.user)
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
        function = functions.IsolatedFunction(**form.cleaned_data, account=account)
    else:
        name = request.POST.get("function", "")
        found = functions.find(account, name, request.POST.get("source"))
        if found is None:
            return _invalid("function", f"No function named {name!r}")
        function = found.isolated()
    return JsonResponse(functions.invoke_once(function, event, account))
