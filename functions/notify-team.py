"""Sample: tell the team what happened."""


def handler(event, context):
    asset = event.get("asset", {}).get("name", "")
    print(f"Team notified: {event.get('status')} {asset} {event.get('url', '')}")
    return {"notified": True}
