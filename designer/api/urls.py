"""The REST API under /api/ (names in the `api` namespace)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from designer.api.deployments import (
    DeploymentRetryView,
    DeploymentView,
    DriftMarksView,
    DriftView,
    IacView,
    RollbackView,
    RolloutActionView,
    WorkflowDeploymentsView,
)
from designer.api.integrations import IntegrationParametersView
from designer.api.targets import TargetViewSet
from designer.api.views import TokenView, ValidateView, WorkflowViewSet

app_name = "api"

router = SimpleRouter()
router.register("workflows", WorkflowViewSet, basename="workflow")
router.register("targets", TargetViewSet, basename="target")

urlpatterns = [
    *router.urls,
    path("workflows/<int:pk>/deployments/", WorkflowDeploymentsView.as_view(), name="workflow-deployments"),
    path("workflows/<int:pk>/rollback/", RollbackView.as_view(), name="workflow-rollback"),
    path("workflows/<int:pk>/drift/", DriftView.as_view(), name="workflow-drift"),
    path("workflows/<int:pk>/drift-marks/", DriftMarksView.as_view(), name="workflow-drift-marks"),
    path("workflows/<int:pk>/iac/", IacView.as_view(), name="workflow-iac"),
    path("deployments/<int:pk>/", DeploymentView.as_view(), name="deployment"),
    path("deployments/<int:pk>/retry/", DeploymentRetryView.as_view(), name="deployment-retry"),
    re_path(
        r"^deployments/(?P<pk>[0-9]+)/rollout/(?P<decision>promote|rollback)/$",
        RolloutActionView.as_view(),
        name="deployment-rollout",
    ),
    re_path(r"^validate/?$", ValidateView.as_view(), name="validate"),
    path("integrations/parameters/", IntegrationParametersView.as_view(), name="integration-parameters"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
