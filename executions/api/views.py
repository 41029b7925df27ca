"""REST API of the runner: local functions (``/api/functions/``) and the editor's TestState
(``/api/test-state/``). Thin: the serializer checks shapes, ``executions.services`` decides and
writes, ``executions.teststate`` runs a state."""

from asgiref.sync import async_to_sync
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import ActionAllowed
from accounts.permissions import Action
from accounts.services import account_id_for
from designer.api.errors import error_body
from executions import functions as executions_functions
from executions import teststate
from executions.api.serializers import LocalFunctionSerializer
from executions.exceptions import ConflictException, StepFunctionsError
from executions.models import LocalFunction
from executions.services import functions
from executions.services.functions import FUNCTION_NAME_RE


def _error(exc: StepFunctionsError) -> Response:
    code = status.HTTP_409_CONFLICT if isinstance(exc, ConflictException) else status.HTTP_400_BAD_REQUEST
    return Response(error_body(exc.code, exc.message), status=code)


class LocalFunctionViewSet(viewsets.ModelViewSet):
    """Python ``handler(event, context)`` functions that Task states call by name: those of the
    caller's account. Reading is the read permission's (viewers and up), as on the pages; writing
    is the authors' (a trust boundary: the code runs on this server, sandboxed)."""

    serializer_class = LocalFunctionSerializer
    permission_classes = [ActionAllowed]
    read_action = Action.READ
    write_action = Action.WRITE_FUNCTIONS
    lookup_field = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema has no caller
            return LocalFunction.objects.none()
        return LocalFunction.objects.filter(account_id=account_id_for(self.request.user))

    def get_object(self) -> LocalFunction:
        # Only a name a function can have reaches the query (a NUL is a DataError on PostgreSQL).
        if not FUNCTION_NAME_RE.match(self.kwargs["name"]):
            raise Http404
        return super().get_object()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            function = functions.save_local_function(
                account=account_id_for(request.user), **serializer.validated_data
            )
        except StepFunctionsError as exc:
            return _error(exc)
        return Response(self.get_serializer(function).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        function = self.get_object()
        serializer = self.get_serializer(function, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        fields = {
            "name": function.name,
            "code": function.code,
            "handler": function.handler,
            "timeout_seconds": function.timeout_seconds,
            "memory_mb": function.memory_mb,
            "environment": function.environment,
            "network_access": function.network_access,
            **serializer.validated_data,
        }
        try:
            function = functions.save_local_function(account=function.account_id, function=function, **fields)
        except StepFunctionsError as exc:
            return _error(exc)
        return Response(self.get_serializer(function).data)

    def perform_destroy(self, instance: LocalFunction) -> None:
        functions.delete_local_function(instance)


class TestStateView(APIView):
    """``POST /api/test-state/``: the editor's "Test this state", the same TestState service the
    Step Functions endpoint answers (members as TestState's: ``definition``, ``stateName``,
    ``input``, ``variables``, ``context``, ``mock``, ``inspectionLevel``), answered in its shape."""

    # Testing a state runs its Task (a local function, an HTTP call): as TestState on the
    # endpoint, the run permission, in the caller's account.
    permission_classes = [ActionAllowed]
    write_action = Action.RUN

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            message = "A JSON object is expected"
            return Response({"code": "ValidationException", "message": message}, status=400)
        params = {"inspectionLevel": "DEBUG", **request.data}
        try:
            account = account_id_for(request.user)
            answer = async_to_sync(teststate.test_state)(
                params, executions_functions.resources(account), account=account
            )
        except StepFunctionsError as exc:
            return _error(exc)
        return Response(answer)
