"""Sample (customer-onboarding): the welcome email."""


def handler(event, context):
    print(f"Welcome, {event['customer'].get('name', event['customer']['email'])}")
    return {"sent": True}
