from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from executions.api.runs import StateLastInputView, WorkflowRunsView
from executions.api.views import TestStateView
from executions.approvals import reviewer_api
from executions.approvals.api import ApprovalRequestView
from executions.sfn_api.protocol import endpoint as sfn_endpoint

urlpatterns = [
    path("", RedirectView.as_view(url="/workflows/", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workflows/", include("designer.urls")),
    path("settings/targets/", include("designer.deploy.urls")),
    path("api/functions/", include("executions.api.urls")),
    path("api/test-state/", TestStateView.as_view(), name="test-state"),
    path("api/workflows/<int:pk>/runs/", WorkflowRunsView.as_view(), name="workflow-runs"),
    path("api/workflows/<int:pk>/runs/last-input/", StateLastInputView.as_view(), name="state-last-input"),
    path("api/approvals/", ApprovalRequestView.as_view(), name="approvals-api"),
    path("api/approvals/requests/", reviewer_api.ReviewListView.as_view(), name="approvals-reviews"),
    path("api/approvals/requests/<int:pk>/", reviewer_api.ReviewView.as_view(), name="approvals-review"),
    path(
        "api/approvals/requests/<int:pk>/decision/",
        reviewer_api.DecisionView.as_view(),
        name="approvals-decision",
    ),
    path("api/", include("designer.api.urls")),
    re_path(r"^aws/states/?$", sfn_endpoint, name="sfn-endpoint"),
    path("executions/", include("executions.urls")),
]
