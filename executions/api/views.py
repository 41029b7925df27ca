"""REST API of the runner: local functions (``/api/functions/``). Thin: the serializer checks
shapes, ``executions.services`` decides and writes."""

from django.http import Http404
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from designer.api.errors import error_body
from executions.api.serializers import LocalFunctionSerializer
from executions.exceptions import ConflictException, StepFunctionsError
from executions.models import LocalFunction
from executions.services import functions
from executions.services.functions import FUNCTION_NAME_RE


def _error(exc: StepFunctionsError) -> Response:
    code = status.HTTP_409_CONFLICT if isinstance(exc, ConflictException) else status.HTTP_400_BAD_REQUEST
    return Response(error_body(exc.code, exc.message), status=code)


class LocalFunctionViewSet(viewsets.ModelViewSet):
    """Python ``handler(event, context)`` functions that Task states call by name. Reading needs
    a login; writing needs the model permissions (given to admins, or on the admin page)."""

    queryset = LocalFunction.objects.all()
    serializer_class = LocalFunctionSerializer
    permission_classes = [permissions.DjangoModelPermissions]
    lookup_field = "name"

    def get_object(self) -> LocalFunction:
        # Only a name a function can have reaches the query (a NUL is a DataError on PostgreSQL).
        if not FUNCTION_NAME_RE.match(self.kwargs["name"]):
            raise Http404
        return super().get_object()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            function = functions.save_local_function(**serializer.validated_data)
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
            **serializer.validated_data,
        }
        try:
            function = functions.save_local_function(function=function, **fields)
        except StepFunctionsError as exc:
            return _error(exc)
        return Response(self.get_serializer(function).data)

    def perform_destroy(self, instance: LocalFunction) -> None:
        functions.delete_local_function(instance)
