"""Admin pages for looking at the store. Changes go through the app (services); versions are read-only."""

from django.contrib import admin

from designer.models import Draft, Version, Workflow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DraftInline(admin.StackedInline):
    model = Draft
    can_delete = False
    readonly_fields = ["definition", "format", "layout", "revision", "updated_at", "updated_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Workflow)
class WorkflowAdmin(ReadOnlyAdmin):
    list_display = ["name", "type", "owner", "visibility", "updated_at"]
    list_filter = ["type", "visibility"]
    search_fields = ["name", "description", "owner__username"]
    inlines = [DraftInline]


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["workflow", "number", "message", "author", "created_at", "sha256"]
    search_fields = ["workflow__name", "message"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
