"""What publishing refuses, in the designer's error vocabulary (mapped in ``designer/api/errors.py``)."""

from designer.services import DesignerError, WorkflowFieldError


class TargetFieldError(WorkflowFieldError):
    """A target field is wrong; ``field`` names it so a form shows the message beside it."""


class TargetNotFound(DesignerError):
    def __init__(self, name: str) -> None:
        super().__init__(f"No target named {name!r} in your account.")
        self.name = name


class TargetNameTaken(DesignerError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Your account already has a target named {name!r}.")
        self.name = name


class TargetUnreachable(DesignerError):
    """The target could not be called at all (no credentials, unknown profile, endpoint down)."""


class PublishRefused(DesignerError):
    """Publishing stopped before any call to the target; ``errors`` says where, one entry each
    (``{"field"|"pointer", "state", "message"}``)."""

    def __init__(self, code: str, message: str, errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.errors = code, message, errors or []
