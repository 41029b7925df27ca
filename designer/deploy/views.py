"""The publishing pages: targets (/settings/targets/) and a workflow's deploy page
(/workflows/<id>/deploy/: publish, dry run, deployments, retry, roll back, drift).

Each view parses a form, calls one function of ``designer.deploy`` and shows its refusal beside
the field it concerns.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import Action, allowed
from accounts.services import account_id_for
from designer.deploy import (
    clients,
    connection,
    drift,
    importing,
    marks,
    publish,
    rollback,
    rollouts,
    targets,
    visibility,
)
from designer.deploy.errors import PublishRefused
from designer.deploy.forms import PublishForm, RollbackForm, TargetForm
from designer.deploy.models import DeploymentStatus, DriftStatus, Rollout
from designer.models import Workflow
from designer.services import DesignerError, WorkflowFieldError
from designer.views import show_error

# The publish and roll back forms share a page: distinct ids keep each label on its own field.
PUBLISH_IDS, ROLLBACK_IDS = "publish_%s", "rollback_%s"


def show_refusal(form: forms.Form, error: DesignerError) -> None:
    """A publish refusal's entries beside their fields; the rest on the form."""
    if isinstance(error, PublishRefused) and error.errors:
        for entry in error.errors:
            field = entry.get("field")
            where = entry.get("pointer", "")
            state = f" (state {entry['state']})" if entry.get("state") else ""
            message = f"{where}{state}: {entry['message']}" if where else entry["message"]
            form.add_error(field if field in form.fields else None, message)
        return
    if isinstance(error, WorkflowFieldError) and error.field in form.fields:
        form.add_error(error.field, error.message)
        return
    show_error(form, error)


# -- targets -------------------------------------------------------------------------------------


def _targets_page(request: HttpRequest, form: TargetForm | None = None, status: int = 200, report=None):
    machines = None
    if request.GET.get("machines", "").isdigit() and allowed(request.user, Action.PUBLISH):
        target = get_object_or_404(targets.targets_for(request.user), pk=int(request.GET["machines"]))
        try:
            machines = {"target": target, "items": importing.list_state_machines(target, request.user)}
        except (DesignerError, *clients.CALL_ERRORS) as error:
            messages.error(request, f"{target.name}: {clients.describe_error(error)}")
    context = {
        "machines": machines,
        "may_publish": allowed(request.user, Action.PUBLISH),
        "targets": targets.targets_for(request.user) if allowed(request.user, Action.PUBLISH) else [],
        "form": form or TargetForm(),
        "account_id": account_id_for(request.user),
        "report": report,
    }
    return render(request, "designer/targets.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def target_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _targets_page(request)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            target = targets.create_target(request.user, **form.cleaned_data)
        except DesignerError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Added target {target.name}.")
            return redirect("designer-targets:list")
    return _targets_page(request, form, status=400)


@login_required
@require_POST
def target_test(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(targets.targets_for(request.user), pk=pk)
    if not allowed(request.user, Action.PUBLISH, target.account_id):
        return _targets_page(request, status=403)
    report = connection.test_connection(target, request.user)
    return _targets_page(request, report={"target": target.name, **report.to_dict()})


@login_required
@require_POST
def target_import(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(targets.targets_for(request.user), pk=pk)
    try:
        workflow = importing.import_state_machine(
            request.user, target=target, name=request.POST.get("name", "")
        )
    except DesignerError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('designer-targets:list')}?machines={target.pk}")
    messages.success(request, f"Imported {workflow.name} from {target.name}.")
    return redirect("designer:workflow-deploy", workflow.pk)


@login_required
@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(targets.targets_for(request.user), pk=pk)
    try:
        targets.delete_target(target, request.user)
    except DesignerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed target {target.name}.")
    return redirect("designer-targets:list")


# -- a workflow's deploy page --------------------------------------------------------------------


def _workflow(request: HttpRequest, pk: int) -> Workflow:
    return get_object_or_404(Workflow.objects.visible_to(request.user).select_related("owner"), pk=pk)


def _deploy_page(
    request: HttpRequest,
    workflow: Workflow,
    publish_form: PublishForm | None = None,
    rollback_form: RollbackForm | None = None,
    status: int = 200,
    found_drift=None,
) -> HttpResponse:
    may_publish = allowed(request.user, Action.PUBLISH)
    account_targets = list(targets.targets_for(request.user)) if may_publish else []
    versions = list(workflow.versions.all())
    deployments = (
        visibility.deployments_for(request.user)
        .filter(workflow=workflow)
        .select_related("version", "actor", "rollout")[:50]
    )
    drift_marks = marks.marks(request.user, [workflow]).get(workflow.pk, [])
    for mark in drift_marks:
        mark.stale = marks.is_stale(mark)
    compared = next((m for m in drift_marks if m.target.name == request.GET.get("compare")), None)
    context = {
        "workflow": workflow,
        "may_publish": may_publish,
        "targets": account_targets,
        "versions": versions,
        "deployments": deployments,
        "publish_form": publish_form
        or PublishForm(
            targets=account_targets, versions=versions, initial={"dry_run": True}, auto_id=PUBLISH_IDS
        ),
        "rollback_form": rollback_form or RollbackForm(auto_id=ROLLBACK_IDS),
        "drift": found_drift,
        "drift_marks": drift_marks,
        "compared": compared,
        "compare_data": {"sides": drift.compare_sides(workflow, compared)} if compared else None,
        "compare_diff": publish.unified_diff(compared.published, compared.deployed, workflow.name)
        if compared
        else "",
        "rollouts_socket": f"/ws/workflows/{workflow.pk}/rollouts/",
        "api_deployments": reverse("api:workflow-deployments", args=[workflow.pk]),
    }
    return render(request, "designer/deploy.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def deploy(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the page (?drift=<target> compares the latest version with what runs there;
    ?compare=<target> shows its kept drift mark side by side); POST publishes."""
    workflow = _workflow(request, pk)
    if request.method != "POST":
        found = None
        if request.GET.get("drift"):
            try:
                found = drift.drift(workflow, request.user, target=request.GET["drift"])
            except DesignerError as error:
                messages.error(request, str(error))
        return _deploy_page(request, workflow, found_drift=found)
    account_targets = targets.targets_for(request.user)
    form = PublishForm(
        request.POST, targets=account_targets, versions=workflow.versions.all(), auto_id=PUBLISH_IDS
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            deployment = publish.publish(
                workflow,
                request.user,
                target=data["target"],
                version_number=data["version"],
                alias=data["alias"],
                dry_run=data["dry_run"],
                rollout=data["rollout"],
                max_failures=data["max_failures"] or 0,
            )
        except DesignerError as error:
            show_refusal(form, error)
        else:
            _say(request, deployment)
            return _to_deployment(workflow, deployment.pk)
    return _deploy_page(request, workflow, publish_form=form, status=400)


@login_required
@require_POST
def deployment_retry(request: HttpRequest, pk: int, deployment_id: int) -> HttpResponse:
    workflow = _workflow(request, pk)
    deployment = get_object_or_404(
        visibility.deployments_for(request.user).filter(workflow=workflow), pk=deployment_id
    )
    try:
        _say(request, publish.retry(deployment, request.user))
    except DesignerError as error:
        messages.error(request, str(error))
    return _to_deployment(workflow, deployment.pk)


@login_required
@require_POST
def rollout_decide(request: HttpRequest, pk: int, deployment_id: int, decision: str) -> HttpResponse:
    workflow = _workflow(request, pk)
    mine = visibility.deployments_for(request.user).filter(workflow=workflow)
    rollout = get_object_or_404(Rollout, deployment__in=mine, deployment_id=deployment_id)
    try:
        rollout = (rollouts.promote if decision == "promote" else rollouts.roll_back)(rollout, request.user)
    except DesignerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, rollout.events[-1]["message"])
    return _to_deployment(workflow, deployment_id)


@login_required
@require_POST
def deploy_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    workflow = _workflow(request, pk)
    form = RollbackForm(request.POST, auto_id=ROLLBACK_IDS)
    if form.is_valid():
        data = form.cleaned_data
        try:
            deployment = rollback.roll_back(
                workflow,
                request.user,
                target=data["target"],
                alias=data["alias"],
                aws_version=data["version"],
            )
        except DesignerError as error:
            show_refusal(form, error)
        else:
            _say(request, deployment)
            return _to_deployment(workflow, deployment.pk)
    return _deploy_page(request, workflow, rollback_form=form, status=400)


@login_required
@require_POST
def drift_check(request: HttpRequest, pk: int, target_id: int | None = None) -> HttpResponse:
    """Check now: one target (its id in the URL) or every target this workflow was published to."""
    workflow = _workflow(request, pk)
    try:
        if target_id is None:
            checked = drift.check_all(workflow, request.user)
        else:
            target = get_object_or_404(targets.targets_for(request.user), pk=target_id)
            checked = [drift.check(workflow, request.user, target)]
    except DesignerError as error:
        messages.error(request, str(error))
    else:
        for check in checked:
            say = messages.warning if check.status == DriftStatus.DRIFTED else messages.info
            say(request, f"{check.target.name}: {check.get_status_display()}. {check.message}")
    return redirect(f"{reverse('designer:workflow-deploy', args=[workflow.pk])}#drift")


def _to_deployment(workflow: Workflow, deployment_id: int) -> HttpResponse:
    """Back to the deploy page, at the deployment's entry."""
    return redirect(f"{reverse('designer:workflow-deploy', args=[workflow.pk])}#deployment-{deployment_id}")


def _say(request: HttpRequest, deployment) -> None:
    if deployment.status == DeploymentStatus.FAILED:
        messages.error(request, deployment.error)
    elif deployment.status == DeploymentStatus.PLANNED:
        messages.info(
            request, "Dry run: nothing was changed. The calls it would make and the diff are below."
        )
    elif deployment.kind == "rollback":
        messages.success(
            request, f"Alias {deployment.alias} points at version {deployment.aws_version} again."
        )
    else:
        messages.success(request, f"Published version {deployment.aws_version} to {deployment.target_name}.")
