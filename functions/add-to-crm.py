"""Sample (customer-onboarding): the CRM record."""


def handler(event, context):
    return {"crmId": "crm-" + event["account"]["accountId"][5:]}
