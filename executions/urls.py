from django.urls import path

from executions import approval_inbox, function_pages, local_aws_pages, views
from executions.approvals import views as approval_views

app_name = "executions"

urlpatterns = [
    path("", views.execution_list, name="execution-list"),
    path("<int:pk>/", views.execution_detail, name="execution-detail"),
    path("<int:pk>/stop/", views.execution_stop, name="execution-stop"),
    path("<int:pk>/redrive/", views.execution_redrive, name="execution-redrive"),
    path("<int:pk>/tasks/", views.execution_tasks, name="execution-tasks"),
    path("<int:pk>/logs/", views.execution_logs, name="execution-logs"),
    path("tasks/<int:pk>/", views.task_approval, name="task-approval"),
    path("run/<int:version_id>/", views.run_version, name="run-version"),
    path("approvals/", approval_inbox.approval_inbox, name="approval-inbox"),
    path("approvals/count/", approval_inbox.approval_count, name="approval-count"),
    path("approvals/<int:pk>/", approval_views.approval_request, name="approval-request"),
    path("approvals/audit.csv", approval_views.approval_audit, name="approval-audit"),
    path("approvals/targets/<int:pk>/tokens/", approval_views.approval_tokens, name="approval-tokens"),
    path("functions/", function_pages.function_list, name="function-list"),
    path("local-aws/", local_aws_pages.local_aws, name="local-aws"),
    # Outside functions/<name>/: any name Lambda allows (even "new") stays a function's page.
    path("new-function/", function_pages.function_create, name="function-create"),
    path("test-function/", function_pages.function_test, name="function-test"),
    path("functions/<str:name>/", function_pages.function_detail, name="function-detail"),
    path("functions/<str:name>/delete/", function_pages.function_delete, name="function-delete"),
    path("settings/access-keys/", views.access_keys, name="access-keys"),
    path(
        "settings/access-keys/<str:access_key_id>/revoke/", views.access_key_revoke, name="access-key-revoke"
    ),
]
