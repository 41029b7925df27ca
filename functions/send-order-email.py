"""Sample (order-processing): the confirmation email (printed: local functions log to stderr)."""


def handler(event, context):
    print(f"To: {event['to']}: order {event['orderId']} confirmed, total {event['receipt']['total']}")
    return {"sent": True}
