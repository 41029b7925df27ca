import pytest
from django.conf import settings

from designer import services
from designer.models import Version, VersionImmutableError, Workflow, definition_sha256

VALID_YAML = "StartAt: A\nStates:\n  A:\n    Type: Succeed\n"


def test_create_workflow_stores_draft_at_revision_1_with_default_definition(author):
    workflow = services.create_workflow(author, name="first")
    assert workflow.draft.revision == 1
    assert workflow.draft.definition == services.NEW_WORKFLOW_DEFINITION
    assert workflow.draft.format == "json"
    assert services.validate_definition(workflow.draft.definition) == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "STATE_MACHINE_NAME_EMPTY"),
        ("x" * 81, "STATE_MACHINE_NAME_TOO_LONG"),
        ("has space", "STATE_MACHINE_NAME_INVALID"),
        ("dots.are.out", "STATE_MACHINE_NAME_INVALID"),
        ("ünïcode", "STATE_MACHINE_NAME_INVALID"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_stored(author, name, code):
    with pytest.raises(services.WorkflowFieldError) as caught:
        services.create_workflow(author, name=name)
    assert caught.value.field == "name"
    assert caught.value.code == code
    assert not Workflow.objects.exists()


def test_name_of_80_allowed_characters_is_accepted(author):
    assert services.create_workflow(author, name="a-_9" * 20).name == "a-_9" * 20


def test_names_are_unique_per_owner_only(author, other_author):
    services.create_workflow(author, name="same")
    services.create_workflow(other_author, name="same")
    with pytest.raises(services.WorkflowNameTaken):
        services.create_workflow(author, name="same")
    assert Workflow.objects.filter(name="same").count() == 2


@pytest.mark.parametrize(
    "tags",
    [["a"], {"": "x"}, {"k" * 129: "x"}, {"k": "v" * 257}, {"aws:x": "y"}, {f"k{i}": "" for i in range(51)}],
)
def test_bad_tags_are_refused(author, tags):
    with pytest.raises(services.WorkflowFieldError) as caught:
        services.create_workflow(author, name="tagged", tags=tags)
    assert caught.value.field == "tags"


def test_viewer_cannot_create(viewer):
    with pytest.raises(services.NotAllowed):
        services.create_workflow(viewer, name="nope")


def test_save_draft_keeps_text_exactly_and_bumps_revision(author):
    workflow = services.create_workflow(author, name="w")
    text = "StartAt: A   # a comment kept as written\nStates:\n  A: {Type: Pass, End: true}\n"
    draft = services.save_draft(workflow, author, expected_revision=1, definition=text, layout={"A": [1, 2]})
    assert draft.definition == text
    assert draft.format == "yaml"
    assert draft.layout == {"A": [1, 2]}
    assert draft.revision == 2


def test_stale_revision_is_refused_and_loses_nothing(author, other_author):
    workflow = services.create_workflow(author, name="w", visibility="shared")
    services.save_draft(workflow, other_author, expected_revision=1, definition='{"StartAt": "B"}')
    with pytest.raises(services.StaleRevision) as caught:
        services.save_draft(workflow, author, expected_revision=1, definition='{"StartAt": "C"}')
    assert (caught.value.expected, caught.value.current) == (1, 2)
    workflow.draft.refresh_from_db()
    assert workflow.draft.definition == '{"StartAt": "B"}'
    assert workflow.draft.revision == 2


def test_missing_revision_is_refused(author):
    workflow = services.create_workflow(author, name="w")
    with pytest.raises(services.RevisionRequired) as caught:
        services.save_draft(workflow, author, expected_revision=None, definition="{}")
    assert caught.value.current == 1


def test_oversized_and_malformed_definitions_are_refused_before_any_write(author):
    workflow = services.create_workflow(author, name="w")
    too_big = '{"Comment": "' + "x" * settings.MAX_DEFINITION_BYTES + '"}'
    with pytest.raises(services.DefinitionTooLarge):
        services.save_draft(workflow, author, expected_revision=1, definition=too_big)
    with pytest.raises(services.DefinitionMalformed) as caught:
        services.save_draft(workflow, author, expected_revision=1, definition='{"StartAt": }')
    assert caught.value.diagnostic.line == 1
    assert caught.value.format == "json"
    workflow.draft.refresh_from_db()
    assert workflow.draft.revision == 1
    assert workflow.draft.definition == services.NEW_WORKFLOW_DEFINITION


def test_definition_limit_counts_utf8_bytes_not_characters(author):
    # 'é' is two bytes: this text has fewer characters than the limit but more bytes.
    text = '{"Comment": "' + "é" * (settings.MAX_DEFINITION_BYTES // 2) + '"}'
    assert len(text) < settings.MAX_DEFINITION_BYTES
    with pytest.raises(services.DefinitionTooLarge):
        services.check_definition_text(text)


def test_private_workflow_cannot_be_edited_by_another_author(author, other_author):
    workflow = services.create_workflow(author, name="mine")
    assert list(Workflow.objects.visible_to(other_author)) == []
    with pytest.raises(services.NotAllowed):
        services.save_draft(workflow, other_author, expected_revision=1, definition="{}")


def test_shared_workflow_editable_by_authors_not_viewers_deletable_by_owner_only(
    author, other_author, viewer
):
    workflow = services.create_workflow(author, name="ours", visibility="shared")
    assert services.can_edit(other_author, workflow)
    assert not services.can_edit(viewer, workflow)
    assert not services.can_delete(other_author, workflow)
    assert list(Workflow.objects.visible_to(viewer)) == [workflow]
    with pytest.raises(services.NotAllowed):
        services.delete_workflow(workflow, other_author)
    with pytest.raises(services.NotAllowed):
        services.update_workflow(workflow, other_author, visibility="private")


def test_versions_are_numbered_immutable_and_hashed(author):
    workflow = services.create_workflow(author, name="w")
    first = services.create_version(workflow, author, message="one")
    services.save_draft(workflow, author, expected_revision=1, definition=VALID_YAML)
    second = services.create_version(workflow, author, message="two", expected_revision=2)
    assert (first.number, second.number) == (1, 2)
    assert first.definition == services.NEW_WORKFLOW_DEFINITION
    assert first.sha256 == definition_sha256(services.NEW_WORKFLOW_DEFINITION)
    assert second.draft_revision == 2
    first.message = "rewritten"
    with pytest.raises(VersionImmutableError):
        first.save()
    with pytest.raises(VersionImmutableError):
        first.delete()
    assert Version.objects.get(pk=first.pk).message == "one"


def test_version_refused_for_stale_revision_or_broken_draft(author):
    workflow = services.create_workflow(author, name="w")
    with pytest.raises(services.StaleRevision):
        services.create_version(workflow, author, expected_revision=7)
    services.save_draft(workflow, author, expected_revision=1, definition="StartAt: A\n")
    with pytest.raises(services.DefinitionInvalid) as caught:
        services.create_version(workflow, author)
    assert any(d.is_error for d in caught.value.diagnostics)
    assert not workflow.versions.exists()
    services.save_draft(workflow, author, expected_revision=2, definition=VALID_YAML)
    assert services.create_version(workflow, author).number == 1


def test_delete_workflow_removes_draft_and_versions(author):
    workflow = services.create_workflow(author, name="w")
    services.create_version(workflow, author)
    services.delete_workflow(workflow, author)
    assert not Workflow.objects.exists()
    assert not Version.objects.exists()


def test_name_from_filename():
    assert services.name_from_filename("dir/order-processing.asl.json") == "order-processing"
    assert services.name_from_filename("My Flow (v2).yaml") == "My-Flow--v2"
    assert services.name_from_filename("x" * 100 + ".json") == "x" * 80


def test_validate_definition_reports_syntax_with_location():
    [diagnostic] = services.validate_definition('{\n  "StartAt": "A",\n  "States": \n}')
    assert diagnostic.code == "INVALID_JSON_DESCRIPTION"
    assert diagnostic.is_error
    assert diagnostic.line == 4
    [empty] = services.validate_definition("  \n")
    assert empty.is_error


def test_validate_definition_reads_yaml_and_applies_the_workflow_type():
    assert services.validate_definition(VALID_YAML) == []
    assert services.validate_definition(VALID_YAML, "EXPRESS") == []
    with pytest.raises(ValueError):
        services.validate_definition(VALID_YAML, "NOPE")
