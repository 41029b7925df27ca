"""Local functions in Chromium: an author writes one in the code editor, tests it with an event,
saves it; syntax errors are pointed at and nothing typed is lost; a failing test shows the error
with its stack trace and the log; folder functions are read-only; oversized code is stopped
before it is sent."""

import pytest
from playwright.sync_api import Page, expect

from accounts.services import account_for
from designer.roles import AUTHORS, VIEWERS
from executions.models import LocalFunction
from executions.services.functions import MAX_CODE_BYTES
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE = "def handler(event, context):\n    return 1\n"


def editor_text(page: Page) -> str:
    # After a post the page is new: its editor mounts once its script has run.
    page.wait_for_function("() => document.querySelector('.function-code')?.editorView")
    return page.evaluate("() => document.querySelector('.function-code').editorView.state.doc.toString()")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMPHONY_FUNCTIONS_DIR", str(tmp_path))
    (tmp_path / "from-file.py").write_text("def handler(event, context):\n    return {'from': 'file'}\n")
    return tmp_path


def test_write_test_and_save_a_function(page: Page, live_server, make_user, folder, artifacts):
    make_user("ana", AUTHORS, password=PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server.url, "ana", "/executions/functions/")
    expect(page.locator('tr[data-function="from-file"][data-source="folder"]')).to_be_visible()
    page.get_by_role("link", name="Create function").click()

    page.get_by_label("Name").fill("add-one")
    # Typed as a person types: the editor indents after the colon, closes brackets and quotes.
    page.locator(".function-code .cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(
        'def handler(event, context):\nprint("adding", event["n"])\nreturn {"n": event["n"] + 1}'
    )
    code = 'def handler(event, context):\n    print("adding", event["n"])\n    return {"n": event["n"] + 1}'
    assert editor_text(page) == code
    # Tab indents (by Python's four spaces) instead of leaving the editor.
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    assert editor_text(page).endswith('\n        return {"n": event["n"] + 1}')
    page.keyboard.press("Shift+Tab")
    assert editor_text(page) == code

    page.locator("#test-event").fill('{"n": 41}')
    page.get_by_role("button", name="Test", exact=True).click()
    result = page.locator("#test-result")
    expect(result.locator(".alert-success")).to_contain_text("Succeeded")
    expect(result.get_by_label("Response")).to_have_text('{\n  "n": 42\n}')
    expect(result.get_by_label("Log output")).to_have_text("adding 41\n")
    assert not LocalFunction.objects.exists()  # a test runs the draft; nothing is saved
    page.screenshot(path=str(artifacts / "function-test.png"), full_page=True)

    page.get_by_role("button", name="Create function").click()
    expect(page).to_have_url(f"{live_server.url}/executions/functions/add-one/")
    expect(page.get_by_text("Created function add-one.")).to_be_visible()
    assert LocalFunction.objects.get(name="add-one").code == code


def test_syntax_errors_are_pointed_at_and_nothing_is_lost(
    page: Page, live_server, make_user, folder, artifacts
):
    ana = make_user("ana", AUTHORS, password=PASSWORD)
    LocalFunction.objects.create(account=account_for(ana), name="broken-soon", code=ONE)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server.url, "ana", "/executions/functions/broken-soon/")
    page.locator(".function-code .cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(ONE + "\nvalues = [1, 2\nprint(values)\n")
    typed = editor_text(page)
    page.locator("#test-event").fill('{"kept": true}')

    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#test-result .alert-error")).to_contain_text("Not run: code: line 4, column 10")
    expect(page.locator(".cm-lintRange-error")).to_have_count(1)

    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field.has-error .error")).to_contain_text("line 4, column 10: '[' was never closed")
    assert editor_text(page) == typed
    expect(page.locator(".cm-lintRange-error")).to_have_count(1)
    expect(page.locator("#test-event")).to_have_value('{"kept": true}')
    assert LocalFunction.objects.get(name="broken-soon").code == ONE
    page.screenshot(path=str(artifacts / "function-syntax-error.png"), full_page=True)


def test_a_failing_test_shows_the_stack_trace_and_the_log(page: Page, live_server, make_user, folder):
    ana = make_user("ana", AUTHORS, password=PASSWORD)
    LocalFunction.objects.create(
        account=account_for(ana),
        name="picky",
        code="def handler(event, context):\n    print('checking')\n    return event['missing']\n",
    )
    sign_in(page, live_server.url, "ana", "/executions/functions/picky/")
    # The page's script sends the draft; a click before it is mounted would submit the bare form.
    expect(page.locator(".function-code .cm-content")).to_be_visible()
    page.get_by_role("button", name="Test", exact=True).click()
    result = page.locator("#test-result")
    expect(result.locator(".alert-error")).to_contain_text("Failed: KeyError")
    expect(result.get_by_label("Error")).to_contain_text('"errorMessage": "\'missing\'"')
    expect(result.get_by_label("Stack trace")).to_contain_text(
        'File "/var/task/picky.py", line 3, in handler'
    )
    expect(result.get_by_label("Log output")).to_have_text("checking\n")


def test_folder_functions_are_read_only_and_readers_cannot_test(page: Page, live_server, make_user, folder):
    make_user("ana", AUTHORS, password=PASSWORD)
    make_user("vic", VIEWERS, password=PASSWORD)
    sign_in(page, live_server.url, "ana", "/executions/functions/from-file/")
    expect(page.locator("#function-origin")).to_contain_text(str(folder / "from-file.py"))
    expect(page.locator(".function-code .cm-content")).to_have_attribute("contenteditable", "false")
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#test-result").get_by_label("Response")).to_have_text('{\n  "from": "file"\n}')

    page.context.clear_cookies()
    sign_in(page, live_server.url, "vic", "/executions/functions/from-file/")
    expect(page.locator(".function-code")).to_be_visible()
    expect(page.get_by_role("button", name="Test", exact=True)).to_have_count(0)


def test_oversized_code_is_stopped_before_it_is_sent(page: Page, live_server, make_user, folder):
    make_user("ana", AUTHORS, password=PASSWORD)
    sign_in(page, live_server.url, "ana", "/executions/new-function/")
    page.get_by_label("Name").fill("huge")
    # The code editor mounts once its script has loaded.
    page.wait_for_function("() => document.querySelector('.function-code')?.editorView")
    page.evaluate(
        """(size) => {
            const view = document.querySelector('.function-code').editorView;
            view.dispatch({changes: {from: view.state.doc.length, insert: '#' + 'x'.repeat(size) + '\\n'}});
        }""",
        MAX_CODE_BYTES,
    )
    page.get_by_role("button", name="Create function").click()
    expect(page.locator(".field.has-error .error")).to_contain_text("at most 3,145,728")
    expect(page).to_have_url(f"{live_server.url}/executions/new-function/")
    assert len(editor_text(page)) > MAX_CODE_BYTES
    assert not LocalFunction.objects.exists()


def test_delete_asks_first(page: Page, live_server, make_user, folder):
    ana = make_user("ana", AUTHORS, password=PASSWORD)
    LocalFunction.objects.create(account=account_for(ana), name="doomed", code=ONE)
    sign_in(page, live_server.url, "ana", "/executions/functions/doomed/")
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete function doomed?")).to_be_visible()
    assert LocalFunction.objects.exists()
    page.get_by_role("button", name="Delete doomed").click()
    expect(page).to_have_url(f"{live_server.url}/executions/functions/")
    expect(page.get_by_text("Deleted function doomed.")).to_be_visible()
    assert not LocalFunction.objects.exists()


def test_a_test_runs_the_draft_with_its_environment(page: Page, live_server, make_user, folder):
    ana = make_user("ana", AUTHORS, password=PASSWORD)
    code = "import os\n\ndef handler(event, context):\n    return os.environ.get('TABLE')\n"
    LocalFunction.objects.create(account=account_for(ana), name="configured", code=code)
    sign_in(page, live_server.url, "ana", "/executions/functions/configured/")
    expect(page.locator(".function-code .cm-content")).to_be_visible()
    page.get_by_label("Environment variables").fill('{"TABLE": "draft-table"}')
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#test-result").get_by_label("Response")).to_have_text('"draft-table"')
    assert LocalFunction.objects.get(name="configured").environment == {}  # tried, not saved
