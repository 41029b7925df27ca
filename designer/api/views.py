"""REST API views: parse the request, call one service, shape the answer (STYLE.md section 2)."""

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer import services
from designer.api import errors
from designer.api.filters import Pagination, WorkflowFilter
from designer.api.parsers import JSONParser
from designer.api.serializers import (
    EXPORT_FORMATS,
    DraftSerializer,
    DraftWriteSerializer,
    ErrorSerializer,
    ImportSerializer,
    TestInputSerializer,
    TestInputWriteSerializer,
    ValidateRequestSerializer,
    ValidateResponseSerializer,
    VersionCreateSerializer,
    VersionSerializer,
    VersionSummarySerializer,
    WorkflowCreateSerializer,
    WorkflowSerializer,
    WorkflowUpdateSerializer,
)
from designer.models import Draft, Workflow

ERROR = OpenApiResponse(ErrorSerializer, description="`{code, message, errors: [{field|pointer, message}]}`")
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The draft revision the change is based on, as its ETag (`"3"`), or `revision` in the body.',
)
MEDIA_TYPES = {"json": "application/json", "yaml": "application/yaml"}
MAX_NUMBER_DIGITS = 18  # a revision or version number (a bigint)


class DesignerAPIMixin:
    """Token first, so an anonymous request gets 401 with `WWW-Authenticate: Token`; our error bodies."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_exception_handler(self):
        return errors.exception_handler


def draft_response(draft: Draft, http_status: int = status.HTTP_200_OK) -> Response:
    return Response(DraftSerializer(draft).data, status=http_status, headers={"ETag": f'"{draft.revision}"'})


def expected_revision(request: Request, body_revision: int | None) -> int | None:
    """The revision from If-Match (`"3"`, `W/"3"` or `3`), else from the body; None when neither is sent."""
    header = request.headers.get("If-Match")
    if header is None:
        return body_revision
    value = header.strip().removeprefix("W/").strip('"')
    # ASCII digits, no more than a revision can have: int() refuses 4,300 digits (a 500).
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_NUMBER_DIGITS):
        raise serializers.ValidationError(
            {"If-Match": f'{header!r} is not a draft revision; send its ETag, e.g. If-Match: "3".'}
        )
    return int(value)


@extend_schema_view(
    list=extend_schema(summary="Workflows you can see", responses={200: WorkflowSerializer(many=True)}),
    retrieve=extend_schema(summary="One workflow", responses={200: WorkflowSerializer, 404: ERROR}),
)
class WorkflowViewSet(
    DesignerAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = WorkflowSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = WorkflowFilter
    ordering_fields = ["name", "created_at", "updated_at", "type"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Workflow.objects.visible_to(self.request.user)
            .select_related("owner", "draft")
            .annotate(version_count=Count("versions"))
            .order_by("-updated_at", "-id")
        )

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # `?format=yaml` on export names the definition's format, not DRF's renderer.
        if getattr(self, "action", None) == "export":
            return (JSONRenderer(), JSONRenderer.media_type)
        return super().perform_content_negotiation(request, force)

    def _refetch(self, workflow: Workflow) -> Workflow:
        return self.get_queryset().get(pk=workflow.pk)

    @extend_schema(
        summary="Create a workflow",
        request=WorkflowCreateSerializer,
        responses={201: WorkflowSerializer, 400: ERROR, 409: ERROR, 413: ERROR},
    )
    def create(self, request: Request) -> Response:
        params = WorkflowCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        workflow = services.create_workflow(request.user, **params.validated_data)
        return Response(WorkflowSerializer(self._refetch(workflow)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change name, description, type, tags or visibility",
        request=WorkflowUpdateSerializer,
        responses={200: WorkflowSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        workflow = self.get_object()
        params = WorkflowUpdateSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        services.update_workflow(workflow, request.user, **params.validated_data)
        return Response(WorkflowSerializer(self._refetch(workflow)).data)

    @extend_schema(
        summary="Delete a workflow and its versions", responses={204: None, 403: ERROR, 404: ERROR}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_workflow(self.get_object(), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        summary="The draft: definition text as written, layout, revision (also in ETag)",
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag you hold: 304 while the draft is still at that revision.",
            )
        ],
        responses={200: DraftSerializer, 304: None, 404: ERROR},
    )
    @extend_schema(
        methods=["PUT"],
        summary="Save the draft if it is still at the revision in If-Match",
        parameters=[IF_MATCH],
        request=DraftWriteSerializer,
        responses={200: DraftSerializer, 400: ERROR, 403: ERROR, 409: ERROR, 413: ERROR, 428: ERROR},
    )
    @action(detail=True, methods=["get", "put"])
    def draft(self, request: Request, pk: str) -> Response:
        workflow = self.get_object()
        if request.method == "GET":
            etag = f'"{workflow.draft.revision}"'
            if etag in (
                tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")
            ):
                return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
            return draft_response(workflow.draft)
        params = DraftWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        draft = services.save_draft(
            workflow,
            request.user,
            expected_revision=expected_revision(request, params.validated_data.get("revision")),
            definition=params.validated_data.get("definition"),
            layout=params.validated_data.get("layout"),
        )
        return draft_response(draft)

    @extend_schema(
        methods=["GET"],
        summary="Versions, newest first",
        responses={200: VersionSummarySerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Snapshot the draft as the next version (refused while it has errors)",
        parameters=[IF_MATCH],
        request=VersionCreateSerializer,
        responses={201: VersionSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    @action(detail=True, methods=["get", "post"])
    def versions(self, request: Request, pk: str) -> Response:
        workflow = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(workflow.versions.select_related("author"))
            return self.get_paginated_response(VersionSummarySerializer(page, many=True).data)
        params = VersionCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        version = services.create_version(
            workflow,
            request.user,
            message=params.validated_data["message"],
            expected_revision=expected_revision(request, params.validated_data.get("revision")),
        )
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="One version, with its definition text", responses={200: VersionSerializer, 404: ERROR}
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)", url_name="version")
    def version(self, request: Request, pk: str, number: str) -> Response:
        if len(number) > MAX_NUMBER_DIGITS:
            raise Http404
        version = get_object_or_404(self.get_object().versions.select_related("author"), number=int(number))
        return Response(VersionSerializer(version).data)

    @extend_schema(
        methods=["GET"],
        summary="Named test inputs for runs, by name",
        responses={200: TestInputSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Keep a named test input (JSON text)",
        request=TestInputWriteSerializer,
        responses={201: TestInputSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    @action(detail=True, methods=["get", "post"], url_path="test-inputs", url_name="test-inputs")
    def test_inputs(self, request: Request, pk: str) -> Response:
        workflow = self.get_object()
        if request.method == "GET":
            rows = workflow.test_inputs.select_related("updated_by")
            return Response(TestInputSerializer(rows, many=True).data)
        params = TestInputWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        test_input = services.save_test_input(workflow, request.user, **params.validated_data)
        return Response(TestInputSerializer(test_input).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PUT"],
        summary="Change a test input's name or text",
        request=TestInputWriteSerializer,
        responses={200: TestInputSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    @extend_schema(methods=["DELETE"], summary="Forget a test input", responses={204: None, 403: ERROR})
    @action(
        detail=True,
        methods=["put", "delete"],
        url_path=r"test-inputs/(?P<input_id>[0-9]+)",
        url_name="test-input",
    )
    def test_input(self, request: Request, pk: str, input_id: str) -> Response:
        test_input = get_object_or_404(self.get_object().test_inputs, pk=int(input_id))
        if request.method == "DELETE":
            services.delete_test_input(test_input, request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        params = TestInputWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        test_input = services.save_test_input(
            test_input.workflow, request.user, test_input=test_input, **params.validated_data
        )
        return Response(TestInputSerializer(test_input).data)

    @extend_schema(
        summary="The definition as a file: exact text, or converted with ?format=json|yaml",
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=EXPORT_FORMATS, description="Default: as stored."
            ),
            OpenApiParameter(
                "version", OpenApiTypes.INT, description="A version number; default: the draft."
            ),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.STR, 400: ERROR, 404: ERROR},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> HttpResponse:
        workflow = self.get_object()
        fmt = request.query_params.get("format") or None
        if fmt is not None and fmt not in EXPORT_FORMATS:
            raise serializers.ValidationError(
                {"format": f"{fmt!r} is not one of {', '.join(EXPORT_FORMATS)}."}
            )
        number = request.query_params.get("version")
        if number is None:
            source = workflow.draft
        elif number.isascii() and number.isdigit() and len(number) <= MAX_NUMBER_DIGITS:
            source = get_object_or_404(workflow.versions, number=int(number))
        else:
            raise serializers.ValidationError({"version": f"{number!r} is not a version number."})
        text = services.export_definition(source.definition, fmt)
        fmt = fmt or source.format
        suffix = f"-v{number}" if number else ""
        response = HttpResponse(text, content_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{workflow.name}{suffix}.asl.{fmt}"'
        return response

    @extend_schema(
        summary="Create a workflow from a JSON/YAML file (multipart) or text, stored byte for byte",
        request={"multipart/form-data": ImportSerializer, "application/json": ImportSerializer},
        responses={201: WorkflowSerializer, 400: ERROR, 409: ERROR, 413: ERROR},
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_(self, request: Request) -> Response:
        params = ImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        upload = data.pop("file", None)
        filename = None
        if upload is not None:
            filename = upload.name
            data["definition"] = services.read_definition_file(upload)
        workflow = services.import_workflow(
            request.user,
            text=data.pop("definition"),
            filename=filename,
            **data,
        )
        return Response(WorkflowSerializer(self._refetch(workflow)).data, status=status.HTTP_201_CREATED)


class TokenView(DesignerAPIMixin, ObtainAuthToken):
    """POST username and password, get the token for `Authorization: Token <key>`."""


class ValidateView(DesignerAPIMixin, APIView):
    @extend_schema(
        summary="Validate a definition text (JSON or YAML); diagnostics with code, pointer, line, column",
        request=ValidateRequestSerializer,
        responses={200: ValidateResponseSerializer, 400: ERROR, 413: ERROR},
    )
    def post(self, request: Request) -> Response:
        params = ValidateRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        text = params.validated_data["definition"]
        size = len(text.encode("utf-8"))
        if size > settings.MAX_DEFINITION_BYTES:
            raise services.DefinitionTooLarge(size, settings.MAX_DEFINITION_BYTES)
        diagnostics = services.validate_definition(text, params.validated_data["type"])
        result = "FAIL" if services.has_errors(diagnostics) else "OK"
        return Response({"result": result, "diagnostics": [d.to_dict() for d in diagnostics]})
