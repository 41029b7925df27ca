"""Sample (brand-asset-pipeline): ask a reviewer. The execution waits for the task token; the
reviewer answers on the execution's approval page (or with SendTaskSuccess)."""


def handler(event, context):
    print(f"Approval requested for {event['asset'].get('name')}: token {event['taskToken'][:12]}...")
    return {"requested": True}
