"""REST for publishing a workflow: deployments (publish, dry run, retry), roll back, drift, IaC export."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.serializers import TextField
from designer.api.views import ERROR, DesignerAPIMixin
from designer.deploy import drift, iac, marks, publish, rollback, rollouts, visibility
from designer.deploy.models import Deployment, DriftCheck, Rollout
from designer.deploy.targets import get_target
from designer.models import Workflow


class RolloutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rollout
        fields = [
            "strategy",
            "percent",
            "interval_seconds",
            "max_failures",
            "alias_arn",
            "old_version_arn",
            "new_version_arn",
            "weight",
            "status",
            "next_step_at",
            "events",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class DeploymentSerializer(serializers.ModelSerializer):
    workflow = serializers.IntegerField(source="workflow_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    account = serializers.CharField(source="account_id", read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)
    rollout = serializers.SerializerMethodField()

    class Meta:
        model = Deployment
        fields = [
            "id",
            "kind",
            "workflow",
            "version",
            "target_name",
            "account",
            "actor",
            "dry_run",
            "status",
            "alias",
            "state_machine_name",
            "target_account_id",
            "state_machine_arn",
            "version_arn",
            "aws_version",
            "alias_arn",
            "revision_id",
            "definition_sha256",
            "steps",
            "diff",
            "error",
            "attempts",
            "created_at",
            "finished_at",
            "rollout",
        ]
        read_only_fields = fields

    def get_rollout(self, deployment: Deployment) -> dict | None:
        rollout = Rollout.objects.filter(deployment=deployment).first()
        return RolloutSerializer(rollout).data if rollout else None


class PublishSerializer(serializers.Serializer):
    target = TextField(help_text="The target's name, in your account.")
    version = serializers.IntegerField(required=False, min_value=1, help_text="Default: the latest version.")
    alias = TextField(required=False, allow_blank=True, default="")
    dry_run = serializers.BooleanField(required=False, default=False)
    rollout = TextField(
        required=False, allow_blank=True, default="", help_text="all-at-once, canary10-5m, linear10-1m, ..."
    )
    max_failures = serializers.IntegerField(
        required=False, min_value=0, default=0, help_text="Roll back past this many failed executions."
    )


class RollbackSerializer(serializers.Serializer):
    target = TextField()
    alias = TextField()
    version = serializers.IntegerField(min_value=1, help_text="The AWS version number to point the alias at.")


class IacParamsSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["cloudformation", "terraform"])
    target = TextField()
    version = serializers.IntegerField(required=False, min_value=1, help_text="Default: the latest version.")
    alias = TextField(required=False, allow_blank=True, default="")


def _workflow(request: Request, pk: int) -> Workflow:
    return get_object_or_404(Workflow.objects.visible_to(request.user), pk=pk)


def _deployment_response(deployment: Deployment, created: bool = True) -> Response:
    # A failed publish is still a record that was made: 201 with status FAILED, its steps saying why.
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(DeploymentSerializer(deployment).data, status=code)


class WorkflowDeploymentsView(DesignerAPIMixin, APIView):
    @extend_schema(
        summary="This workflow's deployments, newest first", responses={200: DeploymentSerializer(many=True)}
    )
    def get(self, request: Request, pk: int) -> Response:
        workflow = _workflow(request, pk)
        deployments = _visible_deployments(request).filter(workflow=workflow)[:100]
        return Response(DeploymentSerializer(deployments, many=True).data)

    @extend_schema(
        summary="Publish a version to a target (or plan it with dry_run)",
        request=PublishSerializer,
        responses={201: DeploymentSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, pk: int) -> Response:
        workflow = _workflow(request, pk)
        params = PublishSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        deployment = publish.publish(
            workflow,
            request.user,
            target=data["target"],
            version_number=data.get("version"),
            alias=data["alias"],
            dry_run=data["dry_run"],
            rollout=data["rollout"],
            max_failures=data["max_failures"],
        )
        return _deployment_response(deployment)


class DeploymentView(DesignerAPIMixin, APIView):
    @extend_schema(summary="One deployment and each step's outcome", responses={200: DeploymentSerializer})
    def get(self, request: Request, pk: int) -> Response:
        deployment = get_object_or_404(_visible_deployments(request), pk=pk)
        return _deployment_response(deployment, created=False)


class DeploymentRetryView(DesignerAPIMixin, APIView):
    @extend_schema(
        summary="Go on with a failed publish from its first step not done",
        request=None,
        responses={200: DeploymentSerializer, 400: ERROR},
    )
    def post(self, request: Request, pk: int) -> Response:
        deployment = get_object_or_404(_visible_deployments(request), pk=pk)
        return _deployment_response(publish.retry(deployment, request.user), created=False)


class RolloutActionView(DesignerAPIMixin, APIView):
    """POST .../rollout/promote/ or .../rollout/rollback/: end a running rollout by hand."""

    @extend_schema(
        summary="Promote (all traffic to the new version) or roll back a running rollout",
        request=None,
        responses={200: DeploymentSerializer, 400: ERROR},
    )
    def post(self, request: Request, pk: int, decision: str) -> Response:
        deployment = get_object_or_404(_visible_deployments(request), pk=pk)
        rollout = get_object_or_404(Rollout, deployment=deployment)
        act = rollouts.promote if decision == "promote" else rollouts.roll_back
        act(rollout, request.user)
        return _deployment_response(Deployment.objects.get(pk=deployment.pk), created=False)


class RollbackView(DesignerAPIMixin, APIView):
    @extend_schema(
        summary="Point an alias back at an earlier published version",
        request=RollbackSerializer,
        responses={201: DeploymentSerializer, 400: ERROR},
    )
    def post(self, request: Request, pk: int) -> Response:
        workflow = _workflow(request, pk)
        params = RollbackSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        deployment = rollback.roll_back(
            workflow, request.user, target=data["target"], alias=data["alias"], aws_version=data["version"]
        )
        return _deployment_response(deployment)


class DriftView(DesignerAPIMixin, APIView):
    @extend_schema(
        summary="A version (default: the latest) against what a target runs (?target=&version=)",
        responses={200: OpenApiTypes.OBJECT, 400: ERROR, 404: ERROR},
    )
    def get(self, request: Request, pk: int) -> Response:
        workflow = _workflow(request, pk)
        target = request.query_params.get("target", "")
        number = request.query_params.get("version")
        if number is not None and not number.isdigit():
            raise serializers.ValidationError({"version": f"{number!r} is not a version number."})
        if not target:
            raise serializers.ValidationError({"target": "Name a target."})
        found = drift.drift(
            workflow, request.user, target=target, version_number=int(number) if number else None
        )
        return Response(found.to_dict())


class DriftMarkSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target.name", read_only=True)
    checked_by = serializers.CharField(source="checked_by.username", read_only=True, default=None)
    published_deployment = serializers.IntegerField(source="published_deployment_id", read_only=True)
    stale = serializers.SerializerMethodField()

    class Meta:
        model = DriftCheck
        fields = [
            "target",
            "status",
            "message",
            "state_machine_arn",
            "deployed",
            "published",
            "published_deployment",
            "aliases",
            "checked_at",
            "checked_by",
            "stale",
        ]
        read_only_fields = fields

    def get_stale(self, check: DriftCheck) -> bool:
        return marks.is_stale(check)


class DriftCheckSerializer(serializers.Serializer):
    target = TextField(
        required=False, help_text="One target's name; default: every target it was published to."
    )


class DriftMarksView(DesignerAPIMixin, APIView):
    @extend_schema(
        summary="The kept drift marks: what each target runs against what was published there (no call)",
        responses={200: DriftMarkSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        workflow = _workflow(request, pk)
        found = marks.marks(request.user, [workflow]).get(workflow.pk, [])
        return Response(DriftMarkSerializer(found, many=True).data)

    @extend_schema(
        summary="Check now (publishers): look at the target(s) again and keep what was seen",
        request=DriftCheckSerializer,
        responses={200: DriftMarkSerializer(many=True), 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, pk: int) -> Response:
        workflow = _workflow(request, pk)
        params = DriftCheckSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        name = params.validated_data.get("target")
        if name:
            checked = [drift.check(workflow, request.user, get_target(request.user, name))]
        else:
            checked = drift.check_all(workflow, request.user)
        return Response(DriftMarkSerializer(checked, many=True).data)


class IacView(DesignerAPIMixin, APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False):
        # `?format=` names the export (cloudformation, terraform), not DRF's renderer.
        return (JSONRenderer(), JSONRenderer.media_type)

    @extend_schema(
        summary="A version as infrastructure as code for a target: CloudFormation (YAML) or Terraform (zip)",
        parameters=[IacParamsSerializer],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 400: ERROR, 404: ERROR},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        workflow = _workflow(request, pk)
        params = IacParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        target = get_target(request.user, data["target"])
        options = {"target": target, "version_number": data.get("version"), "alias": data["alias"]}
        if data["format"] == "cloudformation":
            body = iac.cloudformation(workflow, request.user, **options)
            response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
            filename = f"{workflow.name}.cfn.yaml"
        else:
            body = iac.terraform_zip(iac.terraform(workflow, request.user, **options))
            response = HttpResponse(body, content_type="application/zip")
            filename = f"{workflow.name}-terraform.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _visible_deployments(request: Request):
    return visibility.deployments_for(request.user).select_related("version", "actor", "workflow", "target")
