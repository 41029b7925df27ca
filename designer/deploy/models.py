"""Targets (where a workflow is published) and deployments (what each publish or roll back did).

Registered with the designer app (imported by ``designer.models``); rows are written only by the
modules of ``designer.deploy``.
"""

from django.conf import settings
from django.db import models


class LogLevel(models.TextChoices):
    # AWS's LoggingConfiguration.level values.
    OFF = "OFF", "Off"
    ALL = "ALL", "All"
    ERROR = "ERROR", "Errors"
    FATAL = "FATAL", "Fatal"


class Target(models.Model):
    """An endpoint plus credentials (DESIGN.md decision 13). No secret is stored: credentials come
    from boto3's standard chain (environment, ``profile``, instance or container role), then
    optionally an assumed role; this Symphony's own endpoint uses the publisher's own access key."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(max_length=80)
    region = models.CharField(max_length=32)
    role_arn = models.CharField(max_length=2048, help_text="The IAM role the state machine runs as.")
    assume_role_arn = models.CharField(max_length=2048, blank=True, default="")
    external_id = models.CharField(max_length=1224, blank=True, default="")
    endpoint_url = models.CharField(max_length=2048, blank=True, default="")
    profile = models.CharField(max_length=128, blank=True, default="")
    this_symphony = models.BooleanField(default=False)
    log_level = models.CharField(max_length=5, choices=LogLevel.choices, default=LogLevel.OFF)
    log_group_arn = models.CharField(max_length=2048, blank=True, default="")
    include_execution_data = models.BooleanField(default=False)
    tracing_enabled = models.BooleanField(default=False)
    tags = models.JSONField(default=dict, blank=True)
    substitutions = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "designer"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="target_name_unique_per_account")
        ]

    def __str__(self) -> str:
        return self.name


class DeploymentKind(models.TextChoices):
    PUBLISH = "publish", "Publish"
    ROLLBACK = "rollback", "Roll back"
    IMPORT = "import", "Import"  # a version read from a target into this workflow's history


class DeploymentStatus(models.TextChoices):
    PLANNED = "PLANNED", "Dry run"
    RUNNING = "RUNNING", "Running"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"


class Deployment(models.Model):
    """One publish (or roll back) of a workflow version to a target, and each step's outcome.

    ``steps`` is a list of ``{"name", "status" (done, failed, skipped, planned), "call", "detail"}``:
    a failure midway leaves the steps before it done and those after it not started, and a retry
    goes on from the first step that is not done.
    """

    kind = models.CharField(max_length=8, choices=DeploymentKind.choices, default=DeploymentKind.PUBLISH)
    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="deployments")
    version = models.ForeignKey("designer.Version", on_delete=models.CASCADE, related_name="deployments")
    target = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True, related_name="deployments")
    target_name = models.CharField(max_length=80)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="deployments")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="deployments"
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=9, choices=DeploymentStatus.choices, default=DeploymentStatus.RUNNING
    )
    alias = models.CharField(max_length=80, blank=True, default="")
    state_machine_name = models.CharField(max_length=80)
    # The AWS account the target reached (from the ARNs it answered with).
    target_account_id = models.CharField(max_length=12, blank=True, default="")
    state_machine_arn = models.CharField(max_length=2048, blank=True, default="")
    version_arn = models.CharField(max_length=2048, blank=True, default="")
    aws_version = models.PositiveIntegerField(null=True, blank=True)
    alias_arn = models.CharField(max_length=2048, blank=True, default="")
    revision_id = models.CharField(max_length=128, blank=True, default="")
    definition = models.TextField(blank=True, default="")  # exactly what was (or would be) sent
    definition_sha256 = models.CharField(max_length=64, blank=True, default="")
    steps = models.JSONField(default=list)
    diff = models.TextField(blank=True, default="")  # against what was live, for a dry run
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # saved after every step: a stale RUNNING one died
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "designer"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.workflow_id} v{self.version_id} to {self.target_name}"


class RolloutStrategy(models.TextChoices):
    # SAM's DeploymentPreference types for state machines (AllAtOnce, Canary..., Linear...).
    ALL_AT_ONCE = "ALL_AT_ONCE", "All at once"
    CANARY = "CANARY", "Canary"
    LINEAR = "LINEAR", "Linear"


class RolloutStatus(models.TextChoices):
    RUNNING = "RUNNING", "Running"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    ROLLED_BACK = "ROLLED_BACK", "Rolled back"


class Rollout(models.Model):
    """A gradual shift of an alias from the old version to the new one through its routing
    configuration, watched for the new version's failed, timed out and aborted executions.

    Durable: every decision reads and writes this row, so any process resumes it after a restart.
    """

    deployment = models.OneToOneField(Deployment, on_delete=models.CASCADE, related_name="rollout")
    strategy = models.CharField(max_length=11, choices=RolloutStrategy.choices)
    percent = models.PositiveSmallIntegerField()  # canary: the first share; linear: each step
    interval_seconds = models.PositiveIntegerField()
    max_failures = models.PositiveIntegerField(default=0)  # more than this many rolls it back
    alias_arn = models.CharField(max_length=2048)
    old_version_arn = models.CharField(max_length=2048)
    new_version_arn = models.CharField(max_length=2048)
    weight = models.PositiveSmallIntegerField(default=0)  # the new version's share now
    status = models.CharField(max_length=11, choices=RolloutStatus.choices, default=RolloutStatus.RUNNING)
    next_step_at = models.DateTimeField()
    events = models.JSONField(default=list)  # [{"at", "message"}]
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "designer"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.strategy} {self.new_version_arn} {self.weight}%"


class DriftStatus(models.TextChoices):
    IN_SYNC = "IN_SYNC", "in sync"
    DRIFTED = "DRIFTED", "drifted"
    NOT_DEPLOYED = "NOT_DEPLOYED", "not deployed"
    UNKNOWN = "UNKNOWN", "unknown"


class DriftCheck(models.Model):
    """The last look at what a target runs for a workflow, against what Symphony last published
    there: a cache, so pages show drift without calling the target on every view.

    Written when a publish succeeds (what was sent is what runs) and when a publisher asks to
    check now; ``checked_at`` says how old the look is.
    """

    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="drift_checks")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="drift_checks")
    status = models.CharField(max_length=12, choices=DriftStatus.choices)
    state_machine_arn = models.CharField(max_length=2048, blank=True, default="")
    deployed = models.TextField(blank=True, default="")  # DescribeStateMachine's definition
    published = models.TextField(blank=True, default="")  # what Symphony's last publish sent
    published_deployment = models.ForeignKey(
        Deployment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aliases = models.JSONField(default=list, blank=True)  # [{name, arn, routing: [{version, weight}]}]
    message = models.TextField(blank=True, default="")  # why the status is unknown, or what drifted
    checked_at = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "designer"
        ordering = ["target__name"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "target"], name="drift_check_one_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.workflow_id} on {self.target_id}: {self.status}"
