"""Approval requests from targets (workflows running in AWS) and from local runs (the built-in
``symphony-request-approval`` function, ``executions.approvals.local_requests``), and the
per-target API tokens that make them. Registered with the executions app (imported by
``executions.models``); rows are written only by the modules of ``executions.approvals``."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApprovalToken(models.Model):
    """A target's key to ``POST /api/approvals/``: ``sya_<key_id>_<secret>``. Only the secret's
    SHA-256 is kept (a random 256-bit secret needs no slow hash), so the token is shown once."""

    target = models.ForeignKey("designer.Target", on_delete=models.CASCADE, related_name="approval_tokens")
    key_id = models.CharField(max_length=16, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=128, blank=True, default="")  # e.g. which function holds it
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "executions"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key_id


class ApprovalStatus(models.TextChoices):
    PENDING = "PENDING", "Waiting"
    SENDING = "SENDING", "Sending the answer"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Rejected"
    REFUSED = "REFUSED", "Answer refused by AWS"
    EXPIRED = "EXPIRED", "Expired: nobody decided in time"
    CLOSED = "CLOSED", "Closed: the run no longer waits"


class ApprovalRequest(models.Model):
    """A ``.waitForTaskToken`` step of a workflow waiting for a person: running in a target
    (``target``), or in Symphony's own runner (``task``, the local callback it answers).

    The task token is a bearer credential for the execution: kept encrypted (symphony/crypto.py),
    found by its SHA-256 (the idempotency key), never shown in a page, a URL or a log."""

    target = models.ForeignKey(
        "designer.Target", on_delete=models.CASCADE, null=True, blank=True, related_name="approval_requests"
    )
    # A local run's callback: one request per token, answered by the local runner (and the
    # generic page for waiting steps leaves it to this request's page).
    task = models.OneToOneField(
        "executions.TaskToken",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_request",
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="approval_requests"
    )
    token_sha256 = models.CharField(max_length=64)
    encrypted_task_token = models.TextField()
    request_sha256 = models.CharField(max_length=64)  # the fields asked for, to tell a replay from a clash
    # The waiting execution in the target ($$.Execution.Id), when the workflow passes it: its history
    # is shown beside the request.
    execution_arn = models.CharField(max_length=2048, blank=True, default="")
    title = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True)
    # Who decides is in the request's ApprovalSteps (one, or an ordered chain); these three say
    # where it stands: the step that decides now, that step's deadline and when it escalated.
    step = models.PositiveSmallIntegerField(default=0)
    deadline = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every recorded decision: the row update that serialises reviewers deciding at once.
    revision = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    approve = models.BooleanField(null=True)  # the decision, once made
    comment = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # What the target answered to SendTaskSuccess/SendTaskFailure when it did not take it.
    answer_error = models.CharField(max_length=128, blank=True, default="")
    answer_message = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "executions"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "token_sha256"], name="approval_request_once_per_token"
            ),
            models.CheckConstraint(
                condition=models.Q(target__isnull=False, task__isnull=True)
                | models.Q(target__isnull=True, task__isnull=False),
                name="approval_request_target_or_local",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="approval_request_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def local(self) -> bool:
        return self.task_id is not None

    @property
    def source(self) -> str:
        """Where the waiting workflow runs, for pages, mails and the audit log."""
        return "local run" if self.local else f"target {self.target.name}"

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.now()

    @property
    def current_step(self) -> "ApprovalStep":
        return self.steps.all()[self.step]


class ApprovalStep(models.Model):
    """One step of a request: who may decide it (users and groups; nobody named: any reviewer),
    how many approvals it needs, and until when before it escalates (or expires, with nobody to
    escalate to). Steps decide in order; a request without a chain has one."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80, blank=True, default="")
    users = models.JSONField(default=list, blank=True)  # usernames
    groups = models.JSONField(default=list, blank=True)
    quorum = models.PositiveSmallIntegerField(default=1)
    deadline = models.DateTimeField(null=True, blank=True)
    escalation_groups = models.JSONField(default=list, blank=True)

    class Meta:
        app_label = "executions"
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="approval_step_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or f"step {self.position + 1}"


class DecisionOutcome(models.TextChoices):
    COUNTED = "COUNTED", "Counted toward the quorum"
    TAKEN = "TAKEN", "Taken by the target"
    REFUSED = "REFUSED", "Refused by AWS"
    DENIED = "DENIED", "Refused: approved another step (separation of duties)"
    UNSENT = "UNSENT", "Target unreachable"
    LATE = "LATE", "Someone decided first"
    EXPIRED = "EXPIRED", "Deadline passed: expired"
    CLOSED = "CLOSED", "Closed: the run stopped waiting"


class ApprovalDecision(models.Model):
    """One reviewer's attempt to decide a request, whatever became of it, and the deadline's when
    it expired a request (no user, no username): the audit trail (who, when, what, from which
    address)."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions")
    step = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150, blank=True)  # kept when the user is gone
    approve = models.BooleanField()
    comment = models.TextField(blank=True, default="")
    address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=7, choices=DecisionOutcome.choices)
    error = models.CharField(max_length=128, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "executions"
        ordering = ["at", "id"]
        constraints = [
            # A reviewer approves a step once: a second approval would count one person twice.
            models.UniqueConstraint(
                fields=["request", "step", "username"],
                condition=models.Q(outcome="COUNTED"),
                name="approval_counted_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.username} {'approved' if self.approve else 'rejected'} ({self.outcome})"


class ApprovalWebhook(models.Model):
    """Where a target's approval requests are announced: a JSON POST (request id, title, link,
    state) each time one arrives, moves to a next step, escalates or ends, e.g. for a chat tool;
    signed with its secret (``webhooks``), kept encrypted (symphony/crypto.py), shown once."""

    target = models.OneToOneField(
        "designer.Target", on_delete=models.CASCADE, related_name="approval_webhook"
    )
    url = models.URLField(max_length=2048)
    encrypted_secret = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "executions"

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One announcement to send, tried until the receiver takes it or the tries run out; the
    periodic approvals loop (executions.approvals.clock) retries the ones due."""

    webhook = models.ForeignKey(ApprovalWebhook, on_delete=models.CASCADE, related_name="deliveries")
    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # null: delivered or given up
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "executions"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.payload.get('state')} of request {self.request_id}"
