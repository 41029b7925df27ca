"""The one permission check: pages, the REST API, the Step Functions endpoint, WebSocket
consumers and management commands all ask ``allowed`` / ``require`` (DESIGN.md decision 11).

A role is a group holding Django permissions (``designer.roles``); an action names the one
permission that allows it. Actions on runtime resources happen inside an account: a user acts
only in their own, whatever their role (superusers administer every account). Deciding an
approval is the reviewers' role across accounts: a reviewer is rarely in the author's account.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from accounts.services import account_id_for


class Action(StrEnum):
    READ = "read"  # describe, list, get history; view pages
    # create, update, delete and tag state machines and activities; start, stop, redrive; answer tokens
    RUN = "run"
    EDIT_WORKFLOWS = "edit_workflows"  # designer workflows, drafts and versions
    WRITE_FUNCTIONS = "write_functions"  # local functions: code that runs (sandboxed) on this server
    DECIDE_APPROVALS = "decide_approvals"  # approve or reject a step waiting for a person
    PUBLISH = "publish"  # publish to a target


PERMISSION: dict[Action, str] = {
    Action.READ: "executions.view_execution",
    Action.RUN: "executions.add_execution",
    Action.EDIT_WORKFLOWS: "designer.change_workflow",
    Action.WRITE_FUNCTIONS: "executions.change_localfunction",
    Action.DECIDE_APPROVALS: "executions.decide_approval",
    Action.PUBLISH: "designer.publish_workflow",
}
ACROSS_ACCOUNTS = {Action.DECIDE_APPROVALS}


class Denied(PermissionDenied):
    def __init__(self, action: Action, message: str) -> None:
        super().__init__(message)
        self.action = action
        self.message = message


def allowed(user, action: Action, account_id: str | None = None) -> bool:
    """May ``user`` do ``action`` (in ``account_id``, when the action touches an account's
    resources)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm(PERMISSION[action]):
        return False
    return account_id is None or action in ACROSS_ACCOUNTS or account_id == account_id_for(user)


def require(user, action: Action, account_id: str | None = None) -> None:
    if not allowed(user, action, account_id):
        raise Denied(action, f"You may not {action.value.replace('_', ' ')} here.")
