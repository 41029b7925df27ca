"""Sample (customer-onboarding): turn one feature of the plan on."""


def handler(event, context):
    feature = event if isinstance(event, str) else event.get("feature", event)
    return {"feature": feature, "enabled": True}
