"""Sample (iot-pipeline): outside weather for the reading (a stand-in for a weather API)."""


def handler(event, context):
    return {"outsideC": 18.5, "condition": "cloudy"}
