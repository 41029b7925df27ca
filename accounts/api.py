"""The permission check as a REST framework permission: a view names the action its reads and
its writes need (``read_action``, ``write_action``)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.permissions import Action, allowed


class ActionAllowed(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 to anonymous callers when authentication is possible
        action = getattr(view, "read_action", Action.READ)
        if request.method not in SAFE_METHODS:
            action = view.write_action
        return allowed(request.user, action)
