"""Test connection: which identity and account a target reaches, and whether it may publish there."""

from dataclasses import asdict, dataclass

from accounts.permissions import Action, allowed
from designer.deploy import clients
from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Target
from executions import arns


@dataclass
class ConnectionReport:
    ok: bool
    method: str  # "sts" (GetCallerIdentity) or "probe" (ListStateMachines, where the target has no STS)
    identity: str  # the caller's ARN, when the target says
    account: str
    endpoint: str
    can_publish: bool | None  # None: the target does not say
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def test_connection(target: Target, actor) -> ConnectionReport:
    endpoint = clients.endpoint_for(target) or f"AWS ({target.region})"
    try:
        session = clients.session_for(target, actor)
    except TargetUnreachable as error:
        return ConnectionReport(False, "", "", "", endpoint, None, str(error))
    identity = account = ""
    method, notes = "sts", []
    if target.this_symphony:
        method = "probe"
        notes.append("This Symphony has no STS; it signs with your own access key.")
    else:
        try:
            caller = clients.client(target, actor, "sts", session).get_caller_identity()
            identity, account = caller["Arn"], caller["Account"]
        except clients.CALL_ERRORS as error:  # a Symphony has no STS
            method = "probe"
            notes.append(
                f"STS GetCallerIdentity failed ({clients.describe_error(error)}); "
                "probed Step Functions instead."
            )
    try:
        listing = clients.client(target, actor, session=session).list_state_machines(maxResults=1)
    except clients.CALL_ERRORS as error:
        return ConnectionReport(
            False,
            method,
            identity,
            account,
            endpoint,
            None,
            " ".join([*notes, clients.describe_error(error)]),
        )
    machines = listing.get("stateMachines", [])
    if not account and machines:
        account = arns.parse(machines[0]["stateMachineArn"]).account
    if target.this_symphony:
        can_publish = allowed(actor, Action.RUN) or allowed(actor, Action.PUBLISH)
        identity = f"{actor.get_username()} (your access key)"
    else:
        can_publish = None
        notes.append(
            "ListStateMachines works; whether this identity may create state machines "
            "shows on the first publish."
        )
    reached = f"Reached {endpoint} as {identity or 'an unnamed identity'}" + (
        f" in account {account}." if account else "."
    )
    return ConnectionReport(
        True, method, identity, account, endpoint, can_publish, " ".join([reached, *notes])
    )
