"""The API's shapes. Input serializers check JSON types only; the rules live in `designer.services`."""

from django.urls import reverse
from rest_framework import serializers

from accounts.permissions import Action, allowed
from accounts.services import account_id_for
from designer.deploy.models import Target
from designer.models import (
    WORKFLOW_NAME_PATTERN,
    DefinitionFormat,
    Draft,
    TestInput,
    Version,
    Visibility,
    Workflow,
    WorkflowType,
)

NAME_HELP = f"1-80 letters, digits, '-' or '_' (AWS's state machine name rule): {WORKFLOW_NAME_PATTERN}"
TAGS_HELP = "AWS-style tags: an object of key (1-128 characters) to value (0-256 characters), at most 50."


class TextField(serializers.CharField):
    """A string and only a string: DRF's CharField would store the number 42 as the text "42"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class WorkflowSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    revision = serializers.IntegerField(source="draft.revision", read_only=True)
    format = serializers.CharField(source="draft.format", read_only=True)
    version_count = serializers.IntegerField(read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Workflow
        fields = [
            "id",
            "name",
            "description",
            "type",
            "tags",
            "visibility",
            "owner",
            "revision",
            "format",
            "version_count",
            "created_at",
            "updated_at",
            "links",
        ]
        read_only_fields = fields

    def get_links(self, workflow: Workflow) -> dict[str, str]:
        return workflow_links(workflow)


def workflow_links(workflow: Workflow) -> dict[str, str]:
    return {
        "self": reverse("api:workflow-detail", args=[workflow.pk]),
        "draft": reverse("api:workflow-draft", args=[workflow.pk]),
        "versions": reverse("api:workflow-versions", args=[workflow.pk]),
        "export": reverse("api:workflow-export", args=[workflow.pk]),
        "test_inputs": reverse("api:workflow-test-inputs", args=[workflow.pk]),
        "runs": reverse("workflow-runs", args=[workflow.pk]),
        "page": reverse("designer:workflow", args=[workflow.pk]),
    }


def runnable_workflow(workflow: Workflow, user=None) -> dict:
    """What the Run dialog needs of a workflow (static/src/api/runs.ts RunnableWorkflow): with
    the user, the deploy targets whose AWS their run may call (publishers only; names only)."""
    targets: list[str] = []
    if user is not None and allowed(user, Action.PUBLISH, account_id_for(user)):
        targets = list(Target.objects.filter(account_id=account_id_for(user)).values_list("name", flat=True))
    return {
        "id": workflow.pk,
        "name": workflow.name,
        "links": workflow_links(workflow),
        "aws_targets": targets,
    }


class WorkflowCreateSerializer(serializers.Serializer):
    name = TextField(trim_whitespace=False, allow_blank=True, help_text=NAME_HELP)
    description = TextField(required=False, allow_blank=True, trim_whitespace=False, default="")
    type = serializers.ChoiceField(choices=WorkflowType.choices, default=WorkflowType.STANDARD)
    tags = serializers.DictField(child=TextField(allow_blank=True), required=False, help_text=TAGS_HELP)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PRIVATE)
    definition = TextField(
        required=False,
        trim_whitespace=False,
        help_text="ASL text, JSON or YAML, stored exactly as given (default: a one-state Pass workflow).",
    )
    layout = serializers.DictField(required=False, help_text="Node positions and view state.")


class WorkflowUpdateSerializer(serializers.Serializer):
    name = TextField(required=False, trim_whitespace=False, allow_blank=True, help_text=NAME_HELP)
    description = TextField(required=False, allow_blank=True, trim_whitespace=False)
    type = serializers.ChoiceField(choices=WorkflowType.choices, required=False)
    tags = serializers.DictField(child=TextField(allow_blank=True), required=False, help_text=TAGS_HELP)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class DraftSerializer(serializers.ModelSerializer):
    workflow = serializers.IntegerField(source="workflow_id", read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, default=None)

    class Meta:
        model = Draft
        fields = ["workflow", "definition", "format", "layout", "revision", "updated_at", "updated_by"]
        read_only_fields = fields


class DraftWriteSerializer(serializers.Serializer):
    definition = TextField(
        required=False,
        trim_whitespace=False,
        allow_blank=True,
        help_text="ASL text, stored exactly as given.",
    )
    layout = serializers.DictField(required=False)
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision this change is based on, when If-Match is not sent.",
    )

    def validate(self, attrs: dict) -> dict:
        if "definition" not in attrs and "layout" not in attrs:
            raise serializers.ValidationError("Send a definition, a layout or both.")
        return attrs


class VersionSummarySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)

    class Meta:
        model = Version
        # `id` is what a run names (`POST /api/workflows/{id}/runs/` takes `version`, the number).
        fields = ["id", "number", "message", "author", "created_at", "format", "sha256", "draft_revision"]
        read_only_fields = fields


class VersionSerializer(VersionSummarySerializer):
    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "definition"]
        read_only_fields = fields


class VersionCreateSerializer(serializers.Serializer):
    message = TextField(required=False, allow_blank=True, default="", trim_whitespace=False)
    revision = serializers.IntegerField(
        required=False, min_value=1, help_text="Snapshot only if the draft is still at this revision."
    )


class TestInputSerializer(serializers.ModelSerializer):
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, default=None)

    class Meta:
        model = TestInput
        fields = ["id", "name", "input", "updated_by", "updated_at"]
        read_only_fields = fields


class TestInputWriteSerializer(serializers.Serializer):
    name = TextField(help_text="1-80 characters, unique per workflow.")
    input = TextField(trim_whitespace=False, help_text="JSON text, at most 256 KiB (an execution input).")


class ValidateRequestSerializer(serializers.Serializer):
    definition = TextField(trim_whitespace=False, allow_blank=True)
    type = serializers.ChoiceField(
        choices=WorkflowType.choices, default=WorkflowType.STANDARD, help_text="The rules differ for EXPRESS."
    )


class DiagnosticSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
    pointer = serializers.CharField(help_text="JSON pointer; empty for the whole document.")
    state = serializers.CharField(allow_null=True)
    line = serializers.IntegerField(allow_null=True)
    column = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class ValidateResponseSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["OK", "FAIL"])
    diagnostics = DiagnosticSerializer(many=True)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="A .json/.yaml/.yml file (multipart upload).")
    definition = TextField(required=False, trim_whitespace=False, help_text="Or the text itself.")
    name = TextField(required=False, allow_blank=True, help_text=NAME_HELP + " Default: file name.")
    description = TextField(required=False, allow_blank=True, default="", trim_whitespace=False)
    type = serializers.ChoiceField(choices=WorkflowType.choices, default=WorkflowType.STANDARD)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PRIVATE)

    def validate(self, attrs: dict) -> dict:
        if ("file" in attrs) == ("definition" in attrs):
            raise serializers.ValidationError("Send either a file or a definition text.")
        return attrs


class ErrorEntrySerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, required=False)
    pointer = serializers.CharField(allow_null=True, required=False)
    line = serializers.IntegerField(allow_null=True, required=False)
    column = serializers.IntegerField(allow_null=True, required=False)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    errors = ErrorEntrySerializer(many=True)


EXPORT_FORMATS = [choice for choice, _ in DefinitionFormat.choices]
