"""GET /api/integrations/parameters/?resource=<Task Resource ARN>: the AWS API parameters that
Resource takes (designer.integration_parameters), for the inspector's form."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import ActionAllowed
from accounts.permissions import Action
from designer import integration_parameters
from designer.api.views import ERROR, DesignerAPIMixin


class IntegrationParametersView(DesignerAPIMixin, APIView):
    permission_classes = [ActionAllowed]
    read_action = Action.READ

    @extend_schema(
        summary="The parameters of the AWS API a Task Resource calls (botocore's service model)",
        parameters=[OpenApiParameter("resource", OpenApiTypes.STR, required=True)],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR},
    )
    def get(self, request: Request) -> Response:
        resource = request.query_params.get("resource", "")
        try:
            return Response(integration_parameters.parameters_for(resource))
        except integration_parameters.UnknownIntegration as error:
            raise serializers.ValidationError({"resource": str(error)}) from None
