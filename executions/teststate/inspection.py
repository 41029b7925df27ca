"""TestState's view of the tested state's run, and the answer built from it.

The engine calls the `Inspector` (interpreter.py's `inspector`) for the tested state only:
each data-flow stage, the context object (TestState's `context` replaces parts of it), and a
failure before Retry. TestState runs one attempt: a failure a Retrier would retry answers
RETRIABLE with the interval the next attempt would wait (`stateConfiguration.
retrierRetryCount` says how many retries came before); a Retrier with no attempts left lets
Catch answer it.

Which stages AWS reports depends on the state type and query language (recorded against AWS,
../shared/conformance/test_state): a Pass with a `Result` skips InputPath and Parameters; a
Parallel reports only what follows its branches; JSONata states report the input, Arguments,
the result (Task) and the Map's settings. INFO reports none.
"""

from __future__ import annotations

import json
from typing import Any

from designer.asl.errors import error_matches
from designer.asl.scope import MISSING
from executions.engine.catch import find_catcher
from executions.engine.tasks import TaskError
from executions.integrations import http
from executions.teststate.request import TestRequest

# Stages reported by state type, JSONPath.
JSONPATH_STAGES = {
    "Task": ("afterInputPath", "afterParameters", "result", "afterResultSelector", "afterResultPath"),
    "Pass": ("afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"),
    "Parallel": ("afterResultSelector", "afterResultPath"),
    "Map": ("afterInputPath", "afterItemsPath", "afterResultSelector", "afterResultPath"),
}
PASS_WITH_RESULT = ("result", "afterResultSelector", "afterResultPath")
CONTROL_STAGES = ("afterInputPath",)  # Choice, Wait, Succeed, Fail
JSONATA_STAGES = {"Task": ("afterArguments", "result")}
HTTP_TASK = "arn:aws:states:::http:invoke"
HTTP_STATUS_ERROR = "States.Http.StatusCode."
MAP_SETTINGS = ("maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage")


class Retriable(Exception):
    """The tested state failed and a Retrier would run it again."""

    def __init__(self, error: str | None, cause: str | None) -> None:
        super().__init__(error)
        self.error, self.cause = error, cause


class Inspector:
    def __init__(self, request: TestRequest) -> None:
        self.request = request
        self.stages: dict[str, Any] = {}
        self.error_details: dict[str, int] = {}
        self.variables: dict | None = None
        self.caught: tuple[str | None, str | None] | None = None  # the error a Catcher answered
        self.failure: Any = None  # the tested state's failure, if it failed

    def tested(self, state: Any, frame: Any) -> bool:
        return frame.kind == "execution" and state.name == self.request.state_name

    # -- the engine's hooks ----------------------------------------------------------------
    def stage(self, run: Any, name: str, value: Any) -> None:
        if self.tested(run.state, run.frame) and value is not MISSING:
            self.stages[name] = value

    def context(self, state: Any, frame: Any, context: dict) -> dict:
        if not self.tested(state, frame):
            return context
        context["State"].setdefault("RetryCount", self.request.retrier_retry_count)
        return {**context, **(self.request.context or {})}

    def failed(self, run: Any, failure: Any) -> bool:
        """Before Retry: stop with RETRIABLE when a Retrier has attempts left; never let the
        engine retry the tested state."""
        if not self.tested(run.state, run.frame):
            return True
        self.failure = failure
        error = failure.error or ""
        count = self.request.retrier_retry_count
        for index, retrier in enumerate(getattr(run.state, "retry", None) or ()):
            if not error_matches(tuple(retrier.error_equals), error):
                continue
            self.error_details["retryIndex"] = index
            if count < retrier.max_attempts:
                delay = retrier.interval_seconds * retrier.backoff_rate**count
                if retrier.max_delay_seconds is not None:
                    delay = min(delay, retrier.max_delay_seconds)
                self.error_details["retryBackoffIntervalSeconds"] = int(delay)
                raise Retriable(failure.error, failure.cause)
            break
        catchers = tuple(getattr(run.state, "catch", None) or ())
        catcher = find_catcher(catchers, error)
        if catcher is not None:
            self.error_details["catchIndex"] = catchers.index(catcher)
            self.caught = (failure.error, failure.cause)
        return False

    # -- the answer ------------------------------------------------------------------------
    def inspection_data(self) -> dict | None:
        if self.request.level == "INFO":
            return None
        kind = self.request.state.get("Type")
        if self.request.jsonata:
            names: tuple[str, ...] = JSONATA_STAGES.get(kind, ())
        elif kind == "Pass" and "Result" in self.request.state:
            names = PASS_WITH_RESULT
        else:
            names = JSONPATH_STAGES.get(kind, CONTROL_STAGES)
        if kind == "Map":
            names += MAP_SETTINGS
        data: dict[str, Any] = {"input": self.request.input_text}
        for name in names:
            if name in self.stages:
                value = self.stages[name]
                data[name] = value if name in MAP_SETTINGS else text(value)
        if self.request.level == "TRACE" and self.request.state.get("Resource") == HTTP_TASK:
            data.update(self._http())
        if self.variables:
            data["variables"] = text(self.variables)
        if self.error_details:
            data["errorDetails"] = dict(self.error_details)
        return data

    def _http(self) -> dict:
        """The HTTP Task's request and response, as it sent and received them."""
        params = self.stages.get("afterArguments" if self.request.jsonata else "afterParameters")
        if not isinstance(params, dict):
            return {}
        try:
            sent = http.build_request(params)
        except (TaskError, ValueError):
            return {}
        body = sent.data.decode() if isinstance(sent.data, bytes) else ""
        data: dict[str, Any] = {
            "request": {
                "protocol": sent.type,
                "method": sent.get_method(),
                "url": sent.full_url,
                "headers": _headers({k: [v] for k, v in sent.header_items()}),
                "body": body,
            }
        }
        answer = self.stages.get("result")
        failure = self.failure
        if answer is None and failure is not None and (failure.error or "").startswith(HTTP_STATUS_ERROR):
            answer = json.loads(failure.cause)
        if isinstance(answer, dict) and "StatusCode" in answer:
            response_body = answer.get("ResponseBody")
            data["response"] = {
                "protocol": sent.type,
                "statusCode": str(answer["StatusCode"]),
                "statusMessage": answer.get("StatusText", ""),
                "headers": _headers(answer.get("Headers") or {}),
                "body": response_body if isinstance(response_body, str) else text(response_body),
            }
        return data


def _headers(headers: dict) -> str:
    return "[" + ", ".join(f"{name}: {', '.join(values)}" for name, values in headers.items()) + "]"


def text(value: Any) -> str:
    """A value as TestState writes it."""
    return json.dumps(value, ensure_ascii=False)
