"""Sample (order-processing): price the items and return a receipt."""


def handler(event, context):
    lines = [
        {
            "sku": item.get("sku"),
            "quantity": item.get("quantity", 1),
            "amount": item.get("price", 0) * item.get("quantity", 1),
        }
        for item in event["items"]
    ]
    return {
        "orderId": event["orderId"],
        "lines": lines,
        "total": round(sum(line["amount"] for line in lines), 2),
    }
