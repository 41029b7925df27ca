"""Sample (order-processing): an order needs an id, items and a customer email."""


class InvalidOrder(Exception):
    pass


def handler(event, context):
    if not event.get("orderId") or not event.get("items"):
        raise InvalidOrder("An order needs an orderId and at least one item.")
    if "@" not in (event.get("customer") or {}).get("email", ""):
        raise InvalidOrder("The customer needs an email address.")
    return {"valid": True, "itemCount": len(event["items"])}
