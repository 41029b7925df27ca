"""The local function pages: the list from the folder and the database, create and edit with
clear errors that keep what was typed, delete with confirmation, read-only folder functions,
permissions, and the test invocation through the isolated process."""

import pytest
from django.urls import reverse

from accounts.services import account_for
from executions.models import LocalFunction
from executions.services.functions import MAX_CODE_BYTES

pytestmark = pytest.mark.django_db

CODE = "def handler(event, context):\n    print('got', event)\n    return {'double': event['n'] * 2}\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMPHONY_FUNCTIONS_DIR", str(tmp_path))
    (tmp_path / "from_file.py").write_text("def handler(event, context):\n    return 'file'\n")
    return tmp_path


def form(**fields) -> dict:
    return {
        "name": "double",
        "code": CODE,
        "handler": "handler",
        "timeout_seconds": 5,
        "memory_mb": 128,
        **fields,
    }


def test_function_pages_list_shows_folder_and_database_functions(client, author, folder):
    LocalFunction.objects.create(
        account=account_for(author), name="double", code=CODE, timeout_seconds=7, memory_mb=512
    )
    (folder / "double.py").write_text(CODE)
    client.force_login(author)
    page = client.get(reverse("executions:function-list")).content.decode()
    assert 'data-function="double" data-source="database"' in page
    assert 'data-function="from_file" data-source="folder"' in page
    assert "7 s" in page and "512 MB" in page
    # The file a database function overrides is listed, marked, and reachable.
    assert 'data-function="double" data-source="folder"' in page
    assert "overridden" in page
    assert reverse("executions:function-detail", args=["double"]) + "?source=folder" in page
    assert str(folder) in page
    detail = client.get(reverse("executions:function-detail", args=["double"])).content.decode()
    assert "instead of the folder's" in detail and "<code>double.py</code>" in detail
    file_page = client.get(reverse("executions:function-detail", args=["double"]), {"source": "folder"})
    assert file_page.context["function"].source == "folder"
    assert "A database function named double answers instead" in file_page.content.decode()


def test_function_pages_create_saves_and_redirects(client, author, folder):
    client.force_login(author)
    response = client.post(reverse("executions:function-create"), form())
    assert response.status_code == 302
    assert response["Location"] == reverse("executions:function-detail", args=["double"])
    row = LocalFunction.objects.get(name="double")
    assert (row.code, row.timeout_seconds, row.memory_mb) == (CODE, 5, 128)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"code": "def handler(event, context):\n    return (1,\n\nx = ]\n"}, "code", "line 4, column 5"),
        ({"code": "def helper(event, context):\n    return 1\n"}, "handler", "defines no 'handler'"),
        ({"handler": "main"}, "handler", "defines no 'main'"),
        ({"name": "no spaces"}, "name", "1 to 64 letters"),
        ({"name": "x" * 65}, "name", "1 to 64 letters"),
        ({"timeout_seconds": 901}, "timeout_seconds", "from 1 to 900"),
        ({"memory_mb": "lots"}, "memory_mb", "Enter a whole number"),
        ({"code": "x = 1\n" * (MAX_CODE_BYTES // 6 + 1)}, "code", "at most 3,145,728"),
    ],
)
def test_function_pages_bad_input_is_shown_beside_its_field_and_kept(client, author, fields, field, message):
    client.force_login(author)
    sent = form(**fields)
    response = client.post(reverse("executions:function-create"), sent)
    assert response.status_code == 200
    bound = response.context["form"]
    assert any(message in error for error in bound.errors[field]), bound.errors
    assert "Not saved: see the field marked below." in response.content.decode()
    # Nothing lost: every field comes back as it was typed.
    for key, value in sent.items():
        assert str(bound[key].value()) == str(value)
    assert not LocalFunction.objects.exists()


def test_function_pages_syntax_error_points_the_editor_at_it(client, author):
    client.force_login(author)
    page = client.post(
        reverse("executions:function-create"), form(code="def handler(event, context)\n    pass\n")
    )
    text = page.content.decode()
    assert 'data-error-line="1"' in text and 'data-error-column="28"' in text
    assert "expected &#x27;:&#x27;" in text


def test_function_pages_duplicate_name_is_refused(client, author):
    LocalFunction.objects.create(account=account_for(author), name="double", code=CODE)
    client.force_login(author)
    response = client.post(reverse("executions:function-create"), form(code=CODE + "# mine\n"))
    assert "Function already exist: double" in response.context["form"].errors["name"][0]
    assert response.context["form"]["code"].value() == CODE + "# mine\n"
    assert LocalFunction.objects.get(name="double").code == CODE


def test_function_pages_edit_and_rename(client, author):
    LocalFunction.objects.create(account=account_for(author), name="double", code=CODE)
    LocalFunction.objects.create(account=account_for(author), name="taken", code=CODE)
    client.force_login(author)
    url = reverse("executions:function-detail", args=["double"])
    assert client.get(url).context["form"]["code"].value() == CODE
    clash = client.post(url, form(name="taken"))
    assert "Function already exist: taken" in clash.context["form"].errors["name"][0]
    renamed = client.post(url, form(name="twice", timeout_seconds=9))
    assert renamed["Location"] == reverse("executions:function-detail", args=["twice"])
    assert LocalFunction.objects.get(name="twice").timeout_seconds == 9
    assert not LocalFunction.objects.filter(name="double").exists()


def test_function_pages_delete_asks_then_deletes(client, author, folder):
    LocalFunction.objects.create(account=account_for(author), name="from_file", code=CODE)
    client.force_login(author)
    url = reverse("executions:function-delete", args=["from_file"])
    confirm = client.get(url).content.decode()
    assert "Delete function from_file?" in confirm
    assert "call the folder's <code>from_file.py</code> instead" in confirm
    assert LocalFunction.objects.exists()
    assert client.post(url)["Location"] == reverse("executions:function-list")
    assert not LocalFunction.objects.exists()


def test_function_pages_folder_functions_are_read_only(client, author, folder):
    client.force_login(author)
    page = client.get(reverse("executions:function-detail", args=["from_file"]))
    text = page.content.decode()
    assert "form" not in page.context or page.context.get("form") is None
    assert f"Read from <code>{folder / 'from_file.py'}</code>" in text
    assert "data-readonly" in text
    assert client.get(reverse("executions:function-delete", args=["from_file"])).status_code == 404


def test_function_pages_readers_read_but_do_not_write(client, viewer, folder):
    LocalFunction.objects.create(account=account_for(viewer), name="double", code=CODE)
    client.force_login(viewer)
    listing = client.get(reverse("executions:function-list")).content.decode()
    assert "Create function" not in listing
    detail = client.get(reverse("executions:function-detail", args=["double"]))
    assert detail.context.get("form") is None and "data-readonly" in detail.content.decode()
    assert "function-test" not in detail.content.decode()
    assert (
        client.post(reverse("executions:function-detail", args=["double"]), form(code="x")).status_code == 403
    )
    assert LocalFunction.objects.get(name="double").code == CODE
    assert client.get(reverse("executions:function-create")).status_code == 403
    assert client.post(reverse("executions:function-create"), form()).status_code == 403
    assert client.post(reverse("executions:function-delete", args=["double"])).status_code == 403
    assert client.post(reverse("executions:function-test"), {"function": "double"}).status_code == 403


def test_function_pages_names_like_actions_are_functions_too(client, author):
    for name in ("new", "test", "delete"):
        LocalFunction.objects.create(account=account_for(author), name=name, code=CODE)
    client.force_login(author)
    for name in ("new", "test", "delete"):
        page = client.get(reverse("executions:function-detail", args=[name]))
        assert page.context["function"].name == name


def test_function_pages_need_a_login(client):
    response = client.get(reverse("executions:function-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_function_pages_test_a_saved_function(client, author):
    LocalFunction.objects.create(account=account_for(author), name="double", code=CODE)
    client.force_login(author)
    answer = client.post(
        reverse("executions:function-test"), {"function": "double", "event": '{"n": 21}'}
    ).json()
    assert answer["ok"] is True
    assert answer["result"] == {"double": 42}
    assert answer["log"] == "got {'n': 21}\n"
    assert answer["durationMs"] >= 0 and len(answer["requestId"]) == 36


def test_function_pages_test_shows_the_error_and_its_stack_trace(client, author):
    LocalFunction.objects.create(account=account_for(author), name="double", code=CODE)
    client.force_login(author)
    answer = client.post(reverse("executions:function-test"), {"function": "double", "event": "{}"}).json()
    assert answer["ok"] is False
    assert (answer["errorType"], answer["errorMessage"]) == ("KeyError", "'n'")
    [frame] = answer["stackTrace"]
    assert frame.startswith(
        "  File \"/var/task/double.py\", line 3, in handler\n    return {'double': event['n'] * 2}\n"
    )
    assert answer["log"] == "got {}\n"


def test_function_pages_test_runs_the_unsaved_draft(client, author, folder):
    client.force_login(author)
    draft = form(name="draft", code="def handler(event, context):\n    return context.function_name\n")
    answer = client.post(reverse("executions:function-test"), {**draft, "event": "{}"}).json()
    assert answer["ok"] is True and answer["result"] == "draft"
    assert not LocalFunction.objects.exists()
    broken = client.post(
        reverse("executions:function-test"), {**draft, "code": "def handler(:\n", "event": "{}"}
    )
    assert broken.status_code == 400
    assert broken.json()["invalid"] == {
        "field": "code",
        "message": "code: line 1, column 13: invalid syntax",
        "line": 1,
        "column": 13,
    }


def test_function_pages_test_folder_function_and_bad_event(client, author, folder):
    client.force_login(author)
    url = reverse("executions:function-test")
    assert (
        client.post(url, {"function": "from_file", "source": "folder", "event": "[]"}).json()["result"]
        == "file"
    )
    bad = client.post(url, {"function": "from_file", "event": '{"a": }'})
    assert bad.status_code == 400
    assert bad.json()["invalid"]["message"] == "event: line 1, column 7: Expecting value"
    missing = client.post(url, {"function": "nope", "event": "{}"})
    assert missing.status_code == 400 and missing.json()["invalid"]["field"] == "function"


def test_function_pages_environment_and_network_access(client, author):
    client.force_login(author)
    response = client.post(
        reverse("executions:function-create"),
        form(environment='{"TABLE": "orders"}', network_access="on"),
    )
    assert response.status_code == 302
    row = LocalFunction.objects.get(name="double")
    assert (row.environment, row.network_access) == ({"TABLE": "orders"}, True)
    edit = client.get(reverse("executions:function-detail", args=["double"]))
    assert edit.context["form"]["environment"].value() == '{"TABLE": "orders"}'
    assert "&quot;TABLE&quot;: &quot;orders&quot;" in edit.content.decode()
    for bad, message in (
        ('{"TZ": "UTC"}', "reserved"),
        ("[1, 2]", "a JSON object"),
        ("{oops", "Enter valid JSON: line 1, column 2"),
        ("[" * 100_000, "nested too deeply"),
    ):
        page = client.post(reverse("executions:function-detail", args=["double"]), form(environment=bad))
        assert any(message in error for error in page.context["form"].errors["environment"])
        assert page.context["form"]["environment"].value() == bad
    assert LocalFunction.objects.get(name="double").environment == {"TABLE": "orders"}


def test_function_pages_test_sees_the_declared_environment(client, author):
    client.force_login(author)
    code = "import os\ndef handler(event, context):\n    return os.environ.get('TABLE')\n"
    answer = client.post(
        reverse("executions:function-test"), {**form(code=code, environment='{"TABLE": "t1"}'), "event": "{}"}
    ).json()
    assert answer["result"] == "t1"
