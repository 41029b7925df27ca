"""The targets settings page under /settings/targets/ (names in the `designer-targets` namespace)."""

from django.urls import path

from designer.deploy import views

app_name = "designer-targets"

urlpatterns = [
    path("", views.target_list, name="list"),
    path("<int:pk>/test", views.target_test, name="test"),
    path("<int:pk>/remove", views.target_remove, name="remove"),
    path("<int:pk>/import", views.target_import, name="import"),
]
