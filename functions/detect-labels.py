"""Sample (brand-asset-pipeline): labels from the asset's name (a stand-in for image analysis)."""


def handler(event, context):
    name = (event.get("asset") or {}).get("name", "")
    words = [w for w in name.replace("-", " ").replace("_", " ").split() if w]
    return {
        "labels": [{"name": w.lower(), "confidence": 0.9} for w in words]
        or [{"name": "image", "confidence": 0.5}]
    }
