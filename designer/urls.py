"""The designer's pages under /workflows/ (names in the `designer` namespace)."""

from django.urls import path, re_path

from designer import views
from designer.deploy import views as deploy_views

app_name = "designer"

urlpatterns = [
    path("", views.workflow_list, name="workflow-list"),
    path("new", views.workflow_create, name="workflow-create"),
    path("import", views.workflow_import, name="workflow-import"),
    path("<int:pk>/", views.workflow_detail, name="workflow"),
    path("<int:pk>/settings", views.workflow_settings, name="workflow-settings"),
    path("<int:pk>/delete/", views.workflow_delete, name="workflow-delete"),
    path("<int:pk>/versions/", views.version_create, name="version-create"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/deploy/", deploy_views.deploy, name="workflow-deploy"),
    path("<int:pk>/deploy/drift/check", deploy_views.drift_check, name="drift-check-all"),
    path("<int:pk>/deploy/drift/<int:target_id>/check", deploy_views.drift_check, name="drift-check"),
    path("<int:pk>/deploy/rollback", deploy_views.deploy_rollback, name="deploy-rollback"),
    path("<int:pk>/deploy/<int:deployment_id>/retry", deploy_views.deployment_retry, name="deployment-retry"),
    re_path(
        r"^(?P<pk>[0-9]+)/deploy/(?P<deployment_id>[0-9]+)/rollout/(?P<decision>promote|rollback)$",
        deploy_views.rollout_decide,
        name="rollout-decide",
    ),
]
