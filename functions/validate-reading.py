"""Sample (iot-pipeline): a reading is valid when it has a numeric value."""


def handler(event, context):
    value = (event.get("reading") or {}).get("value")
    return {"valid": isinstance(value, int | float) and not isinstance(value, bool)}
