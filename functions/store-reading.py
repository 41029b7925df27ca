"""Sample (iot-pipeline): store the enriched reading."""


def handler(event, context):
    return {"stored": True, "key": f"{event.get('deviceId')}/{event.get('receivedAt')}"}
