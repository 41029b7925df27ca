"""Server-rendered pages: the workflow list and the workflow page (the editor mounts into it).

Each view parses a form, calls one service, and shows the service's refusal on the form it came from.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from designer import services
from designer.api.serializers import DraftSerializer, runnable_workflow, workflow_links
from designer.deploy import marks
from designer.forms import DraftForm, ImportForm, VersionForm, WorkflowCreateForm, WorkflowSettingsForm
from designer.models import Workflow, WorkflowType

PAGE_SIZE = 25
# The create and import forms share a page: distinct ids keep each label on its own field.
CREATE_IDS, IMPORT_IDS = "create_%s", "import_%s"


def show_error(form: forms.Form, error: services.DesignerError) -> None:
    """Put a service's refusal on the form field it concerns (or on the form as a whole)."""
    match error:
        case services.WorkflowFieldError() if error.field in form.fields:
            form.add_error(error.field, error.message)
        case services.WorkflowNameTaken() if "name" in form.fields:
            form.add_error("name", str(error))
        case services.DefinitionNotText() | services.DefinitionTooLarge() if "file" in form.fields:
            form.add_error("file", str(error))
        case services.DefinitionMalformed() | services.DefinitionTooLarge() | services.DefinitionEmpty() if (
            "definition" in form.fields or "text" in form.fields
        ):
            form.add_error("definition" if "definition" in form.fields else "text", str(error))
        case _:
            form.add_error(None, str(error))


def _visible(request: HttpRequest):
    return Workflow.objects.visible_to(request.user)


def _list_page(
    request: HttpRequest,
    create_form: WorkflowCreateForm | None = None,
    import_form: ImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # No name or description holds a NUL, and PostgreSQL refuses one in a query.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    type_filter = request.GET.get("type", "")
    # The runner's record of runs started from a workflow (executions.WorkflowRun), reached through
    # the reverse relation: the designer does not import the runner.
    runs = Workflow.runs.field.model.objects.filter(workflow=OuterRef("pk")).order_by("-execution_id")
    if not request.user.is_staff:
        # Only runs whose execution this user may open (executions.live.can_view: own or nobody's).
        runs = runs.filter(Q(execution__owner__isnull=True) | Q(execution__owner=request.user))
    workflows = (
        _visible(request)
        .select_related("owner", "draft")
        .annotate(
            version_count=Count("versions"),
            last_run_id=Subquery(runs.values("execution_id")[:1]),
            last_run_status=Subquery(runs.values("execution__status")[:1]),
        )
        .order_by("-updated_at", "-id")
    )
    for word in query.split():
        workflows = workflows.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if type_filter in WorkflowType.values:
        workflows = workflows.filter(type=type_filter)
    page = Paginator(workflows, PAGE_SIZE).get_page(request.GET.get("page"))
    drift_marks = marks.marks(request.user, page.object_list)
    for workflow in page.object_list:
        workflow.deletable = services.can_delete(request.user, workflow)
        workflow.drift_marks = drift_marks.get(workflow.pk, [])
    context = {
        "page": page,
        "query": query,
        "type_filter": type_filter,
        "types": WorkflowType.choices,
        "can_create": services.can_create(request.user),
        "create_form": create_form or WorkflowCreateForm(auto_id=CREATE_IDS),
        "import_form": import_form or ImportForm(auto_id=IMPORT_IDS),
        "open_panel": "create" if create_form else "import" if import_form else "",
    }
    return render(request, "designer/workflow_list.html", context, status=status)


@login_required
def workflow_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def workflow_create(request: HttpRequest) -> HttpResponse:
    form = WorkflowCreateForm(request.POST, auto_id=CREATE_IDS)
    if form.is_valid():
        try:
            workflow = services.create_workflow(request.user, **form.cleaned_data)
        except services.DesignerError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Created {workflow.name}.")
            return redirect("designer:workflow", workflow.pk)
    return _list_page(request, create_form=form, status=400)


@login_required
@require_POST
def workflow_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES, auto_id=IMPORT_IDS)
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            text = services.read_definition_file(upload) if upload else data["text"]
            workflow = services.import_workflow(
                request.user,
                text=text,
                name=data["name"] or None,
                filename=upload.name if upload else None,
                type=data["type"],
                visibility=data["visibility"],
            )
        except services.DesignerError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Imported {workflow.name}.")
            return redirect("designer:workflow", workflow.pk)
    return _list_page(request, import_form=form, status=400)


def _workflow_page(
    request: HttpRequest,
    workflow: Workflow,
    draft_form: DraftForm | None = None,
    version_form: VersionForm | None = None,
    settings_form: WorkflowSettingsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = workflow.draft
    # The editor validates and draws the draft itself: the page only embeds it (no server-side
    # validation or per-line rendering on open, which cost ~1.2 s at 500 states).
    context = {
        "workflow": workflow,
        "draft": draft,
        "editor_data": {
            "workflow": {
                "id": workflow.pk,
                "name": workflow.name,
                "description": workflow.description,
                "type": workflow.type,
                "revision": draft.revision,
                "format": draft.format,
                "links": workflow_links(workflow),
                "can_run": services.can_run(request.user, workflow),
                "can_edit": services.can_edit(request.user, workflow),
                "aws_targets": runnable_workflow(workflow, request.user)["aws_targets"],
            },
            "draft": DraftSerializer(draft).data,
        },
        "can_edit": services.can_edit(request.user, workflow),
        "can_delete": services.can_delete(request.user, workflow),
        "draft_form": draft_form
        or DraftForm(initial={"definition": draft.definition, "revision": draft.revision}),
        "version_form": version_form or VersionForm(),
        "settings_form": settings_form
        or WorkflowSettingsForm(
            initial={
                "name": workflow.name,
                "type": workflow.type,
                "visibility": workflow.visibility,
                "description": workflow.description,
                "tags": WorkflowSettingsForm.tags_as_text(workflow.tags),
            }
        ),
        "editing": draft_form is not None,
        "drift_marks": marks.marks(request.user, [workflow]).get(workflow.pk, []),
        "api": {
            "workflow": reverse("api:workflow-detail", args=[workflow.pk]),
            "draft": reverse("api:workflow-draft", args=[workflow.pk]),
            "versions": reverse("api:workflow-versions", args=[workflow.pk]),
            "validate": reverse("api:validate"),
            "export": reverse("api:workflow-export", args=[workflow.pk]),
        },
    }
    return render(request, "designer/workflow_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def workflow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The workflow page; POST saves the draft text (the form the editor replaces when it mounts)."""
    workflow = get_object_or_404(_visible(request).select_related("owner", "draft"), pk=pk)
    if request.method == "GET":
        return _workflow_page(request, workflow)
    form = DraftForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.save_draft(
                workflow,
                request.user,
                expected_revision=form.cleaned_data["revision"],
                definition=form.cleaned_data["definition"],
            )
        except services.StaleRevision as error:
            # Keep the author's text in the form; only the revision moves on, so a second save is deliberate.
            form = DraftForm({"definition": form.cleaned_data["definition"], "revision": error.current})
            form.is_valid()
            form.add_error(None, f"{error} Your text is still below; saving again replaces theirs.")
            status = 409
        except services.NotAllowed as error:
            show_error(form, error)
            status = 403
        except services.DesignerError as error:
            show_error(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("designer:workflow", workflow.pk)
    workflow.refresh_from_db()
    return _workflow_page(request, workflow, draft_form=form, status=status)


@login_required
@require_POST
def workflow_settings(request: HttpRequest, pk: int) -> HttpResponse:
    workflow = get_object_or_404(_visible(request).select_related("owner", "draft"), pk=pk)
    form = WorkflowSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.update_workflow(workflow, request.user, **form.cleaned_data)
        except services.DesignerError as error:
            show_error(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("designer:workflow", workflow.pk)
    workflow.refresh_from_db()
    return _workflow_page(request, workflow, settings_form=form, status=400)


@login_required
@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    workflow = get_object_or_404(_visible(request).select_related("owner", "draft"), pk=pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.create_version(
                workflow,
                request.user,
                message=form.cleaned_data["message"],
            )
        except services.DesignerError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Saved version {version.number}.")
            return redirect("designer:workflow", workflow.pk)
    return _workflow_page(request, workflow, version_form=form, status=400)


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    workflow = get_object_or_404(_visible(request), pk=pk)
    version = get_object_or_404(workflow.versions.select_related("author"), number=number)
    context = {
        "workflow": workflow,
        "version": version,
        "lines": version.definition.splitlines() or [""],
        # The Run button's dialog (static/src/pages/run.tsx), for who may run the workflow.
        "run_data": runnable_workflow(workflow, request.user)
        if services.can_run(request.user, workflow)
        else None,
    }
    return render(request, "designer/version_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def workflow_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    workflow = get_object_or_404(_visible(request).annotate(version_count=Count("versions")), pk=pk)
    if request.method == "POST":
        try:
            services.delete_workflow(workflow, request.user)
        except services.NotAllowed as error:
            messages.error(request, str(error))
            return redirect("designer:workflow", workflow.pk)
        messages.success(request, f"Deleted {workflow.name}.")
        return redirect("designer:workflow-list")
    allowed = services.can_delete(request.user, workflow)
    return render(
        request, "designer/workflow_confirm_delete.html", {"workflow": workflow, "allowed": allowed}
    )
