"""The Local AWS page: what the account has in the AWS its tasks call (the local AWS Symphony
starts, or the endpoint configured), and forms that create tables, queues, topics, buckets and
secrets and seed them (put an item, upload a JSON or CSV file), so an author prepares a test run
without another tool; and the local EventBridge rules that start the account's state machines.
Reading needs the read permission, writing the run permission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.permissions import Action, allowed, require
from accounts.services import account_id_for
from executions.arns import DEFAULT_REGION
from executions.integrations.aws import inventory
from executions.models import StateMachine
from executions.services import event_rules

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Form action -> (the call, the fields it takes from the form).
ACTIONS = {
    "create-table": (inventory.create_table, ("name", "key")),
    "put-item": (inventory.put_item, ("table", "item")),
    "create-queue": (inventory.create_queue, ("name",)),
    "create-topic": (inventory.create_topic, ("name",)),
    "create-bucket": (inventory.create_bucket, ("name",)),
    "create-secret": (inventory.create_secret, ("name", "value")),
}


@login_required
def local_aws(request: HttpRequest) -> HttpResponse:
    account = account_id_for(request.user)
    if request.method == "POST":
        require(request.user, Action.RUN, account)
        _act(request, account)
        return redirect("executions:local-aws")
    require(request.user, Action.READ, account)
    try:
        found, error = inventory.overview(account, DEFAULT_REGION), ""
    except inventory.InventoryError as exc:
        found, error = {}, str(exc)
    return render(
        request,
        "executions/local_aws.html",
        {
            "found": found,
            "error": error,
            "account": account,
            "can_write": allowed(request.user, Action.RUN, account),
            "rules": event_rules.rules_for(account),
            "state_machines": StateMachine.objects.filter(account_id=account).values_list("arn", "name"),
            "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


def _act(request: HttpRequest, account: str) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "upload":
            upload = request.FILES.get("file")
            if upload is None or upload.size > MAX_UPLOAD_BYTES:
                raise inventory.InventoryError(
                    f"Choose a file of at most {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
                )
            key = request.POST.get("key") or upload.name
            bucket = request.POST.get("bucket", "")
            inventory.put_object(account, DEFAULT_REGION, bucket, key, upload.read())
            messages.success(request, f"Uploaded s3://{bucket}/{key}.")
            return
        if action == "put-rule":
            rule = event_rules.put_rule(
                account,
                request.POST.get("name", "").strip(),
                request.POST.get("pattern", "").strip(),
                request.POST.get("state_machine", ""),
                owner_id=request.user.pk,
            )
            messages.success(request, f"Rule {rule.name} starts {rule.state_machine_arn} on a match.")
            return
        if action == "delete-rule":
            event_rules.delete_rule(account, request.POST.get("name", ""))
            messages.success(request, "Rule deleted.")
            return
        if action not in ACTIONS:
            raise inventory.InventoryError(f"Unknown action '{action}'.")
        call, fields = ACTIONS[action]
        values = [request.POST.get(field, "").strip() for field in fields]
        if not all(values):
            raise inventory.InventoryError(f"Fill in {', '.join(fields)}.")
        call(account, DEFAULT_REGION, *values)
        messages.success(request, f"Done: {action.replace('-', ' ')} {values[0]}.")
    except (inventory.InventoryError, event_rules.RuleError) as exc:
        messages.error(request, str(exc))
