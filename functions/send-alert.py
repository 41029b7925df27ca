"""Sample (iot-pipeline): alert on a reading over the device's threshold."""


def handler(event, context):
    print(f"ALERT {event.get('deviceId')}: {event['normalized']['value']} C")
    return {"alerted": True}
