"""Rollout strategies as a publisher names them: all at once, canary or linear (SAM's
DeploymentPreference types for state machines, and their predefined names)."""

import re
from dataclasses import dataclass

from designer.deploy.errors import PublishRefused
from designer.deploy.models import RolloutStrategy

SPEC_RE = re.compile(r"^(?P<kind>canary|linear)(?P<percent>\d{1,2})-(?P<amount>\d{1,4})(?P<unit>[sm])$")
# SAM's predefined names (AWS::Serverless::StateMachine DeploymentPreference Type).
SAM_RE = re.compile(
    r"^(?P<kind>Canary|Linear)(?P<percent>\d{1,2})Percent(?:Every)?(?P<amount>\d{1,4})Minutes?$"
)


@dataclass(frozen=True)
class Plan:
    strategy: str
    percent: int = 100
    interval_seconds: int = 0


def parse(spec: str) -> Plan:
    """``all-at-once``, ``canary10-5m``, ``linear10-1m`` (or ``-30s``), or SAM's names
    (``Canary10Percent5Minutes``, ``Linear10PercentEvery1Minute``)."""
    if spec in {"", "all-at-once", "AllAtOnce"}:
        return Plan(RolloutStrategy.ALL_AT_ONCE)
    match = SPEC_RE.match(spec)
    seconds_per = 60
    if match:
        seconds_per = 60 if match["unit"] == "m" else 1
    else:
        match = SAM_RE.match(spec)
    if not match or not 1 <= int(match["percent"]) <= 99 or int(match["amount"]) < 1:
        message = (
            f"{spec!r} is not a rollout: all-at-once, canary<percent>-<minutes>m (canary10-5m), "
            "linear<percent>-<minutes>m (linear10-1m), or SAM's Canary10Percent5Minutes."
        )
        raise PublishRefused("INVALID_ROLLOUT", message, [{"field": "rollout", "message": message}])
    strategy = RolloutStrategy.CANARY if match["kind"].lower() == "canary" else RolloutStrategy.LINEAR
    return Plan(strategy, int(match["percent"]), int(match["amount"]) * seconds_per)
