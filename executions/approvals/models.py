"""Approval requests from targets (workflows running in AWS) and the per-target API tokens that
make them. Registered with the executions app (imported by ``executions.models``); rows are written
only by the modules of ``executions.approvals``."""

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


class ApprovalRequest(models.Model):
    """A ``.waitForTaskToken`` step of a workflow running in a target, waiting for a person.

    The task token is a bearer credential for the execution: kept encrypted (symphony/crypto.py),
    found by its SHA-256 (the idempotency key), never shown in a page, a URL or a log."""

    target = models.ForeignKey("designer.Target", on_delete=models.CASCADE, related_name="approval_requests")
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
    approver_users = models.JSONField(default=list, blank=True)  # usernames; empty: any reviewer
    approver_groups = models.JSONField(default=list, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
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
            models.UniqueConstraint(fields=["target", "token_sha256"], name="approval_request_once_per_token")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.now()


class DecisionOutcome(models.TextChoices):
    TAKEN = "TAKEN", "Taken by the target"
    REFUSED = "REFUSED", "Refused by AWS"
    UNSENT = "UNSENT", "Target unreachable"
    LATE = "LATE", "Someone decided first"


class ApprovalDecision(models.Model):
    """One reviewer's attempt to decide a request, whatever became of it: the audit trail (who,
    when, what, from which address)."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150)  # kept when the user is gone
    approve = models.BooleanField()
    comment = models.TextField(blank=True, default="")
    address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=7, choices=DecisionOutcome.choices)
    error = models.CharField(max_length=128, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "executions"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.username} {'approved' if self.approve else 'rejected'} ({self.outcome})"
