"""Local functions run in a separate process: results, errors named by their class, timeouts,
memory limits, and the engine's view of them through a state machine."""

import pytest

from accounts.services import default_account
from executions import functions
from executions.models import LocalFunction


def run(code: str, event=None, **kwargs):
    return functions.IsolatedFunction("f", code, **kwargs)(event if event is not None else {}, None)


def test_executions_function_returns_json():
    assert run(
        "def handler(event, context):\n    return {'got': event, 'name': context.function_name}", {"a": 1}
    ) == {
        "got": {"a": 1},
        "name": "f",
    }


def test_executions_function_prints_do_not_corrupt_the_answer():
    assert run("def handler(event, context):\n    print('log line')\n    return 5") == 5


def test_executions_function_error_keeps_its_type_and_message():
    code = (
        "class PaymentDeclined(Exception):\n    pass\n\n"
        "def handler(event, context):\n    raise PaymentDeclined('no funds')"
    )
    with pytest.raises(functions.FunctionError) as caught:
        run(code)
    assert type(caught.value).__name__ == "PaymentDeclined"
    assert str(caught.value) == "no funds"


def test_executions_function_timeout_kills_it():
    with pytest.raises(functions.FunctionError) as caught:
        run("import time\ndef handler(event, context):\n    time.sleep(30)", timeout_seconds=1)
    assert type(caught.value).__name__ == "TimeoutError"


def test_executions_function_memory_limit():
    with pytest.raises(functions.FunctionError) as caught:
        run("def handler(event, context):\n    return len(bytearray(2 * 1024 ** 3))", memory_mb=64)
    assert type(caught.value).__name__ == "MemoryError"


def test_executions_function_crash_is_an_error_not_a_hang():
    with pytest.raises(functions.FunctionError) as caught:
        run("import os\ndef handler(event, context):\n    os._exit(3)")
    assert "ended without answering" in str(caught.value)


@pytest.mark.django_db
def test_executions_functions_from_folder_and_database(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMPHONY_FUNCTIONS_DIR", str(tmp_path))
    (tmp_path / "double.py").write_text("def handler(event, context):\n    return event * 2\n")
    account = default_account()
    LocalFunction.objects.create(
        account=account, name="triple", code="def handler(event, context):\n    return event * 3\n"
    )
    resources = functions.resources(account.pk)
    assert resources.functions["double"](2, None) == 4
    assert resources.functions["triple"](2, None) == 6


@pytest.mark.django_db(transaction=True)  # the log is kept from a worker thread, then its connection closed
def test_executions_function_logs_are_kept_with_the_execution(tmp_path, monkeypatch):
    from executions.models import FunctionLog
    from executions.services import executions, machines

    monkeypatch.setenv("SYMPHONY_FUNCTIONS_DIR", str(tmp_path))
    (tmp_path / "chatty.py").write_text(
        "def handler(event, context):\n    print('hello from', event)\n    return 1\n"
    )
    (tmp_path / "broken.py").write_text(
        "def handler(event, context):\n    print('about to fail')\n    1 / 0\n"
    )
    account = default_account().pk
    machine, _ = machines.create_state_machine(
        region="us-east-1",
        account=account,
        name="logs",
        definition='{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
        role_arn="arn:aws:iam::000000000000:role/r",
    )
    execution, _ = executions.start_execution(machine.arn, account, input="{}")
    resources = functions.resources(account, execution.pk)
    assert resources.functions["chatty"]("x", None) == 1
    with pytest.raises(functions.FunctionError):
        resources.functions["broken"]({}, None)
    logs = list(FunctionLog.objects.filter(execution=execution).order_by("id"))
    assert [(entry.function_name, entry.error_type) for entry in logs] == [
        ("chatty", ""),
        ("broken", "ZeroDivisionError"),
    ]
    assert logs[0].log.strip() == "hello from x"
    assert "about to fail" in logs[1].log


def test_executions_function_error_carries_lambdas_stack_trace():
    # Lambda's handler setting "handler.handler": the code is /var/task/handler.py, and the
    # trace lists the handler's own frames with their source lines, as AWS records them.
    code = "def handler(event, context):\n    raise Exception('Some exception was raised.')\n"
    with pytest.raises(functions.FunctionError) as caught:
        run(code, handler="handler.handler")
    assert caught.value.error_type == "Exception"
    assert caught.value.stack_trace == [
        '  File "/var/task/handler.py", line 2, in handler\n'
        "    raise Exception('Some exception was raised.')\n"
    ]


def test_executions_function_bare_handler_names_the_module_after_the_function():
    code = "def helper():\n    return 1 / 0\n\ndef main(event, context):\n    return helper()\n"
    with pytest.raises(functions.FunctionError) as caught:
        run(code, handler="main")
    assert type(caught.value).__name__ == "ZeroDivisionError"
    # (newer Pythons add a line of carets under part of a line, as the runtime's would)
    assert [entry.splitlines()[:2] for entry in caught.value.stack_trace] == [
        ['  File "/var/task/f.py", line 5, in main', "    return helper()"],
        ['  File "/var/task/f.py", line 2, in helper', "    return 1 / 0"],
    ]


def test_executions_function_raw_stdout_and_bad_bytes_go_to_the_log():
    code = (
        "import os, sys\n"
        "def handler(event, context):\n"
        "    os.write(1, b'raw ')\n"
        "    sys.stderr.buffer.write(b'\\xff\\n')\n"
        "    return 'ok'\n"
    )
    log = []
    assert run(code, on_log=log.append) == "ok"
    assert log[0]["log"] == "\ufffd\nraw "
