"""Local EventBridge rules that start the account's state machines: create, list, delete, and
`route`, which delivers the events a Task put (PutEvents) to each enabled rule whose pattern
matches them, starting an execution with the event as input, as EventBridge does.

The rules are Symphony's, not the local AWS's: moto 5.2's EventBridge accepts a rule targeting a
state machine but then fails every matching PutEvents with a server error (its rules deliver only
to SQS, CloudWatch Logs, event buses and API destinations). The patterns are read and matched by
moto's own EventBridge pattern code, the same the local AWS uses for its other targets.
"""

import contextlib
import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError

from executions import runner
from executions.exceptions import StepFunctionsError
from executions.models import EventRule
from executions.services.executions import start_execution
from executions.services.machines import get_state_machine

logger = logging.getLogger(__name__)

# EventBridge's PutRule: Name [\.\-_A-Za-z0-9]+, 1 to 64 characters.
RULE_NAME = re.compile(r"[.\-_A-Za-z0-9]{1,64}")
DEFAULT_BUS = "default"


class RuleError(Exception):
    """A rule that cannot be made, in words a person can act on."""


def parse_pattern(text: str) -> dict[str, Any]:
    """The pattern as EventBridge reads it, or RuleError naming what is wrong."""
    # moto is imported where rules are used, not with the app: it is the local AWS's code.
    from moto.events.exceptions import InvalidEventPatternException
    from moto.events.models import EventPatternParser

    try:
        pattern = EventPatternParser(text).parse()
    except InvalidEventPatternException as exc:
        raise RuleError(str(exc.message)) from None
    if not isinstance(pattern, dict) or not pattern:
        raise RuleError('Event pattern must be a non-empty JSON object, e.g. {"source": ["orders"]}.')
    return pattern


def put_rule(
    account: str, name: str, pattern: str, state_machine_arn: str, owner_id: int | None = None
) -> EventRule:
    if not RULE_NAME.fullmatch(name):
        raise RuleError("Rule name: 1 to 64 letters, digits, '.', '-' or '_'.")
    parse_pattern(pattern)
    try:
        machine = get_state_machine(state_machine_arn, account)
    except StepFunctionsError as exc:
        raise RuleError(f"Target: {exc}") from None
    try:
        return EventRule.objects.create(
            account_id=account,
            name=name,
            event_pattern=pattern,
            state_machine_arn=machine.arn,
            owner_id=owner_id,
        )
    except IntegrityError:
        raise RuleError(f"The bus {DEFAULT_BUS} already has a rule named {name}.") from None


def delete_rule(account: str, name: str) -> None:
    deleted, _ = EventRule.objects.filter(account_id=account, event_bus_name=DEFAULT_BUS, name=name).delete()
    if not deleted:
        raise RuleError(f"No rule named {name}.")


def rules_for(account: str) -> list[EventRule]:
    return list(EventRule.objects.filter(account_id=account))


@dataclass(frozen=True)
class Started:
    rule: str
    execution_arn: str


def bus_name(entry: dict[str, Any]) -> str:
    """The bus an entry goes to: its EventBusName (a name or an ARN), else the default bus."""
    name = str(entry.get("EventBusName") or DEFAULT_BUS)
    return name.rsplit("event-bus/", 1)[-1] if name.startswith("arn:") else name


def event_of(entry: dict[str, Any], event_id: str, account: str, region: str) -> dict[str, Any]:
    """The event EventBridge delivers for a PutEvents entry (its detail parsed)."""
    try:
        detail = json.loads(entry.get("Detail") or "{}")
    except ValueError:
        detail = {}
    return {
        "version": "0",
        "id": event_id,
        "detail-type": entry.get("DetailType", ""),
        "source": entry.get("Source", ""),
        "account": account,
        "time": _time(entry.get("Time")),
        "region": region,
        "resources": entry.get("Resources", []),
        "detail": detail,
    }


def _time(given: Any) -> str:
    """The event's time as EventBridge writes it (seconds, UTC): the entry's Time, else now."""
    when = given if isinstance(given, datetime) else datetime.now(UTC)
    if isinstance(given, str):
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(given.replace("Z", "+00:00"))
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def matches(pattern: str, event: dict[str, Any]) -> bool:
    from moto.events.models import EventPattern

    return bool(EventPattern(pattern, parse_pattern(pattern)).matches_event(event))


def route(
    account: str, region: str, entries: list[dict[str, Any]], answers: list[dict[str, Any]]
) -> list[Started]:
    """Start an execution for each (accepted entry, matching enabled rule of its bus). A rule
    whose target is gone or refuses is logged and skipped, as EventBridge drops a failed
    delivery without failing PutEvents."""
    rules = [rule for rule in rules_for(account) if rule.enabled]
    started: list[Started] = []
    if not rules:
        return started
    for entry, answer in zip(entries, answers, strict=False):
        if not answer.get("EventId"):
            continue  # a failed entry is delivered nowhere
        event = event_of(entry, answer["EventId"], account, region)
        for rule in rules:
            if rule.event_bus_name != bus_name(entry):
                continue
            if not matches(rule.event_pattern, event):
                continue
            try:
                execution, created = start_execution(
                    rule.state_machine_arn,
                    account,
                    name=str(uuid.uuid4()),
                    input=json.dumps(event),
                    owner_id=rule.owner_id,
                )
            except StepFunctionsError as exc:
                logger.warning("rule %s could not start %s: %s", rule, rule.state_machine_arn, exc)
                continue
            if created:
                runner.submit_on_commit(execution)
            started.append(Started(rule.name, execution.arn))
    return started
