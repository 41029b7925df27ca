"""Sample (customer-onboarding): create the customer's account."""

import hashlib


def handler(event, context):
    email = event["customer"]["email"]
    return {"accountId": "acct-" + hashlib.sha256(email.encode()).hexdigest()[:10], "created": True}
