from rest_framework import serializers

from executions.models import LocalFunction


class LocalFunctionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalFunction
        fields = [
            "id",
            "name",
            "code",
            "handler",
            "timeout_seconds",
            "memory_mb",
            "environment",
            "network_access",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness is the service's to decide (409), not the serializer's (400).
        extra_kwargs = {"name": {"validators": []}, "code": {"trim_whitespace": False}}
