"""REST for targets (/api/targets/) and deployments (/api/workflows/<id>/deployments/,
/api/deployments/<id>/): publishers only, inside their account. The rules live in designer.deploy."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import Action, allowed
from designer.api.serializers import TextField, WorkflowSerializer
from designer.api.views import ERROR, DesignerAPIMixin
from designer.deploy import connection, importing, lambda_functions, targets
from designer.deploy.models import LogLevel, Target
from designer.models import Workflow
from designer.services import NotAllowed


class TargetSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account_id", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, default=None)

    class Meta:
        model = Target
        # designer.deploy's FIELDS ("name" first), the account after the name, then who and when.
        fields = [
            "id",
            "name",
            "account",
            *targets.FIELDS[1:],
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TargetWriteSerializer(serializers.Serializer):
    """JSON types only; ``designer.deploy.targets`` checks the values and says which field is wrong."""

    name = TextField(required=False, allow_blank=True)
    region = TextField(required=False, allow_blank=True)
    role_arn = TextField(
        required=False, allow_blank=True, help_text="The IAM role the state machine runs as."
    )
    assume_role_arn = TextField(
        required=False, allow_blank=True, help_text="A role to assume for publishing."
    )
    external_id = TextField(required=False, allow_blank=True)
    endpoint_url = TextField(
        required=False, allow_blank=True, help_text="Default: AWS's endpoint for the region."
    )
    profile = TextField(
        required=False, allow_blank=True, help_text="A named profile of this server's AWS config."
    )
    this_symphony = serializers.BooleanField(
        required=False, help_text="Publish to this Symphony, your account."
    )
    log_level = serializers.ChoiceField(choices=LogLevel.choices, required=False)
    log_group_arn = TextField(required=False, allow_blank=True)
    include_execution_data = serializers.BooleanField(required=False)
    tracing_enabled = serializers.BooleanField(required=False)
    tags = serializers.DictField(child=TextField(allow_blank=True), required=False)
    substitutions = serializers.DictField(child=TextField(allow_blank=True), required=False)


class ImportStateMachineSerializer(serializers.Serializer):
    name = TextField(help_text="The state machine's name on the target.")


def workflow_with_counts(workflow: Workflow) -> Workflow:
    return (
        Workflow.objects.select_related("owner", "draft")
        .annotate(version_count=Count("versions"))
        .get(pk=workflow.pk)
    )


class TargetViewSet(
    DesignerAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TargetSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return Target.objects.none()
        if not allowed(self.request.user, Action.PUBLISH):
            raise NotAllowed("Only publishers may see targets (ask for the publishers role).")
        return targets.targets_for(self.request.user).select_related("created_by", "updated_by")

    @extend_schema(
        summary="Add a target", request=TargetWriteSerializer, responses={201: TargetSerializer, 400: ERROR}
    )
    def create(self, request: Request) -> Response:
        params = TargetWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        target = targets.create_target(request.user, **params.validated_data)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a target",
        request=TargetWriteSerializer,
        responses={200: TargetSerializer, 400: ERROR},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        params = TargetWriteSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        return Response(
            TargetSerializer(targets.update_target(target, request.user, **params.validated_data)).data
        )

    @extend_schema(summary="Remove a target (its deployments stay)", responses={204: None, 403: ERROR})
    def destroy(self, request: Request, pk: str) -> Response:
        targets.delete_target(self.get_object(), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Test connection: the identity and account the target reaches", request=None)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        target = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(connection.test_connection(target, request.user).to_dict())

    @extend_schema(summary="The target's state machines (name, ARN, type)", request=None)
    @action(detail=True, methods=["get"], url_path="state-machines")
    def state_machines(self, request: Request, pk: str) -> Response:
        return Response(importing.list_state_machines(self.get_object(), request.user))

    @extend_schema(summary="The target's Lambda functions (name, ARN, runtime, description)", request=None)
    @action(detail=True, methods=["get"], url_path="functions")
    def functions(self, request: Request, pk: str) -> Response:
        return Response(lambda_functions.list_functions(self.get_object(), request.user))

    @extend_schema(
        summary="Import a state machine as a workflow (its versions as history); again: update the draft",
        request=ImportStateMachineSerializer,
        responses={201: WorkflowSerializer, 400: ERROR},
    )
    @action(detail=True, methods=["post"], url_path="import")
    def import_(self, request: Request, pk: str) -> Response:
        params = ImportStateMachineSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        workflow = importing.import_state_machine(
            request.user, target=self.get_object(), name=params.validated_data["name"]
        )
        return Response(
            WorkflowSerializer(workflow_with_counts(workflow)).data, status=status.HTTP_201_CREATED
        )
