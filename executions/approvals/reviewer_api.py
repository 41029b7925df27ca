"""The reviewer's side of the approvals API, for scripts and chat bots as well as people:

- ``GET /api/approvals/requests/``: the requests the caller may decide now (the inbox's list);
- ``GET /api/approvals/requests/{id}/``: one request as its page shows it (never its task token);
- ``POST /api/approvals/requests/{id}/decision/``: approve or reject it with a comment.

Session or DRF token authentication, as the other APIs; the permission is the page's
(``Action.DECIDE_APPROVALS``, and a request names who may see it: ``approval_requests.may_view``).
A decision goes through ``decisions.decide``, the page's own path: quorum, chain order,
separation of duties, and one winner when reviewers decide at once (409 with who decided)."""

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import ActionAllowed
from accounts.permissions import Action
from designer.api.errors import error_body
from designer.api.serializers import ErrorSerializer
from executions.approvals import approval_requests, decisions
from executions.approvals.models import ApprovalRequest, ApprovalStatus, DecisionOutcome

ERROR = OpenApiResponse(ErrorSerializer, description="`{code, message, errors: [{field, message}]}`")
MAX_ID = 2**63 - 1  # past a bigint, the database would fail on the lookup rather than find nothing


class ApprovalStepSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField(source="label")
    users = serializers.ListField(child=serializers.CharField())
    groups = serializers.ListField(child=serializers.CharField())
    quorum = serializers.IntegerField()
    deadline = serializers.DateTimeField(allow_null=True)
    escalation_groups = serializers.ListField(child=serializers.CharField())


class ApprovalDecisionSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    step = serializers.IntegerField()
    reviewer = serializers.CharField(source="username", help_text="Empty: the deadline or the run's end.")
    approve = serializers.BooleanField()
    comment = serializers.CharField()
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    error = serializers.CharField()


class ReviewSummarySerializer(serializers.Serializer):
    """A request in a list: enough to choose it."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    source = serializers.CharField(help_text="`local run` or `target <name>`.")
    target = serializers.SerializerMethodField()
    execution_arn = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField(help_text="The step that decides now.")
    deadline = serializers.DateTimeField(allow_null=True)
    escalated = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="The request's page.")

    def get_target(self, approval: ApprovalRequest) -> str | None:
        return approval.target.name if approval.target_id else None

    def get_execution_arn(self, approval: ApprovalRequest) -> str:
        return approval.task.execution.arn if approval.local else approval.execution_arn

    def get_step(self, approval: ApprovalRequest) -> str:
        return approval.current_step.label

    def get_escalated(self, approval: ApprovalRequest) -> bool:
        return approval.escalated_at is not None

    def get_url(self, approval: ApprovalRequest) -> str:
        return settings.SYMPHONY_BASE_URL.rstrip("/") + reverse(
            "executions:approval-request", args=[approval.pk]
        )


class ReviewSerializer(ReviewSummarySerializer):
    """One request as its page shows it; its task token is never part of it."""

    context = serializers.JSONField()
    steps = ApprovalStepSerializer(many=True)
    approvals_so_far = serializers.SerializerMethodField(help_text="Who approved the current step.")
    may_decide = serializers.SerializerMethodField(help_text="Whether the caller may approve or reject now.")
    approve = serializers.BooleanField(allow_null=True, help_text="The decision, once made.")
    comment = serializers.CharField()
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    answer_error = serializers.CharField(
        help_text="What the target answered when it did not take the answer."
    )
    answer_message = serializers.CharField()
    decisions = ApprovalDecisionSerializer(many=True, help_text="Every attempt: the audit trail.")

    def get_approvals_so_far(self, approval: ApprovalRequest) -> list[str]:
        return list(approval_requests.approvals_so_far(approval).values_list("username", flat=True))

    def get_may_decide(self, approval: ApprovalRequest) -> bool:
        return approval_requests.may_decide(self.context["request"].user, approval)

    def get_decided_by(self, approval: ApprovalRequest) -> str | None:
        return approval.decided_by.get_username() if approval.decided_by else None


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["decision"] == "reject" and not attrs["comment"]:
            raise serializers.ValidationError(
                {"comment": "Give a reason for the rejection; the workflow receives it as the cause."}
            )
        return attrs


DecidedSerializer = inline_serializer(
    "ApprovalDecided",
    {
        "outcome": serializers.ChoiceField(choices=DecisionOutcome.choices),
        "request": ReviewSerializer(),
    },
)


def _requests() -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.select_related("target", "task__execution", "decided_by").prefetch_related(
        "steps"
    )


def _visible(request: Request, pk: int) -> ApprovalRequest:
    approval = _requests().filter(pk=pk).first() if pk <= MAX_ID else None
    if approval is None:
        raise exceptions.NotFound(f"No approval request {pk}.")
    if not approval_requests.may_view(request.user, approval):
        raise exceptions.PermissionDenied("This request names other approvers.")
    return approval


class ReviewListView(generics.ListAPIView):
    permission_classes = [ActionAllowed]
    read_action = Action.DECIDE_APPROVALS  # reading and deciding both are the reviewers'
    write_action = Action.DECIDE_APPROVALS
    serializer_class = ReviewSummarySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema has no caller
            return ApprovalRequest.objects.none()
        return approval_requests.pending_for(self.request.user)

    @extend_schema(summary="Approval requests you may decide now, longest waiting first", tags=["approvals"])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ReviewView(APIView):
    permission_classes = [ActionAllowed]
    read_action = Action.DECIDE_APPROVALS
    write_action = Action.DECIDE_APPROVALS

    @extend_schema(
        summary="One approval request: its context, steps, decisions (never its task token)",
        tags=["approvals"],
        responses={200: ReviewSerializer, 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ReviewSerializer(_visible(request, pk), context={"request": request}).data)


class DecisionView(APIView):
    permission_classes = [ActionAllowed]
    read_action = Action.DECIDE_APPROVALS
    write_action = Action.DECIDE_APPROVALS

    @extend_schema(
        summary="Approve or reject an approval request",
        description=(
            "As on the request's page: a step needs its quorum of approvals from different people, "
            "steps decide in order, one person approves one step, one rejection (with a comment) "
            "rejects. 200 when the decision is recorded (`COUNTED` toward the quorum) or taken by "
            "the workflow (`TAKEN`); 409 `ALREADY_DECIDED` (with `decided_by`), `NOT_YOUR_TURN`, "
            "`APPROVED_ALREADY`, or `ANSWER_REFUSED` when the execution no longer waits (the "
            "request is then decided, with AWS's error); 403 `SEPARATION_OF_DUTIES`; 502 "
            "`TARGET_UNREACHABLE` when the answer could not be sent (the request waits again)."
        ),
        tags=["approvals"],
        request=DecisionSerializer,
        responses={
            200: DecidedSerializer,
            400: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
            502: ERROR,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        approval = _visible(request, pk)
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        approve = given.validated_data["decision"] == "approve"
        try:
            approval = decisions.decide(
                approval,
                request.user,
                approve=approve,
                comment=given.validated_data["comment"].strip(),
                address=request.META.get("REMOTE_ADDR"),
            )
        except decisions.AlreadyDecided as decided:
            ended = decided.approval
            message = f"{decided.who} decided this request first; your decision was not sent."
            body = error_body(
                "ALREADY_DECIDED",
                message,
                decided_by=ended.decided_by.get_username() if ended.decided_by else None,
                status=ended.status,
            )
            return Response(body, status.HTTP_409_CONFLICT)
        except decisions.SeparationOfDuties as refused:
            return Response(error_body("SEPARATION_OF_DUTIES", str(refused)), status.HTTP_403_FORBIDDEN)
        except decisions.NotYourTurn as refused:
            return Response(error_body("NOT_YOUR_TURN", str(refused)), status.HTTP_409_CONFLICT)
        except decisions.ApprovedAlready as refused:
            return Response(error_body("APPROVED_ALREADY", str(refused)), status.HTTP_409_CONFLICT)
        mine = approval.decisions.filter(user=request.user).order_by("at", "id").last()
        outcome = mine.outcome if mine else ""
        shown = ReviewSerializer(_visible(request, pk), context={"request": request}).data
        if outcome == DecisionOutcome.REFUSED:
            message = f"The execution no longer takes an answer: {approval.answer_message}"
            return Response(error_body("ANSWER_REFUSED", message, request=shown), status.HTTP_409_CONFLICT)
        if outcome == DecisionOutcome.UNSENT:
            message = f"The answer could not be sent ({approval.answer_message}); try again."
            return Response(
                error_body("TARGET_UNREACHABLE", message, request=shown), status.HTTP_502_BAD_GATEWAY
            )
        return Response({"outcome": outcome, "request": shown})
