"""Sample (brand-asset-pipeline): keep the analysis error for later."""


def handler(event, context):
    print(f"Analysis failed: {event.get('error')}")
    return {"recorded": True}
