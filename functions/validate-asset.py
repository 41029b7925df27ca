"""Sample (brand-asset-pipeline): accept images with a name and a known format."""


class InvalidAsset(Exception):
    pass


def handler(event, context):
    asset = event.get("asset") or {}
    if asset.get("format") not in {"png", "jpg", "jpeg", "svg", "webp"}:
        raise InvalidAsset(f"Unsupported format: {asset.get('format')!r}")
    return {"valid": True, "name": asset.get("name", "untitled")}
