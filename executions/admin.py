from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from executions.models import (
    AccessKey,
    Activity,
    ApprovalDecision,
    ApprovalRequest,
    ApprovalStep,
    ApprovalToken,
    Execution,
    ExecutionStatus,
    FunctionLog,
    HistoryEvent,
    LocalFunction,
    Runner,
    StateMachine,
    StateMachineAlias,
    StateMachineVersion,
    TaskToken,
)


@admin.register(StateMachine)
class StateMachineAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "arn", "created_at"]
    search_fields = ["name", "arn"]
    list_filter = ["type"]


@admin.register(StateMachineVersion)
class StateMachineVersionAdmin(admin.ModelAdmin):
    list_display = ["arn", "number", "created_at"]
    search_fields = ["arn"]


@admin.register(StateMachineAlias)
class StateMachineAliasAdmin(admin.ModelAdmin):
    list_display = ["arn", "name", "updated_at"]
    search_fields = ["arn"]


class HistoryEventInline(admin.TabularInline):
    model = HistoryEvent
    fields = ["event_id", "previous_event_id", "type", "timestamp"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Execution)
class ExecutionAdmin(admin.ModelAdmin):
    list_display = ["name", "state_machine_name", "status", "started_at", "stopped_at", "lease_owner"]
    list_filter = ["status", "type"]
    search_fields = ["arn", "name", "state_machine_name"]
    readonly_fields = ["checkpoint", "last_event_id", "lease_owner"]
    inlines = [HistoryEventInline]


@admin.register(Runner)
class RunnerAdmin(admin.ModelAdmin):
    """The processes that run executions, as their heartbeats say. Read only: a runner's row is
    its hold on its executions; deleted under a live runner, they would be nobody's to take
    over (a dead runner's row goes once it holds nothing)."""

    list_display = ["owner", "alive", "holding", "started_at", "expires_at"]
    ordering = ["-expires_at"]

    def get_queryset(self, request):
        running = Q(status=ExecutionStatus.RUNNING, map_run__isnull=True)
        held = Execution.objects.filter(running, lease_owner=models.OuterRef("owner"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                holding=models.Subquery(
                    held.order_by().values("lease_owner").annotate(n=Count("pk")).values("n")[:1]
                )
            )
        )

    @admin.display(boolean=True)
    def alive(self, runner: Runner) -> bool:
        return runner.expires_at > timezone.now()

    @admin.display(description="executions held")
    def holding(self, runner: Runner) -> int:
        return runner.holding or 0

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TaskToken)
class TaskTokenAdmin(admin.ModelAdmin):
    list_display = ["state_name", "execution", "status", "activity", "created_at"]
    list_filter = ["status"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "arn", "created_at"]


@admin.register(LocalFunction)
class LocalFunctionAdmin(admin.ModelAdmin):
    list_display = ["name", "handler", "timeout_seconds", "memory_mb", "updated_at"]


@admin.register(AccessKey)
class AccessKeyAdmin(admin.ModelAdmin):
    list_display = ["access_key_id", "user", "created_at", "revoked_at", "last_used_at"]
    exclude = ["encrypted_secret_access_key"]


@admin.register(FunctionLog)
class FunctionLogAdmin(admin.ModelAdmin):
    list_display = ["function_name", "execution", "started_at", "duration_ms", "error_type"]
    list_filter = ["function_name", "error_type"]


class ApprovalDecisionInline(admin.TabularInline):
    model = ApprovalDecision
    fields = ["at", "step", "username", "approve", "comment", "address", "outcome", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    fields = ["position", "name", "users", "groups", "quorum", "deadline", "escalation_groups"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    inlines = [ApprovalStepInline, ApprovalDecisionInline]
    list_display = ["title", "target", "status", "decided_by", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    # The task token is a credential for the execution: never shown, even encrypted.
    exclude = ["encrypted_task_token", "token_sha256", "request_sha256"]
    readonly_fields = ["target", "account", "execution_arn", "decided_by", "decided_at", "answer_error"]


@admin.register(ApprovalToken)
class ApprovalTokenAdmin(admin.ModelAdmin):
    list_display = ["key_id", "target", "description", "created_at", "revoked_at", "last_used_at"]
    exclude = ["secret_sha256"]
    readonly_fields = ["key_id", "target", "created_by"]
