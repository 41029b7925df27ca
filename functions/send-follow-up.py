"""Sample (customer-onboarding): the follow-up email after the first days."""


def handler(event, context):
    print(f"Follow-up to {event['email']} for {event['accountId']}")
    return {"sent": True}
