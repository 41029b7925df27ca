"""Sample (iot-pipeline): the device registry (a fixed threshold per device)."""


def handler(event, context):
    device = event.get("deviceId", "unknown")
    return {"deviceId": device, "site": "plant-1", "threshold": 30 if device.startswith("hot") else 25}
