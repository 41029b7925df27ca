"""The one permission check: pages, the REST API, the Step Functions endpoint, WebSocket
consumers and management commands all ask ``allowed`` / ``require`` (DESIGN.md decision 11).

A role is a group holding Django permissions (``designer.roles``); an action names the one
permission that allows it. Actions on runtime resources happen inside an account: a user acts
only in their own, whatever their role (superusers administer every account). Deciding an
approval is the reviewers' role across accounts: a reviewer is rarely in the author's account.
"""

import threading
import time
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
    if PERMISSION[action] not in role_permissions(user):
        return False
    return account_id is None or action in ACROSS_ACCOUNTS or account_id == account_id_for(user)


# What a refusal says, on a page or in an API's answer.
REFUSED: dict[Action, str] = {
    Action.READ: "You may not see this.",
    Action.RUN: "You may not run or change executions and state machines here.",
    Action.EDIT_WORKFLOWS: "You may not change workflows here.",
    Action.WRITE_FUNCTIONS: "You may not write functions here.",
    Action.DECIDE_APPROVALS: "You may not decide approvals.",
    Action.PUBLISH: "You may not publish here.",
}


def require(user, action: Action, account_id: str | None = None) -> None:
    if not allowed(user, action, account_id):
        raise Denied(action, REFUSED[action])


# A user's permissions, kept a moment per process: every Step Functions call asks, and Django
# reads them in two queries. A role change in this process clears them at once (accounts.apps
# connects the signals); in another process it shows within ROLE_CACHE_SECONDS, as a change to
# IAM takes seconds to reach every AWS endpoint. Keys, deactivation and superusers are read live.
ROLE_CACHE_SECONDS = 2.0
_roles: dict[int, tuple[float, frozenset[str]]] = {}
_roles_lock = threading.Lock()


def role_permissions(user) -> frozenset[str]:
    now = time.monotonic()
    cached = _roles.get(user.pk)
    if cached is not None and cached[0] > now:
        return cached[1]
    permissions = frozenset(user.get_all_permissions())
    with _roles_lock:
        _roles[user.pk] = (now + ROLE_CACHE_SECONDS, permissions)
    return permissions


def forget_roles(**_: object) -> None:
    """Any change to users, groups or their permissions: read them again."""
    with _roles_lock:
        _roles.clear()
