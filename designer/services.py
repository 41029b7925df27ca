"""Every write to the workflow store, and the permission checks that guard it (STYLE.md section 2).

Views, API views and management commands call these functions; none of them calls `.save()` on a
designer model. Each function raises a `DesignerError` subclass for a request it refuses; the API maps
them to error codes in `designer/api/errors.py`, the pages show their message.
"""

import json
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.permissions import Action, allowed
from designer import asl, formats
from designer.asl import Diagnostic
from designer.formats import Format
from designer.models import (
    WORKFLOW_NAME_MAX_LENGTH,
    Draft,
    TestInput,
    Version,
    Visibility,
    Workflow,
    WorkflowType,
    workflow_name_validator,
)
from symphony.storable import depth, unstorable_at

NEW_WORKFLOW_DEFINITION = """{
  "Comment": "A new workflow",
  "StartAt": "Hello",
  "States": {
    "Hello": {
      "Type": "Pass",
      "End": true
    }
  }
}
"""

MAX_TAGS = 50
MAX_LAYOUT_DEPTH = 32
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 256


class DesignerError(Exception):
    """A request the workflow store refuses; `str()` is a message a person can act on."""


class WorkflowFieldError(DesignerError):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


class WorkflowNameTaken(DesignerError):
    def __init__(self, name: str) -> None:
        super().__init__(f"You already have a workflow named {name!r}.")
        self.name = name


class DefinitionTooLarge(DesignerError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The definition is {size:,} bytes; the limit is {limit:,} bytes (1 MiB, as in AWS)."
        )
        self.size, self.limit = size, limit


class DefinitionEmpty(DesignerError):
    def __init__(self) -> None:
        super().__init__("The definition is empty.")


class DefinitionNotText(DesignerError):
    def __init__(self, position: int) -> None:
        super().__init__(f"The file is not UTF-8 text (byte {position} is not).")
        self.position = position


class DefinitionMalformed(DesignerError):
    """The text is not JSON/YAML at all; `diagnostic` (from `designer.asl.parse`) says where."""

    def __init__(self, diagnostic: Diagnostic, format: Format) -> None:
        message = diagnostic.message.split("\n")[0]
        where = f" (line {diagnostic.line}, column {diagnostic.column})" if diagnostic.line else ""
        super().__init__(f"The definition is not well-formed {format.upper()}: {message}{where}")
        self.diagnostic, self.format = diagnostic, format


class DefinitionInvalid(DesignerError):
    def __init__(self, diagnostics: list["Diagnostic"]) -> None:
        errors = [d for d in diagnostics if d.is_error]
        super().__init__(f"The definition has {len(errors)} error(s); fix them before taking a version.")
        self.diagnostics = diagnostics


class RevisionRequired(DesignerError):
    def __init__(self, current: int) -> None:
        super().__init__(
            f'Say which draft revision your change is based on (If-Match: "{current}" for the current one).'
        )
        self.current = current


class StaleRevision(DesignerError):
    def __init__(self, expected: int, current: int) -> None:
        super().__init__(
            f"The draft changed since revision {expected}; it is now at revision {current}. "
            "Nothing was saved: reload the draft, reapply your change and save again."
        )
        self.expected, self.current = expected, current


class NotAllowed(DesignerError):
    pass


# -- permissions ---------------------------------------------------------------------------------


# The role part is the one check every surface asks (``accounts.permissions``); ownership and
# visibility, which only workflows have, are decided here.


def can_create(user) -> bool:
    return allowed(user, Action.EDIT_WORKFLOWS)


def can_edit(user, workflow: Workflow) -> bool:
    """Change the draft and metadata, take versions: the owner or, on a shared workflow, any author."""
    if not allowed(user, Action.EDIT_WORKFLOWS):
        return False
    return user.is_superuser or workflow.owner_id == user.pk or workflow.visibility == Visibility.SHARED


def can_run(user, workflow: Workflow) -> bool:
    """Start an execution of the workflow (its draft or a version), keep its test inputs: who may
    start executions (authors) and may edit this workflow (the owner, or anyone on a shared one)."""
    if not allowed(user, Action.RUN):
        return False
    return user.is_superuser or workflow.owner_id == user.pk or workflow.visibility == Visibility.SHARED


def can_delete(user, workflow: Workflow) -> bool:
    return allowed(user, Action.EDIT_WORKFLOWS) and (user.is_superuser or workflow.owner_id == user.pk)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


# -- definition text -----------------------------------------------------------------------------


def check_definition_text(text: str) -> Format:
    """The text's format, once it is known to be non-empty, within 1 MiB and well-formed JSON/YAML."""
    size = len(text.encode("utf-8"))
    if size > settings.MAX_DEFINITION_BYTES:
        raise DefinitionTooLarge(size, settings.MAX_DEFINITION_BYTES)
    if not text.strip():
        raise DefinitionEmpty()
    fmt = formats.detect_format(text)
    try:
        asl.parse(text, format=fmt)
    except asl.ParseError as error:
        raise DefinitionMalformed(error.diagnostic, fmt) from error
    return fmt


def read_definition_file(upload) -> str:
    """An uploaded file's text; refused over 1 MiB before it is read, or when it is not UTF-8."""
    if upload.size > settings.MAX_DEFINITION_BYTES:
        raise DefinitionTooLarge(upload.size, settings.MAX_DEFINITION_BYTES)
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise DefinitionNotText(error.start) from error


def validate_definition(text: str, workflow_type: str = WorkflowType.STANDARD) -> list[Diagnostic]:
    """Every diagnostic for a definition text, from the ASL core: the one call site of asl.validate."""
    return asl.validate(text, type=workflow_type, format=formats.detect_format(text))


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def export_definition(text: str, fmt: Format | None) -> str:
    """The text as stored, or converted when the other format is asked for."""
    if fmt is None:
        return text
    try:
        return formats.convert(text, fmt)
    except asl.ParseError as error:
        raise DefinitionMalformed(error.diagnostic, formats.detect_format(text)) from error


# -- workflow fields -----------------------------------------------------------------------------


def _clean_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise WorkflowFieldError("name", "STATE_MACHINE_NAME_EMPTY", "A workflow needs a name.")
    if len(name) > WORKFLOW_NAME_MAX_LENGTH:
        raise WorkflowFieldError(
            "name",
            "STATE_MACHINE_NAME_TOO_LONG",
            f"The name is {len(name)} characters long; the limit is {WORKFLOW_NAME_MAX_LENGTH}.",
        )
    if not workflow_name_validator.regex.match(name):
        raise WorkflowFieldError("name", "STATE_MACHINE_NAME_INVALID", workflow_name_validator.message)
    return name


def _clean_tags(tags: Any) -> dict[str, str]:
    if tags is None:
        return {}
    if not isinstance(tags, dict):
        raise WorkflowFieldError("tags", "INVALID_TAGS", "Tags are an object of key: value strings.")
    if len(tags) > MAX_TAGS:
        raise WorkflowFieldError("tags", "INVALID_TAGS", f"At most {MAX_TAGS} tags.")
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= MAX_TAG_KEY_LENGTH:
            raise WorkflowFieldError(
                "tags", "INVALID_TAGS", f"Tag key {key!r} must be 1-{MAX_TAG_KEY_LENGTH} characters."
            )
        if key.lower().startswith("aws:"):
            raise WorkflowFieldError("tags", "INVALID_TAGS", f"Tag key {key!r}: the aws: prefix is reserved.")
        if not isinstance(value, str) or len(value) > MAX_TAG_VALUE_LENGTH:
            raise WorkflowFieldError(
                "tags",
                "INVALID_TAGS",
                f"Tag {key!r}: the value must be a string of 0-{MAX_TAG_VALUE_LENGTH}.",
            )
    if found := unstorable_at(tags):
        raise WorkflowFieldError("tags", "INVALID_TAGS", f"Tag {found[0]!r} contains {found[1]}.")
    return dict(tags)


def _clean_choice(field: str, value: Any, choices: type) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise WorkflowFieldError(field, f"INVALID_{field.upper()}", f"{value!r} is not one of {allowed}.")
    return value


def _clean_description(description: Any) -> str:
    if not isinstance(description, str):
        raise WorkflowFieldError("description", "INVALID_DESCRIPTION", "The description is text.")
    return description


def _clean_layout(layout: Any) -> dict:
    if not isinstance(layout, dict):
        raise WorkflowFieldError("layout", "INVALID_LAYOUT", "The layout is a JSON object.")
    # Positions and view state nest a few levels; SQLite's JSON_VALID and PostgreSQL's jsonb give
    # up (an IntegrityError, a stack overflow) long before a JSON decoder does.
    if depth(layout) > MAX_LAYOUT_DEPTH:
        raise WorkflowFieldError(
            "layout", "INVALID_LAYOUT", f"The layout nests deeper than {MAX_LAYOUT_DEPTH} levels."
        )
    if found := unstorable_at(layout):
        raise WorkflowFieldError(
            "layout", "INVALID_LAYOUT", f"The layout at {found[0]!r} contains {found[1]}."
        )
    return layout


# -- workflows -----------------------------------------------------------------------------------


def create_workflow(
    owner,
    *,
    name: str,
    description: str = "",
    type: str = WorkflowType.STANDARD,
    tags: dict[str, str] | None = None,
    visibility: str = Visibility.PRIVATE,
    definition: str | None = None,
    layout: dict | None = None,
) -> Workflow:
    """A workflow with its draft at revision 1 (a one-state Pass workflow when no text is given)."""
    _require(can_create(owner), "You may not create workflows (ask for the authors role).")
    fields = {
        "name": _clean_name(name),
        "description": _clean_description(description),
        "type": _clean_choice("type", type, WorkflowType),
        "tags": _clean_tags(tags),
        "visibility": _clean_choice("visibility", visibility, Visibility),
    }
    text = NEW_WORKFLOW_DEFINITION if definition is None else definition
    fmt = check_definition_text(text)
    layout = _clean_layout(layout if layout is not None else {})
    try:
        with transaction.atomic():
            workflow = Workflow.objects.create(owner=owner, **fields)
            Draft.objects.create(
                workflow=workflow, definition=text, format=fmt, layout=layout, updated_by=owner
            )
    except IntegrityError as error:
        if Workflow.objects.filter(owner=owner, name=fields["name"]).exists():
            raise WorkflowNameTaken(fields["name"]) from error
        raise
    return workflow


def update_workflow(workflow: Workflow, actor, **changes: Any) -> Workflow:
    """Change name, description, type, tags or visibility (visibility: the owner only)."""
    _require(can_edit(actor, workflow), "You may not change this workflow.")
    cleaners = {
        "name": _clean_name,
        "description": _clean_description,
        "type": lambda v: _clean_choice("type", v, WorkflowType),
        "tags": _clean_tags,
        "visibility": lambda v: _clean_choice("visibility", v, Visibility),
    }
    unknown = set(changes) - set(cleaners)
    if unknown:
        field = sorted(unknown)[0]
        raise WorkflowFieldError(field, "UNKNOWN_FIELD", f"{field!r} cannot be changed here.")
    cleaned = {field: cleaners[field](value) for field, value in changes.items()}
    if "visibility" in cleaned and cleaned["visibility"] != workflow.visibility:
        _require(
            actor.is_superuser or workflow.owner_id == actor.pk,
            "Only the owner may change who sees a workflow.",
        )
    for field, value in cleaned.items():
        setattr(workflow, field, value)
    try:
        with transaction.atomic():
            workflow.save()
    except IntegrityError as error:
        raise WorkflowNameTaken(workflow.name) from error
    return workflow


def delete_workflow(workflow: Workflow, actor) -> None:
    _require(can_delete(actor, workflow), "Only the owner may delete this workflow.")
    workflow.delete()


# -- drafts and versions -------------------------------------------------------------------------


def save_draft(
    workflow: Workflow,
    actor,
    *,
    expected_revision: int | None,
    definition: str | None = None,
    layout: dict | None = None,
) -> Draft:
    """Store the text exactly as given (and/or the layout) if the draft is still at `expected_revision`.

    The compare-and-set is a single UPDATE ... WHERE revision = expected, so two editors racing
    cannot both win on any database; the loser gets StaleRevision and nothing of theirs is stored.
    """
    _require(can_edit(actor, workflow), "You may not change this workflow.")
    current = Draft.objects.values_list("revision", flat=True).get(pk=workflow.pk)
    if expected_revision is None:
        raise RevisionRequired(current)
    changes: dict[str, Any] = {}
    if definition is not None:
        changes["format"] = check_definition_text(definition)
        changes["definition"] = definition
    if layout is not None:
        changes["layout"] = _clean_layout(layout)
    now = timezone.now()
    with transaction.atomic():
        updated = Draft.objects.filter(pk=workflow.pk, revision=expected_revision).update(
            revision=F("revision") + 1, updated_at=now, updated_by=actor, **changes
        )
        if not updated:
            current = Draft.objects.values_list("revision", flat=True).get(pk=workflow.pk)
            raise StaleRevision(expected_revision, current)
        Workflow.objects.filter(pk=workflow.pk).update(updated_at=now)
    return Draft.objects.get(pk=workflow.pk)


def create_version(
    workflow: Workflow, actor, *, message: str = "", expected_revision: int | None = None
) -> Version:
    """An immutable snapshot of the draft, numbered 1, 2, ...; refused while the draft has errors."""
    _require(can_edit(actor, workflow), "You may not version this.")
    if not isinstance(message, str):
        raise WorkflowFieldError("message", "INVALID_MESSAGE", "The message is text.")
    with transaction.atomic():
        # Taking the write lock first (an UPDATE) serialises version numbering on SQLite and PostgreSQL.
        Workflow.objects.filter(pk=workflow.pk).update(updated_at=timezone.now())
        draft = Draft.objects.get(pk=workflow.pk)
        if expected_revision is not None and expected_revision != draft.revision:
            raise StaleRevision(expected_revision, draft.revision)
        diagnostics = validate_definition(draft.definition, workflow.type)
        if has_errors(diagnostics):
            raise DefinitionInvalid(diagnostics)
        number = (workflow.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = Version(
            workflow=workflow,
            number=number,
            message=message,
            author=actor,
            definition=draft.definition,
            format=draft.format,
            draft_revision=draft.revision,
        )
        version.save()
    return version


def import_workflow(
    owner,
    *,
    text: str,
    name: str | None = None,
    filename: str | None = None,
    description: str = "",
    type: str = WorkflowType.STANDARD,
    tags: dict[str, str] | None = None,
    visibility: str = Visibility.PRIVATE,
) -> Workflow:
    """A new workflow holding `text` byte for byte; the name defaults to the file's, made valid."""
    if not name:
        name = name_from_filename(filename) if filename else ""
    return create_workflow(
        owner,
        name=name,
        description=description,
        type=type,
        tags=tags,
        visibility=visibility,
        definition=text,
    )


def name_from_filename(filename: str) -> str:
    """`order-processing.asl.json` -> `order-processing`; other characters become '-'."""
    stem = filename.rsplit("/", 1)[-1]
    for suffix in (".json", ".yaml", ".yml", ".asl"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in stem).strip("-")
    return cleaned[:WORKFLOW_NAME_MAX_LENGTH]


# -- test inputs ---------------------------------------------------------------------------------

# An execution input's limit on AWS (StartExecution: 256 KiB of UTF-8).
MAX_TEST_INPUT_BYTES = 256 * 1024


class TestInputNameTaken(DesignerError):
    def __init__(self, name: str) -> None:
        super().__init__(f"This workflow already has a test input named {name!r}.")
        self.name = name


def _clean_test_input(name: Any, text: Any) -> tuple[str, str]:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
        raise WorkflowFieldError("name", "INVALID_NAME", "Name the input with 1-80 characters.")
    if not isinstance(text, str):
        raise WorkflowFieldError("input", "INVALID_INPUT", "The input is JSON text.")
    if len(text.encode("utf-8")) > MAX_TEST_INPUT_BYTES:
        raise WorkflowFieldError("input", "INPUT_TOO_LARGE", "The input is over 256 KiB, AWS's limit.")
    try:
        json.loads(text)
    except ValueError as error:
        raise WorkflowFieldError("input", "INVALID_JSON", f"The input is not JSON: {error}.") from None
    return name.strip(), text


def save_test_input(
    workflow: Workflow, actor, *, name: str, input: str, test_input: TestInput | None = None
) -> TestInput:
    """Create a named test input, or change `test_input`; names are unique per workflow."""
    _require(can_run(actor, workflow), "You may not keep test inputs for this workflow.")
    name, text = _clean_test_input(name, input)
    row = test_input or TestInput(workflow=workflow)
    row.name, row.input, row.updated_by = name, text, actor
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise TestInputNameTaken(name) from error
    return row


def delete_test_input(test_input: TestInput, actor) -> None:
    _require(can_run(actor, test_input.workflow), "You may not change this workflow's test inputs.")
    test_input.delete()
