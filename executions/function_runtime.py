"""The Python runtime of a local function: one warm execution environment, as Lambda's.

This file is the only part of Symphony a sandbox sees (read-only, as /var/runtime/bootstrap.py);
it runs under the sandbox's interpreter with the standard library only, never imported by the app.
``executions.function_pool`` starts it and speaks JSON lines with it: the first line on stdin
configures it (code, handler, limits), every next line is one invocation (event, context); each
answer is one line on the file descriptor named in argv. What the handler prints goes to the
process's stdout and stderr, the invocation's log. The module is loaded at the first invocation
and kept, so module globals survive between invocations as on Lambda.
"""

import json
import linecache
import os
import resource
import sys
import time
import traceback
import types


class Context:
    """The handler's ``context``: the attributes Lambda's Python runtime gives it."""

    def __init__(self, data: dict, deadline: float) -> None:
        self.__dict__.update(data)
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def limit(init: dict) -> None:
    """Limits every process of the sandbox inherits; unprivileged, the handler cannot raise them."""
    for name, value in init["limits"].items():
        resource.setrlimit(getattr(resource, name), (value, value))


def load(init: dict) -> types.ModuleType:
    code, filename = init["code"], init["filename"]
    # The source in linecache lets the stack trace show each line, as Lambda's runtime does.
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    module = types.ModuleType(init["module"])
    module.__file__ = filename
    exec(compile(code, filename, "exec"), module.__dict__)
    return module


def error_answer(exc: BaseException) -> dict:
    return {
        "ok": False,
        "errorType": type(exc).__name__,
        "errorMessage": str(exc),
        # The handler's frames only, as Lambda's runtime reports them.
        "stackTrace": traceback.format_list(
            [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename != __file__]
        ),
    }


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 3)


def main() -> None:
    answers = os.fdopen(int(sys.argv[1]), "w", encoding="utf-8")
    os.set_inheritable(answers.fileno(), False)
    requests = os.fdopen(os.dup(0), "rb")
    # The handler's stdin is empty, as on Lambda; what it prints goes to stderr like its
    # runtime's log lines, raw writes to fd 1 to the log too.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    sys.stdout = sys.stderr
    init = json.loads(requests.readline())
    limit(init)
    answers.write('{"ready": true}\n')
    answers.flush()
    module, runtime = None, os.getpid()
    for line in requests:
        request = json.loads(line)
        deadline = time.monotonic() + request["context"]["timeout_ms"] / 1000
        retire = False
        try:
            if module is None:
                # A module that fails to load is loaded again at the next invocation (Lambda
                # starts a new environment after a failed init).
                retire = True
                module = load(init)
                retire = False
            handler = getattr(module, init["handler"])
            result = handler(request["event"], Context(request["context"], deadline))
            answer = json.dumps({"ok": True, "result": result, "cpuSeconds": cpu_seconds()})
        except BaseException as exc:
            answer = json.dumps({**error_answer(exc), "retire": retire, "cpuSeconds": cpu_seconds()})
        if os.getpid() != runtime:
            os._exit(0)  # a child the handler forked returned from it: only the runtime answers
        sys.stderr.flush()
        sys.__stdout__.flush()
        answers.write(answer + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
