from rest_framework.routers import SimpleRouter

from executions.api.views import LocalFunctionViewSet

app_name = "executions-api"

router = SimpleRouter()
router.register("", LocalFunctionViewSet, basename="function")

urlpatterns = router.urls
