"""Symphony's request-approval function, deployed to AWS Lambda (Python 3.11+ runtime, standard
library only: the file is the whole deployment package).

A ``arn:aws:states:::lambda:invoke.waitForTaskToken`` Task calls it with a Payload of
``{"taskToken.$": "$$.Task.Token", "execution.$": "$$.Execution.Id", "title": ..., "context": ...,
"approvers": {"users": [...], "groups": [...]}, "quorum": 2, "deadline": ..., "escalation_groups": [...]}``
(or ``"steps": [{"name", "users", "groups", "quorum", "deadline", "escalation_groups"}, ...]`` for an
ordered chain); it asks Symphony's approvals
API for a person's decision and returns. The reviewer's answer comes back later as
SendTaskSuccess / SendTaskFailure.

Environment: ``SYMPHONY_URL`` (https://...), ``SYMPHONY_APPROVALS_TOKEN`` (the target's API token;
better from an encrypted variable or Secrets Manager), optionally ``SYMPHONY_TARGET``.

Errors Step Functions can tell apart (a Lambda error's name is its exception's class name):
``SymphonyUnavailable`` is worth a Retry (network, 429, 5xx); ``ApprovalRequestRefused`` is not.
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request

# Plain HTTP only to this machine (a test server): anywhere else the token would cross in clear.
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_SECONDS = 10


class ApprovalRequestRefused(Exception):
    """Symphony refused the request (bad token, bad fields): asking again will not help."""


class SymphonyUnavailable(Exception):
    """Symphony could not be reached or asked to slow down: a Retry may succeed."""


def _endpoint() -> str:
    base = os.environ["SYMPHONY_URL"].rstrip("/")
    parts = urllib.parse.urlsplit(base)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise ApprovalRequestRefused(f"SYMPHONY_URL must be an https:// URL, not {base!r}.")
    return base + "/api/approvals/"


def _body(event: dict) -> dict:
    if not isinstance(event, dict) or not event.get("taskToken"):
        raise ApprovalRequestRefused('The payload has no taskToken (pass "taskToken.$": "$$.Task.Token").')
    body = {"task_token": event["taskToken"], "title": event.get("title") or "Approval requested"}
    for field in ("context", "approvers", "deadline", "quorum", "escalation_groups", "steps"):
        if event.get(field) is not None:
            body[field] = event[field]
    if event.get("execution"):
        body["execution_arn"] = event["execution"]
    if os.environ.get("SYMPHONY_TARGET"):
        body["target"] = os.environ["SYMPHONY_TARGET"]
    return body


def handler(event, context):
    request = urllib.request.Request(
        _endpoint(),
        data=json.dumps(_body(event)).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {os.environ['SYMPHONY_APPROVALS_TOKEN']}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:1000]
        if error.code == 429 or error.code >= 500:
            raise SymphonyUnavailable(f"Symphony answered {error.code}: {detail}") from None
        raise ApprovalRequestRefused(f"Symphony answered {error.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError) as error:
        raise SymphonyUnavailable(f"Symphony could not be reached: {error}") from None
    # The request's id and page, never the token: this is the function's logged result.
    return {"id": answer["id"], "status": answer["status"], "url": answer["url"]}
