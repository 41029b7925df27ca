"""Task tokens: the callbacks of ``.waitForTaskToken`` tasks and activities, answered once."""

import secrets
import string
from typing import Any

from django.utils import timezone

from executions.exceptions import (
    InvalidOutput,
    InvalidToken,
    TaskDoesNotExist,
    TaskTimedOut,
    ValidationException,
)
from executions.models import ExecutionStatus, TaskToken, TaskTokenStatus
from executions.services.payloads import parse_json_payload
from symphony.storable import unstorable_char


def new_task_token() -> str:
    # AWS tokens are long opaque strings; ours are random and unguessable.
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(128))


def _answer_token(token: str, account: str, status: str, **fields: Any) -> TaskToken:
    """Exactly one answer wins: the update applies only while the token is PENDING. A token
    answers only inside its execution's account; elsewhere it is as unknown as a made-up one."""
    if not token or len(token) > 1024:
        raise InvalidToken("Invalid Token: the task token must be 1 to 1024 characters")
    now = timezone.now()
    mine = TaskToken.objects.filter(token=token, execution__account_id=account)
    updated = mine.filter(status=TaskTokenStatus.PENDING, execution__status=ExecutionStatus.RUNNING).update(
        status=status, answered_at=now, **fields
    )
    row = mine.select_related("execution").first()
    if row is None:
        raise TaskDoesNotExist("Task Does Not Exist")
    if not updated:
        if row.status == TaskTokenStatus.TIMED_OUT:
            raise TaskTimedOut("Task Timed Out")
        raise TaskDoesNotExist("Task Does Not Exist")
    return row


def send_task_success(token: str, account: str, output: str) -> TaskToken:
    output = parse_json_payload(output, InvalidOutput, "Output")
    return _answer_token(token, account, TaskTokenStatus.SUCCEEDED, output=output)


def send_task_failure(
    token: str, account: str, error: str | None = None, cause: str | None = None
) -> TaskToken:
    for name, text in (("error", error), ("cause", cause)):
        if text and (problem := unstorable_char(text)):
            raise ValidationException(f"The {name} contains {problem}", field=name)
    return _answer_token(token, account, TaskTokenStatus.FAILED, error=error, cause=cause)


def send_task_heartbeat(token: str, account: str) -> TaskToken:
    mine = TaskToken.objects.filter(token=token, execution__account_id=account)
    updated = mine.filter(status=TaskTokenStatus.PENDING).update(heartbeat_at=timezone.now())
    row = mine.first()
    if row is None or (not updated and row.status != TaskTokenStatus.TIMED_OUT):
        raise TaskDoesNotExist("Task Does Not Exist")
    if not updated:
        raise TaskTimedOut("Task Timed Out")
    return row
