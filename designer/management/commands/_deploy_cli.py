"""What the ``targets`` and ``publish`` commands share: who acts, and a refusal as a CommandError."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from accounts.services import first_admin
from designer.deploy.errors import PublishRefused
from designer.services import DesignerError, WorkflowFieldError


def user_named(username: str | None):
    """The named user, or the first admin when none is named."""
    if not username:
        user = first_admin()
        if user is None:
            raise CommandError("There is no admin yet: name a user (run `manage.py bootstrap` first).")
        return user
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user named {username!r}.")
    return user


def command_error(error: DesignerError) -> CommandError:
    """The refusal with the field (or definition place) each part of it concerns."""
    if isinstance(error, WorkflowFieldError):
        return CommandError(f"{error.field}: {error.message}")
    if isinstance(error, PublishRefused) and error.errors:
        lines = [error.message]
        for entry in error.errors:
            where = entry.get("pointer") or entry.get("field") or ""
            state = f" (state {entry['state']})" if entry.get("state") else ""
            lines.append(f"  {where}{state}: {entry['message']}")
        return CommandError("\n".join(lines))
    return CommandError(str(error))
