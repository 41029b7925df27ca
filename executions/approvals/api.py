"""``POST /api/approvals/``: a target's request-approval Lambda asks for a person's decision.

Authenticated by the target's own API token (``Authorization: Bearer sya_...``), nothing else;
rate-limited per token; idempotent on the task token (a retried Lambda finds its first request)."""

import json

from django.conf import settings
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, serializers, status, throttling
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.errors import error_body
from executions.approvals import api_tokens
from executions.approvals.approval_requests import (
    ApprovalConflict,
    ApprovalFieldError,
    Ask,
    StepAsk,
    create_request,
)
from executions.approvals.models import ApprovalToken
from symphony.storable import depth, unstorable_at

# Step Functions' payload limit (Developer Guide, "Step Functions service quotas": 256 KiB).
MAX_CONTEXT_BYTES = 256 * 1024
EXECUTION_ARN_RE = r"^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]{1,80}:[^:]{1,80}$"
# SQLite's JSON functions stop at 1,000 levels; no context a person reads nests this deep.
MAX_CONTEXT_DEPTH = 512


class TargetCaller:
    """The caller a token stands for: a target, not a person."""

    is_authenticated = True
    is_active = True

    def __init__(self, token: ApprovalToken) -> None:
        self.token = token
        self.target = token.target


class TargetTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header is 'Bearer <token>'.")
        token = api_tokens.authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("The API token is not a live token of any target.")
        return TargetCaller(token), token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TargetTokenScheme(OpenApiAuthenticationExtension):
    target_class = TargetTokenAuthentication
    name = "targetToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A target's approvals API token (sya_...).",
        }


class PerTokenThrottle(throttling.SimpleRateThrottle):
    scope = "approvals"

    def get_cache_key(self, request, view):
        caller = request.user
        ident = caller.token.key_id if isinstance(caller, TargetCaller) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApproversSerializer(serializers.Serializer):
    users = serializers.ListField(child=serializers.CharField(max_length=150), max_length=100, default=list)
    groups = serializers.ListField(child=serializers.CharField(max_length=150), max_length=100, default=list)


class StepSerializer(serializers.Serializer):
    """One step of an ordered chain (team lead, then security)."""

    name = serializers.CharField(max_length=80, required=False, default="")
    users = serializers.ListField(child=serializers.CharField(max_length=150), max_length=100, default=list)
    groups = serializers.ListField(child=serializers.CharField(max_length=150), max_length=100, default=list)
    quorum = serializers.IntegerField(min_value=1, max_value=50, default=1)
    deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)
    escalation_groups = serializers.ListField(
        child=serializers.CharField(max_length=150), max_length=100, default=list
    )


class ApprovalRequestSerializer(serializers.Serializer):
    # SendTaskSuccess's taskToken: 1-2,048 characters (Step Functions API Reference).
    task_token = serializers.CharField(max_length=2048, trim_whitespace=False)
    title = serializers.CharField(max_length=200)
    context = serializers.JSONField(required=False, default=dict)
    approvers = ApproversSerializer(required=False, default=dict)
    deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)
    # N of the approvers must approve; one rejection rejects (executions.approvals.decisions).
    quorum = serializers.IntegerField(min_value=1, max_value=50, required=False)
    # Who may decide once the deadline passed; without them the request expires then.
    escalation_groups = serializers.ListField(
        child=serializers.CharField(max_length=150), max_length=100, required=False
    )
    # An ordered chain instead of the fields above: each step decides after the one before.
    steps = StepSerializer(many=True, required=False, min_length=1, max_length=10)
    target = serializers.CharField(max_length=80, required=False)
    # $$.Execution.Id: arn:<partition>:states:<region>:<account>:execution:<machine>:<name>
    execution_arn = serializers.RegexField(EXECUTION_ARN_RE, max_length=2048, required=False, default="")

    def validate(self, attrs):
        if "steps" in attrs:
            mixed = [
                name
                for name in ("approvers", "quorum", "deadline", "escalation_groups")
                if self.initial_data.get(name)
            ]
            if mixed:
                raise serializers.ValidationError(
                    {mixed[0]: "With steps, each step says who decides, its quorum, deadline and escalation."}
                )
        return attrs

    def validate_context(self, value):
        if depth(value) > MAX_CONTEXT_DEPTH:
            raise serializers.ValidationError(f"The context nests deeper than {MAX_CONTEXT_DEPTH} levels.")
        if found := unstorable_at(value):
            path, problem = found
            raise serializers.ValidationError(f"The string at '{path or '$'}' contains {problem}.")
        try:
            size = len(json.dumps(value, allow_nan=False).encode())
        except ValueError:  # 1e400 decodes to infinity, which JSON (and jsonb) cannot hold
            raise serializers.ValidationError("The context holds a number too large for JSON.") from None
        if size > MAX_CONTEXT_BYTES:
            raise serializers.ValidationError("The context is larger than 256 KiB.")
        return value


def ask_of(data: dict) -> Ask:
    """The request ``ApprovalRequestSerializer``'s validated data asks for."""
    approvers = data["approvers"] or {"users": [], "groups": []}
    return Ask(
        task_token=data["task_token"],
        title=data["title"],
        context=data["context"],
        users=approvers.get("users", []),
        groups=approvers.get("groups", []),
        deadline=data["deadline"],
        execution_arn=data["execution_arn"],
        quorum=data.get("quorum", 1),
        escalation_groups=data.get("escalation_groups", []),
        steps=[StepAsk(**step) for step in data["steps"]] if "steps" in data else None,
    )


class ApprovalCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.URLField()


class ApprovalRequestView(APIView):
    authentication_classes = [TargetTokenAuthentication]
    throttle_classes = [PerTokenThrottle]

    @extend_schema(
        summary="Ask a person to decide a waiting task (a target's request-approval function)",
        request=ApprovalRequestSerializer,
        responses={201: ApprovalCreatedSerializer, 200: ApprovalCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.user, TargetCaller):
            raise exceptions.NotAuthenticated("Send the target's API token: 'Authorization: Bearer <token>'.")
        serializer = ApprovalRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = request.user.target
        if data.get("target", target.name) != target.name:
            message = f"This token is target {target.name}'s, not {data['target']}'s."
            return Response(
                error_body("WRONG_TARGET", message, [{"field": "target", "message": message}]), 403
            )
        try:
            approval, created = create_request(target, ask_of(data))
        except ApprovalFieldError as error:
            entry = {"field": error.field, "message": error.message}
            return Response(
                error_body("INVALID_REQUEST", error.message, [entry]), status.HTTP_400_BAD_REQUEST
            )
        except ApprovalConflict as error:
            return Response(error_body("TASK_TOKEN_REUSED", str(error)), status.HTTP_409_CONFLICT)
        body = {
            "id": approval.pk,
            "status": approval.status,
            # The request's page: the link carries its id, never the task token.
            "url": settings.SYMPHONY_BASE_URL.rstrip("/")
            + reverse("executions:approval-request", args=[approval.pk]),
        }
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
