"""Sample (brand-asset-pipeline): a palette derived from the asset's name, stable per asset."""

import hashlib


def handler(event, context):
    digest = hashlib.sha256(str((event.get("asset") or {}).get("name", "")).encode()).hexdigest()
    return {"palette": [f"#{digest[i : i + 6]}" for i in range(0, 30, 6)]}
