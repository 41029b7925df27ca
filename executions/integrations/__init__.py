"""One adapter per service a Task can call, behind one interface (`adapter.Adapter`): Lambda
(`lambda_`), HTTP (`http`), Step Functions (`states`), activities and callbacks (`activities`),
AWS services through boto3 (`aws`, when the runner hands its callable to `Resources.aws`),
and mocked responses (`mocks`) before them all. `Resources` picks the adapter of a request;
the engine reaches it only through its Effects (`LocalEffects` here, the runner's
DurableEffects in executions/effects.py). This package sits above the pure engine and below
the rest of `executions`."""

from executions.integrations.local import LocalEffects
from executions.integrations.mocks import MockConfig
from executions.integrations.resources import Resources

__all__ = ["LocalEffects", "MockConfig", "Resources"]
