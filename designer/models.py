"""The workflow store: workflows, their drafts (text + layout) and immutable versions.

Rows are written only through `designer.services` (STYLE.md section 2); nothing here decides policy.
"""

import hashlib

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

# AWS's rule for state machine names, narrowed as the issue asks: 1-80 of letters, digits, '-' and '_'.
WORKFLOW_NAME_PATTERN = r"^[A-Za-z0-9_-]{1,80}$"
WORKFLOW_NAME_MAX_LENGTH = 80
workflow_name_validator = RegexValidator(
    WORKFLOW_NAME_PATTERN,
    "Use 1-80 letters, digits, hyphens (-) or underscores (_).",
    code="STATE_MACHINE_NAME_INVALID",
)


class WorkflowType(models.TextChoices):
    STANDARD = "STANDARD", "Standard"
    EXPRESS = "EXPRESS", "Express"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private (only you)"
    SHARED = "shared", "Shared (everyone signed in)"


class DefinitionFormat(models.TextChoices):
    JSON = "json", "JSON"
    YAML = "yaml", "YAML"


class WorkflowQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WorkflowQuerySet":
        """What `user` may see: their own; shared ones with the view permission; a superuser all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.has_perm("designer.view_workflow"):
            return self.filter(Q(owner=user) | Q(visibility=Visibility.SHARED))
        return self.filter(owner=user)


class Workflow(models.Model):
    name = models.CharField(max_length=WORKFLOW_NAME_MAX_LENGTH, validators=[workflow_name_validator])
    description = models.TextField(blank=True, default="")
    type = models.CharField(max_length=8, choices=WorkflowType.choices, default=WorkflowType.STANDARD)
    # AWS-style tags: {key: value}, key 1-128 characters, value 0-256.
    tags = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workflows")
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkflowQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="workflow_name_unique_per_owner")
        ]
        permissions = [("publish_workflow", "Can publish workflow versions to AWS")]

    def __str__(self) -> str:
        return self.name


class Draft(models.Model):
    """The one editable state of a workflow: its definition text exactly as written, and its layout.

    `revision` grows by one on every save; a save names the revision it was based on, so a stale
    editor gets a conflict instead of overwriting someone else's work.
    """

    workflow = models.OneToOneField(
        Workflow, on_delete=models.CASCADE, primary_key=True, related_name="draft"
    )
    definition = models.TextField()
    format = models.CharField(max_length=4, choices=DefinitionFormat.choices, default=DefinitionFormat.JSON)
    # Node positions and view state, kept apart from the ASL text (DESIGN.md decision 1).
    layout = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.workflow} draft r{self.revision}"


class VersionImmutableError(Exception):
    """A version is a snapshot: once stored it never changes."""


def definition_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Version(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    message = models.TextField(blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    definition = models.TextField()
    format = models.CharField(max_length=4, choices=DefinitionFormat.choices, default=DefinitionFormat.JSON)
    sha256 = models.CharField(max_length=64)
    # The draft revision this snapshot was taken from.
    draft_revision = models.PositiveIntegerField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "number"], name="version_number_unique_per_workflow")
        ]

    def __str__(self) -> str:
        return f"{self.workflow} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise VersionImmutableError(f"{self} is immutable")
        self.sha256 = definition_sha256(self.definition)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Versions leave only with their workflow (the CASCADE above), never one by one.
        raise VersionImmutableError(f"{self} is immutable")


class TestInput(models.Model):
    """A named execution input kept with a workflow, for the run dialog (Workflow Studio keeps none)."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="test_inputs")
    name = models.CharField(max_length=80)
    # JSON text as the author wrote it (an execution input: at most 256 KiB, as on AWS).
    input = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "name"], name="test_input_name_unique_per_workflow")
        ]

    def __str__(self) -> str:
        return f"{self.workflow} input {self.name}"


# Publishing's models live with their code (designer/deploy/) and register with this app here.
from designer.deploy.models import Deployment, Rollout, Target  # noqa: E402, F401
