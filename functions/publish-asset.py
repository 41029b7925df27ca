"""Sample (brand-asset-pipeline): publish to the CDN (a URL derived from the name)."""


def handler(event, context):
    name = (event.get("asset") or {}).get("name", "asset")
    return {"url": f"https://cdn.example.com/brand/{name}"}
