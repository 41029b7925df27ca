"""``/api/workflows/<id>/runs/``: start an execution of a workflow's draft or one of its versions
(what the Run dialog posts), and list the workflow's recent runs."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.errors import error_body
from designer.api.views import ERROR, DesignerAPIMixin
from designer.models import Workflow
from executions import runner
from executions.api.serializers import RunRequestSerializer, RunSerializer
from executions.exceptions import (
    ExecutionAlreadyExists,
    InvalidDefinition,
    InvalidExecutionInput,
    InvalidName,
    StepFunctionsError,
    ValidationException,
)
from executions.models import HistoryEvent, WorkflowRun
from executions.services.runs import start_workflow_run

# The request field each refusal concerns, so a form can show it beside that field.
ERROR_FIELDS = {
    InvalidName: "name",
    ExecutionAlreadyExists: "name",
    InvalidExecutionInput: "input",
    ValidationException: "start_at",
}
RECENT_RUNS = 20


class WorkflowRunsView(DesignerAPIMixin, APIView):
    def _workflow(self, request: Request, pk: int) -> Workflow:
        return get_object_or_404(Workflow.objects.visible_to(request.user).select_related("draft"), pk=pk)

    @extend_schema(summary="The workflow's latest runs", responses={200: RunSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        runs = WorkflowRun.objects.filter(workflow=self._workflow(request, pk))
        if not request.user.is_staff:
            # A shared workflow's runs by others stay theirs, as their executions do (live.can_view).
            runs = runs.filter(Q(execution__owner__isnull=True) | Q(execution__owner=request.user))
        runs = runs.select_related("execution", "version").order_by("-execution_id")[:RECENT_RUNS]
        return Response(RunSerializer(runs, many=True).data)

    @extend_schema(
        summary="Run the draft or a version (StartExecution on the workflow's state machine)",
        request=RunRequestSerializer,
        responses={201: RunSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request: Request, pk: int) -> Response:
        workflow = self._workflow(request, pk)
        params = RunRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        version = None
        if data.get("version") is not None:
            version = get_object_or_404(workflow.versions, number=data["version"])
        try:
            execution = start_workflow_run(
                workflow,
                request.user,
                input=data["input"],
                name=data.get("name") or None,
                version=version,
                start_at=data.get("start_at"),
                variables=data.get("variables"),
                target=data.get("target") or None,
                within=data.get("within"),
            )
        except StepFunctionsError as exc:
            field = next((f for t, f in ERROR_FIELDS.items() if isinstance(exc, t)), "definition")
            if isinstance(exc, ValidationException) and exc.field:
                field = exc.field
            conflict = isinstance(exc, ExecutionAlreadyExists)
            http_status = status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST
            message = exc.detail if isinstance(exc, ValidationException) else exc.message
            if isinstance(exc, InvalidDefinition):
                source = "The draft" if version is None else f"Version {version.number}"
                message = f"{source} cannot run: {exc.message}"
            body = error_body(exc.code, message, [{"field": field, "message": message}])
            return Response(body, status=http_status)
        runner.submit_on_commit(execution)
        return Response(RunSerializer(execution.workflow_run).data, status=status.HTTP_201_CREATED)


class StateLastInputView(DesignerAPIMixin, APIView):
    """``GET /api/workflows/<id>/runs/last-input/?state=<name>``: the input the state received
    the last time one of the caller's runs of this workflow entered it, for "Test this state"."""

    @extend_schema(
        summary="A state's input in the caller's latest run that entered it",
        parameters=[OpenApiParameter("state", str, required=True, description="The state's name")],
        responses={200: OpenApiTypes.OBJECT, 404: ERROR},
    )
    def get(self, request: Request, pk: int) -> Response:
        workflow = get_object_or_404(Workflow.objects.visible_to(request.user), pk=pk)
        name = request.query_params.get("state", "")
        runs = WorkflowRun.objects.filter(workflow=workflow)
        if not request.user.is_staff:
            runs = runs.filter(Q(execution__owner__isnull=True) | Q(execution__owner=request.user))
        entered = (
            HistoryEvent.objects.filter(
                execution_id__in=runs.order_by("-execution_id").values("execution_id")[:RECENT_RUNS],
                type__endswith="StateEntered",
                details__stateEnteredEventDetails__name=name,
            )
            .order_by("-execution_id", "-event_id")
            .first()
        )
        if entered is None:
            message = f"No run of this workflow entered {name!r} yet."
            return Response(error_body("NOT_FOUND", message), status=status.HTTP_404_NOT_FOUND)
        details = entered.details["stateEnteredEventDetails"]
        return Response({"input": details.get("input", ""), "execution": entered.execution_id})
