"""The runner's records: state machines and their versions and aliases, executions with their
history, checkpoint and lease, task tokens, activities, local functions and access keys.

Rows change only through ``executions.services`` (and the durable effects of the runner);
nothing here decides behaviour.
"""

from django.conf import settings
from django.db import models


class StateMachineType(models.TextChoices):
    STANDARD = "STANDARD"
    EXPRESS = "EXPRESS"


class StateMachine(models.Model):
    arn = models.CharField(max_length=256, unique=True)
    account = models.ForeignKey("accounts.Account", related_name="state_machines", on_delete=models.PROTECT)
    # The designer workflow this machine runs (its key: a workflow is never matched by name).
    workflow = models.ForeignKey(
        "designer.Workflow", null=True, blank=True, related_name="state_machines", on_delete=models.SET_NULL
    )
    name = models.CharField(max_length=80)
    type = models.CharField(max_length=8, choices=StateMachineType.choices, default=StateMachineType.STANDARD)
    definition = models.TextField()
    role_arn = models.CharField(max_length=256)
    description = models.CharField(max_length=256, blank=True)
    logging_configuration = models.JSONField(default=dict, blank=True)
    tracing_configuration = models.JSONField(default=dict, blank=True)
    revision_id = models.CharField(max_length=64)
    # Version numbers are never reused, even after a version is deleted (as on AWS).
    last_version_number = models.PositiveIntegerField(default=0)
    tags = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "workflow"], name="one_machine_per_workflow")
        ]

    def __str__(self) -> str:
        return self.name


class StateMachineVersion(models.Model):
    state_machine = models.ForeignKey(StateMachine, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField()
    arn = models.CharField(max_length=256, unique=True)
    definition = models.TextField()
    role_arn = models.CharField(max_length=256)
    description = models.CharField(max_length=256, blank=True)
    revision_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return self.arn


class StateMachineAlias(models.Model):
    state_machine = models.ForeignKey(StateMachine, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    arn = models.CharField(max_length=256, unique=True)
    description = models.CharField(max_length=256, blank=True)
    # [{"stateMachineVersionArn": ..., "weight": 0..100}], one or two entries summing to 100.
    routing_configuration = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "state machine aliases"  # Django's default: "aliass"

    def __str__(self) -> str:
        return self.arn


class ExecutionStatus(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    ABORTED = "ABORTED"
    PENDING_REDRIVE = "PENDING_REDRIVE"


class Execution(models.Model):
    arn = models.CharField(max_length=512, unique=True)
    account = models.ForeignKey("accounts.Account", related_name="executions", on_delete=models.PROTECT)
    name = models.CharField(max_length=80)
    # Executions outlive their state machine (DescribeExecution still answers after a delete).
    state_machine = models.ForeignKey(
        StateMachine, related_name="executions", null=True, blank=True, on_delete=models.SET_NULL
    )
    state_machine_arn = models.CharField(max_length=256, db_index=True)
    state_machine_name = models.CharField(max_length=80)
    version_arn = models.CharField(max_length=256, blank=True)
    alias_arn = models.CharField(max_length=256, blank=True)
    type = models.CharField(max_length=8, choices=StateMachineType.choices, default=StateMachineType.STANDARD)
    definition = models.TextField()
    role_arn = models.CharField(max_length=256)
    status = models.CharField(max_length=16, choices=ExecutionStatus.choices, default=ExecutionStatus.RUNNING)
    input = models.TextField(default="{}")
    output = models.TextField(null=True, blank=True)
    error = models.CharField(max_length=256, null=True, blank=True)
    cause = models.TextField(null=True, blank=True)
    trace_header = models.CharField(max_length=256, blank=True)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    redrive_count = models.PositiveIntegerField(default=0)
    redrive_date = models.DateTimeField(null=True, blank=True)
    # The engine's serialisable state between transitions (DESIGN.md decision 5).
    checkpoint = models.JSONField(null=True, blank=True)
    last_event_id = models.PositiveIntegerField(default=0)
    # The runner that advances this execution (``Runner.owner``): it holds it while its
    # heartbeat is alive. Empty: nobody yet.
    lease_owner = models.CharField(max_length=128, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # A child workflow execution of a distributed Map: its parent's runner advances it.
    map_run = models.ForeignKey(
        "MapRun", related_name="executions", null=True, blank=True, on_delete=models.CASCADE, db_index=False
    )
    item_count = models.PositiveIntegerField(null=True, blank=True)
    # The deploy target (designer.deploy Target, by id) whose AWS the Task integrations call;
    # None: the local AWS. An id, not a key: deleting a target must not re-route a run.
    aws_target_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["state_machine_arn", "status"], name="exec_sm_status"),
            # The runners' scans (never claimed, held by a dead runner) read only running
            # executions. No index leads with the status: PostgreSQL without statistics
            # (autovacuum off, or not yet run) planned each commit's update of one execution by
            # that index, reading every running execution's entry instead of the one by its key.
            models.Index(
                fields=["lease_owner"],
                condition=models.Q(status=ExecutionStatus.RUNNING, map_run__isnull=True),
                name="exec_running_owner",
            ),
            # Only a map run's children: an index of every execution's (mostly empty) map run
            # was PostgreSQL's pick for "not a child", unanalyzed, reading every execution.
            models.Index(fields=["map_run"], condition=models.Q(map_run__isnull=False), name="exec_map_run"),
        ]

    def __str__(self) -> str:
        return self.arn

    @property
    def is_running(self) -> bool:
        return self.status == ExecutionStatus.RUNNING


class Runner(models.Model):
    """A process that runs executions, alive while it renews its heartbeat (every scan). It
    holds the executions whose ``lease_owner`` it is: one row renewed, however many executions
    wait in it (a lease per execution rewrote thousands of rows a second). Once its heartbeat
    has lapsed, another runner takes its executions over."""

    owner = models.CharField(max_length=128, primary_key=True)
    started_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.owner


class MapRunStatus(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    ABORTED = "ABORTED"


class MapRun(models.Model):
    """A distributed Map's run: its settings and progress, written with the parent's events."""

    arn = models.CharField(max_length=2000, unique=True)
    execution = models.ForeignKey(Execution, related_name="map_runs", on_delete=models.CASCADE)
    state_machine_arn = models.CharField(max_length=512)
    label = models.CharField(max_length=80)
    # The child executions' state machine: the Map's ItemProcessor.
    definition = models.TextField(blank=True)
    execution_type = models.CharField(
        max_length=8, choices=StateMachineType.choices, default=StateMachineType.STANDARD
    )
    status = models.CharField(max_length=16, choices=MapRunStatus.choices, default=MapRunStatus.RUNNING)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    max_concurrency = models.PositiveIntegerField(default=0)
    tolerated_failure_count = models.PositiveBigIntegerField(default=0)
    tolerated_failure_percentage = models.FloatField(default=0.0)
    # DescribeMapRun's MapRunItemCounts and MapRunExecutionCounts.
    item_counts = models.JSONField(default=dict)
    execution_counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return self.arn


class HistoryEvent(models.Model):
    execution = models.ForeignKey(Execution, related_name="events", on_delete=models.CASCADE)
    event_id = models.PositiveIntegerField()
    previous_event_id = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    # Every other field of the AWS event (e.g. {"stateEnteredEventDetails": {...}}).
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["execution", "event_id"]
        constraints = [models.UniqueConstraint(fields=["execution", "event_id"], name="unique_event_id")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class TaskTokenStatus(models.TextChoices):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"


class Activity(models.Model):
    arn = models.CharField(max_length=256, unique=True)
    account = models.ForeignKey("accounts.Account", related_name="activities", on_delete=models.PROTECT)
    name = models.CharField(max_length=80)
    tags = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.name


class TaskToken(models.Model):
    """A callback a paused task waits on: ``.waitForTaskToken`` or an activity task."""

    token = models.CharField(max_length=1024, unique=True)
    execution = models.ForeignKey(Execution, related_name="task_tokens", on_delete=models.CASCADE)
    state_name = models.CharField(max_length=80)
    status = models.CharField(max_length=16, choices=TaskTokenStatus.choices, default=TaskTokenStatus.PENDING)
    # For activity tasks: which activity, what input, and which worker took it.
    activity = models.ForeignKey(
        Activity, null=True, blank=True, related_name="tasks", on_delete=models.CASCADE
    )
    task_input = models.TextField(blank=True)
    worker_name = models.CharField(max_length=80, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    output = models.TextField(null=True, blank=True)
    error = models.CharField(max_length=256, null=True, blank=True)
    cause = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["activity", "status", "claimed_at"], name="token_activity_queue")]
        # Who may answer a step waiting for a person on its approval page (the reviewers role).
        permissions = [("decide_approval", "Can approve or reject a step waiting for a person")]

    def __str__(self) -> str:
        return f"{self.state_name} ({self.status})"


class LocalFunction(models.Model):
    """Python ``handler(event, context)`` code that Lambda ARNs and lambda:invoke resolve to."""

    account = models.ForeignKey("accounts.Account", related_name="functions", on_delete=models.PROTECT)
    # Unique per account: two users' "resize" never meet.
    name = models.CharField(max_length=64)
    code = models.TextField()
    handler = models.CharField(max_length=64, default="handler")
    timeout_seconds = models.PositiveIntegerField(default=30)
    memory_mb = models.PositiveIntegerField(default=256)
    # Lambda's Environment.Variables: the only variables the handler's process sees besides the
    # runtime's own.
    environment = models.JSONField(default=dict, blank=True)
    # Off: the sandbox has no network (its own empty network namespace).
    network_access = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["account", "name"], name="unique_function_name")]

    def __str__(self) -> str:
        return self.name


class FunctionLog(models.Model):
    """What one local function invocation printed, kept with the execution that called it."""

    execution = models.ForeignKey(Execution, related_name="function_logs", on_delete=models.CASCADE)
    function_name = models.CharField(max_length=64)
    request_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    error_type = models.CharField(max_length=128, blank=True)
    log = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.function_name} {self.request_id}"


class ServiceCall(models.Model):
    """Where one AWS service call of an execution went (the local AWS, an emulator's URL or
    AWS) and how it ended, for the run view."""

    execution = models.ForeignKey(Execution, related_name="service_calls", on_delete=models.CASCADE)
    state_name = models.CharField(max_length=80, blank=True)
    resource = models.CharField(max_length=256)
    endpoint = models.CharField(max_length=256)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=256, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.resource} -> {self.endpoint}"


class AccessKey(models.Model):
    """A SigV4 key pair for the Step Functions endpoint. The secret is kept because SigV4
    verification recomputes the HMAC with it (as AWS does), encrypted (symphony/crypto.py): only
    the signature check decrypts it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="access_keys", on_delete=models.CASCADE)
    access_key_id = models.CharField(max_length=32, unique=True)
    encrypted_secret_access_key = models.TextField()
    description = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.access_key_id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WorkflowRun(models.Model):
    """An execution started from a designer workflow (its draft or a version): the way back from
    the run to the workflow, for "Run again" and the workflow list's last run."""

    execution = models.OneToOneField(
        Execution, primary_key=True, related_name="workflow_run", on_delete=models.CASCADE
    )
    workflow = models.ForeignKey("designer.Workflow", related_name="runs", on_delete=models.CASCADE)
    # None: the draft, at `draft_revision`.
    version = models.ForeignKey(
        "designer.Version", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    draft_revision = models.PositiveIntegerField(null=True, blank=True)
    # "Run from here": the state it started at instead of StartAt (empty: from the start).
    start_at = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-execution_id"]

    def __str__(self) -> str:
        return f"{self.workflow} run {self.execution_id}"


# Approvals from targets live with their code (executions/approvals/) and register with this app here.
from executions.approvals.models import (  # noqa: E402, F401
    ApprovalDecision,
    ApprovalRequest,
    ApprovalStatus,
    ApprovalStep,
    ApprovalToken,
    ApprovalWebhook,
    WebhookDelivery,
)


class EventRule(models.Model):
    """A local EventBridge rule whose target is one of the account's state machines: an event put
    on its bus (PutEvents from a Task) that matches its pattern starts an execution with the
    event as input, as EventBridge does. Kept by Symphony, not in the local AWS: moto's
    EventBridge cannot deliver to a Step Functions target."""

    account = models.ForeignKey("accounts.Account", related_name="event_rules", on_delete=models.CASCADE)
    name = models.CharField(max_length=64)
    event_bus_name = models.CharField(max_length=256, default="default")
    event_pattern = models.TextField()
    state_machine_arn = models.CharField(max_length=256)
    enabled = models.BooleanField(default=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_bus_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "event_bus_name", "name"], name="event_rule_name_unique_per_bus"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_bus_name}/{self.name}"
