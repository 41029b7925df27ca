from django.urls import reverse
from rest_framework import serializers

from designer.api.serializers import TextField
from executions.models import LocalFunction, WorkflowRun


class LocalFunctionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalFunction
        fields = [
            "id",
            "name",
            "code",
            "handler",
            "timeout_seconds",
            "memory_mb",
            "environment",
            "network_access",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness is the service's to decide (409), not the serializer's (400).
        extra_kwargs = {"name": {"validators": []}, "code": {"trim_whitespace": False}}


class RunRequestSerializer(serializers.Serializer):
    input = TextField(
        required=False, default="{}", trim_whitespace=False, help_text="JSON text (StartExecution's input)."
    )
    name = TextField(
        required=False, allow_blank=True, help_text="The execution's name (default: a UUID), as on AWS."
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="A version number; absent or null: the draft."
    )
    start_at = TextField(required=False, help_text="Run from here: a state to start at instead of StartAt.")
    within = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text=(
            "With start_at: the JSON path of the Parallel branch or Map ItemProcessor holding it, "
            'e.g. ["States", "Fan out", "Branches", 1]; the run is that branch or iteration from start_at.'
        ),
    )
    variables = serializers.DictField(
        required=False, help_text="With start_at: the variables to assign before it (name: value)."
    )
    target = TextField(
        required=False,
        allow_blank=True,
        help_text="A deploy target's name: Task integrations call its AWS with its credentials "
        "(takes the publishers role). Absent: the local AWS.",
    )


class RunSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="execution_id", read_only=True)
    arn = serializers.CharField(source="execution.arn", read_only=True)
    name = serializers.CharField(source="execution.name", read_only=True)
    status = serializers.CharField(source="execution.status", read_only=True)
    input = serializers.CharField(source="execution.input", read_only=True)
    started_at = serializers.DateTimeField(source="execution.started_at", read_only=True)
    stopped_at = serializers.DateTimeField(source="execution.stopped_at", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True, default=None)
    links = serializers.SerializerMethodField()

    class Meta:
        model = WorkflowRun
        fields = [
            "id",
            "arn",
            "name",
            "status",
            "input",
            "started_at",
            "stopped_at",
            "version",
            "draft_revision",
            "start_at",
            "links",
        ]
        read_only_fields = fields

    def get_links(self, run: WorkflowRun) -> dict[str, str]:
        return {"page": reverse("executions:execution-detail", args=[run.execution_id])}
