"""Sample (customer-onboarding): a workspace for the new account."""


def handler(event, context):
    return {
        "workspaceId": "ws-" + event["account"]["accountId"][5:],
        "plan": event.get("plan", {}).get("name"),
    }
