"""Sample (iot-pipeline): normalise to Celsius."""


def handler(event, context):
    reading = event["reading"]
    value = reading["value"]
    if reading.get("unit", "C") == "F":
        value = (value - 32) * 5 / 9
    return {"value": round(value, 2), "unit": "C"}
